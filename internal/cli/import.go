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
	"github.com/jobfam/jobfam/internal/hugo"
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
folder of the handbook's job families, walked with its sub-folders, and
writes each family as canonical CUE to OUT/<family id>.cue.

A family's id is the URL path Hugo serves its page at, relative to the
root, the handbook's job-families folder: finance/information-technology/
it-helpdesk-analyst.md becomes "finance/information-technology/
it-helpdesk-analyst", at any depth. The root is --root, else the nearest
folder above PATH named like the last part of the policy's handbookBase
("job-families"), else a folder PATH itself, else (for a page, or a folder
whose index page is a family) the folder two levels above PATH, so that the
id keeps the page's folder and name. A page whose file name Hugo serves at
another URL (capitals, "_", "." ...) keeps that URL as an alias.

A folder with an index page (_index.md or index.md) is decided by what its
pages hold. An index with no family content (no levels, grades,
responsibilities, requirements, indicators, career ladder or hiring
process) is a department's: it is left alone and the other pages are
families. An index with family content whose folder's other pages are one
level each is a folder family: one family with the folder's URL as its id
and each level page's URL as an alias. Otherwise the index page is a family
of its own beside the others. Each decision is shown in the summary.

Levels, grades, responsibilities, requirements, "Extends the ... plus:",
performance indicators, the career ladder and the hiring process are read
into the family's fields; career-ladder links to pages imported in the
same run become their ids. Nothing is dropped: text import cannot place in
a field is kept word for word in a section, and reported on stderr as
"path:line:col: message [import]". Two sources Hugo serves at one URL, or
that would make one family, are reported and neither is imported. Files
that are not Markdown pages and symbolic links are reported, not read.
Hidden files and folders are skipped. A page named as a PATH is imported
all the same, with a note: a department's index page, a file of another
extension, a page sharing its URL with a file not named.

