package check

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
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

// refKeysUsed is how the rule found the key words of a family before
// keysIn: the text lowered as a whole, then split into words.
func refKeysUsed(lower string, keys map[string]bool) map[string]bool {
	used := map[string]bool{}
	for _, w := range strings.FieldsFunc(lower, notWordRune) {
		if keys[w] {
			used[w] = true
		}
	}
	return used
}

// TestKeysIn compares keysIn, which lowers word by word, with lowering the
// whole text first, on many texts made of the default policy's key words
// in other cases and of characters that lowering treats apart.
func TestKeysIn(t *testing.T) {
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	_, keys, filter := compileTerms(s.Policy.InclusiveLanguage)
	tokens := []string{" ", "\n", "-", "'", "/", "_", "3", "٣", "é", "É", "ß", "İ", "ǅ", "Ⅰ", "K", "ſ", "\xff", "\xe2\x80",
		strings.Repeat("A", 70), strings.Repeat("b", 64), "x"}
	for k := range keys {
		tokens = append(tokens, k, strings.ToUpper(k), strings.ToUpper(k[:1])+k[1:])
	}
	slices.Sort(tokens) // The map's order is random; the texts should not be.
	rng := rand.New(rand.NewPCG(7, 2026))
	found := 0
	var b strings.Builder
	for range 50_000 {
		b.Reset()
		for range 1 + rng.IntN(8) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
		}
		text := b.String()
		want := refKeysUsed(strings.ToLower(text), keys)
		var got map[string]bool
		has := keysIn(text, keys, filter, &got)
		if got == nil {
			got = map[string]bool{}
		}
		if diff := cmp.Diff(want, got); diff != "" || has != (len(want) > 0) {
			t.Fatalf("keysIn(%q) = %v, differs from lowering the text first (-want +got):\n%s", text, has, diff)
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("no text held a key word: the test checks nothing")
	}
}

// TestLowerKeepsWords checks what keysIn relies on: lowering a character
// never makes a letter or digit of another character or the reverse.
func TestLowerKeepsWords(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if notWordRune(r) != notWordRune(unicode.ToLower(r)) {
			t.Errorf("%U lowers to %U, which splits words otherwise", r, unicode.ToLower(r))
		}
	}
}
