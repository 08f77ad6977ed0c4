package publish_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/publish"
)

// handWritten is an engineering handbook as a team has it before jobfam:
// a department index, a single page, a folder family (an index page and
// one page per level), a page whose file name Hugo writes in lowercase,
// and a level page nobody imported.
var handWritten = map[string]string{
	dir + "/engineering/_index.md":                 "---\ntitle: Engineering\n---\n\nThe department.\n",
	dir + "/engineering/backend.md":                "---\ntitle: Backend\n---\n\nBy hand.\n",
	dir + "/engineering/frontend/_index.md":        "---\ntitle: Frontend\n---\n\nThe family.\n",
	dir + "/engineering/frontend/intermediate.md":  "---\ntitle: Intermediate\n---\n\nA level.\n",
	dir + "/engineering/frontend/senior.md":        "---\ntitle: Senior\n---\n\nA level.\n",
	dir + "/engineering/frontend/hiring-notes.md":  "---\ntitle: Notes\n---\n\nNot a level.\n",
	dir + "/engineering/Director-QA.md":            "---\ntitle: Director, QA\n---\n\nBy hand.\n",
	dir + "/engineering/.github/frontend/staff.md": "a page no alias may reach\n",
}

// imported is the same families imported into jobfam: the folder family
// is one page whose aliases are its old level pages' URLs.
func imported() (map[string][]byte, map[string][]string) {
	return map[string][]byte{
			"engineering/backend.md":     page("Backend"),
			"engineering/frontend.md":    page("Frontend"),
			"engineering/director-qa.md": page("Director, QA"),
		}, map[string][]string{
			"engineering/frontend.md": {"engineering/frontend/intermediate", "engineering/frontend/senior",
				// Aliases never reach out of the folder, nor into .github.
				"../README", "engineering/.github/frontend/staff"},
		}
}

func adoptEnv(t *testing.T, mode string) *env {
	t.Helper()
	e := newEnv(t, mode)
	e.repo.Commit("main", "the hand-written engineering pages", handWritten)
	e.srv.ResetRequests()
	return e
}

// adopted is what a publish with --adopt takes over in adoptEnv.
var adopted = []publish.Adoption{
	{Path: dir + "/engineering/Director-QA.md", Action: publish.AdoptDeleted, ServedBy: dir + "/engineering/director-qa.md"},
	{Path: dir + "/engineering/backend.md", Action: publish.AdoptReplaced, ServedBy: dir + "/engineering/backend.md"},
	{Path: dir + "/engineering/frontend/_index.md", Action: publish.AdoptDeleted, ServedBy: dir + "/engineering/frontend.md"},
	{Path: dir + "/engineering/frontend/intermediate.md", Action: publish.AdoptDeleted, ServedBy: dir + "/engineering/frontend.md"},
	{Path: dir + "/engineering/frontend/senior.md", Action: publish.AdoptDeleted, ServedBy: dir + "/engineering/frontend.md"},
}

// untouched are the hand-written pages no family claims.
var untouched = []string{
	"README.md",
	dir + "/hand-written.md",
	dir + "/notes/hand-notes.md",
	dir + "/engineering/_index.md",
	dir + "/engineering/frontend/hiring-notes.md",
	dir + "/engineering/.github/frontend/staff.md",
}

