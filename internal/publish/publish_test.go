package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/githubfake"
	"github.com/jobfam/jobfam/internal/publish"
)

const token = "ghp_SECRETdistinctive0123456789"

const dir = "content/job-families"

// env is one fake GitHub with a handbook repository.
type env struct {
	srv    *githubfake.Server
	repo   *githubfake.Repo
	gh     *publish.Client
	sleeps []time.Duration
	log    strings.Builder
	// timeout bounds each request; 300 ms unless a test sets it, so that
	// the timeout tests stay quick.
	timeout time.Duration
}

func newEnv(t *testing.T, mode string) *env {
	t.Helper()
	e := &env{srv: githubfake.New()}
	t.Cleanup(e.srv.Close)
	e.srv.RequireToken(token)
	e.repo = e.srv.AddRepo("acme", "handbook")
	e.repo.Commit("main", "initial", map[string]string{
		"README.md":                  "# Handbook\n",
		dir + "/hand-written.md":     "---\ntitle: Written by hand\n---\n\nKeep me.\n",
		dir + "/notes/hand-notes.md": "no front matter\n",
	})
	e.gh = e.client(t, token, mode)
	e.srv.ResetRequests()
	return e
}

func (e *env) requestTimeout() time.Duration {
	if e.timeout > 0 {
		return e.timeout
	}
	return 300 * time.Millisecond
}

