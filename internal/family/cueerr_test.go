package family

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jobfam/jobfam/internal/diag"
)

// loadFamily loads src as the only family of a folder, as d/x.cue, with
// the embedded schema, and returns the file's path and the result.
func loadFamily(t *testing.T, src string) (string, *Result) {
	t.Helper()
	return loadFamilyWith(t, embeddedSchema(t), src)
}

func loadFamilyWith(t *testing.T, s *Schema, src string) (string, *Result) {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"d/x.cue": src})
	res, err := Load(context.Background(), dir, s)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return filepath.Join(dir, "d", "x.cue"), res
}

// repositorySchema is the repository's schema folder, loaded once. Unlike
// the embedded schema, whose positions mean nothing to people, its
// positions are kept as related information.
var repositorySchema = sync.OnceValues(func() (*Schema, error) { return LoadSchema(filepath.Join("..", "..", "schema")) })

// relatedText shows where a related position points: "data 1:8" in the
// family file, or the schema file's name and its text from that column on,
// so that the test pins the constraint the finding refers to, not the line
// numbers of the schema's comments.
func relatedText(t *testing.T, file string, ps []diag.Pos) []string {
	t.Helper()
	var out []string
	for _, p := range ps {
		if p.File == file {
			out = append(out, "data "+strings.TrimPrefix(p.String(), file+":"))
			continue
		}
		if filepath.Dir(p.File) != filepath.Join("..", "..", "schema") {
			t.Errorf("related position %v is neither in the family file nor in the schema folder", p)
			continue
		}
		src, err := os.ReadFile(p.File)
		if err != nil {
			t.Errorf("related position %v: %v", p, err)
			continue
		}
		lines := strings.Split(string(src), "\n")
		if p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
			t.Errorf("related position %v is outside %s", p, p.File)
			continue
		}
		out = append(out, filepath.Base(p.File)+": "+strings.TrimSpace(lines[p.Line-1][p.Col-1:]))
	}
	return out
}

