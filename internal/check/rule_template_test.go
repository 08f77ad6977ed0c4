package check

import (
	"context"
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
