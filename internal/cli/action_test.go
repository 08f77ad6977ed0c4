package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/githubfake"
	"github.com/jobfam/jobfam/internal/publish"
	"github.com/jobfam/jobfam/internal/version"
)

// actionToken is the token of the action tests; it must never be printed.
const actionToken = "ghs_SECRET0123456789"

// runAction runs "jobfam action SUB" with env as the whole environment, as
// the runner would, and returns the exit code, stdout and stderr. It fails
// the test if the token shows in anything the action wrote.
func runAction(t *testing.T, env map[string]string, sub string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &ucli.App{
		Name: "jobfam", Writer: &stdout, ErrWriter: &stderr,
		Commands:       commands(newActionCommand(func(k string) string { return env[k] })),
		ExitErrHandler: func(*ucli.Context, error) {},
	}
	err := app.RunContext(context.Background(), []string{"jobfam", "action", sub})
	code := ExitOK
	switch {
	case errors.Is(err, errFindings):
		code = ExitFindings
	case err != nil:
		code = ExitError
		fmt.Fprintf(&stderr, "jobfam: %v\n", err)
	}
	written := []string{stdout.String(), stderr.String()}
	for _, name := range []string{env["GITHUB_STEP_SUMMARY"], env["GITHUB_OUTPUT"]} {
		if data, err := os.ReadFile(name); err == nil {
			written = append(written, string(data))
		}
	}
	for _, s := range written {
		if strings.Contains(s, actionToken) {
			t.Errorf("the token was written:\n%s", s)
		}
	}
	return code, stdout.String(), stderr.String()
}

// sourceRepo is a git repository of job families in a temporary folder.
type sourceRepo struct {
	t    *testing.T
	root string
}

// newSourceRepo writes the families of the render script and commits them.
func newSourceRepo(t *testing.T) *sourceRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ar, err := txtar.ParseFile("testdata/script/render.txtar")
	if err != nil {
		t.Fatal(err)
	}
	r := &sourceRepo{t: t, root: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "families/") {
			r.write(f.Name, string(f.Data))
		}
	}
	r.commit("base")
	return r
}

