package check_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// The documentation is kept honest by running its examples through the
// same pipeline as jobfam validate (embedded schema, family.Load,
// check.Run), so that what docs/rules.md and docs/format.md show is what
// jobfam prints. The example format is described for writers at the top of
// docs/rules.md:
//
//   - A line "<!-- example: fail -->" or "<!-- example: pass -->" (either
//     may add ", with RULE on" for a rule that is off by default) starts an
//     example. It runs to the next such line, the next heading or the end
//     of the file.
//   - Each ```cue block in it is one family file. Its first line is a
//     comment naming the file: "// families/finance/example.cue". The file
//     is written with that path, comment included, so line numbers in the
//     output match the block as shown.
//   - At most one ```text block holds the expected output, one finding per
//     line. A failing example must have one; a passing example has none,
//     or an empty one, and must produce no findings.
//
// Beyond the examples, rules.md must have one "## <id>" section per rule of
// check.Rules(), in that order, since the rules' help links point at them;
// no ```cue block outside an example; and no quoted finding that no example
// produces. Every ```cue block of format.md outside an example is quoted
// from schema/*.cue.

// exampleMarker matches the line that starts an example. A rule that is
// off by default is shown with ", with RULE on": the example then runs
// with the policy setting that rule's severity to "warning".
var exampleMarker = regexp.MustCompile(`^<!-- example: (fail|pass)(?:, with ([a-z-]+) on)? -->$`)

// findingLine matches a line of text output: "path:line:col: message [rule]".
var findingLine = regexp.MustCompile(`^\S+:\d+:\d+: .* \[[a-z-]+\]$`)

const (
	rulesDoc  = "../../docs/rules.md"
	formatDoc = "../../docs/format.md"
)

// example is one checked example of a documentation file.
type example struct {
	line    int    // of the marker, for messages
	section string // the "## " heading it is under, or ""
	fail    bool
	files   []exampleFile
	want    []string // expected findings; nil for none
	hasWant bool     // a ```text block was present
	enable  string   // a rule the example's policy sets to "warning"
}

type exampleFile struct {
	path    string // slash-separated, under the example's root
	content string
}

// docFile is a parsed documentation file.
type docFile struct {
	examples []*example
	// sections are the "## " headings, in order.
	sections []string
	// loose are the ```cue and ```text blocks outside any example.
	loose []looseBlock
}

// looseBlock is a ```cue or ```text block that is not part of an example.
type looseBlock struct {
	line int
	lang string
	text string
}

