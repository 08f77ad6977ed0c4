package importmd

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/hugo"
)

// Synthetic pages, in the shapes the handbook's pages come in.
const (
	// deptIndex lists families and holds nothing of a family.
	deptIndex = "---\ntitle: Treasury\n---\n\nThe treasury team's roles:\n\n- [Cash Analyst](/job-families/treasury/cash-analyst/)\n"
	// titleOnly is an index page with a title and nothing else.
	titleOnly = "---\ntitle: Gardens\n---\n"
	// sharedIndex is a folder family's index: what its levels share.
	sharedIndex = "---\ntitle: Gardener\n---\n\n## Career Ladder\n\nGardeners grow into [head gardeners](/job-families/gardens/head-gardener/).\n\n## Hiring Process\n\n- A call with a recruiter\n"
	// levelPage is one level, as a folder family's level pages are.
	levelPage = "---\ntitle: Senior Gardener\n---\n\n### Job Grade\n\nThe Senior Gardener is a [grade 7](/handbook/grades/).\n\n### Responsibilities\n\n- Prune the roses\n\n### Requirements\n\n- Five summers of pruning\n"
	// familyPage is a family of its own: one level and a hiring process.
	familyPage = "---\ntitle: Cash Analyst\n---\n\n### Job Grade\n\nThe Cash Analyst is a [grade 6](/handbook/grades/).\n\n### Responsibilities\n\n- Count the coins\n\n### Requirements\n\n- A steady hand\n\n## Hiring Process\n\n- A call with a recruiter\n"
	// twoLevels is a family of its own with two levels.
	twoLevels = "---\ntitle: Mason\n---\n\n## Mason\n\nThe Mason is a [grade 6](/handbook/grades/).\n\n### Mason Responsibilities\n\n- Lay the stones\n\n### Mason Requirements\n\n- Strong arms\n\n## Senior Mason\n\nThe Senior Mason is a [grade 7](/handbook/grades/).\n\n### Senior Mason Responsibilities\n\n- Lay the arches\n\n### Senior Mason Requirements\n\n- Stronger arms\n"
)

func files(kv ...string) []File {
	var fs []File
	for i := 0; i < len(kv); i += 2 {
		fs = append(fs, File{Path: kv[i], Src: []byte(kv[i+1])})
	}
	return fs
}

