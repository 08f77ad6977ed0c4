// Package report prints validation findings for people and for machines.
//
// Each output format is a Printer, chosen by name with New, so that the
// command line only has to pass a flag value through and every format is
// tested the same way. The printers do not sort, filter or relativise
// findings: the caller has already done that, so that all formats agree on
// which findings exist and in what order. They only decide how a finding is
// spelled, because each consumer (a terminal, a script, GitHub Actions,
// GitHub code scanning) reads a different syntax and fails in its own way
// when that syntax is not followed exactly.
package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/jobfam/jobfam/internal/diag"
)

// Rule describes a rule for formats that list rules (SARIF).
type Rule struct {
	ID, Summary, HelpURI string
	// Level is the rule's default SARIF level ("error", "warning", "note"
	// or "none"); empty means "error".
	Level string
}

// Printer writes findings in one output format.
type Printer interface {
	// Print writes findings to w in the order given. It returns the first
	// error from w, or an error if a finding cannot be represented.
	Print(w io.Writer, findings []diag.Finding) error
}

// Formats lists the format names, for help text.
var Formats = []string{"text", "json", "github", "sarif"}

// New returns the printer for format: "text", "json", "github", "sarif".
// Rules are listed by formats that describe the rules they ran (SARIF); the
// other formats ignore them.
func New(format string, rules []Rule) (Printer, error) {
	switch format {
	case "text":
		return textPrinter{}, nil
	case "json":
		return jsonPrinter{}, nil
	case "github":
		return githubPrinter{}, nil
	case "sarif":
		// The printer keeps its own copy so that a caller reusing its
		// slice cannot change the rules of a printer already made.
		return sarifPrinter{rules: slices.Clone(rules)}, nil
	}
	return nil, fmt.Errorf("unknown output format %q: want text, json, github or sarif", format)
}

// checkSeverities returns an error for the first finding whose severity is
// not one diag defines. Machine formats map severities to fixed words, and
// guessing a word for an unknown value could hide an error as a notice.
func checkSeverities(findings []diag.Finding) error {
	for _, f := range findings {
		switch f.Severity {
		case diag.Error, diag.Warning, diag.Info:
		default:
			return fmt.Errorf("finding %s: unknown severity %d", f.Pos, int(f.Severity))
		}
	}
	return nil
}