// parseDoc reads a Markdown file and collects its examples. Mistakes in the
// example format are test errors, reported with the line they are on.
func parseDoc(t *testing.T, name string) *docFile {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc := &docFile{}
	var (
		cur     *example // the open example, if any
		section string
		fence   string // language of the open fenced block, "" when none
		fenceAt int
		body    []string
	)
	closeExample := func() {
		if cur == nil {
			return
		}
		if len(cur.files) == 0 {
			t.Errorf("%s:%d: example has no ```cue block", name, cur.line)
		}
		if cur.fail && len(cur.want) == 0 {
			t.Errorf("%s:%d: failing example has no findings in a ```text block", name, cur.line)
		}
		if !cur.fail && len(cur.want) > 0 {
			t.Errorf("%s:%d: passing example shows findings", name, cur.line)
		}
		doc.examples = append(doc.examples, cur)
		cur = nil
	}
	for i, line := range strings.Split(string(src), "\n") {
		n := i + 1
		if fence != "" {
			if line != "```" {
				body = append(body, line)
				continue
			}
			// The block ends.
			switch {
			case cur != nil && fence == "cue":
				f, err := parseExampleFile(body)
				if err != nil {
					t.Errorf("%s:%d: %v", name, fenceAt, err)
				} else if slices.ContainsFunc(cur.files, func(g exampleFile) bool { return g.path == f.path }) {
					t.Errorf("%s:%d: file %s appears twice in one example", name, fenceAt, f.path)
				} else {
					cur.files = append(cur.files, f)
				}
			case cur != nil && fence == "text":
				if cur.hasWant {
					t.Errorf("%s:%d: example has a second ```text block", name, fenceAt)
				}
				cur.hasWant = true
				for _, l := range body {
					if strings.TrimSpace(l) != "" {
						cur.want = append(cur.want, l)
					}
				}
			case cur != nil:
				t.Errorf("%s:%d: ```%s block in an example: only ```cue and ```text blocks are allowed", name, fenceAt, fence)
			case fence == "cue" || fence == "text":
				doc.loose = append(doc.loose, looseBlock{line: fenceAt, lang: fence, text: strings.Join(body, "\n") + "\n"})
			}
			fence, body = "", nil
			continue
		}
		switch {
		case strings.HasPrefix(line, "```"):
			fence, fenceAt = strings.TrimSpace(strings.TrimPrefix(line, "```")), n
			if fence == "" {
				fence = "plain"
			}
		case strings.HasPrefix(line, "#"):
			closeExample()
			if h, ok := strings.CutPrefix(line, "## "); ok {
				section = strings.TrimSpace(h)
				doc.sections = append(doc.sections, section)
			}
		case exampleMarker.MatchString(line):
			closeExample()
			m := exampleMarker.FindStringSubmatch(line)
			cur = &example{line: n, section: section, fail: m[1] == "fail", enable: m[2]}
		case strings.HasPrefix(line, "<!-- example"):
			t.Errorf("%s:%d: malformed example marker %q: write <!-- example: fail --> or <!-- example: pass -->", name, n, line)
		}
	}
	if fence != "" {
		t.Errorf("%s:%d: ```%s block is not closed", name, fenceAt, fence)
	}
	closeExample()
	return doc
}

// parseExampleFile reads a ```cue block whose first line names the file.
func parseExampleFile(lines []string) (exampleFile, error) {
	if len(lines) == 0 {
		return exampleFile{}, fmt.Errorf("```cue block is empty")
	}
	p, ok := strings.CutPrefix(lines[0], "// ")
	p = strings.TrimSpace(p)
	if !ok || !strings.HasPrefix(p, "families/") || !strings.HasSuffix(p, ".cue") || !filepath.IsLocal(p) || strings.Contains(p, `\`) {
		return exampleFile{}, fmt.Errorf("```cue block must start with a comment naming its file, like %q; got %q", "// families/finance/example.cue", lines[0])
	}
	return exampleFile{path: p, content: strings.Join(lines, "\n") + "\n"}, nil
}

// runExample writes the example's files into a fresh folder and validates
// them as jobfam validate does, returning the findings as printed by the
// text format, with paths relative to that folder.
func runExample(t *testing.T, s *family.Schema, ex *example) []string {
	t.Helper()
	root := t.TempDir()
	for _, f := range ex.files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := family.Load(context.Background(), filepath.Join(root, "families"), s)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	policy := s.Policy
	if ex.enable != "" {
		policy.Rules = maps.Clone(policy.Rules)
		if policy.Rules == nil {
			policy.Rules = map[string]struct {
				Severity string `json:"severity"`
			}{}
		}
		policy.Rules[ex.enable] = struct {
			Severity string `json:"severity"`
		}{"warning"}
	}
	findings := append(res.Findings, check.Run(&check.Env{Policy: &policy, IDs: res.IDs}, res.Families)...)
	findings = diag.Sort(findings)
	var got []string
	for _, f := range findings {
		if rel, err := filepath.Rel(root, f.Pos.File); err == nil {
			f.Pos.File = filepath.ToSlash(rel)
		}
		got = append(got, f.String())
	}
	return got
}

