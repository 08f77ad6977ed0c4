package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue/parser"
	"github.com/google/go-cmp/cmp"
)

// tiny is a small family with what the edits must leave alone or not
// break: escapes, an interpolation, a label in quotes, quotes in comments,
// multi-line and raw strings, and non-ASCII text.
const tiny = `// A "tiny" family: quotes in a comment, "one unpaired
title: "Tiny \"family\" caf\u00e9 \\ end\\"
x: 2
description: "Teh \(x) years, naïve \t tab \U0001F600 \/"
levels: {
	"senior-manager": {
		title: "Senior Manager" // a "comment" after
		grade: 9
		responsibilities: [
			"Leads \"the\" team.",
			"Ends with a backslash \\",
		]
	}
}
notes: """
	Multi "line" text
	"""
raw: #"raw "quoted" \d"#
`

// tree returns the files under dir, by slash path relative to dir.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// setup writes a SRC folder "fams" with the repo's IT PMO family and tiny,
// and returns the temp root and the SRC folder.
func setup(t *testing.T) (root, src string) {
	t.Helper()
	root = t.TempDir()
	src = filepath.Join(root, "fams")
	pmo, err := os.ReadFile("../../families/finance/it-program-management-office.cue")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"finance/it-program-management-office.cue": string(pmo),
		"tiny.cue":  tiny,
		"README.md": "not a family\n",
		"empty.cue": "// no strings here\nx: 1\n",
	} {
		path := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, src
}

// runOK runs the command and fails the test unless it exits 0.
func runOK(t *testing.T, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := run(args, &stderr); code != 0 {
		t.Fatalf("run %q: exit %d, stderr:\n%s", args, code, stderr.String())
	}
}

func TestDeterministic(t *testing.T) {
	root, src := setup(t)
	runOK(t, "-out", filepath.Join(root, "a"), "-seed", "7", src)
	runOK(t, "-out", filepath.Join(root, "b"), "-seed", "7", src)
	runOK(t, "-out", filepath.Join(root, "c"), "-seed", "8", src)
	a, b, c := tree(t, filepath.Join(root, "a")), tree(t, filepath.Join(root, "b")), tree(t, filepath.Join(root, "c"))
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different output (-first +second):\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Error("seeds 7 and 8 wrote the same files")
	}
	want := []string{"fams/finance/it-program-management-office.cue", "fams/tiny.cue"}
	if diff := cmp.Diff(want, keys(a)); diff != "" {
		t.Errorf("files written (-want +got):\n%s", diff)
	}
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// TestValidCUE mutates the files with many seeds: every copy must parse,
// differ from its source, and keep what is not a string value unchanged.
func TestValidCUE(t *testing.T) {
	root, src := setup(t)
	orig := tree(t, src)
	for seed := range 200 {
		out := filepath.Join(root, fmt.Sprintf("out%d", seed))
		runOK(t, "-out", out, "-seed", fmt.Sprint(seed), src)
		for rel, data := range tree(t, out) {
			if _, err := parser.ParseFile(rel, data); err != nil {
				t.Fatalf("seed %d: %s does not parse: %v\n%s", seed, rel, err, data)
			}
			from := orig[strings.TrimPrefix(rel, "fams/")]
			if data == from {
				t.Errorf("seed %d: %s is unchanged", seed, rel)
			}
			if rel != "fams/tiny.cue" {
				continue
			}
			for _, keep := range []string{
				`// A "tiny" family: quotes in a comment, "one unpaired` + "\n",
				`"senior-manager": {`,
				`// a "comment" after`,
				"notes: \"\"\"\n\tMulti \"line\" text\n\t\"\"\"\n",
				`raw: #"raw "quoted" \d"#` + "\n",
				`\u00e9`, `\(x)`, `\U0001F600`, `\/`,
			} {
				if !strings.Contains(data, keep) {
					t.Errorf("seed %d: %s lost %q:\n%s", seed, rel, keep, data)
				}
			}
		}
	}
}

// TestPieces checks that each piece is valid inside a CUE string.
func TestPieces(t *testing.T) {
	for _, p := range pieces {
		if _, err := parser.ParseFile("piece.cue", "x: \""+p+"\"\n"); err != nil {
			t.Errorf("piece %q: %v", p, err)
		}
	}
}

func TestBoundaries(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []int
	}{
		{``, []int{0}},
		{`ab`, []int{0, 1, 2}},
		{`\"a`, []int{0, 2, 3}},
		{`\\\"`, []int{0, 2, 4}},
		{`é!`, []int{0, 2, 3}},
		{`\u00e9x`, []int{0, 6, 7}},
		{`\U0001F600`, []int{0, 10}},
		{`\x41\101`, []int{0, 4, 8}}, // only in byte strings, but whole all the same
		{`a\(f("x)"))b`, []int{0, 1, 11, 12}},
	} {
		if diff := cmp.Diff(tc.want, boundaries([]byte(tc.body))); diff != "" {
			t.Errorf("boundaries(%q) (-want +got):\n%s", tc.body, diff)
		}
	}
}

func TestLiterals(t *testing.T) {
	src := "import \"strings\"\nimport (\n\t\"list\"\n)\n#A: \"def\"\n\"lab\": \"val\" // \"c\"\nb?: 'byte'\nc: #\"raw\"#\nd: \"\"\"\n\tm\n\t\"\"\"\ne: \"x\\(\"y\")z\"\n"
	var got []string
	for _, l := range literals([]byte(src)) {
		got = append(got, src[l.start:l.end])
	}
	want := []string{"def", "val", `x\("y")z`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("literals (-want +got):\n%s", diff)
	}
}

// TestOnlyUnderOut checks that a run writes under OUT only and leaves the
// SRC folder as it was, also when OUT lies inside SRC.
func TestOnlyUnderOut(t *testing.T) {
	root, src := setup(t)
	before := tree(t, root)
	out := filepath.Join(src, "mut")
	runOK(t, "-out", out, src)
	after := tree(t, root)
	for rel := range after {
		if !strings.HasPrefix(rel, "fams/mut/") {
			if _, ok := before[rel]; !ok {
				t.Errorf("wrote %s outside OUT", rel)
			}
		}
	}
	for rel, data := range before {
		if after[rel] != data {
			t.Errorf("changed %s", rel)
		}
	}
	if got := keys(tree(t, out)); len(got) != 2 {
		t.Errorf("wrote %q, want the 2 families only", got)
	}
}

func TestErrors(t *testing.T) {
	root, src := setup(t)
	full := filepath.Join(root, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(root, "other", "fams")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "out")
	missing := filepath.Join(root, "missing")
	for _, tc := range []struct {
		args    []string
		code    int
		message string
	}{
		{[]string{src}, 2, "-out is required"},
		{[]string{"-out", out}, 2, "no SRC folder given"},
		{[]string{"-out", out, "-n", "-1", src}, 2, "-n must not be negative"},
		{[]string{"-out", out, "-bogus", src}, 2, "flag provided but not defined"},
		{[]string{"-out", out, missing}, 1, missing},
		{[]string{"-out", full, src}, 1, full + " is not empty"},
		{[]string{"-out", out, src, other}, 1, "same base name"},
	} {
		var stderr bytes.Buffer
		code := run(tc.args, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.message) {
			t.Errorf("run %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr.String(), tc.code, tc.message)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed run created OUT")
	}
}
