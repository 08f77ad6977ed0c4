package family

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

// embedded is the schema embedded in the binary, loaded once for all tests.
var embeddedForTests = sync.OnceValues(func() (*Schema, error) { return LoadSchema("") })

func embeddedSchema(t testing.TB) *Schema {
	t.Helper()
	s, err := embeddedForTests()
	if err != nil {
		t.Fatalf("LoadSchema(\"\"): %v", err)
	}
	return s
}

// writeTree writes files, named by slash-separated paths relative to dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// load runs Load with the embedded schema and fails the test on an error.
func load(t testing.TB, dir string) *Result {
	t.Helper()
	res, err := Load(context.Background(), dir, embeddedSchema(t))
	if err != nil {
		t.Fatalf("Load(%q): %v", dir, err)
	}
	return res
}

func finding(rule, file string, line, col int, msg string) diag.Finding {
	return diag.Finding{Pos: diag.Pos{File: file, Line: line, Col: col}, Rule: rule, Severity: diag.Error, Message: msg}
}

// sorted returns the findings in the order printers show them.
func sorted(fs []diag.Finding) []diag.Finding { return diag.Sort(slices.Clone(fs)) }

func familyIDs(res *Result) []string {
	var ids []string
	for _, f := range res.Families {
		ids = append(ids, f.ID)
	}
	return ids
}

