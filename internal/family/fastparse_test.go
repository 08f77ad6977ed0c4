package family

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cuelang.org/go/cue/parser"
	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

// parsed is what reading a file gives the loader: the tree, the fields set
// twice and the suppressions.
type parsed struct {
	Root     *Node
	Repeated []string
	Sups     []Suppression
}

// slowParse reads src through CUE's parser and fileNode, as the loader
// does when fastParse is not sure. ok is false when src is not plain data.
func slowParse(src string) (parsed, bool) {
	f, err := parser.ParseFile("x/y.cue", src, parser.ParseComments)
	if err != nil {
		return parsed{}, false
	}
	b := builder{file: "x/y.cue"}
	root := b.fileNode(f)
	if len(b.findings) > 0 {
		return parsed{}, false
	}
	return parsed{root, messages(b.repeated), b.suppressions(f)}, true
}

func quickParse(src string) (parsed, bool) {
	b := builder{file: "x/y.cue"}
	root, sups, ok := b.fastParse(src)
	return parsed{root, messages(b.repeated), sups}, ok
}

func messages(fs []diag.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

// sameParse checks that fastParse, where it reads src, reads it as CUE's
// parser and fileNode do, and that it reads what is plain data and
// written the usual way (want).
func sameParse(t *testing.T, name, src string, want bool) {
	t.Helper()
	fast, ok := quickParse(src)
	slow, plain := slowParse(src)
	if ok && !plain {
		t.Errorf("%s: fastParse reads what CUE does not accept as data:\n%s", name, src)
		return
	}
	// cmp.Diff takes time exponential in the depth of nested one-item
	// lists, so it only explains a difference DeepEqual finds.
	if ok && !reflect.DeepEqual(slow, fast) {
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Errorf("%s: fastParse differs from CUE's parser (-cue +fast):\n%s", name, diff)
		}
	}
	if ok != want {
		t.Errorf("%s: fastParse ok = %v, want %v", name, ok, want)
	}
}

func TestFastParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
	}{
		{"empty", "", true},
		{"comments only", "// a\n\n// b", true},
		{"fields", "title: \"T\"\ndescription: \"D\"\n", true},
		{"commas", "a: 1, b: 2,\nc: 3", true},
		{"no separator", "a: 1 b: 2", false},
		{"chained labels", "levels: senior: grade: 7\nlevels: senior: title: \"S\"", true},
		{"quoted labels", "levels: \"senior-manager\": {grade: 8}\n\"a\": \"b\": true", true},
		{"struct on lines", "a: {\n\tb: 1\n\tc: [\n\t\t\"x\",\n\t\t\"y\"\n\t]\n}\n", true},
		{"list without commas", "a: [\n\t\"x\"\n\t\"y\"\n]", true},
		{"trailing commas", "a: [1, 2, ]\nb: {c: 1, }", true},
		{"empty containers", "a: []\nb: {}", true},
		{"numbers", "a: 0\nb: -7\nc: 9223372036854775807", true},
		{"number too large", "a: 9223372036854775808", false},
		{"hex", "a: 0x10", false},
		{"float", "a: 7.5", false},
		{"leading zero", "a: 07", false},
		{"underscore", "a: 1_000", false},
		{"multiplier", "a: 1Ki", false},
		{"booleans and null", "a: true\nb: false\nc: null", true},
		{"escapes", `a: "tab\there \"q\" \u00e9 \\ \/"`, true},
		{"unicode", "a: \"héllo ✓\"\nb: \"x\" // é", true},
		{"replacement character", "a: \"x \uFFFD y\"\nb: \"\uFFFD\"", true},
		{"empty string", `a: ""`, true},
		{"tab and quote-free text", "a: \"x\ty\"", true},
		{"interpolation", `a: "\(b)"`, false},
		{"multi-line", "a: \"\"\"\n\tLine one\n\n\tLine \"two\"\n\t\"\"\"\nb: 1", true},
		{"multi-line unindented close", "a: \"\"\"\n\tx\n  \"\"\"", false},
		{"multi-line text after quotes", "a: \"\"\"x\n\t\"\"\"", false},
		{"raw string", `a: #"x"#`, false},
		{"bytes", `a: 'x'`, false},
		{"definition", "#a: 1", false},
		{"hidden", "_a: 1", false},
		{"optional", "a?: 1", false},
		{"required", "a!: 1", false},
		{"package", "package x\na: 1", false},
		{"keyword label", "if: 1", false},
		{"reference", "a: b", false},
		{"value on the next line", "a:\n\t1", false},
		{"carriage return", "a: 1\r\n", false},
		{"unterminated", `a: "x`, false},
		{"unclosed struct", "a: {b: 1", false},
		{"repeated", "a: 1\na: 2\nb: {c: 1}\nb: {d: 2}", true},
		{"suppressions", "// jobfam:ignore spelling it is a name\na: \"x\" // jobfam:ignore brackets reason\nb: [\n\t// jobfam:ignore x\n\t1,\n]", true},
		{"not a suppression", "//jobfam:ignorex\na: 1 // jobfam:ignore", true},
		{"comment in a string", `a: "// jobfam:ignore x"`, true},
		{"deep", "a: " + strings.Repeat("[", 31) + strings.Repeat("]", 31), true},
		{"too deep", "a: " + strings.Repeat("[", 33) + strings.Repeat("]", 33), false},
		{"deep labels", strings.Repeat("a: ", 32) + "1", true},
		{"too deep labels", strings.Repeat("a: ", 33) + "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameParse(t, tt.name, tt.src, tt.want) })
	}
}

// TestFastParseFamilies compares the two readers on the repository's
// families and on 200 generated ones of each shape: each must be read
// by fastParse, and read alike.
func TestFastParseFamilies(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("repository families: %v, %v", paths, err)
	}
	if !testing.Short() {
		for _, shape := range []string{"seed", "years"} {
			dir := t.TempDir()
			cmd := exec.Command("go", "run", "./scripts/genfamilies", "-shape", shape, "-n", "200", "-out", dir)
			cmd.Dir = filepath.Join("..", "..")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("genfamilies: %v\n%s", err, out)
			}
			more, _ := filepath.Glob(filepath.Join(dir, "*", "*.cue"))
			paths = append(paths, more...)
		}
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sameParse(t, p, string(src), true)
	}
}

// FuzzFastParse holds fastParse to its promise on any input: what it
// reads, CUE's parser reads as data, into the same tree.
func FuzzFastParse(f *testing.F) {
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
	f.Add("a: \"\"\"\n\tx \\\"\"\" y\n\t\"\"\"\n")
	f.Add("a: [1, -2, {b: \"c\"}] // jobfam:ignore r why\n")
	f.Fuzz(func(t *testing.T, src string) {
		fast, ok := quickParse(src)
		if !ok {
			return
		}
		slow, plain := slowParse(src)
		if !plain {
			t.Fatalf("fastParse reads what CUE does not accept as data:\n%q", src)
		}
		if reflect.DeepEqual(slow, fast) {
			return
		}
		if diff := cmp.Diff(slow, fast); diff != "" {
			t.Fatalf("fastParse differs from CUE's parser on %q (-cue +fast):\n%s", src, diff)
		}
	})
}
