package render

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/hugo/hugotest"
)

// TestHugoSite builds a minimal Hugo site from the pages rendered from the
// repository's families and checks the HTML Hugo makes of them: Hugo is
// the client of these pages, with its own Markdown settings and URLs.
// .ci/run installs Hugo (Debian's package); elsewhere the test is skipped
// where hugo is not installed.
func TestHugoSite(t *testing.T) {
	hugo := hugotest.Hugo(t)
	res, site := repository(t)
	pages := map[string]string{}
	for _, f := range res.Families {
		pages["content/job-families/"+f.ID+".md"] = string(Page(f, site))
	}
	dir := hugotest.Build(t, hugo, pages)

	for _, f := range res.Families {
		t.Run(f.ID, func(t *testing.T) {
			page := filepath.Join(dir, "public", "job-families", filepath.FromSlash(f.ID), "index.html")
			doc := parseHTML(t, page)
			if got := text(find(doc, "title")[0]); got != f.Title.Value {
				t.Errorf("page title = %q, want %q", got, f.Title.Value)
			}
			// One second-level heading per level, besides the page's parts.
			var want []string
			var grades []string
			for _, l := range f.Levels {
				want = append(want, l.Title.Value)
				grades = append(grades, site.Policy.GradeURL)
			}
			var got []string
			for _, h := range find(doc, "h2") {
				if s := text(h); !slices.Contains([]string{"Levels", "Performance Indicators", "Career Ladder", "Hiring Process"}, s) {
					got = append(got, s)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("level headings (-want +got):\n%s", diff)
			}
			var gotGrades []string
			for _, a := range find(doc, "a") {
				if strings.HasPrefix(text(a), "grade ") {
					gotGrades = append(gotGrades, attr(a, "href"))
				}
			}
			if diff := cmp.Diff(grades, gotGrades); diff != "" {
				t.Errorf("grade links (-want +got):\n%s", diff)
			}
			// Every link into the job families leads to a page Hugo built.
			for _, a := range find(doc, "a") {
				href := attr(a, "href")
				rest, ok := strings.CutPrefix(href, site.Policy.HandbookBase)
				if !ok {
					continue
				}
				target := filepath.Join(dir, "public", "job-families", filepath.FromSlash(strings.Trim(rest, "/")), "index.html")
				if _, err := os.Stat(target); err != nil {
					t.Errorf("link %q leads to no page of the site: %v", href, err)
				}
			}
		})
	}
	// The seed's career ladder leads to the IT Management family.
	seed := parseHTML(t, filepath.Join(dir, "public", "job-families", "finance", "it-program-management-office", "index.html"))
	var ladder []string
	for _, a := range find(seed, "a") {
		if text(a) == "IT Management" {
			ladder = append(ladder, attr(a, "href"))
		}
	}
	if diff := cmp.Diff([]string{site.URL("finance/manager-it")}, ladder); diff != "" {
		t.Errorf("career ladder link (-want +got):\n%s", diff)
	}
}

// TestHugoAliases checks that Hugo answers at a family's aliases with a
// redirect to the family's page: that is how the URLs of a folder
// family's level pages survive the family becoming one page.
func TestHugoAliases(t *testing.T) {
	hugo := hugotest.Hugo(t)
	res, site := repository(t)
	f := *res.Families[0]
	aliases := []string{"/job-families/" + f.ID + "/senior/", "/job-families/" + f.ID + "_old/"}
	f.Aliases = nil
	for _, a := range aliases {
		f.Aliases = append(f.Aliases, family.Text{Value: a})
	}
	dir := hugotest.Build(t, hugo, map[string]string{"content/job-families/" + f.ID + ".md": string(Page(&f, site))})
	for _, a := range aliases {
		doc := parseHTML(t, filepath.Join(dir, "public", filepath.FromSlash(strings.Trim(a, "/")), "index.html"))
		var refresh []string
		for _, m := range find(doc, "meta") {
			if attr(m, "http-equiv") == "refresh" {
				refresh = append(refresh, attr(m, "content"))
			}
		}
		if want := []string{"0; url=" + site.URL(f.ID)}; !cmp.Equal(want, refresh) {
			t.Errorf("alias %s: refresh %q, want %q", a, refresh, want)
		}
	}
}

func parseHTML(t *testing.T, path string) *html.Node {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("hugo built no page: %v", err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// find returns the elements named tag under n, in document order.
func find(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
