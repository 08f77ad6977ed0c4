package importmd

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/jobfam/jobfam/internal/canon"
	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

// corpusDir is the corpus of real handbook pages, outside the repository:
// ../shared/corpus from the repository's root.
const corpusDir = "../../../shared/corpus/gitlab-handbook"

// unit is what one call of Import reads: a page, or a folder family.
type unit struct {
	name  string
	pages []Page
}

// corpus returns the corpus's pages as import units, grouped as importing
// the whole corpus folder groups them (PlanTree decides which folders are
// folder families), then, one page each, the files the tree import leaves
// alone (department index pages, pages in conflict, a file that is not a
// page): importing them by name imports them all the same. It skips the
// test when the corpus is absent. named counts the units of the second
// kind.
func corpus(tb testing.TB) (units []unit, named int) {
	tb.Helper()
	files := readTreeCorpus(tb)
	pl := PlanTree(files, policy(tb))
	planned := map[string]bool{}
	for _, u := range pl.Units {
		name := u.Paths[0]
		if u.Folder {
			name = path.Dir(name) + "/"
		}
		units = append(units, unit{name: name, pages: u.Pages})
		for _, p := range u.Paths {
			planned[p] = true
		}
	}
	for _, f := range files {
		if !planned[f.Path] {
			units = append(units, unit{name: f.Path, pages: []Page{{Path: f.Path, Src: f.Src}}})
			named++
		}
	}
	return units, named
}

func policy(tb testing.TB) *family.Policy {
	tb.Helper()
	s, err := family.LoadSchema("")
	if err != nil {
		tb.Fatal(err)
	}
	return &s.Policy
}

