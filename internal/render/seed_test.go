package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yuin/goldmark"
)

// seedPath is the handbook page the project started from. It is reference
// data outside the repository; tests that need it skip when it is absent.
var seedPath = filepath.Join("..", "..", "..", "shared", "seed", "it-program-management-office.md")

// seedNormalisations are the differences between the seed page and the page
// rendered from families/finance/it-program-management-office.cue. Each is
// a normalisation the family format makes on purpose; the importer reports
// the same ones when it reads the seed.
var seedNormalisations = []struct{ why, old, new string }{
	{
		"grade sentences name the level by its title, and the seed names one level differently",
		"The Associate Program Manager is a", "The Associate IT Program Manager is a",
	},
	{
		"grade sentences use a plain space where the seed has non-breaking spaces",
		"is a\u00a0[grade", "is a [grade",
	},
	{
		`"Extends the" names the extended level by its title`,
		"Extends the Senior IT Program Management responsibilities", "Extends the Senior IT Program Manager responsibilities",
	},
	{
		`"Extends the" names the extended level by its title`,
		"Extends the Staff IT Program Management responsibilities", "Extends the Staff IT Program Manager responsibilities",
	},
	{
		"the family corrects the seed's misspellings, which the spelling rule reports",
		"stretegic alignment", "strategic alignment",
	},
	{
		"the family corrects the seed's misspellings, which the spelling rule reports",
		"Strong conflic resolution", "Strong conflict resolution",
	},
	{
		"the family writes the unit the seed left out, which the experience-order rule reports",
		"2-3 of experience", "2-3 years of experience",
	},
	{
		"the family drops the seed's cut-off \"(m\", which the brackets rule reports",
		"sales or product (m", "sales or product",
	},
}

// TestSeedHTML checks that the page rendered from the seed family reads as
// the seed page does: the same HTML under goldmark, the Markdown engine of
// Hugo, once the listed normalisations are applied to the seed.
func TestSeedHTML(t *testing.T) {
	seed, err := os.ReadFile(seedPath)
	if os.IsNotExist(err) {
		t.Skipf("the seed page %s is not here: it is reference data outside the repository", seedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	res, site := repository(t)
	var rendered []byte
	for _, f := range res.Families {
		if f.ID == "finance/it-program-management-office" {
			rendered = Page(f, site)
		}
	}
	want := string(seed)
	for _, n := range seedNormalisations {
		if !strings.Contains(want, n.old) {
			t.Fatalf("normalisation %q no longer applies to the seed: %q not found", n.why, n.old)
		}
		want = strings.ReplaceAll(want, n.old, n.new)
	}
	wantFront, wantBody := splitFrontMatter(t, want)
	gotFront, gotBody := splitFrontMatter(t, string(rendered))
	if diff := cmp.Diff(wantFront, gotFront); diff != "" {
		t.Errorf("front matter (-seed +rendered):\n%s", diff)
	}
	if diff := cmp.Diff(toHTML(t, wantBody), toHTML(t, gotBody)); diff != "" {
		t.Errorf("HTML (-seed +rendered):\n%s", diff)
	}
	// The Markdown itself is the same too, byte for byte, once normalised.
	if diff := cmp.Diff(want, string(rendered)); diff != "" {
		t.Errorf("Markdown (-seed +rendered):\n%s", diff)
	}
}

func splitFrontMatter(t *testing.T, page string) (front, body string) {
	t.Helper()
	rest, ok := strings.CutPrefix(page, "---\n")
	if !ok {
		t.Fatalf("page does not start with front matter: %.40q", page)
	}
	front, body, ok = strings.Cut(rest, "\n---\n")
	if !ok {
		t.Fatalf("front matter is not closed")
	}
	return front, body
}

func toHTML(t *testing.T, md string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(md), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
