package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/githubfake"
	"github.com/jobfam/jobfam/internal/hugo"
	"github.com/jobfam/jobfam/internal/hugo/hugotest"
	"github.com/jobfam/jobfam/schema"
)

// corpusDir holds real handbook pages laid out as GitLab's
// content/job-families/ folder; it lives outside the repository, in
// ../shared/corpus from the repository's root.
const corpusDir = "../../../shared/corpus/gitlab-handbook"

// handbookDir is where the job families live in the handbook repository.
const handbookDir = "content/job-families"

// TestAdoptCorpus is a team's first day with jobfam, end to end: the
// corpus is the job-families folder of a handbook repository (in the fake
// GitHub, and checked out on disk); one import makes the families, which
// load cleanly, and one publish --adopt takes the hand-written pages over
// in one commit without breaking a URL Hugo served from that folder or
// touching anything outside it. A second publish writes nothing.
func TestAdoptCorpus(t *testing.T) {
	corpus := readCorpus(t)
	srv := githubfake.New()
	defer srv.Close()
	const token = "SECRET-adopt-token"
	srv.RequireToken(token)
	repo := srv.AddRepo("acme", "handbook")
	files := map[string]string{
		"README.md":                     "# Handbook\n",
		"content/handbook/_index.md":    "---\ntitle: Handbook\n---\n\nNot a job family.\n",
		"content/job-families-extra.md": "---\ntitle: Beside the folder\n---\n",
		"layouts/_default/single.html":  "{{ .Content }}\n",
	}
	checkout := t.TempDir()
	for rel, src := range corpus {
		files[handbookDir+"/"+rel] = src
	}
	for p, src := range files {
		writeTestFile(t, filepath.Join(checkout, filepath.FromSlash(p)), src)
	}
	repo.Commit("main", "the handbook as people wrote it", files)
	before := repo.Files("main")

	// Import the folder in one command, into a repository whose policy
	// lets the migration through as docs/migrate.md says: the rules that
	// hand-written pages break are warnings until the families are
	// complete.
	repoDir := t.TempDir()
	fams := filepath.Join(repoDir, "families")
	copySchema(t, filepath.Join(repoDir, "schema"), `
policy: rules: {
	required: severity:      "warning"
	"grade-order": severity: "warning"
	extends: severity:       "warning"
	"ladder-link": severity: "warning"
	duplicate: severity:     "warning"
}
`)
	code, out, errs := runMain(t, "import", "--out", fams, filepath.Join(checkout, filepath.FromSlash(handbookDir)))
	// The corpus has two pages that Hugo serves at one URL, which import
	// reports and leaves out: exit 1, the rest imported.
	if code != ExitFindings || !strings.Contains(errs, "director-IT-audit.md") {
		t.Fatalf("import: exit %d, want %d with the director-IT-audit conflict reported\n%s\n%s", code, ExitFindings, out, errs)
	}

	// Every family has the id of a URL Hugo served, and loads cleanly.
	served := claims(t, before)
	s, err := family.LoadSchema(filepath.Join(repoDir, "schema"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), fams, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if slices.Contains([]string{family.RuleFile, family.RuleSyntax, family.RuleDataOnly, family.RuleSchema}, f.Rule) {
			t.Errorf("imported family does not load cleanly: %s [%s]", f, f.Rule)
		}
	}
	if len(res.Families) < 150 {
		t.Errorf("%d families imported from %d pages; expected most pages to become families", len(res.Families), len(corpus))
	}
	for _, f := range res.Families {
		if served[f.ID] == 0 {
			t.Errorf("family %q has no URL of the handbook as its id", f.ID)
		}
	}

	// Publish with --adopt: one commit.
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_SHA", "")
	publish := []string{"publish", "--repo", "acme/handbook", "--dir", handbookDir, "--api-url", srv.URL(), "--adopt", fams}
	code, out, errs = runMain(t, publish...)
	if code != ExitOK {
		t.Fatalf("publish --adopt: exit %d\n%s\n%s", code, out, errs)
	}
	if n := len(repo.Log("main")); n != 2 {
		t.Errorf("publish --adopt made %d commits, want 1", n-1)
	}
	after := repo.Files("main")
	t.Logf("publish --adopt:\n%s", lastLines(out, 3))
	if !strings.Contains(out, "adopted ") {
		t.Errorf("publish --adopt lists no adopted page:\n%s", out)
	}
	// Department index pages are no family's: they stay as written.
	for _, p := range []string{"finance/internal-audit/_index.md", "marketing/enterprise-data/_index.md", "legal-and-corporate-affairs/_index.md"} {
		if p = handbookDir + "/" + p; after[p] != before[p] {
			t.Errorf("department index page %s changed", p)
		}
	}

	// Nothing outside the folder changed.
	for p, src := range before {
		if !strings.HasPrefix(p, handbookDir+"/") && after[p] != src {
			t.Errorf("%s, outside %s, changed", p, handbookDir)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok && !strings.HasPrefix(p, handbookDir+"/") {
			t.Errorf("%s, outside %s, was added", p, handbookDir)
		}
	}
	// Every URL is still served, by a page or an alias, and none is
	// claimed more often than before (the handbook's own collisions, which
	// import reports and leaves alone, stay as they were).
	now := claims(t, after)
	for u, n := range served {
		switch {
		case now[u] == 0:
			t.Errorf("URL /job-families/%s/ is no longer served", u)
		case now[u] > 1 && now[u] > n:
			t.Errorf("URL /job-families/%s/ is claimed %d times, %d before", u, now[u], n)
		}
	}
	for u, n := range now {
		if served[u] == 0 && n > 1 {
			t.Errorf("new URL /job-families/%s/ is claimed %d times", u, n)
		}
	}

	// Hugo itself, where it is installed (.ci/run installs it), agrees:
	// every page it built from the folder before is built after, as a
	// page or as an alias's redirect.
	if bin, err := exec.LookPath("hugo"); err != nil {
		t.Log("hugo is not installed: the URLs were compared by jobfam's model of Hugo's only")
	} else {
		built := hugoURLs(t, hugotest.Build(t, bin, contentOf(before)))
		rebuilt := hugoURLs(t, hugotest.Build(t, bin, contentOf(after)))
		for u := range built {
			if !rebuilt[u] {
				t.Errorf("Hugo no longer builds /%s/", u)
			}
		}
		t.Logf("Hugo built %d URLs under /job-families/ before, %d after", len(built), len(rebuilt))
	}

	// Adopted pages are jobfam's: a second run writes nothing.
	code, out, errs = runMain(t, publish...)
	if code != ExitOK || !strings.Contains(out, "operation=none\n") || len(repo.Log("main")) != 2 {
		t.Errorf("second publish: exit %d\n%s\n%s", code, out, errs)
	}
}

// copySchema writes jobfam's own schema and policy into dir, with extra
// appended to the policy.
func copySchema(t *testing.T, dir, extra string) {
	t.Helper()
	entries, err := fs.ReadDir(schema.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		src, err := fs.ReadFile(schema.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "policy.cue" {
			src = append(src, extra...)
		}
		writeTestFile(t, filepath.Join(dir, e.Name()), string(src))
	}
}

// readCorpus returns the corpus's files by path, or skips the test when
// the corpus is absent.
func readCorpus(t *testing.T) map[string]string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(corpusDir, "SOURCES.tsv")); err != nil {
		t.Skipf("corpus not found at %s (it lives outside the repository, in ../shared/corpus): %v", corpusDir, err)
	}
	out := map[string]string{}
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "SOURCES.tsv" {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(corpusDir, p)
		out[filepath.ToSlash(rel)] = string(src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// claims counts, for each URL under the job-families folder (as a path
// relative to it), how many files serve it: pages at their own URL and
// jobfam's pages at their aliases too.
func claims(t *testing.T, files map[string]string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for p, src := range files {
		rel, ok := strings.CutPrefix(p, handbookDir+"/")
		if !ok || !hugo.IsPage(rel) || strings.HasPrefix(path.Base(rel), ".") {
			continue
		}
		out[hugo.PageURL(rel)]++
		if !strings.Contains(src, "generated_by: jobfam") {
			continue
		}
		var fm struct {
			Aliases []string `yaml:"aliases"`
		}
		head, _, _ := strings.Cut(strings.TrimPrefix(src, "---\n"), "\n---\n")
		if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
			t.Errorf("%s: front matter: %v", p, err)
		}
		for _, a := range fm.Aliases {
			if u, ok := strings.CutPrefix(a, "/job-families/"); ok {
				out[strings.Trim(strings.ToLower(u), "/")]++
			}
		}
	}
	return out
}

// contentOf returns the files of a repository under content/.
func contentOf(files map[string]string) map[string]string {
	out := map[string]string{}
	for p, src := range files {
		if strings.HasPrefix(p, "content/") {
			out[p] = src
		}
	}
	return out
}

// hugoURLs returns the URL paths under /job-families/ that a built Hugo
// site has a page for, without slashes at the ends.
func hugoURLs(t *testing.T, site string) map[string]bool {
	t.Helper()
	urls := map[string]bool{}
	root := filepath.Join(site, "public", "job-families")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(root, filepath.Dir(p))
			urls[filepath.ToSlash(rel)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return urls
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Main(append([]string{"jobfam"}, args...), strings.NewReader(""), &out, &errw)
	if strings.Contains(out.String()+errw.String(), "SECRET") {
		t.Errorf("the token was printed")
	}
	return code, out.String(), errw.String()
}

func writeTestFile(t *testing.T, p, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
