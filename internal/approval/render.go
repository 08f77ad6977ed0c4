package approval

import (
	"fmt"
	"strings"

	"github.com/jobfam/jobfam/internal/famdiff"
)

// Lines renders the result as plain text, one rule after another in the
// order of Rules, for the terminal and logs:
//
//	rule "total-rewards": not met, 1 of 2 approvals, 1 missing
//	  from: @acme/total-rewards
//	  approved by: alice
//	  triggered by: finance/payroll: grade of level "senior" 7 → 8
func (r *Result) Lines() []string {
	if len(r.Rules) == 0 {
		return []string{"no approval rule is triggered"}
	}
	var out []string
	for _, rr := range r.Rules {
		status := "met"
		if !rr.Met {
			status = "not met"
		}
		head := fmt.Sprintf("rule %q: %s, %d of %d approvals", rr.Rule.Name, status, len(rr.Approvers), rr.Rule.count())
		if rr.Missing > 0 {
			head += fmt.Sprintf(", %d missing", rr.Missing)
		}
		out = append(out, head, "  from: "+strings.Join(rr.Rule.From, ", "))
		approvers := "none"
		if len(rr.Approvers) > 0 {
			approvers = strings.Join(rr.Approvers, ", ")
		}
		out = append(out, "  approved by: "+approvers)
		for _, c := range rr.Changes {
			out = append(out, "  triggered by: "+c.String())
		}
	}
	return out
}

// String is the change as Lines shows it: the family, if any, and what
// changed.
func (c Change) String() string {
	if c.Family == "" {
		return c.What
	}
	return c.Family + ": " + c.What
}

// Markdown renders the result for the pull request's comment: a list of
// the rules, each with its status, who can meet it, who has, and the
// changes that trigger it. Logins and teams are code, not mentions, so
// that the comment notifies nobody each time it is updated; user text is
// escaped as in famdiff.Markdown.
func (r *Result) Markdown() string {
	var b strings.Builder
	if len(r.Rules) == 0 {
		b.WriteString("No approval rule is triggered.\n")
		return b.String()
	}
	for _, rr := range r.Rules {
		mark := "✅"
		if !rr.Met {
			mark = "❌"
		}
		fmt.Fprintf(&b, "- %s **%s**: %d of %d approvals from %s", mark, famdiff.Escape(rr.Rule.Name), len(rr.Approvers), rr.Rule.count(), codes(rr.Rule.From))
		if len(rr.Approvers) > 0 {
			fmt.Fprintf(&b, "; approved by %s", codes(rr.Approvers))
		}
		b.WriteString("\n")
		for _, c := range rr.Changes {
			if c.Family != "" {
				fmt.Fprintf(&b, "  - %s: %s\n", famdiff.Code(c.Family), famdiff.Escape(c.What))
			} else {
				fmt.Fprintf(&b, "  - %s\n", famdiff.Escape(c.What))
			}
		}
	}
	return b.String()
}

func codes(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = famdiff.Code(s)
	}
	return strings.Join(out, ", ")
}
