package githubfake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const repoPath = "repos/acme/handbook/"

func handbook(t *testing.T) (*Server, *Repo, string) {
	t.Helper()
	s := New()
	t.Cleanup(s.Close)
	r := s.AddRepo("acme", "handbook")
	head := r.Commit("main", "initial", map[string]string{
		"README.md":                    "hello\n",
		"content/job-families/eng.md":  "eng\n",
		"content/job-families/hand.md": "written by hand\n",
	})
	return s, r, head
}

func TestBlobAndTreeShasAreGits(t *testing.T) {
	s, r, _ := handbook(t)
	// `printf 'hello\n' | git hash-object --stdin`
	const helloBlob = "ce013625030ba8dba906f756967f9e9ca394464a"
	a := send(t, s, "GET", repoPath+"git/trees/main?recursive=1", "")
	var got []string
	for _, e := range a.json["tree"].([]any) {
		got = append(got, fmt.Sprintf("%s %s %s", str(e, "mode"), str(e, "type"), str(e, "path")))
		if str(e, "path") == "README.md" && str(e, "sha") != helloBlob {
			t.Errorf("README.md sha = %s, want %s", str(e, "sha"), helloBlob)
		}
	}
	want := []string{
		"100644 blob README.md",
		"040000 tree content",
		"040000 tree content/job-families",
		"100644 blob content/job-families/eng.md",
		"100644 blob content/job-families/hand.md",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recursive tree (-want +got):\n%s", diff)
	}
	if a.json["truncated"] != false {
		t.Errorf("truncated = %v, want false", a.json["truncated"])
	}
	a = send(t, s, "GET", repoPath+"git/trees/"+r.Log("main")[0].Tree, "")
	if n := len(a.json["tree"].([]any)); n != 2 {
		t.Errorf("non-recursive tree has %d entries, want 2 (README.md, content)", n)
	}
	// Empty tree: git's well-known sha.
	a = send(t, s, "POST", repoPath+"git/trees", `{"tree":[]}`)
	if a.status != 201 || str(a.json, "sha") != emptyTreeSHA {
		t.Errorf("empty tree: %d %s, want 201 %s", a.status, str(a.json, "sha"), emptyTreeSHA)
	}
}

