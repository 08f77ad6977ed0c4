package family

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue/parser"
	"github.com/google/go-cmp/cmp"
)

// judge returns what the precheck and CUE say of src as a family under s:
// whether the precheck accepts it, and whether CUE's evaluation finds no
// error. ok is false when src is not plain data, which neither judges.
func judge(t testing.TB, s *Schema, src string) (pre, cue, ok bool) {
	t.Helper()
	f, err := parser.ParseFile("x/y.cue", src, parser.ParseComments)
	if err != nil {
		return false, false, false
	}
	b := builder{file: "x/y.cue"}
	root := b.fileNode(f)
	if len(b.findings) > 0 {
		return false, false, false
	}
	w := worker{schema: s}
	if err := w.ensure(); err != nil {
		t.Fatal(err)
	}
	return s.surelyValid(&b, root), w.def.Unify(w.ctx.BuildFile(f)).Validate() == nil, true
}

// TestPrecheck checks that the precheck accepts families that satisfy the
// schema, and is never sure of one that does not: CUE must then evaluate
// it and report why.
func TestPrecheck(t *testing.T) {
	s := embeddedSchema(t)
	level := func(body string) string { return "levels: senior: {" + body + "}\n" }
	tests := []struct {
		name, src string
		pre       bool
	}{
		{"empty", "", true},
		{"title", `title: "IT Program Manager"`, true},
		{"title with a line break", `title: "a\nb"`, false},
		{"title as a number", `title: 5`, false},
		{"title as null", `title: null`, false},
		{"title as bytes", `title: 'x'`, false},
		{"multi-line markdown", "description: \"\"\"\n\tA\n\tB\n\t\"\"\"", false},
		{"frontMatter multi-line", "frontMatter: \"\"\"\n\tweight: 3\n\tx: y\n\t\"\"\"", true},
		{"misspelt field", `titel: "x"`, false},
		{"grade in range", level("grade: 7"), true},
		{"lowest grade", level("grade: 4"), true},
		{"grade below range", level("grade: 3"), false},
		{"grade above range", level("grade: 16"), false},
		{"grade as float", level("grade: 7.0"), false},
		{"grade beyond int64", level("grade: 99999999999999999999"), false},
		{"negative grade", level("grade: -7"), false},
		{"grade in hex", level("grade: 0x7"), true},
		{"track", level(`track: "management"`), true},
		{"unknown track", level(`track: "executive"`), false},
		{"extends", level(`extends: {responsibilities: "intermediate", requirements: "intermediate"}`), true},
		{"extends a bad id", level(`extends: responsibilities: "Intermediate"`), false},
		{"bad level id", "levels: Senior: {}", false},
		{"level id with hyphens", "levels: \"senior-manager\": {}", true},
		{"unknown level field", level(`salary: 5`), false},
		{"bullets", level(`responsibilities: ["a", "b"], requirements: []`), true},
		{"bullet as a number", level(`responsibilities: ["a", 5]`), false},
		{"bullets as a string", level(`responsibilities: "a"`), false},
		{"level section before", level(`sections: [{heading: "h", depth: 4, before: "requirements", body: "b"}]`), true},
		{"level section before a family part", level(`sections: [{before: "levels"}]`), false},
		{"family section before", `sections: [{heading: "h", before: "careerLadder"}]`, true},
		{"section depth too deep", `sections: [{depth: 7}]`, false},
		{"section with an unknown field", `sections: [{title: "x"}]`, false},
		{"alias", `aliases: ["/job-families/x/"]`, true},
		{"alias without a slash", `aliases: ["job-families/x/"]`, false},
		{"indicator url", `performanceIndicators: [{title: "t", url: "https://x.example/a"}]`, true},
		{"indicator url not http", `performanceIndicators: [{url: "ftp://x.example/a"}]`, false},
		{"ladder", `careerLadder: {next: ["finance/x", "https://x.example/"], text: "t"}`, true},
		{"ladder entry a number", `careerLadder: next: [1]`, false},
		{"hiring", `hiringProcess: {intro: "i", steps: ["a"], ordered: true, outro: "o"}`, true},
		{"hiring ordered as text", `hiringProcess: ordered: "yes"`, false},
		{"intros", `intros: {levels: "l", performanceIndicators: "p"}`, true},
		{"unknown intro", `intros: hiringProcess: "h"`, false},
		{"levels as a list", `levels: []`, false},
		{"level as a string", `levels: senior: "x"`, false},
		{"structs merged", "levels: senior: grade: 7\nlevels: senior: title: \"S\"", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre, cue, ok := judge(t, s, tt.src)
			if !ok {
				t.Fatalf("%q is not plain data", tt.src)
			}
			if pre != tt.pre {
				t.Errorf("precheck accepts = %v, want %v", pre, tt.pre)
			}
			if pre && !cue {
				t.Errorf("the precheck accepts what CUE rejects")
			}
			if !pre && tt.pre == false && cue && !strings.Contains(tt.name, "multi-line") && !strings.Contains(tt.name, "bytes") {
				t.Errorf("case meant to break the schema, but CUE accepts it")
			}
		})
	}
}