func idSet(ids ...string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

const (
	okFamily      = "title: \"OK\"\n"
	msgUTF8       = "family file is not valid UTF-8: save it with UTF-8 encoding"
	msgQuotesHint = `missing ',' in struct literal: put text in double quotes, like "Senior Manager", and names with hyphens too, like "senior-manager"`
	msgSymlink    = "family file is a symbolic link: links could point outside the repository, so copy the file instead"
	msgBadIDFmt   = `family id %q is not valid: name folders and files with lowercase letters, digits and hyphens, like "finance/it-program-management-office"`
)

func TestLoadFiles(t *testing.T) {
	tests := []struct {
		name string
		// files are written first; setup then adds what files cannot.
		files        map[string]string
		setup        func(t *testing.T, dir string)
		want         func(dir string) []diag.Finding
		wantFamilies []string
		wantIDs      []string
		// anyFamilies leaves Families unchecked: a file with an invalid id
		// is still checked and, today, still loaded (see the report).
		anyFamilies bool
	}{
		{
			name:  "symbolic link",
			files: map[string]string{"d/ok.cue": okFamily},
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("/etc/passwd", filepath.Join(dir, "d", "link.cue")); err != nil {
					t.Skipf("cannot create a symbolic link: %v", err)
				}
			},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "link.cue"), 1, 1, msgSymlink)}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/link"},
		},
		{
			name:  "symbolic link to a family in the same folder",
			files: map[string]string{"d/ok.cue": okFamily},
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("ok.cue", filepath.Join(dir, "d", "copy.cue")); err != nil {
					t.Skipf("cannot create a symbolic link: %v", err)
				}
			},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "copy.cue"), 1, 1, msgSymlink)}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/copy"},
		},
		{
			name:  "named pipe",
			files: map[string]string{"d/ok.cue": okFamily},
			setup: func(t *testing.T, dir string) {
				if err := syscall.Mkfifo(filepath.Join(dir, "d", "pipe.cue"), 0o644); err != nil {
					t.Skipf("cannot create a named pipe: %v", err)
				}
			},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "pipe.cue"), 1, 1,
					"family file is a named pipe, not a regular file: replace it with a plain file")}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/pipe"},
		},
		{
			name: "over the size limit",
			files: map[string]string{
				"d/ok.cue":  okFamily,
				"d/big.cue": "title: \"x\"\n" + strings.Repeat("/", MaxFileSize-10),
			},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "big.cue"), 1, 1,
					fmt.Sprintf("family file is %d bytes, more than the limit of %d: split the family or move long text out", MaxFileSize+1, MaxFileSize))}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/big"},
		},
		{
			name: "at the size limit",
			files: map[string]string{
				"d/limit.cue": "title: \"x\"\n" + strings.Repeat("/", MaxFileSize-12) + "\n",
			},
			want:         func(string) []diag.Finding { return nil },
			wantFamilies: []string{"d/limit"},
			wantIDs:      []string{"d/limit"},
		},
		{
			name: "invalid UTF-8",
			files: map[string]string{
				"d/ok":        "not a .cue file: ignored",
				"d/ok.cue":    okFamily,
				"d/latin.cue": "title: \"x\"\ndescription: \"caf\xe9 au lait\"\n",
			},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "latin.cue"), 2, 18, msgUTF8)}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/latin"},
		},
		{
			name:  "invalid UTF-8 after a byte-order mark, at the column an editor shows",
			files: map[string]string{"d/bom.cue": "\uFEFFtitle: \"\xff\"\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "bom.cue"), 1, 9, msgUTF8)}
			},
			wantIDs: []string{"d/bom"},
		},
		{
			name:  "invalid UTF-8 on a CRLF line",
			files: map[string]string{"d/crlf.cue": "title: \"x\"\r\n\xc3(: 1\r\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "crlf.cue"), 2, 1, msgUTF8)}
			},
			wantIDs: []string{"d/crlf"},
		},
		{
			name:  "uppercase family id",
			files: map[string]string{"Finance/it.cue": okFamily},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "Finance", "it.cue"), 1, 1, fmt.Sprintf(msgBadIDFmt, "Finance/it"))}
			},
			wantIDs:     []string{"Finance/it"},
			anyFamilies: true,
		},
		{
			name:  "family id with ..",
			files: map[string]string{"d/a..b.cue": okFamily},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d", "a..b.cue"), 1, 1, fmt.Sprintf(msgBadIDFmt, "d/a..b"))}
			},
			wantIDs:     []string{"d/a..b"},
			anyFamilies: true,
		},
		{
			name:  "family id with an underscore and a trailing hyphen",
			files: map[string]string{"d_e/f-.cue": okFamily},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d_e", "f-.cue"), 1, 1, fmt.Sprintf(msgBadIDFmt, "d_e/f-"))}
			},
			wantIDs:     []string{"d_e/f-"},
			anyFamilies: true,
		},
		{
			name:  "family file outside a department folder",
			files: map[string]string{"d/ok.cue": okFamily, "top.cue": okFamily},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "top.cue"), 1, 1,
					`family file is not in a department folder: move it to a folder named for its department, like "finance/top.cue"`)}
			},
			wantIDs:     []string{"d/ok", "top"},
			anyFamilies: true,
		},
		{
			name:  "syntax error",
			files: map[string]string{"d/ok.cue": okFamily, "d/syntax.cue": "title: \"x\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleSyntax, filepath.Join(dir, "d", "syntax.cue"), 1, 8, "string literal not terminated: this is not valid CUE")}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/syntax"},
		},
		{
			name:  "unquoted text: one syntax finding, with a hint",
			files: map[string]string{"d/words.cue": "title: IT Program Manager\ndescription: \"x\"\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleSyntax, filepath.Join(dir, "d", "words.cue"), 1, 11, msgQuotesHint)}
			},
			wantIDs: []string{"d/words"},
		},
		{
			name:  "unquoted level id with a hyphen",
			files: map[string]string{"d/hyphen.cue": "levels: {\n\tsenior-manager: {grade: 9}\n}\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleSyntax, filepath.Join(dir, "d", "hyphen.cue"), 2, 16, msgQuotesHint)}
			},
			wantIDs: []string{"d/hyphen"},
		},
		{
			name:  "data-only",
			files: map[string]string{"d/ok.cue": okFamily, "d/ref.cue": "title: \"x\"\ndescription: title\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleDataOnly, filepath.Join(dir, "d", "ref.cue"), 2, 14,
					`title is not in quotes: write "title" (text goes in double quotes, and a family cannot refer to other values)`)}
			},
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok", "d/ref"},
		},
		{
			name:  "byte-order mark stripped, positions as an editor shows them",
			files: map[string]string{"d/bom.cue": "\uFEFFtitle: x\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleDataOnly, filepath.Join(dir, "d", "bom.cue"), 1, 8,
					`x is not in quotes: write "x" (text goes in double quotes, and a family cannot refer to other values)`)}
			},
			wantIDs: []string{"d/bom"},
		},
		{
			name:         "byte-order mark on a valid family",
			files:        map[string]string{"d/bom.cue": "\uFEFFtitle: \"x\"\n"},
			want:         func(string) []diag.Finding { return nil },
			wantFamilies: []string{"d/bom"},
			wantIDs:      []string{"d/bom"},
		},
		{
			name:  "CRLF line endings, positions as an editor shows them",
			files: map[string]string{"d/crlf.cue": "title: \"x\"\r\n\r\ndescription: y\r\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleDataOnly, filepath.Join(dir, "d", "crlf.cue"), 3, 14,
					`y is not in quotes: write "y" (text goes in double quotes, and a family cannot refer to other values)`)}
			},
			wantIDs: []string{"d/crlf"},
		},
		{
			name:  "CRLF and a schema finding",
			files: map[string]string{"d/crlf.cue": "title: \"x\"\r\ntitel: \"y\"\r\n"},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, filepath.Join(dir, "d", "crlf.cue"), 2, 1, `unknown field "titel" in the family: did you mean "title"?`)}
			},
			wantFamilies: []string{"d/crlf"},
			wantIDs:      []string{"d/crlf"},
		},
		{
			name:         "empty file loads with no load findings",
			files:        map[string]string{"d/empty.cue": ""},
			want:         func(string) []diag.Finding { return nil },
			wantFamilies: []string{"d/empty"},
			wantIDs:      []string{"d/empty"},
		},
		{
			name: "dot files and dot folders are skipped, other files ignored",
			files: map[string]string{
				"d/ok.cue":         okFamily,
				"d/.hidden.cue":    "not: cue: [",
				".git/x.cue":       "not: cue: [",
				"d/.cache/y.cue":   "not: cue: [",
				"d/README.md":      "# not a family",
				"d/ok.cue.orig":    "not: cue: [",
				"d/notes.cue.json": "{}",
			},
			want:         func(string) []diag.Finding { return nil },
			wantFamilies: []string{"d/ok"},
			wantIDs:      []string{"d/ok"},
		},
		{
			name:  "a folder named like a family file is walked, not read",
			files: map[string]string{"d.cue/x.cue": okFamily},
			want: func(dir string) []diag.Finding {
				return []diag.Finding{finding(RuleFile, filepath.Join(dir, "d.cue", "x.cue"), 1, 1, fmt.Sprintf(msgBadIDFmt, "d.cue/x"))}
			},
			wantIDs:     []string{"d.cue/x"},
			anyFamilies: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			res := load(t, dir)
			if diff := cmp.Diff(tt.want(dir), sorted(res.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantFamilies, familyIDs(res)); diff != "" && !tt.anyFamilies {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(idSet(tt.wantIDs...), res.IDs); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadHostile loads the inputs the issue lists as hostile and checks
// that each gives a finding of the expected rule, promptly and without a
// panic. Positions inside CUE's own limits are CUE's business.
func TestLoadHostile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		rule string
	}{
		{name: "import", src: "import \"strings\"\ntitle: strings.ToUpper(\"x\")\n", rule: RuleDataOnly},
		{name: "@extern(embed)", src: "@extern(embed)\n\ntitle: _ @embed(file=\"passwd\")\n", rule: RuleDataOnly},
		{name: "reference", src: "title: description\ndescription: \"x\"\n", rule: RuleDataOnly},
		{name: "comprehension", src: "levels: {for l in [\"a\"] {(l): {grade: 5}}}\n", rule: RuleDataOnly},
		{name: "10 MB file", src: strings.Repeat("// filler\n", 1<<20), rule: RuleFile},
		{name: "100,000 nested brackets", src: "title: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", rule: RuleSyntax},
		{name: "100,000 nested braces", src: "title: " + strings.Repeat("{", 100_000) + strings.Repeat("}", 100_000) + "\n", rule: RuleSyntax},
		{name: "100,000 nested labels", src: strings.Repeat("a: ", 100_000) + "1\n", rule: RuleDataOnly},
		{name: "invalid UTF-8", src: "title: \"\xff\xfe\"\n", rule: RuleFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// The passwd beside the family is what @embed would read.
			writeTree(t, dir, map[string]string{"d/x.cue": tt.src, "d/passwd": "root:x:0:0"})
			res := load(t, dir)
			if len(res.Findings) == 0 {
				t.Fatalf("no findings, want at least one [%s]", tt.rule)
			}
			for _, f := range res.Findings {
				if f.Rule != tt.rule || f.Pos.File != filepath.Join(dir, "d", "x.cue") || f.Pos.Line < 1 || f.Message == "" {
					t.Errorf("finding %v, want rule %q in d/x.cue at a line", f, tt.rule)
				}
			}
			if len(res.Families) != 0 {
				t.Errorf("families %v, want none", familyIDs(res))
			}
		})
	}
}

