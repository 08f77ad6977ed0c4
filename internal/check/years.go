package check

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads the years of experience that a requirement asks for,
// for the experience-order and template rules. It is a hand-written
// scanner where there were regular expressions: on families that state
// years in most requirements, as many real pages do, Go's backtracking
// matcher with captures was a fifth of validate's time. The scanner finds
// exactly what these expressions found, matched leftmost-first as Go's
// regexp package does, down to its case folding ("ſ" is an "s") and its
// ASCII-only word boundaries; years_test.go keeps the expressions and
// compares the two on many generated texts:
//
//	years:          (?i)\b(N)(?:\s*\+|\s*(?:-|–|—|to)\s*(N)\s*\+?)?\s*(?:years?|yrs)\b
//	N:              \d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty
//	not experience: (?i)^\s*(?:of\s+)?(?:\w+\s+)?(?:school|study|studies|college|university|degree)\b

// yearsSpan is a statement of years in a text s: s[start:end], such as
// "3+ years" or "two to four yrs", whose first number is s[start:numEnd].
type yearsSpan struct{ start, numEnd, end int }

// experienceYears appends to out the statements of years of experience in
// s, left to right: every statement of years, except those that follow
// "within", "last" or "past" (a span of time, not experience) and those
// followed by school, study, college, university or degree ("2 years of
// law school").
func experienceYears(s string, out []yearsSpan) []yearsSpan {
	// A statement needs "year" or "yrs"; most requirements have neither.
	if !mentionsYears(s) {
		return out
	}
	for i := 0; i < len(s); {
		c := s[i]
		// A number starts with a digit, with the first letter of a number
		// word in either case, or with "ſ", which case folding makes an
		// "s": "ſix" is "six".
		if numberStarts[c] && asciiBoundary(s, i) {
			if numEnd, end, ok := yearsAt(s, i); ok {
				if !lowerHasSuffix(s[:i], "within ") && !lowerHasSuffix(s[:i], "last ") && !lowerHasSuffix(s[:i], "past ") && !notExperience(s[end:]) {
					out = append(out, yearsSpan{start: i, numEnd: numEnd, end: end})
				}
				i = end
				continue
			}
		}
		i++
	}
	return out
}

// numberStarts holds the bytes a number may start with.
var numberStarts = func() (b [256]bool) {
	for c := '0'; c <= '9'; c++ {
		b[c] = true
	}
	for _, w := range numberWords {
		b[w[0]], b[w[0]-'a'+'A'] = true, true
	}
	b["ſ"[0]] = true
	return b
}()

// yearsAt matches a statement of years at s[i:], trying the alternatives in
// the order the expression does and taking the first that leads to a
// match: "fourteen years" first tries "four", which "teen" then fails.
func yearsAt(s string, i int) (numEnd, end int, ok bool) {
	if isDigit(s[i]) {
		j := digitsEnd(s, i)
		// A shorter run of digits would leave a digit where a space, a
		// "+", a dash, "to" or the unit must follow.
		end, ok := afterFirstNumber(s, j)
		return j, end, ok
	}
	c := lowerASCII[s[i]]
	for _, w := range numberWords {
		// A word whose first letter is not there cannot match: only
		// "ſ", a byte beyond ASCII, is another way to write a letter.
		if w[0] != c && c < utf8.RuneSelf {
			continue
		}
		if j := foldPrefix(s, i, w); j >= 0 {
			if end, ok := afterFirstNumber(s, j); ok {
				return j, end, true
			}
		}
	}
	return 0, 0, false
}

// afterFirstNumber matches `(?:\s*\+|\s*(?:-|–|—|to)\s*(N)\s*\+?)?` and the
// unit at s[j:], preferring the "+", then a range, then neither.
func afterFirstNumber(s string, j int) (int, bool) {
	k := skipSpace(s, j)
	if k < len(s) && s[k] == '+' {
		if end, ok := unit(s, k+1); ok {
			return end, true
		}
	}
	if n := rangeDash(s, k); n > 0 {
		if end, ok := rangeEnd(s, skipSpace(s, k+n)); ok {
			return end, true
		}
	}
	return unit(s, j)
}

// rangeDash returns the length of the "-", "–", "—" or "to" (in any case)
// at s[k:] that joins the numbers of a range, or 0.
func rangeDash(s string, k int) int {
	switch {
	case k >= len(s):
		return 0
	case s[k] == '-':
		return 1
	case strings.HasPrefix(s[k:], "–"), strings.HasPrefix(s[k:], "—"):
		return len("–")
	}
	if j := foldPrefix(s, k, "to"); j >= 0 {
		return j - k
	}
	return 0
}

// rangeEnd matches the second number of a range, an optional "+" and the
// unit at s[i:].
func rangeEnd(s string, i int) (int, bool) {
	if i < len(s) && isDigit(s[i]) {
		return afterSecondNumber(s, digitsEnd(s, i))
	}
	for _, w := range numberWords {
		if j := foldPrefix(s, i, w); j >= 0 {
			if end, ok := afterSecondNumber(s, j); ok {
				return end, true
			}
		}
	}
	return 0, false
}

// afterSecondNumber matches `\s*\+?` and the unit at s[j:].
func afterSecondNumber(s string, j int) (int, bool) {
	k := skipSpace(s, j)
	if k < len(s) && s[k] == '+' {
		if end, ok := unit(s, k+1); ok {
			return end, true
		}
	}
	return unit(s, k)
}

