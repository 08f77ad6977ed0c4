// Package diag defines findings: what a rule reports, where and how badly.
// It is a leaf package so that the loader, the rules and the printers can
// all speak about findings without depending on each other.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Severity says how much a finding matters. Only errors fail validation.
type Severity int

// The severities, from the most to the least serious.
const (
	Error Severity = iota
	Warning
	Info
)

var severityNames = [...]string{Error: "error", Warning: "warning", Info: "info"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity returns the severity named s ("error", "warning", "info").
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning or info", s)
}

// Pos is a position in a file. Line and Col count from 1; Col counts bytes,
// as CUE does. A zero Line means the finding is about the file as a whole.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Finding is one problem found in a file.
type Finding struct {
	Pos      Pos
	Rule     string
	Severity Severity
	// Message says what is wrong and, where it can, what to change. It is
	// lowercase, has no final period and quotes user values with %q.
	Message string
	// Related are secondary positions, such as the schema constraint a
	// value broke or the earlier definition a duplicate repeats.
	Related []Pos
}

// String formats f as "path:line:col: message [rule]".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s [%s]", f.Pos, f.Message, f.Rule)
}

// Compare orders findings by file, line, column, rule and message, so that
// output does not depend on the order in which files were checked.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts findings in place with Compare and drops exact duplicates.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return Compare(a, b) == 0 && a.Severity == b.Severity
	})
}

// HasErrors reports whether any finding is at error severity.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// InvalidUTF8 returns the line and byte column of the first byte of src
// that is not valid UTF-8, for findings about text in another encoding.
func InvalidUTF8(src []byte) (line, col int) {
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, i - lineStart + 1
		}
		if r == '\n' {
			line, lineStart = line+1, i+1
		}
		i += size
	}
	return line, 1
}
