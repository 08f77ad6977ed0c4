package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInclusiveLanguage(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "inclusive wording",
			files: withIntro("An expert who is fluent in English joins a team that values alignment."),
		},
		{
			name:  "a word",
			files: withIntro("A Rockstar engineer."),
			want: []string{
				`families/a/one.cue:9:13: "Rockstar" is jargon that signals a young, male culture: write "expert" or "skilled" instead [inclusive-language]`,
			},
		},
		{
			name:  "a phrase, ignoring case and spacing, reported once",
			files: withIntro("A Native  English speaker; he/she reports weekly."),
			want: []string{
				`families/a/one.cue:9:13: "Native  English speaker" excludes fluent speakers who learned English later: write "fluent in English" instead [inclusive-language]`,
				`families/a/one.cue:9:38: "he/she" leaves out people who are neither: write "they" instead [inclusive-language]`,
			},
		},
		{
			name:  "whole words only",
			files: withIntro("The youngest product line; a Guyana office; dominated markets."),
		},
		{
			name:  "a phrase the term's exceptions allow",
			files: withIntro("Works with Ernst & Young in a young company."),
		},
		{
			name:  "the term outside its exceptions",
			files: withIntro("Joins a young company with a young team."),
			want: []string{
				`families/a/one.cue:9:40: "young" discriminates by age: write "early-career" instead [inclusive-language]`,
			},
		},
		{
			name:  "URLs and code are not prose",
			files: withIntro("See https://example.com/rockstar and `ninja`."),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "inclusive-language", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
