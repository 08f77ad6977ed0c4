package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "complete family",
			src:  fam("Example", level("senior", "Senior Engineer", 7, ""), ladder),
		},
		{
			name: "missing family sections are reported at the top of the file",
			src: `title: "Example"
levels: senior: {title: "Senior Engineer", grade: 7, responsibilities: ["x"], requirements: ["y"]}
`,
			want: []string{
				`families/a/b.cue:1:1: the family has no "careerLadder": add it, the policy requires it [required]`,
				`families/a/b.cue:1:1: the family has no "description": add it, the policy requires it [required]`,
				`families/a/b.cue:1:1: the family has no "hiringProcess": add it, the policy requires it [required]`,
				`families/a/b.cue:1:1: the family has no "performanceIndicators": add it, the policy requires it [required]`,
			},
		},
		{
			name: "missing level fields are reported at the level",
			src:  fam("Example", "\tsenior: {title: \"Senior Engineer\"}\n", ladder),
			want: []string{
				`families/a/b.cue:4:2: level "senior" has no "grade": add it, the policy requires it [required]`,
				`families/a/b.cue:4:2: level "senior" has no "requirements": add it, the policy requires it [required]`,
				`families/a/b.cue:4:2: level "senior" has no "responsibilities": add it, the policy requires it [required]`,
			},
		},
		{
			name: "empty values are reported where they are",
			src:  fam("Example", "\tsenior: {title: \"  \", grade: 7, responsibilities: [], requirements: [\"y\"]}\n", ladder),
			want: []string{
				`families/a/b.cue:4:18: "title" of level "senior" is empty: fill it in, the policy requires it [required]`,
				`families/a/b.cue:4:52: "responsibilities" of level "senior" is empty: fill it in, the policy requires it [required]`,
			},
		},
		{
			name: "an empty levels struct",
			src:  fam("Example", "", ladder),
			want: []string{
				`families/a/b.cue:3:9: "levels" of the family is empty: fill it in, the policy requires it [required]`,
			},
		},
		{
			name: "items of lists need their title or heading",
			src: `title: "Example"
description: "Builds and runs example systems."
levels: senior: {title: "Senior Engineer", grade: 7, responsibilities: ["x"], requirements: ["y"]}
performanceIndicators: [{title: "Examples shipped"}, {url: "https://example.com"}]
careerLadder: next: ["https://example.com/careers"]
hiringProcess: steps: ["Screening call with a recruiter"]
sections: [{heading: "About", body: "x"}, {body: "y"}, {depth: 3}]
`,
			want: []string{
				`families/a/b.cue:4:54: performance indicator 2 has no title: add one [required]`,
				`families/a/b.cue:7:56: section 3 has neither a heading nor a body: fill it in or remove it [required]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "required", map[string]string{"families/a/b.cue": tt.src})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
