package githubfake

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPulls(t *testing.T) {
	s, r, head := handbook(t)
	send(t, s, "POST", repoPath+"git/refs", fmt.Sprintf(`{"ref":"refs/heads/jobfam/publish","sha":%q}`, head))
	create := func(title, body string) string {
		return fmt.Sprintf(`{"title":%q,"head":"jobfam/publish","base":"main","body":%q}`, title, body)
	}
	runSteps(t, s, []step{
		{"no commits between", "POST", repoPath + "pulls", create("t", "b"), 422, "No commits between main and jobfam/publish"},
	})
	r.Commit("jobfam/publish", "pages", map[string]string{"content/job-families/ops.md": "ops"})
	runSteps(t, s, []step{
		{"body too long", "POST", repoPath + "pulls", create("t", strings.Repeat("é", 65537)), 422, "body is too long"},
		{"missing title", "POST", repoPath + "pulls", `{"head":"jobfam/publish","base":"main"}`, 422, "Validation Failed"},
		{"unknown head", "POST", repoPath + "pulls", `{"title":"t","head":"nope","base":"main"}`, 422, "Validation Failed"},
		{"unknown base", "POST", repoPath + "pulls", `{"title":"t","head":"jobfam/publish","base":"nope"}`, 422, "Validation Failed"},
		{"create", "POST", repoPath + "pulls", create("Publish", strings.Repeat("é", 65536)), 201, ""},
		{"already exists", "POST", repoPath + "pulls", create("again", ""), 422, "A pull request already exists for acme:jobfam/publish."},
		{"already exists, owner form", "POST", repoPath + "pulls", `{"title":"t","head":"acme:jobfam/publish","base":"main"}`, 422, "A pull request already exists"},
		{"get", "GET", repoPath + "pulls/1", "", 200, ""},
		{"get missing", "GET", repoPath + "pulls/99", "", 404, "Not Found"},
		{"edit body too long", "PATCH", repoPath + "pulls/1", `{"body":"` + strings.Repeat("x", 65537) + `"}`, 422, "body is too long"},
		{"edit bad state", "PATCH", repoPath + "pulls/1", `{"state":"merged"}`, 422, "Validation Failed"},
		{"edit", "PATCH", repoPath + "pulls/1", `{"title":"Publish 2","body":"new"}`, 200, ""},
	})
	a := send(t, s, "GET", repoPath+"pulls/1", "")
	got := map[string]any{
		"number": a.json["number"], "state": a.json["state"], "title": a.json["title"], "body": a.json["body"],
		"head.ref": str(a.json, "head", "ref"), "head.sha": str(a.json, "head", "sha"), "base.ref": str(a.json, "base", "ref"),
		"html_url": a.json["html_url"],
	}
	want := map[string]any{
		"number": float64(1), "state": "open", "title": "Publish 2", "body": "new",
		"head.ref": "jobfam/publish", "head.sha": r.Head("jobfam/publish"), "base.ref": "main",
		"html_url": "https://github.com/acme/handbook/pull/1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pull (-want +got):\n%s", diff)
	}

	numbers := func(query string) []float64 {
		a := send(t, s, "GET", repoPath+"pulls"+query, "")
		out := []float64{}
		for _, p := range a.list {
			out = append(out, p.(map[string]any)["number"].(float64))
		}
		return out
	}
	r.AddPull(Pull{Number: 5, Title: "old", Head: "feature", Base: "main", Merged: true, MergeCommitSHA: head})
	listTests := []struct {
		query string
		want  []float64
	}{
		{"", []float64{1}},
		{"?state=open&head=acme:jobfam/publish&base=main", []float64{1}},
		{"?head=ACME:jobfam/publish", []float64{1}},
		{"?head=other:jobfam/publish", []float64{}},
		{"?head=acme:jobfam", []float64{}},
		{"?head=jobfam/publish&state=all", []float64{5, 1}}, // no owner: GitHub ignores the filter
		{"?base=dev", []float64{}},
		{"?state=closed", []float64{5}},
		{"?state=all&direction=asc", []float64{1, 5}},
		{"?state=all&per_page=1&page=2", []float64{1}},
	}
	for _, tt := range listTests {
		if diff := cmp.Diff(tt.want, numbers(tt.query)); diff != "" {
			t.Errorf("GET pulls%s (-want +got):\n%s", tt.query, diff)
		}
	}
	if a := send(t, s, "GET", repoPath+"pulls?state=all&per_page=1", ""); !strings.Contains(a.header.Get("Link"), `rel="next"`) {
		t.Errorf("Link header %q, want a next page", a.header.Get("Link"))
	}

	runSteps(t, s, []step{
		{"close", "PATCH", repoPath + "pulls/1", `{"state":"closed"}`, 200, ""},
		{"create again after close", "POST", repoPath + "pulls", create("Publish 3", ""), 201, ""},
		{"reopen while another is open", "PATCH", repoPath + "pulls/1", `{"state":"open"}`, 422, "already exists"},
		{"reopen merged", "PATCH", repoPath + "pulls/5", `{"state":"open"}`, 422, "merged"},
	})
	gotStates := map[int]string{}
	for _, p := range r.Pulls() {
		gotStates[p.Number] = p.State
	}
	if diff := cmp.Diff(map[int]string{1: "closed", 5: "closed", 6: "open"}, gotStates); diff != "" {
		t.Errorf("Pulls states (-want +got):\n%s", diff)
	}
	send(t, s, "DELETE", repoPath+"git/refs/heads/jobfam/publish", "")
	if p := r.Pulls()[2]; p.State != "closed" {
		t.Errorf("pull %d is %s after its head branch was deleted, want closed", p.Number, p.State)
	}
}

