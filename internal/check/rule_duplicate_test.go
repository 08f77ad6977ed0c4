package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDuplicate(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "distinct titles",
			files: map[string]string{
				"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 7, "")+level("staff", "Staff Engineer", 8, ""), ladder),
				"families/a/two.cue": fam("Two", level("senior", "Senior Engineer", 7, ""), ladder),
			},
		},
		{
			name: "two levels with the same title, ignoring case and spacing",
			files: map[string]string{
				"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 7, "")+level("staff", "senior  engineer", 8, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:11:10: level "staff" has the same title "senior  engineer" as level "senior": give each level its own title [duplicate]`,
			},
		},
		{
			name: "two families with the same title",
			files: map[string]string{
				"families/a/one.cue": fam("Same", level("senior", "Senior Engineer", 7, ""), ladder),
				"families/b/two.cue": fam("Same", level("senior", "Senior Engineer", 7, ""), ladder),
			},
			want: []string{
				`families/b/two.cue:1:8: family title "Same" is also the title of "a/one": give each family its own title [duplicate]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "duplicate", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
