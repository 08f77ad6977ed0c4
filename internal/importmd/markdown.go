package importmd

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// doc is one page: its front matter and its Markdown as a list of chunks,
// one per top-level heading.
type doc struct {
	path string
	src  []byte
	fm   frontMatter
	// md is the Markdown after the front matter; every offset below is
	// into md, and base is where md starts in src.
	md   []byte
	base int
	// lineStarts are the offsets in src where lines start.
	lineStarts []int
	chunks     []*chunk
}

// block is one top-level block of the page. Its span runs from the start
// of its first line to the start of the next block, so that the bytes
// between two blocks, such as link reference definitions, belong to the
// block before them and are never lost.
type block struct {
	node       ast.Node
	start, end int
}

// chunk is a top-level heading and the blocks up to the next one; the
// first chunk of a page has no heading and holds the text before the
// first heading.
type chunk struct {
	heading *ast.Heading
	depth   int
	// text is the heading as written, on one line.
	text string
	// start is where the heading's line starts; bodyStart where its
	// body starts, end where the next chunk starts.
	start, bodyStart, end int
	blocks                []block
	kind                  kind
	// prefix is what precedes a part heading's keyword, such as "Senior
	// IT Program Manager" in "Senior IT Program Manager Responsibilities".
	prefix string
	// exact is set for a part heading that is only its keyword.
	exact bool
}

// markdown is the goldmark configuration of Hugo's default: CommonMark
// with GitHub's tables, strikethrough, autolinks and task lists.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList))

func newDoc(p string, src []byte) *doc {
	d := &doc{path: p, src: src}
	d.fm = splitFrontMatter(src)
	d.base = d.fm.end
	d.md = src[d.base:]
	d.lineStarts = append(d.lineStarts, 0)
	for i, c := range src {
		if c == '\n' {
			d.lineStarts = append(d.lineStarts, i+1)
		}
	}
	root := markdown.Parser().Parse(text.NewReader(d.md))
	d.chunks = d.split(root)
	return d
}

// split cuts the document into chunks at its top-level headings.
func (d *doc) split(root ast.Node) []*chunk {
	var blocks []block
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		s := blockStart(n)
		if s < 0 {
			continue
		}
		blocks = append(blocks, block{node: n, start: d.lineStart(s)})
	}
	// Blocks come in source order; a block whose start could not be told
	// apart from the one before it joins that one.
	sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].start < blocks[j].start })
	for i := range blocks {
		if i+1 < len(blocks) {
			blocks[i].end = blocks[i+1].start
		} else {
			blocks[i].end = len(d.md)
		}
	}
	cur := &chunk{}
	chunks := []*chunk{cur}
	for _, b := range blocks {
		h, ok := b.node.(*ast.Heading)
		if !ok {
			cur.blocks = append(cur.blocks, b)
			continue
		}
		cur.end = b.start
		cur = &chunk{heading: h, depth: h.Level, start: b.start, end: b.end}
		cur.text, cur.bodyStart = d.headingText(h, b)
		chunks = append(chunks, cur)
	}
	cur.end = len(d.md)
	if len(chunks[0].blocks) == 0 && len(chunks) > 1 && strings.TrimSpace(string(d.md[:chunks[1].start])) == "" {
		chunks = chunks[1:]
	}
	return chunks
}

// blockStart returns where a block starts, or -1 when neither it nor its
// descendants know.
func blockStart(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := blockStart(c); s >= 0 {
			return s
		}
	}
	return -1
}

// lineStart returns the start of the line of md holding offset off.
func (d *doc) lineStart(off int) int {
	if off > len(d.md) {
		off = len(d.md)
	}
	return bytes.LastIndexByte(d.md[:off], '\n') + 1
}

