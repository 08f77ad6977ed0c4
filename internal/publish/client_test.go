package publish_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/githubfake"
	"github.com/jobfam/jobfam/internal/publish"
)

// actionsToken stands for a workflow's GITHUB_TOKEN: it authenticates, may
// only read, and lacks the organization permission "Members: read".
const actionsToken = "ghs_SECRETactionsToken0123456789"

// families adds to e the source repository acme/families with an open pull
// request #1 by alice from "raise", whose head is returned, and the team
// acme/total-rewards.
func (e *env) families(t *testing.T) (*githubfake.Repo, string) {
	t.Helper()
	src := e.srv.AddRepo("acme", "families")
	src.Commit("main", "initial", map[string]string{"families/eng.cue": "v1"})
	head := src.Commit("raise", "raise grade", map[string]string{"families/eng.cue": "v2"})
	src.AddPull(githubfake.Pull{Title: "Raise", Head: "raise", Base: "main", Author: "alice"})
	team := e.srv.AddTeam("acme", "total-rewards", "carol", "dave")
	team.SetMembership("erin", githubfake.RoleMember, githubfake.StatePending)
	src.AddCollaborator("bob")
	e.srv.ReadOnlyToken(actionsToken)
	e.srv.DenyMembersRead(actionsToken)
	return src, head
}

// secret fails the test when err's message holds a token.
func secret(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), token) || strings.Contains(err.Error(), actionsToken) || strings.Contains(err.Error(), "SECRET")) {
		t.Errorf("token leaked: %v", err)
	}
}

func TestClientTeamMember(t *testing.T) {
	e := newEnv(t, "direct")
	e.families(t)
	ctx := context.Background()
	for _, tt := range []struct {
		org, slug, login string
		want             bool
	}{
		{"acme", "total-rewards", "carol", true},
		{"ACME", "total-rewards", "Dave", true},
		{"acme", "total-rewards", "erin", false}, // invited, not yet a member
		{"acme", "total-rewards", "mallory", false},
		{"acme", "no-such-team", "carol", false},
		{"other", "total-rewards", "carol", false},
	} {
		got, err := e.gh.TeamMember(ctx, tt.org, tt.slug, tt.login)
		if err != nil || got != tt.want {
			t.Errorf("TeamMember(%s, %s, %s) = %v, %v; want %v", tt.org, tt.slug, tt.login, got, err, tt.want)
		}
	}
	for _, bad := range [][3]string{{"acme", "total-rewards/../x", "carol"}, {"acme", "", "carol"}, {"acme", "total-rewards", "carol?x=1"}} {
		if _, err := e.gh.TeamMember(ctx, bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("TeamMember(%q, %q, %q): no error", bad[0], bad[1], bad[2])
		}
	}
}

func TestClientTeamMemberForbidden(t *testing.T) {
	e := newEnv(t, "direct")
	e.families(t)
	ctx := context.Background()
	_, err := e.client(t, actionsToken, "direct").TeamMember(ctx, "acme", "total-rewards", "carol")
	if !errors.Is(err, publish.ErrForbidden) {
		t.Fatalf("err = %v, want one that is ErrForbidden", err)
	}
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Status != http.StatusForbidden {
		t.Errorf("err = %#v, want a *publish.Error with status 403", err)
	}
	want := `read the membership of carol in team acme/total-rewards: missing permission: reading the members of team acme/total-rewards ` +
		`needs the organization permission "Members: read" on acme, which a workflow's GITHUB_TOKEN never has: ` +
		`use the token of a GitHub App installed on acme with "Members: read" (HTTP 403)`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	secret(t, err)

	// A rate limit is a 403 too, but not a missing permission.
	e.srv.Inject(githubfake.Fault{Path: "/memberships/", Kind: githubfake.Status, Status: 403, Header: http.Header{"X-RateLimit-Remaining": {"0"}}})
	_, err = e.client(t, token, "direct").TeamMember(ctx, "acme", "total-rewards", "carol")
	if err == nil || errors.Is(err, publish.ErrForbidden) || !strings.Contains(err.Error(), "rate limited") {
		t.Errorf("rate limit: err = %v, want a rate-limit error that is not ErrForbidden", err)
	}
	secret(t, err)
}