func TestSchemaFindings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// want are the findings without their related positions, which
		// wantRelated gives for each finding in turn.
		want        func(file string) []diag.Finding
		wantRelated [][]string
	}{
		{
			name: "unknown field with a suggestion",
			src:  "title: \"X\"\ndescriptoin: \"d\"\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 1, `unknown field "descriptoin" in the family: did you mean "description"?`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "unknown field in a level, once for the field and not for its items",
			src:  "levels: {\n\tsenior: {\n\t\tresponsibilites: [\n\t\t\t\"a\",\n\t\t\t\"b\",\n\t\t]\n\t}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 3, 3, `unknown field "responsibilites" in level "senior": did you mean "responsibilities"?`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "unknown field with nothing close lists the allowed fields",
			src:  "levels: senior: extends: {\n\tbullets: \"associate\"\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 2, `unknown field "bullets" in extends of level "senior": the fields allowed here are "responsibilities", "requirements"`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "unknown field in a list item",
			src:  "sections: [\n\t{heading: \"H\", bdy: \"B\"},\n]\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 17, `unknown field "bdy" in item 1 of sections: did you mean "body"?`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "unknown level id",
			src:  "levels: {\n\tsenior: {grade: 7}\n\tSenior_Manager: {grade: 9}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 3, 2, `level id "Senior_Manager" is not valid: use lowercase letters, digits and hyphens, like "senior-manager"`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "wrong type: a string for a grade",
			src:  "levels: {\n\tsenior: {\n\t\tgrade: \"7\"\n\t}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 3, 10, `grade of level "senior" must be a whole number, not a string`)}
			},
			wantRelated: [][]string{{"family.cue: #Level", "family.cue: int & >=policy.grades.min & <=policy.grades.max"}},
		},
		{
			name: "wrong type: a decimal number for a grade",
			src:  "levels: senior: grade: 7.5\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 24, `grade of level "senior" must be a whole number, not a decimal number`)}
			},
			wantRelated: [][]string{{"family.cue: #Level", "family.cue: int & >=policy.grades.min & <=policy.grades.max"}},
		},
		{
			name: "wrong type: a number for a title",
			src:  "\ntitle: 42\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 8, "title must be a string, not a whole number")}
			},
			wantRelated: [][]string{{"family.cue: #Text", `family.cue: string & !~"\n"`}},
		},
		{
			name: "wrong type: a list for levels",
			src:  "levels: [\"senior\"]\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 9, "levels must be a struct, not a list")}
			},
			wantRelated: [][]string{{"family.cue: [#LevelID]: #Level"}},
		},
		{
			name: "wrong type: a string for a list",
			src:  "hiringProcess: {\n\tsteps: \"call us\"\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 9, "steps of hiringProcess must be a list, not a string")}
			},
			wantRelated: [][]string{{"family.cue: #HiringProcess", "family.cue: [...#Markdown]"}},
		},
		{
			name: "wrong type: a number in a list of strings",
			src:  "careerLadder: next: [\"finance/manager-it\", 7]\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 44, "item 2 of next of careerLadder must be a string, not a whole number")}
			},
			wantRelated: [][]string{{"family.cue: #CareerLadder", "family.cue: string]"}},
		},
		{
			name: "grade above the scale",
			src:  "levels: senior: {\n\tgrade: 16\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 9, `grade of level "senior" is 16, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`)}
			},
			wantRelated: [][]string{{"family.cue: <=policy.grades.max"}},
		},
		{
			name: "grade below the scale",
			src:  "levels: senior: {\n\tgrade: 3\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 9, `grade of level "senior" is 3, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`)}
			},
			wantRelated: [][]string{{"family.cue: >=policy.grades.min & <=policy.grades.max"}},
		},
		{
			name: "unknown track",
			src:  "levels: {\n\tmanager: {\n\t\ttrack: \"manager\"\n\t}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 3, 10, `track of level "manager" is "manager", which is not one of "individual", "management"`)}
			},
			wantRelated: [][]string{nil},
		},
		{
			name: "multi-line title",
			src:  "title: \"\"\"\n\tIT Program\n\tManagement Office\n\t\"\"\"\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 8, "title must be a single line: remove the line breaks")}
			},
			wantRelated: [][]string{{`family.cue: !~"\n"`, "family.cue: #Text"}},
		},
		{
			name: "multi-line level title",
			src:  "levels: senior: title: \"Senior\\nManager\"\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 24, `title of level "senior" must be a single line: remove the line breaks`)}
			},
			wantRelated: [][]string{{`family.cue: !~"\n"`, "family.cue: #Text"}},
		},
		{
			name: "URL without a scheme",
			src:  "performanceIndicators: [\n\t{title: \"T\", url: \"example.com/kpi\"},\n]\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 20, `url of item 1 of performanceIndicators is "example.com/kpi", which is not an absolute http or https URL: write it in full, like "https://example.com/page"`)}
			},
			wantRelated: [][]string{{`family.cue: =~"^https?://[^\\s]+$"`, "family.cue: #URL"}},
		},
		{
			name: "null for a level",
			src:  "levels: senior: null\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 1, 17, `level "senior" must be a struct, not null`)}
			},
			wantRelated: [][]string{{"family.cue: #Level", "family.cue: {"}},
		},
		{
			name: "field set twice",
			src:  "title: \"IT\"\ndescription: \"d\"\ntitle: \"IT PMO\"\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 3, 1, `field "title" is already set at line 1: keep one of the two`)}
			},
			wantRelated: [][]string{{"data 1:1"}},
		},
		{
			name: "field set twice to the same value, which CUE accepts",
			src:  "title: \"IT\"\ntitle: \"IT\"\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 1, `field "title" is already set at line 1: keep one of the two`)}
			},
			wantRelated: [][]string{{"data 1:1"}},
		},
		{
			name: "field of a level set twice",
			src:  "levels: senior: grade: 7\nlevels: senior: grade: 8\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{finding(RuleSchema, f, 2, 17, `field "grade" is already set at line 1: keep one of the two`)}
			},
			wantRelated: [][]string{{"data 1:17"}},
		},
		{
			name: "several findings in one file",
			src:  "title: 7\nlevels: {\n\tsenior: {grade: 99, track: \"ic\"}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{
					finding(RuleSchema, f, 1, 8, "title must be a string, not a whole number"),
					finding(RuleSchema, f, 3, 18, `grade of level "senior" is 99, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`),
					finding(RuleSchema, f, 3, 29, `track of level "senior" is "ic", which is not one of "individual", "management"`),
				}
			},
			wantRelated: [][]string{{"family.cue: #Text", `family.cue: string & !~"\n"`}, {"family.cue: <=policy.grades.max"}, nil},
		},
		{
			name: "unknown top-level field beside another error",
			src:  "titel: \"X\"\nlevels: senior: grade: 99\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{
					finding(RuleSchema, f, 1, 1, `unknown field "titel" in the family: did you mean "title"?`),
					finding(RuleSchema, f, 2, 24, `grade of level "senior" is 99, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`),
				}
			},
			wantRelated: [][]string{nil, {"family.cue: <=policy.grades.max"}},
		},
		{
			name: "unknown field in a level beside another error",
			src:  "levels: {\n\ta: {grade: 99}\n\tb: {titel: \"B\"}\n}\n",
			want: func(f string) []diag.Finding {
				return []diag.Finding{
					finding(RuleSchema, f, 2, 13, `grade of level "a" is 99, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`),
					finding(RuleSchema, f, 3, 6, `unknown field "titel" in level "b": did you mean "title"?`),
				}
			},
			wantRelated: [][]string{{"family.cue: <=policy.grades.max"}, nil},
		},
	}
	s, err := repositorySchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, res := loadFamilyWith(t, s, tt.src)
			got := sorted(res.Findings)
			if diff := cmp.Diff(tt.want(file), got, cmpopts.IgnoreFields(diag.Finding{}, "Related")); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			var related [][]string
			for _, f := range got {
				related = append(related, relatedText(t, file, f.Related))
			}
			if diff := cmp.Diff(tt.wantRelated, related); diff != "" {
				t.Errorf("related positions (-want +got):\n%s", diff)
			}
			// A family with schema errors is still loaded, with the values
			// of the right type, for the other rules.
			if len(res.Families) != 1 {
				t.Errorf("families = %v, want the one family", familyIDs(res))
			}
		})
	}
}

