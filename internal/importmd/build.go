package importmd

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/jobfam/jobfam/internal/family"
)

// role is what a page is to the family being imported.
type role int

const (
	// roleFamily is a page that is the whole family.
	roleFamily role = iota
	// roleIndex is a folder family's _index.md: the family's title,
	// description and shared parts, and perhaps levels of its own.
	roleIndex
	// roleLevel is one level's page in a folder family.
	roleLevel
)

// The names of the parts of a page that sections are placed before.
const (
	partLevels     = "levels"
	partIndicators = "performanceIndicators"
	partLadder     = "careerLadder"
	partHiring     = "hiringProcess"
	partResp       = "responsibilities"
	partReq        = "requirements"
)

// familyParts is the order in which jobfam renders the family's parts.
var familyParts = []string{partLevels, partIndicators, partLadder, partHiring}

// canonicalHeading is the heading jobfam renders for each family part.
var canonicalHeading = map[kind]string{
	kindIndicators: "Performance Indicators",
	kindLadder:     "Career Ladder",
	kindHiring:     "Hiring Process",
}

var partOfKind = map[kind]string{
	kindIndicators: partIndicators,
	kindLadder:     partLadder,
	kindHiring:     partHiring,
}

// builder collects one family from its pages.
type builder struct {
	pol   *family.Policy
	fam   famOut
	warns []Warning
	// notes are warnings about a kind of change that can recur on a page,
	// reported once per page with a count.
	notes     map[noteKey]*note
	noteOrder []noteKey
	// sectionsOf counts each page's verbatim sections.
	sectionsOf map[*doc]int
	// levelPages are the levels read from a folder family's level pages,
	// which orderLevels puts in order.
	levelPages []*levelOut
	// link, when set, names the family a job-families URL path leads to,
	// so that links to pages imported in the same run get their ids.
	link func(sitePath string) (id string, ok bool)
}

type noteKey struct {
	d   *doc
	key string
}

type note struct {
	off   int
	count int
	msg   string
}

func newBuilder(p *family.Policy) *builder {
	return &builder{pol: p, notes: map[noteKey]*note{}, sectionsOf: map[*doc]int{}}
}

// warn reports something at an offset of a page's Markdown.
func (b *builder) warn(d *doc, off int, format string, args ...any) {
	line, col := d.pos(off)
	b.warns = append(b.warns, Warning{Page: d.path, Line: line, Col: col, Message: fmt.Sprintf(format, args...)})
}

// warnLine reports something at a line of the page (its front matter).
func (b *builder) warnLine(d *doc, line int, format string, args ...any) {
	b.warns = append(b.warns, Warning{Page: d.path, Line: line, Col: 1, Message: fmt.Sprintf(format, args...)})
}

// noteOnce records a change of the kind key; the page's first one gives
// the position and message, later ones are counted.
func (b *builder) noteOnce(d *doc, key string, off int, format string, args ...any) {
	k := noteKey{d, key}
	if n := b.notes[k]; n != nil {
		n.count++
		return
	}
	b.notes[k] = &note{off: off, count: 1, msg: fmt.Sprintf(format, args...)}
	b.noteOrder = append(b.noteOrder, k)
}

// page reads one page into the family.
func (b *builder) page(d *doc, r role) {
	cs := d.chunks
	for _, c := range cs {
		if c.heading != nil {
			c.kind, c.prefix, c.exact = classify(c.text)
		}
	}
	fm := d.fm
	if r != roleLevel {
		for _, u := range fm.unread {
			b.warnLine(d, u.line, "front matter %s is not a single line of text: kept as written in frontMatter", u.key)
		}
		if b.fam.title == "" {
			b.fam.title, b.fam.description = fm.title, fm.description
			b.fam.frontMatter = fm.rest
		}
		if !fm.hasTitle {
			b.warn(d, 0, "page has no title in its front matter: the family has no title")
		}
	}

	spec := specialties(cs)
	levelOf := make([]int, len(cs))
	for i := range levelOf {
		levelOf[i] = -1
	}
	var levels []*pageLevel
	if r == roleLevel {
		lv := &pageLevel{owner: -1, out: &levelOut{title: fm.title}}
		if !fm.hasTitle {
			b.warn(d, 0, "level page has no title in its front matter: the level has no title")
		}
		b.levelFrontMatter(d, lv.out)
		for i := range cs {
			lv.chunks = append(lv.chunks, i)
			levelOf[i] = 0
		}
		levels = append(levels, lv)
	} else {
		levels = b.findLevels(d, spec, levelOf)
	}

	for _, lv := range levels {
		b.level(d, lv, r)
		b.fam.levels = append(b.fam.levels, lv.out)
		if r == roleLevel {
			b.levelPages = append(b.levelPages, lv.out)
		}
	}
	if r != roleLevel {
		b.familyChunks(d, r, levels, levelOf, spec)
	}
}