// TestCorpus imports every corpus page and logs, per page, whether it
// imported, whether every content word of the page is in the family's
// text, and whether the family validates structurally and fully. Run with
// -v to see the table.
func TestCorpus(t *testing.T) {
	units, named := corpus(t)
	t.Logf("%d files of the corpus, which the tree import leaves alone (department index pages, pages in conflict, files that are not pages), are measured as imported by name", named)
	schema, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	p := &schema.Policy
	famDir := t.TempDir()
	type row struct {
		page    string
		ok      bool
		missing []string
		id      string
		src     []byte
		// folder is set for the pages of a folder family, which render
		// as one page.
		folder bool
	}
	var rows []row
	ids := map[string]bool{}
	unitOf := map[string]string{}
	for _, u := range units {
		res, err := importSafely(u.pages, p)
		if err != nil {
			for _, pg := range u.pages {
				rows = append(rows, row{page: pg.Path})
			}
			t.Errorf("%s: import failed: %v", u.name, err)
			continue
		}
		id := res.ID
		for n := 2; ids[id]; n++ {
			id = fmt.Sprintf("%s-%d", res.ID, n)
		}
		ids[id] = true
		unitOf[id] = u.name
		file := filepath.Join(famDir, filepath.FromSlash(id)+".cue")
		if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, res.CUE, 0o666); err != nil {
			t.Fatal(err)
		}
		have, err := cueWords(res.CUE, p)
		if err != nil {
			t.Errorf("%s: generated CUE does not compile: %v", u.name, err)
		}
		if got, err := canon.Format(file, res.CUE, schema); err != nil {
			t.Errorf("%s: jobfam fmt cannot read the imported family: %v", u.name, err)
		} else if string(got) != string(res.CUE) {
			t.Errorf("%s: the imported family is not canonical: jobfam fmt changes it", u.name)
		}
		for _, pg := range u.pages {
			level := len(u.pages) > 1 && !IsIndex(pg.Path)
			rows = append(rows, row{page: pg.Path, ok: true, missing: missingWords(contentWords(pg.Src, level), have), id: id, src: pg.Src, folder: len(u.pages) > 1})
		}
	}

	structural, full, pages := validate(t, famDir, schema)
	// The multiset measure reads each family's pages together: a folder
	// family renders as one page.
	deficit := map[string][]string{}
	for _, u := range units {
		id := ""
		for _, r := range rows {
			if r.page == u.pages[0].Path {
				id = r.id
			}
		}
		if page, ok := pages[id]; ok {
			deficit[u.name] = lostOccurrences(u.pages, page)
		}
	}
	imported, kept, renderedKept, countKept, identical, single := 0, 0, 0, 0, 0, 0
	for _, r := range rows {
		if r.ok {
			imported++
		}
		if r.ok && len(r.missing) == 0 {
			kept++
		}
		rendered, inRendered, same := "no page", "", "n/a (folder family)"
		if page, ok := pages[r.id]; ok {
			rendered = "rendered"
			lost := missingWords(contentWords(r.src, r.folder && !IsIndex(r.page)), set(contentWords(page, false), regenerated(p)))
			if len(lost) == 0 {
				renderedKept++
				inRendered = "all words in the rendered page"
			} else {
				inRendered = fmt.Sprintf("%d words not in the rendered page: %s", len(lost), strings.Join(lost[:min(len(lost), 8)], " "))
			}
			short := pageDeficit(deficit[unitOf[r.id]], r.src, r.folder && !IsIndex(r.page))
			if len(short) == 0 {
				countKept++
				inRendered += ", every occurrence"
			} else {
				inRendered += fmt.Sprintf(", fewer occurrences of %d words: %s", len(short), strings.Join(short[:min(len(short), 8)], " "))
			}
			if !r.folder {
				single++
				same = "differs"
				if string(page) == string(normalised(r.src)) {
					same = "byte-identical"
					identical++
				}
			}
		}
		status := "imported"
		if !r.ok {
			status = "FAILED"
		}
		words := "all words kept"
		if len(r.missing) > 0 {
			words = fmt.Sprintf("missing %d words: %s", len(r.missing), strings.Join(r.missing[:min(len(r.missing), 8)], " "))
		}
		t.Logf("%-80s %s, %s, structural %s, validates %s, %s, %s, %s", r.page, status, words, yes(structural[r.id] == ""), yes(full[r.id]), rendered, inRendered, same)
		if s := structural[r.id]; s != "" && r.ok {
			t.Errorf("%s: family %s has structural findings: %s", r.page, r.id, s)
		}
	}
	nStruct, nFull := 0, 0
	for id := range ids {
		if structural[id] == "" {
			nStruct++
		}
		if full[id] {
			nFull++
		}
	}
	t.Logf("%d pages in %d families: %d imported (%.1f%%), %d keep every content word in the family (%.1f%%) and %d in the rendered page (%.1f%%), "+
		"%d every occurrence of every content word in the rendered page (%.1f%%); "+
		"%d families structurally valid (%.1f%%), %d validate fully (%.1f%%); %d of %d single pages byte-identical after render(import(page)) (%.1f%%)",
		len(rows), len(units), imported, pct(imported, len(rows)), kept, pct(kept, len(rows)), renderedKept, pct(renderedKept, len(rows)),
		countKept, pct(countKept, len(rows)),
		nStruct, pct(nStruct, len(ids)), nFull, pct(nFull, len(ids)), identical, single, pct(identical, single))
	if imported != len(rows) {
		t.Errorf("%d of %d pages failed to import; the target is none", len(rows)-imported, len(rows))
	}
	if kept != len(rows) || renderedKept != len(rows) {
		t.Errorf("%d and %d of %d pages keep every content word in the family and in the rendered page; the target is all", kept, renderedKept, len(rows))
	}
	if countKept != len(rows) {
		t.Errorf("%d of %d pages keep every occurrence of every content word in the rendered page; the target is all", countKept, len(rows))
	}
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// importSafely turns a panic into an error, so that one page cannot hide
// the results of the others.
func importSafely(pages []Page, p *family.Policy) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return Import(pages, p)
}

// structuralRules are the loader's rules: a family that breaks none of
// them is accepted structurally, whatever the policy's rules say.
var structuralRules = []string{family.RuleFile, family.RuleSyntax, family.RuleDataOnly, family.RuleSchema}

