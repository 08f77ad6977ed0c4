package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpelling(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "correct spelling",
			files: withIntro("Leads strategic planning and resolves conflicts."),
		},
		{
			name:  "a word of the policy's list",
			files: withIntro("Leads stretegic planning."),
			want: []string{
				`families/a/one.cue:9:17: "stretegic" is misspelt: write "strategic" instead [spelling]`,
			},
		},
		{
			name:  "a common misspelling, keeping its capital",
			files: withIntro("Acheive the goals."),
			want: []string{
				`families/a/one.cue:9:11: "Acheive" is misspelt: write "Achieve" instead [spelling]`,
			},
		},
		{
			name:  "the policy's correction replaces misspell's",
			files: withIntro("Shares practies."),
			want: []string{
				`families/a/one.cue:9:18: "practies" is misspelt: write "practices" instead [spelling]`,
			},
		},
		{
			name:  "whole words only",
			files: withIntro("Resolves conflicts; conflict resolution."),
		},
		{
			name:  "each occurrence at its own place",
			files: withIntro("Strong conflic resolution, and conflic avoidance."),
			want: []string{
				`families/a/one.cue:9:18: "conflic" is misspelt: write "conflict" instead [spelling]`,
				`families/a/one.cue:9:42: "conflic" is misspelt: write "conflict" instead [spelling]`,
			},
		},
		{
			name:  "URLs, link targets, code spans and acronyms are not prose",
			files: withIntro("See https://example.com/acheive, [the plan](/stretegic/) and `acheive` for OMRE."),
		},
		{
			name: "a multi-line string",
			files: withIntro(`""
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
