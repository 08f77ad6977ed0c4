// Package graph draws job families as a picture of their ladders: one box
// per family, one column per track, a node per level by grade, arrows from
// junior to senior, dashed arrows for the levels that extend others, and an
// arrow to the families the career ladder leads to. It writes Mermaid, which
// GitHub renders in Markdown, and Graphviz DOT.
//
// Every string of the families is user text that ends up inside a program
// (a diagram) that is rendered in a pull-request comment, so none of it is
// written raw: node ids are made from ids by a namer that keeps only
// identifier characters and never gives two things the same id, labels are
// escaped for the output language, and links are written only for http and
// https URLs, percent-encoded. Output is deterministic: the same families
// give the same bytes.
package graph

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

// familyID matches a family id, the only kind of career-ladder entry
// besides a URL that is linked to a handbook page.
var familyID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$`)

// ladder is the drawing-independent shape of a set of families: what both
// writers draw, computed once so that Mermaid and DOT show the same thing.
type ladder struct {
	families []*famNode
	// nexts are the nodes of the families a ladder leads to that are not
	// drawn themselves, in order of first mention.
	nexts []*nextNode
	// links are the career-ladder arrows.
	links []link
}

type famNode struct {
	id    string // the family's subgraph (or, with no levels, node) id
	title string
	// tracks hold the family's levels by track, in the policy's order,
	// then any other track in order of first appearance.
	tracks []*trackNode
	// extends are the dashed arrows, from the extending level to the
	// extended one.
	extends []extendsEdge
	// top is the family's most senior level: the highest grade, the last
	// declared on a tie. Nil for a family without levels.
	top *levelNode
	// bottom is the first level of the first track, where an arrow into
	// the family points in DOT.
	bottom *levelNode
}

type trackNode struct {
	id     string
	name   string
	levels []*levelNode
}

type levelNode struct {
	id    string
	title string
	grade *int
}

type extendsEdge struct {
	from, to *levelNode
	label    string
}

type nextNode struct {
	id    string
	label string
	// url is the handbook page, already checked and encoded, or "".
	url string
}

// link is a career-ladder arrow from a family to a family drawn (to) or to
// a next node (next).
type link struct {
	from *famNode
	to   *famNode
	next *nextNode
}

// build computes the ladder of fams.
func build(fams []*family.Family, site *render.Site) *ladder {
	n := newNamer()
	lad := &ladder{}
	byID := map[string]*famNode{}
	for _, f := range fams {
		fn := buildFamily(n, f, site)
		lad.families = append(lad.families, fn)
		byID[f.ID] = fn
	}
	nexts := map[string]*nextNode{}
	for i, f := range fams {
		from := lad.families[i]
		seen := map[string]bool{}
		for _, t := range f.CareerLadder.Next {
			target, id := t.Value, t.Value
			if strings.Contains(target, "://") {
				id = internalID(target, site)
			}
			if seen[target] {
				continue
			}
			seen[target] = true
			if to := byID[id]; id != "" && to != nil {
				if to == from {
					// A family that leads to itself: validate's business,
					// and no arrow worth drawing.
					continue
				}
				lad.links = append(lad.links, link{from: from, to: to})
				continue
			}
			nx := nexts[target]
			if nx == nil {
				nx = &nextNode{id: n.id("n", target), label: target}
				raw := target
				if !strings.Contains(target, "://") {
					// Only a family id makes a handbook address; anything
					// else (validate reports it) is shown, not linked.
					raw = ""
					if familyID.MatchString(id) {
						raw = siteURL(site, id)
					}
				}
				if id != "" && site != nil && site.Titles[id] != "" {
					nx.label = site.Titles[id]
				}
				nx.url = safeURL(raw)
				nexts[target] = nx
				lad.nexts = append(lad.nexts, nx)
			}
			lad.links = append(lad.links, link{from: from, next: nx})
		}
	}
	return lad
}

// internalID is the family id a handbook URL names, or "" when the URL is
// not under the handbook.
func internalID(url string, site *render.Site) string {
	if site == nil || site.Policy == nil || site.Policy.HandbookBase == "" {
		return ""
	}
	rest, ok := strings.CutPrefix(url, site.Policy.HandbookBase)
	if !ok {
		return ""
	}
	return strings.TrimSuffix(rest, "/")
}

func siteURL(site *render.Site, id string) string {
	if site == nil || site.Policy == nil {
		return ""
	}
	return site.URL(id)
}

func buildFamily(n *namer, f *family.Family, site *render.Site) *famNode {
	fn := &famNode{id: n.id("f", f.ID), title: f.ID}
	if f.Title.Set() && f.Title.Value != "" {
		fn.title = f.Title.Value
	}
	var order []string
	if site != nil && site.Policy != nil {
		order = append(order, site.Policy.Tracks...)
	}
	for _, l := range f.Levels {
		if !slices.Contains(order, l.Track.Value) {
			order = append(order, l.Track.Value)
		}
	}
	byTrack := map[string]*trackNode{}
	levels := map[string]*levelNode{}
	for _, l := range f.Levels {
		t := byTrack[l.Track.Value]
		if t == nil {
			t = &trackNode{id: n.id("t", f.ID, l.Track.Value), name: l.Track.Value}
			byTrack[l.Track.Value] = t
		}
		ln := &levelNode{id: n.id("l", f.ID, l.ID), title: l.ID}
		if l.Title.Set() && l.Title.Value != "" {
			ln.title = l.Title.Value
		}
		if l.Grade.Set() {
			g := l.Grade.Value
			ln.grade = &g
		}
		t.levels = append(t.levels, ln)
		if _, dup := levels[l.ID]; !dup {
			levels[l.ID] = ln
		}
		if fn.top == nil || grade(ln) >= grade(fn.top) {
			fn.top = ln
		}
	}
	for _, name := range order {
		if t := byTrack[name]; t != nil {
			fn.tracks = append(fn.tracks, t)
		}
	}
	if len(fn.tracks) > 0 {
		fn.bottom = fn.tracks[0].levels[0]
	}
	for _, l := range f.Levels {
		from := n.lookup("l", f.ID, l.ID)
		resp, req := l.Extends.Responsibilities, l.Extends.Requirements
		switch {
		case resp.Set() && req.Set() && resp.Value == req.Value:
			fn.addExtends(from, levels[resp.Value], "extends")
		default:
			if resp.Set() {
				fn.addExtends(from, levels[resp.Value], "extends responsibilities")
			}
			if req.Set() {
				fn.addExtends(from, levels[req.Value], "extends requirements")
			}
		}
	}
	return fn
}

// addExtends adds a dashed arrow. An extends that names no level of the
// family (which validate reports) has nothing to point at and is left out.
func (fn *famNode) addExtends(from string, to *levelNode, label string) {
	if to == nil || to.id == from {
		return
	}
	for _, t := range fn.tracks {
		for _, l := range t.levels {
			if l.id == from {
				fn.extends = append(fn.extends, extendsEdge{from: l, to: to, label: label})
				return
			}
		}
	}
}

// grade orders levels without a grade below every graded one.
func grade(l *levelNode) int {
	if l.grade == nil {
		return -1 << 31
	}
	return *l.grade
}

// namer makes node ids: a kind letter ("f" family, "t" track, "l" level,
// "n" next family) and the parts, with every character outside
// [A-Za-z0-9_] replaced by "_". Replacing loses information ("a-b/c" and
// "a/b-c" both become "a_b_c"), so a name already given to another key
// gets a numeric suffix: ids stay readable and never collide. The kind
// prefix also keeps ids clear of the languages' keywords ("end",
// "subgraph", "graph", "node") and of Mermaid's edge syntax ("o" and "x"
// right after an arrow).
type namer struct {
	byKey map[string]string
	used  map[string]bool
}

func newNamer() *namer {
	return &namer{byKey: map[string]string{}, used: map[string]bool{}}
}

func key(kind string, parts ...string) string {
	// "\x00" cannot occur in an id read from a file name or CUE label.
	return kind + "\x00" + strings.Join(parts, "\x00")
}

// id returns the id of the thing named by kind and parts, the same one
// every time it is asked.
func (n *namer) id(kind string, parts ...string) string {
	k := key(kind, parts...)
	if id, ok := n.byKey[k]; ok {
		return id
	}
	var b strings.Builder
	b.WriteString(kind)
	for _, p := range parts {
		b.WriteString("_")
		for _, r := range p {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
	}
	base := b.String()
	id := base
	for i := 2; n.used[id]; i++ {
		id = fmt.Sprintf("%s_%d", base, i)
	}
	n.used[id] = true
	n.byKey[k] = id
	return id
}

// lookup returns the id given to kind and parts, or "".
func (n *namer) lookup(kind string, parts ...string) string {
	return n.byKey[key(kind, parts...)]
}

// safeURL returns raw percent-encoded so that it holds only characters
// that are safe inside a double-quoted string of either language, or ""
// when it is not an absolute http or https URL (a "javascript:" link must
// never become clickable).
func safeURL(raw string) string {
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return ""
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-._~:/?#[]@!$&'()*+,=", c) >= 0:
			b.WriteByte(c)
		case c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]):
			b.WriteByte(c)
		default:
			// Among others: '"', '\\', '<', '>', '`', ' ', '{', '}', '|',
			// control bytes, and ';', which Mermaid would read as the end
			// of an entity code such as "#quot;".
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// oneLine turns every run of control characters (line breaks, tabs) into a
// space: labels are one line, and a line break would end the statement.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || (r >= 0x80 && r < 0xa0) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
