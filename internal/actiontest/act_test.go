package actiontest

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// actVersion is the nektos/act release this test was written against;
// .ci/run installs it.
const actVersion = "v0.2.89"

// TestAct runs action.yml with nektos/act, a second, independent runner,
// on the host (act's self-hosted platform, no Docker) and offline. The
// third-party actions the action uses (checkout, setup-go, cache) cannot
// be fetched here, so act is pointed at local stand-ins: checkout copies
// the test repository, the other two do nothing (the host's Go is used,
// and nothing is cached). Everything of jobfam's own runs for real: the
// composite steps, the build from the action's source, and the command.
func TestAct(t *testing.T) {
	act, err := exec.LookPath("act")
	if err != nil {
		t.Skipf("act is not installed: go install github.com/nektos/act@%s (.ci/run does)", actVersion)
	}
	if testing.Short() {
		t.Skip("act builds jobfam from source: skipped with -short")
	}
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	stubs := filepath.Join(dir, "stubs")

	// The job-families repository: the action's source as committed at
	// HEAD, and the repository's families.
	extractHEAD(t, filepath.Join(repo, "jobfam"))
	copyTree(t, filepath.Join(root, "families"), filepath.Join(repo, "families"))
	writeFile(t, filepath.Join(repo, ".github", "workflows", "validate.yml"), `name: validate
on: push
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - id: jobfam
        uses: ./jobfam
        with:
          command: validate
          comment: "false"
      - name: Report
        if: always()
        env:
          ERRORS: ${{ steps.jobfam.outputs.errors }}
        run: echo "jobfam errors=$ERRORS"
`)
	stub := func(name, run string) string {
		p := filepath.Join(stubs, name)
		writeFile(t, filepath.Join(p, "action.yml"), "name: "+name+" stand-in\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: "+run+"\n")
		return p
	}
	args := []string{"push", "-P", "ubuntu-latest=-self-hosted", "--action-offline-mode", "--use-new-action-cache",
		"--action-cache-path", filepath.Join(dir, "act-cache"),
		"--local-repository", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683=" + stub("checkout", `cp -a "$JOBFAM_ACT_REPO/." "$GITHUB_WORKSPACE/"`),
		"--local-repository", "actions/setup-go@d35c59abb061a4a6fb18e82ac0862c26744d6ab5=" + stub("setup-go", "true"),
		"--local-repository", "actions/cache@" + cacheSHA(t) + "=" + stub("cache", "true"),
	}
	run := func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, act, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "JOBFAM_ACT_REPO="+repo, "HOME="+filepath.Join(dir, "home"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	git(t, repo, "init", "-q")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-qm", "families")

	out, err := run()
	if err != nil || !strings.Contains(out, "Job succeeded") || !strings.Contains(out, "jobfam errors=0") {
		t.Fatalf("act on valid families: %v\n%s", err, out)
	}

	// A grade out of order fails the job with the finding as an
	// annotation.
	staffGradeChange(t, repo)
	git(t, repo, "commit", "-qam", "lower a grade")
	out, err = run()
	if err == nil || !strings.Contains(out, "Job failed") {
		t.Fatalf("act on a family with a grade out of order succeeded: %v\n%s", err, out)
	}
	for _, want := range []string{"grade-order", "families/finance/it-program-management-office.cue", "jobfam errors=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("act output lacks %q:\n%s", want, out)
		}
	}
}

// cacheSHA is the commit action.yml pins actions/cache to.
func cacheSHA(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "uses: actions/cache@")
	if !ok || len(rest) < 40 {
		t.Fatal("action.yml does not use actions/cache")
	}
	return rest[:40]
}

// extractHEAD writes the repository's files as committed at HEAD into dir:
// what a workflow pinning jobfam to that commit would get.
func extractHEAD(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "archive", "--format=tar", "HEAD").Output()
	if err != nil {
		t.Skipf("the action's source is not a git checkout (git archive: %v)", err)
	}
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(h.Name)), string(data))
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(to, rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
