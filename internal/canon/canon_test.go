package canon

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"
	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

func embeddedSchema(t testing.TB) *family.Schema {
	t.Helper()
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// formatTests are written as a person might write a family, and as jobfam
// writes it back: the fields of every struct in the schema's order, with
// everything else as it was.
var formatTests = []struct {
	name string
	src  string
	want string // "" for src unchanged
}{
	{
		name: "family fields",
		src: `hiringProcess: {steps: ["A call."]}
sections: [{heading: "Travel"}]
intros: {performanceIndicators: "Each month:", levels: "Two levels."}
careerLadder: {next: []}
performanceIndicators: [{title: "Days to close"}]
levels: {}
frontMatter: "weight: 3"
description: "Keeps the books."
title: "Accounting"
`,
		want: `title:       "Accounting"
description: "Keeps the books."
frontMatter: "weight: 3"
levels: {}
performanceIndicators: [{title: "Days to close"}]
careerLadder: {next: []}
hiringProcess: {steps: ["A call."]}
intros: {levels: "Two levels.", performanceIndicators: "Each month:"}
sections: [{heading: "Travel"}]
`,
	},
	{
		name: "level fields",
		src: `levels: senior: {
	sections: [{heading: "Travel"}]
	requirements: ["Five years."]
	responsibilities: ["Closes the books."]
	intros: {requirements: "Any of:", responsibilities: "#### Monthly"}
	extends: {requirements: "junior", responsibilities: "junior"}
	intro: "Seniors lead."
	track: "management"
	grade: 7
	title: "Senior Accountant"
}
`,
		want: `levels: senior: {
	title: "Senior Accountant"
	grade: 7
	track: "management"
	intro: "Seniors lead."
	extends: {responsibilities: "junior", requirements: "junior"}
	intros: {responsibilities: "#### Monthly", requirements: "Any of:"}
	responsibilities: ["Closes the books."]
	requirements: ["Five years."]
	sections: [{heading: "Travel"}]
}
`,
	},
	{
		name: "list items and nested structs",
		src: `performanceIndicators: [
	{url: "https://example.com/a", title: "A"},
	{title: "B"},
	{url: "https://example.com/c"},
]
careerLadder: {text: "Onwards.", next: ["finance/controller"]}
hiringProcess: {outro: "Bye.", ordered: true, steps: ["A call."], intro: "Hello."}
sections: [{body: "Text.", before: "levels", depth: 3, heading: "About"}]
levels: senior: sections: [{before: "requirements", body: "Text.", heading: "Travel"}]
`,
		want: `levels: senior: sections: [{heading: "Travel", before: "requirements", body: "Text."}]
performanceIndicators: [
	{title: "A", url: "https://example.com/a"},
	{title: "B"},
	{url: "https://example.com/c"},
]
careerLadder: {next: ["finance/controller"], text: "Onwards."}
hiringProcess: {intro: "Hello.", steps: ["A call."], ordered: true, outro: "Bye."}
sections: [{heading: "About", depth: 3, before: "levels", body: "Text."}]
`,
	},
	{
		// The order of the levels is their seniority, and list items keep
		// their order: both are data.
		name: "levels and list items keep their order",
		src: `levels: {
	staff: {grade: 8, title: "Staff"}
	associate: {grade: 5, title: "Associate"}
	"senior-manager": {grade: 9, title: "Senior Manager"}
}
hiringProcess: steps: ["Third.", "First.", "Second."]
`,
		want: `levels: {
	staff: {title: "Staff", grade: 8}
	associate: {title: "Associate", grade: 5}
	"senior-manager": {title: "Senior Manager", grade: 9}
}
hiringProcess: steps: ["Third.", "First.", "Second."]
`,
	},
	{
		// Unknown fields are the validator's business; fmt keeps them, in
		// the order written, after the fields the schema knows.
		name: "unknown fields go last in their order",
		src: `zeta: 1
title: "Accounting"
alpha: {b: 1, a: 2}
levels: senior: {notes: "x", grade: 7, title: "Senior"}
description: "Keeps the books."
`,
		want: `title:       "Accounting"
description: "Keeps the books."
levels: senior: {title: "Senior", grade: 7, notes: "x"}
zeta: 1
alpha: {b: 1, a: 2}
`,
	},
	{
		name: "comments move with their fields",
		src: `// The Accounting job family.

// How the family is measured.
performanceIndicators: [{title: "Days to close"}] // one is enough

// The levels, most junior first.
levels: {
	senior: {
		// Grades come from the policy.
		grade: 7 // not 8
		// The job title.
		title: "Senior Accountant"
	}
}

// The page title.
title: "Accounting"
`,
		want: `// The Accounting job family.

// The page title.
title: "Accounting"

// The levels, most junior first.
levels: {
	senior: {
		// The job title.
		title: "Senior Accountant"
		// Grades come from the policy.
		grade: 7 // not 8
	}
}

// How the family is measured.
performanceIndicators: [{title: "Days to close"}] // one is enough
`,
	},
	{
		// A comment with blank lines around it goes with what follows it;
		// the ones that close a struct close it still.
		name: "comments that stand apart",
		src: `levels: senior: {
	grade: 7

	// About the title.

	title: "Senior Accountant"

	// The end of the level.
}
description: "Keeps the books."

// The end of the file.
`,
		want: `description: "Keeps the books."
levels: senior: {
	// About the title.

	title: "Senior Accountant"

	grade: 7

	// The end of the level.
}

// The end of the file.
`,
	},
	{
		name: "comments at the top of a struct stay there",
		src: `levels: senior: {
	// Seniors lead the close.

	// Grades come from the policy.
	grade: 7
	title: "Senior Accountant"
}
`,
		want: `levels: senior: {
	// Seniors lead the close.

	title: "Senior Accountant"
	// Grades come from the policy.
	grade: 7
}
`,
	},
	{
		name: "package clause and leading comment stay first",
		src: `// The Accounting job family.
package jobfam

// After the package clause.

description: "Keeps the books."
title:       "Accounting"
`,
		want: `// The Accounting job family.
package jobfam

// After the package clause.

title:       "Accounting"
description: "Keeps the books."
`,
	},
	{
		name: "quotes are kept",
		src:  "\"description\": \"Keeps the books.\"\n\"title\": \"Accounting\"\nlevels: {\"senior\": {\"grade\": 7}}\n",
		want: "\"title\":       \"Accounting\"\n\"description\": \"Keeps the books.\"\nlevels: {\"senior\": {\"grade\": 7}}\n",
	},
	{
		name: "multi-line strings",
		src: `levels: senior: {
	intro: """
		Seniors lead the close.

		They train others.
		"""
	title: "Senior"
}
`,
		want: `levels: senior: {
	title: "Senior"
	intro: """
		Seniors lead the close.

		They train others.
		"""
}
`,
	},
	{
		name: "byte-order mark and CRLF line endings",
		src:  "\uFEFFdescription: \"Keeps the books.\"\r\ntitle: \"Accounting\"\r\n",
		want: "title:       \"Accounting\"\ndescription: \"Keeps the books.\"\n",
	},
	{
		name: "layout of CUE's formatter",
		src:  "title:   \"Accounting\"\nlevels: {\n    senior: {title: \"Senior\",grade: 7}\n}\n\n\n\nhiringProcess: {}\n",
		want: "title: \"Accounting\"\nlevels: {\n\tsenior: {title: \"Senior\", grade: 7}\n}\n\nhiringProcess: {}\n",
	},
	{
		// An embedded value or a comprehension is not data: the struct
		// that holds it keeps its order. fmt is not validate.
		name: "not data",
		src: `levels: {
	grade: 7
	title: "Senior"
	{extra: 1}
}
description: "x" + "y"
title: strings.ToUpper("a")
`,
		want: `title:       strings.ToUpper("a")
description: "x" + "y"
levels: {
	grade: 7
	title: "Senior"
	{extra: 1}
}
`,
	},
	{
		name: "already canonical",
		src: `// The Accounting job family.

title:       "Accounting"
description: "Keeps the books."

levels: {
	senior: {
		title: "Senior Accountant"
		grade: 7
	}
}
`,
	},
	{name: "empty", src: ""},
	{name: "only a comment", src: "// Nothing yet.\n"},
}

func TestFormat(t *testing.T) {
	s := embeddedSchema(t)
	for _, tt := range formatTests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = tt.src
			}
			got, err := Format("x.cue", []byte(tt.src), s)
			if err != nil {
				t.Fatalf("Format: %v", err)
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
			again, err := Format("x.cue", got, s)
			if err != nil {
				t.Fatalf("Format of its own output: %v", err)
			}
			if diff := cmp.Diff(string(got), string(again)); diff != "" {
				t.Errorf("Format is not idempotent (-once +twice):\n%s", diff)
			}
			sameData(t, tt.src, string(got))
		})
	}
}

