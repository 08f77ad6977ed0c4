package approval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

// fakeGitHub is an in-memory GitHub: one pull request's reviews and the
// active members of teams, by "org/slug". It records the membership
// lookups, to check that Evaluate asks little.
type fakeGitHub struct {
	reviews []Review
	teams   map[string][]string
	// forbidden makes TeamMember answer as GitHub does to a token
	// without "Members: read".
	forbidden bool
	lookups   []string
}

func (f *fakeGitHub) Reviews(ctx context.Context, repo string, number int) ([]Review, error) {
	if repo != "acme/jobs" || number != 7 {
		return nil, fmt.Errorf("no pull request %s#%d", repo, number)
	}
	return f.reviews, nil
}

func (f *fakeGitHub) TeamMember(ctx context.Context, org, slug, login string) (bool, error) {
	f.lookups = append(f.lookups, org+"/"+slug+" "+login)
	if f.forbidden {
		return false, fmt.Errorf("GET /orgs/%s/teams/%s/memberships/%s: 403: %w", org, slug, login, ErrForbidden)
	}
	for _, m := range f.teams[org+"/"+slug] {
		if strings.EqualFold(m, login) {
			return true, nil
		}
	}
	return false, nil
}

const head, old = "head0000", "old00000"

var pr = PullRequest{Repo: "acme/jobs", Number: 7, Author: "author", HeadSHA: head}

func approved(user, commit string) Review {
	return Review{User: user, State: StateApproved, CommitID: commit}
}

func trigger(name string, count int, from ...string) Trigger {
	return Trigger{
		Rule:    Rule{Name: name, ApprovalRule: family.ApprovalRule{When: []string{KindGrade}, From: from, Count: count}},
		Changes: []Change{{Kind: KindGrade, Family: "finance/payroll", What: `grade of level "senior" 7 → 8`}},
	}
}

