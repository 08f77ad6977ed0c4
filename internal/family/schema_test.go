package family

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

// defaultPolicy is the policy of schema/policy.cue, GitLab's.
func defaultPolicy() Policy {
	var p Policy
	p.Grades.Min, p.Grades.Max = 4, 15
	p.GradeURL = "https://about.gitlab.com/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades"
	p.HandbookBase = "https://handbook.gitlab.com/job-families/"
	p.Tracks = []string{"individual", "management"}
	p.DefaultTrack = "individual"
	p.Required.Family = []string{"title", "description", "levels", "performanceIndicators", "careerLadder", "hiringProcess"}
	p.Required.Level = []string{"title", "grade", "responsibilities", "requirements"}
	p.Template.Indicators.Min, p.Template.Indicators.Max = 3, 5
	p.Template.NoExperienceUpToGrade = 5
	p.Template.Location = []string{"must be located in", "must be based in", "must reside in", "must live in", "must live within", "relocate to", "in the pacific time zone", "in the eastern time zone", "in the central european time zone"}
	p.Template.Vacancy = []string{"you will", "you'll", "exciting opportunity", "we're hiring", "we are hiring", "join our team", "apply now"}
	return p
}

// withoutWordLists checks that the word lists of schema/words.cue were
// read, and returns p without them: they are data, too long to repeat here.
func withoutWordLists(t *testing.T, p Policy) Policy {
	t.Helper()
	if got := p.Spelling["stretegic"]; got != "strategic" {
		t.Errorf(`Spelling["stretegic"] = %q, want "strategic"`, got)
	}
	if len(p.InclusiveLanguage) == 0 || p.InclusiveLanguage[0].Term != "rockstar" || len(p.InclusiveLanguage[0].Suggest) == 0 {
		t.Errorf("InclusiveLanguage does not start with rockstar and its suggestions: %v", p.InclusiveLanguage)
	}
	p.Spelling, p.InclusiveLanguage = nil, nil
	return p
}

