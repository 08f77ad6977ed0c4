package actiontest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const token = "ghs_emulatedTokenThatMustNeverBePrinted0"

// job is a runner job: a workspace with a git checkout of job families and
// the GITHUB_* variables of one event.
type job struct {
	t         *testing.T
	workspace string
	temp      string
	env       []string
	github    map[string]string
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// checkout makes a git repository holding the repository's families on
// main, and returns it with main's commit.
func checkout(t *testing.T) (dir, base string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the action's diff needs git")
	}
	dir = t.TempDir()
	cp := exec.Command("cp", "-R", filepath.Join(root, "families"), dir)
	if out, err := cp.CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, out)
	}
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q")
	git(t, dir, "add", "families")
	git(t, dir, "commit", "-qm", "Job families")
	return dir, git(t, dir, "rev-parse", "HEAD")
}

// newJob prepares the runner's environment for event (written to
// GITHUB_EVENT_PATH) in workspace. The Go caches are the host's, as a
// restored actions/cache would provide them.
func newJob(t *testing.T, workspace, eventName string, event any, vars map[string]string) *job {
	t.Helper()
	temp := t.TempDir()
	data, err := json.MarshalIndent(event, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	eventPath := filepath.Join(temp, "_github_workflow", "event.json")
	if err := os.MkdirAll(filepath.Dir(eventPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(eventPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "JOBFAM_") || strings.HasPrefix(k, "INPUT_") {
			continue
		}
		env = append(env, kv)
	}
	gh := map[string]string{
		"GITHUB_EVENT_NAME":  eventName,
		"GITHUB_EVENT_PATH":  eventPath,
		"GITHUB_SERVER_URL":  "https://github.com",
		"GITHUB_API_URL":     "https://api.github.invalid",
		"GITHUB_REPOSITORY":  "acme/families",
		"GITHUB_ACTOR":       "ada",
		"GITHUB_RUN_ID":      "1234567890",
		"GITHUB_RUN_NUMBER":  "7",
		"GITHUB_RUN_ATTEMPT": "1",
		"GITHUB_WORKFLOW":    "jobfam",
		"GITHUB_JOB":         "jobfam",
	}
	for k, v := range vars {
		gh[k] = v
	}
	github := map[string]string{"token": token, "event_name": eventName}
	for k, v := range gh {
		env = append(env, k+"="+v)
		github[strings.ToLower(strings.TrimPrefix(k, "GITHUB_"))] = v
	}
	return &job{t: t, workspace: workspace, temp: temp, env: env, github: github}
}

// runner returns a Runner for the job whose uses: steps stand for nothing:
// Go is on the host, and the cache is the host's.
func (j *job) runner(with map[string]string) *Runner {
	abs, err := filepath.Abs(root)
	if err != nil {
		j.t.Fatal(err)
	}
	return &Runner{
		ActionPath: abs, Workspace: j.workspace, Temp: j.temp,
		With: with, Github: j.github, Env: j.env,
		OS: "Linux", Arch: map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH],
		Uses: func(s Step, _ map[string]string) (map[string]string, error) {
			if strings.HasPrefix(s.Uses, "actions/setup-go@") {
				return nil, errors.New("setup-go would run, though Go is on the host")
			}
			return nil, nil
		},
	}
}

// pullRequestEvent is a pull_request event as GitHub sends it, reduced to
// the fields a consumer may read.
func pullRequestEvent(action string, number int, base, head string) map[string]any {
	repo := map[string]any{
		"id": 1296269, "name": "families", "full_name": "acme/families",
		"owner":          map[string]any{"login": "acme", "type": "Organization"},
		"private":        true,
		"html_url":       "https://github.com/acme/families",
		"default_branch": "main",
	}
	return map[string]any{
		"action": action,
		"number": number,
		"pull_request": map[string]any{
			"number":   number,
			"state":    "open",
			"title":    "Raise the bar for Staff",
			"html_url": "https://github.com/acme/families/pull/" + itoa(number),
			"user":     map[string]any{"login": "ada", "type": "User"},
			"head":     map[string]any{"ref": "staff-grade", "sha": head, "label": "acme:staff-grade", "repo": repo},
			"base":     map[string]any{"ref": "main", "sha": base, "label": "acme:main", "repo": repo},
			"draft":    false,
			"merged":   false,
		},
		"repository": repo,
		"sender":     map[string]any{"login": "ada", "type": "User"},
	}
}

// pushEvent is a push event to main.
func pushEvent(before, after string) map[string]any {
	repo := map[string]any{
		"id": 1296269, "name": "families", "full_name": "acme/families",
		"owner":          map[string]any{"login": "acme", "name": "acme"},
		"default_branch": "main", "master_branch": "main",
	}
	return map[string]any{
		"ref": "refs/heads/main", "before": before, "after": after,
		"created": false, "deleted": false, "forced": false,
		"head_commit": map[string]any{"id": after, "message": "Merge pull request #7 from acme/staff-grade"},
		"repository":  repo,
		"pusher":      map[string]any{"name": "ada", "email": "ada@example.com"},
		"sender":      map[string]any{"login": "ada", "type": "User"},
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// stub replaces the built jobfam with a script that records how it was
// started and writes every output, so the action's plumbing is tested
// whatever jobfam's action command does.
const stub = `#!/usr/bin/env bash
{
  printf 'args=%s\n' "$*"
  printf 'cwd=%s\n' "$PWD"
  env | grep -E '^(JOBFAM_[A-Z_]+|GITHUB_TOKEN)=' | grep -v '^JOBFAM_BIN=' | sort
} > "$RUNNER_TEMP/stub.txt"
echo "jobfam would run with token $GITHUB_TOKEN"
{
  echo "findings=3"
  echo "errors=1"
  echo "changed-families<<EOF_7f3a"
  echo "finance/payroll"
  echo "EOF_7f3a"
  echo "operation=none"
  echo "commit-sha="
  echo "pull-request-url="
} >> "$GITHUB_OUTPUT"
echo "### stub summary" >> "$GITHUB_STEP_SUMMARY"
`

// TestActionPlumbing runs action.yml with a stub in place of jobfam's
// action command: the build, the inputs as environment variables, the
// working directory, the masked token and the outputs.
func TestActionPlumbing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jobfam")
	}
	a := loadAction(t)
	ws, base := checkout(t)
	j := newJob(t, ws, "pull_request", pullRequestEvent("opened", 7, base, base), map[string]string{"GITHUB_SHA": base})
	hostile := `x"; touch "$RUNNER_TEMP/pwned"; echo "$(touch pwned)`
	r := j.runner(map[string]string{"command": "validate", "path": hostile, "mode": "pr"})
	var built bool
	r.Before = func(s Step) error {
		if s.ID != "run" {
			return nil
		}
		bin := filepath.Join(j.temp, "jobfam-action", "jobfam")
		if out, err := exec.Command(bin, "--help").CombinedOutput(); err != nil {
			t.Fatalf("the build step's jobfam --help: %v\n%s", err, out)
		}
		built = true
		return os.WriteFile(bin, []byte(stub), 0o755)
	}
	res, err := r.Run(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != "" {
		t.Fatalf("step %q failed with exit %d:\n%s", res.Failed, res.ExitCode, res.Log)
	}
	if !built {
		t.Fatal("the run step did not run")
	}
	if diff := cmp.Diff([]string{"Set up Go", "Cache Go modules and build", "Restore the result cache"}, res.Skipped); diff != "" {
		t.Errorf("skipped steps (-want +got):\n%s", diff)
	}
	got, err := os.ReadFile(filepath.Join(j.temp, "stub.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := "args=action validate\ncwd=" + ws + "\n" + strings.Join([]string{
		"GITHUB_TOKEN=" + token,
		"JOBFAM_ADOPT=false",
		"JOBFAM_CACHE_DIR=" + filepath.Join(j.temp, "jobfam-results"),
		"JOBFAM_COMMAND=validate",
		"JOBFAM_COMMENT=true",
		"JOBFAM_HANDBOOK_BRANCH=main",
		"JOBFAM_HANDBOOK_DIR=content/job-families",
		"JOBFAM_HANDBOOK_REPO=",
		"JOBFAM_MODE=pr",
		"JOBFAM_PATH=" + hostile,
		"JOBFAM_REQUEST_REVIEWS=false",
		"JOBFAM_REQUIRE_APPROVAL=false",
		"JOBFAM_SCHEMA=",
	}, "\n") + "\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("how jobfam was started (-want +got):\n%s", diff)
	}
	for _, f := range []string{filepath.Join(j.temp, "pwned"), filepath.Join(ws, "pwned")} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("an input was run as a command: %s exists", f)
		}
	}
	wantOut := map[string]string{
		"findings": "3", "errors": "1", "changed-families": "finance/payroll",
		"operation": "none", "commit-sha": "", "pull-request-url": "", "approvals-met": "",
	}
	if diff := cmp.Diff(wantOut, res.Outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if !strings.Contains(res.Log, "jobfam would run with token ***") || strings.Contains(res.Log, token) {
		t.Errorf("the token is not masked in the log:\n%s", res.Log)
	}
	if !strings.Contains(res.Summary, "### stub summary") {
		t.Errorf("summary = %q", res.Summary)
	}
}

// TestActionRejectsUnknownCommand: a typo in command stops the action with
// an annotation, before jobfam runs.
func TestActionRejectsUnknownCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jobfam")
	}
	a := loadAction(t)
	ws, base := checkout(t)
	j := newJob(t, ws, "push", pushEvent(base, base), map[string]string{"GITHUB_SHA": base})
	res, err := j.runner(map[string]string{"command": "validat"}).Run(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != "Run jobfam" || res.ExitCode != 2 {
		t.Fatalf("failed step %q, exit %d; want Run jobfam, 2\n%s", res.Failed, res.ExitCode, res.Log)
	}
	if len(res.Commands) == 0 || res.Commands[len(res.Commands)-1].Name != "error" {
		t.Errorf("no error annotation: %+v", res.Commands)
	}
}
