package importmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// pageLevel is a level found on a page, with the chunks that make it.
type pageLevel struct {
	out *levelOut
	// owner is the chunk of the level's heading, or -1 for a page that is
	// one level.
	owner  int
	chunks []int
}

// specialties marks the chunks under a Specialties heading: they are kept
// verbatim, never read as levels.
func specialties(cs []*chunk) []bool {
	in := make([]bool, len(cs))
	for i := 0; i < len(cs); i++ {
		if cs[i].kind != kindSpecialties {
			continue
		}
		in[i] = true
		j := i + 1
		for ; j < len(cs) && cs[j].depth > cs[i].depth; j++ {
			in[j] = true
		}
		i = j - 1
	}
	return in
}

// findLevels finds the level headings of a page: the headings that own a
// grade, responsibilities or requirements. When a page has none, but has
// those parts itself, the page is one level, titled by its front matter.
func (b *builder) findLevels(d *doc, spec []bool, levelOf []int) []*pageLevel {
	cs := d.chunks
	owner := make([]int, len(cs))
	graded := map[int]bool{}
	// gradeNames holds how a level heading's grade sentence names it.
	gradeNames := map[int]string{}
	owns := map[int]bool{}
	for i, c := range cs {
		owner[i] = -1
		if spec[i] || c.heading == nil {
			continue
		}
		switch {
		case c.kind.isPart():
			owner[i] = findOwner(cs, spec, i)
			if o := owner[i]; o >= 0 {
				owns[o] = true
				if c.kind == kindGrade && hasGrade(d, c) {
					graded[o] = true
					if _, ok := gradeNames[o]; !ok {
						gradeNames[o] = gradeName(d, c)
					}
				}
			}
		case c.kind == kindOther && hasGrade(d, c):
			graded[i] = true
			gradeNames[i] = gradeName(d, c)
			owns[i] = true
		}
	}
	depths := map[int]bool{}
	for o := range graded {
		depths[cs[o].depth] = true
	}
	var heads []int
	for o := range owns {
		if graded[o] || len(graded) > 0 && depths[cs[o].depth] || len(graded) == 0 {
			heads = append(heads, o)
		}
	}
	slices.Sort(heads)
	// A page's only level heading that shares no word with the page's
	// title, nor with the name its grade sentence gives, is a heading such
	// as "Role" or "Overview" over the page's parts: the page itself is
	// the level.
	rejected := -1
	if len(heads) == 1 && d.fm.hasTitle {
		h := cs[heads[0]].text
		if name := gradeNames[heads[0]]; !sharesWord(h, d.fm.title) && (name == "" || !sharesWord(name, h)) {
			rejected, heads = heads[0], nil
		}
	}
	accepted := map[int]int{}
	for k, o := range heads {
		accepted[o] = k
	}

	var levels []*pageLevel
	for k, o := range heads {
		lv := &pageLevel{owner: o, out: &levelOut{title: cs[o].text, off: cs[o].start}}
		next := len(cs)
		if k+1 < len(heads) {
			next = heads[k+1]
		}
		levelOf[o] = k
		j := o + 1
		for ; j < next; j++ {
			if ow := owner[j]; ow >= 0 {
				if a, ok := accepted[ow]; ok {
					levelOf[j] = a
					continue
				}
			}
			if cs[j].depth > cs[o].depth {
				levelOf[j] = k
				continue
			}
			break
		}
		// What stands between this level and the next belongs to this
		// one: a family section cannot go between two levels.
		if k+1 < len(heads) {
			for ; j < next; j++ {
				levelOf[j] = k
			}
		}
		levels = append(levels, lv)
	}
	if len(levels) > 0 {
		// Parts owned by a level but written after a later level still
		// go to their own level.
		for i := range cs {
			if ow := owner[i]; ow >= 0 {
				if a, ok := accepted[ow]; ok {
					levelOf[i] = a
				}
			}
		}
		for i, k := range levelOf {
			if k >= 0 {
				levels[k].chunks = append(levels[k].chunks, i)
			}
		}
		return levels
	}

	// The page itself is one level when it has a level's parts.
	var parts []int
	for i, c := range cs {
		if !spec[i] && c.heading != nil && (c.kind.isPart() || i == rejected && graded[i]) {
			parts = append(parts, i)
		}
	}
	preambleGrade := len(cs) > 0 && cs[0].heading == nil && hasGrade(d, cs[0])
	if len(parts) == 0 && !preambleGrade {
		return nil
	}
	lv := &pageLevel{owner: -1, out: &levelOut{title: d.fm.title}}
	if preambleGrade {
		lv.out.off = cs[0].bodyStart
	} else {
		lv.out.off = cs[parts[0]].start
	}
	if len(parts) > 0 {
		first, last := parts[0], parts[len(parts)-1]
		end := last + 1
		for end < len(cs) && cs[end].depth > cs[last].depth {
			end++
		}
		for i := first; i < end; i++ {
			if cs[i].kind.isFamilyPart() && cs[i].depth <= cs[first].depth {
				continue
			}
			levelOf[i] = 0
		}
	}
	if preambleGrade {
		levelOf[0] = 0
	}
	for i, k := range levelOf {
		if k == 0 {
			lv.chunks = append(lv.chunks, i)
		}
	}
	return []*pageLevel{lv}
}

