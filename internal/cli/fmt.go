package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/canon"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/parallel"
)

func fmtCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "fmt",
		Usage:     "rewrite family files in the canonical layout",
		ArgsUsage: "[DIR]",
		Description: `Rewrites every family file under DIR (default: families) in the canonical
layout: CUE's own formatting, with the fields of every struct in the order
in which the schema declares them. The order of the levels and of list
items, comments and the data itself stay as they are. Files already in the
canonical layout are not touched. Like cue fmt and gofmt -w, it prints
nothing when it succeeds; git diff shows what it changed.

With --check it changes nothing, and prints the files that are not in the
canonical layout, one per line.

The schema, whose order fmt follows, comes from --schema, else from the
schema/ folder next to DIR, else from the copy built into jobfam.

Files that cannot be formatted (syntax errors, symbolic links, special
files) are named on stderr, and the others are still formatted.

Examples:
  jobfam fmt
  jobfam fmt --check                 # in CI: fail when a file is not canonical
  jobfam fmt --schema ../policy/schema families

Exit codes: 0 done (with --check: every file is canonical), 1 with --check: files to format, 2 usage error, or a file that could not be formatted.`,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "check", Usage: "list the files that are not in the canonical layout, and change nothing"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema from `DIR`"},
		},
		Action: runFmt,
	}
}

// errUnformatted is returned by fmt --check when files are not in the
// canonical layout; they have been listed already.
var errUnformatted = fmt.Errorf("files not in the canonical layout: %w", errFindings)

func runFmt(c *ucli.Context) error {
	if c.NArg() > 1 {
		// urfave/cli stops reading flags at the first argument, so a flag
		// after the folder arrives here as an argument.
		for _, a := range c.Args().Tail() {
			if strings.HasPrefix(a, "-") {
				return usagef(c, "flag %s comes after the folder: put flags first, as in 'jobfam fmt %s %s'",
					a, strings.Join(c.Args().Tail(), " "), c.Args().First())
			}
		}
		return usagef(c, "fmt takes one folder, got %d arguments: %s", c.NArg(), strings.Join(c.Args().Slice(), " "))
	}
	dir := c.Args().First()
	if dir == "" {
		dir = "families"
	}
	s, err := family.LoadSchema(schemaDir(c.String("schema"), dir))
	if err != nil {
		return err
	}
	folder, err := family.Open(dir)
	if err != nil {
		return err
	}
	// Folders that are links are skipped by the listing; their files are
	// not formatted either.
	paths, skipped := folder.Files()
	relativize(skipped)
	for _, f := range skipped {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", f.Pos, f.Message)
	}
	results := formatFiles(c.Context, paths, s, !c.Bool("check"))
	failed, changed := 0, 0
	for i, r := range results {
		switch {
		case r.err != nil:
			failed++
			fmt.Fprintln(c.App.ErrWriter, r.err)
		case r.changed && c.Bool("check"):
			changed++
			fmt.Fprintln(c.App.Writer, displayPath(paths[i]))
		}
	}
	if err := c.Context.Err(); err != nil {
		return err
	}
	if failed > 0 || len(skipped) > 0 {
		return fmt.Errorf("%s could not be formatted", countFiles(failed, len(skipped)))
	}
	if changed > 0 {
		return errUnformatted
	}
	return nil
}

// countFiles says "1 file", "2 files and 1 folder", "1 folder".
func countFiles(files, folders int) string {
	f := fmt.Sprintf("%d %s", files, plural(files, "file", "files"))
	d := fmt.Sprintf("%d %s", folders, plural(folders, "folder", "folders"))
	switch {
	case folders == 0:
		return f
	case files == 0:
		return d
	}
	return f + " and " + d
}

// formatted is what became of one file.
type formatted struct {
	changed bool
	err     error
}

// formatFiles formats the files at paths, one worker per CPU, and returns
// what became of each, in the order of paths. It stops starting new files
// when ctx is done.
func formatFiles(ctx context.Context, paths []string, s *family.Schema, write bool) []formatted {
	out := make([]formatted, len(paths))
	// A cancelled run leaves the files not yet started untouched.
	_ = parallel.Each(ctx, len(paths), func() func(int) {
		return func(i int) {
			out[i].changed, out[i].err = formatFile(paths[i], displayPath(paths[i]), s, write)
		}
	})
	return out
}

// formatFile formats the family file at path, shown as name, and, when
// write is set, replaces it with its canonical layout. It reports whether
// the file is not in the canonical layout. Like the loader, it reads only
// regular files, and never follows or writes through a link.
func formatFile(path, name string, s *family.Schema, write bool) (changed bool, err error) {
	src, info, err := readFamily(path, name)
	if err != nil {
		return false, err
	}
	out, err := canon.Format(name, src, s)
	if err != nil {
		return false, err
	}
	if bytes.Equal(src, out) {
		return false, nil
	}
	if write {
		if err := replaceFile(path, name, info, out); err != nil {
			return false, err
		}
	}
	return true, nil
}

// readFamily reads a family file as the loader does: a regular file, not
// a link, and not larger than the loader reads.
func readFamily(path, name string) ([]byte, fs.FileInfo, error) {
	src, info, problem := family.ReadFile(path)
	if problem != nil {
		return nil, nil, fileError(name, "not formatted: %s", problem.Message)
	}
	return src, info, nil
}

// replaceFile replaces the file at path with data, atomically: data is
// written to a new file beside it, which then takes its name, so that a
// failure leaves the old file whole and a reader never sees half of the
// new one. The new file gets the old one's permissions. Renaming replaces
// the name, never what a link there would point to.
func replaceFile(path, name string, info fs.FileInfo, data []byte) error {
	// A name starting with "." is not read as a family, should jobfam run
	// on the folder meanwhile.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fileError(name, "cannot write the formatted file: %v", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fileError(name, "cannot write the formatted file: %v", err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return fileError(name, "cannot write the formatted file: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return fileError(name, "cannot write the formatted file: %v", err)
	}
	// The file read must still be the one there: an editor may have saved
	// a new version meanwhile, which formatting must not overwrite.
	if now, err := os.Lstat(path); err != nil || !os.SameFile(now, info) || now.ModTime() != info.ModTime() || now.Size() != info.Size() {
		os.Remove(tmp.Name())
		done = true
		return fileError(name, "family file changed while it was being formatted: run again")
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileError(name, "cannot write the formatted file: %v", err)
	}
	done = true
	return nil
}

// fileError is a problem with a family file as a whole, placed at its first
// line as validate places it, so that editors can show it.
func fileError(name, format string, args ...any) error {
	return fmt.Errorf("%s: %s", diag.Pos{File: name, Line: 1, Col: 1}, fmt.Sprintf(format, args...))
}

// displayPath shows path as validate shows it: relative to the working
// directory when it lies under it.
func displayPath(path string) string {
	f := []diag.Finding{{Pos: diag.Pos{File: path}}}
	relativize(f)
	return f[0].Pos.File
}
