package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExtends(t *testing.T) {
	ext := func(kind, target string) string { return "\t\textends: " + kind + `: "` + target + `"` + "\n" }
	tests := []struct {
		name   string
		levels string
		want   []string
	}{
		{
			name:   "extends a lower level",
			levels: level("senior", "Senior Engineer", 7, "") + level("staff", "Staff Engineer", 8, ext("responsibilities", "senior")+ext("requirements", "senior")),
		},
		{
			name:   "unknown level with a likely typo",
			levels: level("senior", "Senior Engineer", 7, "") + level("staff", "Staff Engineer", 8, ext("responsibilities", "senoir")),
			want: []string{
				`families/a/b.cue:15:30: level "staff" extends the responsibilities of unknown level "senoir": did you mean "senior"? [extends]`,
			},
		},
		{
			name:   "unknown level",
			levels: level("senior", "Senior Engineer", 7, "") + level("staff", "Staff Engineer", 8, ext("requirements", "principal")),
			want: []string{
				`families/a/b.cue:15:26: level "staff" extends the requirements of unknown level "principal": name one of "senior" [extends]`,
			},
		},
		{
			name:   "itself",
			levels: level("senior", "Senior Engineer", 7, ext("requirements", "senior")),
			want: []string{
				`families/a/b.cue:9:26: level "senior" extends its own requirements: name a lower level of this family [extends]`,
			},
		},
		{
			name:   "a level whose grade is not lower",
			levels: level("senior", "Senior Engineer", 8, ext("responsibilities", "staff")) + level("staff", "Staff Engineer", 9, ""),
			want: []string{
				`families/a/b.cue:9:30: level "senior" (grade 8) extends the responsibilities of "staff" (grade 9), which is not lower: extend a lower level [extends]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "extends", map[string]string{"families/a/b.cue": fam("Example", tt.levels, ladder)})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
