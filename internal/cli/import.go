package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/importmd"
)

// errImport is returned when at least one path could not be imported; the
// reasons have been printed.
var errImport = errors.New("some pages were not imported")

// importRule ends every import warning, as a rule's id ends a finding.
const importRule = "import"

func importCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "turn handbook job-family pages (Markdown) into family files",
		ArgsUsage: "PATH...",
		Description: `Reads each PATH, a handbook page (Hugo Markdown with front matter) or a
folder family (a folder holding _index.md or index.md, for what the levels
share, and one .md page per level), and writes the family as canonical CUE
to OUT/<family id>.cue. The id is the page's folder and name,
"finance/it-program-management-office" for
finance/it-program-management-office.md, or for a folder family the
folder's parent and name.

Levels, grades, responsibilities, requirements, "Extends the ... plus:",
performance indicators, the career ladder and the hiring process are read
into the family's fields. Nothing is dropped: text import cannot place in a
field is kept word for word in a section of the family or of a level,
where it stood on the page. Every such section, and every difference
between the page and the page jobfam render will write, is reported on
stderr as "path:line:col: message [import]". The last line sums up.

An existing family file is not replaced unless --force is given. The
schema and policy (grades, tracks, the grade link, the handbook's address)
come from --schema, else from the schema/ folder next to OUT, else from
the copy built into jobfam.

Examples:
  jobfam import handbook/job-families/finance/it-program-management-office.md
  jobfam import --out families handbook/job-families/alliances/technology-partner-manager
  jobfam import --force handbook/job-families/legal/*.md
  jobfam import --out /tmp/try page.md && jobfam validate /tmp/try

Exit codes: 0 every path imported, 2 a usage mistake, or a path that could
not be read or written (the others are still imported).`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Value: "families", Usage: "write the family files under `DIR`"},
			&ucli.BoolFlag{Name: "force", Usage: "replace family files that exist"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
		},
		Action: runImport,
	}
}

// importSummary counts what an import run did.
type importSummary struct {
	pages, modelled, verbatim, warnings int
}

func runImport(c *ucli.Context) error {
	if c.NArg() == 0 {
		return usagef(c, "import needs at least one page or folder: jobfam import PATH...")
	}
	for _, a := range c.Args().Slice() {
		if strings.HasPrefix(a, "-") {
			return usagef(c, "flag %s comes after a path: put flags first, as in 'jobfam import %s PATH...'", a, a)
		}
	}
	out := c.String("out")
	s, err := family.LoadSchema(schemaDir(c.String("schema"), out))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o777); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return fmt.Errorf("open output folder: %w", err)
	}
	defer root.Close()

	var sum importSummary
	failed := false
	written := map[string]string{}
	for _, arg := range c.Args().Slice() {
		if err := importPath(c, root, out, arg, &s.Policy, written, &sum); err != nil {
			fmt.Fprintf(c.App.ErrWriter, "jobfam: %v\n", err)
			failed = true
		}
	}
	fmt.Fprintf(c.App.Writer, "%d %s imported, %d fully modelled, %d with verbatim sections, %d %s\n",
		sum.pages, plural(sum.pages, "page", "pages"), sum.modelled, sum.verbatim,
		sum.warnings, plural(sum.warnings, "warning", "warnings"))
	if failed {
		return errImport
	}
	return nil
}

// importPath imports one argument: a page or a folder family.
func importPath(c *ucli.Context, root *os.Root, out, arg string, p *family.Policy, written map[string]string, sum *importSummary) error {
	pages, err := readPages(arg)
	if err != nil {
		return err
	}
	res, err := importmd.Import(pages, p)
	if err != nil {
		return err
	}
	// The id comes from the absolute paths, so that "." and ".." name the
	// folders they stand for.
	id := res.ID
	abs := make([]string, len(pages))
	for i, pg := range pages {
		a, err := filepath.Abs(filepath.FromSlash(pg.Path))
		if err != nil {
			return fmt.Errorf("%s: %w", arg, err)
		}
		abs[i] = filepath.ToSlash(a)
	}
	if len(abs) > 0 {
		id = importmd.SuggestID(abs...)
	}
	name := filepath.FromSlash(id) + ".cue"
	if prev, ok := written[id]; ok {
		return fmt.Errorf("%s: family %s was imported from %s in this run already: import one of them at a time", arg, id, prev)
	}
	if err := writeFamily(root, name, res.CUE, c.Bool("force")); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(out, name), err)
	}
	written[id] = arg
	for _, w := range res.Report.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "%s [%s]\n", w, importRule)
	}
	for _, pr := range res.Report.Pages {
		sum.pages++
		if pr.VerbatimSections == 0 {
			sum.modelled++
		} else {
			sum.verbatim++
		}
	}
	sum.warnings += len(res.Report.Warnings)
	fmt.Fprintf(c.App.Writer, "wrote %s\n", filepath.Join(out, name))
	return nil
}