func TestRefs(t *testing.T) {
	s, r, head := handbook(t)
	child := r.Commit("side", "child", map[string]string{"x": "1"}) // side starts empty: unrelated to main
	ff := func() string {                                           // a commit on top of main, not on any branch
		a := send(t, s, "POST", repoPath+"git/commits", fmt.Sprintf(`{"message":"m","tree":%q,"parents":[%q]}`, r.Log("main")[0].Tree, head))
		return str(a.json, "sha")
	}()
	unknown := strings.Repeat("ab", 20)
	runSteps(t, s, []step{
		{"get main", "GET", repoPath + "git/ref/heads/main", "", 200, ""},
		{"get missing", "GET", repoPath + "git/ref/heads/nope", "", 404, "Not Found"},
		{"unknown repo", "GET", "repos/acme/nope/git/ref/heads/main", "", 404, "Not Found"},
		{"names are case-insensitive", "GET", "repos/ACME/Handbook/git/ref/heads/main", "", 200, ""},
		{"create with slash", "POST", repoPath + "git/refs", fmt.Sprintf(`{"ref":"refs/heads/jobfam/publish","sha":%q}`, head), 201, ""},
		{"get with slash", "GET", repoPath + "git/ref/heads/jobfam/publish", "", 200, ""},
		{"create existing", "POST", repoPath + "git/refs", fmt.Sprintf(`{"ref":"refs/heads/main","sha":%q}`, head), 422, "Reference already exists"},
		{"create unknown sha", "POST", repoPath + "git/refs", fmt.Sprintf(`{"ref":"refs/heads/n","sha":%q}`, unknown), 422, "Object does not exist"},
		{"create without refs/", "POST", repoPath + "git/refs", fmt.Sprintf(`{"ref":"heads/n","sha":%q}`, head), 422, "Reference name is invalid"},
		{"create bad name", "POST", repoPath + "git/refs", fmt.Sprintf(`{"ref":"refs/heads/a..b","sha":%q}`, head), 422, "Reference name is invalid"},
		{"not a fast forward", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q,"force":false}`, child), 422, "Update is not a fast forward"},
		{"force omitted is false", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q}`, child), 422, "Update is not a fast forward"},
		{"unknown sha", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q}`, unknown), 422, "Object does not exist"},
		{"update missing ref", "PATCH", repoPath + "git/refs/heads/nope", fmt.Sprintf(`{"sha":%q}`, head), 422, "Reference does not exist"},
		{"same sha is a fast forward", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q}`, head), 200, ""},
		{"fast forward", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q,"force":false}`, ff), 200, ""},
		{"backwards is not a fast forward", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q}`, head), 422, "Update is not a fast forward"},
		{"force", "PATCH", repoPath + "git/refs/heads/main", fmt.Sprintf(`{"sha":%q,"force":true}`, child), 200, ""},
		{"delete", "DELETE", repoPath + "git/refs/heads/jobfam/publish", "", 204, ""},
		{"delete again", "DELETE", repoPath + "git/refs/heads/jobfam/publish", "", 422, "Reference does not exist"},
	})
	if got := r.Head("main"); got != child {
		t.Errorf("Head(main) = %s, want the forced %s", got, child)
	}
	if got := r.Head("jobfam/publish"); got != "" {
		t.Errorf("Head(jobfam/publish) = %q after delete, want empty", got)
	}
	a := send(t, s, "GET", repoPath+"git/ref/heads/side", "")
	want := map[string]any{"ref": "refs/heads/side", "sha": child, "type": "commit"}
	got := map[string]any{"ref": a.json["ref"], "sha": str(a.json, "object", "sha"), "type": str(a.json, "object", "type")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ref JSON (-want +got):\n%s", diff)
	}
}

func TestEmptyRepository(t *testing.T) {
	s := New()
	defer s.Close()
	r := s.AddRepo("acme", "empty")
	runSteps(t, s, []step{
		{"repo", "GET", "repos/acme/empty", "", 200, ""},
		{"ref", "GET", "repos/acme/empty/git/ref/heads/main", "", 409, "Git Repository is empty."},
		{"tree", "POST", "repos/acme/empty/git/trees", `{"tree":[{"path":"a","mode":"100644","type":"blob","content":"x"}]}`, 409, "Git Repository is empty."},
		{"blob", "POST", "repos/acme/empty/git/blobs", `{"content":"x"}`, 409, "Git Repository is empty."},
		{"commit", "POST", "repos/acme/empty/git/commits", `{"message":"m","tree":"4b825dc642cb6eb9a060e54bf8d69288fbee4904"}`, 409, "Git Repository is empty."},
		{"pulls list works", "GET", "repos/acme/empty/pulls", "", 200, ""},
	})
	if got := r.Files("main"); got != nil {
		t.Errorf("Files(main) = %v, want nil", got)
	}
	if a := send(t, s, "GET", "repos/acme/empty", ""); str(a.json, "default_branch") != "main" {
		t.Errorf("default_branch = %q, want main", str(a.json, "default_branch"))
	}
	r.Commit("trunk", "first", map[string]string{"a": "1"})
	if a := send(t, s, "GET", "repos/acme/empty", ""); str(a.json, "default_branch") != "trunk" {
		t.Errorf("default_branch after first commit on trunk = %q, want trunk (the first branch)", str(a.json, "default_branch"))
	}
}

