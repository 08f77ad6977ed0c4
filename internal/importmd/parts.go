package importmd

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// familyItem is one piece of the family in page order.
type familyItem struct {
	part    string
	section int
	off     int
}

// familyChunks reads the chunks that belong to no level.
func (b *builder) familyChunks(d *doc, r role, levels []*pageLevel, levelOf []int, spec []bool) {
	cs := d.chunks
	var items []familyItem
	addSection := func(s sectionOut) {
		b.fam.sections = append(b.fam.sections, s)
		items = append(items, familyItem{section: len(b.fam.sections) - 1})
		b.sectionsOf[d]++
	}
	levelsAt := -1
	for i, k := range levelOf {
		if k >= 0 {
			levelsAt = i
			break
		}
	}
	hasLevelsHeading := false
	done := map[int]bool{}
	// A folder family's levels come from its level pages: they go before
	// the index page's first part.
	placeLevels := r == roleIndex && levelsAt < 0
	for i, c := range cs {
		if placeLevels && c.kind.isFamilyPart() && !spec[i] {
			items = append(items, familyItem{part: partLevels, off: c.start})
			placeLevels = false
		}
		if levelOf[i] >= 0 {
			if i == levelsAt {
				items = append(items, familyItem{part: partLevels, off: c.start})
			}
			continue
		}
		if done[i] {
			continue
		}
		if levelsAt >= 0 && i < levelsAt && c.kind == kindLevels && !spec[i] {
			hasLevelsHeading = true
			body := d.body(c)
			if c.exact && (c.text != "Levels" || c.depth != 2) {
				b.warn(d, c.start, "heading %q: jobfam renders %q", strings.Repeat("#", c.depth)+" "+c.text, "## Levels")
			}
			switch {
			case c.exact && body == "":
			case c.exact && b.fam.levelsIntro == "":
				// jobfam writes the heading itself, and the text under it.
				b.fam.levelsIntro = body
			default:
				addSection(b.section(d, c, body, "family"))
			}
			continue
		}
		if c.kind.isFamilyPart() && !spec[i] && !b.hasPart(partOfKind[c.kind]) {
			if b.familyPart(d, c, i, done) {
				items = append(items, familyItem{part: partOfKind[c.kind], off: c.start})
				continue
			}
			// familyPart said why the part is kept verbatim.
			addSection(b.keep(d, c, d.body(c)))
			continue
		}
		addSection(b.section(d, c, d.body(c), "family"))
	}
	if len(levels) > 0 && levels[0].owner >= 0 && !hasLevelsHeading {
		b.noteOnce(d, "levels-heading", levels[0].out.off, "page has no \"Levels\" heading: jobfam renders one above the levels")
	}
	if placeLevels {
		items = append(items, familyItem{part: partLevels})
	}
	var order []familyItem
	for i, it := range items {
		if it.part == "" {
			for _, next := range items[i+1:] {
				if next.part != "" {
					b.fam.sections[it.section].before = next.part
					break
				}
			}
			continue
		}
		for _, prev := range order {
			if slices.Index(familyParts, prev.part) > slices.Index(familyParts, it.part) {
				b.warn(d, it.off, "%s comes after %s on the page: jobfam renders it before", partTitle(it.part), partTitle(prev.part))
				break
			}
		}
		order = append(order, it)
	}
}

func partTitle(part string) string {
	switch part {
	case partIndicators:
		return "Performance Indicators"
	case partLadder:
		return "Career Ladder"
	case partHiring:
		return "Hiring Process"
	}
	return "Levels"
}

func (b *builder) hasPart(part string) bool {
	switch part {
	case partIndicators:
		return b.fam.indicators != nil
	case partLadder:
		return b.fam.ladder != nil
	case partHiring:
		return b.fam.hiring != nil
	}
	return false
}

// familyPart models a Performance Indicators, Career Ladder or Hiring
// Process heading. It returns false to keep the chunk verbatim.
func (b *builder) familyPart(d *doc, c *chunk, i int, done map[int]bool) bool {
	if !covered(c.text, canonicalHeading[c.kind]) {
		b.warn(d, c.start, "%s kept verbatim in a section: the heading %q has words the heading jobfam renders would lose; rename it %q to have it modelled", c.kind, c.text, canonicalHeading[c.kind])
		return false
	}
	var ok bool
	switch c.kind {
	case kindIndicators:
		ok = b.indicators(d, c, i, done)
	case kindLadder:
		ok = b.ladder(d, i, done)
	case kindHiring:
		ok = b.hiring(d, i, done)
	}
	if ok && (c.text != canonicalHeading[c.kind] || c.depth != 2) {
		b.warn(d, c.start, "heading %q: jobfam renders %q", strings.Repeat("#", c.depth)+" "+c.text, "## "+canonicalHeading[c.kind])
	}
	return ok
}