// TestPrecheckSchemas checks the precheck against schemas an organisation
// might write: constraints it reads, and constructs that turn it off
// where they apply or entirely.
func TestPrecheckSchemas(t *testing.T) {
	const policy = `package jobfam
policy: {
	grades: {min: 1, max: 9}
	gradeURL: "https://x.example/grades"
	handbookBase: "https://x.example/job-families/"
	tracks: ["ic", "mgmt"]
	defaultTrack: "ic"
	required: {family: [], level: []}
	rules: {}
	spelling: {}
	inclusiveLanguage: []
	approvals: {}
}
`
	tests := []struct {
		name   string
		schema string
		off    string
		cases  map[string]bool // family source: whether the precheck accepts it
	}{
		{
			name: "bounds, disjunctions and patterns",
			schema: `#Family: {
	title?: string & !="" & =~"^[A-Z]"
	levels?: [=~"^[a-z]+$"]: {
		grade?: int & >=-2 & <10 & !=5
		track?: "ic" | "mgmt"
		remote?: bool
		note?: null | string
	}
	tags?: [...("a" | "b")]
}`,
			cases: map[string]bool{
				`title: "Analyst"`:                   true,
				`title: "analyst"`:                   false,
				`title: ""`:                          false,
				"levels: a: grade: -2":               true,
				"levels: a: grade: -3":               false,
				"levels: a: grade: 9":                true,
				"levels: a: grade: 10":               false,
				"levels: a: grade: 5":                false,
				`levels: a: track: "mgmt"`:           true,
				`levels: a: track: "exec"`:           false,
				"levels: a: remote: true":            true,
				"levels: a: note: null":              true,
				`levels: a: note: "n"`:               true,
				"levels: a1: {}":                     false,
				`tags: ["a", "b", "a"]`:              true,
				`tags: ["c"]`:                        false,
				"levels: a: grade: 3\nlevels: b: {}": true,
				"levels: a: {}\nextra: 1":            false,
			},
		},
		{
			name: "a field and a pattern on the same name",
			schema: `#Family: {
	levels?: {
		[string]: {grade?: int & >=3}
		lead?: {grade?: int & <=5}
	}
}`,
			cases: map[string]bool{
				"levels: lead: grade: 4": true,
				"levels: lead: grade: 2": false,
				"levels: lead: grade: 6": false,
				"levels: x: grade: 9":    true,
			},
		},
		{
			name: "a default",
			schema: `#Family: {
	track?: *"ic" | "mgmt"
}`,
			cases: map[string]bool{
				// Final shows the default alone: the precheck leaves the
				// other value to CUE, which accepts it.
				`track: "ic"`:   true,
				`track: "mgmt"`: false,
			},
		},
		{
			name: "a constraint the precheck does not read",
			schema: `#Family: {
	title?: string & >"b"
	description?: string
}`,
			cases: map[string]bool{
				`title: "c"`:         false,
				`description: "abc"`: true,
			},
		},
		{
			name:   "a validator",
			schema: `#Family: {title?: string & len(title) > 2}`,
			off:    "a function call",
		},
		{
			name:   "an open list with items of its own",
			schema: `#Family: {tags?: [string, ...string]}`,
			cases:  map[string]bool{`tags: ["a"]`: false},
		},
		{
			name: "a comprehension",
			schema: `#Family: {
	grade?: int
	if grade != _|_ {title!: string}
}`,
			off: "a comprehension",
		},
		{
			name: "an import",
			schema: `import "strings"
#Family: {title?: strings.MinRunes(3)}`,
			off: "an import",
		},
		{
			name:   "a required field",
			schema: `#Family: {title!: string}`,
			off:    "a required field",
		},
		{
			name:   "an embedded value",
			schema: "#Base: {title?: string}\n#Family: {#Base, x?: int}",
			off:    "an embedded value",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"family.cue": "package jobfam\n" + tt.schema + "\n",
				"policy.cue": policy,
			})
			s, err := LoadSchema(dir)
			if err != nil {
				t.Fatal(err)
			}
			if s.pre.off != tt.off {
				t.Fatalf("precheck off = %q, want %q", s.pre.off, tt.off)
			}
			for src, want := range tt.cases {
				pre, cue, ok := judge(t, s, src)
				if !ok {
					t.Fatalf("%q is not plain data", src)
				}
				if pre != want {
					t.Errorf("%q: precheck accepts = %v, want %v", src, pre, want)
				}
				if pre && !cue {
					t.Errorf("%q: the precheck accepts what CUE rejects", src)
				}
			}
			if tt.off != "" {
				if pre, _, _ := judge(t, s, ""); pre {
					t.Errorf("an empty family is accepted with the precheck off")
				}
			}
		})
	}
}