// TestPlanTreeFolders checks the decision for a folder with an index page,
// taken from what the pages hold, never from the folder's name.
func TestPlanTreeFolders(t *testing.T) {
	type folder struct {
		Dir      string
		Decision Decision
	}
	type unit struct {
		ID      string
		Aliases []string
	}
	tests := []struct {
		name    string
		files   []File
		folders []folder
		units   []unit
	}{{
		name:    "an index that lists families is a department's",
		files:   files("treasury/_index.md", deptIndex, "treasury/cash-analyst.md", familyPage, "treasury/mason.md", twoLevels),
		folders: []folder{{"treasury", Department}},
		units:   []unit{{ID: "treasury/cash-analyst"}, {ID: "treasury/mason"}},
	}, {
		name:    "an index with a title only, over families of one level, is a department's",
		files:   files("gardens/_index.md", titleOnly, "gardens/cash-analyst.md", familyPage),
		folders: []folder{{"gardens", Department}},
		units:   []unit{{ID: "gardens/cash-analyst"}},
	}, {
		name:    "an index with family content over level pages is a folder family",
		files:   files("gardens/gardener/_index.md", sharedIndex, "gardens/gardener/senior.md", levelPage, "gardens/gardener/senior_plus.md", levelPage),
		folders: []folder{{"gardens/gardener", FolderFamily}},
		units: []unit{{ID: "gardens/gardener", Aliases: []string{
			"/job-families/gardens/gardener/senior/",
			"/job-families/gardens/gardener/senior_plus/",
		}}},
	}, {
		name:    "a title-only index over bare level pages is a folder family",
		files:   files("gardens/gardener/index.md", titleOnly, "gardens/gardener/senior.md", levelPage),
		folders: []folder{{"gardens/gardener", FolderFamily}},
		units:   []unit{{ID: "gardens/gardener", Aliases: []string{"/job-families/gardens/gardener/senior/"}}},
	}, {
		name:    "an index with family content beside a page of several levels is a family of its own",
		files:   files("estate/works/_index.md", sharedIndex, "estate/works/mason.md", twoLevels, "estate/works/senior.md", levelPage),
		folders: []folder{{"estate/works", IndexFamily}},
		units:   []unit{{ID: "estate/works"}, {ID: "estate/works/mason"}, {ID: "estate/works/senior"}},
	}, {
		name:    "an index page alone with family content is a family",
		files:   files("works/mason/_index.md", twoLevels),
		folders: []folder{{"works/mason", IndexFamily}},
		units:   []unit{{ID: "works/mason"}},
	}, {
		name: "nested departments keep every folder in the id",
		files: files("estate/_index.md", titleOnly, "estate/grounds/_index.md", deptIndex,
			"estate/grounds/cash-analyst.md", familyPage, "estate/grounds/beds/gardener/_index.md", sharedIndex,
			"estate/grounds/beds/gardener/senior.md", levelPage),
		folders: []folder{{"estate", Department}, {"estate/grounds", Department}, {"estate/grounds/beds/gardener", FolderFamily}},
		units: []unit{
			{ID: "estate/grounds/beds/gardener", Aliases: []string{"/job-families/estate/grounds/beds/gardener/senior/"}},
			{ID: "estate/grounds/cash-analyst"},
		},
	}, {
		name:  "a page whose URL is not a valid id keeps its URL as an alias",
		files: files("Treasury/Cash_Analyst.md", familyPage, "treasury/v1.2+.md", familyPage, "treasury/caf\u00e9.md", familyPage),
		units: []unit{
			{ID: "treasury/cash-analyst", Aliases: []string{"/job-families/treasury/cash_analyst/"}},
			{ID: "treasury/caf", Aliases: []string{"/job-families/treasury/caf\u00e9/"}},
			{ID: "treasury/v1-2", Aliases: []string{"/job-families/treasury/v1.2+/"}},
		},
	}}
	p := policy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := PlanTree(tt.files, p)
			var folders []folder
			for _, f := range pl.Folders {
				folders = append(folders, folder{f.Dir, f.Decision})
			}
			var units []unit
			for _, u := range pl.Units {
				units = append(units, unit{u.ID, u.Aliases})
			}
			slices.SortFunc(units, func(a, b unit) int { return strings.Compare(a.ID, b.ID) })
			slices.SortFunc(tt.units, func(a, b unit) int { return strings.Compare(a.ID, b.ID) })
			if diff := cmp.Diff(tt.folders, folders); diff != "" {
				t.Errorf("folders (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.units, units); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if len(pl.Conflicts) > 0 {
				t.Errorf("unexpected conflicts: %v", pl.Conflicts)
			}
		})
	}
}

