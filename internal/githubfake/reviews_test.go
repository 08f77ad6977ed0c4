package githubfake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

// reviewed is a repository acme/families with an open pull request #1 by
// alice from branch "raise", whose head is first.
func reviewed(t *testing.T) (s *Server, r *Repo, first string) {
	t.Helper()
	s = New()
	t.Cleanup(s.Close)
	r = s.AddRepo("acme", "families")
	r.Commit("main", "initial", map[string]string{"families/eng.cue": "v1"})
	first = r.Commit("raise", "raise grade", map[string]string{"families/eng.cue": "v2"})
	r.AddPull(Pull{Title: "Raise", Head: "raise", Base: "main", Author: "alice"})
	return s, r, first
}

// reviewSummary is what a test compares of a listed review.
func reviewSummary(list []any) []string {
	out := []string{}
	for _, rv := range list {
		out = append(out, str(rv, "user", "login")+" "+str(rv, "state")+" "+short(str(rv, "commit_id")))
	}
	return out
}

func short(sha string) string { return sha[:min(7, len(sha))] }

func TestReviewsCarryTheirCommit(t *testing.T) {
	s, r, first := reviewed(t)
	r.AddReview(1, Review{User: "bob", State: "APPROVED"})
	second := r.Commit("raise", "fix typo", map[string]string{"families/eng.cue": "v3"})
	r.AddReview(1, Review{User: "carol", State: "CHANGES_REQUESTED"})
	r.AddReview(1, Review{User: "dave", State: "COMMENTED", CommitID: first})
	r.AddReview(1, Review{User: "erin", State: "PENDING"})
	dismissed := r.AddReview(1, Review{User: "frank", State: "APPROVED"})
	r.DismissReview(1, dismissed)

	a := send(t, s, "GET", "repos/acme/families/pulls/1/reviews", "")
	want := []string{
		"bob APPROVED " + short(first),
		"carol CHANGES_REQUESTED " + short(second),
		"dave COMMENTED " + short(first),
		"frank DISMISSED " + short(second),
	}
	if diff := cmp.Diff(want, reviewSummary(a.list)); diff != "" {
		t.Errorf("reviews, oldest first, the pending one hidden (-want +got):\n%s", diff)
	}
	if got := str(a.list[0], "pull_request_url"); !strings.HasSuffix(got, "repos/acme/families/pulls/1") {
		t.Errorf("pull_request_url = %q", got)
	}
	var states []string
	for _, rv := range r.Pulls()[0].Reviews {
		states = append(states, rv.User+" "+rv.State)
	}
	if diff := cmp.Diff([]string{"bob APPROVED", "carol CHANGES_REQUESTED", "dave COMMENTED", "erin PENDING", "frank DISMISSED"}, states); diff != "" {
		t.Errorf("Pulls()[0].Reviews (-want +got):\n%s", diff)
	}
}

func TestReviewsPaginate(t *testing.T) {
	s, r, _ := reviewed(t)
	for i := range 105 {
		r.AddReview(1, Review{User: fmt.Sprintf("u%03d", i), State: "COMMENTED"})
	}
	path := "repos/acme/families/pulls/1/reviews"
	users := func(a answer) []string {
		var out []string
		for _, rv := range a.list {
			out = append(out, str(rv, "user", "login"))
		}
		return out
	}
	a := send(t, s, "GET", path+"?per_page=2&page=3", "")
	if diff := cmp.Diff([]string{"u004", "u005"}, users(a)); diff != "" {
		t.Errorf("page 3 of 2 (-want +got):\n%s", diff)
	}
	for _, rel := range []string{`page=4&per_page=2>; rel="next"`, `page=53&per_page=2>; rel="last"`, `rel="prev"`, `rel="first"`} {
		if !strings.Contains(a.header.Get("Link"), rel) {
			t.Errorf("Link %q lacks %s", a.header.Get("Link"), rel)
		}
	}
	// GitHub caps per_page at 100.
	a = send(t, s, "GET", path+"?per_page=500", "")
	if len(a.list) != 100 || !strings.Contains(a.header.Get("Link"), `page=2&per_page=100>; rel="next"`) {
		t.Errorf("per_page=500: %d reviews, Link %q; want 100 and a next page", len(a.list), a.header.Get("Link"))
	}
	// The default is 30.
	if a := send(t, s, "GET", path, ""); len(a.list) != 30 {
		t.Errorf("default page: %d reviews, want 30", len(a.list))
	}
	if a := send(t, s, "GET", path+"?per_page=100&page=2", ""); len(a.list) != 5 || a.header.Get("Link") == "" || strings.Contains(a.header.Get("Link"), `rel="next"`) {
		t.Errorf("last page: %d reviews, Link %q", len(a.list), a.header.Get("Link"))
	}
}

