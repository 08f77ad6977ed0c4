package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testRules are the rules the SARIF golden file lists. "unique-title" has
// no finding, to show that every rule given is listed.
var testRules = []Rule{
	{ID: "data-only", Summary: "Family files hold data, not code", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#data-only"},
	{ID: "grade-order", Summary: "Levels are listed in ascending grade order", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#grade-order"},
	{ID: "level-summary", Summary: "Every level has a summary", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#level-summary"},
	{ID: "salary-band", Summary: "Salary bands are well formed", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#salary-band"},
	{ID: "schema", Summary: "Families match the schema", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#schema"},
	{ID: "unique-title", Summary: "Level titles are unique in a family", HelpURI: "https://github.com/jobfam/jobfam/blob/main/docs/rules.md#unique-title"},
}

// testFindings cover every severity, a whole-file finding, related
// positions and a message that needs escaping in workflow commands. They
// are sorted, as the printers expect.
var testFindings = []diag.Finding{
	{
		Pos:      diag.Pos{File: "families/engineering.cue"},
		Rule:     "data-only",
		Severity: diag.Error,
		Message:  `file is not data-only: found import "strings"`,
	},
	{
		Pos:      diag.Pos{File: "families/engineering.cue", Line: 12, Col: 3},
		Rule:     "grade-order",
		Severity: diag.Error,
		Message:  `grade "L3" comes after "L4"; list levels in ascending order`,
		Related:  []diag.Pos{{File: "families/engineering.cue", Line: 8, Col: 3}},
	},
	{
		Pos:      diag.Pos{File: "families/engineering.cue", Line: 20, Col: 5},
		Rule:     "salary-band",
		Severity: diag.Warning,
		Message:  "salary band \"50%, 60%\" is not a range: write min:max\nsee docs/rules.md",
	},
	{
		Pos:      diag.Pos{File: "families/sales.cue", Line: 4, Col: 1},
		Rule:     "level-summary",
		Severity: diag.Info,
		Message:  `level "Senior" has no summary`,
	},
	{
		Pos:      diag.Pos{File: "families/sales.cue", Line: 9, Col: 7},
		Rule:     "schema",
		Severity: diag.Error,
		Message:  `track: value "ic" is not one of "IC", "Manager"`,
		Related: []diag.Pos{
			{File: "schema/family.cue", Line: 14, Col: 10},
			{File: "schema/policy.cue"},
		},
	},
}

// printOut runs the printer for format and returns what it wrote.
func printOut(t *testing.T, format string, rules []Rule, findings []diag.Finding) []byte {
	t.Helper()
	p, err := New(format, rules)
	if err != nil {
		t.Fatalf("New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := p.Print(&buf, findings); err != nil {
		t.Fatalf("%s printer: Print: %v", format, err)
	}
	return buf.Bytes()
}

// TestGolden prints the same findings in every format and compares the
// output with testdata/<name>.golden. Run `go test ./internal/report
// -update` to rewrite the files after an intended change, then review the
// diff; never edit them by hand.
func TestGolden(t *testing.T) {
	type goldenCase struct {
		name     string
		format   string
		findings []diag.Finding
	}
	var tests []goldenCase
	for _, format := range Formats {
		tests = append(tests, goldenCase{name: format, format: format, findings: testFindings})
	}
	// The machine formats must still be valid documents without findings.
	tests = append(tests,
		goldenCase{name: "json-empty", format: "json"},
		goldenCase{name: "sarif-empty", format: "sarif"},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := printOut(t, tt.format, testRules, tt.findings)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s output mismatch (-want +got):\n%s", tt.format, diff)
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, format := range Formats {
		if p, err := New(format, nil); err != nil || p == nil {
			t.Errorf("New(%q) = %v, %v; want a printer", format, p, err)
		}
	}
	tests := []struct {
		format  string
		wantErr string
	}{
		{"xml", `unknown output format "xml": want text, json, github or sarif`},
		{"", `unknown output format "": want text, json, github or sarif`},
		{"JSON", `unknown output format "JSON": want text, json, github or sarif`},
	}
	for _, tt := range tests {
		_, err := New(tt.format, nil)
		if err == nil {
			t.Errorf("New(%q) succeeded; want error %q", tt.format, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
			t.Errorf("New(%q) error (-want +got):\n%s", tt.format, diff)
		}
	}
}

// TestTextIsFindingString pins the text format to diag.Finding.String, so
// that the two cannot drift apart.
func TestTextIsFindingString(t *testing.T) {
	var want string
	for _, f := range testFindings {
		want += f.String() + "\n"
	}
	got := string(printOut(t, "text", nil, testFindings))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("text output (-want +got):\n%s", diff)
	}
}

// TestLineFormatsSilentWithoutFindings checks that the line-oriented
// formats write nothing at all on success.
func TestLineFormatsSilentWithoutFindings(t *testing.T) {
	for _, format := range []string{"text", "github"} {
		for _, findings := range [][]diag.Finding{nil, {}} {
			if got := printOut(t, format, testRules, findings); len(got) != 0 {
				t.Errorf("%s printer wrote %q for no findings; want nothing", format, got)
			}
		}
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestPrintReturnsWriteError(t *testing.T) {
	for _, format := range Formats {
		p, err := New(format, testRules)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Print(failingWriter{}, testFindings); !errors.Is(err, errWrite) {
			t.Errorf("%s printer: Print to a failing writer = %v; want %v", format, err, errWrite)
		}
	}
}

func TestPrintRejectsUnknownSeverity(t *testing.T) {
	bad := []diag.Finding{{Pos: diag.Pos{File: "a.cue", Line: 1, Col: 1}, Rule: "r", Severity: diag.Severity(7), Message: "m"}}
	for _, format := range []string{"json", "github", "sarif"} {
		p, err := New(format, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := p.Print(&buf, bad); err == nil {
			t.Errorf("%s printer accepted severity 7; want an error", format)
		}
		if buf.Len() != 0 {
			t.Errorf("%s printer wrote %q before failing; want nothing", format, buf.String())
		}
	}
}
