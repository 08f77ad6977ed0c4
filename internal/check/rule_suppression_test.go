package check

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// twoLevels has a grade-order finding on line 12 (the staff grade), with
// room for a comment on line 11.
func twoLevels(comment string) string {
	return fam("Example", level("senior", "Senior Engineer", 7, "")+
		"\t\"staff\": {\n\t\ttitle: \"Staff Engineer\"\n"+comment+"\t\tgrade: 7\n"+
		"\t\tresponsibilities: [\"x\"]\n\t\trequirements: [\"y\"]\n\t}\n", ladder)
}

func TestSuppression(t *testing.T) {
	tests := []struct {
		name                string
		comment             string
		wantFindings        []string
		wantSuppressedRules []string
	}{
		{
			name:         "no comment",
			wantFindings: []string{"grade-order"},
		},
		{
			name:                "silenced with a reason",
			comment:             "\t\t// jobfam:ignore grade-order both are on the same band until the review\n",
			wantSuppressedRules: []string{"grade-order"},
		},
		{
			name:         "another rule silences nothing",
			comment:      "\t\t// jobfam:ignore extends the finding is of another rule\n",
			wantFindings: []string{"grade-order"},
		},
		{
			name:         "no reason",
			comment:      "\t\t// jobfam:ignore grade-order\n",
			wantFindings: []string{"suppression", "grade-order"},
		},
		{
			name:         "unknown rule",
			comment:      "\t\t// jobfam:ignore grade-ordre typo\n",
			wantFindings: []string{"suppression", "grade-order"},
		},
		{
			name:         "the text inside a string is not a comment",
			comment:      "\t\tintro: \"// jobfam:ignore grade-order not a comment\"\n",
			wantFindings: []string{"grade-order"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fams, env := loadOne(t, twoLevels(tt.comment))
			found, silenced := Family(env, fams[0])
			if diff := cmp.Diff(tt.wantFindings, rules(found)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSuppressedRules, rules(silenced)); diff != "" {
				t.Errorf("suppressed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicySeverities(t *testing.T) {
	fams, env := loadOne(t, twoLevels(""))
	tests := []struct {
		severity string
		want     []diag.Severity
	}{
		{"", []diag.Severity{diag.Error}},
		{"warning", []diag.Severity{diag.Warning}},
		{"info", []diag.Severity{diag.Info}},
		{"off", nil},
	}
	for _, tt := range tests {
		env.Policy.Rules = nil
		if tt.severity != "" {
			env.Policy.Rules = map[string]struct {
				Severity string `json:"severity"`
			}{"grade-order": {Severity: tt.severity}}
		}
		if err := CheckPolicy(env.Policy); err != nil {
			t.Fatalf("%q: %v", tt.severity, err)
		}
		found, _ := Family(env, fams[0])
		var got []diag.Severity
		for _, f := range found {
			got = append(got, f.Severity)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("severity %q (-want +got):\n%s", tt.severity, diff)
		}
	}
	env.Policy.Rules = map[string]struct {
		Severity string `json:"severity"`
	}{"grade-ordr": {Severity: "off"}}
	if err := CheckPolicy(env.Policy); err == nil || err.Error() != `policy.rules names unknown rule "grade-ordr": did you mean "grade-order"?` {
		t.Errorf("CheckPolicy(unknown rule) = %v", err)
	}
	env.Policy.Rules = map[string]struct {
		Severity string `json:"severity"`
	}{"grade-order": {Severity: "fatal"}}
	if err := CheckPolicy(env.Policy); err == nil {
		t.Error("CheckPolicy(unknown severity) succeeded")
	}
}

func loadOne(t *testing.T, src string) ([]*family.Family, *Env) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b.cue")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), dir, s)
	if err != nil || len(res.Families) != 1 || len(res.Findings) != 0 {
		t.Fatalf("load: %v %v", err, res.Findings)
	}
	return res.Families, &Env{Policy: &s.Policy, IDs: res.IDs}
}

func rules(fs []diag.Finding) []string {
	var out []string
	for _, f := range diag.Sort(fs) {
		out = append(out, f.Rule)
	}
	return out
}