func TestLoadFolderErrors(t *testing.T) {
	s := embeddedSchema(t)
	ctx := context.Background()

	t.Run("empty folder", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Load(ctx, dir, s)
		if !errors.Is(err, ErrNoFamilies) {
			t.Errorf("Load(empty folder) error = %v, want ErrNoFamilies", err)
		}
	})
	t.Run("folder with only skipped files", func(t *testing.T) {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{".git/x.cue": okFamily, "d/.x.cue": okFamily, "d/README.md": "# hi"})
		_, err := Load(ctx, dir, s)
		if !errors.Is(err, ErrNoFamilies) {
			t.Errorf("Load error = %v, want ErrNoFamilies", err)
		}
	})
	t.Run("missing folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "families")
		_, err := Load(ctx, dir, s)
		if err == nil || errors.Is(err, ErrNoFamilies) || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), dir) {
			t.Errorf("Load(missing folder) error = %v, want one saying %q does not exist", err, dir)
		}
	})
	t.Run("a file, not a folder", func(t *testing.T) {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"x.cue": okFamily})
		p := filepath.Join(dir, "x.cue")
		_, err := Load(ctx, p, s)
		if err == nil || !strings.Contains(err.Error(), "is not a folder") {
			t.Errorf("Load(file) error = %v, want one saying it is not a folder", err)
		}
	})
}

