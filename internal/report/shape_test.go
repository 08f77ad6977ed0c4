package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

// The shape tests decode the machine formats with encoding/json, as a
// consumer would, so that a golden file cannot bless a document that does
// not parse or has the wrong structure.

func TestJSONShape(t *testing.T) {
	var doc struct {
		Findings []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Related  []struct {
				File   string `json:"file"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(printOut(t, "json", nil, testFindings), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	if len(doc.Findings) != len(testFindings) {
		t.Fatalf("got %d findings; want %d", len(doc.Findings), len(testFindings))
	}
	for i, f := range testFindings {
		got := doc.Findings[i]
		if got.File != f.Pos.File || got.Line != f.Pos.Line || got.Column != f.Pos.Col ||
			got.Rule != f.Rule || got.Severity != f.Severity.String() || got.Message != f.Message {
			t.Errorf("finding %d = %+v; want %v", i, got, f)
		}
		if len(got.Related) != len(f.Related) {
			t.Errorf("finding %d has %d related positions; want %d", i, len(got.Related), len(f.Related))
		}
	}
}

func TestJSONEmptyIsArray(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(printOut(t, "json", nil, nil), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	if diff := cmp.Diff(map[string]any{"findings": []any{}}, doc); diff != "" {
		t.Errorf("empty json document (-want +got):\n%s", diff)
	}
}

func TestJSONOmitsEmptyRelated(t *testing.T) {
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	one := []diag.Finding{{Pos: diag.Pos{File: "a.cue", Line: 1, Col: 2}, Rule: "r", Severity: diag.Warning, Message: "m"}}
	if err := json.Unmarshal(printOut(t, "json", nil, one), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	want := []map[string]any{{"file": "a.cue", "line": 1.0, "column": 2.0, "rule": "r", "severity": "warning", "message": "m"}}
	if diff := cmp.Diff(want, doc.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// sarifDoc is the part of a SARIF log that code scanning reads.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations        []sarifLoc `json:"locations"`
			RelatedLocations []sarifLoc `json:"relatedLocations"`
		} `json:"results"`
	} `json:"runs"`
}

type sarifLoc struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

func decodeSARIF(t *testing.T, rules []Rule, findings []diag.Finding) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(printOut(t, "sarif", rules, findings), &doc); err != nil {
		t.Fatalf("sarif output does not parse: %v", err)
	}
	if doc.Version != "2.1.0" || doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("version, $schema = %q, %q; want 2.1.0 and the schemastore address", doc.Version, doc.Schema)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("got %d runs; want 1", len(doc.Runs))
	}
	return doc
}

func TestSARIFShape(t *testing.T) {
	doc := decodeSARIF(t, testRules, testFindings)
	run := doc.Runs[0]
	if run.Tool.Driver.Name != "jobfam" {
		t.Errorf("driver name = %q; want jobfam", run.Tool.Driver.Name)
	}
	var gotIDs, wantIDs []string
	for _, r := range run.Tool.Driver.Rules {
		gotIDs = append(gotIDs, r.ID)
	}
	for _, r := range testRules {
		wantIDs = append(wantIDs, r.ID)
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}

	type loc struct {
		URI             string
		Line, Col       int
		HasRegion       bool
		Related         int
		RuleIndexPoints bool
		Level           string
	}
	var got []loc
	for _, r := range run.Results {
		if len(r.Locations) != 1 {
			t.Fatalf("result %q has %d locations; want 1", r.Message.Text, len(r.Locations))
		}
		pl := r.Locations[0].PhysicalLocation
		l := loc{
			URI:             pl.ArtifactLocation.URI,
			HasRegion:       pl.Region != nil,
			Related:         len(r.RelatedLocations),
			RuleIndexPoints: r.RuleIndex >= 0 && r.RuleIndex < len(run.Tool.Driver.Rules) && run.Tool.Driver.Rules[r.RuleIndex].ID == r.RuleID,
			Level:           r.Level,
		}
		if pl.Region != nil {
			l.Line, l.Col = pl.Region.StartLine, pl.Region.StartColumn
		}
		got = append(got, l)
	}
	want := []loc{
		{URI: "families/engineering.cue", RuleIndexPoints: true, Level: "error"},
		{URI: "families/engineering.cue", Line: 12, Col: 3, HasRegion: true, Related: 1, RuleIndexPoints: true, Level: "error"},
		{URI: "families/engineering.cue", Line: 20, Col: 5, HasRegion: true, RuleIndexPoints: true, Level: "warning"},
		{URI: "families/sales.cue", Line: 4, Col: 1, HasRegion: true, RuleIndexPoints: true, Level: "note"},
		{URI: "families/sales.cue", Line: 9, Col: 7, HasRegion: true, Related: 2, RuleIndexPoints: true, Level: "error"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

func TestSARIFEmptyHasResultsArray(t *testing.T) {
	var doc struct {
		Runs []map[string]any `json:"runs"`
	}
	if err := json.Unmarshal(printOut(t, "sarif", testRules, nil), &doc); err != nil {
		t.Fatalf("sarif output does not parse: %v", err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("got %d runs; want 1", len(doc.Runs))
	}
	if diff := cmp.Diff([]any{}, doc.Runs[0]["results"]); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// TestSARIFRuleNotGiven checks that a finding from a rule the caller did
// not list still gets a rule entry, so that its ruleIndex is valid.
func TestSARIFRuleNotGiven(t *testing.T) {
	findings := []diag.Finding{
		{Pos: diag.Pos{File: "a.cue", Line: 1, Col: 1}, Rule: "cue-syntax", Severity: diag.Error, Message: "expected '}'"},
		{Pos: diag.Pos{File: "b.cue", Line: 2, Col: 1}, Rule: "grade-order", Severity: diag.Warning, Message: "m"},
		{Pos: diag.Pos{File: "c.cue", Line: 3, Col: 1}, Rule: "cue-syntax", Severity: diag.Error, Message: "expected '{'"},
	}
	doc := decodeSARIF(t, []Rule{{ID: "grade-order"}}, findings)
	run := doc.Runs[0]
	type rule struct{ ID, Level string }
	var gotRules []rule
	for _, r := range run.Tool.Driver.Rules {
		gotRules = append(gotRules, rule{r.ID, r.DefaultConfiguration.Level})
	}
	wantRules := []rule{{"grade-order", "warning"}, {"cue-syntax", "error"}}
	if diff := cmp.Diff(wantRules, gotRules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	var gotIndex []int
	for _, r := range run.Results {
		gotIndex = append(gotIndex, r.RuleIndex)
	}
	if diff := cmp.Diff([]int{1, 0, 1}, gotIndex); diff != "" {
		t.Errorf("ruleIndex (-want +got):\n%s", diff)
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"families/engineering.cue", "families/engineering.cue"},
		{"families/data eng.cue", "families/data%20eng.cue"},
		{"families/r&d #1.cue", "families/r&d%20%231.cue"},
		// A colon in the first segment would read as a URI scheme.
		{"a:b.cue", "./a:b.cue"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, sarifURI(tt.in)); diff != "" {
			t.Errorf("sarifURI(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