// validate loads the families of dir as jobfam validate does. It returns
// each family's structural findings, joined, which families have no
// finding at error severity at all, and each family's rendered page.
func validate(t *testing.T, dir string, s *family.Schema) (structural map[string]string, full map[string]bool, pages map[string][]byte) {
	t.Helper()
	res, err := family.Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	env := &check.Env{Policy: &s.Policy, IDs: res.IDs}
	findings := res.Findings
	for _, f := range res.Families {
		found, _ := check.Family(env, f)
		findings = append(findings, found...)
	}
	findings = append(findings, check.Repository(env, res.Headers)...)
	structural = map[string]string{}
	bad := map[string]bool{}
	for _, f := range findings {
		rel, err := filepath.Rel(dir, f.Pos.File)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.ToSlash(rel), ".cue")
		if f.Severity == diag.Error {
			bad[id] = true
		}
		if slices.Contains(structuralRules, f.Rule) {
			structural[id] += fmt.Sprintf("%s [%s]; ", f, f.Rule)
		}
	}
	full = map[string]bool{}
	for id := range res.IDs {
		full[id] = !bad[id]
	}
	pages = map[string][]byte{}
	site := render.NewSite(&s.Policy, res.Families)
	for _, f := range res.Families {
		pages[f.ID] = render.Page(f, site)
	}
	return structural, full, pages
}

// normalised is a page as the importer reads it: without a byte-order
// mark, with LF line endings.
func normalised(src []byte) []byte {
	d, err := parseDoc("page.md", src)
	if err != nil {
		return src
	}
	return d.src
}

// set returns the words of several lists as a set.
func set(lists ...[]string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range l {
			m[w] = true
		}
	}
	return m
}

