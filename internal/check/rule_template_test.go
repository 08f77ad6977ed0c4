package check

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

// runTemplate is run with the template rule enabled, as a policy would.
func runTemplate(t *testing.T, src string) []string {
	t.Helper()
	root := t.TempDir()
	p := filepath.Join(root, "families", "a", "one.cue")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	s.Policy.Rules = map[string]struct {
		Severity string `json:"severity"`
	}{"template": {Severity: "warning"}}
	res, err := family.Load(context.Background(), filepath.Join(root, "families"), s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Run(&Env{Policy: &s.Policy, IDs: res.IDs}, res.Families) {
		if f.Rule == "template" {
			f.Pos.File = filepath.ToSlash(strings.TrimPrefix(f.Pos.File, root+string(filepath.Separator)))
			got = append(got, f.String())
		}
	}
	return got
}

func TestTemplate(t *testing.T) {
	// three gives the family the three indicators the template asks for.
	three := func(src string) string {
		return strings.Replace(src, `performanceIndicators: [{title: "Examples shipped"}]`,
			`performanceIndicators: [{title: "A"}, {title: "B"}, {title: "C"}]`, 1)
	}
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "as the template asks",
			src:  three(fam("One", listLevel("senior", "Senior Engineer", 6, `"3+ years of experience."`, ""), ladder)),
		},
		{
			name: "too few indicators",
			src:  fam("One", level("senior", "Senior Engineer", 6, ""), ladder),
			want: []string{
				`families/a/one.cue:12:24: the template asks for 3 to 5 performance indicators and the family has 1: add 2 [template]`,
			},
		},
		{
			name: "years at grade 5, location and vacancy wording",
			src: three(fam("One", listLevel("junior", "Junior Engineer", 5, `"1-2 years of experience.", "Must be located in Utrecht."`,
				"\t\tintro: \"You'll join our team.\"\n"), ladder)),
			want: []string{
				`families/a/one.cue:8:19: "Junior Engineer" at grade 5 asks for "1-2 years": the template asks for no years of experience up to grade 5, so describe the skills instead [template]`,
				`families/a/one.cue:8:47: "Must be located in" is a location requirement: job families are open to every location, so remove it [template]`,
				`families/a/one.cue:9:11: "You'll" is vacancy wording: describe the role ("the specialist does ..."), not an opening [template]`,
				`families/a/one.cue:9:18: "join our team" is vacancy wording: describe the role ("the specialist does ..."), not an opening [template]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runTemplate(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := run(t, "template", map[string]string{"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 6, ""), ladder)}); got != nil {
		t.Errorf("template is off by default, got %q", got)
	}
}

// TestPhraseMatcher checks that the prefilter of the template rule's
// phrases never hides a match of their pattern: on many texts made of the
// words of the default policy's phrases, in other cases and spellings
// (Go's case folding makes "ſ" an "s" and the Kelvin sign a "k"), findAll
// must find what the pattern finds.
func TestPhraseMatcher(t *testing.T) {
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	tokens := []string{" ", "  ", "\t", "\n", "'", "’", "ſ", "K", "İ", "x", ".", "\xff"}
	lists := [][]string{s.Policy.Template.Location, s.Policy.Template.Vacancy}
	for _, list := range lists {
		for _, p := range list {
			for _, w := range strings.Fields(p) {
				tokens = append(tokens, w, strings.ToUpper(w), strings.ReplaceAll(w, "s", "ſ"), strings.ReplaceAll(w, "'", "’"))
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 2026))
	matched := 0
	var b strings.Builder
	for range 50_000 {
		b.Reset()
		for range 1 + rng.IntN(10) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
		}
		text := b.String()
		for _, list := range lists {
			m := phrasesFor(list)
			want := m.re.FindAllStringIndex(text, -1)
			matched += len(want)
			if diff := cmp.Diff(want, m.findAll(text, strings.ToLower(text))); diff != "" {
				t.Fatalf("findAll(%q) differs from the pattern (-want +got):\n%s", text, diff)
			}
		}
	}
	if matched == 0 {
		t.Fatal("no text matched a phrase: the test checks nothing")
	}
}