// TestPrecheckSameFindings loads families that break the schema in many
// ways, and the repository's own, with the precheck and without it: the
// findings must be the same, and every valid family must pass the
// precheck (else it would save nothing).
func TestPrecheckSameFindings(t *testing.T) {
	seedPath := filepath.Join("..", "..", "families", "finance", "it-program-management-office.cue")
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	src := string(seed)
	edits := []struct{ old, new string }{
		{"grade: 7", "grade: 77"},
		{"grade: 7", "grade: 7.5"},
		{"grade: 7", `grade: "7"`},
		{`track: "management"`, `track: "manager"`},
		{"title:", "titel:"},
		{"responsibilities: [", "responsibilities: [1, "},
		{"requirements: [", "requirements: [null, "},
		{"careerLadder: {", "careerLadder: {next: 5, "},
		{"levels: {", "levels: {Bad_Level: {}, "},
		{`"IT Program Manager"`, `"IT Program\nManager"`},
		{"hiringProcess: {", "hiringProcess: {ordered: 1, "},
		{"title:", "title: 5\ntitle2:"},
	}
	files := map[string]string{"finance/valid.cue": src}
	applied := 0
	for i, e := range edits {
		if !strings.Contains(src, e.old) {
			continue
		}
		applied++
		files[fmt.Sprintf("finance/edit-%02d.cue", i)] = strings.Replace(src, e.old, e.new, 1)
	}
	if applied < len(edits)-2 {
		t.Fatalf("only %d of %d edits apply to the seed family: update the edits", applied, len(edits))
	}
	dir := t.TempDir()
	writeTree(t, dir, files)
	s := embeddedSchema(t)

	with := loadSchemaResult(t, dir, s)
	saved := s.pre
	s.pre = nil
	without := loadSchemaResult(t, dir, s)
	s.pre = saved
	if diff := cmp.Diff(without, with); diff != "" {
		t.Errorf("findings differ with the precheck (-without +with):\n%s", diff)
	}
	if len(with) < applied {
		t.Errorf("%d findings for %d broken families", len(with), applied)
	}

	repo, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(repo) == 0 {
		t.Fatalf("repository families: %v, %v", repo, err)
	}
	for _, p := range append(repo, seedPath) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if pre, cue, _ := judge(t, s, string(b)); !pre || !cue {
			t.Errorf("%s: precheck accepts = %v, CUE accepts = %v, want both", p, pre, cue)
		}
	}
}

func loadSchemaResult(t *testing.T, dir string, s *Schema) []string {
	t.Helper()
	res, err := Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range sorted(res.Findings) {
		out = append(out, f.String())
	}
	return slices.Clip(out)
}

// FuzzPrecheck holds the precheck to its promise on any input: whatever
// it accepts, CUE accepts.
func FuzzPrecheck(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("repository families: %v, %v", seeds, err)
	}
	for _, p := range seeds {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Add("levels: senior: {grade: 7, track: \"management\", extends: requirements: \"x\"}\n")
	f.Add("sections: [{heading: \"h\", depth: 2, before: \"levels\"}]\naliases: [\"/a/\"]\n")
	s := embeddedSchema(f)
	f.Fuzz(func(t *testing.T, src string) {
		if pre, cue, ok := judge(t, s, src); ok && pre && !cue {
			t.Errorf("the precheck accepts what CUE rejects:\n%s", src)
		}
	})
}