func TestDismissReview(t *testing.T) {
	s, r, _ := reviewed(t)
	approved := itoa(int(r.AddReview(1, Review{User: "bob", State: "APPROVED"})))
	commented := itoa(int(r.AddReview(1, Review{User: "carol", State: "COMMENTED"})))
	pending := itoa(int(r.AddReview(1, Review{User: "dave", State: "PENDING"})))
	reviews := "repos/acme/families/pulls/1/reviews/"
	runSteps(t, s, []step{
		{"get", "GET", reviews + approved, "", 200, ""},
		{"get pending of another user", "GET", reviews + pending, "", 404, "Not Found"},
		{"get unknown", "GET", reviews + "999999", "", 404, "Not Found"},
		{"no message", "PUT", reviews + approved + "/dismissals", `{"event":"DISMISS"}`, 422, `"message" wasn't supplied`},
		{"bad event", "PUT", reviews + approved + "/dismissals", `{"message":"stale","event":"APPROVE"}`, 422, "Invalid request"},
		{"bad JSON", "PUT", reviews + approved + "/dismissals", `{`, 400, "Problems parsing JSON"},
		{"commented", "PUT", reviews + commented + "/dismissals", `{"message":"stale"}`, 422, "Can not dismiss a commented pull request review"},
		{"pending of another user", "PUT", reviews + pending + "/dismissals", `{"message":"stale"}`, 404, "Not Found"},
		{"unknown review", "PUT", reviews + "999999/dismissals", `{"message":"stale"}`, 404, "Not Found"},
		{"unknown pull", "PUT", "repos/acme/families/pulls/9/reviews/" + approved + "/dismissals", `{"message":"stale"}`, 404, "Not Found"},
		{"wrong method", "POST", reviews + approved + "/dismissals", `{"message":"stale"}`, 404, "Not Found"},
		{"dismiss", "PUT", reviews + approved + "/dismissals", `{"message":"stale","event":"DISMISS"}`, 200, ""},
	})
	if a := send(t, s, "GET", reviews+approved, ""); str(a.json, "state") != "DISMISSED" {
		t.Errorf("state after dismissal = %q, want DISMISSED", str(a.json, "state"))
	}
}