// TestLoadDoesNotFollowSymlinkedFolders checks that a folder reached
// through a symbolic link is not read: it could lead out of the repository.
func TestLoadDoesNotFollowSymlinkedFolders(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret.cue": okFamily})
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"d/ok.cue": okFamily})
	if err := os.Symlink(outside, filepath.Join(dir, "linked")); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	res := load(t, dir)
	if diff := cmp.Diff([]string{"d/ok"}, familyIDs(res)); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	// Its families would otherwise go unchecked without a word.
	want := []diag.Finding{finding(RuleFile, filepath.Join(dir, "linked"), 1, 1,
		"folder is a symbolic link, which jobfam does not follow: move its families into the repository")}
	if diff := cmp.Diff(want, sorted(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.IDs["linked/secret"] {
		t.Errorf("IDs = %v, want no id from the linked folder", res.IDs)
	}
}

// TestLoadFamiliesFolderIsSymlink loads a families folder that is itself a
// symbolic link, as a repository may keep families elsewhere.
func TestLoadFamiliesFolderIsSymlink(t *testing.T) {
	real := t.TempDir()
	writeTree(t, real, map[string]string{"d/ok.cue": okFamily})
	link := filepath.Join(t.TempDir(), "families")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	_, err := Load(context.Background(), link, embeddedSchema(t))
	if errors.Is(err, ErrNoFamilies) {
		t.Errorf("Load(link to a folder with a family) error = %v: the folder holds a family", err)
	}
}

func TestLoadSortsFamiliesByID(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"sales/b.cue":   okFamily,
		"finance/z.cue": okFamily,
		"finance/a.cue": okFamily,
		"eng/x.cue":     okFamily,
	})
	res := load(t, dir)
	want := []string{"eng/x", "finance/a", "finance/z", "sales/b"}
	if diff := cmp.Diff(want, familyIDs(res)); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}

