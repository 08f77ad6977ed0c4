package actiontest

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jobfam/jobfam/internal/githubfake"
)

// runAction runs the whole action for a job, first making sure the built
// jobfam has the action command the step calls.
func runAction(t *testing.T, j *job, with map[string]string) *Result {
	t.Helper()
	r := j.runner(with)
	r.Before = func(s Step) error {
		if s.ID != "run" {
			return nil
		}
		bin := filepath.Join(j.temp, "jobfam-action", "jobfam")
		if out, err := exec.Command(bin, "action", "--help").CombinedOutput(); err != nil {
			t.Fatalf("the built jobfam has no action command (jobfam action --help: %v): %s", err, firstLine(out))
		}
		return nil
	}
	res, err := r.Run(context.Background(), loadAction(t))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

// staffGradeChange lowers the Staff level's grade from 8 to 7, as in the
// README: two errors, on line 78 and line 80.
func staffGradeChange(t *testing.T, ws string) {
	t.Helper()
	f := filepath.Join(ws, "families", "finance", "it-program-management-office.cue")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if lines[77] != "\t\tgrade: 8" {
		t.Fatalf("line 78 is %q; the seed family changed", lines[77])
	}
	lines[77] = "\t\tgrade: 7"
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestValidatePullRequest runs command validate for a pull request that
// lowers a grade, twice (opened, then a second push), against the fake
// GitHub: annotations on the changed lines, the diff in the job summary,
// the outputs, and one comment, updated in place.
func TestValidatePullRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jobfam")
	}
	gh := githubfake.New()
	defer gh.Close()
	gh.RequireToken(token)
	src := gh.AddRepo("acme", "families")
	src.Commit("main", "Job families", map[string]string{"README.md": "families\n"})
	src.Commit("staff-grade", "Staff grade 7", map[string]string{"README.md": "families, staff\n"})
	pr := src.AddPull(githubfake.Pull{Title: "Raise the bar for Staff", Head: "staff-grade", Base: "main", Author: "ada"})

	ws, base := checkout(t)
	git(t, ws, "checkout", "-qb", "staff-grade")
	staffGradeChange(t, ws)
	git(t, ws, "commit", "-qam", "Staff grade 7")
	head := git(t, ws, "rev-parse", "HEAD")

	vars := func(sha string) map[string]string {
		return map[string]string{
			"GITHUB_API_URL":  strings.TrimSuffix(gh.URL(), "/"),
			"GITHUB_SHA":      sha, // the merge commit on GitHub; the head here
			"GITHUB_REF":      "refs/pull/" + itoa(pr) + "/merge",
			"GITHUB_HEAD_REF": "staff-grade", "GITHUB_BASE_REF": "main",
			// The workflow pinned a release tag: the build stamps it.
			"GITHUB_ACTION_REF": "v9.9.9",
		}
	}
	with := map[string]string{"command": "validate"}
	j := newJob(t, ws, "pull_request", pullRequestEvent("opened", pr, base, head), vars(head))
	res := runAction(t, j, with)
	// The result cache the next run restores holds an entry per family.
	if entries, err := os.ReadDir(filepath.Join(j.temp, "jobfam-results")); err != nil || len(entries) < 2 {
		t.Errorf("result cache after the run: %d entries, %v; want one per family", len(entries), err)
	}
	t.Logf("log:\n%s", res.Log)

	if res.Failed != "Run jobfam" || res.ExitCode != 1 {
		t.Errorf("failed step %q, exit %d; want Run jobfam, 1 (the pull request has errors)", res.Failed, res.ExitCode)
	}
	var lines []string
	for _, c := range res.Commands {
		if c.Name == "error" {
			if c.Props["file"] != "families/finance/it-program-management-office.cue" {
				t.Errorf("annotation on file %q", c.Props["file"])
			}
			lines = append(lines, c.Props["line"])
		}
	}
	if strings.Join(lines, ",") != "78,80" {
		t.Errorf("error annotations on lines %v, want 78 and 80", lines)
	}
	if res.Outputs["errors"] != "2" || res.Outputs["findings"] == "" {
		t.Errorf("outputs findings=%q errors=%q, want errors=2", res.Outputs["findings"], res.Outputs["errors"])
	}
	if !strings.Contains(res.Outputs["changed-families"], "finance/it-program-management-office") {
		t.Errorf("changed-families = %q", res.Outputs["changed-families"])
	}
	// The action builds jobfam from a tarball of its source, without VCS
	// stamping, and stamps the tag the workflow pinned instead: the
	// summary names it.
	for _, want := range []string{"IT Program Management Office", "grade-order", "```mermaid", "<sub>jobfam v9.9.9 (unknown)</sub>"} {
		if !strings.Contains(res.Summary, want) {
			t.Errorf("the job summary lacks %q:\n%s", want, res.Summary)
		}
	}
	if !regexp.MustCompile(`8\D{1,40}7`).MatchString(res.Summary) {
		t.Errorf("the job summary does not show the grade going from 8 to 7:\n%s", res.Summary)
	}
	if len(res.Summary) > 1<<20 {
		t.Errorf("the job summary is %d bytes, over GitHub's 1 MiB", len(res.Summary))
	}
	if strings.Contains(res.Log, token) {
		t.Error("the token appears in the log")
	}

	// A second push to the pull request: the comment is updated, not
	// posted again.
	if err := os.WriteFile(filepath.Join(ws, "NOTES.md"), []byte("second push\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, ws, "add", "NOTES.md")
	git(t, ws, "commit", "-qm", "Notes")
	head2 := git(t, ws, "rev-parse", "HEAD")
	runAction(t, newJob(t, ws, "pull_request", pullRequestEvent("synchronize", pr, base, head2), vars(head2)), with)

	posted, edited := 0, 0
	commentsPath := "/repos/acme/families/issues/" + itoa(pr) + "/comments"
	for _, q := range gh.Requests() {
		switch {
		case q.Method == http.MethodPost && q.Path == commentsPath && q.Status < 300:
			posted++
		case q.Method == http.MethodPatch && strings.HasPrefix(q.Path, "/repos/acme/families/issues/comments/") && q.Status < 300:
			edited++
		}
	}
	if posted != 1 || edited < 1 {
		t.Errorf("after two runs: %d comments posted and %d edited, want 1 posted and at least 1 edited; requests: %+v", posted, edited, gh.Requests())
	}
}

// TestPublishPush runs command publish for a push to main: one commit in
// the handbook, with the provenance trailers, and the outputs.
func TestPublishPush(t *testing.T) {
	if testing.Short() {
		t.Skip("builds jobfam")
	}
	gh := githubfake.New()
	defer gh.Close()
	gh.RequireToken(token)
	gh.AddRepo("acme", "families")
	hb := gh.AddRepo("acme", "handbook")
	first := hb.Commit("main", "Handbook", map[string]string{"README.md": "the handbook\n"})

	ws, sha := checkout(t)
	j := newJob(t, ws, "push", pushEvent(strings.Repeat("0", 40), sha), map[string]string{
		"GITHUB_API_URL": strings.TrimSuffix(gh.URL(), "/"),
		"GITHUB_SHA":     sha,
		"GITHUB_REF":     "refs/heads/main",
	})
	res := runAction(t, j, map[string]string{"command": "publish", "handbook-repo": "acme/handbook"})
	t.Logf("log:\n%s", res.Log)
	if res.Failed != "" {
		t.Fatalf("step %q failed with exit %d", res.Failed, res.ExitCode)
	}
	log := hb.Log("main")
	if len(log) != 2 || log[1].SHA != first {
		t.Fatalf("handbook history: %+v, want one commit on the first", log)
	}
	if !strings.Contains(log[0].Message, "Source-Commit: acme/families@"+sha) {
		t.Errorf("commit message lacks the source commit:\n%s", log[0].Message)
	}
	if res.Outputs["operation"] != "committed" || res.Outputs["commit-sha"] != log[0].SHA {
		t.Errorf("outputs operation=%q commit-sha=%q, want committed, %s", res.Outputs["operation"], res.Outputs["commit-sha"], log[0].SHA)
	}
	files := hb.Files("main")
	if _, ok := files["content/job-families/finance/it-program-management-office.md"]; !ok {
		t.Errorf("no page for the seed family; files: %v", keys(files))
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
