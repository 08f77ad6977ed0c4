package report

import (
	"encoding/json"
	"io"
	"path/filepath"

	"github.com/jobfam/jobfam/internal/diag"
)

// jsonPrinter writes the findings as one JSON document for scripts. The
// shape is flat and stable: a consumer should not need to know diag's Go
// types to read it.
type jsonPrinter struct{}

type jsonDocument struct {
	// Findings is never null, so that consumers can iterate without a
	// nil check even when validation passed.
	Findings []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	File     string    `json:"file"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Rule     string    `json:"rule"`
	Severity string    `json:"severity"`
	Message  string    `json:"message"`
	Related  []jsonPos `json:"related,omitempty"`
}

// jsonPos is a position. A zero line means the whole file, as in diag.Pos.
type jsonPos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (jsonPrinter) Print(w io.Writer, findings []diag.Finding) error {
	if err := checkSeverities(findings); err != nil {
		return err
	}
	doc := jsonDocument{Findings: make([]jsonFinding, 0, len(findings))}
	for _, f := range findings {
		jf := jsonFinding{
			File:     filepath.ToSlash(f.Pos.File),
			Line:     f.Pos.Line,
			Column:   f.Pos.Col,
			Rule:     f.Rule,
			Severity: f.Severity.String(),
			Message:  f.Message,
		}
		for _, p := range f.Related {
			jf.Related = append(jf.Related, jsonPos{File: filepath.ToSlash(p.File), Line: p.Line, Column: p.Col})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	return writeJSON(w, doc)
}

// writeJSON writes v indented by two spaces with a trailing newline. HTML
// escaping is off because the output is read by programs and people, not
// embedded in web pages, and "\u003c" would only make messages harder to
// read.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