// findOwner returns the level heading a part heading belongs to: the
// nearest heading before it that is shallower, or that the part's heading
// names ("Junior Tax Analyst Job Grade" under a deeper "Junior Tax
// Analyst"); -1 when a family part or the page's start comes first.
func findOwner(cs []*chunk, spec []bool, i int) int {
	c := cs[i]
	// A level's parts follow its heading closely; the bound keeps a page
	// of thousands of headings from taking quadratic time.
	for j := i - 1; j >= 0 && j >= i-maxOwnerDistance; j-- {
		cj := cs[j]
		switch {
		case cj.heading == nil:
			return -1
		case spec[j]:
			if cj.kind == kindSpecialties && cj.depth <= c.depth {
				return -1
			}
		case cj.kind == kindOther:
			if cj.depth < c.depth || c.prefix != "" && names(c.prefix, cj.text) {
				return j
			}
		case cj.kind.isPart():
		case cj.depth <= c.depth:
			return -1
		}
	}
	return -1
}

// maxOwnerDistance is how many headings back findOwner looks.
const maxOwnerDistance = 64

// hasGrade reports whether a chunk's body has a paragraph that gives a
// grade.
func hasGrade(d *doc, c *chunk) bool {
	for _, bl := range c.blocks {
		if p, ok := bl.node.(*ast.Paragraph); ok {
			if _, ok := parseGrade(d.plain(p)); ok {
				return true
			}
		}
	}
	return false
}

// gradeName returns how the first grade sentence of a chunk names its
// level, or "".
func gradeName(d *doc, c *chunk) string {
	for _, bl := range c.blocks {
		if p, ok := bl.node.(*ast.Paragraph); ok {
			if g, ok := parseGrade(d.plain(p)); ok {
				return g.name
			}
		}
	}
	return ""
}

// levelFrontMatter reads a level page's front matter: its weight orders
// the levels; other lines have no place in a level and are kept in a
// verbatim section.
func (b *builder) levelFrontMatter(d *doc, l *levelOut) {
	var rest []string
	for _, line := range strings.Split(d.fm.rest, "\n") {
		if k := topKey(line); k == "weight" {
			if w, err := strconv.ParseFloat(strings.TrimSpace(line[len("weight:"):]), 64); err == nil {
				l.weight, l.hasWeight = w, true
				b.warnLine(d, lineOf(d, line), "%q orders the level among the family's levels: the family keeps the order, not the number", line)
				continue
			}
		}
		if line != "" {
			rest = append(rest, line)
		}
	}
	if len(rest) > 0 {
		l.sections = append(l.sections, sectionOut{body: "```yaml\n" + strings.Join(rest, "\n") + "\n```"})
		b.sectionsOf[d]++
		b.warnLine(d, 2, "front matter of a level page other than title and weight kept verbatim as a YAML block in a section of the level")
	}
}

