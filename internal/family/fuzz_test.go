package family

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileSeeds are inputs a pull request could use to make the loader read
// files, run code, hang or crash, and the encodings editors produce.
var hostileSeeds = []string{
	"",
	"\n",
	"// only a comment\n",
	"package finance\n",
	"import \"strings\"\ntitle: strings.ToUpper(\"x\")\n",
	"import \"tool/exec\"\n",
	"@extern(embed)\n\ntitle: _ @embed(file=\"/etc/passwd\", type=text)\n",
	"@extern(embed)\npackage x\n\nlevels: _ @embed(glob=\"*.json\")\n",
	"title: description\ndescription: \"x\"\n",
	"title: levels.senior.title\n",
	"title: \"\\(description)\"\n",
	"levels: {for l in [\"a\", \"b\"] {(l): {grade: 5}}}\n",
	"steps: [for s in [1, 2] {s}]\n",
	"if true {title: \"x\"}\n",
	"let x = 1\ntitle: x\n",
	"#Family: {}\n_hidden: 1\n",
	"title?: \"x\"\ndescription!: \"y\"\n",
	"X=title: \"x\"\n",
	"[string]: _\n",
	"levels: {senior: {}, ...}\n",
	"track: *\"individual\" | \"management\"\n",
	"grade: 1 + 2\ntitle: len(\"x\")\n",
	"\"embedded string\"\n",
	"a: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
	"a: " + strings.Repeat("{b: ", 40) + "1" + strings.Repeat("}", 40) + "\n",
	strings.Repeat("a: ", 40) + "1\n",
	"title: \"\xff\xfe\"\n",
	"title: \"ok\"\n\xc3\x28: 1\n",
	"\uFEFFtitle: \"x\"\n",
	"\uFEFF\uFEFFtitle: \"x\"\n",
	"title: \"x\"\r\ndescription: y\r\n",
	"title: \"\"\"\r\n\tA\r\n\tB\r\n\t\"\"\"\r\n",
	"title: \"x\"\rdescription: \"y\"\r",
	"title: \"unterminated\n",
	"title: \"x\"\x00\n",
	"levels: senior: grade: 99999999999999999999\n",
	"levels: senior: grade: -99999999999999999999\n",
	"levels: senior: grade: 7.5\n",
	"levels: senior: grade: 0x10\nlevels: senior: grade: 1Ki\n",
	"title: 'bytes'\n",
	"title: #\"raw \"quoted\"\"#\n",
	"title: \"a\"\ntitle: \"b\"\n",
	"levels: a: {}\nlevels: a: 1\n",
	"titel: \"X\"\nlevels: senior: grade: 99\n",
	"levels: {Senior: {}, \"senior manager\": {}}\n",
	"careerLadder: next: [1, null, true, {}, []]\n",
	"\"\": 1\n\"\\u0000\": 2\n",
}

// FuzzLoad writes an input as the only family of a folder, as x/y.cue, and
// loads it with the embedded schema. Whatever the input, Load must not
// panic or fail, and every finding must be one of the loader's rules, say
// something, and point into the file written; a family is returned exactly
// when the file could be read, parsed and accepted as data.
func FuzzLoad(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("repository families: %v, %v", seeds, err)
	}
	for _, p := range seeds {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	s := embeddedSchema(f)
	rules := map[string]bool{RuleFile: true, RuleSyntax: true, RuleDataOnly: true, RuleSchema: true}

	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "x", "y.cue")
		if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Load(context.Background(), dir, s)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		// Lines as an editor counts them: after a byte-order mark, with
		// CRLF as one line break.
		lines := bytes.Count(src, []byte("\n")) + 1
		blocked := false
		for _, fd := range res.Findings {
			if !rules[fd.Rule] {
				t.Errorf("finding %v: rule %q is not a loader rule", fd, fd.Rule)
			}
			if fd.Message == "" {
				t.Errorf("finding %v: empty message", fd)
			}
			if fd.Pos.File != path {
				t.Errorf("finding %v: file %q, want %q", fd, fd.Pos.File, path)
			}
			if fd.Pos.Line < 0 || fd.Pos.Col < 0 || fd.Pos.Line > lines {
				t.Errorf("finding %v: position outside the file's %d lines", fd, lines)
			}
			if fd.Rule != RuleSchema {
				blocked = true
			}
		}
		if !res.IDs["x/y"] {
			t.Errorf("IDs = %v, want x/y", res.IDs)
		}
		switch {
		case blocked && len(res.Families) > 0:
			t.Errorf("a family was returned despite findings %v", res.Findings)
		case !blocked && len(res.Families) != 1:
			t.Errorf("families = %d with findings %v, want the family", len(res.Families), res.Findings)
		case !blocked && res.Families[0].ID != "x/y":
			t.Errorf("family id = %q, want x/y", res.Families[0].ID)
		}
	})
}
