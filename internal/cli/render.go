package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
	"github.com/jobfam/jobfam/internal/report"
	"github.com/jobfam/jobfam/internal/suggest"
	"github.com/jobfam/jobfam/internal/textdiff"
)

// errDrift is returned by render --check when the pages on disk differ
// from what would be rendered; the diff has been printed.
var errDrift = errors.New("rendered pages differ")

func renderCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "render",
		Usage:     "write the handbook page of each family as Markdown",
		ArgsUsage: "[DIR]",
		Description: `Renders every family under DIR (default: families) into OUT/<family id>.md,
with Hugo front matter and the layout of the handbook's job-family pages.
The same families always give the same bytes.

The families are validated first: render refuses to write pages from
families with findings at error severity, and prints them.

With --check nothing is written: render prints a unified diff of every page
in OUT that differs from what it would write, and of every page in OUT that
no family renders, and exits 1 if there is any (to tell in CI that a
published copy drifted).

Examples:
  jobfam render                                  # families/ -> public/
  jobfam render --out site/content/job-families
  jobfam render --family finance/manager-it
  jobfam render --check --out published

Exit codes: 0 written (or, with --check, no difference), 1 findings or
differences, 2 usage or load failure.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Value: "public", Usage: "write the pages under `DIR`"},
			&ucli.StringSliceFlag{Name: "family", Usage: "render only the family with this `ID` (repeatable)"},
			&ucli.BoolFlag{Name: "check", Usage: "write nothing; print a diff and exit 1 if the pages in --out differ"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
		},
		Action: runRender,
	}
}

func runRender(c *ucli.Context) error {
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	out := c.String("out")
	s, err := family.LoadSchema(schemaDir(c.String("schema"), dir))
	if err != nil {
		return err
	}
	res, err := family.Load(c.Context, dir, s)
	if err != nil {
		return err
	}
	findings := append(res.Findings, check.Run(&check.Env{Policy: &s.Policy, IDs: res.IDs}, res.Families)...)
	relativize(findings)
	if findings = diag.Sort(findings); diag.HasErrors(findings) {
		printer, _ := report.New("text", nil)
		if err := printer.Print(c.App.ErrWriter, findings); err != nil {
			return err
		}
		fmt.Fprintln(c.App.ErrWriter, "jobfam: render writes no page while the families have errors: fix the findings above")
		return errFindings
	}
	fams, err := selectFamilies(c, res.Families)
	if err != nil {
		return err
	}
	site := render.NewSite(&s.Policy, res.Families)
	pages := make(map[string][]byte, len(fams))
	for _, f := range fams {
		pages[f.ID+".md"] = render.Page(f, site)
	}
	if c.Bool("check") {
		return checkPages(c, out, pages, len(c.StringSlice("family")) == 0)
	}
	written := 0
	for _, f := range fams {
		name := f.ID + ".md"
		changed, err := writePage(out, name, pages[name])
		if err != nil {
			return err
		}
		if changed {
			written++
		}
	}
	fmt.Fprintf(c.App.Writer, "rendered %d %s into %s: %d written, %d unchanged\n",
		len(fams), plural(len(fams), "family", "families"), out, written, len(fams)-written)
	return nil
}

// folderArg reads a command's one optional argument, the families folder.
func folderArg(c *ucli.Context) (string, error) {
	if c.NArg() > 1 {
		// urfave/cli stops reading flags at the first argument, so a flag
		// after the folder arrives here as an argument.
		for _, a := range c.Args().Tail() {
			if strings.HasPrefix(a, "-") {
				return "", usagef(c, "flag %s comes after the folder: put flags first, as in 'jobfam %s %s %s'",
					a, c.Command.Name, strings.Join(c.Args().Tail(), " "), c.Args().First())
			}
		}
		return "", usagef(c, "%s takes one folder, got %d arguments: %s", c.Command.Name, c.NArg(), strings.Join(c.Args().Slice(), " "))
	}
	if dir := c.Args().First(); dir != "" {
		return dir, nil
	}
	return "families", nil
}

// selectFamilies returns the families named by --family, or all of them.
func selectFamilies(c *ucli.Context, all []*family.Family) ([]*family.Family, error) {
	ids := c.StringSlice("family")
	if len(ids) == 0 {
		return all, nil
	}
	byID := make(map[string]*family.Family, len(all))
	known := make([]string, 0, len(all))
	for _, f := range all {
		byID[f.ID] = f
		known = append(known, f.ID)
	}
	var out []*family.Family
	for _, id := range ids {
		f := byID[id]
		if f == nil {
			msg := fmt.Sprintf("no family %q", id)
			if s := suggest.Closest(id, known); s != "" {
				msg += fmt.Sprintf(": did you mean %q?", s)
			}
			return nil, usagef(c, "%s", msg)
		}
		out = append(out, f)
	}
	return out, nil
}

// checkPages compares the pages with those under out and prints a diff
// of each difference. Pages under out that no family renders count as
// differences too when all families were rendered.
func checkPages(c *ucli.Context, out string, pages map[string][]byte, all bool) error {
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	if all {
		_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return nil
			}
			rel, err := filepath.Rel(out, p)
			if err == nil && pages[filepath.ToSlash(rel)] == nil {
				names = append(names, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	slices.Sort(names)
	drift := false
	for _, name := range names {
		path := filepath.Join(out, filepath.FromSlash(name))
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("read %s: %w", path, err)
		}
		oldName, newName := path, path+" (rendered)"
		if old == nil {
			oldName = "/dev/null"
		}
		if pages[name] == nil {
			newName = "/dev/null"
		}
		d := textdiff.Unified(oldName, newName, string(old), string(pages[name]))
		if d == "" && pages[name] == nil {
			// An empty page that no family renders: no line differs, but
			// the file should not be there.
			d = fmt.Sprintf("--- %s\n+++ %s\n", oldName, newName)
		}
		if d != "" {
			drift = true
			fmt.Fprint(c.App.Writer, d)
		}
	}
	if drift {
		return errDrift
	}
	return nil
}

// writePage writes data to out/name unless the file already holds it, and
// reports whether it wrote. Every folder on the way must be a real folder:
// a symbolic link committed in a pull request must not carry the page
// outside out. The page is written to a temporary file and renamed, which
// replaces a link at its own name rather than writing through it.
func writePage(out, name string, data []byte) (bool, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return false, fmt.Errorf("page %q would be written outside %s", name, out)
	}
	dir := out
	for _, seg := range strings.Split(filepath.Dir(filepath.FromSlash(name)), string(filepath.Separator)) {
		if seg == "." {
			continue
		}
		dir = filepath.Join(dir, seg)
		info, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return false, fmt.Errorf("create %s: %w", dir, err)
			}
		case err != nil:
			return false, fmt.Errorf("read %s: %w", dir, err)
		case !info.IsDir():
			return false, fmt.Errorf("%s is not a folder (a symbolic link or a file): remove it so that pages stay inside %s", dir, out)
		}
	}
	path := filepath.Join(out, filepath.FromSlash(name))
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		if info, err := os.Lstat(path); err == nil && info.Mode().IsRegular() {
			return false, nil
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jobfam-*.md")
	if err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	return true, nil
}

// plural picks the word for a count of n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