func (e *env) client(t *testing.T, tok, mode string) *publish.Client {
	t.Helper()
	gh, err := publish.NewClient(publish.ClientOptions{
		APIURL: e.srv.URL(), Token: tok, Repo: "acme/handbook", Mode: mode,
		Timeout: e.requestTimeout(), Log: &e.log,
		Sleep: func(_ context.Context, d time.Duration) error { e.sleeps = append(e.sleeps, d); return nil },
		Now:   func() time.Time { return time.Unix(1_700_000_000, 0) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return gh
}

// run publishes and returns the result and the requests it sent.
func (e *env) run(t *testing.T, pages map[string][]byte, opts publish.Options) (*publish.Result, []string) {
	t.Helper()
	e.srv.ResetRequests()
	if opts.Dir == "" {
		opts.Dir = dir
	}
	opts.Repo = "acme/handbook"
	opts.Log = &e.log
	res, err := publish.Publish(context.Background(), e.gh, pages, opts)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return res, e.requests()
}

func (e *env) requests() []string {
	var out []string
	for _, r := range e.srv.Requests() {
		p := r.Path
		// Keep the endpoint, not the SHAs, so that the lists read well.
		parts := strings.Split(p, "/")
		for i, s := range parts {
			if len(s) == 40 {
				parts[i] = "SHA"
			}
		}
		out = append(out, r.Method+" "+strings.Join(parts, "/"))
	}
	return out
}

func writes(reqs []string) int {
	n := 0
	for _, r := range reqs {
		if !strings.HasPrefix(r, "GET ") {
			n++
		}
	}
	return n
}

func page(title string) []byte {
	return []byte("---\ntitle: " + title + "\n---\n\n## Levels\n\nText of " + title + ".\n")
}

func families() map[string][]byte {
	return map[string][]byte{
		"finance/accounting.md": page("Accounting"),
		"finance/payroll.md":    page("Payroll"),
	}
}

const manifestPath = dir + "/" + publish.ManifestName

// manifest returns the pages the handbook's manifest lists (path under
// dir -> blob SHA), nil when it has none.
func (e *env) manifest(t *testing.T, branch string) map[string]string {
	t.Helper()
	data, ok := e.repo.Files(branch)[manifestPath]
	if !ok {
		return nil
	}
	var m struct {
		GeneratedBy string            `json:"generated_by"`
		Pages       map[string]string `json:"pages"`
	}
	if err := json.Unmarshal([]byte(data), &m); err != nil || m.GeneratedBy != "jobfam" {
		t.Fatalf("manifest %q: %v", data, err)
	}
	return m.Pages
}

// shas returns what the manifest should list for these files of a branch.
func (e *env) shas(branch string, names ...string) map[string]string {
	files := e.repo.Files(branch)
	out := map[string]string{}
	for _, name := range names {
		out[name] = publish.BlobSHA([]byte(files[dir+"/"+name]))
	}
	return out
}

// direct is what a change costs in --mode direct with a manifest: three
// reads and three writes, whatever the number of pages changed.
var direct = []string{
	"GET /repos/acme/handbook/git/ref/heads/main",
	"GET /repos/acme/handbook/git/trees/SHA",
	"GET /repos/acme/handbook/git/blobs/SHA", // the manifest
	"POST /repos/acme/handbook/git/trees",
	"POST /repos/acme/handbook/git/commits",
	"PATCH /repos/acme/handbook/git/refs/heads/main",
}

// readPage is the reads of a run that checks one page's marker.
var readPage = slices.Concat(direct[:3], []string{"GET /repos/acme/handbook/git/blobs/SHA"})

func TestFirstPublishThenNoWrites(t *testing.T) {
	e := newEnv(t, "direct")
	res, reqs := e.run(t, families(), publish.Options{})
	if res.Operation != publish.OpCommitted {
		t.Fatalf("operation = %q, want committed", res.Operation)
	}
	want := []string{
		"GET /repos/acme/handbook/git/ref/heads/main",
		"GET /repos/acme/handbook/git/trees/SHA",
		"GET /repos/acme/handbook/git/blobs/SHA", // hand-written.md: whose is it?
		"GET /repos/acme/handbook/git/blobs/SHA", // notes/hand-notes.md
		"POST /repos/acme/handbook/git/trees",
		"POST /repos/acme/handbook/git/commits",
		"PATCH /repos/acme/handbook/git/refs/heads/main",
	}
	if diff := cmp.Diff(want, reqs); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	files := e.repo.Files("main")
	acc := files[dir+"/finance/accounting.md"]
	if !strings.Contains(acc, "generated_by: jobfam\njobfam_family: finance/accounting\n---\n") || !strings.HasPrefix(acc, "---\ntitle: Accounting\n") {
		t.Errorf("accounting page lacks the marker:\n%s", acc)
	}
	if files[dir+"/hand-written.md"] != "---\ntitle: Written by hand\n---\n\nKeep me.\n" || files["README.md"] != "# Handbook\n" {
		t.Errorf("hand-written files changed: %q", files)
	}
	if got := len(e.repo.Log("main")); got != 2 {
		t.Errorf("%d commits on main, want 2 (one for the whole change)", got)
	}
	if diff := cmp.Diff([]string{dir + "/finance/accounting.md", dir + "/finance/payroll.md"}, res.Added); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	if res.Manifest != manifestPath {
		t.Errorf("result.Manifest = %q, want %q", res.Manifest, manifestPath)
	}
	wantManifest := `{
  "generated_by": "jobfam",
  "pages": {
    "finance/accounting.md": "` + publish.BlobSHA([]byte(acc)) + `",
    "finance/payroll.md": "` + publish.BlobSHA([]byte(files[dir+"/finance/payroll.md"])) + `"
  }
}
`
	if diff := cmp.Diff(wantManifest, files[manifestPath]); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}

	// The second run reads the manifest, not the hand-written pages.
	res, reqs = e.run(t, families(), publish.Options{})
	if res.Operation != publish.OpNone || res.Manifest != "" {
		t.Errorf("second publish: operation %q, manifest %q; want none", res.Operation, res.Manifest)
	}
	if diff := cmp.Diff(direct[:3], reqs); diff != "" {
		t.Errorf("second publish: requests (-want +got):\n%s", diff)
	}
}

// TestManifestNamesTheSource checks that the manifest records the source
// and stays unchanged, with no write, when only the source moved.
func TestManifestNamesTheSource(t *testing.T) {
	e := newEnv(t, "direct")
	src := publish.Source{Repo: "acme/families", SHA: strings.Repeat("a", 40)}
	e.run(t, families(), publish.Options{Source: src})
	before := e.repo.Files("main")[manifestPath]
	if !strings.Contains(before, `"source": "acme/families@`+src.SHA+`",`) {
		t.Errorf("manifest does not name the source:\n%s", before)
	}
	src.SHA = strings.Repeat("b", 40)
	res, reqs := e.run(t, families(), publish.Options{Source: src})
	if res.Operation != publish.OpNone || writes(reqs) != 0 || e.repo.Files("main")[manifestPath] != before {
		t.Errorf("a new source with the same pages: operation %q, %d writes", res.Operation, writes(reqs))
	}
}

// TestChangeOneFamilyOneCommit checks the six requests of a change: the
// manifest vouches for the changed page, so no page is read. The tree is
// read by the commit's SHA (GitHub takes a tree-ish), so no GET commit.
func TestChangeOneFamilyOneCommit(t *testing.T) {
	e := newEnv(t, "direct")
	e.run(t, families(), publish.Options{})
	pages := families()
	pages["finance/payroll.md"] = page("Payroll, renamed")
	res, reqs := e.run(t, pages, publish.Options{})
	if diff := cmp.Diff(direct, reqs); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{dir + "/finance/payroll.md"}, res.Changed); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	if !strings.Contains(e.repo.Files("main")[dir+"/finance/payroll.md"], "Payroll, renamed") {
		t.Errorf("payroll not updated")
	}
	if diff := cmp.Diff(e.shas("main", "finance/accounting.md", "finance/payroll.md"), e.manifest(t, "main")); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	if got := len(e.repo.Log("main")); got != 3 {
		t.Errorf("%d commits on main, want 3", got)
	}
}

func TestDeleteFamilyKeepsHandWritten(t *testing.T) {
	e := newEnv(t, "direct")
	e.run(t, families(), publish.Options{})
	pages := families()
	delete(pages, "finance/payroll.md")
	res, reqs := e.run(t, pages, publish.Options{})
	if diff := cmp.Diff([]string{dir + "/finance/payroll.md"}, res.Deleted); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(direct, reqs); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(e.shas("main", "finance/accounting.md"), e.manifest(t, "main")); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	files := e.repo.Files("main")
	for _, keep := range []string{dir + "/hand-written.md", dir + "/notes/hand-notes.md", dir + "/finance/accounting.md", "README.md"} {
		if _, ok := files[keep]; !ok {
			t.Errorf("%s was deleted", keep)
		}
	}
	if _, ok := files[dir+"/finance/payroll.md"]; ok {
		t.Errorf("payroll.md was not deleted")
	}
}

func TestHandWrittenPageInTheWayIsRefused(t *testing.T) {
	e := newEnv(t, "direct")
	pages := families()
	pages["hand-written.md"] = page("Clash")
	_, err := publish.Publish(context.Background(), e.gh, pages, publish.Options{Repo: "acme/handbook", Dir: dir})
	if !errors.Is(err, publish.ErrRefused) || !strings.Contains(err.Error(), "hand-written.md") {
		t.Errorf("err = %v, want a refusal naming hand-written.md", err)
	}
	if w := writes(e.requests()); w != 0 {
		t.Errorf("%d writes after a refusal", w)
	}
}

// TestHandEditedPages checks the pages whose SHA is no longer the one
// the manifest records: each is read once, and its marker decides.
func TestHandEditedPages(t *testing.T) {
	read := slices.Concat(readPage, direct[3:])
	for _, tc := range []struct {
		name    string
		edit    string // the payroll page after a hand edit
		pages   func() map[string][]byte
		reqs    []string
		refused bool
		payroll string // payroll.md after the run, "" when deleted
	}{{
		name: "marker kept, family changed: overwritten",
		edit: "---\ntitle: Payroll\ngenerated_by: jobfam\n---\n\nEdited.\n",
		pages: func() map[string][]byte {
			p := families()
			p["finance/payroll.md"] = page("Payroll v2")
			return p
		},
		reqs: read, payroll: "Payroll v2",
	}, {
		name: "marker lost, family changed: refused",
		edit: "---\ntitle: Payroll\n---\n\nMine now.\n",
		pages: func() map[string][]byte {
			p := families()
			p["finance/payroll.md"] = page("Payroll v2")
			return p
		},
		reqs: readPage, refused: true, payroll: "Mine now.",
	}, {
		name: "marker kept, family deleted: deleted",
		edit: "---\ntitle: Payroll\ngenerated_by: jobfam\n---\n\nEdited.\n",
		pages: func() map[string][]byte {
			p := families()
			delete(p, "finance/payroll.md")
			return p
		},
		reqs: read,
	}, {
		name: "marker lost, family deleted: kept",
		edit: "---\ntitle: Payroll\n---\n\nMine now.\n",
		pages: func() map[string][]byte {
			p := families()
			delete(p, "finance/payroll.md")
			return p
		},
		reqs: readPage, payroll: "Mine now.",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "direct")
			e.run(t, families(), publish.Options{})
			e.repo.Commit("main", "edit by hand", map[string]string{dir + "/finance/payroll.md": tc.edit})
			e.srv.ResetRequests()
			_, err := publish.Publish(context.Background(), e.gh, tc.pages(), publish.Options{Repo: "acme/handbook", Dir: dir})
			if tc.refused != errors.Is(err, publish.ErrRefused) || (!tc.refused && err != nil) {
				t.Fatalf("err = %v, refused %v", err, tc.refused)
			}
			if tc.refused && !strings.Contains(err.Error(), "finance/payroll.md") {
				t.Errorf("the refusal does not name the page: %v", err)
			}
			if diff := cmp.Diff(tc.reqs, e.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			files := e.repo.Files("main")
			if got, ok := files[dir+"/finance/payroll.md"]; tc.payroll == "" && ok || !strings.Contains(got, tc.payroll) {
				t.Errorf("payroll.md = %q, want it to hold %q", got, tc.payroll)
			}
			// A deleted page leaves the manifest. A page taken over by hand
			// stays listed until the next change rewrites the manifest: the
			// stale entry costs its one read, the marker still decides.
			if _, ok := e.manifest(t, "main")["finance/payroll.md"]; ok && tc.payroll == "" {
				t.Errorf("the manifest still lists the deleted payroll.md: %v", e.manifest(t, "main"))
			}
		})
	}
}

