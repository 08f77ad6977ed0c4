package render

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// repository loads the repository's own families and schema.
func repository(t *testing.T) (*family.Result, *Site) {
	t.Helper()
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), filepath.Join("..", "..", "families"), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) > 0 {
		t.Fatalf("the repository's families have findings: %v", res.Findings)
	}
	return res, NewSite(&s.Policy, res.Families)
}

// TestGolden renders the repository's families into testdata, one golden
// page each; run with -update after a deliberate change and read the diff.
func TestGolden(t *testing.T) {
	res, site := repository(t)
	for _, f := range res.Families {
		t.Run(f.ID, func(t *testing.T) {
			got := Page(f, site)
			golden := filepath.Join("testdata", filepath.FromSlash(f.ID)+".md")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("page mismatch (-want +got):\n%s", diff)
			}
			if again := Page(f, site); string(again) != string(got) {
				t.Error("rendering twice gave different bytes")
			}
		})
	}
}
