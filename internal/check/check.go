// Package check holds jobfam's rules and runs them over loaded families.
// Each rule lives in its own file, has a stable kebab-case id that links to
// its section in docs/rules.md, and is listed once, in order, in Rules.
package check

import (
	"errors"
	"fmt"
	"slices"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/suggest"
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

// severity is a rule's severity under the policy, and whether it is on.
func (env *Env) severity(r *Rule) (diag.Severity, bool) {
	name := r.Severity
	if env.Policy != nil {
		if c, ok := env.Policy.Rules[r.ID]; ok {
			name = c.Severity
		}
	}
	if name == "" {
		name = "error"
	}
	if name == "off" {
		return 0, false
	}
	s, err := diag.ParseSeverity(name)
	return s, err == nil
}

// CheckPolicy reports a policy that configures rules that do not exist or
// with a severity that does not: a typo there would silently leave a rule
// as it was.
func CheckPolicy(p *family.Policy) error {
	for id, c := range p.Rules {
		if Lookup(id) == nil {
			msg := fmt.Sprintf("policy.rules names unknown rule %q", id)
			if s := suggest.Closest(id, ids()); s != "" {
				msg += fmt.Sprintf(": did you mean %q?", s)
			}
			return errors.New(msg)
		}
		if c.Severity != "off" {
			if _, err := diag.ParseSeverity(c.Severity); err != nil {
				return fmt.Errorf("policy.rules.%s: %w (or off)", id, err)
			}
		}
	}
	return nil
}

func ids() []string {
	var out []string
	for _, r := range Rules() {
		out = append(out, r.ID)
	}
	return out
}

// Rule is one check. Rules that the loader applies (file, syntax,
// data-only, schema) have neither function: they are listed here so that
// documentation, SARIF output and configuration know every rule.
type Rule struct {
	ID      string
	Summary string
	// Severity is the rule's severity unless the policy sets another:
	// "error" (the default when empty), "warning", "info" or "off".
	Severity string
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
		rulePlaceholder,
		ruleGradeOrder,
		ruleExtends,
		ruleLadderLink,
		ruleDuplicate,
		ruleAlias,
		ruleDuplicateItem,
		ruleSpelling,
		ruleExperienceOrder,
		ruleBrackets,
		ruleInclusiveLanguage,
		ruleTemplate,
		ruleSuppression,
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
	severity diag.Severity
	findings []diag.Finding
	// links are the links to other families that the rule's Repository
	// check resolves.
	links []family.PendingLink
	// silenced are findings of a Repository check that a jobfam:ignore
	// comment of their family silenced.
	silenced []diag.Finding
}

// ReportLink records a link to the family id, at pos: whether it leads
// anywhere depends on the other families, so the rule's Repository check
// decides from the family's header. path is the site path of a URL, which
// another family's alias may serve, or "" for a family id. The message
// is the finding's when the family does not exist; the Repository check
// completes it.
func (r *Reporter) ReportLink(pos diag.Pos, id, path, format string, args ...any) {
	r.links = append(r.links, family.PendingLink{
		Finding: diag.Finding{Pos: pos, Rule: r.rule, Severity: r.severity, Message: fmt.Sprintf(format, args...)},
		ID:      id,
		Path:    path,
	})
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
		Severity: r.severity,
		Message:  fmt.Sprintf(format, args...),
		Related:  related,
	})
}

// Family applies the rules that check one family at a time, and returns
// their findings and, apart, those that a "jobfam:ignore" comment of the
// family silences. It is safe for concurrent use, so the loader's workers
// call it as they go.
//
// What it returns depends only on the family and the policy, never on the
// other families: links to other families are kept in f.PendingLinks, with
// whether a comment silences them, for Repository to resolve. That is what
// lets a cache keep a family's results while other files change.
func Family(env *Env, f *family.Family) (findings, suppressed []diag.Finding) {
	var links []family.PendingLink
	for _, rule := range Rules() {
		sev, on := env.severity(rule)
		if rule.Family == nil || !on {
			continue
		}
		r := &Reporter{rule: rule.ID, severity: sev}
		rule.Family(env, f, r)
		findings = append(findings, r.findings...)
		links = append(links, r.links...)
	}
	// A silenced link stays silenced whatever the other families hold.
	for i := range links {
		if s := silencer(f.Suppressions, links[i].Finding); s != nil {
			links[i].Silenced = s.Reason
		}
	}
	f.PendingLinks = links
	return suppress(f, findings)
}

// Repository applies the rules that compare families, to the headers of
// every family that loaded, and returns their findings; see Across.
func Repository(env *Env, fams []family.Header) []diag.Finding {
	findings, _ := Across(env, fams)
	return findings
}

// Across applies the rules that compare families, to the headers of every
// family that loaded, and returns their findings and, apart, those that a
// jobfam:ignore comment silenced (links to other families, whose comments
// Family read).
func Across(env *Env, fams []family.Header) (findings, suppressed []diag.Finding) {
	for _, rule := range Rules() {
		sev, on := env.severity(rule)
		if rule.Repository == nil || !on {
			continue
		}
		r := &Reporter{rule: rule.ID, severity: sev}
		rule.Repository(env, fams, r)
		findings = append(findings, r.findings...)
		suppressed = append(suppressed, r.silenced...)
	}
	return findings, suppressed
}

// Run applies every rule to fams and returns the findings, sorted.
func Run(env *Env, fams []*family.Family) []diag.Finding {
	headers := make([]family.Header, len(fams))
	var out []diag.Finding
	for i, f := range fams {
		found, _ := Family(env, f)
		out = append(out, found...)
		headers[i] = f.Header()
	}
	return diag.Sort(append(out, Repository(env, headers)...))
}