// tokens returns the runs of letters and digits of s, lowercase.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// contentWords returns the words of a page: the text of its front matter's
// values and of its Markdown, link destinations, code, HTML and
// shortcodes, but not Markdown's punctuation such as list numbers. A
// folder family's level page's weight is left out: it is modelled as the
// level's position among the levels, not kept as a number.
func contentWords(src []byte, levelPage bool) []string {
	d, err := parseDoc("page.md", src)
	if err != nil {
		return nil
	}
	var out []string
	add := func(b []byte) { out = append(out, tokens(string(b))...) }
	add([]byte(d.fm.title))
	add([]byte(d.fm.description))
	for _, line := range strings.Split(d.fm.rest, "\n") {
		if levelPage && topKey(line) == "weight" {
			continue
		}
		add([]byte(line))
	}
	for _, u := range d.fm.unread {
		// Kept verbatim in frontMatter, key and all.
		out = append(out, tokens(u.key)...)
	}
	root := markdown.Parser().Parse(text.NewReader(d.md))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			add(n.Segment.Value(d.md))
		case *ast.String:
			add(n.Value)
		case *ast.Link:
			add(n.Destination)
			add(n.Title)
		case *ast.Image:
			add(n.Destination)
			add(n.Title)
		case *ast.AutoLink:
			add(n.URL(d.md))
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				add(seg.Value(d.md))
			}
		case *ast.FencedCodeBlock:
			if n.Info != nil {
				add(n.Info.Segment.Value(d.md))
			}
		}
		if n.Type() == ast.TypeBlock {
			switch n.Kind() {
			case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					add(seg.Value(d.md))
				}
			}
			if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
				seg := h.ClosureLine
				add(seg.Value(d.md))
			}
			if l, ok := n.(*ast.LinkReferenceDefinition); ok {
				add(l.Label)
				add(l.Destination)
				add(l.Title)
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// regenerated are the words jobfam writes itself when it renders a family:
// the front matter's keys, the headings of the parts and the grade and
// "Extends" sentences. A page's own copy of them is modelled, not kept.
func regenerated(p *family.Policy) []string {
	return append(tokens("title description Levels Performance Indicators Career Ladder Hiring Process Responsibilities Requirements The is a grade Extends the plus"), tokens(p.GradeURL)...)
}

// cueWords returns the words of every string and number of a family file,
// with the words jobfam regenerates.
func cueWords(src []byte, p *family.Policy) (map[string]bool, error) {
	v := cuecontext.New().CompileBytes(src)
	if err := v.Err(); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, w := range regenerated(p) {
		have[w] = true
	}
	var walk func(v cue.Value)
	walk = func(v cue.Value) {
		switch v.Kind() {
		case cue.StringKind:
			s, _ := v.String()
			for _, w := range tokens(s) {
				have[w] = true
			}
		case cue.IntKind:
			i, _ := v.Int64()
			have[fmt.Sprint(i)] = true
		case cue.StructKind:
			it, _ := v.Fields()
			for it.Next() {
				walk(it.Value())
			}
		case cue.ListKind:
			it, _ := v.List()
			for it.Next() {
				walk(it.Value())
			}
		}
	}
	walk(v)
	return have, nil
}

// lostOccurrences returns the words that occur fewer times in the page
// rendered from a family than in the pages it was imported from, once the
// occurrences in the boilerplate jobfam writes itself are allowed for;
// sorted, once each.
func lostOccurrences(pages []Page, rendered []byte) []string {
	want := map[string]int{}
	allowed := map[string]int{}
	for _, pg := range pages {
		level := len(pages) > 1 && !IsIndex(pg.Path)
		for _, w := range contentWords(pg.Src, level) {
			want[w]++
		}
		for w, n := range boilerplate(pg.Src, level) {
			allowed[w] += n
		}
	}
	have := map[string]int{}
	for _, w := range contentWords(rendered, false) {
		have[w]++
	}
	var out []string
	for w, n := range want {
		if n-allowed[w] > have[w] {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// pageDeficit returns the words of lost that occur on one page of a family.
func pageDeficit(lost []string, src []byte, levelPage bool) []string {
	on := set(contentWords(src, levelPage))
	var out []string
	for _, w := range lost {
		if on[w] {
			out = append(out, w)
		}
	}
	return out
}

// boilerplate counts the words of a page that jobfam writes itself, in its
// own words, once the page is imported: the front matter's keys, the
// headings over a level's grade, the grade sentences and the "Extends the
// ... plus:" sentences, but not the level names the sentences give, which
// must survive. A level page's description that a paragraph of the page
// repeats word for word counts too: the import keeps one of the two.
func boilerplate(src []byte, levelPage bool) map[string]int {
	d, err := parseDoc("page.md", src)
	if err != nil {
		return nil
	}
	out := map[string]int{}
	add := func(s string, n int) {
		for _, w := range tokens(s) {
			out[w] += n
		}
	}
	for _, line := range strings.Split(string(src[:d.base]), "\n") {
		add(topKey(line), 1)
	}
	root := markdown.Parser().Parse(text.NewReader(d.md))
	if levelPage && d.fm.hasDesc {
		for n := root.FirstChild(); n != nil; n = n.NextSibling() {
			if _, ok := n.(*ast.Paragraph); ok && slices.Equal(tokens(d.plain(n)), tokens(d.fm.description)) {
				add(d.fm.description, 1)
				break
			}
		}
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if k, _, _ := classify(d.plain(n)); k == kindGrade {
				add(d.plain(n), 1)
			}
		case *ast.Paragraph, *ast.TextBlock:
			t := d.plain(n)
			if g, ok := parseGrade(t); ok && g.whole {
				add(t, 1)
				add(g.name, -1)
			}
			for _, k := range []kind{kindResponsibilities, kindRequirements} {
				if name, _, ok := parseExtends(t, k); ok {
					add(t, 1)
					add(name, -1)
					break
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// missingWords returns the words of want that have lacks, sorted, once.
func missingWords(want []string, have map[string]bool) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range want {
		if !have[w] && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// BenchmarkImportCorpus imports every page of the corpus once per
// iteration.
func BenchmarkImportCorpus(b *testing.B) {
	units, _ := corpus(b)
	p := policy(b)
	pages, bytes := 0, 0
	for _, u := range units {
		pages += len(u.pages)
		for _, pg := range u.pages {
			bytes += len(pg.Src)
		}
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range units {
			if _, err := Import(u.pages, p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(pages), "pages/op")
}