// unit matches `\s*(?:years?|yrs)\b` at s[j:]: "years" before "year",
// since "?" is greedy, then "yrs".
func unit(s string, j int) (int, bool) {
	k := skipSpace(s, j)
	if e := foldPrefix(s, k, "year"); e >= 0 {
		if e2 := foldPrefix(s, e, "s"); e2 >= 0 && asciiBoundary(s, e2) {
			return e2, true
		}
		return e, asciiBoundary(s, e)
	}
	if e := foldPrefix(s, k, "yrs"); e >= 0 && asciiBoundary(s, e) {
		return e, true
	}
	return 0, false
}

// studyWords follow years that count study, not experience.
var studyWords = []string{"school", "study", "studies", "college", "university", "degree"}

// notExperience reports whether s, the text after a statement of years,
// starts with `\s*(?:of\s+)?(?:\w+\s+)?` and a word of studyWords: "of law
// school", " college".
func notExperience(s string) bool {
	i := skipSpace(s, 0)
	if j := foldPrefix(s, i, "of"); j >= 0 {
		if k := skipSpace(s, j); k > j && studyAfterWord(s, k) {
			return true
		}
	}
	// Without "of", which may then be the word before the study word.
	return studyAfterWord(s, i)
}

// studyAfterWord matches `(?:\w+\s+)?` and a study word at s[i:]. The
// word, when there is one, is the whole run of word characters: a shorter
// one would leave a word character where a space must follow.
func studyAfterWord(s string, i int) bool {
	if j := foldWordEnd(s, i); j > i {
		if k := skipSpace(s, j); k > j && studyWord(s, k) {
			return true
		}
	}
	return studyWord(s, i)
}

func studyWord(s string, i int) bool {
	for _, w := range studyWords {
		if j := foldPrefix(s, i, w); j >= 0 && asciiBoundary(s, j) {
			return true
		}
	}
	return false
}

// mayLackYears reports whether s may hold what noYearsRE matches: a digit,
// perhaps a "+", spaces and "of", in any case. It is cheaper than the
// expression, which needs all of them, and nearly every requirement lacks
// them: one that states years writes "years" after its number.
func mayLackYears(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i + 1
		if j < len(s) && s[j] == '+' {
			j++
		}
		if k := skipSpace(s, j); k > j && foldPrefix(s, k, "of") >= 0 {
			return true
		}
	}
	return false
}

// mentionsYears reports whether s holds "ye" or "yr" in any case, as every
// unit of a statement of years ("year", "years", "yrs") does.
func mentionsYears(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == 'y' || s[i] == 'Y') && (s[i+1] == 'r' || s[i+1] == 'R' || s[i+1] == 'e' || s[i+1] == 'E') {
			return true
		}
	}
	return false
}

// foldPrefix returns the offset in s after w, a word in lower-case ASCII
// letters, when s[i:] starts with it under Go's case folding (Unicode's
// simple folding: "ſ" is an "s" and the Kelvin sign "K" a "k"), or -1.
func foldPrefix(s string, i int, w string) int {
	for k := 0; k < len(w); k++ {
		c := w[k]
		switch {
		case i < len(s) && (s[i] == c || s[i] == c-'a'+'A'):
			i++
		case c == 's' && strings.HasPrefix(s[i:], "ſ"):
			i += len("ſ")
		case c == 'k' && strings.HasPrefix(s[i:], "K"):
			i += len("K")
		default:
			return -1
		}
	}
	return i
}

// foldWordEnd returns the end of the run of word characters at s[i:]: what
// `\w+` matches under (?i), ASCII letters, digits and "_", and the "ſ" and
// "K" that fold into ASCII letters.
func foldWordEnd(s string, i int) int {
	for i < len(s) {
		switch {
		case isWordByte(s[i]):
			i++
		case strings.HasPrefix(s[i:], "ſ"):
			i += len("ſ")
		case strings.HasPrefix(s[i:], "K"):
			i += len("K")
		default:
			return i
		}
	}
	return i
}

// asciiBoundary is `\b` at offset i of s: a word character on one side
// only, where Go's word characters are ASCII letters, digits and "_". A
// byte of a multi-byte character is never one, as the character is not.
func asciiBoundary(s string, i int) bool {
	return (i > 0 && isWordByte(s[i-1])) != (i < len(s) && isWordByte(s[i]))
}

func isWordByte(c byte) bool { return c == '_' || isDigit(c) || asciiLetter(c) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// skipSpace returns the offset after the `\s*` at s[i:]: tab, newline,
// form feed, carriage return and space, as Go's `\s` (not "\v").
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case '\t', '\n', '\f', '\r', ' ':
			i++
		default:
			return i
		}
	}
	return i
}

// lowerHasSuffix reports whether strings.ToLower(s) ends with suffix, an
// ASCII string in lower case, without lowering all of s: it lowers the
// characters of s from its end, as many as suffix has ("İ" lowers to "i").
func lowerHasSuffix(s, suffix string) bool {
	for k := len(suffix) - 1; k >= 0; k-- {
		r, n := utf8.DecodeLastRuneInString(s)
		if n == 0 || unicode.ToLower(r) != rune(suffix[k]) {
			return false
		}
		s = s[:len(s)-n]
	}
	return true
}
