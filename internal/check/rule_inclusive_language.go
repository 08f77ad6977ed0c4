package check

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jobfam/jobfam/internal/family"
)

var ruleInclusiveLanguage = &Rule{
	ID:       "inclusive-language",
	Summary:  "wording that excludes candidates, such as gender-coded or age-coded words",
	Severity: "warning",
	Family:   checkInclusiveLanguage,
}

// checkInclusiveLanguage reports the terms of the policy's
// inclusiveLanguage list in the text of a family: whole words and phrases,
// ignoring case and how words are spaced, unless one of the term's
// exceptions holds the match. Code and URLs are not read.
func checkInclusiveLanguage(env *Env, f *family.Family, r *Reporter) {
	if env.Policy == nil || len(env.Policy.InclusiveLanguage) == 0 {
		return
	}
	terms, keys, filter := compileTerms(env.Policy.InclusiveLanguage)
	// One pass over the words of each text: a term whose key word the
	// family never uses is not looked for in any of its texts, which is
	// nearly every term of nearly every family, and a text without a key
	// word of the family's terms cannot hold one of them.
	texts := f.TextFields()
	var used map[string]bool
	var withKey []int
	for i, t := range texts {
		if keysIn(t.Value, keys, filter, &used) {
			withKey = append(withKey, i)
		}
	}
	if len(withKey) == 0 {
		return
	}
	var present []compiledTerm
	for _, ct := range terms {
		if used[ct.key] {
			present = append(present, ct)
		}
	}
	terms = present
	for _, i := range withKey {
		// Only a text with a key word is worth blanking out its code and
		// links for.
		t := texts[i]
		s := prose(t.Value)
		lower := strings.ToLower(s)
		var taken [][2]int
		for _, ct := range terms {
			if !containsWord(lower, ct.key) {
				continue
			}
		matches:
			for _, m := range ct.re.FindAllStringIndex(s, -1) {
				for _, e := range ct.except {
					for _, em := range e.FindAllStringIndex(s, -1) {
						if em[0] <= m[0] && m[1] <= em[1] {
							continue matches
						}
					}
				}
				for _, sp := range taken {
					if m[0] < sp[1] && sp[0] < m[1] {
						continue matches
					}
				}
				taken = append(taken, [2]int{m[0], m[1]})
				found := t.Value[m[0]:m[1]]
				r.Report(wordPos(t, m[0], found), "%q %s: write %s instead", found, ct.Why, alternatives(ct.Suggest))
			}
		}
	}
}

// compiledTerm is a term of the policy with its patterns.
type compiledTerm struct {
	family.Term
	re     *regexp.Regexp
	except []*regexp.Regexp
	// key is the term's longest word in lower case: a text without it
	// cannot match.
	key string
}

// termCache holds the compiled terms of the last list seen: a run has one
// policy.
var termCache struct {
	sync.Mutex
	list   []family.Term
	terms  []compiledTerm
	keys   map[string]bool
	filter *wordFilter
}

// compileTerms returns the patterns of list, longest term first, so that
// "native English speaker" is reported rather than a shorter term in it,
// and the set of their key words with its filter.
func compileTerms(list []family.Term) ([]compiledTerm, map[string]bool, *wordFilter) {
	termCache.Lock()
	defer termCache.Unlock()
	if len(list) > 0 && len(termCache.list) == len(list) && &termCache.list[0] == &list[0] {
		return termCache.terms, termCache.keys, termCache.filter
	}
	terms := make([]compiledTerm, 0, len(list))
	for _, t := range list {
		ct := compiledTerm{Term: t, re: phrase(t.Term), key: keyWord(t.Term)}
		for _, e := range t.Except {
			ct.except = append(ct.except, phrase(e))
		}
		terms = append(terms, ct)
	}
	slices.SortStableFunc(terms, func(a, b compiledTerm) int { return len(b.Term.Term) - len(a.Term.Term) })
	keys := make(map[string]bool, len(terms))
	for _, ct := range terms {
		keys[ct.key] = true
	}
	filter := newWordFilter(keys)
	termCache.list, termCache.terms, termCache.keys, termCache.filter = list, terms, keys, filter
	return terms, keys, filter
}

// phrase matches p as a whole word or phrase, ignoring case, with any
// spacing between its words.
func phrase(p string) *regexp.Regexp {
	words := strings.Fields(p)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	re := strings.Join(words, `\s+`)
	if wordByte(p, 0) {
		re = `\b` + re
	}
	if wordByte(p, len(p)-1) {
		re += `\b`
	}
	return regexp.MustCompile(`(?i)` + re)
}

// notWordRune splits text into the words a term's first word is one of.
func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// keyWord is the longest word of a term, in lower case, as notWordRune
// splits text ("s/he" gives "he", not "s", which every possessive has): a
// text that lacks it cannot hold the term.
func keyWord(term string) string {
	key := strings.ToLower(term)
	if ws := strings.FieldsFunc(key, notWordRune); len(ws) > 0 {
		key = ws[0]
		for _, w := range ws[1:] {
			if len(w) > len(key) {
				key = w
			}
		}
	}
	return key
}

// containsWord reports whether w stands in s as a whole word: not inside a
// longer word ("he" in "the" does not count).
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || notWordRune(before)) && (end == len(s) || notWordRune(after)) {
			return true
		}
		i = start + 1
	}
}

// keysIn reports whether a word of s, in lower case, is one of keys, and
// adds each such word to *used, which it makes when needed. Words are runs
// of letters and digits (notWordRune splits them), as in keyWord. A word
// is lowered on its own, without lowering all of s: unicode.ToLower never
// turns a letter or digit into another kind of character or back, so the
// words are those of the lowered text. filter, keys' filter, turns most
// words away before they are lowered and looked up.
func keysIn(s string, keys map[string]bool, filter *wordFilter, used *map[string]bool) bool {
	found := false
	var buf [64]byte
	for i := 0; i < len(s); {
		// Skip to the next word; ASCII byte by byte, as most text is.
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiLetter(c) && !isDigit(c) {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(s[i:]); notWordRune(r) {
			i += n
			continue
		}
		j, ascii, upper, h := i, true, false, hashStart
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if !asciiLetter(c) && !isDigit(c) {
					break
				}
				upper = upper || 'A' <= c && c <= 'Z'
				h = foldByte(h, c)
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[j:])
			if notWordRune(r) {
				break
			}
			ascii = false
			j += n
		}
		w := s[i:j]
		switch {
		case ascii && !filter.mayHoldHash(h):
			w = ""
		case !ascii:
			w = strings.ToLower(w)
		case upper && len(w) <= len(buf):
			b := buf[:len(w)]
			for k := range len(w) {
				c := w[k]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				b[k] = c
			}
			// Looking up string(b) does not copy it.
			if keys[string(b)] {
				w = string(b)
			} else {
				w = ""
			}
		case upper:
			w = strings.ToLower(w)
		}
		if w != "" && keys[w] {
			if *used == nil {
				*used = map[string]bool{}
			}
			(*used)[w] = true
			found = true
		}
		i = j
	}
	return found
}
