package githubfake

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

func TestComments(t *testing.T) {
	s, r, _ := handbook(t)
	n := r.AddPull(Pull{Title: "Edit", Head: "feature", Base: "main"})
	issue := repoPath + "issues/" + itoa(n) + "/comments"
	runSteps(t, s, []step{
		{"list none", "GET", issue, "", 200, ""},
		{"unknown issue", "GET", repoPath + "issues/99/comments", "", 404, "Not Found"},
		{"post to unknown issue", "POST", repoPath + "issues/99/comments", `{"body":"x"}`, 404, "Not Found"},
		{"no body", "POST", issue, `{}`, 422, "body"},
		{"bad JSON", "POST", issue, `{`, 400, "Problems parsing JSON"},
		{"too long", "POST", issue, `{"body":"` + strings.Repeat("é", 65537) + `"}`, 422, "body is too long"},
		{"longest", "POST", issue, `{"body":"` + strings.Repeat("é", 65536) + `"}`, 201, ""},
		{"create", "POST", issue, `{"body":"hello"}`, 201, ""},
		{"edit unknown", "PATCH", repoPath + "issues/comments/1", `{"body":"x"}`, 404, "Not Found"},
		{"delete not served", "DELETE", issue, "", 404, "Not Found"},
	})
	cs := r.Comments(n)
	if len(cs) != 2 {
		t.Fatalf("Comments(%d) = %d comments, want 2", n, len(cs))
	}
	id := itoa(int(cs[1].ID))
	runSteps(t, s, []step{
		{"edit too long", "PATCH", repoPath + "issues/comments/" + id, `{"body":"` + strings.Repeat("x", 65537) + `"}`, 422, "body is too long"},
		{"edit", "PATCH", repoPath + "issues/comments/" + id, `{"body":"edited"}`, 200, ""},
		{"get", "GET", repoPath + "issues/comments/" + id, "", 200, ""},
	})
	got := r.Comments(n)[1]
	want := Comment{ID: cs[1].ID, Issue: n, User: "github-actions[bot]", Body: "edited"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("comment after edit (-want +got):\n%s", diff)
	}
	if other := r.Comments(n + 1); other != nil {
		t.Errorf("Comments(%d) = %v, want none", n+1, other)
	}
}

func TestCommentsPaginate(t *testing.T) {
	s, r, _ := handbook(t)
	n := r.AddPull(Pull{Title: "Edit", Head: "feature", Base: "main"})
	for i := range 5 {
		r.AddComment(Comment{Issue: n, User: "alice", Body: "c" + itoa(i)})
	}
	issue := repoPath + "issues/" + itoa(n) + "/comments"
	a := send(t, s, "GET", issue+"?per_page=2&page=2", "")
	var bodies []string
	for _, c := range a.list {
		bodies = append(bodies, c.(map[string]any)["body"].(string))
	}
	if diff := cmp.Diff([]string{"c2", "c3"}, bodies); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	link := a.header.Get("Link")
	for _, rel := range []string{`page=3&per_page=2>; rel="next"`, `rel="last"`, `rel="prev"`, `rel="first"`} {
		if !strings.Contains(link, rel) {
			t.Errorf("Link %q lacks %s", link, rel)
		}
	}
	if a := send(t, s, "GET", issue+"?per_page=2&page=3", ""); len(a.list) != 1 || strings.Contains(a.header.Get("Link"), `rel="next"`) {
		t.Errorf("last page: %d comments, Link %q", len(a.list), a.header.Get("Link"))
	}
}

func TestReadOnlyToken(t *testing.T) {
	s, r, _ := handbook(t)
	s.RequireToken("rw")
	s.ReadOnlyToken("ro")
	n := r.AddPull(Pull{Title: "Edit", Head: "feature", Base: "main"})
	id := r.AddComment(Comment{Issue: n, Body: "old"})
	issue := repoPath + "issues/" + itoa(n) + "/comments"
	for _, st := range []struct {
		method, path, body, tok string
		status                  int
	}{
		{"GET", issue, "", "ro", 200},
		{"GET", repoPath + "git/ref/heads/main", "", "ro", 200},
		{"POST", issue, `{"body":"x"}`, "ro", 403},
		{"PATCH", repoPath + "issues/comments/" + itoa(int(id)), `{"body":"x"}`, "ro", 403},
		{"POST", repoPath + "git/blobs", `{"content":"x"}`, "ro", 403},
		{"POST", issue, `{"body":"x"}`, "other", 401},
		{"POST", issue, `{"body":"new"}`, "rw", 201},
	} {
		a := send(t, s, st.method, st.path, st.body, "Authorization", "Bearer "+st.tok)
		if a.status != st.status {
			t.Errorf("%s %s with %s: status %d, want %d (%s)", st.method, st.path, st.tok, a.status, st.status, a.messages())
		}
		if st.status == 403 && a.messages() != "Resource not accessible by integration" {
			t.Errorf("%s %s: message %q", st.method, st.path, a.messages())
		}
	}
	if cs := r.Comments(n); len(cs) != 2 || cs[0].Body != "old" {
		t.Errorf("comments = %+v, want the old one untouched and one new", cs)
	}
}

// TestGoGitHubComments drives the comment endpoints through go-github v60,
// as jobfam action does.
func TestGoGitHubComments(t *testing.T) {
	s, r, _ := handbook(t)
	s.RequireToken("tok")
	n := r.AddPull(Pull{Title: "Edit", Head: "feature", Base: "main"})
	for i := range 3 {
		r.AddComment(Comment{Issue: n, User: "alice", Body: "c" + itoa(i)})
	}
	ctx := context.Background()
	gh := goGitHub(t, s, "tok")
	c, _, err := gh.Issues.CreateComment(ctx, "acme", "handbook", n, &github.IssueComment{Body: github.String("mine")})
	if err != nil || c.GetBody() != "mine" || c.GetUser().GetLogin() != "github-actions[bot]" {
		t.Fatalf("CreateComment: %v %+v", err, c)
	}
	var all []string
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 2}}
	for {
		cs, resp, err := gh.Issues.ListComments(ctx, "acme", "handbook", n, opts)
		if err != nil {
			t.Fatalf("ListComments: %v", err)
		}
		for _, c := range cs {
			all = append(all, c.GetBody())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if diff := cmp.Diff([]string{"c0", "c1", "c2", "mine"}, all); diff != "" {
		t.Errorf("ListComments (-want +got):\n%s", diff)
	}
	e, _, err := gh.Issues.EditComment(ctx, "acme", "handbook", c.GetID(), &github.IssueComment{Body: github.String("edited")})
	if err != nil || e.GetBody() != "edited" || e.GetID() != c.GetID() {
		t.Fatalf("EditComment: %v %+v", err, e)
	}
	if _, _, err := gh.Issues.EditComment(ctx, "acme", "handbook", 1, &github.IssueComment{Body: github.String("x")}); statusOf(err) != 404 {
		t.Errorf("EditComment of an unknown comment: %v, want 404", err)
	}
}
