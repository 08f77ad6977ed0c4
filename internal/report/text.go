package report

import (
	"bytes"
	"io"

	"github.com/jobfam/jobfam/internal/diag"
)

// textPrinter writes one line per finding in the compiler style
// "path:line:col: message [rule]", which editors and terminals turn into
// links. It writes nothing when there are no findings, because the validate
// command is silent on success and lets its exit code speak.
type textPrinter struct{}

func (textPrinter) Print(w io.Writer, findings []diag.Finding) error {
	var buf bytes.Buffer
	for _, f := range findings {
		buf.WriteString(f.String())
		buf.WriteByte('\n')
	}
	if buf.Len() == 0 {
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}
