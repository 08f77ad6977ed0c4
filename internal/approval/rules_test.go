package approval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

func TestMatchFamily(t *testing.T) {
	tests := []struct {
		pattern, id string
		want        bool
	}{
		{"finance/payroll", "finance/payroll", true},
		{"finance/payroll", "finance/payroll-lead", false},
		{"finance/payroll", "finance", false},
		{"finance/*", "finance/payroll", true},
		{"finance/*", "finance/it/helpdesk", false},
		{"finance/*", "finance", false},
		{"engineering/platform-*", "engineering/platform-sre", true},
		{"engineering/platform-*", "engineering/platform", false},
		{"engineering/platform-*", "engineering/infra/platform-sre", false},
		{"*/payroll", "finance/payroll", true},
		{"*", "finance/payroll", false},
		{"finance/**", "finance/payroll", true},
		{"finance/**", "finance/it/helpdesk", true},
		{"finance/**", "finance", true},
		{"finance/**", "legal/payroll", false},
		{"**/helpdesk", "helpdesk", true},
		{"**/helpdesk", "finance/it/helpdesk", true},
		{"**/helpdesk", "finance/it/helpdesk-lead", false},
		{"finance/**/helpdesk", "finance/helpdesk", true},
		{"finance/**/helpdesk", "finance/it/emea/helpdesk", true},
		{"finance/**/helpdesk", "legal/it/helpdesk", false},
		{"**", "anything/at/all", true},
	}
	for _, tt := range tests {
		if got := MatchFamily(tt.pattern, tt.id); got != tt.want {
			t.Errorf("MatchFamily(%q, %q) = %v, want %v", tt.pattern, tt.id, got, tt.want)
		}
	}
}

func TestRules(t *testing.T) {
	var p family.Policy
	p.Approvals = map[string]family.ApprovalRule{
		"platform-leads": {When: []string{"any"}, Families: []string{"engineering/platform-*"}, From: []string{"octocat"}},
		"total-rewards":  {When: []string{"grade"}, From: []string{"@acme/total-rewards"}, Count: 2},
	}
	got, err := Rules(p)
	if err != nil {
		t.Fatalf("Rules: %v", err)
	}
	want := []Rule{
		{Name: "platform-leads", ApprovalRule: family.ApprovalRule{When: []string{"any"}, Families: []string{"engineering/platform-*"}, From: []string{"octocat"}, Count: 1}},
		{Name: "total-rewards", ApprovalRule: family.ApprovalRule{When: []string{"grade"}, From: []string{"@acme/total-rewards"}, Count: 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rules (-want +got):\n%s", diff)
	}
}

// TestRulesErrors covers what a schema of the organisation's own may let
// through, since it need not use jobfam's #Policy.
func TestRulesErrors(t *testing.T) {
	tests := []struct {
		name string
		rule family.ApprovalRule
		want string
	}{
		{"no kind", family.ApprovalRule{From: []string{"octocat"}}, `approval rule "r": when lists no kind of change`},
		{"unknown kind", family.ApprovalRule{When: []string{"grades"}, From: []string{"octocat"}}, `approval rule "r": unknown kind of change "grades" in when: use one of grade, title,`},
		{"nobody", family.ApprovalRule{When: []string{"grade"}}, `approval rule "r": from lists nobody`},
		{"team without @", family.ApprovalRule{When: []string{"grade"}, From: []string{"acme/total-rewards"}}, `team "acme/total-rewards" is not written "@org/team-slug"`},
		{"team without slug", family.ApprovalRule{When: []string{"grade"}, From: []string{"@acme"}}, `team "@acme" is not written "@org/team-slug"`},
		{"** in a segment", family.ApprovalRule{When: []string{"grade"}, From: []string{"octocat"}, Families: []string{"a/**b"}}, `family pattern "a/**b": each segment`},
		{"empty segment", family.ApprovalRule{When: []string{"grade"}, From: []string{"octocat"}, Families: []string{"a//b"}}, `family pattern "a//b": each segment`},
		{"negative count", family.ApprovalRule{When: []string{"grade"}, From: []string{"octocat"}, Count: -1}, `count is -1: use 1 or more`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p family.Policy
			p.Approvals = map[string]family.ApprovalRule{"r": tt.rule}
			_, err := Rules(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Rules error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestTriggered(t *testing.T) {
	rule := func(name string, when []string, families ...string) Rule {
		return Rule{Name: name, ApprovalRule: family.ApprovalRule{When: when, Families: families, From: []string{"octocat"}, Count: 1}}
	}
	grade := Change{Kind: KindGrade, Family: "engineering/platform-sre", What: `grade of level "senior" 7 → 8`}
	otherGrade := Change{Kind: KindGrade, Family: "finance/payroll", What: `grade of level "senior" 7 → 8`}
	content := Change{Kind: KindContent, Family: "engineering/platform-sre", What: "description"}
	policy := Change{Kind: KindPolicy, What: `schema file "policy.cue" changed`}
	changes := []Change{grade, content, otherGrade, policy}

	tests := []struct {
		name  string
		rules []Rule
		want  []Trigger
	}{
		{
			name:  "a kind, every family",
			rules: []Rule{rule("r", []string{KindGrade})},
			want:  []Trigger{{Rule: rule("r", []string{KindGrade}), Changes: []Change{grade, otherGrade}}},
		},
		{
			name:  "a kind, some families",
			rules: []Rule{rule("r", []string{KindGrade}, "engineering/platform-*")},
			want:  []Trigger{{Rule: rule("r", []string{KindGrade}, "engineering/platform-*"), Changes: []Change{grade}}},
		},
		{
			name:  "any, every family, and the policy",
			rules: []Rule{rule("r", []string{KindAny})},
			want:  []Trigger{{Rule: rule("r", []string{KindAny}), Changes: changes}},
		},
		{
			name:  "any, some families, not the policy",
			rules: []Rule{rule("r", []string{KindAny}, "engineering/**")},
			want:  []Trigger{{Rule: rule("r", []string{KindAny}, "engineering/**"), Changes: []Change{grade, content}}},
		},
		{
			name:  "policy",
			rules: []Rule{rule("r", []string{KindPolicy})},
			want:  []Trigger{{Rule: rule("r", []string{KindPolicy}), Changes: []Change{policy}}},
		},
		{
			name:  "policy with families is never triggered",
			rules: []Rule{rule("r", []string{KindPolicy}, "**")},
		},
		{
			name:  "no change of the kind",
			rules: []Rule{rule("r", []string{KindTitle, KindTrack})},
		},
		{
			name:  "families no change touches",
			rules: []Rule{rule("r", []string{KindGrade}, "legal/*")},
		},
		{
			name:  "several rules, in their order",
			rules: []Rule{rule("a", []string{KindContent}), rule("b", []string{KindTitle}), rule("c", []string{KindGrade}, "finance/*")},
			want: []Trigger{
				{Rule: rule("a", []string{KindContent}), Changes: []Change{content}},
				{Rule: rule("c", []string{KindGrade}, "finance/*"), Changes: []Change{otherGrade}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Triggered(tt.rules, changes)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Triggered (-want +got):\n%s", diff)
			}
		})
	}
}
