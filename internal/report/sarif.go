package report

import (
	"io"
	"net/url"
	"path/filepath"

	"github.com/jobfam/jobfam/internal/diag"
)

// SARIF constants. The schema address is the one GitHub's examples use;
// code scanning accepts only version 2.1.0.
const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	toolName       = "jobfam"
	toolInfoURI    = "https://github.com/jobfam/jobfam"
	defaultRuleLvl = "error"
)

// sarifPrinter writes a SARIF 2.1.0 log for GitHub code scanning, which
// keeps findings as alerts across runs instead of only in one job's log.
//
// It writes only what code scanning uses. partialFingerprints are left
// out: the upload-sarif action computes them from the files when they are
// missing, and computing them here would mean reading every file again.
type sarifPrinter struct {
	rules []Rule
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// Results is never null: an empty array is how SARIF says "ran and
	// found nothing", which lets code scanning close earlier alerts.
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     *sarifMessage      `json:"shortDescription,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	// Region is nil for a finding about the whole file, which SARIF
	// expresses by giving the artifact alone.
	Region *sarifRegion `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

func (p sarifPrinter) Print(w io.Writer, findings []diag.Finding) error {
	if err := checkSeverities(findings); err != nil {
		return err
	}
	rules, index := p.driverRules(findings)
	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		r := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: f.Message},
			// Code scanning needs a location on every result to show it.
			Locations: []sarifLocation{sarifLocationOf(f.Pos)},
		}
		for _, pos := range f.Related {
			r.RelatedLocations = append(r.RelatedLocations, sarifLocationOf(pos))
		}
		results = append(results, r)
	}
	return writeJSON(w, sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				InformationURI: toolInfoURI,
				Rules:          rules,
			}},
			Results: results,
		}},
	})
}

// driverRules returns the rules to list and the index of each rule id in
// that list. Every rule the printer was given is listed, with or without
// findings, so that an alert's rule description does not come and go. A
// finding whose rule was not given (such as a loader error) gets an entry
// of its own at the end, so that every ruleIndex points at its rule.
//
// A rule's default level is the level of its first finding, which is how
// this run configured it, else the rule's own Level, else "error".
func (p sarifPrinter) driverRules(findings []diag.Finding) ([]sarifRule, map[string]int) {
	level := make(map[string]string)
	for _, f := range findings {
		if _, ok := level[f.Rule]; !ok {
			level[f.Rule] = sarifLevel(f.Severity)
		}
	}
	for _, r := range p.rules {
		if _, ok := level[r.ID]; !ok && r.Level != "" {
			level[r.ID] = r.Level
		}
	}
	levelOf := func(id string) string {
		if l, ok := level[id]; ok {
			return l
		}
		return defaultRuleLvl
	}

	rules := make([]sarifRule, 0, len(p.rules))
	index := make(map[string]int)
	for _, r := range p.rules {
		if _, ok := index[r.ID]; ok {
			continue // A repeated id would make ruleIndex ambiguous.
		}
		sr := sarifRule{ID: r.ID, HelpURI: r.HelpURI, DefaultConfiguration: sarifConfiguration{Level: levelOf(r.ID)}}
		if r.Summary != "" {
			sr.ShortDescription = &sarifMessage{Text: r.Summary}
		}
		index[r.ID] = len(rules)
		rules = append(rules, sr)
	}
	for _, f := range findings {
		if _, ok := index[f.Rule]; ok {
			continue
		}
		index[f.Rule] = len(rules)
		rules = append(rules, sarifRule{ID: f.Rule, DefaultConfiguration: sarifConfiguration{Level: levelOf(f.Rule)}})
	}
	return rules, index
}

// sarifLevel maps a severity to a SARIF level; SARIF calls info "note".
func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Warning:
		return "warning"
	case diag.Info:
		return "note"
	default:
		return "error"
	}
}

func sarifLocationOf(pos diag.Pos) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: sarifURI(pos.File)},
	}}
	if pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Col}
	}
	return loc
}

// sarifURI turns a relative file path into the relative URI reference that
// SARIF requires: forward slashes, and characters such as spaces
// percent-encoded. Code scanning resolves it against the repository root.
func sarifURI(path string) string {
	u := url.URL{Path: filepath.ToSlash(path)}
	return u.String()
}