// indicators models a list of performance indicators, each a plain title
// or one link. What stands between the heading and the list, such as the
// seed's sub-heading "### Performance Indicators (PI)", is the part's
// intro; the sub-headings it takes are marked done.
func (b *builder) indicators(d *doc, c *chunk, i int, done map[int]bool) bool {
	pl, reason := d.findPartList(i, func(sc *chunk) bool { return sc.kind == kindOther || sc.kind == kindIndicators }, false)
	var pis []indicator
	if reason == "" {
		for it := pl.list.FirstChild(); it != nil; it = it.NextSibling() {
			pi, why := b.indicator(d, it)
			if why != "" {
				reason = why
				break
			}
			pis = append(pis, pi)
		}
	}
	if reason != "" {
		b.warn(d, c.start, "performance indicators kept verbatim in a section: %s", reason)
		return false
	}
	for _, j := range pl.sub {
		done[j] = true
	}
	if intro := d.text(c.bodyStart, pl.start); intro != "" {
		b.fam.indicatorsIntro = intro
	}
	b.listNotes(d, pl.list, "performance indicators")
	b.fam.indicators = pis
	if pis == nil {
		b.fam.indicators = []indicator{}
	}
	return true
}

// plainTitle is text that reads the same in Markdown and as plain text.
var plainTitle = regexp.MustCompile(`^[^\\*_\[\]<>` + "`" + `{}|~]+$`)

// indicator reads one list item as an indicator; why says why it cannot.
func (b *builder) indicator(d *doc, it ast.Node) (indicator, string) {
	p := it.FirstChild()
	if p == nil || p.NextSibling() != nil || p.Lines().Len() != 1 || (p.Kind() != ast.KindParagraph && p.Kind() != ast.KindTextBlock) {
		return indicator{}, "an item is not one line of text"
	}
	var link *ast.Link
	var texts []*ast.Text
	for n := p.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			texts = append(texts, n)
		case *ast.Link:
			if link != nil {
				return indicator{}, "an item has several links"
			}
			link = n
		default:
			return indicator{}, "an item has formatting"
		}
	}
	if link != nil {
		for _, t := range texts {
			if strings.TrimSpace(string(t.Segment.Value(d.md))) != "" {
				return indicator{}, "an item has a link and more text"
			}
		}
	}
	if link == nil {
		t := strings.TrimSpace(d.plain(p))
		if !plainTitle.MatchString(t) || strings.Contains(t, "&") && strings.Contains(t, ";") {
			return indicator{}, "an item has formatting"
		}
		return indicator{title: t}, ""
	}
	var label strings.Builder
	for n := link.FirstChild(); n != nil; n = n.NextSibling() {
		t, ok := n.(*ast.Text)
		if !ok {
			return indicator{}, "a link has formatting"
		}
		label.Write(t.Segment.Value(d.md))
		if t.SoftLineBreak() {
			label.WriteByte(' ')
		}
	}
	title := strings.TrimSpace(label.String())
	if !plainTitle.MatchString(title) || len(link.Title) > 0 || strings.Contains(title, "&") && strings.Contains(title, ";") {
		return indicator{}, "a link has formatting"
	}
	u, ok := b.absolute(d, string(link.Destination), blockStart(p))
	if !ok {
		return indicator{}, fmt.Sprintf("link %q is not a web address", link.Destination)
	}
	return indicator{title: title, url: u}, ""
}

// absoluteURL is what the schema accepts as a URL.
var absoluteURL = regexp.MustCompile(`^https?://[^\s]+$`)

// absolute returns an indicator's link as an absolute address; a
// site-relative one is resolved against the handbook's address.
func (b *builder) absolute(d *doc, dest string, off int) (string, bool) {
	if absoluteURL.MatchString(dest) {
		return dest, true
	}
	if !strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") || strings.ContainsAny(dest, " \t\n") {
		return "", false
	}
	base, err := url.Parse(b.pol.HandbookBase)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return "", false
	}
	abs := base.Scheme + "://" + base.Host + dest
	b.noteOnce(d, "relative-indicator", off, "indicator link %q is site-relative: written as %q", dest, abs)
	return abs, true
}