// TestLoadSortsFamiliesByIDAcrossFolders has ids where the walk's order,
// folder by folder, differs from the order of the ids as strings: "-"
// sorts before "/".
func TestLoadSortsFamiliesByIDAcrossFolders(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/x.cue": okFamily, "a-b/x.cue": okFamily, "a/y/z.cue": okFamily})
	res := load(t, dir)
	want := []string{"a-b/x", "a/x", "a/y/z"}
	if diff := cmp.Diff(want, familyIDs(res)); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}

func TestLoadKeepsLevelOrder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"d/x.cue": `title: "X"
levels: {
	senior: {title: "S", grade: 7}
	associate: {title: "A", grade: 5}
	"staff-plus": {title: "SP", grade: 9}
}
levels: manager: {title: "M", grade: 8, track: "management"}
levels: associate: intro: "merged into the level declared above"
`})
	res := load(t, dir)
	if len(res.Findings) > 0 {
		t.Fatalf("findings: %v", res.Findings)
	}
	if len(res.Families) != 1 {
		t.Fatalf("families: %v, want one", familyIDs(res))
	}
	var got []string
	for _, l := range res.Families[0].Levels {
		got = append(got, fmt.Sprintf("%s %d %s %q", l.ID, l.Grade.Value, l.Track.Value, l.Intro.Value))
	}
	want := []string{
		`senior 7 individual ""`,
		`associate 5 individual "merged into the level declared above"`,
		`staff-plus 9 individual ""`,
		`manager 8 management ""`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
}

// TestLoadRepositoryFamilies loads the repository's own families and reads
// the model back: the seed family is the model's specification by example.
func TestLoadRepositoryFamilies(t *testing.T) {
	res := load(t, filepath.Join("..", "..", "families"))
	if len(res.Findings) > 0 {
		t.Errorf("findings: %v, want none", res.Findings)
	}
	if diff := cmp.Diff([]string{"finance/it-program-management-office", "finance/manager-it"}, familyIDs(res)); diff != "" {
		t.Fatalf("families (-want +got):\n%s", diff)
	}
	pmo := res.Families[0]
	var levels []string
	for _, l := range pmo.Levels {
		levels = append(levels, fmt.Sprintf("%s %d %s ext=%s/%s", l.ID, l.Grade.Value, l.Track.Value,
			l.Extends.Responsibilities.Value, l.Extends.Requirements.Value))
	}
	wantLevels := []string{
		"associate 5 individual ext=/",
		"intermediate 6 individual ext=/",
		"senior 7 individual ext=/",
		"staff 8 individual ext=senior/",
		"principal 9 individual ext=staff/staff",
		"manager 8 management ext=/",
		"senior-manager 9 management ext=manager/manager",
		"director 10 management ext=/",
		"senior-director 11 management ext=director/director",
	}
	if diff := cmp.Diff(wantLevels, levels); diff != "" {
		t.Errorf("levels of %s (-want +got):\n%s", pmo.ID, diff)
	}
	if got, want := pmo.Title.Value, "IT Program Management Office"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got := pmo.Title.Node.Pos; got.Line != 3 || got.Col != 14 || got.File != filepath.Join("..", "..", "families", "finance", "it-program-management-office.cue") {
		t.Errorf("title at %v, want its line 3, column 14", got)
	}
	if len(pmo.CareerLadder.Next) != 1 || pmo.CareerLadder.Next[0].Value != "finance/manager-it" {
		t.Errorf("career ladder next = %+v, want finance/manager-it", pmo.CareerLadder.Next)
	}
	if got := len(pmo.HiringProcess.Steps); got != 5 {
		t.Errorf("hiring steps = %d, want 5", got)
	}
	if got := len(pmo.PerformanceIndicators); got != 2 || pmo.PerformanceIndicators[1].URL.Set() {
		t.Errorf("performance indicators = %+v, want two, the second without a URL", pmo.PerformanceIndicators)
	}
	if got := len(pmo.TextFields()); got < 100 {
		t.Errorf("TextFields() has %d values, want every text of the family", got)
	}
}

