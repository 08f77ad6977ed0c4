package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family"
)

func diffCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "diff",
		Usage:     "explain what changed in the families since a git revision",
		ArgsUsage: "[DIR]",
		Description: `Compares the families under DIR (default: families) in the working tree
with the same folder at the git revision REF, and prints, per family that
changed and in id order, what changed: grade changes first (they have pay
implications), levels added or removed, titles, tracks, responsibilities and
requirements added, removed or reworded, ladder, hiring process, and the
rest. It prints "No job family changed." when nothing did.

The old version is read with git itself (no API): DIR must be inside a git
repository that has REF, such as the pull request's base ("origin/main")
fetched by actions/checkout with fetch-depth: 0. Both versions are loaded by
the same loader, with the same schema (--schema, else schema/ beside DIR,
else the built-in copy). A family that does not load in one version is left
out, with a note; findings do not stop the diff (run validate for them).

Examples:
  jobfam diff --base origin/main
  jobfam diff --base HEAD~3 families
  jobfam diff --base "$BASE_SHA" --format json > diff.json

Exit codes: 0 the diff was printed (changes or not), 2 usage error, unknown
revision or git failure.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "base", Usage: "compare with the families at git revision `REF`", Required: true},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
			&ucli.StringFlag{Name: "format", Value: "markdown", Usage: "output `FORMAT`: markdown, json"},
		},
		Action: runDiff,
	}
}

// diffJSON is the shape of --format json.
type diffJSON struct {
	Base string `json:"base"`
	// Commit is the commit Base resolved to.
	Commit          string               `json:"commit"`
	Changed         []string             `json:"changedFamilies"`
	HasGradeChanges bool                 `json:"hasGradeChanges"`
	Notes           []string             `json:"notes"`
	Families        []famdiff.FamilyDiff `json:"families"`
}

func runDiff(c *ucli.Context) error {
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	base := c.String("base")
	switch {
	case base == "":
		return usagef(c, "--base is empty: pass a git revision, like --base origin/main")
	case strings.HasPrefix(base, "-"):
		return usagef(c, "--base %q starts with \"-\": pass a git revision, like --base origin/main", base)
	}
	format := c.String("format")
	if format != "markdown" && format != "json" {
		return usagef(c, "unknown output format %q: use markdown or json", format)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("families folder %q does not exist or is not a folder: pass the folder that holds your families", dir)
	}
	s, err := family.LoadSchema(schemaDir(c.String("schema"), dir))
	if err != nil {
		return err
	}
	d, err := diffAgainst(c.Context, dir, base, s)
	if err != nil {
		return err
	}
	commit, notes, diffs := d.commit, d.notes, d.diffs

	w := c.App.Writer
	if format == "json" {
		out := diffJSON{Base: base, Commit: commit, Notes: notes, Families: diffs, HasGradeChanges: famdiff.HasGradeChanges(diffs)}
		out.Changed = make([]string, len(diffs))
		for i, d := range diffs {
			out.Changed[i] = d.ID
		}
		if out.Notes == nil {
			out.Notes = []string{}
		}
		if out.Families == nil {
			out.Families = []famdiff.FamilyDiff{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write the diff: %w", err)
		}
		return nil
	}
	for _, n := range notes {
		fmt.Fprintf(w, "> **Note:** %s\n\n", n)
	}
	if err := famdiff.Markdown(w, diffs); err != nil {
		return fmt.Errorf("write the diff: %w", err)
	}
	return nil
}

// baseDiff is what changed in a families folder since a git revision.
type baseDiff struct {
	commit string // the commit the revision resolved to
	diffs  []famdiff.FamilyDiff
	notes  []string
	// head is the working tree's version of the families, as loaded.
	head *family.Result
}

// diffAgainst compares the families under dir in the working tree with
// the same folder at the git revision base, both loaded with s. The caller
// has checked that base does not start with "-".
func diffAgainst(ctx context.Context, dir, base string, s *family.Schema) (*baseDiff, error) {
	repo, err := openRepo(ctx, dir)
	if err != nil {
		return nil, err
	}
	commit, err := repo.resolve(ctx, base)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "jobfam-diff-*")
	if err != nil {
		return nil, fmt.Errorf("create a temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	oldDir := filepath.Join(tmp, "base")
	if err := repo.materialise(ctx, commit, oldDir); err != nil {
		return nil, err
	}
	oldRes, err := loadSide(ctx, oldDir, s)
	if err != nil {
		return nil, fmt.Errorf("load the families at %s: %w", base, err)
	}
	newRes, err := loadSide(ctx, dir, s)
	if err != nil {
		return nil, err
	}
	oldFams, newFams, notes := comparable(oldRes, newRes, base)
	return &baseDiff{commit: commit, diffs: famdiff.Families(oldFams, newFams), notes: notes, head: newRes}, nil
}

// loadSide loads one version of the families; a folder without family
// files is an empty version (the families were all added, or all removed).
func loadSide(ctx context.Context, dir string, s *family.Schema) (*family.Result, error) {
	res, err := family.Load(ctx, dir, s)
	switch {
	case errors.Is(err, family.ErrNoFamilies):
		return &family.Result{IDs: map[string]bool{}}, nil
	case err != nil:
		return nil, err
	}
	return res, nil
}

// comparable returns the families to compare: a family whose file exists
// in a version but did not load there is left out of both versions, lest
// it show as added or removed, and gets a note.
func comparable(old, new *family.Result, base string) (oldFams, newFams []*family.Family, notes []string) {
	failed := map[string][]string{}
	check := func(res *family.Result, where string) {
		loaded := make(map[string]bool, len(res.Families))
		for _, f := range res.Families {
			loaded[f.ID] = true
		}
		for id := range res.IDs {
			if !loaded[id] {
				failed[id] = append(failed[id], where)
			}
		}
	}
	check(old, "at "+base)
	check(new, "in the working tree")
	ids := make([]string, 0, len(failed))
	for id := range failed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		notes = append(notes, fmt.Sprintf("family %s could not be loaded %s and is left out of this diff: run 'jobfam validate' for the findings",
			famdiff.Code(id), strings.Join(failed[id], " and ")))
	}
	keep := func(fs []*family.Family) []*family.Family {
		var out []*family.Family
		for _, f := range fs {
			if failed[f.ID] == nil {
				out = append(out, f)
			}
		}
		return out
	}
	return keep(old.Families), keep(new.Families), notes
}

// gitRepo is the repository that holds a families folder.
type gitRepo struct {
	root string
	// prefix is the families folder's path in the repository, with
	// forward slashes and no trailing slash; "" for the root.
	prefix string
}

// git runs git with args in the repository, never through a shell, and
// returns its standard output. stdin may be nil.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.Bytes(), &gitError{args: args, msg: msg, err: err}
	}
	return stdout.Bytes(), nil
}

type gitError struct {
	args []string
	msg  string
	err  error
}

func (e *gitError) Error() string { return fmt.Sprintf("git %s: %s", e.args[0], e.msg) }
func (e *gitError) Unwrap() error { return e.err }

// openRepo finds the repository of dir and dir's path in it.
func openRepo(ctx context.Context, dir string) (*gitRepo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("diff needs git, which is not installed or not on PATH: %w", err)
	}
	out, err := git(ctx, dir, nil, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("%q is not inside a git repository (diff reads the base version with git): %w", dir, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != 2 {
		if len(lines) == 1 {
			// --show-prefix prints an empty line at the root.
			lines = append(lines, "")
		} else {
			return nil, fmt.Errorf("git rev-parse: unexpected output %q", out)
		}
	}
	return &gitRepo{root: lines[0], prefix: strings.TrimSuffix(lines[1], "/")}, nil
}

// resolve returns the commit that ref names. The caller has checked that
// ref does not start with "-"; --end-of-options makes sure git reads it as
// a revision all the same.
func (r *gitRepo) resolve(ctx context.Context, ref string) (string, error) {
	out, err := git(ctx, r.root, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("unknown git revision %q: name a commit, branch or tag of this repository, and fetch it first (in GitHub Actions, actions/checkout with fetch-depth: 0)", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// treeFile is a family file of the base tree.
type treeFile struct {
	rel  string // path under the families folder, slash-separated
	oid  string
	size int64
}

// materialise writes the families folder as it is at commit into dir,
// keeping relative paths. Only regular .cue files are written (links and
// submodules are not); a file larger than family.MaxFileSize is written as
// an empty (sparse) file of its size, so that the loader reports it as it
// would in the working tree, without reading it.
func (r *gitRepo) materialise(ctx context.Context, commit, dir string) error {
	return r.materialiseFolder(ctx, commit, r.prefix, dir)
}

// materialiseFolder writes the .cue files of the repository's folder
// prefix ("" for the root) as they are at commit into dir, as materialise
// does for the families folder.
func (r *gitRepo) materialiseFolder(ctx context.Context, commit, prefix, dir string) error {
	spec := "."
	if prefix != "" {
		spec = prefix
	}
	out, err := git(ctx, r.root, nil, "ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", spec)
	if err != nil {
		return fmt.Errorf("list %s at %s: %w", spec, commit, err)
	}
	var files []treeFile
	for _, entry := range bytes.Split(out, []byte{0}) {
		if len(entry) == 0 {
			continue
		}
		// <mode> SP <type> SP <object> SP+ <size> TAB <path>
		meta, p, ok := strings.Cut(string(entry), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 {
			return fmt.Errorf("git ls-tree: unexpected entry %q", entry)
		}
		if (fields[0] != "100644" && fields[0] != "100755") || fields[1] != "blob" || !strings.HasSuffix(p, ".cue") {
			continue
		}
		rel := p
		if prefix != "" {
			var found bool
			if rel, found = strings.CutPrefix(p, prefix+"/"); !found {
				continue
			}
		}
		if !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) != rel {
			continue
		}
		size, err := strconv.ParseInt(fields[3], 10, 64)
		if err != nil {
			return fmt.Errorf("git ls-tree: unexpected size in %q", entry)
		}
		files = append(files, treeFile{rel: rel, oid: fields[2], size: size})
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	var small []treeFile
	for _, f := range files {
		if f.size > family.MaxFileSize {
			if err := writeSparse(filepath.Join(dir, filepath.FromSlash(f.rel)), f.size); err != nil {
				return err
			}
			continue
		}
		small = append(small, f)
	}
	return r.catFiles(ctx, dir, small)
}

func writeSparse(name string, size int64) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(name), err)
	}
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Truncate(name, size); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// catFiles reads the blobs of files with one "git cat-file --batch" and
// writes each under dir.
func (r *gitRepo) catFiles(ctx context.Context, dir string, files []treeFile) error {
	if len(files) == 0 {
		return nil
	}
	cmd := exec.CommandContext(ctx, "git", "-C", r.root, "cat-file", "--batch")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	// The object ids are written while the contents are read, so that
	// neither pipe fills up and blocks git.
	go func() {
		bw := bufio.NewWriter(stdin)
		for _, f := range files {
			fmt.Fprintln(bw, f.oid)
		}
		bw.Flush()
		stdin.Close()
	}()
	readErr := func() error {
		br := bufio.NewReader(stdout)
		for _, f := range files {
			header, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: read %s: %w", f.rel, err)
			}
			fields := strings.Fields(header)
			if len(fields) != 3 || fields[0] != f.oid || fields[1] != "blob" {
				return fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(header), f.rel)
			}
			size, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil || size != f.size || size > family.MaxFileSize {
				return fmt.Errorf("git cat-file: unexpected size %q for %s", fields[2], f.rel)
			}
			data := make([]byte, size+1) // the content and a newline
			if _, err := io.ReadFull(br, data); err != nil {
				return fmt.Errorf("git cat-file: read %s: %w", f.rel, err)
			}
			name := filepath.Join(dir, filepath.FromSlash(f.rel))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return fmt.Errorf("create %s: %w", filepath.Dir(name), err)
			}
			if err := os.WriteFile(name, data[:size], 0o644); err != nil {
				return fmt.Errorf("write %s: %w", name, err)
			}
		}
		return nil
	}()
	if readErr != nil {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case readErr != nil:
		return readErr
	case waitErr != nil:
		return fmt.Errorf("git cat-file: %s: %w", strings.TrimSpace(stderr.String()), waitErr)
	}
	return nil
}