func TestRequestedReviewers(t *testing.T) {
	s, r, first := reviewed(t)
	s.AddTeam("acme", "total-rewards", "carol", "dave")
	s.AddTeam("acme", "payroll", "erin")
	s.AddTeam("other", "outsiders", "mallory")
	r.AddCollaborator("bob")
	requested := "repos/acme/families/pulls/1/requested_reviewers"
	notCollaborator := "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/families repository."
	runSteps(t, s, []step{
		{"none yet", "GET", requested, "", 200, ""},
		{"author", "POST", requested, `{"reviewers":["ALICE"]}`, 422, "Review cannot be requested from pull request author."},
		{"unknown user", "POST", requested, `{"reviewers":["bob","mallory"]}`, 422, notCollaborator},
		{"team of another organization", "POST", requested, `{"team_reviewers":["outsiders"]}`, 422, notCollaborator},
		{"unknown team", "POST", requested, `{"team_reviewers":["nope"]}`, 422, notCollaborator},
		{"neither field", "POST", requested, `{}`, 422, "Invalid request"},
		{"wrong type", "POST", requested, `{"reviewers":"bob"}`, 422, "Invalid request"},
		{"unknown pull", "POST", "repos/acme/families/pulls/9/requested_reviewers", `{"reviewers":["bob"]}`, 404, "Not Found"},
		{"collaborator, team member and teams", "POST", requested, `{"reviewers":["bob","carol"],"team_reviewers":["total-rewards","Payroll"]}`, 201, ""},
		{"again changes nothing", "POST", requested, `{"reviewers":["BOB"],"team_reviewers":["payroll"]}`, 201, ""},
		{"put not served", "PUT", requested, `{"reviewers":["bob"]}`, 404, "Not Found"},
	})
	requests := func() string {
		a := send(t, s, "GET", requested, "")
		var out []string
		for _, u := range a.json["users"].([]any) {
			out = append(out, str(u, "login"))
		}
		out = append(out, "|")
		for _, tm := range a.json["teams"].([]any) {
			out = append(out, str(tm, "slug"))
		}
		return strings.Join(out, " ")
	}
	if diff := cmp.Diff("bob carol | total-rewards payroll", requests()); diff != "" {
		t.Errorf("requested (-want +got):\n%s", diff)
	}
	if p := r.Pulls()[0]; !cmp.Equal(p.RequestedReviewers, []string{"bob", "carol"}) || !cmp.Equal(p.RequestedTeams, []string{"total-rewards", "payroll"}) {
		t.Errorf("Pulls(): requested %v and %v", p.RequestedReviewers, p.RequestedTeams)
	}

	// A pending review answers nothing; a submitted one answers its
	// author's request and those of the author's teams.
	r.AddReview(1, Review{User: "bob", State: "PENDING"})
	r.AddReview(1, Review{User: "dave", State: "APPROVED"})
	if diff := cmp.Diff("bob carol | payroll", requests()); diff != "" {
		t.Errorf("after dave's approval (-want +got):\n%s", diff)
	}
	r.AddReview(1, Review{User: "bob", State: "COMMENTED"})
	if diff := cmp.Diff("carol | payroll", requests()); diff != "" {
		t.Errorf("after bob's comment (-want +got):\n%s", diff)
	}
	runSteps(t, s, []step{
		{"ask bob again", "POST", requested, `{"reviewers":["bob"]}`, 201, ""},
		{"remove needs a field", "DELETE", requested, `{}`, 422, "Invalid request"},
		{"remove", "DELETE", requested, `{"reviewers":["carol"],"team_reviewers":["payroll"]}`, 200, ""},
	})
	if diff := cmp.Diff("bob |", requests()); diff != "" {
		t.Errorf("after removal (-want +got):\n%s", diff)
	}

	a := send(t, s, "GET", "repos/acme/families/pulls/1", "")
	got := map[string]any{
		"user": str(a.json, "user", "login"), "head.sha": str(a.json, "head", "sha"), "head.ref": str(a.json, "head", "ref"),
		"base.sha": str(a.json, "base", "sha"), "base.ref": str(a.json, "base", "ref"), "merged": a.json["merged"],
		"merge_commit_sha": a.json["merge_commit_sha"], "state": a.json["state"],
		"requested_reviewers": len(a.json["requested_reviewers"].([]any)), "requested_teams": len(a.json["requested_teams"].([]any)),
	}
	want := map[string]any{
		"user": "alice", "head.sha": first, "head.ref": "raise", "base.sha": r.Head("main"), "base.ref": "main",
		"merged": false, "merge_commit_sha": nil, "state": "open", "requested_reviewers": 1, "requested_teams": 0,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pull request (-want +got):\n%s", diff)
	}
}

func TestReadOnlyTokenCannotRequestReviewers(t *testing.T) {
	s, r, _ := reviewed(t)
	s.RequireToken("rw")
	s.ReadOnlyToken("ro")
	r.AddCollaborator("bob")
	id := itoa(int(r.AddReview(1, Review{User: "bob", State: "APPROVED"})))
	for _, st := range []struct{ method, path, body string }{
		{"POST", "repos/acme/families/pulls/1/requested_reviewers", `{"reviewers":["bob"]}`},
		{"PUT", "repos/acme/families/pulls/1/reviews/" + id + "/dismissals", `{"message":"x"}`},
	} {
		if a := send(t, s, st.method, st.path, st.body, "Authorization", "Bearer ro"); a.status != 403 {
			t.Errorf("%s %s with a read-only token: %d, want 403", st.method, st.path, a.status)
		}
	}
	if a := send(t, s, "GET", "repos/acme/families/pulls/1/requested_reviewers", "", "Authorization", "Bearer ro"); a.status != 200 {
		t.Errorf("GET requested_reviewers with a read-only token: %d, want 200", a.status)
	}
}

