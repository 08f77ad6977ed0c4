package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExperienceOrder(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "years rise with grade",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"2-3 years of experience."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"Five years of experience."`, "")+
						listLevel("staff", "Staff Engineer", 8, `"10+ years of experience, 2 years leading."`, ""), ladder),
			},
		},
		{
			name: "a senior level asks for fewer years",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"5+ years of experience."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"Shipped systems; 3+ years of experience."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:14:36: "Senior Engineer" at grade 7 asks for "3+ years", less than the "5+ years" that "Junior Engineer" asks for at grade 6: raise this requirement or lower the other [experience-order]`,
			},
		},
		{
			name: "another track is not compared",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("senior", "Senior Engineer", 7, `"8+ years of experience."`, "")+
						listLevel("manager", "Engineering Manager", 8, `"3+ years of experience."`, "\t\ttrack: \"management\"\n"), ladder),
			},
		},
		{
			name: "a level that extends requirements keeps their years",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"5+ years of experience."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"2+ years leading a team."`, "\t\textends: requirements: \"junior\"\n")+
						listLevel("staff", "Staff Engineer", 8, `"4 years of experience."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:21:19: "Staff Engineer" at grade 8 asks for "4 years", less than the "5+ years" that "Junior Engineer" asks for at grade 6: raise this requirement or lower the other [experience-order]`,
			},
		},
		{
			name: "years missing",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("junior", "Junior Engineer", 6, `"2-3 of experience in IT."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:19: "2-3 of experience" does not say what the number counts: write "2-3 years of experience" [experience-order]`,
			},
		},
		{
			name: "years of study are not experience",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"3+ years of experience."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"Completed 2 years of law school; 4+ years of experience."`, ""), ladder),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "experience-order", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