func embeddedSchema(t *testing.T) *family.Schema {
	t.Helper()
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkExamples runs every example of doc and compares its output with
// the text shown. It returns, per example, the findings it produced.
func checkExamples(t *testing.T, name string, doc *docFile) map[*example][]string {
	t.Helper()
	s := embeddedSchema(t)
	out := map[*example][]string{}
	for _, ex := range doc.examples {
		kind := "pass"
		if ex.fail {
			kind = "fail"
		}
		t.Run(fmt.Sprintf("%s/line%d-%s", ex.section, ex.line, kind), func(t *testing.T) {
			got := runExample(t, s, ex)
			out[ex] = got
			if diff := cmp.Diff(ex.want, got); diff != "" {
				t.Errorf("%s:%d: findings differ from the ```text block (-want +got):\n%s", name, ex.line, diff)
			}
		})
	}
	return out
}

// TestDocsRules checks docs/rules.md: one section per rule, in the
// registry's order, each with a failing example that produces a finding of
// its rule and a passing example that produces none, and every example's
// output exactly as shown.
func TestDocsRules(t *testing.T) {
	doc := parseDoc(t, rulesDoc)

	var ids []string
	for _, r := range check.Rules() {
		ids = append(ids, r.ID)
	}
	for _, sec := range doc.sections {
		if check.Lookup(sec) == nil {
			t.Errorf("%s: section %q is not a rule: every \"## \" heading must be a rule id (%s)", rulesDoc, sec, strings.Join(ids, ", "))
		}
	}
	if diff := cmp.Diff(ids, doc.sections); diff != "" {
		t.Errorf("%s: sections differ from check.Rules(), which is also their order (-want +got):\n%s", rulesDoc, diff)
	}
	for _, b := range doc.loose {
		if b.lang == "cue" {
			t.Errorf("%s:%d: ```cue block outside an example: mark it with <!-- example: fail --> or <!-- example: pass --> so that it is checked", rulesDoc, b.line)
		}
	}
	for _, ex := range doc.examples {
		if ex.section == "" {
			t.Errorf("%s:%d: example before the first rule section", rulesDoc, ex.line)
		}
	}

	got := checkExamples(t, rulesDoc, doc)

	// A finding quoted outside the examples, such as the one the
	// introduction explains, must be one that an example produces.
	produced := map[string]bool{}
	for _, fs := range got {
		for _, f := range fs {
			produced[f] = true
		}
	}
	for _, b := range doc.loose {
		for _, l := range strings.Split(b.text, "\n") {
			if b.lang == "text" && findingLine.MatchString(l) && !produced[l] {
				t.Errorf("%s:%d: the finding %q is not produced by any example of the page: copy it from one", rulesDoc, b.line, l)
			}
		}
	}

	for _, id := range ids {
		var fails, passes int
		for _, ex := range doc.examples {
			if ex.section != id {
				continue
			}
			if !ex.fail {
				passes++
				continue
			}
			if slices.ContainsFunc(got[ex], func(f string) bool { return strings.HasSuffix(f, " ["+id+"]") }) {
				fails++
			} else {
				t.Errorf("%s:%d: failing example of %q produces no %q finding", rulesDoc, ex.line, id, id)
			}
		}
		if fails == 0 {
			t.Errorf("%s: rule %q has no failing example that produces a finding of its own", rulesDoc, id)
		}
		if passes == 0 {
			t.Errorf("%s: rule %q has no passing example", rulesDoc, id)
		}
	}
}

// TestDocsFormat checks docs/format.md: its examples are families that
// jobfam accepts, and every other ```cue block is quoted word for word from
// the schema, so that the page shows the policy that jobfam applies.
func TestDocsFormat(t *testing.T) {
	doc := parseDoc(t, formatDoc)
	if len(doc.examples) == 0 {
		t.Errorf("%s has no examples", formatDoc)
	}
	for _, ex := range doc.examples {
		if ex.fail {
			t.Errorf("%s:%d: failing example: this page shows valid families only", formatDoc, ex.line)
		}
	}
	names, err := filepath.Glob("../../schema/*.cue")
	if err != nil || len(names) == 0 {
		t.Fatalf("no schema files: %v", err)
	}
	var schema strings.Builder
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		schema.Write(src)
	}
	for _, b := range doc.loose {
		if b.lang == "cue" && !strings.Contains(schema.String(), b.text) {
			t.Errorf("%s:%d: ```cue block is neither an example nor a part of schema/*.cue copied word for word:\n%s", formatDoc, b.line, b.text)
		}
	}
	checkExamples(t, formatDoc, doc)
}
