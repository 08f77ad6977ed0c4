// Package check holds jobfam's rules and runs them over loaded families.
// Each rule lives in its own file, has a stable kebab-case id that links to
// its section in docs/rules.md, and is listed once, in order, in Rules.
package check

import (
	"fmt"
	"slices"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// DocsURL is where the rules are documented; each rule's id is an anchor.
const DocsURL = "https://github.com/jobfam/jobfam/blob/main/docs/rules.md"

// Env is what rules know besides the family they check.
type Env struct {
	Policy *family.Policy
	// IDs holds the id of every family file in the repository, including
	// those that failed to load.
	IDs map[string]bool
}

// Rule is one check. Rules that the loader applies (file, syntax,
// data-only, schema) have neither function: they are listed here so that
// documentation, SARIF output and configuration know every rule.
type Rule struct {
	ID      string
	Summary string
	// Family checks one family.
	Family func(env *Env, f *family.Family, r *Reporter)
	// Repository checks what families have in common, from their headers:
	// validating a large repository keeps no more of each family.
	Repository func(env *Env, fams []family.Header, r *Reporter)
}

// HelpURI is the rule's section in the documentation.
func (r *Rule) HelpURI() string { return DocsURL + "#" + r.ID }

// Rules returns every rule, in the order they are documented.
func Rules() []*Rule {
	return []*Rule{
		ruleFile,
		ruleSyntax,
		ruleDataOnly,
		ruleSchema,
		ruleRequired,
		ruleGradeOrder,
		ruleExtends,
		ruleLadderLink,
		ruleDuplicate,
	}
}

// Lookup returns the rule with the given id, or nil.
func Lookup(id string) *Rule {
	i := slices.IndexFunc(Rules(), func(r *Rule) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	return Rules()[i]
}

// Reporter collects one rule's findings.
type Reporter struct {
	rule     string
	findings []diag.Finding
}

// Report records a finding at pos.
func (r *Reporter) Report(pos diag.Pos, format string, args ...any) {
	r.ReportRelated(pos, nil, format, args...)
}

// ReportRelated records a finding at pos that refers to other positions.
func (r *Reporter) ReportRelated(pos diag.Pos, related []diag.Pos, format string, args ...any) {
	r.findings = append(r.findings, diag.Finding{
		Pos:      pos,
		Rule:     r.rule,
		Severity: diag.Error,
		Message:  fmt.Sprintf(format, args...),
		Related:  related,
	})
}

// Family applies the rules that check one family at a time. It is safe
// for concurrent use, so the loader's workers call it as they go.
func Family(env *Env, f *family.Family) []diag.Finding {
	var out []diag.Finding
	for _, rule := range Rules() {
		if rule.Family != nil {
			r := &Reporter{rule: rule.ID}
			rule.Family(env, f, r)
			out = append(out, r.findings...)
		}
	}
	return out
}

// Repository applies the rules that compare families, to the headers of
// every family that loaded.
func Repository(env *Env, fams []family.Header) []diag.Finding {
	var out []diag.Finding
	for _, rule := range Rules() {
		if rule.Repository != nil {
			r := &Reporter{rule: rule.ID}
			rule.Repository(env, fams, r)
			out = append(out, r.findings...)
		}
	}
	return out
}

// Run applies every rule to fams and returns the findings, sorted.
func Run(env *Env, fams []*family.Family) []diag.Finding {
	headers := make([]family.Header, len(fams))
	var out []diag.Finding
	for i, f := range fams {
		out = append(out, Family(env, f)...)
		headers[i] = f.Header()
	}
	return diag.Sort(append(out, Repository(env, headers)...))
}