// TestGoGitHubReviews drives reviews, dismissals and review requests
// through go-github v60.
func TestGoGitHubReviews(t *testing.T) {
	s, r, first := reviewed(t)
	s.AddTeam("acme", "total-rewards", "carol")
	r.AddCollaborator("bob")
	ctx := context.Background()
	gh := goGitHub(t, s, "")

	pr, _, err := gh.PullRequests.RequestReviewers(ctx, "acme", "families", 1, github.ReviewersRequest{
		Reviewers: []string{"bob"}, TeamReviewers: []string{"total-rewards"},
	})
	if err != nil || len(pr.RequestedReviewers) != 1 || pr.RequestedReviewers[0].GetLogin() != "bob" ||
		len(pr.RequestedTeams) != 1 || pr.RequestedTeams[0].GetSlug() != "total-rewards" {
		t.Fatalf("RequestReviewers: %v %+v", err, pr)
	}
	_, _, err = gh.PullRequests.RequestReviewers(ctx, "acme", "families", 1, github.ReviewersRequest{Reviewers: []string{"alice"}})
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) || ge.Response.StatusCode != 422 || ge.Message != "Review cannot be requested from pull request author." {
		t.Errorf("RequestReviewers of the author: %v, want 422", err)
	}
	rs, _, err := gh.PullRequests.ListReviewers(ctx, "acme", "families", 1, nil)
	if err != nil || len(rs.Users) != 1 || len(rs.Teams) != 1 || rs.Teams[0].GetSlug() != "total-rewards" {
		t.Fatalf("ListReviewers: %v %+v", err, rs)
	}

	for i := range 3 {
		r.AddReview(1, Review{User: fmt.Sprintf("u%d", i), State: "COMMENTED"})
	}
	approval := r.AddReview(1, Review{User: "carol", State: "APPROVED"})
	var got []string
	opts := &github.ListOptions{PerPage: 3}
	for {
		page, resp, err := gh.PullRequests.ListReviews(ctx, "acme", "families", 1, opts)
		if err != nil {
			t.Fatalf("ListReviews: %v", err)
		}
		for _, rv := range page {
			got = append(got, rv.GetUser().GetLogin()+" "+rv.GetState()+" "+short(rv.GetCommitID()))
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	c := short(first)
	if diff := cmp.Diff([]string{"u0 COMMENTED " + c, "u1 COMMENTED " + c, "u2 COMMENTED " + c, "carol APPROVED " + c}, got); diff != "" {
		t.Errorf("ListReviews over pages (-want +got):\n%s", diff)
	}
	rs, _, err = gh.PullRequests.ListReviewers(ctx, "acme", "families", 1, nil)
	if err != nil || len(rs.Teams) != 0 {
		t.Errorf("ListReviewers after carol's approval: %v %+v, want the team request answered", err, rs)
	}

	rv, _, err := gh.PullRequests.DismissReview(ctx, "acme", "families", 1, approval, &github.PullRequestReviewDismissalRequest{Message: github.String("new commits")})
	if err != nil || rv.GetState() != "DISMISSED" || rv.GetCommitID() != first {
		t.Fatalf("DismissReview: %v %+v", err, rv)
	}
	if _, _, err := gh.PullRequests.DismissReview(ctx, "acme", "families", 1, approval-1, &github.PullRequestReviewDismissalRequest{Message: github.String("x")}); statusOf(err) != 422 {
		t.Errorf("DismissReview of a comment: %v, want 422", err)
	}
	if _, err := gh.PullRequests.RemoveReviewers(ctx, "acme", "families", 1, github.ReviewersRequest{Reviewers: []string{"bob"}}); err != nil {
		t.Errorf("RemoveReviewers: %v", err)
	}
	pr, _, err = gh.PullRequests.Get(ctx, "acme", "families", 1)
	if err != nil || pr.GetUser().GetLogin() != "alice" || pr.GetHead().GetSHA() != first || len(pr.RequestedReviewers) != 0 || pr.GetMerged() {
		t.Errorf("Get: %v %+v", err, pr)
	}
}
