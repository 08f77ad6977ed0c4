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

// TestIntros checks where each intro goes: between its part's heading and
// the part, before the "Extends the ... plus:" line; an intro renders its
// heading even when the part has nothing else.
func TestIntros(t *testing.T) {
	tests := []struct {
		name, family, want string
	}{
		{
			name: "every intro",
			family: `title: "Tea"
levels: {
	taster: {
		title: "Taster"
		responsibilities: ["Tastes."]
	}
	"senior-taster": {
		title: "Senior Taster"
		extends: responsibilities: "taster"
		intros: {
			responsibilities: "#### Daily"
			requirements:     "Any of:"
		}
		responsibilities: ["Blends."]
		requirements: ["A nose."]
	}
}
performanceIndicators: [{title: "Cups"}]
intros: {
	levels:                "Tasters taste."
	performanceIndicators: "### Key Performance Indicators"
}
`,
			want: `---
title: Tea
---

## Levels

Tasters taste.

## Taster

### Taster Responsibilities

- Tastes.

## Senior Taster

### Senior Taster Responsibilities

#### Daily

Extends the Taster responsibilities plus:
- Blends.

### Senior Taster Requirements

Any of:

- A nose.

## Performance Indicators

### Key Performance Indicators

- Cups
`,
		},
		{
			name: "intros of empty parts",
			family: `title: "Tea"
levels: taster: {
	title: "Taster"
	intros: requirements: "To be written."
}
intros: performanceIndicators: "None yet."
`,
			want: `---
title: Tea
---

## Levels

## Taster

### Taster Requirements

To be written.

## Performance Indicators

None yet.
`,
		},
	}
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "food"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "food", "tea.cue"), []byte(tt.family), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := family.Load(context.Background(), dir, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Families) != 1 {
				t.Fatalf("loaded %d families: %v", len(res.Families), res.Findings)
			}
			got := Page(res.Families[0], NewSite(&s.Policy, res.Families))
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("page mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