func TestClientPull(t *testing.T) {
	e := newEnv(t, "direct")
	src, head := e.families(t)
	ctx := context.Background()
	if err := e.gh.RequestReviewers(ctx, "acme/families", 1, []string{"bob"}, []string{"total-rewards"}); err != nil {
		t.Fatal(err)
	}
	merge := src.Commit("main", "Merge pull request #2", map[string]string{"families/ops.cue": "v1"})
	src.AddPull(githubfake.Pull{Number: 2, Title: "Ops", Head: "ops", Base: "main", Author: "bob", Merged: true, MergeCommitSHA: merge, HeadSHA: head})

	tests := []struct {
		number int
		want   *publish.Pull
	}{
		{1, &publish.Pull{
			Number: 1, URL: "https://github.com/acme/families/pull/1", Title: "Raise", Author: "alice", State: "open",
			HeadRef: "raise", HeadSHA: head, BaseRef: "main", BaseSHA: merge,
			RequestedUsers: []string{"bob"}, RequestedTeams: []string{"total-rewards"},
		}},
		{2, &publish.Pull{
			Number: 2, URL: "https://github.com/acme/families/pull/2", Title: "Ops", Author: "bob", State: "closed",
			Merged: true, MergeCommitSHA: merge, HeadRef: "ops", HeadSHA: head, BaseRef: "main", BaseSHA: merge,
		}},
	}
	for _, tt := range tests {
		got, err := e.gh.Pull(ctx, "acme/families", tt.number)
		if err != nil {
			t.Fatalf("Pull(%d): %v", tt.number, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Pull(%d) (-want +got):\n%s", tt.number, diff)
		}
	}

	_, err := e.gh.Pull(ctx, "acme/families", 9)
	if want := "read pull request acme/families#9: not found: pull request acme/families#9 does not exist, or the token has no access to acme/families (HTTP 404)"; err == nil || err.Error() != want {
		t.Errorf("Pull(9): %v, want %s", err, want)
	}
	if _, err := e.gh.Pull(ctx, "families", 1); err == nil {
		t.Errorf("Pull of a repository without owner: no error")
	}
	secret(t, err)
}

func TestClientReviewsCommit(t *testing.T) {
	e := newEnv(t, "direct")
	src, first := e.families(t)
	src.AddReview(1, githubfake.Review{User: "bob", State: "APPROVED"})
	second := src.Commit("raise", "fix", map[string]string{"families/eng.cue": "v3"})
	src.AddReview(1, githubfake.Review{User: "carol", State: "CHANGES_REQUESTED"})
	src.AddReview(1, githubfake.Review{User: "dave", State: "PENDING"})
	dismissed := src.AddReview(1, githubfake.Review{User: "dave", State: "APPROVED"})
	src.DismissReview(1, dismissed)
	for i := range 120 {
		src.AddReview(1, githubfake.Review{User: fmt.Sprintf("u%03d", i), State: "COMMENTED"})
	}
	e.srv.ResetRequests()
	got, err := e.gh.Reviews(context.Background(), "acme/families", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []publish.Review{
		{User: "bob", State: "APPROVED", CommitID: first},
		{User: "carol", State: "CHANGES_REQUESTED", CommitID: second},
		{User: "dave", State: "DISMISSED", CommitID: second},
	}
	if diff := cmp.Diff(want, got[:3]); diff != "" {
		t.Errorf("first reviews (-want +got):\n%s", diff)
	}
	if len(got) != 123 || got[122].User != "u119" {
		t.Errorf("%d reviews, the last by %q; want 123, the last by u119", len(got), got[len(got)-1].User)
	}
	if n := len(e.srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 pages of 100", n)
	}
}

func TestClientRequestReviewers(t *testing.T) {
	e := newEnv(t, "direct")
	src, _ := e.families(t)
	ctx := context.Background()
	const repo = "acme/families"

	e.srv.ResetRequests()
	if err := e.gh.RequestReviewers(ctx, repo, 1, nil, nil); err != nil || len(e.srv.Requests()) != 0 {
		t.Errorf("asking no one: %v, %d requests; want neither", err, len(e.srv.Requests()))
	}
	if err := e.gh.RequestReviewers(ctx, repo, 1, []string{"bob", "carol"}, []string{"total-rewards"}); err != nil {
		t.Fatal(err)
	}
	requested := func() string {
		t.Helper()
		users, teams, err := e.gh.RequestedReviewers(ctx, repo, 1)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(users, teams)
	}
	if diff := cmp.Diff("[bob carol] [total-rewards]", requested()); diff != "" {
		t.Errorf("requested (-want +got):\n%s", diff)
	}
	// dave's review answers the team's request, carol's her own.
	src.AddReview(1, githubfake.Review{User: "dave", State: "APPROVED"})
	src.AddReview(1, githubfake.Review{User: "carol", State: "COMMENTED"})
	if diff := cmp.Diff("[bob] []", requested()); diff != "" {
		t.Errorf("requested after reviews (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name         string
		gh           *publish.Client
		number       int
		users, teams []string
		status       int
		want         string
		forbidden    bool
	}{
		{"author", e.gh, 1, []string{"alice"}, nil, 422,
			"request reviews on acme/families#1: Review cannot be requested from pull request author. (HTTP 422)", false},
		{"not a collaborator", e.gh, 1, []string{"mallory"}, nil, 422,
			"request reviews on acme/families#1: Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/families repository. (HTTP 422)", false},
		{"unknown team", e.gh, 1, nil, []string{"nope"}, 422, "not a collaborator of the acme/families repository", false},
		{"unknown pull request", e.gh, 9, []string{"bob"}, nil, 404, "not found: pull request acme/families#9 does not exist", false},
		{"read-only token", e.client(t, actionsToken, "direct"), 1, []string{"bob"}, nil, 403,
			`request reviews on acme/families#1: missing permission: the token needs "pull-requests: write" on acme/families (HTTP 403)`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.gh.RequestReviewers(ctx, repo, tt.number, tt.users, tt.teams)
			var pe *publish.Error
			if !errors.As(err, &pe) || pe.Status != tt.status || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want HTTP %d %q", err, tt.status, tt.want)
			}
			if got := errors.Is(err, publish.ErrForbidden); got != tt.forbidden {
				t.Errorf("errors.Is(err, ErrForbidden) = %v, want %v", got, tt.forbidden)
			}
			secret(t, err)
		})
	}
	if _, _, err := e.gh.RequestedReviewers(ctx, repo, 9); err == nil || !strings.Contains(err.Error(), "not found: pull request acme/families#9") {
		t.Errorf("RequestedReviewers(9): %v, want not found", err)
	}
}