// readPages reads a page, or a folder family's index page and level pages
// (the folder's .md files, not those of its sub-folders).
func readPages(arg string) ([]importmd.Page, error) {
	info, err := os.Stat(arg)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot be read: %w", arg, unwrapPath(err))
	}
	if !info.IsDir() {
		pg, err := readPage(arg, info)
		if err != nil {
			return nil, err
		}
		return []importmd.Page{pg}, nil
	}
	entries, err := os.ReadDir(arg)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot be read: %w", arg, unwrapPath(err))
	}
	var pages []importmd.Page
	index := -1
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || path.Ext(n) != ".md" {
			continue
		}
		p := filepath.Join(arg, n)
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot be read: %w", p, unwrapPath(err))
		}
		pg, err := readPage(p, info)
		if err != nil {
			return nil, err
		}
		if importmd.IsIndex(n) && index < 0 {
			index = len(pages)
		}
		pages = append(pages, pg)
	}
	if index < 0 {
		return nil, fmt.Errorf("%s: folder has no _index.md or index.md, so it is not a folder family: import its pages one by one", arg)
	}
	// The index page first, then the level pages in name order.
	pages[0], pages[index] = pages[index], pages[0]
	slices.SortFunc(pages[1:], func(a, b importmd.Page) int { return strings.Compare(a.Path, b.Path) })
	return pages, nil
}

// readPage reads one page, refusing what cannot be one.
func readPage(p string, info fs.FileInfo) (importmd.Page, error) {
	if !info.Mode().IsRegular() {
		return importmd.Page{}, fmt.Errorf("%s: not a regular file", p)
	}
	if info.Size() > family.MaxFileSize {
		return importmd.Page{}, fmt.Errorf("%s: page is %d bytes, more than the %d a family file may have", p, info.Size(), family.MaxFileSize)
	}
	f, err := os.Open(p)
	if err != nil {
		return importmd.Page{}, fmt.Errorf("%s: cannot be read: %w", p, unwrapPath(err))
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, family.MaxFileSize+1))
	if err != nil {
		return importmd.Page{}, fmt.Errorf("%s: cannot be read: %w", p, unwrapPath(err))
	}
	if len(src) > family.MaxFileSize {
		return importmd.Page{}, fmt.Errorf("%s: page is more than the %d bytes a family file may have", p, family.MaxFileSize)
	}
	return importmd.Page{Path: filepath.ToSlash(p), Src: src}, nil
}

// writeFamily writes a family file inside root, which no name, link or
// ".." can leave.
func writeFamily(root *os.Root, name string, src []byte, force bool) error {
	if err := root.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return fmt.Errorf("create folder: %w", unwrapPath(err))
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if info, err := root.Lstat(name); err == nil {
		switch {
		case !force:
			return errors.New("family file exists: pass --force to replace it")
		case !info.Mode().IsRegular():
			return errors.New("is a symbolic link or not a regular file: not replaced")
		}
		flag = os.O_WRONLY | os.O_TRUNC
	}
	f, err := root.OpenFile(name, flag, 0o666)
	if err != nil {
		return fmt.Errorf("cannot be written: %w", unwrapPath(err))
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return fmt.Errorf("cannot be written: %w", err)
	}
	return f.Close()
}

// unwrapPath drops the path an *fs.PathError repeats, since messages name
// the path themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
