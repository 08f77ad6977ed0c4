package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlaceholder(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "a filled-in family",
			src:  fam("Example", level("senior", "Senior Engineer", 7, ""), ladder),
		},
		{
			name: "the marker only counts at the start of a text",
			src:  fam("Example", level("senior", "Senior Engineer", 7, "\t\tintro: \"Keeps the team's TODO: list short.\"\n"), ladder),
		},
		{
			name: "family fields are named by their path",
			src: `title: "Example"
description: "TODO: one sentence"
levels: senior: {title: "Senior Engineer", grade: 7, responsibilities: ["x"], requirements: ["y"]}
performanceIndicators: [{title: "Examples shipped"}, {title: "TODO: an indicator"}]
careerLadder: text: "TODO: where next"
hiringProcess: {intro: "  TODO: intro", steps: ["A call.", "TODO: a step"]}
sections: [{heading: "TODO: a heading", body: """
	TODO: the text
	"""}]
`,
			want: []string{
				`families/a/b.cue:2:14: description is still a placeholder: write one sentence on what the family does [placeholder]`,
				`families/a/b.cue:4:62: performance indicator 2 is still a placeholder: write one measure of how well people in this family do their job [placeholder]`,
				`families/a/b.cue:5:21: career ladder is still a placeholder: write where people in this family can go next [placeholder]`,
				`families/a/b.cue:6:24: intro of the hiring process is still a placeholder: write a sentence that opens the hiring process, or remove the field [placeholder]`,
				`families/a/b.cue:6:60: hiring step 2 is still a placeholder: write one interview or call a candidate goes through [placeholder]`,
				`families/a/b.cue:7:22: heading of section 1 is still a placeholder: write the section's heading [placeholder]`,
				`families/a/b.cue:7:47: text of section 1 is still a placeholder: write the section's text [placeholder]`,
			},
		},
		{
			name: "level fields name their level",
			src: fam("Example", `	senior: {
		title: "TODO: a title"
		grade: 7
		intro: "TODO: an intro"
		responsibilities: ["Does things.", "TODO: more"]
		requirements: ["TODO: a requirement"]
		sections: [{heading: "Travel", body: "TODO: how much"}]
	}
`, ladder),
			want: []string{
				`families/a/b.cue:5:10: title of level "senior" is still a placeholder: write the level's job title [placeholder]`,
				`families/a/b.cue:7:10: intro of level "senior" is still a placeholder: write a paragraph on what sets the level apart [placeholder]`,
				`families/a/b.cue:8:38: responsibility 2 of level "senior" is still a placeholder: write one thing people at this level are responsible for [placeholder]`,
				`families/a/b.cue:9:18: requirement 1 of level "senior" is still a placeholder: write one skill, experience or quality this level asks of candidates [placeholder]`,
				`families/a/b.cue:10:40: text of section 1 of level "senior" is still a placeholder: write the section's text [placeholder]`,
			},
		},
		{
			name: "a field the format does not know is named by its path",
			src:  fam("Example", level("senior", "Senior Engineer", 7, ""), ladder) + "notes: x: \"TODO: later\"\n",
			want: []string{
				`families/a/b.cue:15:11: notes.x is still a placeholder: replace it with the text it stands for [placeholder]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "placeholder", map[string]string{"families/a/b.cue": tt.src})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
