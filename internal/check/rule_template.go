package check

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/jobfam/jobfam/internal/family"
)

var ruleTemplate = &Rule{
	ID:       "template",
	Summary:  "a family departs from GitLab's written job-family template: indicator count, experience at low grades, location or vacancy wording",
	Severity: "off",
	Family:   checkTemplate,
}

// checkTemplate applies the rules GitLab's handbook template states in
// words. They are GitLab's conventions, not mistakes, so the rule is off
// unless the policy enables it; its thresholds and phrases are
// policy.template.
func checkTemplate(env *Env, f *family.Family, r *Reporter) {
	if env.Policy == nil {
		return
	}
	tp := env.Policy.Template

	if n := len(f.PerformanceIndicators); n > 0 && tp.Indicators.Max > 0 {
		list := f.Root.Get("performanceIndicators")
		switch {
		case n < tp.Indicators.Min:
			r.Report(list.Pos, "the template asks for %d to %d performance indicators and the family has %d: add %d", tp.Indicators.Min, tp.Indicators.Max, n, tp.Indicators.Min-n)
		case n > tp.Indicators.Max:
			r.Report(list.List[tp.Indicators.Max].Pos, "the template asks for %d to %d performance indicators and the family has %d: keep the %d that matter most", tp.Indicators.Min, tp.Indicators.Max, n, tp.Indicators.Max)
		}
	}

	for _, l := range f.Levels {
		if !l.Grade.Set() || l.Grade.Value > tp.NoExperienceUpToGrade {
			continue
		}
		for _, a := range requiredYears(l) {
			r.Report(a.pos, "%q at grade %d asks for %q: the template asks for no years of experience up to grade %d, so describe the skills instead",
				levelName(l), l.Grade.Value, a.text, tp.NoExperienceUpToGrade)
		}
	}

	location := phrasesFor(tp.Location)
	vacancy := phrasesFor(tp.Vacancy)
	if location == nil && vacancy == nil {
		return
	}
	for _, t := range f.TextFields() {
		// Lowered once for both prefilters; without capitals, as most
		// text is, ToLower returns the text itself.
		lower := strings.ToLower(t.Value)
		for _, m := range location.findAll(t.Value, lower) {
			r.Report(posAt(t, m[0]), "%q is a location requirement: job families are open to every location, so remove it", t.Value[m[0]:m[1]])
		}
		for _, m := range vacancy.findAll(t.Value, lower) {
			r.Report(posAt(t, m[0]), "%q is vacancy wording: describe the role (\"the specialist does ...\"), not an opening", t.Value[m[0]:m[1]])
		}
	}
}

// phraseMatcher finds the phrases of a list in a text: phraseRE, behind a
// prefilter, since nearly every text holds none of them and the pattern
// costs far more than looking for a word.
type phraseMatcher struct {
	re *regexp.Regexp
	// keys holds a word of each phrase, in lower case, that a text must
	// hold, ignoring ASCII case, for the phrase to match: its longest run
	// of ASCII letters other than "k" and "s", the only letters that Go's
	// case folding matches with other characters (the Kelvin sign and
	// "ſ"). It is nil when a phrase has no such letter; every text is
	// then searched.
	keys []string
}

// phraseMatchers caches a phraseMatcher by its list of phrases: a run has
// one policy, and compiling the pattern for every family cost more than
// running it.
var phraseMatchers sync.Map // phrases joined by "\x00" -> *phraseMatcher

// phrasesFor returns the matcher of phrases, nil when there are none.
func phrasesFor(phrases []string) *phraseMatcher {
	if len(phrases) == 0 {
		return nil
	}
	id := strings.Join(phrases, "\x00")
	if m, ok := phraseMatchers.Load(id); ok {
		return m.(*phraseMatcher)
	}
	m := &phraseMatcher{re: phraseRE(phrases)}
	for _, p := range phrases {
		key := foldSafeKey(p)
		if key == "" {
			m.keys = nil
			break
		}
		m.keys = append(m.keys, key)
	}
	got, _ := phraseMatchers.LoadOrStore(id, m)
	return got.(*phraseMatcher)
}

// foldSafeKey returns the longest run of ASCII letters of p other than
// "k" and "s", in lower case: "must be located in" gives "located".
func foldSafeKey(p string) string {
	p = strings.ToLower(p)
	key := ""
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && asciiLetter(p[j]) && p[j] != 'k' && p[j] != 's' {
			j++
		}
		if j-i > len(key) {
			key = p[i:j]
		}
		i = j + 1
	}
	return key
}

// findAll returns the offsets of the phrases in s, whose lower case is
// lower, as phraseRE's FindAllStringIndex does.
func (m *phraseMatcher) findAll(s, lower string) [][]int {
	if m == nil {
		return nil
	}
	if m.keys != nil && !slices.ContainsFunc(m.keys, func(k string) bool { return strings.Contains(lower, k) }) {
		return nil
	}
	return m.re.FindAllStringIndex(s, -1)
}

// phraseRE matches any of phrases as whole words, ignoring case and the
// kind of apostrophe; nil when there are none.
func phraseRE(phrases []string) *regexp.Regexp {
	if len(phrases) == 0 {
		return nil
	}
	alts := make([]string, len(phrases))
	for i, p := range phrases {
		q := regexp.QuoteMeta(p)
		q = strings.ReplaceAll(q, "'", "['’]")
		q = strings.ReplaceAll(q, " ", `\s+`)
		alts[i] = q
	}
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
}
