// Package importmd turns job-family pages of a Hugo handbook (Markdown with
// YAML front matter) into family files: canonical CUE that jobfam validates.
//
// Import reads each page with goldmark's syntax tree, never with regular
// expressions over lines, and maps what it recognises (levels, grades,
// responsibilities, requirements, "Extends the ... plus:", performance
// indicators, career ladder, hiring process) onto the family model. Whatever
// it cannot map is kept word for word, as a verbatim section of the family
// or of a level placed where it stood on the page, and reported. Text is
// always taken from the page's own bytes, never re-rendered, so Hugo
// shortcodes and raw HTML survive as written.
//
// Every change the published page would show, such as a grade sentence
// worded differently from the one jobfam renders or a heading dropped
// because jobfam writes it itself, is reported as a Warning: nothing is
// lost or changed silently.
package importmd

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/hugo"
)

// Page is one handbook page: where it was read from and its bytes.
type Page struct {
	// Path names the page in warnings, with forward slashes. Its file name
	// decides a folder family's index page: "_index.md" or "index.md".
	Path string
	Src  []byte
}

// Result is one imported family.
type Result struct {
	// ID is the family id the pages suggest: "<folder>/<page>" for a page,
	// "<parent>/<folder>" for a folder family, made of valid id segments.
	ID string
	// CUE is the family file, formatted by CUE's formatter with the fields
	// in the schema's order.
	CUE    []byte
	Report Report
}

// Report says how faithfully the pages could be modelled.
type Report struct {
	// Warnings are sorted by page and position.
	Warnings []Warning
	// Pages has one entry per page, in the order given.
	Pages []PageReport
	// FullyModelled is true when every part of every page went into a
	// modelled field, so the family has no verbatim sections.
	FullyModelled bool
	// VerbatimSections counts the family's and its levels' sections.
	VerbatimSections int
}

// PageReport is what became of one page.
type PageReport struct {
	Path string
	// VerbatimSections counts the sections that hold this page's text.
	VerbatimSections int
}

// Warning is something a person should know about the import: text kept
// verbatim rather than modelled, or a difference between the page and the
// page jobfam will render from the family.
type Warning struct {
	Page      string
	Line, Col int
	Message   string
}

func (w Warning) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", w.Page, w.Line, w.Col, w.Message)
}

// ErrNoIndex is returned for several pages none of which is a folder
// family's index page.
var ErrNoIndex = errors.New("a folder family needs an _index.md or index.md page")

// IsIndex reports whether a page with this path is a folder family's index
// page.
func IsIndex(p string) bool {
	return hugo.IsIndex(p)
}

// Options say what a whole tree knows about a family that its own pages
// do not: its id, its old URLs, and the ids of the other families its
// links lead to. The zero Options import the pages on their own.
type Options struct {
	// ID, when set, is the family's id instead of the one SuggestID makes.
	ID string
	// Aliases are written into the family's aliases field, as given.
	Aliases []string
	// Link, when set, names the family a job-families URL path leads to:
	// the path under the handbook's address without slashes at either
	// end, such as "engineering/development/frontend/senior". Links it
	// does not know are read as family ids, as without it.
	Link func(sitePath string) (id string, ok bool)
}

// Import reads one family: a single page, or a folder family whose index
// page (_index.md or index.md) holds what the levels share and whose other
// pages hold one level each. p supplies the grade range, the tracks, the
// grade link and the handbook's address. The error is for input that is
// not a page at all, such as text that is not UTF-8.
func Import(pages []Page, p *family.Policy) (*Result, error) {
	return ImportWith(pages, p, Options{})
}

// ImportWith is Import with what a tree of pages knows: see Options.
func ImportWith(pages []Page, p *family.Policy, o Options) (*Result, error) {
	if len(pages) == 0 {
		return nil, errors.New("no pages to import")
	}
	docs := make([]*doc, len(pages))
	index := -1
	for i, pg := range pages {
		d, err := parseDoc(pg.Path, pg.Src)
		if err != nil {
			return nil, err
		}
		docs[i] = d
		if len(pages) > 1 && IsIndex(pg.Path) && index < 0 {
			index = i
		}
	}
	if len(pages) > 1 && index < 0 {
		return nil, fmt.Errorf("%s: %w", path.Dir(pages[0].Path), ErrNoIndex)
	}
	b := newBuilder(p)
	b.link = o.Link
	b.fam.aliases = o.Aliases
	if len(pages) == 1 {
		b.page(docs[0], roleFamily)
	} else {
		b.page(docs[index], roleIndex)
		for i, d := range docs {
			if i != index {
				b.page(d, roleLevel)
			}
		}
		b.orderLevels()
	}
	b.finish()
	src, err := encode(&b.fam)
	if err != nil {
		return nil, fmt.Errorf("write family: %w", err)
	}
	paths := make([]string, len(pages))
	for i, pg := range pages {
		paths[i] = pg.Path
	}
	res := &Result{ID: cmp.Or(o.ID, SuggestID(paths...)), CUE: src}
	res.Report = b.report(docs)
	return res, nil
}

// parseDoc checks a page's encoding, splits off its front matter and
// parses the rest.
func parseDoc(p string, src []byte) (*doc, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !utf8.Valid(src) {
		line, col := diag.InvalidUTF8(src)
		return nil, fmt.Errorf("%s:%d:%d: page is not valid UTF-8: save it with UTF-8 encoding", p, line, col)
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		// Line numbers stay those an editor shows for CRLF; a lone CR
		// ends a line in Markdown too.
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	return newDoc(p, src), nil
}

// SuggestID makes a family id from the paths of its pages: the page's
// folder and name, or for a folder family (several pages, or an index page
// alone) the folder's parent and name. Each part is made a valid id
// segment: lowercase letters, digits and single hyphens.
func SuggestID(paths ...string) string {
	if len(paths) == 0 {
		return "imported/family"
	}
	p := paths[0]
	for _, q := range paths {
		if IsIndex(q) {
			p = q
			break
		}
	}
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	dir, name := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	name = strings.TrimSuffix(name, path.Ext(name))
	if IsIndex(p) || len(paths) > 1 {
		dir, name = path.Split(dir)
		dir = strings.TrimSuffix(dir, "/")
	}
	parent := path.Base(dir)
	if dir == "" || parent == "." || parent == "/" || parent == ".." {
		parent = "imported"
	}
	return slug(parent, "imported") + "/" + slug(name, "family")
}