// TestPageInTheWayWithManifest checks that a page the manifest does not
// list is read when a new family would overwrite it, and refused when it
// is hand-written.
func TestPageInTheWayWithManifest(t *testing.T) {
	e := newEnv(t, "direct")
	e.run(t, families(), publish.Options{})
	pages := families()
	pages["hand-written.md"] = page("Clash")
	e.srv.ResetRequests()
	_, err := publish.Publish(context.Background(), e.gh, pages, publish.Options{Repo: "acme/handbook", Dir: dir})
	if !errors.Is(err, publish.ErrRefused) || !strings.Contains(err.Error(), "hand-written.md") {
		t.Errorf("err = %v, want a refusal naming hand-written.md", err)
	}
	if diff := cmp.Diff(readPage, e.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestNoManifest publishes into a handbook an older jobfam wrote, with
// marked pages and no manifest: pages are read for their marker as before,
// and the commit adds the manifest.
func TestNoManifest(t *testing.T) {
	e := newEnv(t, "direct")
	e.run(t, families(), publish.Options{})
	e.repo.Commit("main", "older jobfam", nil, manifestPath)
	pages := families()
	pages["finance/payroll.md"] = page("Payroll v2")
	pages["finance/tax.md"] = page("Tax")
	res, reqs := e.run(t, pages, publish.Options{})
	want := []string{
		"GET /repos/acme/handbook/git/ref/heads/main",
		"GET /repos/acme/handbook/git/trees/SHA",
		"GET /repos/acme/handbook/git/blobs/SHA", // payroll.md: ours?
		"GET /repos/acme/handbook/git/blobs/SHA", // hand-written.md
		"GET /repos/acme/handbook/git/blobs/SHA", // notes/hand-notes.md
		"POST /repos/acme/handbook/git/trees",
		"POST /repos/acme/handbook/git/commits",
		"PATCH /repos/acme/handbook/git/refs/heads/main",
	}
	if diff := cmp.Diff(want, reqs); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if res.Manifest != manifestPath || len(res.Changed) != 1 || len(res.Added) != 1 {
		t.Errorf("result %+v", res)
	}
	if diff := cmp.Diff(e.shas("main", "finance/accounting.md", "finance/payroll.md", "finance/tax.md"), e.manifest(t, "main")); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	files := e.repo.Files("main")
	if files[dir+"/hand-written.md"] == "" || files[dir+"/notes/hand-notes.md"] == "" {
		t.Errorf("a hand-written page went")
	}

	// Up to date but still without a manifest: nothing is written.
	e.repo.Commit("main", "older jobfam again", nil, manifestPath)
	res, reqs = e.run(t, pages, publish.Options{})
	if res.Operation != publish.OpNone || writes(reqs) != 0 {
		t.Errorf("up to date without manifest: operation %q, requests %q", res.Operation, reqs)
	}
}

func TestForeignManifestIsRefused(t *testing.T) {
	e := newEnv(t, "direct")
	e.repo.Commit("main", "a file of that name", map[string]string{manifestPath: "{\"pages\": {}}\n"})
	_, err := publish.Publish(context.Background(), e.gh, families(), publish.Options{Repo: "acme/handbook", Dir: dir})
	if !errors.Is(err, publish.ErrRefused) || !strings.Contains(err.Error(), publish.ManifestName) {
		t.Errorf("err = %v, want a refusal naming the manifest", err)
	}
	if w := writes(e.requests()); w != 0 {
		t.Errorf("%d writes after a refusal", w)
	}
}

func TestPathsConfined(t *testing.T) {
	e := newEnv(t, "direct")
	for _, name := range []string{"../escape.md", ".github/workflows/x.md", "a/.git/x.md", "/abs.md", "a/./b.md"} {
		_, err := publish.Publish(context.Background(), e.gh, map[string][]byte{name: page("x")}, publish.Options{Dir: dir})
		if !errors.Is(err, publish.ErrRefused) {
			t.Errorf("page %q: err = %v, want refused", name, err)
		}
	}
	for _, d := range []string{"", ".", "../x", "/abs", "a/../b", ".github", "x/.git"} {
		if err := publish.CheckDir(d); err == nil {
			t.Errorf("CheckDir(%q) accepted", d)
		}
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests for refused paths", n)
	}
}

// raceAPI pushes a commit to the branch just before the first update-ref.
type raceAPI struct {
	publish.API
	push func()
}

func (r *raceAPI) UpdateRef(ctx context.Context, branch, sha string, force bool) error {
	if r.push != nil {
		r.push()
		r.push = nil
	}
	return r.API.UpdateRef(ctx, branch, sha, force)
}

func TestBaseMovedIsRebuilt(t *testing.T) {
	e := newEnv(t, "direct")
	api := &raceAPI{API: e.gh, push: func() {
		e.repo.Commit("main", "someone else", map[string]string{"other.md": "theirs\n"})
	}}
	res, err := publish.Publish(context.Background(), api, families(), publish.Options{Repo: "acme/handbook", Dir: dir, Log: &e.log})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", res.Attempts)
	}
	files := e.repo.Files("main")
	if files["other.md"] != "theirs\n" || files[dir+"/finance/accounting.md"] == "" {
		t.Errorf("a change was lost: %v", files)
	}
	log := e.repo.Log("main")
	if log[0].SHA != res.CommitSHA || log[1].Message != "someone else" {
		t.Errorf("log = %+v, want our commit on theirs", log[:2])
	}
	if !strings.Contains(e.log.String(), "main moved while publishing") {
		t.Errorf("log does not say why it rebuilt: %q", e.log.String())
	}
}

func TestTimeoutAfterSuccessCounts(t *testing.T) {
	for _, kind := range []githubfake.FaultKind{githubfake.DropAfterApply, githubfake.Timeout} {
		t.Run(kind.String(), func(t *testing.T) {
			e := newEnv(t, "direct")
			e.srv.Inject(githubfake.Fault{Method: "PATCH", Path: "/git/refs/heads/main", Kind: kind, Delay: 2 * time.Second})
			res, reqs := e.run(t, families(), publish.Options{})
			if res.Operation != publish.OpCommitted || e.repo.Head("main") != res.CommitSHA {
				t.Errorf("result %+v, head %s", res, e.repo.Head("main"))
			}
			if got := reqs[len(reqs)-1]; got != "GET /repos/acme/handbook/git/ref/heads/main" {
				t.Errorf("last request %q, want the ref read back", got)
			}
			if writes(reqs) != 3 {
				t.Errorf("%d writes, want 3: %q", writes(reqs), reqs)
			}
		})
	}
}

func TestRateLimitedThenSucceeds(t *testing.T) {
	e := newEnv(t, "direct")
	reset := fmt.Sprint(time.Unix(1_700_000_000, 0).Add(90 * time.Second).Unix())
	e.srv.Inject(githubfake.Fault{Method: "GET", Path: "/git/ref/", Kind: githubfake.Status, Status: 403,
		Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}})
	e.srv.Inject(githubfake.Fault{Method: "POST", Path: "/git/commits", Kind: githubfake.Status, Status: 429, Times: 2,
		Header: http.Header{"Retry-After": {"7"}}})
	res, _ := e.run(t, families(), publish.Options{})
	if res.Operation != publish.OpCommitted {
		t.Fatalf("operation %q", res.Operation)
	}
	// 91 s to the reset; then Retry-After 7 s, then at least a minute of
	// exponential backoff.
	if diff := cmp.Diff([]time.Duration{91 * time.Second, 7 * time.Second, 60 * time.Second}, e.sleeps); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if n := strings.Count(e.log.String(), "GitHub rate limit"); n != 3 {
		t.Errorf("%d waits printed, want 3:\n%s", n, e.log.String())
	}
	if len(e.repo.Log("main")) != 2 {
		t.Errorf("want exactly one new commit")
	}
}

