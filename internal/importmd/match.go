package importmd

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/jobfam/jobfam/internal/suggest"
)

// extendsSentence is "Extends the <name> responsibilities plus:" and its
// variants: "Extends that of the <name> requirements", with or without
// "plus" and the colon.
var extendsSentence = regexp.MustCompile(`^(?i:extends)\s+(?:(?i:that)\s+(?i:of)\s+)?(?:(?i:the)\s+)?(.+?)\s+((?i:responsibilit)\w*|(?i:requirements?))(?:\s+(?i:plus))?\s*:?$`)

// parseExtends reads an "Extends ..." sentence: the level it names, and
// whether it is written exactly as jobfam renders it for part k.
func parseExtends(text string, k kind) (name string, canonical, ok bool) {
	t := strings.Join(strings.Fields(text), " ")
	m := extendsSentence.FindStringSubmatch(t)
	if m == nil || strings.ContainsAny(m[1], "[]`<*") {
		return "", false, false
	}
	return m[1], text == "Extends the "+m[1]+" "+k.String()+" plus:", true
}

// stopWords carry nothing when titles are compared.
var stopWords = map[string]bool{"the": true, "of": true, "a": true, "an": true, "and": true, "for": true, "to": true, "in": true}

// words returns the lowercase words of s, without stop words.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), notWord)
	out := f[:0]
	for _, w := range f {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// sameWord reports whether two words are the same for matching titles:
// equal, one edit apart ("parnter", "partner"), or sharing a stem of six
// letters ("management", "manager").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) >= 5 && len(b) >= 5 && suggest.Distance(a, b) <= 1 {
		return true
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 6
}

// overlap scores how well name matches title: the share of words matched,
// out of the longer of the two, from 0 to 1.
func overlap(name, title string) float64 {
	nw, tw := words(name), words(title)
	if len(nw) == 0 || len(tw) == 0 {
		return 0
	}
	used := make([]bool, len(tw))
	matched := 0
	for _, a := range nw {
		for j, b := range tw {
			if !used[j] && sameWord(a, b) {
				used[j] = true
				matched++
				break
			}
		}
	}
	return float64(matched) / float64(max(len(nw), len(tw)))
}

// minOverlap is the least score that makes a match: half the words.
const minOverlap = 0.5

// rankWords are the words that tell a family's levels apart. A name and a
// title match only when they have the same ones: "Junior Technology
// Partner Manager" is not "Associate Technology Partner Manager", however
// many other words they share.
var rankWords = map[string]bool{
	"intern": true, "junior": true, "associate": true, "intermediate": true, "senior": true, "staff": true,
	"lead": true, "principal": true, "distinguished": true, "fellow": true, "director": true, "vp": true,
	"head": true, "chief": true, "executive": true,
}

// sameRank reports whether a and b have the same rank words.
func sameRank(a, b string) bool {
	ra, rb := map[string]bool{}, map[string]bool{}
	for _, w := range words(a) {
		if w == "sr" {
			w = "senior"
		}
		if rankWords[w] {
			ra[w] = true
		}
	}
	for _, w := range words(b) {
		if w == "sr" {
			w = "senior"
		}
		if rankWords[w] {
			rb[w] = true
		}
	}
	if len(ra) != len(rb) {
		return false
	}
	for w := range ra {
		if !rb[w] {
			return false
		}
	}
	return true
}

// covered reports whether every word of text is among the words of
// allowed: whether jobfam, rendering text of its own in place of text, would
// lose no word of it.
func covered(text string, allowed ...string) bool {
	have := map[string]bool{}
	for _, a := range allowed {
		for _, w := range strings.FieldsFunc(strings.ToLower(a), notWord) {
			have[w] = true
		}
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notWord) {
		if !have[w] {
			return false
		}
	}
	return true
}

func notWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// bestMatch returns the index of the title name matches best, or -1 when
// none reaches minOverlap or has the same rank words. Ties go to the title nearest by edit distance,
// then to the later title: a level usually extends the one just before it.
func bestMatch(name string, titles []string) int {
	best, bestScore, bestDist := -1, 0.0, 0
	for i, t := range titles {
		s := overlap(name, t)
		if s < minOverlap || !sameRank(name, t) {
			continue
		}
		d := suggest.Distance(strings.ToLower(name), strings.ToLower(t))
		if best < 0 || s > bestScore || s == bestScore && d <= bestDist {
			best, bestScore, bestDist = i, s, d
		}
	}
	return best
}

// names reports whether a part heading's prefix names the level title:
// every word of the prefix is in the title.
func names(prefix, title string) bool {
	pw, tw := words(prefix), words(title)
	if len(pw) == 0 {
		return false
	}
	for _, a := range pw {
		found := false
		for _, b := range tw {
			if sameWord(a, b) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sharesWord reports whether a and b have a word in common, stop words
// aside.
func sharesWord(a, b string) bool {
	wb := words(b)
	for _, x := range words(a) {
		if slices.Contains(wb, x) {
			return true
		}
	}
	return false
}
