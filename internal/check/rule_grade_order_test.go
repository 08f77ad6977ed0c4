package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGradeOrder(t *testing.T) {
	tests := []struct {
		name   string
		levels string
		want   []string
	}{
		{
			name:   "rising grades",
			levels: level("intermediate", "Engineer", 6, "") + level("senior", "Senior Engineer", 7, ""),
		},
		{
			name:   "equal grade",
			levels: level("senior", "Senior Engineer", 7, "") + level("staff", "Staff Engineer", 7, ""),
			want: []string{
				`families/a/b.cue:12:10: grade 7 of "Staff Engineer" is not above grade 7 of "Senior Engineer" on the individual track: levels are listed from junior to senior, so correct the grade or the order of the levels [grade-order]`,
			},
		},
		{
			name:   "falling grade",
			levels: level("senior", "Senior Engineer", 8, "") + level("staff", "Staff Engineer", 7, ""),
			want: []string{
				`families/a/b.cue:12:10: grade 7 of "Staff Engineer" is not above grade 8 of "Senior Engineer" on the individual track: levels are listed from junior to senior, so correct the grade or the order of the levels [grade-order]`,
			},
		},
		{
			name: "tracks are compared separately",
			levels: level("senior", "Senior Engineer", 7, "") +
				level("staff", "Staff Engineer", 8, "") +
				level("manager", "Engineering Manager", 8, "\t\ttrack: \"management\"\n") +
				level("director", "Director of Engineering", 10, "\t\ttrack: \"management\"\n"),
		},
		{
			name: "a management level is compared with the management level before it",
			levels: level("manager", "Engineering Manager", 8, "\t\ttrack: \"management\"\n") +
				level("staff", "Staff Engineer", 8, "") +
				level("director", "Director of Engineering", 8, "\t\ttrack: \"management\"\n"),
			want: []string{
				`families/a/b.cue:19:10: grade 8 of "Director of Engineering" is not above grade 8 of "Engineering Manager" on the management track: levels are listed from junior to senior, so correct the grade or the order of the levels [grade-order]`,
			},
		},
		{
			name: "a level without a grade is skipped",
			levels: level("intermediate", "Engineer", 6, "") +
				"\tsenior: {title: \"Senior Engineer\", responsibilities: [\"x\"], requirements: [\"y\"]}\n" +
				level("staff", "Staff Engineer", 7, ""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "grade-order", map[string]string{"families/a/b.cue": fam("Example", tt.levels, ladder)})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
