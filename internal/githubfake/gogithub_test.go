package githubfake

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

// These tests drive every endpoint through go-github v60, the client jobfam
// publish uses, to prove the fake's JSON decodes and its errors surface as
// *github.ErrorResponse the way GitHub's do.

func goGitHub(t *testing.T, s *Server, token string) *github.Client {
	t.Helper()
	c := github.NewClient(nil).WithAuthToken(token)
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = u
	return c
}

func statusOf(err error) int {
	var e *github.ErrorResponse
	if errors.As(err, &e) {
		return e.Response.StatusCode
	}
	return 0
}

func TestGoGitHubGitData(t *testing.T) {
	s, r, head := handbook(t)
	s.RequireToken("tok")
	ctx := context.Background()
	gh := goGitHub(t, s, "tok")

	repo, _, err := gh.Repositories.Get(ctx, "acme", "handbook")
	if err != nil || repo.GetDefaultBranch() != "main" {
		t.Fatalf("Repositories.Get: %v, default branch %q", err, repo.GetDefaultBranch())
	}
	ref, _, err := gh.Git.GetRef(ctx, "acme", "handbook", "refs/heads/main")
	if err != nil || ref.GetObject().GetSHA() != head || ref.GetRef() != "refs/heads/main" {
		t.Fatalf("GetRef: %v %+v", err, ref)
	}
	commit, _, err := gh.Git.GetCommit(ctx, "acme", "handbook", head)
	if err != nil || commit.GetMessage() != "initial" || commit.GetTree().GetSHA() != r.Log("main")[0].Tree {
		t.Fatalf("GetCommit: %v %+v", err, commit)
	}
	tree, _, err := gh.Git.GetTree(ctx, "acme", "handbook", commit.GetTree().GetSHA(), true)
	if err != nil || len(tree.Entries) != 5 || tree.GetTruncated() {
		t.Fatalf("GetTree: %v %+v", err, tree)
	}
	var readme *github.TreeEntry
	for _, e := range tree.Entries {
		if e.GetPath() == "README.md" {
			readme = e
		}
	}
	blob, _, err := gh.Git.GetBlob(ctx, "acme", "handbook", readme.GetSHA())
	if err != nil || blob.GetEncoding() != "base64" || blob.GetSize() != 6 {
		t.Fatalf("GetBlob: %v %+v", err, blob)
	}
	newBlob, _, err := gh.Git.CreateBlob(ctx, "acme", "handbook", &github.Blob{Content: github.String("new\n"), Encoding: github.String("utf-8")})
	if err != nil || !isSHA(newBlob.GetSHA()) {
		t.Fatalf("CreateBlob: %v %+v", err, newBlob)
	}

	// One tree: inline content, an existing blob, and a delete (SHA and
	// Content nil, which go-github sends as "sha": null).
	newTree, _, err := gh.Git.CreateTree(ctx, "acme", "handbook", commit.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String("content/job-families/ops.md"), Mode: github.String("100644"), Type: github.String("blob"), Content: github.String("ops\n")},
		{Path: github.String("content/job-families/new.md"), Mode: github.String("100644"), Type: github.String("blob"), SHA: newBlob.SHA},
		{Path: github.String("content/job-families/eng.md"), Mode: github.String("100644"), Type: github.String("blob")},
	})
	if err != nil {
		t.Fatalf("CreateTree: %v", err)
	}
	_, _, err = gh.Git.CreateTree(ctx, "acme", "handbook", commit.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String("content/job-families/missing.md"), Mode: github.String("100644"), Type: github.String("blob")},
	})
	if statusOf(err) != 422 {
		t.Errorf("CreateTree deleting a missing path: %v, want 422", err)
	}
	newCommit, _, err := gh.Git.CreateCommit(ctx, "acme", "handbook", &github.Commit{
		Message: github.String("publish"), Tree: &github.Tree{SHA: newTree.SHA}, Parents: []*github.Commit{{SHA: github.String(head)}},
	}, nil)
	if err != nil || len(newCommit.Parents) != 1 || newCommit.Parents[0].GetSHA() != head {
		t.Fatalf("CreateCommit: %v %+v", err, newCommit)
	}

	// Someone pushes meanwhile: our update is no longer a fast forward.
	theirs := r.Commit("main", "someone else", map[string]string{"other.md": "x"})
	_, _, err = gh.Git.UpdateRef(ctx, "acme", "handbook", &github.Reference{
		Ref: github.String("refs/heads/main"), Object: &github.GitObject{SHA: newCommit.SHA},
	}, false)
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) || ge.Response.StatusCode != 422 || ge.Message != "Update is not a fast forward" {
		t.Errorf("UpdateRef non-fast-forward: %v, want 422 Update is not a fast forward", err)
	}
	if r.Head("main") != theirs {
		t.Errorf("a refused update moved main")
	}
	rebuilt, _, err := gh.Git.CreateCommit(ctx, "acme", "handbook", &github.Commit{
		Message: github.String("publish"), Tree: &github.Tree{SHA: newTree.SHA}, Parents: []*github.Commit{{SHA: github.String(theirs)}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err = gh.Git.UpdateRef(ctx, "acme", "handbook", &github.Reference{
		Ref: github.String("refs/heads/main"), Object: &github.GitObject{SHA: rebuilt.SHA},
	}, false)
	if err != nil || ref.GetObject().GetSHA() != rebuilt.GetSHA() {
		t.Fatalf("UpdateRef: %v %+v", err, ref)
	}
	want := map[string]string{
		"README.md":                    "hello\n",
		"content/job-families/hand.md": "written by hand\n",
		"content/job-families/new.md":  "new\n",
		"content/job-families/ops.md":  "ops\n",
	}
	if diff := cmp.Diff(want, r.Files("main")); diff != "" {
		t.Errorf("main after publish (-want +got):\n%s", diff)
	}

	_, _, err = gh.Git.CreateRef(ctx, "acme", "handbook", &github.Reference{Ref: github.String("refs/heads/jobfam/publish"), Object: &github.GitObject{SHA: github.String(theirs)}})
	if err != nil {
		t.Fatalf("CreateRef: %v", err)
	}
	_, _, err = gh.Git.CreateRef(ctx, "acme", "handbook", &github.Reference{Ref: github.String("heads/jobfam/publish"), Object: &github.GitObject{SHA: github.String(theirs)}})
	if statusOf(err) != 422 {
		t.Errorf("CreateRef existing: %v, want 422", err)
	}
	if _, err := gh.Git.DeleteRef(ctx, "acme", "handbook", "heads/jobfam/publish"); err != nil {
		t.Errorf("DeleteRef: %v", err)
	}
	if _, _, err := gh.Git.GetRef(ctx, "acme", "handbook", "heads/jobfam/publish"); statusOf(err) != 404 {
		t.Errorf("GetRef after delete: %v, want 404", err)
	}

	bad := goGitHub(t, s, "wrong")
	if _, _, err := bad.Repositories.Get(ctx, "acme", "handbook"); statusOf(err) != 401 || !strings.Contains(err.Error(), "Bad credentials") {
		t.Errorf("wrong token: %v, want 401 Bad credentials", err)
	}
	s.AddRepo("acme", "empty")
	if _, _, err := gh.Git.GetRef(ctx, "acme", "empty", "heads/main"); statusOf(err) != 409 {
		t.Errorf("GetRef on empty repository: %v, want 409", err)
	}
}

func TestGoGitHubPulls(t *testing.T) {
	s, r, _ := handbook(t)
	ctx := context.Background()
	gh := goGitHub(t, s, "")
	r.Commit("jobfam/publish", "pages", map[string]string{"p.md": "p"})

	pr, _, err := gh.PullRequests.Create(ctx, "acme", "handbook", &github.NewPullRequest{
		Title: github.String("Publish"), Head: github.String("jobfam/publish"), Base: github.String("main"), Body: github.String("body"),
	})
	if err != nil || pr.GetNumber() != 1 || pr.GetState() != "open" || pr.GetHead().GetRef() != "jobfam/publish" ||
		pr.GetHead().GetSHA() != r.Head("jobfam/publish") || pr.GetBase().GetRef() != "main" || pr.GetHTMLURL() == "" {
		t.Fatalf("Create: %v %+v", err, pr)
	}
	_, _, err = gh.PullRequests.Create(ctx, "acme", "handbook", &github.NewPullRequest{
		Title: github.String("Publish"), Head: github.String("jobfam/publish"), Base: github.String("main"),
	})
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) || len(ge.Errors) != 1 || ge.Errors[0].Message != "A pull request already exists for acme:jobfam/publish." {
		t.Errorf("Create duplicate: %v, want 422 A pull request already exists", err)
	}
	list, _, err := gh.PullRequests.List(ctx, "acme", "handbook", &github.PullRequestListOptions{State: "open", Head: "acme:jobfam/publish", Base: "main"})
	if err != nil || len(list) != 1 || list[0].GetNumber() != 1 {
		t.Fatalf("List: %v %v", err, list)
	}
	pr, _, err = gh.PullRequests.Edit(ctx, "acme", "handbook", 1, &github.PullRequest{Body: github.String("new body")})
	if err != nil || pr.GetBody() != "new body" {
		t.Fatalf("Edit body: %v %+v", err, pr)
	}
	pr, _, err = gh.PullRequests.Edit(ctx, "acme", "handbook", 1, &github.PullRequest{State: github.String("closed")})
	if err != nil || pr.GetState() != "closed" {
		t.Fatalf("Edit state: %v %+v", err, pr)
	}
	pr, _, err = gh.PullRequests.Get(ctx, "acme", "handbook", 1)
	if err != nil || pr.GetState() != "closed" || pr.GetTitle() != "Publish" {
		t.Fatalf("Get: %v %+v", err, pr)
	}

	merge := r.Commit("main", "Merge pull request #9", map[string]string{"m": "m"})
	r.AddPull(Pull{Number: 9, Title: "src", Head: "feature", Base: "main", Author: "alice", Merged: true, MergeCommitSHA: merge,
		Reviews: []Review{{User: "bob", State: "APPROVED"}}})
	prs, _, err := gh.PullRequests.ListPullRequestsWithCommit(ctx, "acme", "handbook", merge, nil)
	if err != nil || len(prs) != 1 || prs[0].GetNumber() != 9 || !prs[0].GetMerged() || prs[0].GetUser().GetLogin() != "alice" || prs[0].GetMergeCommitSHA() != merge {
		t.Fatalf("ListPullRequestsWithCommit: %v %+v", err, prs)
	}
	reviews, _, err := gh.PullRequests.ListReviews(ctx, "acme", "handbook", 9, nil)
	if err != nil || len(reviews) != 1 || reviews[0].GetUser().GetLogin() != "bob" || reviews[0].GetState() != "APPROVED" || reviews[0].GetID() == 0 {
		t.Fatalf("ListReviews: %v %+v", err, reviews)
	}
}

// go-github must see rate-limit faults as GitHub's: 403 with remaining 0 is
// a *github.RateLimitError, 403 with Retry-After an *AbuseRateLimitError.
func TestGoGitHubRateLimitFaults(t *testing.T) {
	s, _, _ := handbook(t)
	ctx := context.Background()
	gh := goGitHub(t, s, "")
	s.Inject(Fault{Status: 403, Header: http.Header{"X-RateLimit-Remaining": {"0"}}})
	_, _, err := gh.Repositories.Get(ctx, "acme", "handbook")
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Errorf("403 remaining 0: %T %v, want *github.RateLimitError", err, err)
	}
	// go-github now refuses requests until the reset: a fresh client.
	gh = goGitHub(t, s, "")
	s.Inject(Fault{Status: 403, Header: http.Header{"Retry-After": {"3"}}})
	_, _, err = gh.Repositories.Get(ctx, "acme", "handbook")
	var abuse *github.AbuseRateLimitError
	if !errors.As(err, &abuse) || abuse.GetRetryAfter().Seconds() != 3 {
		t.Errorf("403 Retry-After: %T %v, want *github.AbuseRateLimitError retry after 3s", err, err)
	}
}
