package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/schema"
)

// cacheFamily is a family file with the given title whose career ladder
// leads to next, a family id, with extra appended: valid as it is.
func cacheFamily(title, next, extra string) string {
	return `title:       "` + title + `"
description: "People who keep the ` + title + ` work going."
levels: {
	senior: {
		title: "Senior ` + title + `"
		grade: 7
		responsibilities: ["Does the work of the ` + title + ` team."]
		requirements: ["Five years of ` + title + ` work."]
	}
	staff: {
		title: "Staff ` + title + `"
		grade: 8
		responsibilities: ["Leads the work of the ` + title + ` team."]
		requirements: ["Eight years of ` + title + ` work."]
	}
}
performanceIndicators: [{title: "Work done"}]
careerLadder: {
	next: ["` + next + `"]
	text: "See [the next family](/job-families/` + next + `/)."
}
hiringProcess: {steps: ["A call with a recruiter."]}
` + extra
}

// TestCacheInvariant checks that validate prints exactly the same with a
// warm cache as without one, after each kind of change a cache could get
// wrong: the change of one file, of the policy (which changes the findings
// of unchanged files), the removal of a family that an unchanged family
// links to, a title that becomes a duplicate, a jobfam:ignore comment, and
// damaged cache entries. Every format and --list-suppressed are compared.
func TestCacheInvariant(t *testing.T) {
	root := t.TempDir()
	fams := filepath.Join(root, "families")
	schemaDir := filepath.Join(root, "schema")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"family.cue", "policy.cue", "words.cue"} {
		src, err := schema.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		write("schema/"+name, string(src))
	}
	write("families/finance/accounting.cue", cacheFamily("Accounting", "finance/controller", ""))
	write("families/finance/controller.cue", cacheFamily("Controller", "finance/treasury", `aliases: ["/job-families/finance/old-controller/"]`+"\n"))
	write("families/finance/treasury.cue", cacheFamily("Treasury", "finance/accounting", ""))
	write("families/finance/payroll.cue", cacheFamily("Payroll", "finance/old-controller", ""))
	write("families/finance/broken.cue", "title: {\n")
	// A warning that stays, and a misspelling that a comment silences.
	write("families/people/recruiting.cue", cacheFamily("Recruiting", "finance/acounting", `sections: [{
	heading: "More"
	// jobfam:ignore spelling the team's own spelling
	body: "We recieve applications."
}]
`))

	type output struct {
		Code           int
		Stdout, Stderr string
	}
	run := func(args ...string) output {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := Main(append([]string{"jobfam", "validate", "--schema", schemaDir}, append(args, fams)...), strings.NewReader(""), &stdout, &stderr)
		return output{code, stdout.String(), stderr.String()}
	}
	variants := [][]string{
		{"--list-suppressed"},
		{"--format", "json"},
		{"--format", "sarif"},
		{"--format", "github"},
	}
	// compare runs every variant fresh, then cached, and compares them.
	// Each cached run is preceded by one that fills the cache with what
	// the step changed, so the compared run reads every entry it can.
	compare := func(step string) {
		t.Helper()
		for _, v := range variants {
			fresh := run(append([]string{"--no-cache"}, v...)...)
			run(append([]string{"--cache", cacheDir}, v...)...)
			warm := run(append([]string{"--cache", cacheDir}, v...)...)
			if diff := cmp.Diff(fresh, warm); diff != "" {
				t.Errorf("%s, validate %s: cached run differs from fresh (-fresh +cached):\n%s", step, strings.Join(v, " "), diff)
			}
		}
	}

	compare("first run")
	if testing.Verbose() {
		t.Logf("first run:\n%+v", run("--no-cache", "--list-suppressed"))
	}
	if out := run("--no-cache"); out.Code != ExitFindings || !strings.Contains(out.Stdout, "[syntax]") {
		t.Fatalf("the repository should fail with a syntax error: %+v", out)
	}

	// A run with nothing changed reads every entry and writes none: the
	// entries are the same files afterwards.
	before := files(t, cacheDir)
	if len(before) != 6 {
		t.Errorf("cache holds %d entries, want 6, one per file that could be read", len(before))
	}
	compare("nothing changed")
	after := files(t, cacheDir)
	for name, info := range before {
		if a, ok := after[name]; !ok || !os.SameFile(info, a) {
			t.Errorf("a run with nothing changed rewrote or removed entry %s", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("a run with nothing changed left %d entries, want %d", len(after), len(before))
	}

	write("families/finance/treasury.cue", strings.Replace(cacheFamily("Treasury", "finance/accounting", ""), "grade: 8", "grade: 6", 1))
	compare("one file edited to break grade-order")

	policy, err := os.ReadFile(filepath.Join(schemaDir, "policy.cue"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(policy), "rules: {}", `rules: {"grade-order": severity: "warning", spelling: severity: "off"}`, 1)
	if edited == string(policy) {
		t.Fatal("policy.cue has no \"rules: {}\" to edit")
	}
	write("schema/policy.cue", edited)
	compare("policy edited")
	write("schema/policy.cue", string(policy))
	compare("policy restored")

	if err := os.Remove(filepath.Join(fams, "finance/controller.cue")); err != nil {
		t.Fatal(err)
	}
	compare("family deleted that an unchanged family links to")

	write("families/finance/payroll.cue", cacheFamily("Treasury", "finance/old-controller", ""))
	compare("title duplicated across two files")

	write("families/finance/accounting.cue", cacheFamily("Accounting", "finance/controller", "")+
		"sections: [{\n\t// jobfam:ignore ladder-link the controller family is being rewritten\n\tbody: \"See /job-families/finance/controller/.\"\n}]\n")
	write("families/finance/treasury.cue", strings.Replace(cacheFamily("Treasury", "finance/accounting", ""), "\t\tgrade: 8", "\t\t// jobfam:ignore grade-order the bands are being reviewed\n\t\tgrade: 6", 1))
	compare("jobfam:ignore comments added")

	entries, err := os.ReadDir(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	damaged := 0
	for i, e := range entries {
		p := filepath.Join(cacheDir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch i % 3 {
		case 0:
			b = b[:len(b)/2]
		case 1:
			b[len(b)-3] ^= 0x01
		case 2:
			continue
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		damaged++
	}
	if damaged == 0 {
		t.Fatal("no cache entry to damage")
	}
	for _, v := range variants {
		fresh := run(append([]string{"--no-cache"}, v...)...)
		warm := run(append([]string{"--cache", cacheDir}, v...)...)
		if diff := cmp.Diff(fresh, warm); diff != "" {
			t.Errorf("damaged entries, validate %s: cached run differs from fresh (-fresh +cached):\n%s", strings.Join(v, " "), diff)
		}
	}
	compare("after the damaged entries were replaced")
}

// files maps each file of dir to its information: an entry rewritten is
// a new file, renamed into place, which os.SameFile tells apart.
func files(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]os.FileInfo{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = info
	}
	return out
}