// levelDescription keeps a level page's front-matter description, which a
// level has no field for, as the first paragraph of the level's intro;
// unless that paragraph already says it, word for word.
func (b *builder) levelDescription(d *doc, l *levelOut) {
	desc := d.fm.description
	first, _, _ := strings.Cut(l.intro, "\n\n")
	if slices.Equal(wordsOf(first), wordsOf(desc)) {
		b.warnLine(d, d.fm.descLine, "front matter description of a level page is the level's first paragraph, word for word: dropped, the paragraph stays")
		return
	}
	if l.intro == "" {
		l.intro = desc
	} else {
		l.intro = desc + "\n\n" + l.intro
	}
	b.warnLine(d, d.fm.descLine, "front matter description of a level page moved to the start of the level's intro: a level has no description")
}

// wordsOf returns the lowercase runs of letters and digits of s.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), notWord)
}

// lineOf returns the line of the front matter that reads line.
func lineOf(d *doc, line string) int {
	for i, l := range strings.Split(string(d.src[:d.base]), "\n") {
		if l == line {
			return i + 1
		}
	}
	return 1
}

// levelItem is one piece of a level in page order: a modelled part or a
// verbatim section, to place the sections.
type levelItem struct {
	part    string
	section int
}

// level reads a level's chunks.
func (b *builder) level(d *doc, lv *pageLevel, r role) {
	l := lv.out
	cs := d.chunks
	var items []levelItem
	addSection := func(s sectionOut) {
		l.sections = append(l.sections, s)
		items = append(items, levelItem{section: len(l.sections) - 1})
		b.sectionsOf[d]++
	}
	if lv.owner >= 0 {
		c := cs[lv.owner]
		if c.depth != 2 {
			b.noteOnce(d, "level-depth", c.start, "level heading %q is a level-%d heading: jobfam renders levels as level-2 headings under \"## Levels\"", c.text, c.depth)
		}
		l.intro = b.levelBody(d, l, c)
	} else if r != roleLevel {
		b.noteOnce(d, "single-level", l.off, "page is one level, %q: jobfam renders it under \"## Levels\" and a heading of its title", l.title)
	}
	done := map[int]bool{}
	for _, i := range lv.chunks {
		c := cs[i]
		if i == lv.owner || done[i] {
			continue
		}
		if c.heading == nil {
			// A level page's text before its first heading.
			l.intro = b.levelBody(d, l, c)
			continue
		}
		switch c.kind {
		case kindGrade:
			if rest, ok := b.gradeChunk(d, l, c); !ok {
				addSection(b.section(d, c, rest, "level"))
			}
			continue
		case kindResponsibilities, kindRequirements:
			if b.partChunk(d, l, i, done) {
				items = append(items, levelItem{part: map[kind]string{kindResponsibilities: partResp, kindRequirements: partReq}[c.kind]})
				continue
			}
			// partChunk said why the part is kept verbatim.
			addSection(b.keep(d, c, d.body(c)))
			continue
		case kindOther:
			if l.grade == 0 && hasGrade(d, c) {
				// The grade under another heading, such as "Compensation":
				// the heading stays, with the rest of its text.
				rest, _ := b.gradeChunk(d, l, c)
				addSection(b.section(d, c, rest, "level"))
				continue
			}
		}
		addSection(b.section(d, c, d.body(c), "level"))
	}
	if r == roleLevel && d.fm.hasDesc {
		b.levelDescription(d, l)
	}
	// A section goes before the first modelled part that follows it.
	for i, it := range items {
		if it.part != "" {
			continue
		}
		for _, next := range items[i+1:] {
			if next.part != "" {
				l.sections[it.section].before = next.part
				break
			}
		}
	}
	if l.hasReq && l.hasResp {
		ri := slices.IndexFunc(items, func(it levelItem) bool { return it.part == partResp })
		qi := slices.IndexFunc(items, func(it levelItem) bool { return it.part == partReq })
		if qi < ri {
			b.warn(d, l.off, "level %q has its requirements before its responsibilities: jobfam renders responsibilities first", l.title)
		}
	}
}

// levelBody reads the text under a level's heading: the grade sentence
// and the intro. It returns the intro.
func (b *builder) levelBody(d *doc, l *levelOut, c *chunk) string {
	consumed := map[int]bool{}
	for i, bl := range c.blocks {
		if p, ok := bl.node.(*ast.Paragraph); ok && l.grade == 0 {
			if b.gradeParagraph(d, l, p, bl.start) {
				consumed[i] = true
			}
		}
	}
	return d.blocksText(c, func(i int) bool { return !consumed[i] })
}