// finish gives the levels their ids and tracks and resolves "Extends".
func (b *builder) finish() {
	assignIDs(b.fam.levels)
	management := slices.Contains(b.pol.Tracks, "management")
	for _, l := range b.fam.levels {
		if _, mgmt := seniority(l.title); mgmt && management && b.pol.DefaultTrack != "management" {
			l.track = "management"
		}
	}
	for i, l := range b.fam.levels {
		l.extResp = b.resolve(l, i, l.respRef, kindResponsibilities)
		l.extReq = b.resolve(l, i, l.reqRef, kindRequirements)
	}
}

// maxExtendsDistance is how many levels back an "Extends" sentence is
// looked for.
const maxExtendsDistance = 32

// resolve maps an "Extends the X ..." sentence to the earlier level whose
// title matches X best, and reports the match unless it is exact.
func (b *builder) resolve(l *levelOut, i int, ref extendsRef, k kind) string {
	if !ref.set {
		return ""
	}
	// The level extended is one of the few before: looking at no more
	// than maxExtendsDistance keeps a page of thousands of levels fast.
	first := max(0, i-maxExtendsDistance)
	var titles []string
	for _, o := range b.fam.levels[first:i] {
		titles = append(titles, o.title)
	}
	j := bestMatch(ref.name, titles)
	if j >= 0 {
		j += first
	}
	if j < 0 {
		b.warn(ref.d, ref.off, "%q names no earlier level of this family: kept as %s", ref.raw, keptAs(ref))
		keepExtends(l, ref, k)
		return ""
	}
	target := b.fam.levels[j]
	canonical := "Extends the " + target.title + " " + k.String() + " plus:"
	if !covered(ref.name, target.title) {
		// The sentence jobfam renders names the level by its title: a
		// word of the name that the title lacks, such as a misspelling
		// or "Sr" for "Senior", would be lost.
		b.warn(ref.d, ref.off, "%q reads as level %q (%q) but names it with words its title lacks: kept as %s; write %q to have it modelled", ref.raw, target.id, target.title, keptAs(ref), canonical)
		keepExtends(l, ref, k)
		return ""
	}
	if target.title != ref.name {
		b.warn(ref.d, ref.off, "%q read as level %q (%q): jobfam renders %q", ref.name, target.id, target.title, canonical)
	}
	switch {
	case ref.bullet:
		b.noteOnce(ref.d, "extends-bullet", ref.off, "%q is a bullet: jobfam renders %q as a line before the bullets", ref.raw, canonical)
	case !ref.canonical && target.title == ref.name:
		b.noteOnce(ref.d, "extends-wording", ref.off, "extends sentence for %q is worded differently: jobfam renders %q", ref.name, canonical)
	}
	return target.id
}

// keptAs says where keepExtends keeps an "Extends" sentence.
func keptAs(ref extendsRef) string {
	if ref.bullet {
		return "a bullet"
	}
	return "written, between the heading and the bullets"
}

// keepExtends keeps an "Extends" sentence that is not modelled where it
// stood: a bullet stays the first bullet, a sentence before the list ends
// the part's intro.
func keepExtends(l *levelOut, ref extendsRef, k kind) {
	items, intro := &l.resp, &l.respIntro
	if k == kindRequirements {
		items, intro = &l.req, &l.reqIntro
	}
	switch {
	case ref.bullet:
		*items = append([]string{ref.raw}, *items...)
	case *intro == "":
		*intro = ref.raw
	default:
		*intro += "\n\n" + ref.raw
	}
}

// report sorts the warnings, adds the counted ones and sums up.
func (b *builder) report(docs []*doc) Report {
	var r Report
	for _, k := range b.noteOrder {
		n := b.notes[k]
		msg := n.msg
		if n.count > 1 {
			msg += fmt.Sprintf(" (and %d more like it on this page)", n.count-1)
		}
		b.warn(k.d, n.off, "%s", msg)
	}
	order := map[string]int{}
	for i, d := range docs {
		order[d.path] = i
		r.Pages = append(r.Pages, PageReport{Path: d.path, VerbatimSections: b.sectionsOf[d]})
		r.VerbatimSections += b.sectionsOf[d]
	}
	slices.SortStableFunc(b.warns, func(x, y Warning) int {
		return cmp.Or(cmp.Compare(order[x.Page], order[y.Page]), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Col, y.Col))
	})
	r.Warnings = b.warns
	r.FullyModelled = r.VerbatimSections == 0
	return r
}