// sameData checks that CUE reads the same value from in and out, with the
// fields of every struct in the same order apart from those the schema
// orders: the levels and anything unknown keep theirs.
func sameData(t *testing.T, in, out string) {
	t.Helper()
	ctx := cuecontext.New()
	build := func(src string) cue.Value {
		f, err := parser.ParseFile("x.cue", strings.TrimPrefix(strings.ReplaceAll(src, "\r\n", "\n"), "\uFEFF"), parser.ParseComments)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		return ctx.BuildFile(f)
	}
	a, b := build(in), build(out)
	if a.Err() != nil || b.Err() != nil {
		// Not data (a reference, say): only both failing alike is checked.
		if (a.Err() == nil) != (b.Err() == nil) {
			t.Errorf("input builds with %v, output with %v", a.Err(), b.Err())
		}
		return
	}
	if !a.Equals(b) {
		t.Errorf("output holds other data than input:\n%v\n%v", a, b)
	}
	if diff := cmp.Diff(labels(a.LookupPath(cue.ParsePath("levels"))), labels(b.LookupPath(cue.ParsePath("levels")))); diff != "" {
		t.Errorf("level order changed (-in +out):\n%s", diff)
	}
}

func labels(v cue.Value) []string {
	it, err := v.Fields()
	if err != nil {
		return nil
	}
	var out []string
	for it.Next() {
		out = append(out, it.Selector().String())
	}
	return out
}

