package check

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// listLevel returns a level block with the given requirements and extra
// fields, for rules that read requirements.
func listLevel(id, title string, grade int, reqs, extra string) string {
	return "\t" + `"` + id + `": {
		title: "` + title + `"
		grade: ` + strconv.Itoa(grade) + `
		responsibilities: ["Does the work of a ` + title + `."]
		requirements: [` + reqs + `]
` + extra + `	}
`
}

func TestDuplicateItem(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "distinct bullets",
			files: map[string]string{
				"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 7, "")+level("staff", "Staff Engineer", 8, ""), ladder),
			},
		},
		{
			name: "a requirement twice, ignoring case, spacing and the final period",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7, `"Knows SQL.", "Writes well.", "knows  SQL"`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:48: requirement 3 of level "senior" repeats requirement 1, "Knows SQL.": remove one of them [duplicate-item]`,
			},
		},
		{
			name: "a performance indicator twice",
			files: map[string]string{
				"families/a/one.cue": `title: "One"
description: "Builds and runs example systems."
levels: {
` + level("senior", "Senior Engineer", 7, "") + `}
performanceIndicators: [{title: "Examples shipped"}, {title: "Examples Shipped!"}]
hiringProcess: steps: ["Screening call with a recruiter"]
` + ladder,
			},
			want: []string{
				`families/a/one.cue:11:62: performance indicator 2 repeats performance indicator 1, "Examples shipped": remove one of them [duplicate-item]`,
			},
		},
		{
			name: "a level repeats a bullet of the level it extends, transitively",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"Knows SQL."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"Leads projects."`, "\t\textends: requirements: \"junior\"\n")+
						listLevel("staff", "Staff Engineer", 8, `"Sets direction.", "Knows SQL"`, "\t\textends: requirements: \"senior\"\n"), ladder),
			},
			want: []string{
				`families/a/one.cue:21:37: level "staff" repeats requirement "Knows SQL." of level "junior", whose requirements it extends: remove it here [duplicate-item]`,
			},
		},
		{
			name: "levels that do not extend may share bullets",
			files: map[string]string{
				"families/a/one.cue": fam("One",
					listLevel("junior", "Junior Engineer", 6, `"Knows SQL."`, "")+
						listLevel("senior", "Senior Engineer", 7, `"Knows SQL."`, ""), ladder),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "duplicate-item", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestItemKey compares itemKey, one pass byte by byte, with what it
// means: the text lowered, its runs of spaces made one, without the
// spaces and punctuation that end it.
func TestItemKey(t *testing.T) {
	tokens := []string{"A", "b", "Z", "é", "É", "İ", "Ⱥ", "ß", " ", "  ", "\t", "\n", "\u00a0", "\u2003", ".", "!", "?", ",", ";", ":", "'", "-", "1",
		"\xff", "\xe2\x80", "\xf0\x9f\x98\x80"}
	for s := range texts(3, 50_000, 11, tokens) {
		want := strings.TrimRight(strings.Join(strings.Fields(strings.ToLower(s)), " "), ".,;:!? ")
		if got := itemKey(s); got != want {
			t.Fatalf("itemKey(%q) = %q, want %q", s, got, want)
		}
		// As the next key of a list, after another in the same buffer.
		if got := string(appendItemKey([]byte("x. "), s)); got != "x. "+want {
			t.Fatalf("appendItemKey(\"x. \", %q) = %q, want %q", s, got, "x. "+want)
		}
	}
}
