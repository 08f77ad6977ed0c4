package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/publish"
	"github.com/jobfam/jobfam/internal/render"
	"github.com/jobfam/jobfam/internal/report"
)

// getenv reads the environment for publish; tests replace it.
var getenv = os.Getenv

func publishCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "publish",
		Usage:     "put the rendered pages into the handbook repository on GitHub, in one commit",
		ArgsUsage: "[DIR]",
		Description: `Validates and renders every family under DIR (default: families), reads the
handbook branch's tree once, and makes the pages under --dir match, in one
commit: pages added, changed, and deleted. Only pages that carry jobfam's
marker in their front matter ("generated_by: jobfam") are ever changed or
deleted; hand-written pages in the same folder are never touched. With no
difference nothing is written and publish says "up to date".

A hand-written page that stands where a family's page goes, or that Hugo
serves at a URL a family's page now serves (its own, or one of the
family's aliases under the path of policy.handbookBase), stops the
publish (exit 1) with a message naming every such page. --adopt lets the
same commit replace it, or delete it when the family's page is at
another path (a folder family's _index.md and level pages, say), and
lists each adopted page; from then on the page is jobfam's.

A handbook too large for one listing of its tree (GitHub truncates beyond
100,000 entries or 7 MB) is read only under --dir, a few requests more.

--mode direct moves --branch (never by force; when someone pushed meanwhile
the commit is rebuilt on the new head). --mode pr rebuilds the branch
jobfam/publish on the head of --branch and keeps one pull request open,
closed again when no difference remains.

The token comes from GITHUB_TOKEN, else from --token-file. It needs
"contents: write" on the handbook, and "pull-requests: write" for --mode pr.
The commit names its source (Source-Commit, Source-PR, Approved-By
trailers), from GITHUB_REPOSITORY and GITHUB_SHA when set, else from the
git checkout of DIR.

The last line printed is "operation=<none|committed|created|updated|closed>"
followed by "commit-sha=..." and "pull-request-url=..." when there is one;
--format json prints one JSON object instead.

Examples:
  jobfam publish --repo acme/handbook
  jobfam publish --repo acme/handbook --mode pr --require-approval
  jobfam publish --repo acme/handbook --dry-run
  jobfam publish --repo acme/handbook --adopt --dry-run

Exit codes: 0 published (or up to date), 1 findings in the families or
refused (no approval, a hand-written page in the way without --adopt), 2 usage or GitHub
failure.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "repo", Usage: "the handbook repository, `OWNER/NAME`"},
			&ucli.StringFlag{Name: "branch", Value: "main", Usage: "the handbook's `BRANCH`"},
			&ucli.StringFlag{Name: "dir", Value: "content/job-families", Usage: "the `FOLDER` of the pages in the handbook"},
			&ucli.StringFlag{Name: "mode", Value: "direct", Usage: "`MODE`: direct (commit to --branch) or pr (pull request from jobfam/publish)"},
			&ucli.BoolFlag{Name: "require-approval", Usage: "refuse unless the source commit comes from a merged pull request approved by someone other than its author"},
			&ucli.BoolFlag{Name: "adopt", Usage: "replace or delete the hand-written pages whose URL a family's page now serves, in the same commit"},
			&ucli.BoolFlag{Name: "dry-run", Usage: "write nothing; print the changes and a diff of each page"},
			&ucli.StringFlag{Name: "api-url", Usage: "the GitHub REST API's `URL` (default: GITHUB_API_URL, as on an Actions runner, else https://api.github.com)"},
			&ucli.StringFlag{Name: "token-file", Usage: "read the token from `FILE` when GITHUB_TOKEN is not set"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json"},
		},
		Action: runPublish,
	}
}

func runPublish(c *ucli.Context) error {
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	repo := c.String("repo")
	if repo == "" {
		return usagef(c, "publish needs --repo OWNER/NAME, the handbook repository")
	}
	if _, _, err := publish.SplitRepo(repo); err != nil {
		return usagef(c, "--repo: %v", err)
	}
	mode := c.String("mode")
	if mode != "direct" && mode != "pr" {
		return usagef(c, "unknown --mode %q: use direct or pr", mode)
	}
	format := c.String("format")
	if format != "text" && format != "json" {
		return usagef(c, "unknown output format %q: use text or json", format)
	}
	if err := publish.CheckDir(c.String("dir")); err != nil {
		return usagef(c, "%v", err)
	}
	if c.String("branch") == "" || strings.HasPrefix(c.String("branch"), "-") {
		return usagef(c, "--branch %q is not a branch name", c.String("branch"))
	}
	token, err := tokenOf(c)
	if err != nil {
		return err
	}

	res, opts, err := publishFamilies(c.Context, publishParams{
		Families: dir, Schema: c.String("schema"),
		Repo: repo, Branch: c.String("branch"), Dir: c.String("dir"), Mode: mode,
		DryRun: c.Bool("dry-run"), RequireApproval: c.Bool("require-approval"), Adopt: c.Bool("adopt"),
		APIURL: cmp.Or(c.String("api-url"), getenv("GITHUB_API_URL")), Token: token,
		Source: source(c.Context, dir, getenv), Log: c.App.ErrWriter,
	})
	var perr *paramError
	if errors.As(err, &perr) {
		return usagef(c, "%v", perr.err)
	}
	if err != nil {
		return err
	}
	return printPublish(c.App.Writer, format, res, opts)
}

// publishParams is what one publish needs, from flags (jobfam publish) or
// from the runner's environment (jobfam action publish).
type publishParams struct {
	Families, Schema string // the families folder and the --schema folder ("" for the default)
	Repo, Branch     string // the handbook repository and branch
	Dir              string // the pages' folder in the handbook
	Mode             string // "direct" or "pr"
	DryRun           bool
	RequireApproval  bool
	Adopt            bool
	APIURL, Token    string
	Source           publish.Source
	// Log receives the findings that stop a publish, and progress notes.
	Log io.Writer
}

// paramError is a parameter GitHub's client refused; the command line
// reports it as a usage mistake.
type paramError struct{ err error }

func (e *paramError) Error() string { return e.err.Error() }

// refusedError is publish choosing not to publish; it counts as errFindings
// (exit 1), and its reason has been written to the log already.
type refusedError struct{ err error }

func (e *refusedError) Error() string        { return e.err.Error() }
func (e *refusedError) Unwrap() error        { return e.err }
func (e *refusedError) Is(target error) bool { return target == errFindings }

// publishFamilies validates and renders the families and publishes them:
// the one implementation behind jobfam publish and jobfam action publish.
// It returns errFindings when the families have errors, or a *refusedError
// (which is errFindings too) when publish refused; the reasons are written to
// p.Log, and never an error that holds the
// token.
func publishFamilies(ctx context.Context, p publishParams) (*publish.Result, publish.Options, error) {
	opts := publish.Options{
		Repo: p.Repo, Branch: p.Branch, Dir: p.Dir, Mode: p.Mode,
		DryRun: p.DryRun, RequireApproval: p.RequireApproval, Adopt: p.Adopt,
		Source: p.Source, Log: p.Log,
	}
	pages, serves, err := renderAll(ctx, p.Families, p.Schema, p.Log)
	if err != nil {
		return nil, opts, err
	}
	opts.Serves = serves
	gh, err := publish.NewClient(publish.ClientOptions{
		APIURL: p.APIURL, Token: p.Token, Repo: p.Repo, Mode: p.Mode, Log: p.Log,
	})
	if err != nil {
		return nil, opts, &paramError{redact(err, p.Token)}
	}
	if p.RequireApproval {
		// The merged pull request must also meet the policy's approval
		// rules, judged exactly as jobfam approvals judged it.
		opts.CheckApprovals = func(ctx context.Context, pr int) (map[string][]string, error) {
			return rulesMet(ctx, gh, p.Source.Repo, pr, p.Families, p.Schema)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	res, err := publish.Publish(ctx, gh, pages, opts)
	if errors.Is(err, publish.ErrRefused) {
		err = redact(err, p.Token)
		fmt.Fprintf(p.Log, "jobfam: %v\n", err)
		return nil, opts, &refusedError{err}
	}
	if err != nil {
		return nil, opts, redact(err, p.Token)
	}
	return res, opts, nil
}

// renderAll validates and renders every family, refusing (and printing
// the findings to stderr) when any has errors, as render does. With the
// pages it returns the URLs each page serves besides its own (aliasURLs).
func renderAll(ctx context.Context, dir, schema string, stderr io.Writer) (map[string][]byte, map[string][]string, error) {
	s, err := family.LoadSchema(schemaDir(schema, dir))
	if err != nil {
		return nil, nil, err
	}
	res, err := family.Load(ctx, dir, s)
	if err != nil {
		return nil, nil, err
	}
	findings := append(res.Findings, check.Run(&check.Env{Policy: &s.Policy, IDs: res.IDs}, res.Families)...)
	relativize(findings)
	if findings = diag.Sort(findings); diag.HasErrors(findings) {
		printer, _ := report.New("text", nil)
		if err := printer.Print(stderr, findings); err != nil {
			return nil, nil, err
		}
		fmt.Fprintln(stderr, "jobfam: publish publishes nothing while the families have errors: fix the findings above")
		return nil, nil, errFindings
	}
	site := render.NewSite(&s.Policy, res.Families)
	pages := make(map[string][]byte, len(res.Families))
	for _, f := range res.Families {
		pages[f.ID+".md"] = render.Page(f, site)
	}
	return pages, aliasURLs(s.Policy.HandbookBase, res.Families), nil
}

// aliasURLs maps each family's page to the URLs its aliases give it, as
// publish.Options.Serves takes them: relative to the URL of the handbook
// folder, without slashes at either end. An alias is a site path
// ("/job-families/engineering/frontend/senior/"); only those under the
// path of policy.handbookBase ("/job-families/") name pages of the folder
// jobfam publishes into, so the others are Hugo's business alone.
func aliasURLs(handbookBase string, fams []*family.Family) map[string][]string {
	u, err := url.Parse(handbookBase)
	if err != nil {
		return nil // the schema requires a URL; nothing to compare with otherwise
	}
	prefix := strings.TrimSuffix(u.Path, "/") + "/"
	out := map[string][]string{}
	for _, f := range fams {
		for _, a := range f.Aliases {
			rest, ok := strings.CutPrefix(a.Value, prefix)
			if rest = strings.Trim(rest, "/"); ok && rest != "" {
				out[f.ID+".md"] = append(out[f.ID+".md"], rest)
			}
		}
	}
	return out
}

func printPublish(w io.Writer, format string, res *publish.Result, opts publish.Options) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if opts.DryRun {
		fmt.Fprint(w, res.Diff)
	}
	for _, s := range []struct {
		verb  string
		paths []string
	}{{"added", res.Added}, {"changed", res.Changed}, {"deleted", res.Deleted}} {
		for _, p := range s.paths {
			fmt.Fprintf(w, "%-7s %s\n", s.verb, p)
		}
	}
	for _, a := range res.Adopted {
		if a.Action == publish.AdoptReplaced {
			fmt.Fprintf(w, "adopted %s: hand-written, replaced by its family's page\n", a.Path)
		} else {
			fmt.Fprintf(w, "adopted %s: hand-written, deleted, %s serves its URL\n", a.Path, a.ServedBy)
		}
	}
	adopting := ""
	if n := len(res.Adopted); n > 0 {
		adopting = fmt.Sprintf(" (%d hand-written %s adopted)", n, plural(n, "page", "pages"))
	}
	where := fmt.Sprintf("%s@%s", opts.Repo, opts.Branch)
	total := len(res.Added) + len(res.Changed) + len(res.Deleted)
	switch {
	case total == 0 && res.Operation != publish.OpClosed:
		fmt.Fprintf(w, "up to date: %s in %s needs no change\n", opts.Dir, where)
	case opts.DryRun:
		fmt.Fprintf(w, "dry run: would publish %d %s%s to %s (%s); nothing was written\n", total, plural(total, "page", "pages"), adopting, where, res.Operation)
	case res.Operation == publish.OpClosed:
		fmt.Fprintf(w, "no difference remains: closed %s\n", res.PullRequestURL)
	case res.Operation == publish.OpCommitted:
		fmt.Fprintf(w, "published %d %s%s to %s in commit %s\n", total, plural(total, "page", "pages"), adopting, where, res.CommitSHA)
	default:
		fmt.Fprintf(w, "pull request %s: %s\n", res.Operation, res.PullRequestURL)
	}
	fmt.Fprintf(w, "operation=%s\n", res.Operation)
	if res.CommitSHA != "" {
		fmt.Fprintf(w, "commit-sha=%s\n", res.CommitSHA)
	}
	if res.PullRequestURL != "" {
		fmt.Fprintf(w, "pull-request-url=%s\n", res.PullRequestURL)
	}
	return nil
}

// source finds the commit the families come from: Actions' variables,
// read with getenv, else the git checkout of dir (best effort: no git, no
// source).
func source(ctx context.Context, dir string, getenv func(string) string) publish.Source {
	if repo, sha := getenv("GITHUB_REPOSITORY"), getenv("GITHUB_SHA"); repo != "" && sha != "" {
		return publish.Source{Repo: repo, SHA: sha}
	}
	git := func(args ...string) string {
		out, err := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	sha := git("rev-parse", "HEAD")
	m := githubRemote.FindStringSubmatch(git("remote", "get-url", "origin"))
	if sha == "" || m == nil {
		return publish.Source{}
	}
	return publish.Source{Repo: m[1] + "/" + m[2], SHA: sha}
}

// githubRemote reads owner and name from a GitHub remote URL, ssh or
// https, with any credentials in it ignored.
var githubRemote = regexp.MustCompile(`github\.com[:/]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$`)

// tokenOf reads the token from GITHUB_TOKEN, else from --token-file.
func tokenOf(c *ucli.Context) (string, error) {
	token := getenv("GITHUB_TOKEN")
	if token == "" && c.String("token-file") != "" {
		data, err := os.ReadFile(c.String("token-file"))
		if err != nil {
			return "", fmt.Errorf("read --token-file: %w", errors.Unwrap(err))
		}
		token = strings.TrimSpace(string(data))
	}
	if token == "" {
		return "", usagef(c, "no token: set GITHUB_TOKEN or pass --token-file")
	}
	return token, nil
}

// redact keeps the token out of an error, whatever produced it.
func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "[token]"))
}