// repoSchema reads a file of the repository's schema folder.
func repoSchema(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "schema", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// policyShape is the repository's #Policy definition and what it needs,
// without the policy values: custom policies are checked against it.
func policyShape(t *testing.T) string {
	t.Helper()
	src := repoSchema(t, "policy.cue")
	i := strings.Index(src, "// #Policy is the shape")
	if i < 0 {
		t.Fatal("schema/policy.cue: no #Policy definition found")
	}
	return src[i:]
}

// customPolicy is a policy unlike the default in every value.
const customPolicy = `package jobfam

policy: #Policy & {
	grades: {min: 1, max: 10}
	gradeURL:     "https://example.com/grades"
	handbookBase: "https://example.com/roles/"
	tracks: ["ic", "manager", "executive"]
	defaultTrack: "ic"
	required: {
		family: ["title"]
		level: ["title", "grade"]
	}
}

`

func TestLoadSchemaEmbedded(t *testing.T) {
	s, err := LoadSchema("")
	if err != nil {
		t.Fatalf("LoadSchema(\"\"): %v", err)
	}
	if s.Source != "embedded" {
		t.Errorf("Source = %q, want %q", s.Source, "embedded")
	}
	if diff := cmp.Diff(defaultPolicy(), withoutWordLists(t, s.Policy)); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
}

func TestLoadSchemaRepositoryFolder(t *testing.T) {
	dir := filepath.Join("..", "..", "schema")
	s, err := LoadSchema(dir)
	if err != nil {
		t.Fatalf("LoadSchema(%q): %v", dir, err)
	}
	if s.Source != dir {
		t.Errorf("Source = %q, want %q", s.Source, dir)
	}
	if diff := cmp.Diff(defaultPolicy(), withoutWordLists(t, s.Policy)); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
}

func TestLoadSchemaCustomPolicy(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"family.cue": repoSchema(t, "family.cue"),
		"policy.cue": customPolicy + policyShape(t),
		"README.md":  "not read",
	})
	s, err := LoadSchema(dir)
	if err != nil {
		t.Fatalf("LoadSchema: %v", err)
	}
	var want Policy
	want.Grades.Min, want.Grades.Max = 1, 10
	want.GradeURL = "https://example.com/grades"
	want.HandbookBase = "https://example.com/roles/"
	want.Tracks = []string{"ic", "manager", "executive"}
	want.DefaultTrack = "ic"
	want.Required.Family = []string{"title"}
	want.Required.Level = []string{"title", "grade"}
	if diff := cmp.Diff(want, s.Policy); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}

	// Families are checked against the custom policy, not the default.
	fams := t.TempDir()
	writeTree(t, fams, map[string]string{"d/x.cue": `title: "X"
levels: {
	one: {grade: 1}
	two: {grade: 11, track: "executive"}
	three: {grade: 5, track: "individual"}
}
`})
	res, err := Load(context.Background(), fams, s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	file := filepath.Join(fams, "d", "x.cue")
	wantFindings := []diag.Finding{
		finding(RuleSchema, file, 4, 15, `grade of level "two" is 11, outside the policy's grade scale of 1 to 10: use a grade in that range or change policy.grades`),
		finding(RuleSchema, file, 5, 27, `track of level "three" is "individual", which is not one of "executive", "ic", "manager"`),
	}
	got := sorted(res.Findings)
	for i := range got {
		got[i].Related = nil
	}
	if diff := cmp.Diff(wantFindings, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(res.Families) == 1 {
		if got := res.Families[0].Levels[0].Track.Value; got != "ic" {
			t.Errorf("track of a level that names none = %q, want the policy's default %q", got, "ic")
		}
	}
}

func TestLoadSchemaErrors(t *testing.T) {
	family := func(t *testing.T) string { return repoSchema(t, "family.cue") }
	policy := func(t *testing.T) string { return repoSchema(t, "policy.cue") }
	// edit replaces old, which must occur, in src.
	edit := func(t *testing.T, src, old, new string) string {
		t.Helper()
		if !strings.Contains(src, old) {
			t.Fatalf("schema source has no %q to edit", old)
		}
		return strings.Replace(src, old, new, 1)
	}
	// approvals returns the default schema with policy.approvals set to
	// rule, on the last line of policy.cue (LAST in want).
	approvals := func(rule string) func(t *testing.T) map[string]string {
		return func(t *testing.T) map[string]string {
			return map[string]string{"family.cue": family(t), "policy.cue": policy(t) + "\npolicy: approvals: " + rule + "\n"}
		}
	}
	tests := []struct {
		name string
		// files returns the schema folder's files; nil means no folder.
		files func(t *testing.T) map[string]string
		// want are parts of the error message; DIR stands for the folder.
		want []string
	}{
		{
			name:  "missing folder",
			files: nil,
			want:  []string{`schema folder "DIR" does not exist`},
		},
		{
			name:  "folder with no .cue file",
			files: func(t *testing.T) map[string]string { return map[string]string{"README.md": "# schema"} },
			want:  []string{"read schema DIR: no .cue files"},
		},
		{
			name: "field attribute @embed",
			files: func(t *testing.T) map[string]string {
				return map[string]string{
					"family.cue": family(t),
					"policy.cue": policy(t),
					"data.cue":   "package jobfam\n\nsecret: _ @embed(file=\"/etc/passwd\")\n",
				}
			},
			want: []string{`DIR/data.cue:3:11: schema attribute "@embed(file=\"/etc/passwd\")" is not allowed`, "could read files"},
		},
		{
			name: "file attribute @extern(embed)",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": "@extern(embed)\n\n" + family(t), "policy.cue": policy(t)}
			},
			want: []string{`DIR/family.cue:1:1: schema attribute "@extern(embed)" is not allowed`},
		},
		{
			name: "syntax error",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": policy(t), "x.cue": "package jobfam\n\nx: {\n"}
			},
			want: []string{"parse schema: DIR/x.cue:3:6: expected '}', found 'EOF'"},
		},
		{
			name: "default track not one of the tracks",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": edit(t, policy(t), `defaultTrack: "individual"`, `defaultTrack: "ic"`)}
			},
			want: []string{"schema DIR:", "policy.defaultTrack", `"ic"`},
		},
		{
			name: "grade scale upside down",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": edit(t, policy(t), "grades: {min: 4, max: 15}", "grades: {min: 10, max: 5}")}
			},
			want: []string{"policy.grades.max", "invalid value 5"},
		},
		{
			name: "handbook base without a final slash",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": edit(t, policy(t),
					`handbookBase: "https://handbook.gitlab.com/job-families/"`, `handbookBase: "https://handbook.gitlab.com/job-families"`)}
			},
			want: []string{"policy.handbookBase", `"https://handbook.gitlab.com/job-families"`},
		},
		{
			name: "required field the model does not have",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": edit(t, policy(t), `"hiringProcess"]`, `"hiringprocess"]`)}
			},
			want: []string{"policy.required.family", `"hiringprocess"`},
		},
		{
			name:  "approval rule with an unknown kind of change",
			files: approvals(`"total-rewards": {when: ["grades"], from: ["@acme/total-rewards"]}`),
			want:  []string{"DIR/policy.cue:LAST:", `approval rule "total-rewards": "grades" is not a kind of change: did you mean "grade"? the kinds are grade, title, track,`},
		},
		{
			name:  "approval rule with no kind of change",
			files: approvals(`x: {when: [], from: ["octocat"]}`),
			want:  []string{"DIR/policy.cue:LAST:", `approval rule "x": when names no kind of change: list one or more of grade, title,`},
		},
		{
			name:  "approval rule with an empty from",
			files: approvals(`x: {when: ["grade"], from: []}`),
			want:  []string{"DIR/policy.cue:LAST:", `approval rule "x": from names nobody: list the GitHub logins or @org/team teams whose approval counts`},
		},
		{
			name:  "approval rule with a team name, not its slug",
			files: approvals(`x: {when: ["grade"], from: ["@acme/Total Rewards"]}`),
			want:  []string{"DIR/policy.cue:LAST:", `approval rule "x": "@acme/Total Rewards" is not a team: write a team as @org/team-slug, with the slug of the team's URL, such as "@acme/total-rewards"`},
		},
		{
			name:  "approval rule with a team without its organisation",
			files: approvals(`x: {when: ["grade"], from: ["@total-rewards"]}`),
			want:  []string{`approval rule "x": "@total-rewards" is not a team`},
		},
		{
			name:  "approval rule with a malformed login",
			files: approvals(`x: {when: ["grade"], from: ["octo--cat"]}`),
			want:  []string{"DIR/policy.cue:LAST:", `approval rule "x": "octo--cat" is not a GitHub login: a login has letters, digits and single hyphens; write a team as @org/team-slug`},
		},
		{
			name:  "approval rule with a login longer than GitHub allows",
			files: approvals(`x: {when: ["grade"], from: ["` + strings.Repeat("a", 40) + `"]}`),
			want:  []string{`approval rule "x": "` + strings.Repeat("a", 40) + `" is not a GitHub login`},
		},
		{
			name:  "approval rule with a count of 0",
			files: approvals(`x: {when: ["grade"], from: ["octocat"], count: 0}`),
			want:  []string{"DIR/policy.cue:LAST:", "policy.approvals.x.count: invalid value 0 (out of bound >=1)"},
		},
		{
			name:  "approval rule with ** inside a segment",
			files: approvals(`x: {when: ["grade"], from: ["octocat"], families: ["engineering/**x"]}`),
			want:  []string{`policy.approvals.x.families.0: invalid value "engineering/**x"`},
		},
		{
			name:  "approval rule with an upper-case family pattern",
			files: approvals(`x: {when: ["grade"], from: ["octocat"], families: ["Engineering/*"]}`),
			want:  []string{`policy.approvals.x.families.0: invalid value "Engineering/*"`},
		},
		{
			name:  "every problem of the approval rules at once",
			files: approvals(`{a: {when: ["grades"], from: []}, b: {when: ["any"], from: ["@acme"]}}`),
			want: []string{`approval rule "a": "grades" is not a kind of change`, `approval rule "a": from names nobody`,
				`approval rule "b": "@acme" is not a team`},
		},
		{
			name:  "approval rule that needs more people than it names",
			files: approvals(`x: {when: ["grade"], from: ["octocat", "Octocat", "hubot"], count: 3}`),
			want:  []string{"policy in schema DIR: DIR/policy.cue:LAST:", `approval rule "x": needs 3 approvals but from lists 2 distinct people and no team, so nobody can meet it: lower count or add people or a team to from`},
		},
		{
			name: "no policy",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": "package jobfam\n\n#Family: {title?: string}\n"}
			},
			want: []string{"schema DIR declares no policy: add policy.cue"},
		},
		{
			name: "no #Family",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"policy.cue": policy(t), "url.cue": "package jobfam\n\n#URL: =~\"^https?://\"\n"}
			},
			want: []string{"schema DIR declares no #Family definition"},
		},
		{
			name: "files of different packages",
			files: func(t *testing.T) map[string]string {
				return map[string]string{"family.cue": family(t), "policy.cue": edit(t, policy(t), "package jobfam", "package other")}
			},
			want: []string{"schema DIR:", `package name "other" conflicts`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "schema")
			if tt.files != nil {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				writeTree(t, dir, tt.files(t))
			}
			s, err := LoadSchema(dir)
			if err == nil {
				t.Fatalf("LoadSchema: policy %+v, want an error", s.Policy)
			}
			last := 0
			if tt.files != nil {
				last = strings.Count(tt.files(t)["policy.cue"], "\n")
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "DIR", dir)
				w = strings.ReplaceAll(w, "LAST", strconv.Itoa(last))
				if !strings.Contains(err.Error(), w) {
					t.Errorf("LoadSchema error:\n%v\nwant it to contain:\n%s", err, w)
				}
			}
		})
	}
}

func TestLoadSchemaFileNotFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"family.cue": repoSchema(t, "family.cue")})
	p := filepath.Join(dir, "family.cue")
	if _, err := LoadSchema(p); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("LoadSchema(file) error = %v, want one saying it is not a folder", err)
	}
}

func TestLoadSchemaApprovals(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"family.cue": repoSchema(t, "family.cue"),
		"policy.cue": repoSchema(t, "policy.cue") + `
policy: approvals: {
	"total-rewards": {
		when: ["grade", "level-added"]
		from: ["@acme/total-rewards"]
		count: 2
	}
	"platform-leads": {
		when: ["any"]
		families: ["engineering/platform-*", "engineering/**"]
		from: ["octocat", "Hubot"]
	}
}
`,
	})
	s, err := LoadSchema(dir)
	if err != nil {
		t.Fatalf("LoadSchema: %v", err)
	}
	want := map[string]ApprovalRule{
		// A team may have any number of members, so a count above the
		// number of names is fine.
		"total-rewards": {When: []string{"grade", "level-added"}, From: []string{"@acme/total-rewards"}, Count: 2},
		// count defaults to 1.
		"platform-leads": {When: []string{"any"}, Families: []string{"engineering/platform-*", "engineering/**"}, From: []string{"octocat", "Hubot"}, Count: 1},
	}
	if diff := cmp.Diff(want, s.Policy.Approvals); diff != "" {
		t.Errorf("approvals (-want +got):\n%s", diff)
	}
}

// TestPolicyApprovalsExample keeps the example of approval rules that
// schema/policy.cue holds commented out valid: uncommented, it loads.
func TestPolicyApprovalsExample(t *testing.T) {
	src := repoSchema(t, "policy.cue")
	start := strings.Index(src, "\n// policy: approvals: {\n")
	if start < 0 {
		t.Fatal("schema/policy.cue: no commented-out example of policy.approvals")
	}
	var example strings.Builder
	for _, line := range strings.SplitAfter(src[start+1:], "\n") {
		if !strings.HasPrefix(line, "// ") {
			break
		}
		example.WriteString(strings.TrimPrefix(line, "// "))
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"family.cue": repoSchema(t, "family.cue"),
		"policy.cue": src + "\n" + example.String(),
	})
	s, err := LoadSchema(dir)
	if err != nil {
		t.Fatalf("LoadSchema with the example uncommented: %v\n%s", err, example.String())
	}
	if got := slices.Sorted(maps.Keys(s.Policy.Approvals)); !slices.Equal(got, []string{"platform-leads", "total-rewards"}) {
		t.Errorf("approval rules = %q, want the example's two", got)
	}
}