func TestAdopt(t *testing.T) {
	for _, mode := range []string{"direct", "pr"} {
		t.Run(mode, func(t *testing.T) {
			e := adoptEnv(t, mode)
			pages, serves := imported()
			branch := "main"
			if mode == "pr" {
				branch = publish.DefaultPRBranch
			}
			res, _ := e.run(t, pages, publish.Options{Mode: mode, Adopt: true, Serves: serves})

			if diff := cmp.Diff(adopted, res.Adopted); diff != "" {
				t.Errorf("adopted (-want +got):\n%s", diff)
			}
			want := &publish.Result{
				Added:   []string{dir + "/engineering/director-qa.md", dir + "/engineering/frontend.md"},
				Changed: []string{dir + "/engineering/backend.md"},
				Deleted: []string{dir + "/engineering/Director-QA.md", dir + "/engineering/frontend/_index.md",
					dir + "/engineering/frontend/intermediate.md", dir + "/engineering/frontend/senior.md"},
			}
			got := &publish.Result{Added: res.Added, Changed: res.Changed, Deleted: res.Deleted}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}

			files := e.repo.Files(branch)
			for _, a := range adopted {
				if _, ok := files[a.Path]; ok && a.Action == publish.AdoptDeleted {
					t.Errorf("%s was not deleted", a.Path)
				}
				if !strings.Contains(files[a.ServedBy], "generated_by: jobfam\n") {
					t.Errorf("%s is not jobfam's page: %q", a.ServedBy, files[a.ServedBy])
				}
			}
			for _, name := range untouched {
				if before := e.repo.Files("main")[name]; files[name] == "" || files[name] != before {
					t.Errorf("%s was touched: %q", name, files[name])
				}
			}
			if diff := cmp.Diff(e.shas(branch, "engineering/backend.md", "engineering/director-qa.md", "engineering/frontend.md"), e.manifest(t, branch)); diff != "" {
				t.Errorf("manifest (-want +got):\n%s", diff)
			}
			msg := e.repo.Log(branch)[0].Message
			for _, line := range []string{
				"Publish job families: 2 added, 1 changed, 4 deleted, 5 hand-written pages adopted\n",
				"- deleted " + dir + "/engineering/frontend/senior.md (served by " + dir + "/engineering/frontend.md)\n",
				"- replaced " + dir + "/engineering/backend.md (served by " + dir + "/engineering/backend.md)\n",
			} {
				if !strings.Contains(msg, line) {
					t.Errorf("commit message lacks %q:\n%s", line, msg)
				}
			}
			if mode == "pr" {
				body := e.repo.Pulls()[0].Body
				for _, line := range []string{
					"- changed `" + dir + "/engineering/backend.md` (a hand-written page, adopted)\n",
					"- deleted `" + dir + "/engineering/frontend/_index.md` (a hand-written page, adopted: `" + dir + "/engineering/frontend.md` serves its URL)\n",
					"- added `" + dir + "/engineering/frontend.md`\n",
				} {
					if !strings.Contains(body, line) {
						t.Errorf("pull request body lacks %q:\n%s", line, body)
					}
				}
				return
			}

			// Adopted, the pages are jobfam's like any other: the next run
			// reads the ref, the tree and the manifest, and writes nothing,
			// with or without --adopt.
			for _, adopt := range []bool{true, false} {
				res, reqs := e.run(t, pages, publish.Options{Adopt: adopt, Serves: serves})
				if res.Operation != publish.OpNone || len(res.Adopted) != 0 {
					t.Errorf("again (adopt %v): operation %q, adopted %v", adopt, res.Operation, res.Adopted)
				}
				if diff := cmp.Diff(direct[:3], reqs); diff != "" {
					t.Errorf("again (adopt %v): requests (-want +got):\n%s", adopt, diff)
				}
			}
		})
	}
}

// TestAdoptRefusedWithout checks that, without --adopt, every hand-written
// page in the way is named in one refusal that says how to adopt them,
// and that nothing is written, dry run or not.
func TestAdoptRefusedWithout(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   publish.Options
		serves bool
		named  []publish.Adoption
	}{
		{"with the aliases", publish.Options{}, true, adopted},
		{"dry run", publish.Options{DryRun: true}, true, adopted},
		{"pr mode", publish.Options{Mode: "pr"}, true, adopted},
		// Without aliases the level pages are not in the way: Hugo serves
		// them at URLs no family's page claims.
		{"without the aliases", publish.Options{}, false, adopted[:3]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := adoptEnv(t, "direct")
			pages, serves := imported()
			opts := tc.opts
			opts.Repo, opts.Dir = "acme/handbook", dir
			if tc.serves {
				opts.Serves = serves
			}
			_, err := publish.Publish(context.Background(), e.gh, pages, opts)
			if !errors.Is(err, publish.ErrRefused) {
				t.Fatalf("err = %v, want refused", err)
			}
			msg := err.Error()
			for _, a := range tc.named {
				if !strings.Contains(msg, a.Path+" (") {
					t.Errorf("the refusal does not name %s: %v", a.Path, msg)
				}
			}
			for _, name := range untouched {
				if strings.Contains(msg, name+" ") {
					t.Errorf("the refusal names %s, which no family claims: %v", name, msg)
				}
			}
			for _, want := range []string{"publish with --adopt", dir + "/engineering/frontend/_index.md (its URL is served by " + dir + "/engineering/frontend.md)"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the refusal lacks %q: %v", want, msg)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("the refusal is not one line: %q", msg)
			}
			if w := writes(e.requests()); w != 0 {
				t.Errorf("%d writes after a refusal", w)
			}
		})
	}
}

func TestAdoptDryRun(t *testing.T) {
	e := adoptEnv(t, "direct")
	pages, serves := imported()
	res, reqs := e.run(t, pages, publish.Options{DryRun: true, Adopt: true, Serves: serves})
	if writes(reqs) != 0 || len(e.repo.Log("main")) != 2 {
		t.Errorf("dry run wrote: %q", reqs)
	}
	if diff := cmp.Diff(adopted, res.Adopted); diff != "" {
		t.Errorf("adopted (-want +got):\n%s", diff)
	}
	for _, want := range []string{
		"--- a/" + dir + "/engineering/backend.md\n+++ b/" + dir + "/engineering/backend.md\n",
		"-By hand.\n",
		"--- a/" + dir + "/engineering/frontend/senior.md\n+++ /dev/null\n",
		"--- /dev/null\n+++ b/" + dir + "/engineering/frontend.md\n",
	} {
		if !strings.Contains(res.Diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, res.Diff)
		}
	}
}
