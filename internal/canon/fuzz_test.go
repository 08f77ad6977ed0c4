package canon

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostileSeeds are inputs that are not plain families: other CUE, broken
// CUE, deep nesting and the encodings editors produce.
var hostileSeeds = []string{
	"",
	"\n",
	"// only a comment\n",
	"package finance\n",
	"import \"strings\"\ntitle: strings.ToUpper(\"x\")\n",
	"@extern(embed)\npackage x\n\nlevels: _ @embed(glob=\"*.json\")\n",
	"title: description\ndescription: \"x\"\n",
	"title: \"\\(description)\"\n",
	"levels: {for l in [\"a\", \"b\"] {(l): {grade: 5}}}\n",
	"if true {title: \"x\"}\ndescription: \"y\"\n",
	"let x = 1\ntitle: x\n",
	"#Family: {}\n_hidden: 1\ntitle: 2\n",
	"title?: \"x\"\ndescription!: \"y\"\nlevels: a: {grade?: 1, title!: \"t\"}\n",
	"X=title: \"x\"\n",
	"[string]: _\ntitle: 1\n",
	"levels: {senior: {grade: 1, title: \"x\"}, ...}\n",
	"track: *\"individual\" | \"management\"\n",
	"\"embedded string\"\ntitle: 1\n",
	"a: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
	"levels: " + strings.Repeat("{b: ", 70) + "1" + strings.Repeat("}", 70) + "\n",
	strings.Repeat("a: ", 40) + "1\n",
	"title: \"\xff\xfe\"\n",
	"\uFEFFtitle: \"x\"\n",
	"title: \"x\"\r\ndescription: y\r\n",
	"title: \"\"\"\r\n\tA\r\n\tB\r\n\t\"\"\"\r\n",
	"title: \"x\"\rdescription: \"y\"\r",
	"title: \"unterminated\n",
	"levels: senior: grade: 99999999999999999999\ntitle: 1E3\ndescription: 0x10\n",
	"title: 'bytes'\ndescription: #\"raw \"quoted\"\"#\n",
	"title: \"a\"\ntitle: \"b\"\n",
	"levels: a: {}\nlevels: a: 1\ntitle: 1\nlevels: b: 2\n",
	"careerLadder: next: [1, null, true, {}, []]\ntitle: 1\n",
	"\"\": 1\n\"\\u0000\": 2\ntitle: 3\n",
	"levels: x: {grade: 1 // g\n\ttitle: \"T\" // t\n}\n",
	"description: 1 // d\n\n\n// floating\n\n\ntitle: 2\n// end\n",
}

// FuzzFormat formats any input with the embedded schema. Format must not
// panic; what it accepts, it must accept again, unchanged; and it must
// never fail with an error that only a bug can cause.
func FuzzFormat(f *testing.F) {
	for _, p := range repositoryFamilies(f) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, tt := range formatTests {
		f.Add([]byte(tt.src))
	}
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	s := embeddedSchema(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Format("x.cue", src, s)
		if errors.Is(err, errBug) {
			t.Fatalf("Format: %v", err)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x.cue") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		again, err := Format("x.cue", out, s)
		if err != nil {
			t.Fatalf("Format of its own output %q: %v", out, err)
		}
		if diff := cmp.Diff(string(out), string(again)); diff != "" {
			t.Errorf("Format is not idempotent (-once +twice):\n%s", diff)
		}
	})
}