func TestEvaluate(t *testing.T) {
	teams := map[string][]string{"acme/total-rewards": {"alice", "Bob"}, "acme/leads": {"carol"}}
	tests := []struct {
		name    string
		reviews []Review
		trigger Trigger
		// approvers are the counted approvers; met follows from count.
		approvers []string
		missing   int
		lookups   []string
	}{
		{
			name:      "a listed login approves the head",
			reviews:   []Review{approved("octocat", head)},
			trigger:   trigger("r", 1, "octocat"),
			approvers: []string{"octocat"},
		},
		{
			name:    "nobody reviewed",
			trigger: trigger("r", 1, "octocat"),
			missing: 1,
		},
		{
			name:      "logins are compared ignoring case",
			reviews:   []Review{approved("OctoCat", head)},
			trigger:   trigger("r", 1, "octocat"),
			approvers: []string{"OctoCat"},
		},
		{
			name:    "the author's approval does not count",
			reviews: []Review{approved("Author", head)},
			trigger: trigger("r", 1, "author", "octocat"),
			missing: 1,
		},
		{
			name:      "distinct people count, not approvals",
			reviews:   []Review{approved("octocat", head), approved("octocat", head)},
			trigger:   trigger("r", 2, "octocat", "hubot"),
			approvers: []string{"octocat"},
			missing:   1,
		},
		{
			name:      "two people",
			reviews:   []Review{approved("octocat", head), approved("hubot", head)},
			trigger:   trigger("r", 2, "octocat", "hubot"),
			approvers: []string{"hubot", "octocat"},
		},
		{
			name:      "someone not in from does not count",
			reviews:   []Review{approved("mallory", head), approved("octocat", head)},
			trigger:   trigger("r", 2, "octocat", "hubot"),
			approvers: []string{"octocat"},
			missing:   1,
			lookups:   nil,
		},
		{
			name:    "an approval of an earlier commit is stale",
			reviews: []Review{approved("octocat", old)},
			trigger: trigger("r", 1, "octocat"),
			missing: 1,
		},
		{
			name:      "an approval of the head after one of an earlier commit",
			reviews:   []Review{approved("octocat", old), approved("octocat", head)},
			trigger:   trigger("r", 1, "octocat"),
			approvers: []string{"octocat"},
		},
		{
			name:    "a later request for changes withdraws the approval",
			reviews: []Review{approved("octocat", head), {User: "octocat", State: StateChangesRequested, CommitID: head}},
			trigger: trigger("r", 1, "octocat"),
			missing: 1,
		},
		{
			name:    "a dismissed review withdraws the approval",
			reviews: []Review{approved("octocat", head), {User: "octocat", State: StateDismissed, CommitID: head}},
			trigger: trigger("r", 1, "octocat"),
			missing: 1,
		},
		{
			name:      "an approval after a request for changes",
			reviews:   []Review{{User: "octocat", State: StateChangesRequested, CommitID: old}, approved("octocat", head)},
			trigger:   trigger("r", 1, "octocat"),
			approvers: []string{"octocat"},
		},
		{
			name: "comments and pending reviews do not withdraw an approval",
			reviews: []Review{
				approved("octocat", head),
				{User: "octocat", State: "COMMENTED", CommitID: head},
				{User: "octocat", State: "PENDING"},
			},
			trigger:   trigger("r", 1, "octocat"),
			approvers: []string{"octocat"},
		},
		{
			name:    "a comment is no approval",
			reviews: []Review{{User: "octocat", State: "COMMENTED", CommitID: head}},
			trigger: trigger("r", 1, "octocat"),
			missing: 1,
		},
		{
			name:      "team members",
			reviews:   []Review{approved("alice", head), approved("bob", head), approved("mallory", head)},
			trigger:   trigger("r", 2, "@acme/total-rewards"),
			approvers: []string{"alice", "bob"},
			lookups:   []string{"acme/total-rewards alice", "acme/total-rewards bob", "acme/total-rewards mallory"},
		},
		{
			name:      "a listed login is not looked up in teams",
			reviews:   []Review{approved("alice", head), approved("carol", head)},
			trigger:   trigger("r", 2, "alice", "@acme/total-rewards", "@acme/leads"),
			approvers: []string{"alice", "carol"},
			lookups:   []string{"acme/total-rewards carol", "acme/leads carol"},
		},
		{
			name:    "membership is looked up only for approvals of the head",
			reviews: []Review{approved("alice", old), {User: "bob", State: "COMMENTED", CommitID: head}},
			trigger: trigger("r", 1, "@acme/total-rewards"),
			missing: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := &fakeGitHub{reviews: tt.reviews, teams: teams}
			got, err := Evaluate(context.Background(), gh, pr, []Trigger{tt.trigger})
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			want := &Result{PullRequest: pr, Met: tt.missing == 0, Rules: []RuleResult{{
				Rule: tt.trigger.Rule, Changes: tt.trigger.Changes,
				Approvers: tt.approvers, Missing: tt.missing, Met: tt.missing == 0,
			}}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Evaluate (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lookups, gh.lookups); diff != "" {
				t.Errorf("membership lookups (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEvaluateSeveralRules(t *testing.T) {
	gh := &fakeGitHub{
		reviews: []Review{approved("alice", head), approved("octocat", head)},
		teams:   map[string][]string{"acme/total-rewards": {"alice"}},
	}
	rewards := trigger("total-rewards", 1, "@acme/total-rewards")
	leads := trigger("platform-leads", 2, "@acme/total-rewards", "octocat", "hubot")
	got, err := Evaluate(context.Background(), gh, pr, []Trigger{leads, rewards})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	want := &Result{PullRequest: pr, Met: true, Rules: []RuleResult{
		{Rule: leads.Rule, Changes: leads.Changes, Approvers: []string{"alice", "octocat"}, Met: true},
		{Rule: rewards.Rule, Changes: rewards.Changes, Approvers: []string{"alice"}, Met: true},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Evaluate (-want +got):\n%s", diff)
	}
	// alice's membership serves both rules; octocat is listed in one and
	// looked up for the other.
	wantLookups := []string{"acme/total-rewards alice", "acme/total-rewards octocat"}
	if diff := cmp.Diff(wantLookups, gh.lookups); diff != "" {
		t.Errorf("membership lookups (-want +got):\n%s", diff)
	}
}

func TestEvaluateNothingTriggered(t *testing.T) {
	gh := &fakeGitHub{forbidden: true}
	got, err := Evaluate(context.Background(), gh, PullRequest{Repo: "other/repo"}, nil)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if !got.Met || len(got.Rules) != 0 {
		t.Errorf("Evaluate = %+v, want met with no rules", got)
	}
}

func TestEvaluateForbidden(t *testing.T) {
	gh := &fakeGitHub{reviews: []Review{approved("alice", head)}, forbidden: true}
	_, err := Evaluate(context.Background(), gh, pr, []Trigger{trigger("r", 1, "@acme/total-rewards")})
	var lookup *LookupError
	if !errors.As(err, &lookup) {
		t.Fatalf("Evaluate error = %v, want a *LookupError", err)
	}
	if want := (Team{Org: "acme", Slug: "total-rewards"}); lookup.Team != want || lookup.Login != "alice" {
		t.Errorf("LookupError team %v login %q, want %v and %q", lookup.Team, lookup.Login, want, "alice")
	}
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("errors.Is(%v, ErrForbidden) = false, want true", err)
	}
	for _, w := range []string{`team "@acme/total-rewards"`, `"Members: read"`, "GitHub App token"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestEvaluateReviewsError(t *testing.T) {
	_, err := Evaluate(context.Background(), &fakeGitHub{}, PullRequest{Repo: "acme/other", Number: 1}, []Trigger{trigger("r", 1, "octocat")})
	if err == nil || !strings.Contains(err.Error(), "read the reviews of acme/other#1: ") {
		t.Errorf("Evaluate error = %v, want one about reading the reviews", err)
	}
}

func TestMissing(t *testing.T) {
	res := &Result{PullRequest: pr, Rules: []RuleResult{
		{Rule: trigger("met", 1, "dave").Rule, Approvers: []string{"dave"}, Met: true},
		{Rule: trigger("a", 2, "octocat", "Author", "@acme/total-rewards", "hubot").Rule, Approvers: []string{"octocat"}, Missing: 1},
		{Rule: trigger("b", 1, "Hubot", "@acme/leads", "erin").Rule, Missing: 1},
	}}
	want := Request{
		Logins: []string{"erin", "hubot"},
		Teams:  []Team{{Org: "acme", Slug: "leads"}, {Org: "acme", Slug: "total-rewards"}},
	}
	if diff := cmp.Diff(want, res.Missing()); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}
}
