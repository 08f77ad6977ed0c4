package publish_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/jobfam/jobfam/internal/cli"
	"github.com/jobfam/jobfam/internal/githubfake"
)

// familiesDir writes the families of the render script into a folder.
func familiesDir(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile("../cli/testdata/script/render.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "families/") {
			p := filepath.Join(root, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(root, "families")
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := cli.Main(append([]string{"jobfam", "publish"}, args...), strings.NewReader(""), &out, &errw)
	for _, s := range []string{out.String(), errw.String()} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("the token was printed:\n%s", s)
		}
	}
	return code, out.String(), errw.String()
}

func TestCLIPublish(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken(token)
	repo := srv.AddRepo("acme", "handbook")
	repo.Commit("main", "initial", map[string]string{"README.md": "hi\n"})
	fams := familiesDir(t)
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_SHA", "")
	base := []string{"--repo", "acme/handbook", "--api-url", srv.URL()}

	code, out, errs := runCLI(t, append(base, "--dry-run", fams)...)
	if code != 0 || !strings.Contains(out, "+++ b/content/job-families/finance/accounting.md") || !strings.Contains(out, "operation=committed\n") {
		t.Errorf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	if len(repo.Log("main")) != 1 {
		t.Fatalf("dry run wrote")
	}

	code, out, errs = runCLI(t, append(base, fams)...)
	if code != 0 || !strings.Contains(out, "added   content/job-families/finance/payroll.md\n") ||
		!strings.Contains(out, "operation=committed\ncommit-sha="+repo.Head("main")+"\n") {
		t.Errorf("publish: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, _ = runCLI(t, append(base, fams)...)
	if code != 0 || !strings.Contains(out, "up to date: content/job-families in acme/handbook@main needs no change\noperation=none\n") {
		t.Errorf("again: exit %d\n%s", code, out)
	}

	code, out, _ = runCLI(t, append(base, "--format", "json", fams)...)
	if code != 0 || !strings.Contains(out, `"operation": "none"`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}

	// --require-approval without a known source commit refuses: exit 1.
	code, _, errs = runCLI(t, append(base, "--require-approval", fams)...)
	if code != 1 || !strings.Contains(errs, "--require-approval needs the source commit") {
		t.Errorf("require approval: exit %d\n%s", code, errs)
	}

	// A bad token: exit 2, one clear line, no token.
	t.Setenv("GITHUB_TOKEN", token+"-bad")
	code, _, errs = runCLI(t, append(base, fams)...)
	if code != 2 || errs != "jobfam: read branch main: bad credentials: check the token in GITHUB_TOKEN or --token-file (HTTP 401)\n" {
		t.Errorf("401: exit %d\n%q", code, errs)
	}

	// --token-file when GITHUB_TOKEN is unset.
	t.Setenv("GITHUB_TOKEN", "")
	tf := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tf, []byte(token+"\n"), 0o600)
	code, out, errs = runCLI(t, append(base, "--token-file", tf, fams)...)
	if code != 0 || !strings.Contains(out, "operation=none") {
		t.Errorf("token file: exit %d\n%s\n%s", code, out, errs)
	}
}