// TestFormatSchemaOrder checks that the order comes from the schema given,
// not from a list in jobfam: a schema that declares description before
// title puts it first.
func TestFormatSchemaOrder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"family.cue", "policy.cue"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "schema", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "family.cue" {
			title := "\t// title is the family's name, the page title in the handbook.\n\ttitle?: #Text\n"
			if !strings.Contains(string(src), title) {
				t.Fatalf("schema/family.cue no longer declares title as %q", title)
			}
			src = []byte(strings.Replace(string(src), title, "", 1) + "\n#Family: title?: #Text\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := family.LoadSchema(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := "title: \"Accounting\"\ndescription: \"Keeps the books.\"\nlevels: {}\n"
	want := "description: \"Keeps the books.\"\nlevels: {}\ntitle: \"Accounting\"\n"
	got, err := Format("x.cue", []byte(src), s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Format (-want +got):\n%s", diff)
	}
}

func TestFormatErrors(t *testing.T) {
	s := embeddedSchema(t)
	tests := []struct {
		name, src, want string
	}{
		{"unquoted text", "title: \"Accounting\"\ndescription: Keeps the books\n", "families/x.cue:2:20: missing ',' in struct literal"},
		{"unterminated string", "title: \"Accounting\n", "families/x.cue:1:8: string literal not terminated"},
		{"unclosed struct", "levels: {\n", "families/x.cue:1:11: expected '}', found 'EOF'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Format("families/x.cue", []byte(tt.src), s)
			if err == nil {
				t.Fatal("Format succeeded, want an error")
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Format("x.cue", []byte("title: \"x\"\n"), nil); err == nil {
		t.Error("Format without a schema succeeded, want an error")
	}
}

// TestRepositoryFamilies keeps the repository's own families canonical.
func TestRepositoryFamilies(t *testing.T) {
	s := embeddedSchema(t)
	for _, p := range repositoryFamilies(t) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Format(p, src, s)
		if err != nil {
			t.Fatalf("Format: %v", err)
		}
		if diff := cmp.Diff(string(src), string(got)); diff != "" {
			t.Errorf("%s is not canonical; run 'jobfam fmt' (-file +canonical):\n%s", p, diff)
		}
	}
}

func repositoryFamilies(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("repository families: %v, %v", paths, err)
	}
	return paths
}

// TestFormatConcurrent formats from several goroutines at once, against
// one schema: run it with -race.
func TestFormatConcurrent(t *testing.T) {
	s := embeddedSchema(t)
	var wg sync.WaitGroup
	for _, tt := range formatTests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := Format("x.cue", []byte(tt.src), s); err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
		}()
	}
	wg.Wait()
}

func TestDecimal(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2.", "2e0"},
		{"2.0", "2e0"},
		{"1.e3", "1e3"},
		{"1.0e3", "1e3"},
		{"1e3", "1e3"},
		{"0.5", "5e-1"},
		{"-1.50e3", "-15e2"},
		{"1000", "1e3"},
		{"0", "0"},
		{"0.000", "0"},
		{"1e99999999999999999999", ""},
	} {
		got, _ := decimal(tt.in)
		if got != tt.want {
			t.Errorf("decimal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
