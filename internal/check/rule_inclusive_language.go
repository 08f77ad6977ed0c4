package check

import (
	"regexp"
	"slices"
	"strings"
	"sync"

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
	terms := compileTerms(env.Policy.InclusiveLanguage)
	for _, t := range f.TextFields() {
		s := prose(t.Value)
		var taken [][2]int
		for _, ct := range terms {
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
}

// termCache holds the compiled terms of the last list seen: a run has one
// policy.
var termCache struct {
	sync.Mutex
	list  []family.Term
	terms []compiledTerm
}

// compileTerms returns the patterns of list, longest term first, so that
// "native English speaker" is reported rather than a shorter term in it.
func compileTerms(list []family.Term) []compiledTerm {
	termCache.Lock()
	defer termCache.Unlock()
	if len(list) > 0 && len(termCache.list) == len(list) && &termCache.list[0] == &list[0] {
		return termCache.terms
	}
	terms := make([]compiledTerm, 0, len(list))
	for _, t := range list {
		ct := compiledTerm{Term: t, re: phrase(t.Term)}
		for _, e := range t.Except {
			ct.except = append(ct.except, phrase(e))
		}
		terms = append(terms, ct)
	}
	slices.SortStableFunc(terms, func(a, b compiledTerm) int { return len(b.Term.Term) - len(a.Term.Term) })
	termCache.list, termCache.terms = list, terms
	return terms
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
