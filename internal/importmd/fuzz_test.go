package importmd

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/jobfam/jobfam/internal/family"
)

// FuzzImport imports arbitrary pages, seeded with the corpus when it is
// here: Import must not panic, and what it writes must be a family that
// jobfam validate accepts structurally.
func FuzzImport(f *testing.F) {
	f.Add([]byte("---\ntitle: X\n---\n\n## Levels\n\n## Senior X\n\nThe Senior X is a [grade 7](/g/).\n\n### Senior X Responsibilities\n\nExtends the X responsibilities plus:\n- a\n"), false)
	f.Add([]byte("# T\n\n- a\n  - b\n\n1. x\n\n```\ncode\n```\n\n<div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"), false)
	f.Add([]byte("---\ntitle: \"a\nb\"\n---\n##\n###### Job Grade\n\ngrade 3\n"), true)
	if _, err := os.Stat(corpusDir); err == nil {
		units, _ := corpus(f)
		for _, u := range units {
			for _, pg := range u.pages {
				f.Add(pg.Src, IsIndex(pg.Path))
			}
		}
	}
	s, err := family.LoadSchema("")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, folder bool) {
		pages := []Page{{Path: "dept/page.md", Src: src}}
		if folder {
			// The same page as a folder family's index and level page.
			pages = []Page{{Path: "dept/fam/_index.md", Src: src}, {Path: "dept/fam/level.md", Src: src}}
		}
		res, err := Import(pages, &s.Policy)
		if err != nil {
			if utf8.Valid(src) {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			return
		}
		dir := t.TempDir()
		file := filepath.Join(dir, filepath.FromSlash(res.ID)+".cue")
		if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, res.CUE, 0o666); err != nil {
			t.Fatal(err)
		}
		loaded, err := family.Load(context.Background(), dir, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range loaded.Findings {
			if slices.Contains(structuralRules, fd.Rule) {
				t.Fatalf("%s [%s]\n%s", fd, fd.Rule, res.CUE)
			}
		}
	})
}
