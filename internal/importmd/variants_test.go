package importmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jobfam/jobfam/internal/family"
)

// TestCorpusVariants rewrites every corpus page in each of the ways real
// pages are seen to differ from one another (heading depths, list markers,
// sentences and sub-headings between a heading and its list, "Extends"
// sentences naming levels in other words, grade sentences worded
// otherwise, ...) and checks that every page still keeps every occurrence
// of every word through import and render. It checks the rules are
// general: a rule written for one page's wording fails here. It takes
// about 30 s, so -short leaves it out:
//
//	go test ./internal/importmd -run CorpusVariants -v
func TestCorpusVariants(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: rewriting every corpus page 21 ways takes about 30 s")
	}
	units, _ := corpus(t)
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	p := &s.Policy
	re := regexp.MustCompile
	onLines := func(pattern string, f func(string) string) func(string) string {
		r := re(pattern)
		return func(s string) string { return r.ReplaceAllStringFunc(s, f) }
	}
	tests := []struct {
		name string
		edit func(string) string
	}{
		{"headings one level deeper", func(s string) string { return re(`(?m)^(#{1,5}) `).ReplaceAllString(s, "#$1 ") }},
		{"headings one level shallower", func(s string) string { return re(`(?m)^#(#{1,5}) `).ReplaceAllString(s, "$1 ") }},
		{"headings ending with a colon", func(s string) string { return re(`(?m)^(#{2,6} .*)$`).ReplaceAllString(s, "$1:") }},
		{"numbered lists", func(s string) string { return re(`(?m)^- `).ReplaceAllString(s, "1. ") }},
		{"lists with asterisks", func(s string) string { return re(`(?m)^- `).ReplaceAllString(s, "* ") }},
		{"loose lists", func(s string) string { return re(`(?m)^(- .*)$`).ReplaceAllString(s, "$1\n") }},
		{"a sentence under every heading", func(s string) string {
			return re(`(?m)^(#{2,6} .*)$`).ReplaceAllString(s, "$1\n\nZebras graze here.\n")
		}},
		{"a comment under every heading", func(s string) string {
			return re(`(?m)^(#{2,6} .*)$`).ReplaceAllString(s, "$1\n<!-- zebras graze -->\n")
		}},
		{"a sub-heading over every part's list", func(s string) string {
			return re(`(?m)^(#{2,4}) (.*(Responsibilities|Requirements|Performance Indicators))$`).ReplaceAllString(s, "$1 $2\n\n$1# Zebra duties\n")
		}},
		{"a Key Performance Indicators sub-heading", func(s string) string {
			return strings.ReplaceAll(s, "## Performance Indicators\n", "## Performance Indicators\n\n### Key Performance Indicators\n")
		}},
		{"a Job Grade heading over every grade sentence", func(s string) string {
			return re(`(?m)^(The .* is a \[grade \d+\].*)$`).ReplaceAllString(s, "#### Job Grade\n\n$1")
		}},
		{"grade sentences worded otherwise", func(s string) string {
			return re(`(?m)^The (.*) is a \[grade (\d+)\]\(([^)]*)\)\.?$`).ReplaceAllString(s, "This $1 role is a [Grade $2]($3) role.")
		}},
		{"Extends sentences abbreviating the level's name", onLines(`(?m)^.*Extends.*$`, func(l string) string {
			return strings.NewReplacer("Senior", "Sr.", "Manager", "Mgr").Replace(l)
		})},
		{"Extends sentences in lowercase", onLines(`(?m)^.*Extends.*$`, strings.ToLower)},
		{"Extends sentences saying more", func(s string) string {
			return re(`(?m)^(.*Extends.*(responsibilities|requirements))( plus)?:?$`).ReplaceAllString(s, "$1 plus the following:")
		}},
		{"level headings with a qualifier", func(s string) string {
			return re(`(?m)^(## [A-Z].*(Manager|Analyst|Engineer|Specialist))$`).ReplaceAllString(s, "$1 (Intermediate)")
		}},
		{"no Levels heading", func(s string) string { return strings.ReplaceAll(s, "## Levels\n", "") }},
		{"a description on every page", func(s string) string {
			return strings.Replace(s, "---\n", "---\ndescription: Zebras describe this page.\n", 1)
		}},
		{"no front matter", func(s string) string {
			if rest, ok := strings.CutPrefix(s, "---\n"); ok {
				if _, body, ok := strings.Cut(rest, "\n---\n"); ok {
					return body
				}
			}
			return s
		}},
		{"Windows line endings", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"text after the last part", func(s string) string { return s + "\nZebras close the page.\n" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			kept, changed := 0, 0
			for _, u := range units {
				var pages []Page
				for _, pg := range u.pages {
					src := tt.edit(string(pg.Src))
					if src != string(pg.Src) {
						changed++
					}
					pages = append(pages, Page{Path: pg.Path, Src: []byte(src)})
				}
				res, err := importSafely(pages, p)
				if err != nil {
					t.Errorf("%s: %v", u.name, err)
					continue
				}
				file := filepath.Join(dir, u.name, filepath.FromSlash(res.ID)+".cue")
				if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, res.CUE, 0o666); err != nil {
					t.Fatal(err)
				}
				_, _, rendered := validate(t, filepath.Join(dir, u.name), s)
				if lost := lostOccurrences(pages, rendered[res.ID]); len(lost) > 0 {
					t.Errorf("%s: fewer occurrences of %v", u.name, lost)
					continue
				}
				kept++
			}
			t.Logf("%d of %d families keep every word; %d pages changed", kept, len(units), changed)
		})
	}
}
