package approval

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func renderResult() *Result {
	rewards := trigger("total-rewards", 2, "@acme/total-rewards")
	leads := trigger("platform-leads", 1, "octocat", "hubot")
	leads.Changes = append(leads.Changes, Change{Kind: KindPolicy, What: `schema file "policy.cue" changed`})
	return &Result{PullRequest: pr, Rules: []RuleResult{
		{Rule: leads.Rule, Changes: leads.Changes, Approvers: []string{"octocat"}, Met: true},
		{Rule: rewards.Rule, Changes: rewards.Changes, Approvers: []string{"alice"}, Missing: 1},
	}}
}

func TestLines(t *testing.T) {
	want := []string{
		`rule "platform-leads": met, 1 of 1 approvals`,
		`  from: octocat, hubot`,
		`  approved by: octocat`,
		`  triggered by: finance/payroll: grade of level "senior" 7 → 8`,
		`  triggered by: schema file "policy.cue" changed`,
		`rule "total-rewards": not met, 1 of 2 approvals, 1 missing`,
		`  from: @acme/total-rewards`,
		`  approved by: alice`,
		`  triggered by: finance/payroll: grade of level "senior" 7 → 8`,
	}
	if diff := cmp.Diff(want, renderResult().Lines()); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"no approval rule is triggered"}, (&Result{Met: true}).Lines()); diff != "" {
		t.Errorf("Lines of no rule (-want +got):\n%s", diff)
	}
}

func TestMarkdown(t *testing.T) {
	want := "- ✅ **platform-leads**: 1 of 1 approvals from `octocat`, `hubot`; approved by `octocat`\n" +
		"  - `finance/payroll`: grade of level \"senior\" 7 → 8\n" +
		"  - schema file \"policy.cue\" changed\n" +
		"- ❌ **total-rewards**: 1 of 2 approvals from `@acme/total-rewards`; approved by `alice`\n" +
		"  - `finance/payroll`: grade of level \"senior\" 7 → 8\n"
	if diff := cmp.Diff(want, renderResult().Markdown()); diff != "" {
		t.Errorf("Markdown (-want +got):\n%s", diff)
	}
}
