package importmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cuelang.org/go/cue/cuecontext"
	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/canon"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

// seedPath is the handbook page the project started from, outside the
// repository.
var seedPath = filepath.Join("..", "..", "..", "shared", "seed", "it-program-management-office.md")

// seedFamily is the seed as converted by hand when the project started.
var seedFamily = filepath.Join("..", "..", "families", "finance", "it-program-management-office.cue")

func importSeed(t *testing.T) (seed []byte, res *Result) {
	t.Helper()
	seed, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		t.Skipf("the seed page %s is not here: it is reference data outside the repository", seedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	res, err = Import([]Page{{Path: "finance/it-program-management-office.md", Src: seed}}, policy(t))
	if err != nil {
		t.Fatal(err)
	}
	return seed, res
}

// seedCorrections are the mistakes of the seed page that the family
// converted by hand corrects, because a content rule reports them: the
// importer keeps a page's words as they are.
var seedCorrections = []struct{ why, old, new string }{
	{"spelling", "stretegic alignment", "strategic alignment"},
	{"spelling", "Strong conflic resolution", "Strong conflict resolution"},
	{"experience-order", "2-3 of experience", "2-3 years of experience"},
	{"brackets", "sales or product (m", "sales or product"},
}

// seedExtends are the "Extends" sentences of the seed that name the level
// they extend in words its title lacks ("Management" for "Manager"). The
// importer keeps them as written, as the intro of the responsibilities,
// so that no word is lost; the family converted by hand models them as
// extends, the sentence jobfam renders naming the level by its title.
var seedExtends = []struct{ old, new string }{
	{
		"intros: {\n\t\t\tresponsibilities: \"Extends the Senior IT Program Management responsibilities plus:\"\n\t\t}",
		"extends: responsibilities: \"senior\"",
	},
	{
		"extends: {\n\t\t\trequirements: \"staff\"\n\t\t}\n\t\tintros: {\n\t\t\tresponsibilities: \"Extends the Staff IT Program Management responsibilities plus:\"\n\t\t}",
		"extends: {\n\t\t\tresponsibilities: \"staff\"\n\t\t\trequirements: \"staff\"\n\t\t}",
	},
}

// TestSeedMatchesHandConversion checks that importing the seed gives the
// data of the family converted by hand, and the same tracks in particular.
func TestSeedMatchesHandConversion(t *testing.T) {
	_, res := importSeed(t)
	hand, err := os.ReadFile(seedFamily)
	if err != nil {
		t.Fatal(err)
	}
	imported := string(res.CUE)
	for _, c := range seedCorrections {
		if !strings.Contains(imported, c.old) {
			t.Fatalf("correction %q no longer applies to the imported seed: %q not found", c.why, c.old)
		}
		imported = strings.ReplaceAll(imported, c.old, c.new)
	}
	for _, e := range seedExtends {
		if !strings.Contains(imported, e.old) {
			t.Fatalf("the imported seed no longer keeps %q", e.old)
		}
		imported = strings.ReplaceAll(imported, e.old, e.new)
	}
	if diff := cmp.Diff(jsonOf(t, hand), jsonOf(t, []byte(imported))); diff != "" {
		t.Errorf("imported seed differs from %s (-hand +imported):\n%s", seedFamily, diff)
	}
	if res.ID != "finance/it-program-management-office" {
		t.Errorf("id = %q, want %q", res.ID, "finance/it-program-management-office")
	}
	if !res.Report.FullyModelled {
		t.Errorf("the seed is not fully modelled: %d verbatim sections", res.Report.VerbatimSections)
	}
}

// jsonOf returns the data of a CUE file as indented JSON, fields in the
// order written.
func jsonOf(t *testing.T, src []byte) string {
	t.Helper()
	v := cuecontext.New().CompileBytes(src)
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), `","`, "\",\n\"")
}

// seedNormalisations are what render(import(seed)) changes in the seed,
// each with a part of the warning the importer gives for it: the round
// trip changes nothing that is not reported.
var seedNormalisations = []struct{ warning, old, new string }{
	{
		`grade sentence names "Associate Program Manager", not the level's title "Associate IT Program Manager"`,
		"The Associate Program Manager is a", "The Associate IT Program Manager is a",
	},
	{
		"has a line break or a non-breaking space where jobfam writes a plain space",
		"is a\u00a0[grade", "is a [grade",
	},
	{
		`"Extends the Senior IT Program Management responsibilities plus:" reads as level "senior" ("Senior IT Program Manager") but names it with words its title lacks: kept as written, between the heading and the bullets`,
		"Extends the Senior IT Program Management responsibilities plus:\n-", "Extends the Senior IT Program Management responsibilities plus:\n\n-",
	},
	{
		`"Extends the Staff IT Program Management responsibilities plus:" reads as level "staff" ("Staff IT Program Manager") but names it with words its title lacks: kept as written, between the heading and the bullets`,
		"Extends the Staff IT Program Management responsibilities plus:\n-", "Extends the Staff IT Program Management responsibilities plus:\n\n-",
	},
}

// TestSeedRoundTrip renders the imported seed and checks that the page is
// the seed, byte for byte, once the normalisations the importer reported
// are applied to it.
func TestSeedRoundTrip(t *testing.T) {
	seed, res := importSeed(t)
	want := string(seed)
	var warnings []string
	for _, w := range res.Report.Warnings {
		warnings = append(warnings, w.Message)
	}
	all := strings.Join(warnings, "\n")
	for _, n := range seedNormalisations {
		if !strings.Contains(want, n.old) {
			t.Fatalf("normalisation %q no longer applies to the seed: %q not found", n.warning, n.old)
		}
		if !strings.Contains(all, n.warning) {
			t.Errorf("the importer did not report %q; it reported:\n%s", n.warning, all)
		}
		want = strings.ReplaceAll(want, n.old, n.new)
	}
	if len(warnings) != len(seedNormalisations) {
		t.Errorf("the importer reported %d warnings, the test lists %d normalisations:\n%s", len(warnings), len(seedNormalisations), all)
	}
	got := renderFamily(t, res)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("render(import(seed)) differs from the normalised seed (-seed +rendered):\n%s", diff)
	}
}

// renderFamily loads an imported family as jobfam validate does and
// renders its page.
func renderFamily(t *testing.T, res *Result) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, filepath.FromSlash(res.ID)+".cue")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, res.CUE, 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := family.Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.Families) != 1 {
		t.Fatalf("loaded %d families, want 1; findings: %v", len(loaded.Families), loaded.Findings)
	}
	return string(render.Page(loaded.Families[0], render.NewSite(&s.Policy, loaded.Families)))
}

// TestSeedCanonical checks that the importer's output is what jobfam fmt
// would write.
func TestSeedCanonical(t *testing.T) {
	_, res := importSeed(t)
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	got, err := canon.Format("seed.cue", res.CUE, s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(res.CUE), string(got)); diff != "" {
		t.Errorf("jobfam fmt changes the imported seed (-imported +formatted):\n%s", diff)
	}
}