// gradeParagraph takes the grade from a paragraph. It returns true when
// the paragraph is the grade sentence and nothing more, so that jobfam
// renders it from the grade; otherwise the paragraph stays where it was.
func (b *builder) gradeParagraph(d *doc, l *levelOut, p *ast.Paragraph, off int) bool {
	g, ok := parseGrade(d.plain(p))
	if !ok {
		return false
	}
	if g.n < b.pol.Grades.Min || g.n > b.pol.Grades.Max {
		b.warn(d, off, "grade %d of %q is outside the policy's grades %d to %d: kept as text, the level has no grade", g.n, l.title, b.pol.Grades.Min, b.pol.Grades.Max)
		return false
	}
	l.grade = g.n
	if !g.whole {
		b.warn(d, off, "grade %d of %q is in a paragraph that says more: the paragraph is kept as written, so the page shows the grade twice", g.n, l.title)
		return false
	}
	sentence := strings.Join(strings.Fields(d.plain(p)), " ")
	canonical := "The " + l.title + " is a [grade " + strconv.Itoa(g.n) + "](" + b.pol.GradeURL + ")."
	if !covered(sentence, l.title, "The is a grade "+strconv.Itoa(g.n), b.pol.GradeURL) {
		b.warn(d, off, "grade sentence %q has words the sentence jobfam renders would lose: kept as written, so the page shows the grade twice; write it as %q to have it modelled", sentence, canonical)
		return false
	}
	if g.name != l.title {
		b.warn(d, off, "grade sentence names %q, not the level's title %q: jobfam renders %q", g.name, l.title, "The "+l.title+" is a [grade "+strconv.Itoa(g.n)+"](...).")
	}
	if g.url != b.pol.GradeURL {
		what := fmt.Sprintf("link to %q", g.url)
		if g.url == "" {
			what = "no link"
		}
		b.noteOnce(d, "grade-url", off, "grade sentence has %s: jobfam links grades to the policy's gradeURL %q", what, b.pol.GradeURL)
	}
	if !g.canonical {
		raw := d.plain(p)
		own := fmt.Sprintf("The %s is a [grade %d](%s).", g.name, g.n, g.url)
		if g.link && strings.Join(strings.Fields(own), " ") == sentence {
			b.noteOnce(d, "grade-space", off, "grade sentence %q has a line break or a non-breaking space where jobfam writes a plain space", raw)
		} else {
			b.noteOnce(d, "grade-wording", off, "grade sentence %q is worded differently: jobfam renders %q", raw, canonical)
		}
	}
	return true
}

// gradeChunk reads a "Job Grade" heading and its text. ok is true when
// all of it is modelled; otherwise rest is the text to keep under the
// heading.
func (b *builder) gradeChunk(d *doc, l *levelOut, c *chunk) (rest string, ok bool) {
	consumed := map[int]bool{}
	for i, bl := range c.blocks {
		if p, ok := bl.node.(*ast.Paragraph); ok && l.grade == 0 {
			if b.gradeParagraph(d, l, p, bl.start) {
				consumed[i] = true
			}
		}
	}
	rest = d.blocksText(c, func(i int) bool { return !consumed[i] })
	if c.kind == kindGrade && len(consumed) > 0 && rest == "" && covered(c.text, l.title, "job grade", b.pol.GradeURL) {
		b.noteOnce(d, "grade-heading", c.start, "heading %q dropped: jobfam renders the grade sentence right under the level's heading", c.text)
		return "", true
	}
	return rest, false
}