func TestCreateTree(t *testing.T) {
	s, r, _ := handbook(t)
	base := r.Log("main")[0].Tree
	blob := send(t, s, "POST", repoPath+"git/blobs", `{"content":"blob\n","encoding":"utf-8"}`)
	tests := []struct {
		name    string
		body    string
		status  int
		message string
		files   map[string]string // resulting files when status is 201
	}{
		{
			name:   "inline content and delete on base_tree",
			body:   fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"content/job-families/ops.md","mode":"100644","type":"blob","content":"ops\n"},{"path":"content/job-families/eng.md","mode":"100644","type":"blob","sha":null}]}`, base),
			status: 201,
			files:  map[string]string{"README.md": "hello\n", "content/job-families/hand.md": "written by hand\n", "content/job-families/ops.md": "ops\n"},
		},
		{
			name:   "without base_tree only the entries remain",
			body:   `{"tree":[{"path":"a/b.md","mode":"100644","type":"blob","content":"b"}]}`,
			status: 201,
			files:  map[string]string{"a/b.md": "b"},
		},
		{
			name:   "existing blob by sha, type inferred from mode",
			body:   fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"README.md","mode":"100644","sha":%q}]}`, base, str(blob.json, "sha")),
			status: 201,
			files:  map[string]string{"README.md": "blob\n", "content/job-families/eng.md": "eng\n", "content/job-families/hand.md": "written by hand\n"},
		},
		{
			name:   "deleting a folder",
			body:   fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"content","mode":"040000","type":"tree","sha":null}]}`, base),
			status: 201,
			files:  map[string]string{"README.md": "hello\n"},
		},
		{name: "delete missing path", body: fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"nope.md","mode":"100644","type":"blob","sha":null}]}`, base), status: 422, message: "not in base_tree"},
		{name: "delete without base_tree", body: `{"tree":[{"path":"README.md","mode":"100644","type":"blob","sha":null}]}`, status: 422, message: "not in base_tree"},
		{name: "unknown base_tree", body: `{"base_tree":"` + strings.Repeat("0", 40) + `","tree":[]}`, status: 422, message: "base_tree"},
		{name: "leading slash", body: `{"tree":[{"path":"/a","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: "dot dot", body: `{"tree":[{"path":"a/../b","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: "empty segment", body: `{"tree":[{"path":"a//b","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: "trailing slash", body: `{"tree":[{"path":"a/","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: ".git", body: `{"tree":[{"path":".git/config","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: "empty path", body: `{"tree":[{"path":"","mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "invalid path"},
		{name: "missing mode", body: `{"tree":[{"path":"a","type":"blob","content":"x"}]}`, status: 422, message: "mode"},
		{name: "bad mode", body: `{"tree":[{"path":"a","mode":"644","type":"blob","content":"x"}]}`, status: 422, message: "mode"},
		{name: "mode and type disagree", body: `{"tree":[{"path":"a","mode":"100644","type":"tree","content":"x"}]}`, status: 422, message: "type blob"},
		{name: "sha and content", body: `{"tree":[{"path":"a","mode":"100644","type":"blob","content":"x","sha":"` + str(blob.json, "sha") + `"}]}`, status: 422, message: "not both"},
		{name: "neither sha nor content", body: `{"tree":[{"path":"a","mode":"100644","type":"blob"}]}`, status: 422, message: "required"},
		{name: "unknown blob", body: `{"tree":[{"path":"a","mode":"100644","type":"blob","sha":"` + strings.Repeat("1", 40) + `"}]}`, status: 422, message: "not a blob"},
		{name: "file below a file", body: fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"README.md/x","mode":"100644","type":"blob","content":"x"}]}`, base), status: 422, message: "below the file"},
		{name: "file over a folder", body: fmt.Sprintf(`{"base_tree":%q,"tree":[{"path":"content","mode":"100644","type":"blob","content":"x"}]}`, base), status: 422, message: "is a folder"},
		{name: "tree missing", body: `{"base_tree":"` + base + `"}`, status: 422, message: "tree"},
		{name: "path of the wrong type", body: `{"tree":[{"path":1,"mode":"100644","type":"blob","content":"x"}]}`, status: 422, message: "must be strings"},
		{name: "bad JSON", body: `{"tree":[`, status: 400, message: "Problems parsing JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, "POST", repoPath+"git/trees", tt.body)
			if a.status != tt.status || !strings.Contains(a.messages(), tt.message) {
				t.Fatalf("status %d %q, want %d containing %q", a.status, a.messages(), tt.status, tt.message)
			}
			if tt.files == nil {
				return
			}
			// Commit the tree on a scratch branch to read it back.
			c := send(t, s, "POST", repoPath+"git/commits", fmt.Sprintf(`{"message":%q,"tree":%q}`, tt.name, str(a.json, "sha")))
			branch := "scratch/" + strings.ReplaceAll(tt.name, " ", "-")
			send(t, s, "POST", repoPath+"git/refs", fmt.Sprintf(`{"ref":"refs/heads/%s","sha":%q}`, branch, str(c.json, "sha")))
			if diff := cmp.Diff(tt.files, r.Files(branch)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
	if got := r.Files("main")["content/job-families/eng.md"]; got != "eng\n" {
		t.Errorf("creating trees changed main: eng.md = %q", got)
	}
}

func TestCommitsAndBlobs(t *testing.T) {
	s, r, head := handbook(t)
	tree := r.Log("main")[0].Tree
	runSteps(t, s, []step{
		{"unknown tree", "POST", repoPath + "git/commits", `{"message":"m","tree":"` + strings.Repeat("2", 40) + `","parents":[]}`, 422, "Tree SHA does not exist"},
		{"unknown parent", "POST", repoPath + "git/commits", fmt.Sprintf(`{"message":"m","tree":%q,"parents":[%q]}`, tree, strings.Repeat("3", 40)), 422, "Parent SHA does not exist"},
		{"a tree is not a parent", "POST", repoPath + "git/commits", fmt.Sprintf(`{"message":"m","tree":%q,"parents":[%q]}`, tree, tree), 422, "Parent SHA does not exist"},
		{"missing message", "POST", repoPath + "git/commits", fmt.Sprintf(`{"tree":%q}`, tree), 422, "required"},
		{"get unknown", "GET", repoPath + "git/commits/" + strings.Repeat("4", 40), "", 404, "Not Found"},
		{"get unknown blob", "GET", repoPath + "git/blobs/" + strings.Repeat("4", 40), "", 404, "Not Found"},
		{"get unknown tree", "GET", repoPath + "git/trees/" + strings.Repeat("4", 40), "", 404, "Not Found"},
		{"bad base64 blob", "POST", repoPath + "git/blobs", `{"content":"%%%","encoding":"base64"}`, 422, "Base64"},
	})
	body := fmt.Sprintf(`{"message":"publish\n\nSource-PR: #7","tree":%q,"parents":[%q]}`, tree, head)
	a := send(t, s, "POST", repoPath+"git/commits", body)
	b := send(t, s, "POST", repoPath+"git/commits", body)
	if a.status != http.StatusCreated || !isSHA(str(a.json, "sha")) || str(a.json, "sha") != str(b.json, "sha") {
		t.Errorf("create commit twice: %d %q %q, want 201 and the same 40-hex sha", a.status, str(a.json, "sha"), str(b.json, "sha"))
	}
	g := send(t, s, "GET", repoPath+"git/commits/"+str(a.json, "sha"), "")
	want := map[string]any{"message": "publish\n\nSource-PR: #7", "tree": tree, "parent": head}
	got := map[string]any{"message": g.json["message"], "tree": str(g.json, "tree", "sha"), "parent": str(g.json["parents"].([]any)[0], "sha")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get commit (-want +got):\n%s", diff)
	}

	bl := send(t, s, "POST", repoPath+"git/blobs", `{"content":"aGVsbG8K","encoding":"base64"}`)
	if bl.status != 201 || str(bl.json, "sha") != "ce013625030ba8dba906f756967f9e9ca394464a" {
		t.Errorf("create base64 blob: %d %s", bl.status, str(bl.json, "sha"))
	}
	gb := send(t, s, "GET", repoPath+"git/blobs/ce013625030ba8dba906f756967f9e9ca394464a", "")
	if str(gb.json, "encoding") != "base64" || strings.TrimSpace(str(gb.json, "content")) != "aGVsbG8K" || gb.json["size"] != float64(6) {
		t.Errorf("get blob = %v", gb.json)
	}
}

func TestSetupHelpers(t *testing.T) {
	s := New()
	defer s.Close()
	r := s.AddRepo("acme", "h")
	c1 := r.Commit("main", "one", map[string]string{"a/x.md": "x", "b.md": "b"})
	c2 := r.Commit("main", "two", map[string]string{"c.md": "c"}, "a")
	if diff := cmp.Diff(map[string]string{"b.md": "b", "c.md": "c"}, r.Files("main")); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	log := r.Log("main")
	got := []Commit{{SHA: log[0].SHA, Message: log[0].Message, Parents: log[0].Parents}, {SHA: log[1].SHA, Message: log[1].Message, Parents: log[1].Parents}}
	want := []Commit{{SHA: c2, Message: "two", Parents: []string{c1}}, {SHA: c1, Message: "one"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Log (-want +got):\n%s", diff)
	}
	if r.Head("main") != c2 || r.Head("nope") != "" {
		t.Errorf("Head(main) = %q, Head(nope) = %q", r.Head("main"), r.Head("nope"))
	}
	defer func() {
		if recover() == nil {
			t.Error("Commit deleting a missing path did not panic")
		}
	}()
	r.Commit("main", "bad", nil, "missing.md")
}

// TestTreeTruncation checks that a recursive listing beyond the
// repository's limit stops with "truncated": true after exactly that many
// entries, in listing order, while non-recursive listings stay whole, as
// GitHub documents ("use the non-recursive method of fetching trees, and
// fetch one sub-tree at a time").
func TestTreeTruncation(t *testing.T) {
	for _, tc := range []struct {
		name      string
		limit     int
		want      []string
		truncated bool
	}{
		{"GitHub's limit", 0, []string{"README.md", "content", "content/job-families", "content/job-families/eng.md", "content/job-families/hand.md"}, false},
		{"limit equal to the entries", 5, []string{"README.md", "content", "content/job-families", "content/job-families/eng.md", "content/job-families/hand.md"}, false},
		{"limit below the entries", 3, []string{"README.md", "content", "content/job-families"}, true},
		{"limit of one", 1, []string{"README.md"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, r, _ := handbook(t)
			r.SetTreeLimit(tc.limit)
			a := send(t, s, "GET", repoPath+"git/trees/main?recursive=1", "")
			var got []string
			for _, e := range a.json["tree"].([]any) {
				got = append(got, str(e, "path"))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("recursive listing (-want +got):\n%s", diff)
			}
			if a.status != http.StatusOK || a.json["truncated"] != tc.truncated {
				t.Errorf("status %d, truncated = %v; want 200, %v", a.status, a.json["truncated"], tc.truncated)
			}
			if str(a.json, "sha") != r.Log("main")[0].Tree {
				t.Errorf("a truncated listing must still name the tree: sha = %q", str(a.json, "sha"))
			}
			// One sub-tree at a time, as GitHub advises: never truncated.
			a = send(t, s, "GET", repoPath+"git/trees/"+r.Log("main")[0].Tree, "")
			if n := len(a.json["tree"].([]any)); n != 2 || a.json["truncated"] != false {
				t.Errorf("non-recursive listing: %d entries, truncated %v; want 2, false", n, a.json["truncated"])
			}
		})
	}
}
