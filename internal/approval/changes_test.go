package approval

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family/familytest"
)

const payroll = `
title: "Payroll"
description: "Payroll pays people."
levels: {
	specialist: {
		title: "Payroll Specialist"
		grade: 6
		responsibilities: ["Runs the monthly payroll.", "Answers questions about payslips."]
		requirements: ["Experience with payroll software."]
	}
	senior: {
		title: "Senior Payroll Specialist"
		grade: 7
		responsibilities: ["Reviews the payroll before it is paid."]
	}
}
careerLadder: next: ["finance/accounting"]
`

func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(src, pairs[i]) {
			t.Fatalf("source has no %q to edit", pairs[i])
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

func TestChangesFamilies(t *testing.T) {
	const id = "finance/payroll"
	tests := []struct {
		name string
		// old and new return the family's source at both ends; "" is
		// no family.
		old, new func(t *testing.T) string
		want     []Change
	}{
		{
			name: "comments and formatting only",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return "// Payroll's family.\n" + edit(t, payroll, "grade: 7", "grade:   7 // was 6 once", "\t\tresponsibilities: [\"Reviews", "\t\tresponsibilities: [\n\t\t\t\"Reviews")
			},
		},
		{
			name: "grade",
			old:  func(t *testing.T) string { return payroll },
			new:  func(t *testing.T) string { return edit(t, payroll, "grade: 7", "grade: 8") },
			want: []Change{{Kind: KindGrade, Family: id, What: `grade of level "senior" 7 → 8`}},
		},
		{
			name: "family title and level title",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, `title: "Payroll"`, `title: "Pay"`, `"Senior Payroll Specialist"`, `"Payroll Specialist II"`)
			},
			want: []Change{
				{Kind: KindTitle, Family: id, What: `title "Payroll" → "Pay"`},
				{Kind: KindTitle, Family: id, What: `title of level "senior" "Senior Payroll Specialist" → "Payroll Specialist II"`},
			},
		},
		{
			name: "track",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, "\t\tgrade: 7\n", "\t\tgrade: 7\n\t\ttrack: \"management\"\n")
			},
			want: []Change{{Kind: KindTrack, Family: id, What: `track of level "senior" "individual" → "management"`}},
		},
		{
			name: "level added, with its grade",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, "\tsenior: {", "\tlead: {\n\t\ttitle: \"Payroll Lead\"\n\t\tgrade: 9\n\t}\n\tsenior: {")
			},
			want: []Change{
				{Kind: KindGrade, Family: id, What: `level "lead" added at grade 9`},
				{Kind: KindLevelAdded, Family: id, What: `level "lead" added`},
			},
		},
		{
			name: "level removed, with its grade",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, "\tsenior: {\n\t\ttitle: \"Senior Payroll Specialist\"\n\t\tgrade: 7\n\t\tresponsibilities: [\"Reviews the payroll before it is paid.\"]\n\t}\n", "")
			},
			want: []Change{
				{Kind: KindGrade, Family: id, What: `level "senior" removed, grade 7`},
				{Kind: KindLevelRemoved, Family: id, What: `level "senior" removed`},
			},
		},
		{
			name: "level without a grade added",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, "\tsenior: {", "\tlead: {\n\t\ttitle: \"Payroll Lead\"\n\t}\n\tsenior: {")
			},
			want: []Change{{Kind: KindLevelAdded, Family: id, What: `level "lead" added`}},
		},
		{
			name: "family added",
			old:  func(t *testing.T) string { return "" },
			new:  func(t *testing.T) string { return payroll },
			want: []Change{
				{Kind: KindFamilyAdded, Family: id, What: "family added"},
				{Kind: KindGrade, Family: id, What: `level "specialist" added at grade 6`},
				{Kind: KindGrade, Family: id, What: `level "senior" added at grade 7`},
			},
		},
		{
			name: "family removed",
			old:  func(t *testing.T) string { return payroll },
			new:  func(t *testing.T) string { return "" },
			want: []Change{
				{Kind: KindFamilyRemoved, Family: id, What: "family removed"},
				{Kind: KindGrade, Family: id, What: `level "specialist" removed, grade 6`},
				{Kind: KindGrade, Family: id, What: `level "senior" removed, grade 7`},
			},
		},
		{
			name: "content",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll,
					"Payroll pays people.", "Payroll pays everyone.",
					"Runs the monthly payroll.", "Runs the payroll every month.",
					`["finance/accounting"]`, `["finance/tax"]`,
				)
			},
			want: []Change{
				{Kind: KindContent, Family: id, What: "description"},
				{Kind: KindContent, Family: id, What: `responsibilities of level "specialist"`},
				{Kind: KindContent, Family: id, What: "career ladder"},
			},
		},
		{
			name: "items only reordered",
			old:  func(t *testing.T) string { return payroll },
			new: func(t *testing.T) string {
				return edit(t, payroll, `["Runs the monthly payroll.", "Answers questions about payslips."]`, `["Answers questions about payslips.", "Runs the monthly payroll."]`)
			},
			want: []Change{{Kind: KindContent, Family: id, What: `responsibilities of level "specialist"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := func(src string) map[string]string {
				if src == "" {
					return nil
				}
				return map[string]string{id: src}
			}
			diffs := famdiff.Families(familytest.Load(t, files(tt.old(t))), familytest.Load(t, files(tt.new(t))))
			got, err := Changes(diffs, nil, nil)
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChangesPolicy(t *testing.T) {
	const policy = "package jobfam\n\npolicy: grades: {min: 4, max: 15}\n"
	tests := []struct {
		name     string
		old, new map[string]string
		want     []Change
	}{
		{
			name: "same files",
			old:  map[string]string{"policy.cue": policy},
			new:  map[string]string{"policy.cue": policy},
		},
		{
			name: "comments and formatting only",
			old:  map[string]string{"policy.cue": policy},
			new:  map[string]string{"policy.cue": "// The policy.\npackage jobfam\n\npolicy: grades: {\n\tmin: 4 // lowest\n\tmax: 15\n}\n"},
		},
		{
			name: "a value",
			old:  map[string]string{"policy.cue": policy},
			new:  map[string]string{"policy.cue": strings.Replace(policy, "15", "16", 1)},
			want: []Change{{Kind: KindPolicy, What: `schema file "policy.cue" changed`}},
		},
		{
			name: "files added and removed",
			old:  map[string]string{"policy.cue": policy, "old.cue": "package jobfam\n\nx: 1\n"},
			new:  map[string]string{"policy.cue": policy, "new.cue": "package jobfam\n\ny: 1\n"},
			want: []Change{
				{Kind: KindPolicy, What: `schema file "new.cue" added`},
				{Kind: KindPolicy, What: `schema file "old.cue" removed`},
			},
		},
		{
			name: "a file of comments only added",
			old:  map[string]string{"policy.cue": policy},
			new:  map[string]string{"policy.cue": policy, "notes.cue": "// Notes.\npackage jobfam\n"},
		},
		{
			name: "other files than .cue",
			old:  map[string]string{"policy.cue": policy, "README.md": "old"},
			new:  map[string]string{"policy.cue": policy, "README.md": "new"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Changes(nil, bytesMap(tt.old), bytesMap(tt.new))
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChangesPolicySyntaxError(t *testing.T) {
	_, err := Changes(nil, nil, map[string][]byte{"policy.cue": []byte("package jobfam\n\nx: {\n")})
	if err == nil || !strings.Contains(err.Error(), "schema at the pull request's head: parse policy.cue:") {
		t.Errorf("Changes error = %v, want one about the head's policy.cue", err)
	}
}

func bytesMap(m map[string]string) map[string][]byte {
	if m == nil {
		return nil
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}

// TestKinds keeps the constants and the list the policy is checked against
// the same.
func TestKinds(t *testing.T) {
	want := []string{KindGrade, KindTitle, KindTrack, KindLevelAdded, KindLevelRemoved, KindFamilyAdded, KindFamilyRemoved, KindContent, KindPolicy, KindAny}
	if diff := cmp.Diff(want, Kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
}
