package check

import (
	"regexp"
	"strings"

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

	location := phraseRE(tp.Location)
	vacancy := phraseRE(tp.Vacancy)
	for _, t := range f.TextFields() {
		if location != nil {
			for _, m := range location.FindAllStringIndex(t.Value, -1) {
				r.Report(posAt(t, m[0]), "%q is a location requirement: job families are open to every location, so remove it", t.Value[m[0]:m[1]])
			}
		}
		if vacancy != nil {
			for _, m := range vacancy.FindAllStringIndex(t.Value, -1) {
				r.Report(posAt(t, m[0]), "%q is vacancy wording: describe the role (\"the specialist does ...\"), not an opening", t.Value[m[0]:m[1]])
			}
		}
	}
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