// TestLoadManyFiles loads more files than a worker checks in one CUE
// context: with one worker, so that the context is certainly rebuilt in
// the middle, and with several.
func TestLoadManyFiles(t *testing.T) {
	const n = 300 // more than contextReuse
	if n <= contextReuse {
		t.Fatalf("n = %d must exceed contextReuse = %d", n, contextReuse)
	}
	seed, err := os.ReadFile(filepath.Join("..", "..", "families", "finance", "manager-it.cue"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{}
	var wantIDs, wantFamilies []string
	var wantFindings []diag.Finding
	for i := range n {
		id := fmt.Sprintf("dept-%d/family-%03d", i/100, i)
		src := string(seed)
		if i%97 == 0 {
			// Every 97th file has a typo: schema findings must come out
			// right from every context, first and rebuilt.
			src = strings.Replace(src, "\ttitle: \"Manager, IT\"", "\ttitel: \"Manager, IT\"", 1)
			wantFindings = append(wantFindings, finding(RuleSchema, filepath.Join(dir, filepath.FromSlash(id)+".cue"), 9, 3,
				`unknown field "titel" in level "manager": did you mean "title"?`))
		}
		files[id+".cue"] = src
		wantIDs = append(wantIDs, id)
		wantFamilies = append(wantFamilies, id)
	}
	writeTree(t, dir, files)

	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
			res, err := Load(context.Background(), dir, embeddedSchema(t))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantFindings, sorted(res.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantFamilies, familyIDs(res)); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(idSet(wantIDs...), res.IDs); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
			for _, f := range res.Families {
				if len(f.Levels) != 3 {
					t.Errorf("%s has %d levels, want 3", f.ID, len(f.Levels))
				}
			}
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("d/f%02d.cue", i)] = okFamily
	}
	writeTree(t, dir, files)
	s := embeddedSchema(t)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Load(ctx, dir, s)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Load(cancelled) error = %v, want context.Canceled", err)
	}
	if res != nil {
		t.Errorf("Load(cancelled) result = %+v, want nil", res)
	}

	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := Load(ctx, dir, s); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Load(past deadline) error = %v, want context.DeadlineExceeded", err)
	}
}

func TestKindOfFile(t *testing.T) {
	tests := []struct {
		mode fs.FileMode
		want string
	}{
		{fs.ModeNamedPipe, "named pipe"},
		{fs.ModeSocket, "socket"},
		{fs.ModeDevice, "device"},
		{fs.ModeDevice | fs.ModeCharDevice, "device"},
		{fs.ModeDir, "folder"},
		{fs.ModeIrregular, "special file"},
	}
	for _, tt := range tests {
		if got := kindOfFile(tt.mode); got != tt.want {
			t.Errorf("kindOfFile(%v) = %q, want %q", tt.mode, got, tt.want)
		}
	}
}

func TestInvalidUTF8Position(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
	}{
		{src: "\xff", line: 1, col: 1},
		{src: "ab\xff", line: 1, col: 3},
		{src: "a\nb\n\xc3", line: 3, col: 1},
		{src: "é\xff", line: 1, col: 3},             // columns count bytes, as CUE's do
		{src: "a\r\n\xed\xa0\x80", line: 2, col: 1}, // a surrogate is not UTF-8
	}
	for _, tt := range tests {
		line, col := diag.InvalidUTF8([]byte(tt.src))
		if line != tt.line || col != tt.col {
			t.Errorf("InvalidUTF8(%q) = %d:%d, want %d:%d", tt.src, line, col, tt.line, tt.col)
		}
	}
}