An existing family file is not replaced unless --force is given. The
schema and policy (grades, tracks, the grade link, the handbook's address)
come from --schema, else from the schema/ folder next to OUT, else from
the copy built into jobfam.

Examples:
  jobfam import handbook/content/job-families
  jobfam import handbook/job-families/finance/it-program-management-office.md
  jobfam import --out families handbook/job-families/alliances/technology-partner-manager
  jobfam import --root handbook/job-families --force handbook/job-families/legal/*.md
  jobfam import --out /tmp/try page.md && jobfam validate /tmp/try

Exit codes: 0 every path imported, 1 imported except sources left out
(two sources with one URL or id, symbolic links), 2 a usage mistake, or a
path that could not be read or written (the others are still imported).`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Value: "families", Usage: "write the family files under `DIR`"},
			&ucli.StringFlag{Name: "root", Usage: "take ids relative to `DIR`, the handbook's job-families folder"},
			&ucli.BoolFlag{Name: "force", Usage: "replace family files that exist"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
		},
		Action: runImport,
	}
}

// errLeftOut is returned when everything could be read and written but
// some sources were left out; they have been reported.
var errLeftOut = fmt.Errorf("sources left out: %w", errFindings)

// maxTreeFiles caps the files one import reads, so that a PATH given by
// mistake, such as a home folder, fails fast instead of reading it all.
const maxTreeFiles = 100_000

// importSummary counts what an import run did.
type importSummary struct {
	pages, modelled, verbatim, warnings int
	leftAlone, notImported              int
}

// importScope is what is read under one root: the files, by path relative
// to the root, and which of them the PATHs selected.
type importScope struct {
	root    string
	files   map[string]importmd.File
	order   []string
	folders []string // selected folders, relative to root; "" is all
	pages   []string // selected pages, relative to root
}

func (s *importScope) add(f importmd.File) {
	if _, ok := s.files[f.Path]; !ok {
		s.order = append(s.order, f.Path)
	}
	s.files[f.Path] = f
}

// selected reports whether a file was named by a PATH or is under one.
func (s *importScope) selected(rel string) bool {
	if slices.Contains(s.pages, rel) {
		return true
	}
	for _, f := range s.folders {
		if f == "" || rel == f || strings.HasPrefix(rel, f+"/") {
			return true
		}
	}
	return false
}

// folderSelected reports whether a folder's decision concerns the PATHs:
// it is under a folder PATH, or holds a page PATH.
func (s *importScope) folderSelected(dir string) bool {
	for _, p := range s.pages {
		if d := path.Dir(p); d == dir || d == "." && dir == "" {
			return true
		}
	}
	return s.selected(dir)
}

// importRun is one run's state: what was written and what went wrong.
type importRun struct {
	c    *ucli.Context
	out  string
	root *os.Root
	pol  *family.Policy
	// written maps each family id written to the page it came from, so
	// that two PATHs under different roots cannot write one family twice.
	written map[string]string
	sum     importSummary
	// failed makes the exit code 2, leftOut 1.
	failed, leftOut bool
	// nread counts the files read, against maxTreeFiles.
	nread int
	// decision holds the folders' summary lines, printed after the files
	// written.
	decision []string
}

// errorf reports a path that could not be read or written: exit code 2.
func (r *importRun) errorf(format string, args ...any) {
	fmt.Fprintf(r.c.App.ErrWriter, "jobfam: "+format+"\n", args...)
	r.failed = true
}

// leftOutf reports a source that is not imported: exit code 1.
func (r *importRun) leftOutf(format string, args ...any) {
	fmt.Fprintf(r.c.App.ErrWriter, "jobfam: "+format+"\n", args...)
	r.leftOut = true
	r.sum.notImported++
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
	flagRoot := c.String("root")
	if flagRoot != "" {
		info, err := os.Stat(flagRoot)
		if err != nil || !info.IsDir() {
			return usagef(c, "--root %q is not a folder: give the handbook's job-families folder", flagRoot)
		}
		if flagRoot, err = filepath.Abs(flagRoot); err != nil {
			return usagef(c, "--root %q: %v", c.String("root"), err)
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

	r := &importRun{c: c, out: out, root: root, pol: &s.Policy, written: map[string]string{}}
	var scopes []*importScope
	scopeOf := func(dir string) *importScope {
		for _, sc := range scopes {
			if sc.root == dir {
				return sc
			}
		}
		sc := &importScope{root: dir, files: map[string]importmd.File{}}
		scopes = append(scopes, sc)
		return sc
	}
	for _, arg := range c.Args().Slice() {
		r.readArg(arg, flagRoot, scopeOf)
	}
	for _, sc := range scopes {
		r.importScope(sc)
	}
	w := c.App.Writer
	for _, d := range r.decision {
		fmt.Fprintln(w, d)
	}
	sum := r.sum
	line := fmt.Sprintf("%d %s imported, %d fully modelled, %d with verbatim sections, %d %s",
		sum.pages, plural(sum.pages, "page", "pages"), sum.modelled, sum.verbatim,
		sum.warnings, plural(sum.warnings, "warning", "warnings"))
	if sum.leftAlone > 0 {
		line += fmt.Sprintf(", %d index %s left alone", sum.leftAlone, plural(sum.leftAlone, "page", "pages"))
	}
	if sum.notImported > 0 {
		line += fmt.Sprintf(", %d %s not imported", sum.notImported, plural(sum.notImported, "file", "files"))
	}
	fmt.Fprintln(w, line)
	switch {
	case r.failed:
		return errImport
	case r.leftOut:
		return errLeftOut
	}
	return nil
}

// readArg reads what one PATH needs into the scope of its root: a folder
// with its sub-folders, or a page with its folder's other pages, which
// decide whether the folder is a folder family.
func (r *importRun) readArg(arg, flagRoot string, scopeOf func(string) *importScope) {
	info, err := os.Lstat(arg)
	if err != nil {
		r.errorf("%s: cannot be read: %v", arg, unwrapPath(err))
		return
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		r.errorf("%s: is a symbolic link: not followed; pass the path it leads to", arg)
		return
	}
	abs, err := filepath.Abs(arg)
	if err != nil {
		r.errorf("%s: %v", arg, err)
		return
	}
	isDir := info.IsDir()
	rootDir := flagRoot
	if rootDir != "" {
		if rel, err := filepath.Rel(rootDir, abs); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			r.errorf("%s: is not under --root %s: pass paths inside it, or another --root", arg, r.c.String("root"))
			return
		}
	} else {
		rootDir = r.defaultRoot(arg, abs, isDir)
	}
	sc := scopeOf(rootDir)
	rel, _ := filepath.Rel(rootDir, abs)
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	if isDir {
		sc.folders = append(sc.folders, rel)
		r.readTree(sc, arg, abs, rel)
		return
	}
	sc.pages = append(sc.pages, rel)
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	// The page itself is read on its own, so that what keeps it from
	// being read is reported; its folder's other pages only help decide.
	parent, err := os.OpenRoot(filepath.Dir(abs))
	if err != nil {
		r.errorf("%s: cannot be read: %v", arg, unwrapPath(err))
		return
	}
	src, err := readCapped(parent, filepath.Base(abs))
	parent.Close()
	if err != nil {
		r.errorf("%s: %v", arg, err)
		return
	}
	sc.add(importmd.File{Path: rel, Name: filepath.ToSlash(arg), Src: src, Named: true})
	for _, f := range r.readFolderPages(filepath.Dir(abs), filepath.Dir(arg)) {
		if f.Path = path.Join(dir, f.Path); f.Path != rel {
			if _, ok := sc.files[f.Path]; !ok {
				sc.add(f)
			}
		}
	}
}

// defaultRoot finds the root without --root: the nearest folder named
// like the job-families folder of the handbook's address; else a folder
// PATH itself, unless its index page makes it a family; else the folder
// two levels above PATH, which gives the id "<folder>/<page>".
func (r *importRun) defaultRoot(arg, abs string, isDir bool) string {
	if base := path.Base(strings.Trim(importmd.SitePrefix(r.pol), "/")); base != "." && base != "" && base != "/" {
		d := abs
		if !isDir {
			d = filepath.Dir(abs)
		}
		for {
			if filepath.Base(d) == base {
				return d
			}
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	if isDir {
		pl := importmd.PlanTree(r.readFolderPages(abs, arg), r.pol)
		if len(pl.Folders) == 0 || pl.Folders[0].Dir != "" || pl.Folders[0].Decision == importmd.Department {
			return abs
		}
	}
	return filepath.Dir(filepath.Dir(abs))
}

// readFolderPages reads the pages of one folder, not of its sub-folders,
// with paths relative to it. Files that cannot be pages are left out:
// they only help decide what the folder is.
func (r *importRun) readFolderPages(abs, display string) []importmd.File {
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil
	}
	var files []importmd.File
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !e.Type().IsRegular() || !hugo.IsPage(n) {
			continue
		}
		src, err := readCapped(root, n)
		if err != nil {
			continue
		}
		files = append(files, importmd.File{Path: n, Name: filepath.ToSlash(filepath.Join(display, n)), Src: src})
	}
	return files
}

// readTree walks a folder PATH through an os.Root, which no link can
// leave, and follows no symbolic link at all: each is reported instead.
func (r *importRun) readTree(sc *importScope, arg, abs, rel string) {
	root, err := os.OpenRoot(abs)
	if err != nil {
		r.errorf("%s: cannot be read: %v", arg, unwrapPath(err))
		return
	}
	defer root.Close()
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		name := filepath.ToSlash(filepath.Join(arg, filepath.FromSlash(p)))
		if err != nil {
			r.errorf("%s: cannot be read: %v", name, unwrapPath(err))
			return nil
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			r.leftOutf("%s: not imported: is a symbolic link, which import does not follow", name)
			return nil
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			r.leftOutf("%s: not imported: not a regular file", name)
			return nil
		}
		if r.nread++; r.nread > maxTreeFiles {
			return fmt.Errorf("more than %d files: import a smaller folder", maxTreeFiles)
		}
		f := importmd.File{Path: path.Join(rel, p), Name: name}
		if hugo.IsPage(p) {
			src, err := readCapped(root, p)
			if err != nil {
				r.errorf("%s: %v", name, err)
				return nil
			}
			f.Src = src
		}
		sc.add(f)
		return nil
	})
	if err != nil {
		r.errorf("%s: %v", arg, err)
	}
}

// readCapped reads a page inside root, refusing one larger than a family
// file may be.
func readCapped(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(filepath.FromSlash(name))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", unwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > family.MaxFileSize {
		return nil, fmt.Errorf("page is %d bytes, more than the %d a family file may have", info.Size(), family.MaxFileSize)
	}
	src, err := io.ReadAll(io.LimitReader(f, family.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", unwrapPath(err))
	}
	if len(src) > family.MaxFileSize {
		return nil, fmt.Errorf("page is more than the %d bytes a family file may have", family.MaxFileSize)
	}
	return src, nil
}

// importScope plans the files read under one root and imports the units
// the PATHs selected, each with the ids of the others for its links.
func (r *importRun) importScope(sc *importScope) {
	files := make([]importmd.File, 0, len(sc.order))
	for _, p := range sc.order {
		files = append(files, sc.files[p])
	}
	pl := importmd.PlanTree(files, r.pol)
	for _, e := range pl.Errors {
		if sc.selected(e.Path) {
			r.errorf("%v", e.Err)
		}
	}
	for _, sk := range pl.Skipped {
		if sc.selected(sk.Path) {
			fmt.Fprintf(r.c.App.ErrWriter, "jobfam: %s: %s\n", sk.Name, sk.Reason)
			r.sum.notImported++
		}
	}
	for _, n := range pl.Notes {
		fmt.Fprintf(r.c.App.ErrWriter, "jobfam: %s\n", n)
	}
	for _, cf := range pl.Conflicts {
		if slices.ContainsFunc(cf.Paths, sc.selected) {
			fmt.Fprintf(r.c.App.ErrWriter, "jobfam: %s\n", cf.Message)
			r.leftOut = true
			r.sum.notImported += len(cf.Paths)
		}
	}
	for _, f := range pl.Folders {
		if !sc.folderSelected(f.Dir) {
			continue
		}
		r.decision = append(r.decision, path.Dir(f.IndexName)+"/: "+f.Summary())
		if f.Decision == importmd.Department && !f.Named {
			r.sum.leftAlone++
		}
	}
	for _, u := range pl.Units {
		if !slices.ContainsFunc(u.Paths, sc.selected) {
			continue
		}
		if err := r.importUnit(pl, u); err != nil {
			r.errorf("%v", err)
		}
	}
}

// importUnit imports and writes one family.
func (r *importRun) importUnit(pl *importmd.Plan, u importmd.Unit) error {
	res, err := importmd.ImportWith(u.Pages, r.pol, pl.Options(u))
	if err != nil {
		return err
	}
	name := filepath.FromSlash(res.ID) + ".cue"
	if prev, ok := r.written[res.ID]; ok {
		return fmt.Errorf("%s: family %s was imported from %s in this run already: import one of them at a time", u.Pages[0].Path, res.ID, prev)
	}
	if err := writeFamily(r.root, name, res.CUE, r.c.Bool("force")); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(r.out, name), err)
	}
	r.written[res.ID] = u.Pages[0].Path
	for _, w := range res.Report.Warnings {
		fmt.Fprintf(r.c.App.ErrWriter, "%s [%s]\n", w, importRule)
	}
	for _, pr := range res.Report.Pages {
		r.sum.pages++
		if pr.VerbatimSections == 0 {
			r.sum.modelled++
		} else {
			r.sum.verbatim++
		}
	}
	r.sum.warnings += len(res.Report.Warnings)
	fmt.Fprintf(r.c.App.Writer, "wrote %s\n", filepath.Join(r.out, name))
	return nil
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
