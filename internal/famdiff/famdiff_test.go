package famdiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family/familytest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const payroll = `
title: "Payroll"
description: "Payroll pays people."
levels: {
	specialist: {
		title: "Payroll Specialist"
		grade: 6
		responsibilities: ["Runs the monthly payroll for all countries.", "Answers questions about payslips."]
		requirements: ["Experience with payroll software."]
	}
	senior: {
		title: "Senior Payroll Specialist"
		grade: 7
		extends: responsibilities: "specialist"
		responsibilities: ["Reviews the payroll before it is paid."]
	}
}
careerLadder: next: ["finance/accounting"]
hiringProcess: steps: ["A screening call with a recruiter.", "An interview with the hiring manager."]
`

func edit(src string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(src)
}

func ptr(i int) *int { return &i }

func TestFamilies(t *testing.T) {
	tests := []struct {
		name     string
		old, new map[string]string
		want     []FamilyDiff
	}{
		{
			name: "unchanged",
			old:  map[string]string{"finance/payroll": payroll},
			new:  map[string]string{"finance/payroll": payroll + "// a comment\n"},
		},
		{
			name: "grade change, reworded responsibility, added level",
			old:  map[string]string{"finance/payroll": payroll},
			new: map[string]string{"finance/payroll": edit(payroll,
				"grade: 7", "grade: 8",
				"Runs the monthly payroll for all countries.", "Runs the monthly payroll for every country.",
				"\tsenior: {", "\tlead: {\n\t\ttitle: \"Payroll Lead\"\n\t\tgrade: 9\n\t}\n\tsenior: {",
			)},
			want: []FamilyDiff{{
				ID: "finance/payroll", Title: "Payroll", Status: Changed,
				Grades:      []GradeChange{{Level: "senior", Title: "Senior Payroll Specialist", Before: ptr(7), After: ptr(8)}},
				LevelsAdded: []LevelRef{{ID: "lead", Title: "Payroll Lead", Grade: ptr(9), Track: "individual"}},
				Levels: []LevelDiff{{
					ID: "specialist", Title: "Payroll Specialist",
					Responsibilities: &ListDiff{Reworded: []Change{{
						Before: "Runs the monthly payroll for all countries.",
						After:  "Runs the monthly payroll for every country.",
					}}},
				}},
			}},
		},
		{
			name: "unrelated items are added and removed, not reworded",
			old:  map[string]string{"finance/payroll": payroll},
			new: map[string]string{"finance/payroll": edit(payroll,
				"Answers questions about payslips.", "Files the quarterly tax returns.",
				`requirements: ["Experience with payroll software."]`, `requirements: []`,
			)},
			want: []FamilyDiff{{
				ID: "finance/payroll", Title: "Payroll", Status: Changed,
				Levels: []LevelDiff{{
					ID: "specialist", Title: "Payroll Specialist",
					Responsibilities: &ListDiff{
						Added:   []string{"Files the quarterly tax returns."},
						Removed: []string{"Answers questions about payslips."},
					},
					Requirements: &ListDiff{Removed: []string{"Experience with payroll software."}},
				}},
			}},
		},
		{
			name: "titles, tracks, extends, ladder and hiring",
			old:  map[string]string{"finance/payroll": payroll},
			new: map[string]string{"finance/payroll": edit(payroll,
				`title: "Payroll"`, `title: "Payroll Operations"`,
				`title: "Senior Payroll Specialist"`, "title: \"Payroll Manager\"\n\t\ttrack: \"management\"",
				`extends: responsibilities: "specialist"`, "",
				`careerLadder: next: ["finance/accounting"]`, `careerLadder: {next: ["finance/tax"], text: "Or on to tax."}`,
				`hiringProcess: steps: ["A screening call with a recruiter.", "An interview with the hiring manager."]`,
				`hiringProcess: {steps: ["An interview with the hiring manager.", "A screening call with a recruiter."], ordered: true}`,
			)},
			want: []FamilyDiff{{
				ID: "finance/payroll", Title: "Payroll Operations", Status: Changed,
				TitleChange: &Change{Before: "Payroll", After: "Payroll Operations"},
				Levels: []LevelDiff{{
					ID: "senior", Title: "Payroll Manager",
					TitleChange:             &Change{Before: "Senior Payroll Specialist", After: "Payroll Manager"},
					Track:                   &Change{Before: "individual", After: "management"},
					ExtendsResponsibilities: &Change{Before: "specialist"},
				}},
				CareerLadder: &Ladder{
					Next: &ListDiff{Added: []string{"finance/tax"}, Removed: []string{"finance/accounting"}},
					Text: &Change{After: "Or on to tax."},
				},
				HiringProcess: &Hiring{
					Steps:   &ListDiff{Reordered: true},
					Ordered: &Change{Before: "bulleted", After: "numbered"},
				},
			}},
		},
		{
			name: "intros of the family's and a level's parts",
			old:  map[string]string{"finance/payroll": payroll + "intros: levels: \"Each level adds countries.\"\n"},
			new: map[string]string{"finance/payroll": edit(payroll,
				`extends: responsibilities: "specialist"`, "extends: responsibilities: \"specialist\"\n\t\tintros: requirements: \"On top of the basics:\"",
			) + "intros: performanceIndicators: \"### Key indicators\"\n"},
			want: []FamilyDiff{{
				ID: "finance/payroll", Title: "Payroll", Status: Changed,
				Levels: []LevelDiff{{
					ID: "senior", Title: "Senior Payroll Specialist",
					RequirementsIntro: &Change{After: "On top of the basics:"},
				}},
				LevelsIntro:     &Change{Before: "Each level adds countries."},
				IndicatorsIntro: &Change{After: "### Key indicators"},
			}},
		},
		{
			name: "families added and removed, in id order",
			old:  map[string]string{"finance/payroll": payroll},
			new:  map[string]string{"finance/accounting": `title: "Accounting", levels: lead: {title: "Lead", grade: 10, track: "management"}`},
			want: []FamilyDiff{
				{ID: "finance/accounting", Title: "Accounting", Status: Added,
					LevelsAdded: []LevelRef{{ID: "lead", Title: "Lead", Grade: ptr(10), Track: "management"}}},
				{ID: "finance/payroll", Title: "Payroll", Status: Removed,
					LevelsRemoved: []LevelRef{
						{ID: "specialist", Title: "Payroll Specialist", Grade: ptr(6), Track: "individual"},
						{ID: "senior", Title: "Senior Payroll Specialist", Grade: ptr(7), Track: "individual"},
					}},
			},
		},
		{
			name: "grade removed, sections and front matter",
			old: map[string]string{"finance/payroll": payroll + `
frontMatter: "weight: 3"
aliases: ["/job-families/finance/payroll/senior/", "/job-families/finance/payroll_old/"]
sections: [{heading: "Benefits", body: "Old body."}, {heading: "Gone", body: "x"}]`},
			new: map[string]string{"finance/payroll": edit(payroll, "grade: 6\n", "", "pays people", "pays everyone") + `
frontMatter: "weight: 4"
aliases: ["/job-families/finance/payroll/senior/"]
sections: [{heading: "Benefits", body: "New body."}, {heading: "Fresh", body: "y", before: "levels"}]`},
			want: []FamilyDiff{{
				ID: "finance/payroll", Title: "Payroll", Status: Changed,
				Grades:      []GradeChange{{Level: "specialist", Title: "Payroll Specialist", Before: ptr(6)}},
				Description: &Change{Before: "Payroll pays people.", After: "Payroll pays everyone."},
				FrontMatter: &Change{Before: "weight: 3", After: "weight: 4"},
				Aliases:     &ListDiff{Removed: []string{"/job-families/finance/payroll_old/"}},
				Sections: []SectionChange{
					{Heading: "Benefits", Status: Changed, Before: "Old body.", After: "New body."},
					{Heading: "Fresh", Status: Added, After: "y (before levels)"},
					{Heading: "Gone", Status: Removed, Before: "x"},
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Families(familytest.Load(t, tt.old), familytest.Load(t, tt.new))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Families mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new []string
		want     *ListDiff
	}{
		{"equal", []string{"a", "b"}, []string{"a", "b"}, nil},
		{"reordered", []string{"a", "b"}, []string{"b", "a"}, &ListDiff{Reordered: true}},
		{"duplicate removed", []string{"a", "a"}, []string{"a"}, &ListDiff{Removed: []string{"a"}}},
		{
			// Each removed item pairs with the added item most like it,
			// whatever the order.
			"best pairs first",
			[]string{"Owns the budget of the team.", "Hires and coaches engineers."},
			[]string{"Hires, coaches and develops engineers.", "Owns the budget of the whole team."},
			&ListDiff{Reworded: []Change{
				{Before: "Owns the budget of the team.", After: "Owns the budget of the whole team."},
				{Before: "Hires and coaches engineers.", After: "Hires, coaches and develops engineers."},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, listDiff(tt.old, tt.new, true)); diff != "" {
				t.Errorf("listDiff mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"Runs payroll.", "runs PAYROLL", 1},
		{"a b c d", "a b x y", 0.5},
		{"a b", "c d", 0},
		{"", "", 1},
	}
	for _, tt := range tests {
		if got := Similarity(tt.a, tt.b); got != tt.want {
			t.Errorf("Similarity(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestHasGradeChanges(t *testing.T) {
	tests := []struct {
		name  string
		diffs []FamilyDiff
		want  bool
	}{
		{"none", nil, false},
		{"title only", []FamilyDiff{{TitleChange: &Change{Before: "a", After: "b"}}}, false},
		{"grade", []FamilyDiff{{Grades: []GradeChange{{Level: "x", Before: ptr(1), After: ptr(2)}}}}, true},
		{"level added with a grade", []FamilyDiff{{LevelsAdded: []LevelRef{{ID: "x", Grade: ptr(5)}}}}, true},
		{"level removed without a grade", []FamilyDiff{{LevelsRemoved: []LevelRef{{ID: "x"}}}}, false},
	}
	for _, tt := range tests {
		if got := HasGradeChanges(tt.diffs); got != tt.want {
			t.Errorf("%s: HasGradeChanges = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain text, with commas.", "Plain text, with commas."},
		{"a | b", `a \| b`},
		{"<details><summary>x", "&lt;details&gt;&lt;summary&gt;x"},
		{"<!-- hide", "&lt;\\!-- hide"},
		{"`code` and *bold* [link](u)", "\\`code\\` and \\*bold\\* \\[link\\](u)"},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"12. item", `12\. item`},
		{"line\n\nbreak", "line break"},
		{"day-to-day", "day-to-day"},
		{"&amp;", "&amp;amp;"},
		{"ask @people-ops or @jane", "ask &#64;people-ops or &#64;jane"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	codes := []struct{ in, want string }{
		{"finance/payroll", "`finance/payroll`"},
		{"a`b", "`` a`b ``"},
		{"a|b", `a\|b`},
	}
	for _, tt := range codes {
		if got := Code(tt.in); got != tt.want {
			t.Errorf("Code(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMarkdownGolden writes the Markdown of each case into testdata; run
// with -update after a deliberate change and read the diff.
func TestMarkdownGolden(t *testing.T) {
	hostile := edit(payroll,
		`title: "Payroll"`, "title: \"Pay | <details open> `roll`\"",
		"Answers questions about payslips.", "</details><!-- # hidden | *x*",
	)
	tests := []struct {
		name     string
		old, new map[string]string
	}{
		{"nochange", map[string]string{"finance/payroll": payroll}, map[string]string{"finance/payroll": payroll}},
		{"changed", map[string]string{"finance/payroll": payroll}, map[string]string{"finance/payroll": edit(payroll,
			"grade: 7", "grade: 8",
			"Runs the monthly payroll for all countries.", "Runs the monthly payroll for every country.",
			"\tsenior: {", "\tlead: {\n\t\ttitle: \"Payroll Lead\"\n\t\tgrade: 9\n\t}\n\tsenior: {",
			`title: "Senior Payroll Specialist"`, "title: \"Payroll Manager\"\n\t\ttrack: \"management\"",
			`extends: responsibilities: "specialist"`, "",
			`requirements: ["Experience with payroll software."]`, `requirements: ["Fluent Spanish."]`,
			`careerLadder: next: ["finance/accounting"]`, `careerLadder: {next: ["finance/tax"], text: "Or on to tax."}`,
			`hiringProcess: steps: ["A screening call with a recruiter.", "An interview with the hiring manager."]`,
			`hiringProcess: {steps: ["A screening call with a recruiter.", "An interview with the VP."], outro: "Good luck."}`,
			`"Payroll pays people."`, `"Payroll pays everyone."`,
		) + `
performanceIndicators: [{title: "On-time payroll", url: "https://example.com/kpi"}]
aliases: ["/job-families/finance/payroll/senior/"]
sections: [{heading: "Benefits", body: "New body."}]`}},
		{"addremove", map[string]string{"finance/payroll": payroll}, map[string]string{"finance/accounting": `title: "Accounting", levels: lead: {title: "Lead", grade: 10, track: "management"}`}},
		{"hostile", map[string]string{"finance/payroll": payroll}, map[string]string{"finance/payroll": hostile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Markdown(&buf, Families(familytest.Load(t, tt.old), familytest.Load(t, tt.new))); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			golden := filepath.Join("testdata", tt.name+".md")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Markdown mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
