package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/cache"
	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/report"
)

func validateCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "check job families against the schema and the policy's rules",
		ArgsUsage: "[DIR]",
		Description: `Checks every family file under DIR (default: families) and prints one line
per finding, "path:line:col: message [rule]", sorted by file and position.
It prints nothing when there is nothing to report.

The schema and policy come from --schema, else from the schema/ folder next
to DIR, else from the copy built into jobfam. The rules are documented at
` + check.DocsURL + `.

Results are cached: what each family file contributes (its findings and
what the rules across families need from it) is kept, keyed on the file's
path and bytes, the schema and policy files and this build of jobfam, so
the next run reads it instead of checking the family again. The rules
that compare families run every time; a cached run prints exactly what a
fresh one does. The cache lives in the user cache folder (` + "`" + `jobfam` + "`" + ` under
$XDG_CACHE_HOME, ~/.cache, ~/Library/Caches or %LocalAppData%), or in
--cache DIR; --no-cache or JOBFAM_CACHE=off bypasses it, and deleting the
folder clears it. It keeps itself under 64 MiB, dropping the entries used
least recently.

Examples:
  jobfam validate
  jobfam validate --format json families > findings.json
  jobfam validate --format sarif > jobfam.sarif      # for GitHub code scanning
  jobfam validate --schema ../policy/schema families

Exit codes: 0 no errors, 1 findings at error severity, 2 usage or load failure.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: " + strings.Join(report.Formats, ", ")},
			&ucli.BoolFlag{Name: "list-suppressed", Usage: "also list, on stderr, the findings that jobfam:ignore comments silence"},
			&ucli.StringFlag{Name: "cache", Usage: "keep results between runs in `DIR` (default: jobfam in the user cache folder)"},
			&ucli.BoolFlag{Name: "no-cache", Usage: "check every family afresh, neither reading nor writing the cache (also: JOBFAM_CACHE=off)"},
		},
		Action: runValidate,
	}
}

func runValidate(c *ucli.Context) error {
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	rules := check.Rules()
	docs := make([]report.Rule, len(rules))
	for i, r := range rules {
		docs[i] = report.Rule{ID: r.ID, Summary: r.Summary, HelpURI: r.HelpURI(), Level: sarifLevel(r.Severity)}
	}
	printer, err := report.New(c.String("format"), docs)
	if err != nil {
		return usagef(c, "%v", err)
	}
	memo, closeCache, err := openCache(c)
	if err != nil {
		return err
	}
	// Closing waits for the cache's writes: after the findings are out.
	defer closeCache()
	v, err := validateFolder(c.Context, dir, c.String("schema"), memo)
	if err != nil {
		return err
	}
	findings := v.findings
	relativize(findings)
	findings = diag.Sort(findings)
	if err := printer.Print(c.App.Writer, findings); err != nil {
		return fmt.Errorf("write findings: %w", err)
	}
	if c.Bool("list-suppressed") {
		relativize(v.suppressed)
		for _, f := range diag.Sort(v.suppressed) {
			fmt.Fprintln(c.App.ErrWriter, f)
		}
	}
	if diag.HasErrors(findings) {
		return errFindings
	}
	return nil
}

// checked is what validate's pipeline found.
type checked struct {
	// findings are unsorted, with the paths the loader gave them.
	findings []diag.Finding
	// suppressed are the findings a jobfam:ignore comment silenced.
	suppressed []diag.Finding
	// schema is the schema used.
	schema *family.Schema
}

// validateFolder runs validate's pipeline over dir, with the schema of
// schemaDir(schemaFlag, dir).
func validateFolder(ctx context.Context, dir, schemaFlag string, memo family.Memo) (*checked, error) {
	s, err := family.LoadSchema(schemaDir(schemaFlag, dir))
	if err != nil {
		return nil, err
	}
	if err := check.CheckPolicy(&s.Policy); err != nil {
		return nil, fmt.Errorf("schema %s: %w", s.Source, err)
	}
	// The rules need every family's id before the first family is checked,
	// to resolve links: the folder's files are listed before any is read.
	folder, err := family.Open(dir)
	if err != nil {
		return nil, err
	}
	env := &check.Env{Policy: &s.Policy, IDs: folder.IDs}
	// Each family is checked in the worker that loaded it and then let go,
	// so memory does not grow with the repository; the collector can then
	// run less often (the default, 100, spends a fifth of the time in it).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	res, err := folder.CheckMemo(ctx, s, func(f *family.Family) ([]diag.Finding, []diag.Finding) {
		return check.Family(env, f)
	}, memo)
	if err != nil {
		return nil, err
	}
	// The rules across families run every time, from the headers: their
	// findings depend on every file.
	across, silenced := check.Across(env, res.Headers)
	return &checked{
		findings:   append(res.Findings, across...),
		suppressed: append(res.Suppressed, silenced...),
		schema:     s,
	}, nil
}

// cacheOff is the value of JOBFAM_CACHE that bypasses the cache, for
// environments where no flag can be added, such as an editor's command.
const cacheOff = "off"

// openCache opens the result cache that the flags and JOBFAM_CACHE ask
// for, and returns it (nil for none) with the function that waits for its
// writes and trims it once the run is done. A folder named with --cache
// that cannot be used is an error; when the default folder cannot be made
// (no home folder, a read-only one), validate runs without a cache, only
// slower, since the cache never changes what it prints.
func openCache(c *ucli.Context) (family.Memo, func(), error) {
	if c.Bool("no-cache") {
		return nil, func() {}, nil
	}
	return cacheIn(c.String("cache"))
}

// cacheIn opens the result cache in dir, or in jobfam's folder of the
// user's cache when dir is "", unless JOBFAM_CACHE=off.
func cacheIn(dir string) (family.Memo, func(), error) {
	none := func() {}
	if os.Getenv("JOBFAM_CACHE") == cacheOff {
		return nil, none, nil
	}
	explicit := dir != ""
	if !explicit {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, none, nil
		}
		dir = filepath.Join(base, "jobfam")
	}
	build, err := cache.Build()
	if err == nil {
		var store *cache.Store
		if store, err = cache.Open(dir, build); err == nil {
			// Trimming only bounds the folder: a failure costs space, not
			// a result, and must not fail a validation that succeeded.
			return store, func() { _ = store.Close() }, nil
		}
	}
	if explicit {
		return nil, none, fmt.Errorf("--cache %s: %w", dir, err)
	}
	return nil, none, nil
}

// schemaDir picks the schema folder: the one asked for, else schema/ beside
// the families folder when it holds .cue files, else "" for the embedded
// copy.
func schemaDir(flag, families string) string {
	if flag != "" {
		return flag
	}
	// The families folder is resolved first: "." names a folder whose
	// parent holds schema/.
	abs, err := filepath.Abs(families)
	if err != nil {
		return ""
	}
	dir := filepath.Join(filepath.Dir(abs), "schema")
	if matches, _ := fs.Glob(os.DirFS(dir), "*.cue"); len(matches) > 0 {
		return dir
	}
	return ""
}

// relativize shows absolute paths relative to the working directory when
// they lie under it, as editors and GitHub annotations expect.
func relativize(fs []diag.Finding) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	relativizeTo(wd, fs)
}

// relativizeTo shows absolute paths relative to base when they lie under
// it: the action uses the repository root, as annotations need.
func relativizeTo(wd string, fs []diag.Finding) {
	rel := func(p string) string {
		if !filepath.IsAbs(p) {
			return p
		}
		if r, err := filepath.Rel(wd, p); err == nil && !slices.Contains(strings.Split(r, string(filepath.Separator)), "..") {
			return r
		}
		return p
	}
	for i := range fs {
		fs[i].Pos.File = rel(fs[i].Pos.File)
		for j := range fs[i].Related {
			fs[i].Related[j].File = rel(fs[i].Related[j].File)
		}
	}
}

// sarifLevel is the SARIF level of a rule's default severity.
func sarifLevel(severity string) string {
	switch severity {
	case "warning":
		return "warning"
	case "info":
		return "note"
	case "off":
		return "none"
	}
	return "error"
}
