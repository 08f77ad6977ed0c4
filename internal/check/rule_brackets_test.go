package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBrackets(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "balanced, with list markers, inline code and quotes",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7,
					`"Knows [SQL](https://example.com/sql_(language)) (and \"NoSQL\"): a) tables b) views; writes `+"`f(x`"+`."`, ""), ladder),
			},
		},
		{
			name: "a parenthesis never closed",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7, `"Works with (a) product (m"`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:42: "(" at "(m" is never closed: add ")" or remove it [brackets]`,
			},
		},
		{
			name: "a Markdown link not closed",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7, `"See [the ladder](/job-families/a/two/."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:35: the Markdown link at "(/job-families/a/two/." is not closed: add ")" after its URL [brackets]`,
			},
		},
		{
			name: "a closer with no opener, and a wrong closer",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7, `"Reports to the Manager](/x/).", "See [a)."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:41: "]" at "](/x/)." has no opening "[": add it or remove this one [brackets]`,
				`families/a/one.cue:8:56: "[" at "[a)." is closed by ")": close it with "]" [brackets]`,
			},
		},
		{
			name: "an odd straight quote and an open curly quote",
			files: map[string]string{
				"families/a/one.cue": fam("One", listLevel("senior", "Senior Engineer", 7, `"Uses GitLab\"", "Says “hello."`, ""), ladder),
			},
			want: []string{
				`families/a/one.cue:8:30: the quote at "\"" is never closed: add the closing quote or remove this one [brackets]`,
				`families/a/one.cue:8:41: "“" at "“hello." is never closed: add "”" or remove it [brackets]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "brackets", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBracketRunes compares bracketRunes, which skips byte by byte, with
// ranging over the runes of texts that mix the characters the rule reads
// with other text, multi-byte characters and broken UTF-8.
func TestBracketRunes(t *testing.T) {
	tokens := []string{"(", ")", "[", "]", "{", "}", "`", `"`, "“", "”", "‘", "’", "—", "é", "a", " ", "\n",
		"\xe2", "\xe2\x80", "\x80", "\xf0\x9f", "\xf0\x9f\x98\x80", "\xff"}
	read := map[rune]bool{'(': true, ')': true, '[': true, ']': true, '{': true, '}': true, '`': true, '"': true, '“': true, '”': true}
	for s := range texts(12, 20_000, 9, tokens) {
		var want, got [][2]int
		for i, c := range s {
			if read[c] {
				want = append(want, [2]int{i, int(c)})
			}
		}
		for i, c := range bracketRunes(s) {
			got = append(got, [2]int{i, int(c)})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("bracketRunes(%q) (-want +got):\n%s", s, diff)
		}
	}
}