// partChunk models a responsibilities or requirements heading whose text
// ends with one list, perhaps after an "Extends the ... plus:" sentence.
// What stands between the heading and the list (sentences, sub-headings)
// is the part's intro; a heading with no list of its own takes its
// sub-headings up to the first one with a list, and marks them done. It
// returns false, and leaves the chunk to be kept verbatim, for anything
// else.
func (b *builder) partChunk(d *doc, l *levelOut, i int, done map[int]bool) bool {
	c := d.chunks[i]
	has, ref, intro := &l.hasResp, &l.respRef, &l.respIntro
	if c.kind == kindRequirements {
		has, ref, intro = &l.hasReq, &l.reqRef, &l.reqIntro
	}
	reason := ""
	var pl partList
	var ext extendsRef
	switch {
	case *has:
		reason = fmt.Sprintf("the level has %s already", c.kind)
	case !covered(c.text, l.title, canonicalPart(c.kind), b.pol.GradeURL):
		reason = fmt.Sprintf("its heading has words the heading jobfam renders would lose; rename it %q to have it modelled", l.title+" "+canonicalPart(c.kind))
	}
	if reason == "" {
		pl, reason = d.findPartList(i, func(sc *chunk) bool { return sc.kind == kindOther }, false)
	}
	if reason != "" {
		b.warn(d, c.start, "%s of %q kept verbatim in a section: %s", c.kind, l.title, reason)
		return false
	}
	introEnd := pl.start
	if n := len(pl.before); n > 0 {
		if p, ok := pl.before[n-1].node.(*ast.Paragraph); ok {
			if name, canon, ok := parseExtends(d.plain(p), c.kind); ok {
				bl := pl.before[n-1]
				ext = extendsRef{name: name, canonical: canon, set: true, d: d, off: bl.start, raw: d.text(bl.start, bl.end)}
				introEnd = bl.start
			}
		}
	}
	*intro = d.text(c.bodyStart, introEnd)
	for _, j := range pl.sub {
		done[j] = true
	}
	items := d.listItems(pl.list, pl.end)
	if !ext.set && len(items) > 0 {
		if name, _, ok := parseExtends(items[0], c.kind); ok {
			ext = extendsRef{name: name, set: true, d: d, off: blockStart(pl.list.FirstChild()), raw: items[0], bullet: true}
			items = items[1:]
		}
	}
	*has = true
	*ref = ext
	if c.kind == kindResponsibilities {
		l.resp = items
	} else {
		l.req = items
	}
	want := l.title + " " + canonicalPart(c.kind)
	if c.text != want || c.depth != 3 {
		b.noteOnce(d, "part-heading-"+c.kind.String(), c.start, "%s heading %q: jobfam renders %q", c.kind, strings.Repeat("#", c.depth)+" "+c.text, "### "+want)
	}
	b.listNotes(d, pl.list, c.kind.String())
	return true
}

func canonicalPart(k kind) string {
	if k == kindResponsibilities {
		return "Responsibilities"
	}
	return "Requirements"
}

// firstStart returns where a chunk's first block starts, or its end.
func firstStart(c *chunk) int {
	if len(c.blocks) > 0 {
		return c.blocks[0].start
	}
	return c.end
}

// listNotes reports list layouts that jobfam renders differently.
func (b *builder) listNotes(d *doc, l *ast.List, what string) {
	off := blockStart(l)
	if !l.IsTight {
		b.noteOnce(d, "loose-"+what, off, "%s list has blank lines between its items: jobfam renders it without", what)
	}
	if l.IsOrdered() && what != "hiring process" {
		b.noteOnce(d, "ordered-"+what, off, "%s list is numbered: jobfam renders it with bullets", what)
	}
	if l.IsOrdered() && l.Start != 1 {
		b.noteOnce(d, "start-"+what, off, "%s list starts at %d: jobfam numbers it from 1", what, l.Start)
	}
}

// section keeps a chunk verbatim with the given body, and says so.
func (b *builder) section(d *doc, c *chunk, body, owner string) sectionOut {
	if c.heading == nil {
		b.warn(d, c.bodyStart, "text before the first heading kept verbatim in a section of the %s", owner)
	} else {
		b.warn(d, c.start, "heading %q kept verbatim in a section of the %s", c.text, owner)
	}
	return b.keep(d, c, body)
}

// keep keeps a chunk verbatim with the given body.
func (b *builder) keep(d *doc, c *chunk, body string) sectionOut {
	s := sectionOut{body: body, depth: c.depth}
	switch {
	case c.heading == nil:
	case c.depth < 2:
		// A level-1 heading has no depth in the format: it is kept as
		// written, at the head of its body.
		s.body = strings.TrimRight(string(d.md[c.start:c.bodyStart]), "\n")
		if body != "" {
			s.body += "\n\n" + body
		}
	default:
		s.heading, s.hasHeading = c.text, true
	}
	return s
}