// ladder models a career ladder: its text as written, sub-headings
// included, and the job families it links to.
func (b *builder) ladder(d *doc, i int, done map[int]bool) bool {
	c := d.chunks[i]
	end, blocks := c.end, c.blocks
	// The ladder's text runs over its sub-headings, as far as the next
	// heading that is no deeper than its own.
	for j := i + 1; j < len(d.chunks) && d.chunks[j].depth > c.depth && d.chunks[j].kind == kindOther; j++ {
		done[j] = true
		end = d.chunks[j].end
		blocks = append(slices.Clip(blocks), d.chunks[j].blocks...)
	}
	text := d.text(c.bodyStart, end)
	if text == "" {
		b.warn(d, c.start, "career ladder has no text: kept verbatim in a section")
		return false
	}
	l := &ladderOut{text: text}
	seen := map[string]bool{}
	for _, bl := range blocks {
		_ = ast.Walk(bl.node, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			var dest string
			switch n := n.(type) {
			case *ast.Link:
				dest = string(n.Destination)
			case *ast.AutoLink:
				dest = string(n.URL(d.md))
			default:
				return ast.WalkContinue, nil
			}
			if id := b.familyLink(dest); id != "" && !seen[id] {
				seen[id] = true
				l.next = append(l.next, id)
			}
			return ast.WalkContinue, nil
		})
	}
	b.fam.ladder = l
	return true
}

var idSegment = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// familyLink returns the family id a link into the handbook's job
// families names, absolute under the handbook's address or site-relative
// under its path; "" for any other link.
func (b *builder) familyLink(dest string) string {
	base, err := url.Parse(b.pol.HandbookBase)
	if err != nil || base.Host == "" {
		return ""
	}
	u, err := url.Parse(dest)
	if err != nil {
		return ""
	}
	switch {
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host == base.Host:
	default:
		return ""
	}
	p, ok := strings.CutPrefix(u.Path, base.Path)
	if !ok {
		return ""
	}
	if b.link != nil {
		if id, ok := b.link(strings.Trim(p, "/")); ok {
			return id
		}
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) < 2 {
		return ""
	}
	for _, s := range segs {
		if !idSegment.MatchString(s) {
			return ""
		}
	}
	return strings.Join(segs, "/")
}

// hiring models a hiring process: the first list is the steps, the text
// before it the intro and the text after it the outro. A heading with no
// list of its own takes its sub-headings up to the first one with a list.
func (b *builder) hiring(d *doc, i int, done map[int]bool) bool {
	c := d.chunks[i]
	pl, why := d.findPartList(i, func(sc *chunk) bool { return sc.kind == kindOther }, true)
	if why != "" {
		if d.body(c) == "" {
			b.warn(d, c.start, "hiring process has no text: kept verbatim in a section")
			return false
		}
		// No list at all: the text is the intro, and the sub-headings
		// stay sections of their own.
		b.fam.hiring = &hiringOut{intro: d.body(c)}
		return true
	}
	for _, j := range pl.sub {
		done[j] = true
	}
	h := &hiringOut{
		intro:   d.text(c.bodyStart, pl.start),
		steps:   d.listItems(pl.list, pl.end),
		ordered: pl.list.IsOrdered(),
		outro:   d.text(pl.end, pl.runEnd),
	}
	b.listNotes(d, pl.list, "hiring process")
	b.fam.hiring = h
	return true
}

// orderLevels puts a folder family's level pages in order: by their
// weight when every page has one, else by grade and seniority.
func (b *builder) orderLevels() {
	pages := b.levelPages
	if len(pages) < 2 {
		return
	}
	first := slices.Index(b.fam.levels, pages[0])
	weights := !slices.ContainsFunc(pages, func(l *levelOut) bool { return !l.hasWeight })
	sorted := slices.Clone(pages)
	slices.SortStableFunc(sorted, func(x, y *levelOut) int {
		if weights {
			return cmp.Compare(x.weight, y.weight)
		}
		gx, gy := x.grade, y.grade
		if gx == 0 {
			gx = 1 << 20
		}
		if gy == 0 {
			gy = 1 << 20
		}
		if c := cmp.Compare(gx, gy); c != 0 {
			return c
		}
		sx, _ := seniority(x.title)
		sy, _ := seniority(y.title)
		return cmp.Compare(rank(sx), rank(sy))
	})
	copy(b.fam.levels[first:], sorted)
}

var seniorityOrder = []string{"intern", "junior", "associate", "intermediate", "senior", "staff", "lead", "principal",
	"distinguished", "senior-distinguished", "fellow", "associate-manager", "manager", "senior-manager", "head",
	"associate-director", "director", "senior-director", "vp", "senior-vp", "executive-vp", "chief"}

func rank(id string) int {
	if i := slices.Index(seniorityOrder, id); i >= 0 {
		return i
	}
	return len(seniorityOrder)
}
