// Package hugotest builds a minimal Hugo site in a test, so that tests can
// check what Hugo itself makes of pages: the HTML of a page, the redirect
// of an alias, the set of URLs a handbook folder serves.
package hugotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Hugo returns the path of the hugo command, or skips the test, saying
// how to run it, when Hugo is not installed.
func Hugo(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("hugo")
	if err != nil {
		tb.Skip("hugo is not installed: install Debian's hugo package (.ci/run does) to check the pages in a real Hugo site")
	}
	return bin
}

// shortcodeName finds the names of the shortcodes a page calls.
var shortcodeName = regexp.MustCompile(`\{\{[<%]\s*([A-Za-z0-9_/-]+)`)

// Build writes files (path under the site's root, such as
// "content/job-families/finance/payroll.md", -> content) into a new site
// served at https://handbook.gitlab.com/, builds it with bin, and returns
// the site's folder; the HTML is under public/. Pages show their content
// only. The handbook's own shortcodes are stood in for by empty templates,
// and a ref to a page outside the site is a warning, so that part of a
// handbook builds as it did with the whole.
func Build(tb testing.TB, bin string, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	site := map[string]string{
		"hugo.toml": `baseURL = "https://handbook.gitlab.com/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
refLinksErrorLevel = "WARNING"
[markup.goldmark.renderer]
unsafe = true
`,
		"layouts/_default/single.html": "<html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n",
		"layouts/_default/list.html":   "<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n",
	}
	for name, src := range files {
		site[name] = src
		for _, m := range shortcodeName.FindAllStringSubmatch(src, -1) {
			if m[1] != "ref" && m[1] != "relref" {
				site["layouts/shortcodes/"+m[1]+".html"] = ""
			}
		}
	}
	for name, src := range site {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--source", dir, "--destination", filepath.Join(dir, "public"), "--quiet")
	cmd.Env = append(os.Environ(), "HUGO_CACHEDIR="+tb.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("hugo: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	return dir
}
