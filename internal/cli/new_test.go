package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/canon"
	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/family"
)

// gitlabPolicy is the built-in policy's grade range and tracks.
func gitlabPolicy() *family.Policy {
	p := &family.Policy{Tracks: []string{"individual", "management"}, DefaultTrack: "individual"}
	p.Grades.Min, p.Grades.Max = 4, 15
	return p
}

func TestDefaultGrades(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		min     int
		max     int
		want    []int
		wantErr string
	}{
		{name: "GitLab's ladder", n: 4, min: 4, max: 15, want: []int{5, 6, 7, 8}},
		{name: "one level", n: 1, min: 4, max: 15, want: []int{5}},
		{name: "a short range ends at its top", n: 3, min: 1, max: 3, want: []int{1, 2, 3}},
		{name: "a range one short of the room above its lowest", n: 3, min: 1, max: 4, want: []int{2, 3, 4}},
		{name: "more levels than grades", n: 4, min: 1, max: 3, wantErr: "4 levels need 4 rising grades, but the policy's grades, 1 to 3, are 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gitlabPolicy()
			p.Grades.Min, p.Grades.Max = tt.min, tt.max
			got, err := defaultGrades(tt.n, p)
			if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("grades (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseGrades(t *testing.T) {
	tests := []struct {
		list    string
		n       int
		want    []int
		wantErr string
	}{
		{list: "5,6,7,8", n: 4, want: []int{5, 6, 7, 8}},
		{list: " 4, 9 ,15", n: 3, want: []int{4, 9, 15}},
		{list: "5,6,7", n: 4, wantErr: "3 grades for 4 levels: give one grade per level"},
		{list: "5,x", n: 2, wantErr: `"x" is not a whole number`},
		{list: "5,16", n: 2, wantErr: "grade 16 is outside the policy's grades, 4 to 15"},
		{list: "3,5", n: 2, wantErr: "grade 3 is outside the policy's grades, 4 to 15"},
		{list: "6,6", n: 2, wantErr: "grade 6 is not above grade 6: give the grades from junior to senior, each above the one before"},
		{list: "7,6", n: 2, wantErr: "grade 6 is not above grade 7: give the grades from junior to senior, each above the one before"},
	}
	for _, tt := range tests {
		got, err := parseGrades(tt.list, tt.n, gitlabPolicy())
		if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
			t.Errorf("parseGrades(%q) error (-want +got):\n%s", tt.list, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseGrades(%q) (-want +got):\n%s", tt.list, diff)
		}
	}
}

func TestParseLevels(t *testing.T) {
	tests := []struct {
		list    string
		manager bool
		want    []string
		wantErr string
	}{
		{list: "associate,intermediate,senior,staff", want: []string{"associate", "intermediate", "senior", "staff"}},
		{list: "analyst, senior-analyst", want: []string{"analyst", "senior-analyst"}},
		{list: "senior,senior", wantErr: `level "senior" is named twice: name each level once`},
		{list: "senior,Staff", wantErr: `level id "Staff" is not valid: use lowercase letters, digits and hyphens, like "senior-analyst"`},
		{list: "senior,", wantErr: `level id "" is not valid: use lowercase letters, digits and hyphens, like "senior-analyst"`},
		{list: "senior,manager", want: []string{"senior", "manager"}},
		{list: "senior,manager", manager: true, wantErr: `level "manager" is the one --manager adds: leave it out of --levels, or leave out --manager`},
	}
	for _, tt := range tests {
		got, err := parseLevels(tt.list, tt.manager)
		if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
			t.Errorf("parseLevels(%q) error (-want +got):\n%s", tt.list, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseLevels(%q) (-want +got):\n%s", tt.list, diff)
		}
	}
}

func TestManagerOf(t *testing.T) {
	levels := []skeletonLevel{{id: "senior", grade: 7}, {id: "staff", grade: 8}}
	tests := []struct {
		name    string
		tracks  []string
		max     int
		want    skeletonLevel
		wantErr string
	}{
		{
			name:   "on the management track, with the most senior level's grade",
			tracks: []string{"individual", "management"}, max: 15,
			want: skeletonLevel{id: "manager", title: "Manager, Treasury", track: "management", grade: 8, manager: true},
		},
		{
			name:   "without a management track, above the most senior level",
			tracks: []string{"individual"}, max: 15,
			want: skeletonLevel{id: "manager", title: "Manager, Treasury", grade: 9, manager: true},
		},
		{
			name:   "without a management track or a grade above",
			tracks: []string{"individual"}, max: 8,
			wantErr: `the policy has no "management" track, and no grade above 8, the most senior level's, for a manager on the "individual" track`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gitlabPolicy()
			p.Tracks, p.Grades.Max = tt.tracks, tt.max
			got, err := managerOf(levels, "Treasury", p)
			if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(skeletonLevel{})); diff != "" {
					t.Errorf("level (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestTitles(t *testing.T) {
	if got := titleOf("finance/accounts-payable"); got != "Accounts Payable" {
		t.Errorf("titleOf = %q, want %q", got, "Accounts Payable")
	}
	for _, tt := range []struct{ id, want string }{
		{"associate", "Associate Treasury"},
		{"intermediate", "Treasury"},
		{"senior-principal", "Senior Principal Treasury"},
		{"analyst", "Treasury Analyst"},
		{"senior-analyst", "Senior Treasury Analyst"},
		{"intermediate-analyst", "Treasury Analyst"},
	} {
		if got := (skeletonLevel{id: tt.id}).levelTitle("Treasury"); got != tt.want {
			t.Errorf("levelTitle(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// TestSkeleton checks what jobfam new writes against the policy: the file,
// once canon.Format has aligned it, is a fixed point of jobfam fmt, every
// part the policy requires is there, and validate reports nothing but its
// placeholders, one per placeholder written, so that a family filled in
// passes.
func TestSkeleton(t *testing.T) {
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// edit changes the built-in policy.
		edit   func(p *family.Policy)
		levels []string
		grades []int
		// wantParts are texts the file must hold.
		wantParts []string
	}{
		{
			name:   "the built-in policy",
			levels: []string{"associate", "intermediate", "senior", "staff"},
			grades: []int{5, 6, 7, 8},
			wantParts: []string{
				"description: \"TODO: ",
				"\t\textends: {\n\t\t\tresponsibilities: \"associate\"\n\t\t\trequirements:     \"associate\"\n\t\t}\n",
				"performanceIndicators: [",
				"careerLadder: {",
				"hiringProcess: {",
			},
		},
		{
			name: "a policy that requires intros and sections, and no description",
			edit: func(p *family.Policy) {
				p.Required.Family = []string{"title", "levels", "sections"}
				p.Required.Level = []string{"title", "grade", "intro", "responsibilities", "sections"}
			},
			levels:    []string{"analyst", "senior-analyst"},
			grades:    []int{4, 15},
			wantParts: []string{"\t\tintro: \"TODO: ", "\t\t\theading: \"TODO: ", "\nsections: [{\n", "\"senior-analyst\": {", "\t\textends: {\n\t\t\tresponsibilities: \"analyst\"\n\t\t}\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := s.Policy
			if tt.edit != nil {
				tt.edit(&pol)
			}
			sk := skeleton{title: "Treasury", pol: &pol}
			for i, l := range tt.levels {
				sk.levels = append(sk.levels, skeletonLevel{id: l, grade: tt.grades[i]})
			}
			m, err := managerOf(sk.levels, sk.title, &pol)
			if err != nil {
				t.Fatal(err)
			}
			sk.levels = append(sk.levels, m)
			src := sk.source()
			formatted, err := canon.Format("treasury.cue", src, s)
			if err != nil {
				t.Fatalf("canon.Format: %v\n%s", err, src)
			}
			// The file is written formatted; a fixed point of jobfam fmt
			// stays as it is when formatted again.
			again, err := canon.Format("treasury.cue", formatted, s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(formatted), string(again)); diff != "" {
				t.Errorf("not a fixed point of jobfam fmt (-written +formatted again):\n%s", diff)
			}
			for _, part := range tt.wantParts {
				if !strings.Contains(string(formatted), part) {
					t.Errorf("the file lacks %q:\n%s", part, formatted)
				}
			}

			dir := t.TempDir()
			path := filepath.Join(dir, "finance", "treasury.cue")
			if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, formatted, 0o666); err != nil {
				t.Fatal(err)
			}
			res, err := family.Load(context.Background(), dir, s)
			if err != nil {
				t.Fatal(err)
			}
			findings := append(res.Findings, check.Run(&check.Env{Policy: &pol, IDs: res.IDs}, res.Families)...)
			placeholders := 0
			for _, f := range findings {
				if f.Rule != "placeholder" {
					t.Errorf("finding of another rule than placeholder: %s", f)
					continue
				}
				placeholders++
			}
			if placeholders != sk.placeholders {
				t.Errorf("validate reports %d placeholders, jobfam new wrote %d", placeholders, sk.placeholders)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