// TestSchemaFindingsKeepWellTypedValues checks that the model leaves out a
// value of the wrong type, so rules never read a grade that is a string.
func TestSchemaFindingsKeepWellTypedValues(t *testing.T) {
	_, res := loadFamily(t, "title: 1\nlevels: {\n\ta: {title: \"A\", grade: \"5\"}\n\tb: {title: [\"B\"], grade: 6}\n}\n")
	if len(res.Families) != 1 {
		t.Fatalf("families = %v, want one", familyIDs(res))
	}
	f := res.Families[0]
	if f.Title.Set() {
		t.Errorf("Title = %+v, want unset: it is not a string", f.Title)
	}
	type level struct {
		ID, Title   string
		TitleSet    bool
		Grade       int
		GradeSet    bool
		Track       string
		TrackInFile bool
	}
	var got []level
	for _, l := range f.Levels {
		got = append(got, level{l.ID, l.Title.Value, l.Title.Set(), l.Grade.Value, l.Grade.Set(), l.Track.Value, l.Track.Set()})
	}
	want := []level{
		{ID: "a", Title: "A", TitleSet: true, Track: "individual"},
		{ID: "b", Grade: 6, GradeSet: true, Track: "individual"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
}

// TestSchemaFindingsEmbeddedSchema checks that findings against the schema
// built into jobfam point only into the family: the built-in schema's
// positions are in no file people can open.
func TestSchemaFindingsEmbeddedSchema(t *testing.T) {
	file, res := loadFamily(t, "title: 1\nlevels: senior: grade: 99\ntitle: 2\n")
	want := []diag.Finding{
		finding(RuleSchema, file, 1, 8, "title must be a string, not a whole number"),
		finding(RuleSchema, file, 2, 24, `grade of level "senior" is 99, outside the policy's grade scale of 4 to 15: use a grade in that range or change policy.grades`),
		finding(RuleSchema, file, 3, 1, `field "title" is already set at line 1: keep one of the two`),
	}
	want[2].Related = []diag.Pos{{File: file, Line: 1, Col: 1}}
	if diff := cmp.Diff(want, sorted(res.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestSchemaFindingBytes(t *testing.T) {
	_, res := loadFamily(t, "title: 'IT'\n")
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "a bytes") {
			t.Errorf("finding %q: %q is not English", f.Message, "a bytes")
		}
	}
}

// TestSchemaFindingExtendsID pins that a value breaking a pattern of the
// schema is explained in words, not with the pattern.
func TestSchemaFindingExtendsID(t *testing.T) {
	_, res := loadFamily(t, "levels: senior: extends: responsibilities: \"Associate IT\"\n")
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "=~") {
			t.Errorf("finding %q shows the schema's pattern", f.Message)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		path []string
		want string
	}{
		{nil, "the family"},
		{[]string{"title"}, "title"},
		{[]string{"levels", "senior"}, `level "senior"`},
		{[]string{"levels", "senior", "grade"}, `grade of level "senior"`},
		{[]string{"levels", "senior", "responsibilities", "0"}, `item 1 of responsibilities of level "senior"`},
		{[]string{"sections", "2", "body"}, "body of item 3 of sections"},
	}
	for _, tt := range tests {
		if got := describe(tt.path); got != tt.want {
			t.Errorf("describe(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestSchemaFindingsRepositoryFamiliesClean guards the translation against
// reporting anything on the repository's own families, field by field.
func TestSchemaFindingsRepositoryFamiliesClean(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "families", "*", "*.cue"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("repository families: %v, %v", paths, err)
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, res := loadFamily(t, string(src)); len(res.Findings) > 0 {
			t.Errorf("%s: findings %v, want none", p, res.Findings)
		}
	}
}
