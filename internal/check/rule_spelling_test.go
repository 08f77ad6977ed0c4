package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpelling(t *testing.T) {
	// intro returns a family whose one level has the given intro, on
	// line 9, starting at column 11.
	intro := func(s string) map[string]string {
		return map[string]string{
			"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 7, "\t\tintro: \""+s+"\"\n"), ladder),
		}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "correct spelling",
			files: intro("Leads strategic planning and resolves conflicts."),
		},
		{
			name:  "a word of the policy's list",
			files: intro("Leads stretegic planning."),
			want: []string{
				`families/a/one.cue:9:17: "stretegic" is misspelt: write "strategic" instead [spelling]`,
			},
		},
		{
			name:  "a common misspelling, keeping its capital",
			files: intro("Acheive the goals."),
			want: []string{
				`families/a/one.cue:9:11: "Acheive" is misspelt: write "Achieve" instead [spelling]`,
			},
		},
		{
			name:  "the policy's correction replaces misspell's",
			files: intro("Shares practies."),
			want: []string{
				`families/a/one.cue:9:18: "practies" is misspelt: write "practices" instead [spelling]`,
			},
		},
		{
			name:  "whole words only",
			files: intro("Resolves conflicts; conflict resolution."),
		},
		{
			name:  "each occurrence at its own place",
			files: intro("Strong conflic resolution, and conflic avoidance."),
			want: []string{
				`families/a/one.cue:9:18: "conflic" is misspelt: write "conflict" instead [spelling]`,
				`families/a/one.cue:9:42: "conflic" is misspelt: write "conflict" instead [spelling]`,
			},
		},
		{
			name:  "URLs, link targets, code spans and acronyms are not prose",
			files: intro("See https://example.com/acheive, [the plan](/stretegic/) and `acheive` for OMRE."),
		},
		{
			name: "a multi-line string",
			files: intro(`""
			Plans the roadmap.
			Owns the stretegic plan.
			""`),
			want: []string{
				`families/a/one.cue:11:13: "stretegic" is misspelt: write "strategic" instead [spelling]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "spelling", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