func TestRateLimitWaitIsBounded(t *testing.T) {
	e := newEnv(t, "direct")
	e.srv.Inject(githubfake.Fault{Method: "GET", Kind: githubfake.Status, Status: 429, Times: 100, Header: http.Header{"Retry-After": {"600"}}})
	_, err := publish.Publish(context.Background(), e.gh, families(), publish.Options{Repo: "acme/handbook", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "rate limited") {
		t.Errorf("err = %v, want rate limited", err)
	}
	var total time.Duration
	for _, d := range e.sleeps {
		total += d
	}
	if total > 15*time.Minute {
		t.Errorf("waited %s in all, more than the bound", total)
	}
}

func TestPRModeCreateUpdateClose(t *testing.T) {
	e := newEnv(t, "pr")
	opts := publish.Options{Mode: "pr"}
	res, reqs := e.run(t, families(), opts)
	if res.Operation != publish.OpCreated || res.PullRequestURL == "" {
		t.Fatalf("first: %+v", res)
	}
	if len(e.repo.Log("main")) != 1 {
		t.Errorf("pr mode moved main")
	}
	if e.repo.Files(publish.DefaultPRBranch)[dir+"/finance/accounting.md"] == "" {
		t.Errorf("the pr branch lacks the page")
	}
	t.Logf("create: %d requests", len(reqs))

	res, reqs = e.run(t, families(), opts)
	if res.Operation != publish.OpNone || writes(reqs) != 0 {
		t.Errorf("again: operation %q, writes %q", res.Operation, reqs)
	}

	pages := families()
	pages["finance/payroll.md"] = page("Payroll v2")
	res, _ = e.run(t, pages, opts)
	if res.Operation != publish.OpUpdated {
		t.Errorf("update: operation %q", res.Operation)
	}
	open := 0
	for _, p := range e.repo.Pulls() {
		if p.State == "open" {
			open++
			if !strings.Contains(p.Title, "2 added") {
				t.Errorf("title %q", p.Title)
			}
		}
	}
	if open != 1 {
		t.Errorf("%d open pull requests, want 1", open)
	}

	// The pages land on main by other means: nothing remains to propose.
	marked := e.repo.Files(publish.DefaultPRBranch)
	e.repo.Commit("main", "merged", map[string]string{
		dir + "/finance/accounting.md": marked[dir+"/finance/accounting.md"],
		dir + "/finance/payroll.md":    marked[dir+"/finance/payroll.md"],
	})
	res, _ = e.run(t, pages, opts)
	if res.Operation != publish.OpClosed {
		t.Errorf("close: operation %q", res.Operation)
	}
	for _, p := range e.repo.Pulls() {
		if p.State == "open" {
			t.Errorf("pull request #%d still open", p.Number)
		}
	}
}

func TestPRAlreadyExistsIsUpdated(t *testing.T) {
	e := newEnv(t, "pr")
	e.run(t, families(), publish.Options{Mode: "pr"})
	// A stale list: the API says no pull request is open.
	api := &hidePulls{API: e.gh}
	pages := families()
	pages["finance/payroll.md"] = page("Payroll v3")
	res, err := publish.Publish(context.Background(), api, pages, publish.Options{Repo: "acme/handbook", Dir: dir, Mode: "pr"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Operation != publish.OpUpdated || len(e.repo.Pulls()) != 1 {
		t.Errorf("operation %q, %d pulls", res.Operation, len(e.repo.Pulls()))
	}
}

type hidePulls struct {
	publish.API
	hidden bool
}

func (h *hidePulls) OpenPulls(ctx context.Context, head, base string) ([]publish.Pull, error) {
	if !h.hidden {
		h.hidden = true
		return nil, nil
	}
	return h.API.OpenPulls(ctx, head, base)
}

func TestRequireApproval(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reviews []githubfake.Review
		merged  bool
		refused string
	}{
		{"approved", []githubfake.Review{{User: "bob", State: "APPROVED"}}, true, ""},
		{"no review", nil, true, "no approving review"},
		{"self approval", []githubfake.Review{{User: "alice", State: "APPROVED"}}, true, "no approving review"},
		{"approval withdrawn", []githubfake.Review{{User: "bob", State: "APPROVED"}, {User: "bob", State: "CHANGES_REQUESTED"}}, true, "no approving review"},
		{"not merged", []githubfake.Review{{User: "bob", State: "APPROVED"}}, false, "not merged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "direct")
			src := e.srv.AddRepo("acme", "families")
			sha := src.Commit("main", "families", map[string]string{"families/a.cue": "title: \"A\"\n"})
			pr := githubfake.Pull{Title: "Change", Head: "change", Base: "main", Author: "alice", Merged: tc.merged, Reviews: tc.reviews}
			if tc.merged {
				pr.MergeCommitSHA = sha
			} else {
				pr.HeadSHA = sha
			}
			src.AddPull(pr)
			opts := publish.Options{Repo: "acme/handbook", Dir: dir, RequireApproval: true, Source: publish.Source{Repo: "acme/families", SHA: sha}}
			res, err := publish.Publish(context.Background(), e.gh, families(), opts)
			if tc.refused != "" {
				if !errors.Is(err, publish.ErrRefused) || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("err = %v, want refused: %s", err, tc.refused)
				}
				if len(e.repo.Log("main")) != 1 {
					t.Errorf("published although refused")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			msg := e.repo.Log("main")[0].Message
			for _, want := range []string{"Source-Commit: acme/families@" + sha, "Source-PR: acme/families#1", "Approved-By: bob"} {
				if !strings.Contains(msg, want+"\n") {
					t.Errorf("commit message lacks %q:\n%s", want, msg)
				}
			}
			if res.Provenance == nil || res.Provenance.PR != 1 {
				t.Errorf("provenance %+v", res.Provenance)
			}
		})
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newEnv(t, "direct")
	res, reqs := e.run(t, families(), publish.Options{DryRun: true})
	if writes(reqs) != 0 {
		t.Errorf("dry run wrote: %q", reqs)
	}
	if !strings.Contains(res.Diff, "+++ b/"+dir+"/finance/accounting.md\n") || !strings.Contains(res.Diff, "+jobfam_family: finance/accounting\n") {
		t.Errorf("diff:\n%s", res.Diff)
	}
	if res.Manifest != manifestPath || strings.Contains(res.Diff, publish.ManifestName) {
		t.Errorf("manifest %q; the diff shows it:\n%s", res.Manifest, res.Diff)
	}

	// A page the manifest vouches for is read all the same, for the diff.
	e.run(t, families(), publish.Options{})
	pages := families()
	pages["finance/payroll.md"] = page("Payroll v2")
	res, reqs = e.run(t, pages, publish.Options{DryRun: true})
	if writes(reqs) != 0 || !strings.Contains(res.Diff, "-title: Payroll\n+title: Payroll v2\n") {
		t.Errorf("dry run of a change: %q\n%s", reqs, res.Diff)
	}
}

func TestErrorsAreClearAndSecret(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(e *env) *publish.Client
		mode  string
		want  string
	}{
		{"401", func(e *env) *publish.Client {
			return e.client(t, token+"-wrong", "direct")
		}, "direct", "bad credentials: check the token"},
		{"403", func(e *env) *publish.Client {
			e.srv.Inject(githubfake.Fault{Method: "POST", Path: "/git/trees", Kind: githubfake.Status, Status: 403})
			return e.gh
		}, "direct", `missing permission: the token needs "contents: write" on acme/handbook`},
		{"403 pr", func(e *env) *publish.Client {
			e.srv.Inject(githubfake.Fault{Method: "POST", Path: "/pulls", Kind: githubfake.Status, Status: 403})
			return e.client(t, token, "pr")
		}, "pr", `"pull-requests: write"`},
		{"404", func(e *env) *publish.Client {
			c, _ := publish.NewClient(publish.ClientOptions{APIURL: e.srv.URL(), Token: token, Repo: "acme/nope"})
			return c
		}, "direct", "not found: repository acme/nope or the branch does not exist, or the token has no access to it"},
		{"409", func(e *env) *publish.Client {
			e.srv.AddRepo("acme", "empty")
			c, _ := publish.NewClient(publish.ClientOptions{APIURL: e.srv.URL(), Token: token, Repo: "acme/empty"})
			return c
		}, "direct", "repository acme/empty is empty: push a first commit to it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.mode)
			gh := tc.setup(e)
			_, err := publish.Publish(context.Background(), gh, families(), publish.Options{Repo: "acme/handbook", Dir: dir, Mode: tc.mode, Log: &e.log})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(e.log.String(), "SECRET") {
				t.Errorf("token leaked: %v / %s", err, e.log.String())
			}
		})
	}
}

// TestScale publishes 1 and 1,000 changed pages and logs the requests and
// the wall time; the figures are in docs/performance.md.
func TestScale(t *testing.T) {
	for _, n := range []int{1, 1000} {
		e := newEnv(t, "direct")
		e.repo.Commit("main", "no hand-written pages", nil, dir+"/hand-written.md", dir+"/notes/hand-notes.md")
		pages := map[string][]byte{}
		for i := range 1000 {
			pages[fmt.Sprintf("f/family-%04d.md", i)] = page(fmt.Sprintf("Family %d", i))
		}
		e.run(t, pages, publish.Options{})
		for i := range n {
			pages[fmt.Sprintf("f/family-%04d.md", i)] = page(fmt.Sprintf("Family %d, v2", i))
		}
		start := time.Now()
		res, reqs := e.run(t, pages, publish.Options{})
		took := time.Since(start)
		if len(res.Changed) != n {
			t.Fatalf("changed %d, want %d", len(res.Changed), n)
		}
		t.Logf("%d changed pages (of 1,000): %d requests (%d writes), %s", n, len(reqs), writes(reqs), took.Round(time.Millisecond))
		// The reads are the ref, the tree and the manifest; the writes
		// the chained trees of the pages and the manifest, the commit and
		// the ref.
		if diff := cmp.Diff(direct[:3], reqs[:3]); diff != "" {
			t.Errorf("reads (-want +got):\n%s", diff)
		}
		if wantWrites := 2 + (n+1+99)/100; len(reqs) != 3+wantWrites || writes(reqs) != wantWrites {
			t.Errorf("%d requests, %d writes; want %d, %d", len(reqs), writes(reqs), 3+wantWrites, wantWrites)
		}
	}
}

// TestTruncatedTree publishes into a handbook too large for one recursive
// listing: GitHub truncates it, and publish reads only the --dir folder,
// walking down to it one segment at a time. The counts are those of
// docs/publish.md and docs/performance.md.
func TestTruncatedTree(t *testing.T) {
	const (
		ref       = "GET /repos/acme/handbook/git/ref/heads/main"
		recursive = "GET /repos/acme/handbook/git/trees/SHA?recursive=1"
		level     = "GET /repos/acme/handbook/git/trees/SHA"
		blob      = "GET /repos/acme/handbook/git/blobs/SHA"
	)
	write := direct[3:]
	for _, tc := range []struct {
		name  string
		limit int    // entries per recursive listing
		dir   string // "" for the usual folder
		reqs  []string
		// changed is what the run changes; a folder that does not
		// exist yet gets every page added.
		changed, added []string
	}{{
		name:  "the folder lists in one request",
		limit: 10,
		// The truncated listing, the root and content/ one level each,
		// then the folder recursively; the manifest; the writes.
		reqs:    slices.Concat([]string{ref, recursive, level, level, recursive, blob}, write),
		changed: []string{dir + "/finance/payroll.md"}, added: []string{},
	}, {
		name:  "the folder is truncated too",
		limit: 3,
		// The folder's recursive listing is truncated as well: then
		// content/job-families, finance/ and notes/ one level each.
		reqs:    slices.Concat([]string{ref, recursive, level, level, recursive, level, level, level, blob}, write),
		changed: []string{dir + "/finance/payroll.md"}, added: []string{},
	}, {
		name:    "the folder does not exist yet",
		limit:   10,
		dir:     "content/new-families",
		reqs:    slices.Concat([]string{ref, recursive, level, level}, write),
		changed: []string{}, added: []string{"content/new-families/finance/accounting.md", "content/new-families/finance/payroll.md"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "direct")
			assets := map[string]string{}
			for i := range 50 {
				assets[fmt.Sprintf("assets/img-%02d.txt", i)] = fmt.Sprintf("image %d\n", i)
			}
			e.repo.Commit("main", "the rest of a large handbook", assets)
			opts := publish.Options{Dir: tc.dir}
			d := dir
			if tc.dir != "" {
				d = tc.dir
			}
			if tc.dir == "" {
				e.run(t, families(), opts)
			}
			before := e.repo.Files("main")
			commits := len(e.repo.Log("main"))

			e.repo.SetTreeLimit(tc.limit)
			pages := families()
			pages["finance/payroll.md"] = page("Payroll v2")
			res, _ := e.run(t, pages, opts)
			if diff := cmp.Diff(tc.reqs, e.requestsWithQuery()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if res.Operation != publish.OpCommitted || len(e.repo.Log("main")) != commits+1 {
				t.Errorf("operation %q, %d commits; want committed, %d", res.Operation, len(e.repo.Log("main")), commits+1)
			}
			if diff := cmp.Diff(tc.changed, res.Changed); diff != "" {
				t.Errorf("changed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.added, res.Added); diff != "" {
				t.Errorf("added (-want +got):\n%s", diff)
			}
			// Only the changed page and the manifest differ; the rest of
			// the handbook, hand-written pages included, is as it was.
			after := e.repo.Files("main")
			for name, content := range before {
				if name != d+"/finance/payroll.md" && name != d+"/"+publish.ManifestName && after[name] != content {
					t.Errorf("%s changed", name)
				}
			}
			if want := len(before) + len(tc.added); len(after) != want && len(after) != want+1 {
				t.Errorf("%d files after, want %d and perhaps a new manifest", len(after), want)
			}
			if !strings.Contains(after[d+"/finance/payroll.md"], "Payroll v2") {
				t.Errorf("payroll.md not updated")
			}
			if !strings.Contains(e.log.String(), "GitHub truncated it") {
				t.Errorf("the log does not say why publish read folder by folder: %q", e.log.String())
			}

			// Nothing left to do: the reads alone, no write.
			res, reqs := e.run(t, pages, opts)
			if res.Operation != publish.OpNone || writes(reqs) != 0 {
				t.Errorf("again: operation %q, requests %q", res.Operation, reqs)
			}
		})
	}
}

// requestsWithQuery is requests with the query kept, which tells a
// recursive tree listing from a single level.
func (e *env) requestsWithQuery() []string {
	out := e.requests()
	for i, r := range e.srv.Requests() {
		if r.Query != "" {
			out[i] += "?" + r.Query
		}
	}
	return out
}

// TestScaleTruncated is TestScale in a handbook too large for one tree
// listing: 1,000 jobfam pages in one folder of --dir and 5,000 other
// files. With a limit of 2,000 entries the whole tree's listing is
// truncated and the folder's is not; with 100 both are. The figures are
// in docs/performance.md.
func TestScaleTruncated(t *testing.T) {
	for _, tc := range []struct {
		limit int
		reads int // ref, truncated listing, root, content/, the folder..., manifest
	}{
		{2000, 6},
		{100, 8}, // the folder's listing truncated too: job-families/ and f/ one level each
	} {
		for _, n := range []int{1, 1000} {
			e := newEnv(t, "direct")
			// The fake rebuilds a tree of thousands of files on each write,
			// which on a busy machine takes longer than the 300 ms the
			// other tests allow a request.
			e.timeout = time.Minute
			e.gh = e.client(t, token, "direct")
			others := map[string]string{}
			for i := range 5000 {
				others[fmt.Sprintf("assets/%02d/file-%04d.txt", i%50, i)] = fmt.Sprintf("file %d\n", i)
			}
			e.repo.Commit("main", "a large handbook", others, dir+"/hand-written.md", dir+"/notes/hand-notes.md")
			pages := map[string][]byte{}
			for i := range 1000 {
				pages[fmt.Sprintf("f/family-%04d.md", i)] = page(fmt.Sprintf("Family %d", i))
			}
			e.run(t, pages, publish.Options{})
			e.repo.SetTreeLimit(tc.limit)
			for i := range n {
				pages[fmt.Sprintf("f/family-%04d.md", i)] = page(fmt.Sprintf("Family %d, v2", i))
			}
			start := time.Now()
			res, reqs := e.run(t, pages, publish.Options{})
			took := time.Since(start)
			if len(res.Changed) != n {
				t.Fatalf("changed %d, want %d", len(res.Changed), n)
			}
			t.Logf("tree limit %d, %d changed pages (of 1,000): %d requests (%d writes), %s", tc.limit, n, len(reqs), writes(reqs), took.Round(time.Millisecond))
			if wantWrites := 2 + (n+1+99)/100; len(reqs) != tc.reads+wantWrites || writes(reqs) != wantWrites {
				t.Errorf("%d requests, %d writes; want %d, %d", len(reqs), writes(reqs), tc.reads+wantWrites, wantWrites)
			}
		}
	}
}
