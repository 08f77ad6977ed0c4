package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
)

// githubPrinter writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request:
//
//	::error file=PATH,line=L,col=C,title=RULE::MESSAGE
//
// Related positions have no place in this syntax and are left out; the
// json and SARIF formats carry them.
type githubPrinter struct{}

func (githubPrinter) Print(w io.Writer, findings []diag.Finding) error {
	if err := checkSeverities(findings); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, f := range findings {
		buf.WriteString(githubCommand(f))
		buf.WriteByte('\n')
	}
	if buf.Len() == 0 {
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// githubCommand formats one finding as a workflow command. Line and column
// are left out for a finding about the whole file, so that GitHub
// annotates the file rather than a made-up first line.
func githubCommand(f diag.Finding) string {
	props := []string{"file=" + EscapeProperty(filepath.ToSlash(f.Pos.File))}
	if f.Pos.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", f.Pos.Line))
		if f.Pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Pos.Col))
		}
	}
	props = append(props, "title="+EscapeProperty(f.Rule))
	return fmt.Sprintf("::%s %s::%s", githubCommandName(f.Severity), strings.Join(props, ","), EscapeData(f.Message))
}

// githubCommandName returns the command for a severity. GitHub has no
// "info" annotation; "notice" is the closest.
func githubCommandName(s diag.Severity) string {
	switch s {
	case diag.Warning:
		return "warning"
	case diag.Info:
		return "notice"
	default:
		return "error"
	}
}

// The escapes are those of the actions/toolkit functions EscapeData and
// EscapeProperty, which the runner undoes. A newline would otherwise end
// the command early, and in a property a ":" or "," would end the value.
// strings.Replacer makes a single pass, so "%" is never escaped twice.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// EscapeData escapes the message part of a workflow command.
func EscapeData(s string) string { return dataEscaper.Replace(s) }

// EscapeProperty escapes a property value of a workflow command.
func EscapeProperty(s string) string { return propertyEscaper.Replace(s) }