func (r *sourceRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.root, "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+r.root)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *sourceRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// edit replaces old with new in a file of the repository.
func (r *sourceRepo) edit(name, old, new string) {
	r.t.Helper()
	p := filepath.Join(r.root, filepath.FromSlash(name))
	data, err := os.ReadFile(p)
	if err != nil || !bytes.Contains(data, []byte(old)) {
		r.t.Fatalf("edit %s: %q not found (%v)", name, old, err)
	}
	r.write(name, strings.Replace(string(data), old, new, 1))
}

func (r *sourceRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// prEnv is the environment of a validate step on pull request 7 of
// acme/families, whose base is base.
func prEnv(t *testing.T, srv *githubfake.Server, root, base, head string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	event := map[string]any{
		"action": "synchronize",
		"number": 7,
		"pull_request": map[string]any{
			"number":   7,
			"state":    "open",
			"html_url": "https://github.com/acme/families/pull/7",
			"title":    "Raise the staff accountant's grade",
			"user":     map[string]any{"login": "alice"},
			"head":     map[string]any{"ref": "feature", "sha": head, "repo": map[string]any{"full_name": "acme/families"}},
			"base":     map[string]any{"ref": "main", "sha": base, "repo": map[string]any{"full_name": "acme/families"}},
		},
		"repository": map[string]any{"full_name": "acme/families", "default_branch": "main"},
		"sender":     map[string]any{"login": "alice"},
	}
	data, _ := json.MarshalIndent(event, "", "  ")
	eventPath := filepath.Join(dir, "event.json")
	if err := os.WriteFile(eventPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(summary, []byte("Summary of an earlier step.\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"JOBFAM_PATH":         "families",
		"JOBFAM_COMMENT":      "true",
		"GITHUB_TOKEN":        actionToken,
		"GITHUB_EVENT_PATH":   eventPath,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_REPOSITORY":   "acme/families",
		"GITHUB_SHA":          head,
		"GITHUB_API_URL":      strings.TrimSuffix(srv.URL(), "/"),
		"GITHUB_STEP_SUMMARY": summary,
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_WORKSPACE":    root,
	}
}

// readOutputs parses a $GITHUB_OUTPUT file, failing on anything but the
// "name<<DELIMITER ... DELIMITER" syntax with a random delimiter.
func readOutputs(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	if lines[len(lines)-1] != "" {
		t.Fatalf("outputs do not end in a newline:\n%s", data)
	}
	lines = lines[:len(lines)-1]
	head := regexp.MustCompile(`^([a-z-]+)<<(ghadelimiter_[0-9a-f]{32})$`)
	for i := 0; i < len(lines); {
		m := head.FindStringSubmatch(lines[i])
		if m == nil {
			t.Fatalf("outputs line %d is %q, want name<<DELIMITER", i+1, lines[i])
		}
		j := i + 1
		for j < len(lines) && lines[j] != m[2] {
			j++
		}
		if j == len(lines) {
			t.Fatalf("output %s: delimiter never closed", m[1])
		}
		out[m[1]] = strings.Join(lines[i+1:j], "\n")
		i = j + 1
	}
	return out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestActionValidateStickyComment validates two pushes to one pull
// request: each appends to the summary and writes the outputs, and both
// edit one comment, found again among more than a page of others.
func TestActionValidateStickyComment(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken(actionToken)
	gh := srv.AddRepo("acme", "families")
	gh.AddPull(githubfake.Pull{Number: 7, Title: "Raise", Head: "feature", Base: "main", Author: "alice"})
	for i := range 105 {
		gh.AddComment(githubfake.Comment{Issue: 7, User: "alice", Body: fmt.Sprintf("comment %d", i)})
	}
	// A person quoting the comment does not make theirs the sticky one.
	quoted := gh.AddComment(githubfake.Comment{Issue: 7, User: "bob", Body: "> " + commentMarker + "\n> quoted"})

	repo := newSourceRepo(t)
	base := repo.git("rev-parse", "HEAD")
	repo.git("checkout", "-q", "-b", "feature")
	repo.edit("families/finance/accounting.cue", "grade: 8", "grade: 9")
	repo.edit("families/finance/accounting.cue", `"Leads the quarterly close."`, "\"Leads the quarterly close.\\n```\\nnot a fence\"")
	head := repo.commit("raise the staff grade")
	env := prEnv(t, srv, repo.root, base, head)

	code, stdout, stderr := runAction(t, env, "validate")
	if code != ExitOK || stdout != "" {
		t.Fatalf("first push: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	summary := readFile(t, env["GITHUB_STEP_SUMMARY"])
	for _, want := range []string{
		"Summary of an earlier step.\n\n## :white_check_mark: jobfam: the job families are valid (0 errors, 0 warnings)\n",
		// Which jobfam wrote the report.
		"\n<sub>" + version.Get().Short() + "</sub>\n",
		"1 family changed against the base `" + base[:12] + "`.",
		"> [!WARNING]\n> This pull request changes grades",
		"| Staff Accountant (`staff`) | 8 | 9 |\n",
		"```mermaid\nflowchart BT\n",
		"<details><summary>Rendered page of <code>finance/accounting</code></summary>\n\n````markdown\n---\ntitle: Accounting\n",
		"\n````\n\n</details>\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Contains(summary, "finance/payroll</code>") {
		t.Errorf("summary shows the page of an unchanged family:\n%s", summary)
	}
	if diff := cmp.Diff(map[string]string{"findings": "0", "errors": "0", "changed-families": "finance/accounting"}, readOutputs(t, env["GITHUB_OUTPUT"])); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	sticky := func() githubfake.Comment {
		t.Helper()
		var mine []githubfake.Comment
		for _, c := range gh.Comments(7) {
			if strings.HasPrefix(c.Body, commentMarker) {
				mine = append(mine, c)
			}
		}
		if len(mine) != 1 {
			t.Fatalf("%d comments of the action, want exactly 1", len(mine))
		}
		if len(gh.Comments(7)) != 107 {
			t.Errorf("%d comments in all, want 107", len(gh.Comments(7)))
		}
		return mine[0]
	}
	first := sticky()
	for _, want := range []string{"jobfam: the job families are valid", "changes grades", "```mermaid\n"} {
		if !strings.Contains(first.Body, want) {
			t.Errorf("comment lacks %q:\n%s", want, first.Body)
		}
	}

	// The second push changes another family; the same comment says so.
	repo.edit("families/finance/payroll.cue", `title: "Senior Payroll Specialist"`, `title: "Lead Payroll Specialist"`)
	head = repo.commit("rename the payroll level")
	env["GITHUB_SHA"] = head
	os.Remove(env["GITHUB_OUTPUT"])
	if code, stdout, stderr := runAction(t, env, "validate"); code != ExitOK {
		t.Fatalf("second push: exit %d\n%s\n%s", code, stdout, stderr)
	}
	second := sticky()
	if second.ID != first.ID || !strings.Contains(second.Body, "Lead Payroll Specialist") {
		t.Errorf("second push: comment %d (first %d), body:\n%s", second.ID, first.ID, second.Body)
	}
	for _, c := range gh.Comments(7) {
		if c.ID == quoted && !strings.HasPrefix(c.Body, "> ") {
			t.Errorf("the quoting comment was edited: %q", c.Body)
		}
	}
	if got := readOutputs(t, env["GITHUB_OUTPUT"])["changed-families"]; got != "finance/accounting,finance/payroll" {
		t.Errorf("changed-families = %q", got)
	}
	if summary := readFile(t, env["GITHUB_STEP_SUMMARY"]); strings.Count(summary, "## :white_check_mark: jobfam") != 2 || !strings.HasPrefix(summary, "Summary of an earlier step.") {
		t.Errorf("the summary was not appended to:\n%s", summary)
	}
}

// TestActionValidateCapsAnnotations checks that errors past ten are left to
// the summary, those on changed lines annotated first, and the exit code.
func TestActionValidateCapsAnnotations(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	gh := srv.AddRepo("acme", "families")
	gh.AddPull(githubfake.Pull{Number: 7, Title: "Add", Head: "feature", Base: "main"})

	repo := newSourceRepo(t)
	// Three families broken before the pull request: 15 errors.
	for _, name := range []string{"a", "b", "c"} {
		repo.write("families/broken/"+name+".cue", "title: \"Broken "+name+"\"\n")
	}
	base := repo.commit("broken families")
	// The pull request adds another broken family: 5 errors, sorted last.
	repo.write("families/zz/new.cue", "title: \"New\"\n")
	head := repo.commit("add a family")
	env := prEnv(t, srv, repo.root, base, head)

	code, stdout, stderr := runAction(t, env, "validate")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitFindings, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	var errs, onNew int
	for _, l := range lines {
		if strings.HasPrefix(l, "::error ") {
			errs++
		}
		if strings.HasPrefix(l, "::error file=families/zz/new.cue,") {
			onNew++
		}
	}
	if errs != 10 || onNew != 5 {
		t.Errorf("%d error annotations, %d on the new file; want 10 and 5:\n%s", errs, onNew, stdout)
	}
	if want := "::notice title=jobfam::10 more findings are not annotated here (GitHub shows 10 of each kind per step): the job summary lists all 20"; lines[len(lines)-1] != want {
		t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
	}
	summary := readFile(t, env["GITHUB_STEP_SUMMARY"])
	if n := strings.Count(summary, "\n| error | `families/"); n != 20 {
		t.Errorf("summary table has %d error rows, want 20:\n%s", n, summary)
	}
	if !strings.Contains(summary, "## :x: jobfam: the job families have errors (20 errors, 0 warnings)") {
		t.Errorf("summary verdict:\n%s", summary)
	}
	if diff := cmp.Diff(map[string]string{"findings": "20", "errors": "20", "changed-families": "zz/new"}, readOutputs(t, env["GITHUB_OUTPUT"])); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if n := len(gh.Comments(7)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
}

// TestActionValidateReadOnlyToken is a pull request from a fork: the token
// cannot comment, the summary says so, and the exit code is the findings'.
func TestActionValidateReadOnlyToken(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.ReadOnlyToken(actionToken)
	gh := srv.AddRepo("acme", "families")
	gh.AddPull(githubfake.Pull{Number: 7, Title: "Fork", Head: "feature", Base: "main"})
	repo := newSourceRepo(t)
	base := repo.git("rev-parse", "HEAD")

	for _, tc := range []struct {
		name string
		edit func()
		code int
	}{
		{"valid", func() { repo.edit("families/finance/payroll.cue", "Runs payroll.", "Runs payroll twice.") }, ExitOK},
		{"errors", func() { repo.write("families/finance/broken.cue", "title: \"Broken\"\n") }, ExitFindings},
	} {
		tc.edit()
		env := prEnv(t, srv, repo.root, base, repo.commit(tc.name))
		code, stdout, stderr := runAction(t, env, "validate")
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d\n%s\n%s", tc.name, code, tc.code, stdout, stderr)
		}
		summary := readFile(t, env["GITHUB_STEP_SUMMARY"])
		if !strings.Contains(summary, "> **Note:** the token cannot comment on this pull request (403 Resource not accessible by integration; a pull request from a fork gets a read-only token)") {
			t.Errorf("%s: summary lacks the note:\n%s", tc.name, summary)
		}
		if !strings.Contains(summary, "Runs payroll twice.") && !strings.Contains(summary, "Added family.") {
			t.Errorf("%s: summary lacks the diff:\n%s", tc.name, summary)
		}
	}
	if n := len(gh.Comments(7)); n != 0 {
		t.Errorf("%d comments, want none", n)
	}
}

// TestActionValidateCommentOff posts nothing, and a failing API is then no
// concern; outside a pull request there is no diff and no comment either.
func TestActionValidateCommentOff(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	repo := newSourceRepo(t)
	base := repo.git("rev-parse", "HEAD")
	env := prEnv(t, srv, repo.root, base, base)
	env["JOBFAM_COMMENT"] = "false"
	if code, _, stderr := runAction(t, env, "validate"); code != ExitOK || len(srv.Requests()) != 0 {
		t.Errorf("comment off: exit %d, %d requests\n%s", code, len(srv.Requests()), stderr)
	}
	if s := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, "0 families changed") || !strings.Contains(s, "No job family changed.") {
		t.Errorf("summary:\n%s", s)
	}

	env["JOBFAM_COMMENT"] = "yes"
	if code, _, stderr := runAction(t, env, "validate"); code != ExitError || !strings.Contains(stderr, `JOBFAM_COMMENT is "yes": use true or false`) {
		t.Errorf("bad boolean: exit %d\n%s", code, stderr)
	}

	env["JOBFAM_COMMENT"] = "true"
	env["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	os.WriteFile(env["GITHUB_EVENT_PATH"], []byte(`{"inputs":{}}`), 0o644)
	if code, _, stderr := runAction(t, env, "validate"); code != ExitOK || len(srv.Requests()) != 0 {
		t.Errorf("no pull request: exit %d, %d requests\n%s", code, len(srv.Requests()), stderr)
	}
	if s := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, "the event is not a pull request: no diff against a base, and no comment") {
		t.Errorf("summary:\n%s", s)
	}
}

// TestActionValidateCommentFailure: a refusal other than a permission is
// a failure of the step, after the summary, and does not show the token.
func TestActionValidateCommentFailure(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken("another-token")
	srv.AddRepo("acme", "families").AddPull(githubfake.Pull{Number: 7, Title: "t", Head: "f", Base: "main"})
	repo := newSourceRepo(t)
	base := repo.git("rev-parse", "HEAD")
	env := prEnv(t, srv, repo.root, base, base)
	code, _, stderr := runAction(t, env, "validate")
	if code != ExitError || !strings.Contains(stderr, "pull-request comment:") || !strings.Contains(stderr, "401 Bad credentials") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if s := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, "jobfam could not validate the families: pull-request comment:") {
		t.Errorf("summary:\n%s", s)
	}
}

// TestActionPublish publishes on push: the commit in the handbook, the
// outputs and the summary; a second run has nothing to do.
func TestActionPublish(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken(actionToken)
	handbook := srv.AddRepo("acme", "handbook")
	handbook.Commit("main", "initial", map[string]string{"README.md": "hi\n"})
	src := srv.AddRepo("acme", "families")
	repo := newSourceRepo(t)
	sha := repo.git("rev-parse", "HEAD")
	src.AddPull(githubfake.Pull{Number: 3, Title: "Families", Head: "feature", Base: "main", Author: "alice",
		Merged: true, MergeCommitSHA: sha, HeadSHA: sha, BaseSHA: sha, Reviews: []githubfake.Review{{User: "bob", State: "APPROVED"}}})

	dir := t.TempDir()
	event := fmt.Sprintf(`{"ref":"refs/heads/main","before":"%s","after":"%s","repository":{"full_name":"acme/families"},"pusher":{"name":"alice"},"head_commit":{"id":"%s"}}`,
		strings.Repeat("0", 40), sha, sha)
	os.WriteFile(filepath.Join(dir, "event.json"), []byte(event), 0o644)
	env := map[string]string{
		"JOBFAM_PATH":             "families",
		"JOBFAM_HANDBOOK_REPO":    "acme/handbook",
		"JOBFAM_REQUIRE_APPROVAL": "true",
		"GITHUB_TOKEN":            actionToken,
		"GITHUB_EVENT_NAME":       "push",
		"GITHUB_EVENT_PATH":       filepath.Join(dir, "event.json"),
		"GITHUB_REPOSITORY":       "acme/families",
		"GITHUB_SHA":              sha,
		"GITHUB_API_URL":          strings.TrimSuffix(srv.URL(), "/"),
		"GITHUB_STEP_SUMMARY":     filepath.Join(dir, "summary.md"),
		"GITHUB_OUTPUT":           filepath.Join(dir, "output"),
		"GITHUB_WORKSPACE":        repo.root,
	}
	code, stdout, stderr := runAction(t, env, "publish")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	head := handbook.Head("main")
	if diff := cmp.Diff(map[string]string{"operation": "committed", "commit-sha": head, "pull-request-url": ""}, readOutputs(t, env["GITHUB_OUTPUT"])); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	files := handbook.Files("main")
	if !strings.Contains(files["content/job-families/finance/accounting.md"], "title: Accounting") || files["content/job-families/finance/payroll.md"] == "" {
		t.Errorf("handbook files: %v", files)
	}
	msg := handbook.Log("main")[0].Message
	for _, want := range []string{"Source-Commit: acme/families@" + sha, "Approved-By: bob"} {
		if !strings.Contains(msg, want) {
			t.Errorf("commit message lacks %q:\n%s", want, msg)
		}
	}
	if s := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, "## jobfam publish\n\n<sub>"+version.Get().Short()+"</sub>\n\n:white_check_mark: Published 2 pages to `acme/handbook@main` in commit `"+head+"`.\n") {
		t.Errorf("summary:\n%s", s)
	}

	os.Remove(env["GITHUB_OUTPUT"])
	if code, stdout, stderr := runAction(t, env, "publish"); code != ExitOK || !strings.Contains(stdout, "operation=none") {
		t.Fatalf("again: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := readOutputs(t, env["GITHUB_OUTPUT"]); got["operation"] != "none" || got["commit-sha"] != "" || len(handbook.Log("main")) != 2 {
		t.Errorf("again: outputs %v, %d commits", got, len(handbook.Log("main")))
	}
}

// TestActionPublishRefuses covers the inputs and refusals of publish.
func TestActionPublishRefuses(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken(actionToken)
	srv.AddRepo("acme", "handbook").Commit("main", "initial", map[string]string{"README.md": "hi\n"})
	repo := newSourceRepo(t)
	// The pushed commit is the head of a pull request that was not merged.
	srv.AddRepo("acme", "families").AddPull(githubfake.Pull{Title: "t", Head: "f", Base: "main", HeadSHA: repo.git("rev-parse", "HEAD")})
	dir := t.TempDir()
	base := map[string]string{
		"JOBFAM_HANDBOOK_REPO": "acme/handbook",
		"GITHUB_TOKEN":         actionToken,
		"GITHUB_EVENT_NAME":    "push",
		"GITHUB_REPOSITORY":    "acme/families",
		"GITHUB_SHA":           repo.git("rev-parse", "HEAD"),
		"GITHUB_API_URL":       srv.URL(),
		"GITHUB_STEP_SUMMARY":  filepath.Join(dir, "summary.md"),
		"GITHUB_WORKSPACE":     repo.root,
	}
	for _, tc := range []struct {
		name    string
		set     map[string]string
		code    int
		message string
	}{
		{"pull request event", map[string]string{"GITHUB_EVENT_NAME": "pull_request"}, ExitError, "action publish runs on pull_request events"},
		{"no repo", map[string]string{"JOBFAM_HANDBOOK_REPO": ""}, ExitError, "JOBFAM_HANDBOOK_REPO is not set"},
		{"bad mode", map[string]string{"JOBFAM_MODE": "force"}, ExitError, `JOBFAM_MODE is "force": use direct or pr`},
		{"no token", map[string]string{"GITHUB_TOKEN": ""}, ExitError, "GITHUB_TOKEN is not set"},
		{"wrong token", map[string]string{"GITHUB_TOKEN": actionToken + "x"}, ExitError, "401"},
		{"not approved", map[string]string{"JOBFAM_REQUIRE_APPROVAL": "true"}, ExitFindings, "is not merged"},
		{"bad adopt", map[string]string{"JOBFAM_ADOPT": "yes"}, ExitError, `JOBFAM_ADOPT is "yes": use true or false`},
	} {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range tc.set {
			env[k] = v
		}
		code, _, stderr := runAction(t, env, "publish")
		if code != tc.code || !strings.Contains(stderr, tc.message) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s", tc.name, code, tc.code, tc.message, stderr)
		}
	}
	if s := readFile(t, base["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, ":no_entry: jobfam refused to publish:") {
		t.Errorf("summary:\n%s", s)
	}
}

func TestCapAnnotations(t *testing.T) {
	var fs []diag.Finding
	for i := 1; i <= 12; i++ {
		fs = append(fs,
			diag.Finding{Pos: diag.Pos{File: "f/a.cue", Line: i}, Severity: diag.Error},
			diag.Finding{Pos: diag.Pos{File: "f/b.cue", Line: i}, Severity: diag.Warning},
			diag.Finding{Pos: diag.Pos{File: "f/c.cue", Line: i}, Severity: diag.Info})
	}
	fs = diag.Sort(fs)
	shown, omitted := capAnnotations(fs, map[string]map[int]bool{"f/a.cue": {12: true}})
	count := map[diag.Severity]int{}
	for _, f := range shown {
		count[f.Severity]++
	}
	if diff := cmp.Diff(map[diag.Severity]int{diag.Error: 10, diag.Warning: 10, diag.Info: 9}, count); diff != "" {
		t.Errorf("annotations per kind (-want +got):\n%s", diff)
	}
	if omitted != 36-29 {
		t.Errorf("omitted %d, want 7", omitted)
	}
	if shown[9].Pos.Line != 12 {
		t.Errorf("the error on the changed line 12 is not annotated: %v", shown[:10])
	}
}

func TestSummaryLimit(t *testing.T) {
	v := &validation{}
	for i := range 20000 {
		v.findings = append(v.findings, diag.Finding{Pos: diag.Pos{File: "families/x.cue", Line: i + 1, Col: 1}, Rule: "schema", Severity: diag.Error,
			Message: strings.Repeat("a long message ", 5)})
	}
	s := v.summary()
	if len(s) > 1<<20 {
		t.Errorf("summary is %d bytes, over 1 MiB", len(s))
	}
	if !strings.Contains(s, "|\n\n> [!NOTE]\n> The job summary is limited to 1 MiB: left out ") || !strings.Contains(s, " of 20000 findings.") {
		t.Errorf("summary ends:\n%s", s[len(s)-500:])
	}
}

func TestFenceFor(t *testing.T) {
	for in, want := range map[string]string{"": "```", "a `b` c": "```", "```go\n```": "````", "`````": "``````"} {
		if got := fenceFor([]byte(in)); got != want {
			t.Errorf("fenceFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPublishSummaryAdopted checks that the job summary marks the
// hand-written pages a publish adopted.
func TestPublishSummaryAdopted(t *testing.T) {
	res := &publish.Result{Operation: publish.OpCommitted, CommitSHA: "abc",
		Added: []string{"d/x.md"}, Changed: []string{"d/y.md"}, Deleted: []string{"d/x/_index.md", "d/z.md"},
		Adopted: []publish.Adoption{
			{Path: "d/x/_index.md", Action: publish.AdoptDeleted, ServedBy: "d/x.md"},
			{Path: "d/y.md", Action: publish.AdoptReplaced, ServedBy: "d/y.md"},
		}}
	got := publishSummary(res, publish.Options{Repo: "acme/handbook", Branch: "main"})
	for _, want := range []string{
		"- added `d/x.md`\n",
		"- changed `d/y.md` (hand-written, adopted)\n",
		"- deleted `d/x/_index.md` (hand-written, adopted)\n",
		"- deleted `d/z.md`\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}
