// Package canon gives family files their canonical layout: the layout of
// CUE's own formatter, with the fields of every struct in the order in
// which the schema declares them. Two people who write the same family in
// a different order then commit the same file, and a diff shows changes of
// content, not of arrangement.
//
// Only the order of fields the schema declares changes. The order of the
// levels, which is their seniority, and of list items, is data; fields the
// schema does not know keep their order, after the known ones; comments
// move with the fields they describe.
package canon

import (
	"bytes"
	"errors"
	"fmt"

	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"

	"github.com/jobfam/jobfam/internal/family"
)

// Format returns the canonical layout of the family file src, read from
// filename, whose fields s declares. A byte-order mark is removed and CRLF
// line endings become LF, as the loader reads them. A file that is not
// valid CUE is refused with an error that starts "filename:line:col: ". A
// file with more than plain data is formatted too, since formatting is not
// validation, but a struct that holds anything other than fields, such as
// an embedded value or a comprehension, keeps its order.
//
// Format may be called concurrently. It builds the schema when it is given
// another one than the time before (about a millisecond), so a program
// that formats many files should use one schema for them.
func Format(filename string, src []byte, s *family.Schema) ([]byte, error) {
	o, err := orderFor(s)
	if err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	f, err := parser.ParseFile(filename, src, parser.ParseComments)
	if err != nil {
		return nil, syntaxError(filename, err)
	}
	before := fingerprint(f)
	o.reorder(f)
	out, err := format.Node(f)
	if err != nil {
		return nil, fmt.Errorf("%s: format: %w", filename, err)
	}
	if len(bytes.TrimSpace(out)) == 0 {
		// CUE writes an empty file as one line break; an empty file is
		// canonical as it is.
		return []byte{}, nil
	}
	// The output replaces people's files: make sure that it reads back as
	// the same data before it is used. A failure here is a bug in jobfam
	// or in CUE's formatter, never in the file.
	g, err := parser.ParseFile(filename, out, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: formatting would make the file unreadable (%s), so it is left as it is: %w", filename, firstError(err), errBug)
	}
	if fingerprint(g) != before {
		return nil, fmt.Errorf("%s: formatting would change the file's data, so it is left as it is: %w", filename, errBug)
	}
	return out, nil
}

// errBug is wrapped by the errors that only a bug can cause.
var errBug = errors.New("please report this bug in jobfam")

// syntaxError reports the parser's first error: the later ones mostly
// follow from it.
func syntaxError(filename string, err error) error {
	errs := cueerrors.Errors(err)
	if len(errs) == 0 {
		return fmt.Errorf("%s: %w", filename, err)
	}
	p := errs[0].Position()
	if p.Line() == 0 {
		return fmt.Errorf("%s: %s", filename, firstError(err))
	}
	return fmt.Errorf("%s:%d:%d: %s", filename, p.Line(), p.Column(), firstError(err))
}

// firstError is the message of err's first error, without its position.
func firstError(err error) string {
	errs := cueerrors.Errors(err)
	if len(errs) == 0 {
		return err.Error()
	}
	format, args := errs[0].Msg()
	return fmt.Sprintf(format, args...)
}
