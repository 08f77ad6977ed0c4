package publish_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// TestCLIAdopt runs jobfam publish over families whose aliases claim the
// URLs of hand-written pages: the aliases come from the family files and
// the policy's handbookBase, the refusal names the pages, and --adopt
// takes them over, listed in text and JSON.
func TestCLIAdopt(t *testing.T) {
	srv := githubfake.New()
	defer srv.Close()
	srv.RequireToken(token)
	repo := srv.AddRepo("acme", "handbook")
	repo.Commit("main", "initial", map[string]string{
		dir + "/finance/_index.md":         "---\ntitle: Finance\n---\n",
		dir + "/finance/accounting.md":     "---\ntitle: Accounting\n---\n\nBy hand.\n",
		dir + "/finance/payroll/_index.md": "---\ntitle: Payroll\n---\n\nBy hand.\n",
		dir + "/finance/payroll/senior.md": "---\ntitle: Senior\n---\n\nBy hand.\n",
	})
	fams := familiesDir(t)
	f, err := os.OpenFile(filepath.Join(fams, "finance", "payroll.cue"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The second alias is outside the job-families folder: Hugo's alone.
	f.WriteString("aliases: [\"/job-families/finance/payroll/senior/\", \"/jobs/payroll/\"]\n")
	f.Close()
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_SHA", "")
	base := []string{"--repo", "acme/handbook", "--api-url", srv.URL()}

	code, out, errs := runCLI(t, append(base, fams)...)
	wantErr := "jobfam: refused to publish: 3 hand-written pages in acme/handbook@main are in the way of the families' pages" +
		" (no \"generated_by: jobfam\" in front matter): " +
		dir + "/finance/accounting.md (a family's page goes there), " +
		dir + "/finance/payroll/_index.md (its URL is served by " + dir + "/finance/payroll.md), " +
		dir + "/finance/payroll/senior.md (its URL is served by " + dir + "/finance/payroll.md);" +
		" publish with --adopt to replace or delete them in the publish commit, or move them or rename the families\n"
	if code != 1 || out != "" || errs != wantErr {
		t.Errorf("without --adopt: exit %d\nstdout %q\nstderr (-want +got):\n%s", code, out, cmp.Diff(wantErr, errs))
	}

	code, out, errs = runCLI(t, append(base, "--adopt", "--dry-run", fams)...)
	for _, want := range []string{
		"--- a/" + dir + "/finance/payroll/senior.md\n+++ /dev/null\n",
		"adopted " + dir + "/finance/accounting.md: hand-written, replaced by its family's page\n",
		"adopted " + dir + "/finance/payroll/_index.md: hand-written, deleted, " + dir + "/finance/payroll.md serves its URL\n",
		"dry run: would publish 4 pages (3 hand-written pages adopted) to acme/handbook@main (committed); nothing was written\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--adopt --dry-run: exit %d, output lacks %q:\n%s\n%s", code, want, out, errs)
		}
	}
	if len(repo.Log("main")) != 1 {
		t.Fatalf("the dry run wrote")
	}

	code, out, errs = runCLI(t, append(base, "--adopt", "--format", "json", fams)...)
	var res struct {
		Operation string
		Adopted   []map[string]string
		Deleted   []string
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("--adopt --format json: exit %d, %v\n%s\n%s", code, err, out, errs)
	}
	wantAdopted := []map[string]string{
		{"path": dir + "/finance/accounting.md", "action": "replaced", "served_by": dir + "/finance/accounting.md"},
		{"path": dir + "/finance/payroll/_index.md", "action": "deleted", "served_by": dir + "/finance/payroll.md"},
		{"path": dir + "/finance/payroll/senior.md", "action": "deleted", "served_by": dir + "/finance/payroll.md"},
	}
	if diff := cmp.Diff(wantAdopted, res.Adopted); diff != "" {
		t.Errorf("adopted (-want +got):\n%s", diff)
	}
	files := repo.Files("main")
	if files[dir+"/finance/_index.md"] == "" || files[dir+"/finance/payroll/senior.md"] != "" || !strings.Contains(files[dir+"/finance/payroll.md"], "aliases:\n  - \"/job-families/finance/payroll/senior/\"\n") {
		t.Errorf("after --adopt: %q", files)
	}

	code, out, _ = runCLI(t, append(base, fams)...)
	if code != 0 || !strings.Contains(out, "up to date:") {
		t.Errorf("again, without --adopt: exit %d\n%s", code, out)
	}
}
