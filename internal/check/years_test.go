package check

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The regular expressions that the scanner of years.go replaced, and the
// loops around them, as they were: the reference the scanner must agree
// with, match for match, so that the rules' findings stay the same.
const refNumberWord = `\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty`

var (
	refYearsRE         = regexp.MustCompile(`(?i)\b(` + refNumberWord + `)(?:\s*\+|\s*(?:-|–|—|to)\s*(` + refNumberWord + `)\s*\+?)?\s*(?:years?|yrs)\b`)
	refNotExperienceRE = regexp.MustCompile(`(?i)^\s*(?:of\s+)?(?:\w+\s+)?(?:school|study|studies|college|university|degree)\b`)
)

// refExperienceYears is requiredYears' loop over one text before the
// scanner, without its "ye"/"yr" prefilter, which the comparison checks too.
func refExperienceYears(t testing.TB, s string) []yearsSpan {
	var out []yearsSpan
	for _, m := range refYearsRE.FindAllStringSubmatchIndex(s, -1) {
		if m[2] != m[0] {
			t.Fatalf("the first number of %q starts at %d, not at the match's %d", s, m[2], m[0])
		}
		before := strings.ToLower(s[:m[0]])
		if strings.HasSuffix(before, "within ") || strings.HasSuffix(before, "last ") || strings.HasSuffix(before, "past ") || refNotExperienceRE.MatchString(s[m[1]:]) {
			continue
		}
		out = append(out, yearsSpan{start: m[0], numEnd: m[3], end: m[1]})
	}
	return out
}

// refMayLackYears was the prefilter of noYearsRE before mayLackYears.
func refMayLackYears(s string) bool {
	return strings.Contains(strings.ToLower(s), "experience") && strings.ContainsAny(s, "0123456789")
}

// compareYears fails t when the scanner and the reference disagree on s.
func compareYears(t testing.TB, s string) {
	t.Helper()
	want := refExperienceYears(t, s)
	got := experienceYears(s, nil)
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(yearsSpan{})); diff != "" {
		t.Fatalf("experienceYears(%q) differs from the regular expressions (-want +got):\n%s", s, diff)
	}
	// The missing unit: the rule runs noYearsRE where either prefilter
	// passes; they must let through every text it matches.
	if noYearsRE.MatchString(s) && (!mayLackYears(s) || !refMayLackYears(s)) {
		t.Fatalf("noYearsRE matches %q, which mayLackYears (%v) or the old prefilter (%v) leaves out", s, mayLackYears(s), refMayLackYears(s))
	}
}

func TestExperienceYears(t *testing.T) {
	tests := []struct {
		text string
		want []string // each statement as "text=number"
	}{
		{"3+ years of experience in IT.", []string{"3+ years=3"}},
		{"Minimum of 5 years of relevant experience.", []string{"5 years=5"}},
		{"2-4 years; 2 – 4 yrs; 2—4 YEARS; 2to4years", []string{"2-4 years=2", "2 – 4 yrs=2", "2—4 YEARS=2", "2to4years=2"}},
		{"Five years, two to four years, 3 to 5+ years.", []string{"Five years=Five", "two to four years=two", "3 to 5+ years=3"}},
		{"Fourteen years, not nineteen years.", []string{"Fourteen years=Fourteen"}},
		{"10+ yrs, 1 year, 2 yr, 3years2", []string{"10+ yrs=10", "1 year=1"}},
		{"Within 2 years, in the last 3 years, the past 4 years.", nil},
		{"Completed 2 years of law school; 4+ years of experience.", []string{"4+ years=4"}},
		{"2 years college, 3 years of study, 1 year of studies", nil},
		{"2 years of schooling", []string{"2 years=2"}},
		// Go's case folding makes "ſ" an "s", and its word boundaries are
		// ASCII only.
		{"5 yearſ of experience", []string{"5 year=5"}},
		{"5 years of ſchool", nil},
		{"wİthin 2 years", nil},
		{"x5 years, 5x years, _5 years", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, m := range experienceYears(tt.text, nil) {
				got = append(got, tt.text[m.start:m.end]+"="+tt.text[m.start:m.numEnd])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("experienceYears(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
			compareYears(t, tt.text)
		})
	}
}

// yearsTokens are the pieces of the generated texts: everything the
// expressions treat specially, in several cases and spellings, the
// characters that Go's case folding and word boundaries treat apart, and
// broken UTF-8.
var yearsTokens = []string{
	" ", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u00a0",
	"+", "-", "–", "—", "to", "TO", "tO", "t", "o",
	"0", "1", "2", "10", "15", "123", "99999999999999999999",
	"one", "One", "two", "TWO", "three", "four", "Four", "fourteen", "teen", "five", "six", "ſix", "seven", "eight",
	"nine", "nineteen", "ten", "eleven", "twelve", "thirteen", "fifteen", "twenty", "twenty-one",
	"year", "years", "Years", "YEARS", "yearſ", "yrs", "YRS", "yrſ", "yr", "ye", "y", "s", "ſ", "K", "k",
	"of", "OF", "of ", "law", "school", "ſchool", "study", "studies", "studieſ", "college", "university", "degree",
	"within", "wİthin", "WITHIN", "last", "LAST", "past", "Past", "in the",
	"experience", "Experience", "relevant", "work", "professional", " of experience", "+ of work experience",
	"a", "_", "x", "é", "İ", ".", ",", ";", "(", ")", "'", "’",
	"\xff", "\xc5", "\xe2\x80", "\xf0\x9f",
}

// TestExperienceYearsGenerated compares the scanner with the expressions
// on many texts made of yearsTokens, the same texts on every run.
func TestExperienceYearsGenerated(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	rng := rand.New(rand.NewPCG(12, 2026))
	var b strings.Builder
	for range n {
		b.Reset()
		for range 1 + rng.IntN(12) {
			b.WriteString(yearsTokens[rng.IntN(len(yearsTokens))])
		}
		compareYears(t, b.String())
	}
}

// TestExperienceYearsCorpus compares the scanner with the expressions on
// every line of the corpus of real handbook pages, when it is there
// (../shared/corpus from the repository's root).
func TestExperienceYearsCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "gitlab-handbook")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no corpus: %v", err)
	}
	lines := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for line := range strings.Lines(string(src)) {
			compareYears(t, line)
			lines++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d lines compared", lines)
}

// FuzzExperienceYears compares the scanner with the expressions on any
// text:
//
//	go test ./internal/check -run '^$' -fuzz FuzzExperienceYears -fuzztime 60s
func FuzzExperienceYears(f *testing.F) {
	for _, s := range []string{
		"3+ years of experience", "2 to four yrs", "fourteen years", "within 2 years", "2 years of law school",
		"5 yearſ", "aſix years", "2-3 of experience", "wİthin 5 years",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { compareYears(t, s) })
}