// TestPlanTreeConflicts checks that sources Hugo serves at one URL, or
// that make one family, are both left out and named, and the rest kept.
func TestPlanTreeConflicts(t *testing.T) {
	tests := []struct {
		name      string
		files     []File
		conflicts []string
		units     []string
		skipped   []string
	}{{
		name:      "two file names that differ in case",
		files:     files("audit/lead-IT.md", familyPage, "audit/lead-it.md", familyPage, "audit/clerk.md", familyPage),
		conflicts: []string{`Hugo serves audit/lead-IT.md and audit/lead-it.md at one URL, "/job-families/audit/lead-it/": neither is imported; rename or remove one of them in the handbook`},
		units:     []string{"audit/clerk"},
	}, {
		name:      "a page beside a folder with an index page",
		files:     files("works/mason.md", twoLevels, "works/mason/_index.md", sharedIndex, "works/mason/senior.md", levelPage, "works/clerk.md", familyPage),
		conflicts: []string{`Hugo serves works/mason.md and works/mason/_index.md at one URL, "/job-families/works/mason/": neither is imported; rename or remove one of them in the handbook`, `folder family "works/mason" is not imported, since works/mason/_index.md is not`},
		units:     []string{"works/clerk"},
	}, {
		name:      "two URLs that make one id",
		files:     files("works/head_mason.md", twoLevels, "works/head-mason.md", twoLevels),
		conflicts: []string{`works/head-mason.md and works/head_mason.md would both be family "works/head-mason": neither is imported; rename one of them in the handbook`},
	}, {
		name:      "a page with no department",
		files:     files("mason.md", twoLevels, "works/+.md", twoLevels),
		conflicts: []string{`mason.md: not imported: family id "mason" is not in a department folder: move the page into one in the handbook, or import from a folder higher up`, `works/+.md: not imported: URL segment "+" has no letter or digit to make a family id of: rename it in the handbook`},
	}, {
		name:    "files that are not pages, and hidden ones",
		files:   files("works/logo.png", "", "works/notes.mb", "", ".git/config", "", "works/.draft.md", twoLevels, "works/mason.markdown", twoLevels),
		units:   []string{"works/mason"},
		skipped: []string{"works/logo.png", "works/notes.mb"},
	}}
	p := policy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := PlanTree(tt.files, p)
			var conflicts, units, skipped []string
			for _, c := range pl.Conflicts {
				conflicts = append(conflicts, c.Message)
			}
			for _, u := range pl.Units {
				units = append(units, u.ID)
			}
			for _, s := range pl.Skipped {
				skipped = append(skipped, s.Path)
			}
			if diff := cmp.Diff(tt.conflicts, conflicts); diff != "" {
				t.Errorf("conflicts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.units, units); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIDOf checks the id made of a page's URL.
func TestIDOf(t *testing.T) {
	tests := []struct {
		url, id string
		ok      bool
	}{
		{"finance/information-technology/it-helpdesk-analyst", "finance/information-technology/it-helpdesk-analyst", true},
		{"finance/internal-audit/director-it-audit", "finance/internal-audit/director-it-audit", true},
		{"engineering/development/frontend", "engineering/development/frontend", true},
		{"finance/sec_and_reporting", "finance/sec-and-reporting", true},
		{"finance/v1.2", "finance/v1-2", true},
		{"finance/caf\u00e9", "finance/caf", true},
		{"finance", "", false},
		{"finance/++", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		id, msg := idOf(tt.url)
		if id != tt.id || (msg == "") != tt.ok {
			t.Errorf("idOf(%q) = %q, %q; want %q, ok %v", tt.url, id, msg, tt.id, tt.ok)
		}
	}
}

// TestImportTreeLinks checks that career-ladder links into the tree name
// the imported families, whichever URL of theirs they use.
func TestImportTreeLinks(t *testing.T) {
	ladder := "---\ntitle: Clerk\n---\n\n## Career Ladder\n\n" +
		"Clerks move on to [gardener](/job-families/gardens/gardener/senior/#grade), " +
		"[cash analyst](https://handbook.gitlab.com/job-families/treasury/cash_analyst), " +
		"[mason](/job-families/works/mason) or [elsewhere](/job-families/other/family/).\n"
	fs := files("gardens/gardener/_index.md", sharedIndex, "gardens/gardener/senior.md", levelPage,
		"treasury/cash_analyst.md", familyPage, "works/mason.md", twoLevels, "works/clerk.md", ladder)
	p := policy(t)
	pl := PlanTree(fs, p)
	res, errs := ImportTree(pl, p)
	for i, u := range pl.Units {
		if errs[i] != nil {
			t.Fatalf("%s: %v", u.ID, errs[i])
		}
		if u.ID != "works/clerk" {
			continue
		}
		want := `next: ["gardens/gardener", "treasury/cash-analyst", "works/mason", "other/family"]`
		if !strings.Contains(string(res[i].CUE), want) {
			t.Errorf("works/clerk's career ladder: want %q in\n%s", want, res[i].CUE)
		}
		return
	}
	t.Fatal("works/clerk not planned")
}

// readTreeCorpus reads the corpus as a handbook's job-families folder, or
// skips the test when it is absent.
func readTreeCorpus(tb testing.TB) []File {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus not found at %s (it lives outside the repository, in ../shared/corpus): %v", corpusDir, err)
	}
	var out []File
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		// SOURCES.tsv says where the corpus came from: it is not part of
		// the handbook.
		if err != nil || d.IsDir() || d.Name() == "SOURCES.tsv" {
			return err
		}
		rel, err := filepath.Rel(corpusDir, p)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, File{Path: filepath.ToSlash(rel), Src: src})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestTreeCorpus imports the whole corpus in one plan: every family's id is
// its page's URL or has it as an alias, the folders are decided as a person
// reading them would, the one URL two files share is reported, and every
// family loads with no finding from the loader's rules.
func TestTreeCorpus(t *testing.T) {
	fs := readTreeCorpus(t)
	p := policy(t)
	pl := PlanTree(fs, p)
	if len(pl.Errors) > 0 {
		t.Errorf("pages not read: %v", pl.Errors)
	}

	decided := map[string]Decision{}
	for _, f := range pl.Folders {
		decided[f.Dir] = f.Decision
		t.Logf("%s/: %s", f.Dir, f.Summary())
	}
	for dir, want := range map[string]Decision{
		"alliances/technology-partner-manager": FolderFamily,
		"engineering/development/frontend":     FolderFamily,
		"engineering/development/fullstack":    FolderFamily,
		"finance/internal-audit":               Department,
		"marketing/enterprise-data":            Department,
		"legal-and-corporate-affairs":          Department,
	} {
		if decided[dir] != want {
			t.Errorf("%s: decided %v, want %v", dir, decided[dir], want)
		}
	}

	var conflicts []string
	for _, c := range pl.Conflicts {
		conflicts = append(conflicts, c.Message)
	}
	wantConflicts := []string{`Hugo serves finance/internal-audit/director-IT-audit.md and finance/internal-audit/director-it-audit.md at one URL, "/job-families/finance/internal-audit/director-it-audit/": neither is imported; rename or remove one of them in the handbook`}
	if diff := cmp.Diff(wantConflicts, conflicts); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	var skipped []string
	for _, s := range pl.Skipped {
		skipped = append(skipped, s.Path)
	}
	if diff := cmp.Diff([]string{"marketing/field-cto.mb"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}

	// Every page is imported, left alone as a department's index, or in
	// the conflict; and each keeps its URL.
	prefix := SitePrefix(p)
	placed := map[string]bool{}
	for _, u := range pl.Units {
		for i, rel := range u.Paths {
			placed[rel] = true
			url := hugo.PageURL(rel)
			if url != u.ID && !slices.Contains(u.Aliases, prefix+url+"/") {
				t.Errorf("%s: served at %q, but family %q neither has that id nor alias (%v)", u.Pages[i].Path, url, u.ID, u.Aliases)
			}
		}
	}
	for _, f := range pl.Folders {
		if f.Decision == Department {
			placed[f.Index] = true
		}
	}
	for _, c := range pl.Conflicts {
		for _, rel := range c.Paths {
			placed[rel] = true
		}
	}
	for _, f := range fs {
		if hugo.IsPage(f.Path) && !placed[f.Path] {
			t.Errorf("%s: neither imported nor reported", f.Path)
		}
	}

	res, errs := ImportTree(pl, p)
	out := t.TempDir()
	for i, u := range pl.Units {
		if errs[i] != nil {
			t.Errorf("%s: %v", u.ID, errs[i])
			continue
		}
		name := filepath.Join(out, filepath.FromSlash(u.ID)+".cue")
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, res[i].CUE, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := family.Load(context.Background(), out, s)
	if err != nil {
		t.Fatal(err)
	}
	loaderRules := []string{family.RuleFile, family.RuleSyntax, family.RuleDataOnly, family.RuleSchema}
	for _, fd := range loaded.Findings {
		if slices.Contains(loaderRules, fd.Rule) {
			t.Errorf("%s:%d:%d: %s [%s]", path.Base(fd.Pos.File), fd.Pos.Line, fd.Pos.Col, fd.Message, fd.Rule)
		}
	}
	if got := len(loaded.Headers); got != len(pl.Units) {
		t.Errorf("%d families loaded, want %d", got, len(pl.Units))
	}
}

// BenchmarkImportTree imports the whole corpus tree: the plan, then every
// family.
func BenchmarkImportTree(b *testing.B) {
	fs := readTreeCorpus(b)
	p := policy(b)
	for b.Loop() {
		pl := PlanTree(fs, p)
		if _, errs := ImportTree(pl, p); slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
			b.Fatal("import failed")
		}
	}
}

// FuzzPlanTree plans trees of arbitrary file names and pages: it must not
// panic, and every family it plans has a valid id of its own that no other
// family shares.
func FuzzPlanTree(f *testing.F) {
	f.Add("a/_index.md\na/b.md\na/B.md\na/b/_index.md\na/c_d.md\nx.png", deptIndex, levelPage)
	f.Add("e/f/index.md\ne/f/senior.md\ne/f/.hidden.md\ne/+.md\ne/caf\u00e9.md", sharedIndex, familyPage)
	f.Add("g/_index.md\ng/_index.markdown\ng/h.md\ng/h-.md\ng/h_.md", twoLevels, titleOnly)
	p := policy(f)
	validID := func(id string) bool {
		segs := strings.Split(id, "/")
		for _, s := range segs {
			if s == "" || hugo.IDSegment(s) != s {
				return false
			}
		}
		return len(segs) >= 2
	}
	f.Fuzz(func(t *testing.T, paths, a, b string) {
		var fs []File
		for i, p := range strings.Split(paths, "\n") {
			src := a
			if i%2 == 1 {
				src = b
			}
			fs = append(fs, File{Path: p, Src: []byte(src)})
		}
		pl := PlanTree(fs, p)
		seen := map[string]bool{}
		for _, u := range pl.Units {
			if !validID(u.ID) {
				t.Errorf("unit %q: not a valid family id", u.ID)
			}
			if seen[u.ID] {
				t.Errorf("unit %q planned twice", u.ID)
			}
			seen[u.ID] = true
		}
	})
}

// TestPlanTreeNamed checks that a page the user named is imported even
// where a walk of its folder would not import it, with a note saying why,
// and that two named pages with one URL are still a conflict.
func TestPlanTreeNamed(t *testing.T) {
	// named marks the pages at the given paths as named.
	named := func(fs []File, paths ...string) []File {
		for i := range fs {
			fs[i].Named = slices.Contains(paths, fs[i].Path)
		}
		return fs
	}
	tests := []struct {
		name      string
		files     []File
		units     []string
		notes     []string
		conflicts int
	}{{
		name:  "a department's index page",
		files: named(files("finance/treasury/_index.md", deptIndex, "finance/treasury/cash-analyst.md", familyPage), "finance/treasury/_index.md"),
		units: []string{"finance/treasury", "finance/treasury/cash-analyst"},
	}, {
		name:  "a file whose extension Hugo does not serve",
		files: named(files("treasury/cash-analyst.mdx", familyPage), "treasury/cash-analyst.mdx"),
		units: []string{"treasury/cash-analyst"},
		notes: []string{"treasury/cash-analyst.mdx: imported as named, though Hugo does not serve a file named so as a page: the family's page will be treasury/cash-analyst.md"},
	}, {
		name:  "a page sharing its URL with a page only read to decide the folder",
		files: named(files("audit/lead-IT.md", familyPage, "audit/lead-it.md", familyPage), "audit/lead-IT.md"),
		units: []string{"audit/lead-it"},
		notes: []string{`audit/lead-IT.md: imported as named, though Hugo also serves audit/lead-it.md at its URL "/job-families/audit/lead-it/": remove or rename it in the handbook, or publish --adopt will delete it`},
	}, {
		name:      "two named pages with one URL",
		files:     named(files("audit/lead-IT.md", familyPage, "audit/lead-it.md", familyPage), "audit/lead-IT.md", "audit/lead-it.md"),
		conflicts: 1,
	}}
	p := policy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := PlanTree(tt.files, p)
			var units []string
			for _, u := range pl.Units {
				units = append(units, u.ID)
			}
			if diff := cmp.Diff(tt.units, units); diff != "" {
				t.Errorf("units (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, pl.Notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			if len(pl.Conflicts) != tt.conflicts {
				t.Errorf("%d conflicts, want %d: %v", len(pl.Conflicts), tt.conflicts, pl.Conflicts)
			}
		})
	}
}