// lineEnd returns the offset of the newline ending the line holding off,
// or len(md).
func (d *doc) lineEnd(off int) int {
	if i := bytes.IndexByte(d.md[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(d.md)
}

// headingText returns a heading's text as written, joined onto one line,
// and where its body starts: after the heading's line, or after the
// underline of a setext heading.
func (d *doc) headingText(h *ast.Heading, b block) (string, int) {
	lines := h.Lines()
	var parts []string
	last := b.start
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		parts = append(parts, strings.TrimSpace(string(seg.Value(d.md))))
		last = seg.Start
	}
	end := d.lineEnd(last)
	if !isATX(d.md[b.start:]) && end < len(d.md) {
		end = d.lineEnd(end + 1)
	}
	if end < len(d.md) {
		end++
	}
	if end > b.end {
		end = b.end
	}
	return strings.Join(parts, " "), end
}

// isATX reports whether a heading's line starts with "#" after at most
// three spaces.
func isATX(line []byte) bool {
	t := bytes.TrimLeft(line, " ")
	return len(line)-len(t) <= 3 && len(t) > 0 && t[0] == '#'
}

// pos returns the line and column of an offset into md.
func (d *doc) pos(off int) (line, col int) {
	abs := d.base + off
	i := sort.Search(len(d.lineStarts), func(i int) bool { return d.lineStarts[i] > abs }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, abs - d.lineStarts[i] + 1
}

// text returns md between two offsets with the blank space at both ends
// removed; a first line's indentation is kept, since it can matter.
func (d *doc) text(start, end int) string {
	s := string(d.md[start:end])
	s = strings.TrimRight(s, " \t\n")
	for {
		nl := strings.IndexByte(s, '\n')
		if nl < 0 || strings.TrimSpace(s[:nl]) != "" {
			break
		}
		s = s[nl+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// body returns a chunk's body text, verbatim.
func (d *doc) body(c *chunk) string {
	return d.text(c.bodyStart, c.end)
}

// blocksText returns the text of a run of blocks, verbatim, or of several
// runs joined by a blank line when blocks were taken out between them.
func (d *doc) blocksText(c *chunk, keep func(i int) bool) string {
	var parts []string
	start := -1
	for i, b := range c.blocks {
		if keep(i) {
			if start < 0 {
				start = b.start
				if i == 0 {
					start = c.bodyStart
				}
			}
			continue
		}
		if start >= 0 {
			if t := d.text(start, b.start); t != "" {
				parts = append(parts, t)
			}
			start = -1
		}
	}
	if start >= 0 {
		if t := d.text(start, c.end); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// plain returns the text of a paragraph as written, its lines joined by
// newlines.
func (d *doc) plain(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if i > 0 {
			b.WriteByte('\n')
		}
		b.Write(seg.Value(d.md))
	}
	return strings.TrimSpace(b.String())
}

// listItems returns the text of each item of a list, without its marker,
// with continuation lines unindented by the item's content indentation, so
// that each item is Markdown on its own.
func (d *doc) listItems(l *ast.List, end int) []string {
	var items []string
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		itemEnd := end
		if next := it.NextSibling(); next != nil {
			if s := blockStart(next); s >= 0 {
				itemEnd = d.lineStart(s)
			}
		}
		first := it.FirstChild()
		if first == nil {
			items = append(items, "")
			continue
		}
		s := blockStart(first)
		if s < 0 || s > itemEnd {
			items = append(items, "")
			continue
		}
		indent := column(d.md[d.lineStart(s):s])
		raw := string(d.md[s:itemEnd])
		lines := strings.Split(raw, "\n")
		for i := 1; i < len(lines); i++ {
			lines[i] = unindent(lines[i], indent)
		}
		items = append(items, strings.TrimRight(strings.Join(lines, "\n"), " \t\n"))
	}
	return items
}

// column returns the width of a line's prefix, with tab stops every four
// columns as in CommonMark.
func column(prefix []byte) int {
	w := 0
	for _, c := range prefix {
		if c == '\t' {
			w += 4 - w%4
		} else {
			w++
		}
	}
	return w
}

// unindent removes up to n columns of leading spaces and tabs from line.
func unindent(line string, n int) string {
	w := 0
	for i, c := range line {
		if w >= n {
			return line[i:]
		}
		switch c {
		case ' ':
			w++
		case '\t':
			nw := w + 4 - w%4
			if nw > n {
				// A tab that reaches past the indentation leaves the
				// rest of its width as spaces.
				return strings.Repeat(" ", nw-n) + line[i+1:]
			}
			w = nw
		default:
			return line[i:]
		}
	}
	return ""
}

// partList is the list a part's heading introduces and what stands before
// it.
type partList struct {
	list *ast.List
	// start and end are the list's span; runEnd is where the part's text
	// ends, after the list and anything the part allows after it.
	start, end, runEnd int
	// before are the blocks between the heading and the list; the
	// headings of sub-chunks count as blocks.
	before []block
	// sub are the chunks after the heading's own that the part takes: its
	// sub-headings up to the one over the list.
	sub []int
}

// findPartList finds the list of the part headed by chunk i: the first
// list of its text or, when that text has no list, of the first
// sub-heading of it that has one. take says which sub-headings may belong
// to the part. Unless trailing is set, the list must be the last block of
// the part. why says why there is no such list.
func (d *doc) findPartList(i int, take func(*chunk) bool, trailing bool) (pl partList, why string) {
	cs := d.chunks
	c := cs[i]
	run := []int{i}
	if !hasList(c) {
		for j := i + 1; j < len(cs) && cs[j].depth > c.depth && take(cs[j]); j++ {
			run = append(run, j)
			if hasList(cs[j]) {
				break
			}
		}
	}
	last := cs[run[len(run)-1]]
	if !hasList(last) {
		return pl, "it has no list"
	}
	var before []block
	for k, j := range run {
		if k > 0 {
			before = append(before, block{node: cs[j].heading, start: cs[j].start, end: cs[j].bodyStart})
		}
		for n, bl := range cs[j].blocks {
			l, ok := bl.node.(*ast.List)
			if !ok {
				before = append(before, bl)
				continue
			}
			if !trailing && n != len(cs[j].blocks)-1 {
				return pl, "its text is not one list"
			}
			return partList{list: l, start: bl.start, end: bl.end, runEnd: cs[j].end, before: before, sub: run[1:]}, ""
		}
	}
	return pl, "it has no list"
}

// hasList reports whether a chunk's text has a list.
func hasList(c *chunk) bool {
	for _, bl := range c.blocks {
		if _, ok := bl.node.(*ast.List); ok {
			return true
		}
	}
	return false
}