// TestFolderCheck checks that Check hands every family that loaded to the
// visitor, adds its findings, and keeps headers instead of families.
func TestFolderCheck(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a/one.cue":    okFamily,
		"a/two.cue":    okFamily,
		"b/broken.cue": "title: {",
	})
	folder, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"a/one": true, "a/two": true, "b/broken": true}, folder.IDs); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	var mu sync.Mutex
	var visited []string
	res, err := folder.Check(context.Background(), embeddedSchema(t), func(f *Family) []diag.Finding {
		mu.Lock()
		defer mu.Unlock()
		visited = append(visited, f.ID)
		return []diag.Finding{{Pos: diag.Pos{File: f.File, Line: 1, Col: 1}, Rule: "visit", Message: "seen"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(visited)
	if diff := cmp.Diff([]string{"a/one", "a/two"}, visited); diff != "" {
		t.Errorf("visited (-want +got):\n%s", diff)
	}
	if len(res.Families) != 0 {
		t.Errorf("Check kept %d families, want none", len(res.Families))
	}
	var headers []string
	for _, h := range res.Headers {
		headers = append(headers, h.ID+" "+h.Title.Value)
	}
	title := okFamilyTitle(t)
	if diff := cmp.Diff([]string{"a/one " + title, "a/two " + title}, headers); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	var rules []string
	for _, f := range res.Findings {
		rules = append(rules, f.Rule)
	}
	slices.Sort(rules)
	if diff := cmp.Diff([]string{RuleSyntax, "visit", "visit"}, rules); diff != "" {
		t.Errorf("finding rules (-want +got):\n%s", diff)
	}
}

// okFamilyTitle is the title of okFamily, read back through Load.
func okFamilyTitle(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/x.cue": okFamily})
	res := load(t, dir)
	return res.Families[0].Title.Value
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		id   string
		want IDProblem
	}{
		{"finance/treasury", IDValid},
		{"finance/information-technology/it-helpdesk-analyst", IDValid},
		{"treasury", IDNoDepartment},
		{"Finance/treasury", IDInvalid},
		{"finance/treasury.cue", IDInvalid},
		{"finance//treasury", IDInvalid},
		{"finance/treasury/", IDInvalid},
		{"/finance/treasury", IDInvalid},
		{"finance/-treasury", IDInvalid},
		{"finance/accounts--payable", IDInvalid},
		{"../finance/treasury", IDInvalid},
		{"", IDInvalid},
	}
	for _, tt := range tests {
		if got := CheckID(tt.id); got != tt.want {
			t.Errorf("CheckID(%q) = %d, want %d", tt.id, got, tt.want)
		}
	}
}

// mapMemo is a Memo in memory that counts its hits.
type mapMemo struct {
	mu   sync.Mutex
	m    map[Key]*Outcome
	hits int
}

func (m *mapMemo) Get(k Key) (*Outcome, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.m[k]
	if ok {
		m.hits++
	}
	return o, ok
}

func (m *mapMemo) Put(k Key, o *Outcome) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[k] = o
}

// TestCheckMemo checks that a file whose Outcome the memo holds is not
// visited again and contributes what it did the first time, and that a
// change to a file's bytes or to the schema is a new key.
func TestCheckMemo(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a/one.cue":    okFamily,
		"a/two.cue":    okFamily,
		"b/broken.cue": "title: {",
	})
	memo := &mapMemo{m: map[Key]*Outcome{}}
	s := embeddedSchema(t)
	var mu sync.Mutex
	visits := 0
	visit := func(f *Family) ([]diag.Finding, []diag.Finding) {
		mu.Lock()
		defer mu.Unlock()
		visits++
		return []diag.Finding{{Pos: diag.Pos{File: f.File, Line: 1, Col: 1}, Rule: "visit", Message: "seen"}},
			[]diag.Finding{{Pos: diag.Pos{File: f.File, Line: 2, Col: 1}, Rule: "visit", Message: "silenced"}}
	}
	run := func() *Result {
		t.Helper()
		folder, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		res, err := folder.CheckMemo(context.Background(), s, visit, memo)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cold := run()
	if visits != 2 || memo.hits != 0 || len(memo.m) != 3 {
		t.Fatalf("cold run: %d visits, %d hits, %d entries; want 2, 0, 3", visits, memo.hits, len(memo.m))
	}
	warm := run()
	if visits != 2 || memo.hits != 3 {
		t.Errorf("warm run: %d visits, %d hits; want 2 (none more), 3", visits, memo.hits)
	}
	if diff := cmp.Diff(cold, warm); diff != "" {
		t.Errorf("warm result differs from cold (-cold +warm):\n%s", diff)
	}

	writeTree(t, dir, map[string]string{"a/two.cue": okFamily + "\n"})
	run()
	if visits != 3 {
		t.Errorf("after an edit: %d visits, want 3 (the edited file again)", visits)
	}
	other := *s
	other.digest[0] ^= 1
	s = &other
	run()
	if visits != 5 {
		t.Errorf("with another schema: %d visits, want 5 (every family again)", visits)
	}
}
