package check

import (
	"context"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jobfam/jobfam/internal/family"
)

// run checks the given files (paths under the repository root, such as
// "families/a/b.cue") with the embedded schema and returns the findings of
// rule as "path:line:col: message [rule]" lines.
func run(t *testing.T, rule string, files map[string]string) []string {
	t.Helper()
	root := t.TempDir()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), filepath.Join(root, "families"), s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	all := append(res.Findings, Run(&Env{Policy: &s.Policy, IDs: res.IDs}, res.Families)...)
	for _, f := range all {
		if f.Rule != rule {
			continue
		}
		f.Pos.File = filepath.ToSlash(strings.TrimPrefix(f.Pos.File, root+string(filepath.Separator)))
		got = append(got, f.String())
	}
	return got
}

// fam returns a family file with the given title and levels block that
// satisfies every rule once extra adds a career ladder. Tests vary only
// what they are about, so the line numbers below follow this layout: the
// levels start on line 4.
func fam(title, levels, extra string) string {
	return `title: "` + title + `"
description: "Builds and runs example systems."
levels: {
` + levels + `
}
performanceIndicators: [{title: "Examples shipped"}]
hiringProcess: steps: ["Screening call with a recruiter"]
` + extra
}

// ladder is a career ladder that leads outside the repository.
const ladder = `careerLadder: next: ["https://example.com/careers"]` + "\n"

// level returns a level block with the given id, title, grade and extra
// fields.
func level(id, title string, grade int, extra string) string {
	return "\t" + `"` + id + `": {
		title: "` + title + `"
		grade: ` + strconv.Itoa(grade) + `
		responsibilities: ["Does the work of a ` + title + `."]
		requirements: ["Can do the work of a ` + title + `."]
` + extra + `	}
`
}

// withIntro returns a repository of one family whose one level has the
// given intro, on line 9, starting at column 11: the prose rules' tests
// vary only that text.
func withIntro(s string) map[string]string {
	return map[string]string{
		"families/a/one.cue": fam("One", level("senior", "Senior Engineer", 7, "\t\tintro: \""+s+"\"\n"), ladder),
	}
}

// texts yields n texts of up to most pieces drawn from tokens, the same
// ones for the same seed: the inputs of the tests that compare a fast
// reading of text with a plain one.
func texts(seed uint64, n, most int, tokens []string) iter.Seq[string] {
	return func(yield func(string) bool) {
		rng := rand.New(rand.NewPCG(seed, 2026))
		var b strings.Builder
		for range n {
			b.Reset()
			for range rng.IntN(most + 1) {
				b.WriteString(tokens[rng.IntN(len(tokens))])
			}
			if !yield(b.String()) {
				return
			}
		}
	}
}