func TestProvenance(t *testing.T) {
	s := New()
	defer s.Close()
	src := s.AddRepo("acme", "jobs")
	merge := src.Commit("main", "Merge pull request #7", map[string]string{"families/eng.cue": "x"})
	n := src.AddPull(Pull{
		Number: 7, Title: "Add eng", Head: "add-eng", Base: "main", Author: "alice",
		Merged: true, MergeCommitSHA: merge,
		Reviews: []Review{{User: "alice", State: "COMMENTED"}, {User: "bob", State: "APPROVED"}},
	})
	if n != 7 {
		t.Fatalf("AddPull = %d, want 7", n)
	}
	if got := src.AddPull(Pull{Title: "next", Head: "x", Base: "main"}); got != 8 {
		t.Errorf("AddPull without number = %d, want 8", got)
	}
	a := send(t, s, "GET", "repos/acme/jobs/commits/"+merge+"/pulls", "")
	if len(a.list) != 1 || a.list[0].(map[string]any)["number"] != float64(7) || a.list[0].(map[string]any)["merged"] != true {
		t.Fatalf("commit pulls = %v, want pull 7, merged", a.list)
	}
	reviews := send(t, s, "GET", "repos/acme/jobs/pulls/7/reviews", "")
	var got []string
	for _, rv := range reviews.list {
		got = append(got, str(rv, "user", "login")+" "+str(rv, "state"))
	}
	if diff := cmp.Diff([]string{"alice COMMENTED", "bob APPROVED"}, got); diff != "" {
		t.Errorf("reviews (-want +got):\n%s", diff)
	}
	other := src.Commit("main", "direct push", map[string]string{"x": "y"})
	runSteps(t, s, []step{
		{"commit without pulls", "GET", "repos/acme/jobs/commits/" + other + "/pulls", "", 200, ""},
		{"unknown commit", "GET", "repos/acme/jobs/commits/" + strings.Repeat("9", 40) + "/pulls", "", 422, "No commit found"},
		{"reviews of missing pull", "GET", "repos/acme/jobs/pulls/99/reviews", "", 404, "Not Found"},
	})
	// A sha named only by AddPull counts as a commit.
	src.AddPull(Pull{Number: 20, Head: "h", Base: "main", Merged: true, MergeCommitSHA: strings.Repeat("a", 40)})
	if a := send(t, s, "GET", "repos/acme/jobs/commits/"+strings.Repeat("a", 40)+"/pulls", ""); len(a.list) != 1 {
		t.Errorf("pulls of an AddPull merge sha = %v, want pull 20", a.list)
	}
}
