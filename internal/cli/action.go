package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/publish"
	"github.com/jobfam/jobfam/internal/report"
)

const actionDescription = `The logic of jobfam's GitHub Action, so that action.yml only builds jobfam
and runs one of these. Everything is read from the environment, as the
runner sets it; nothing comes from flags.

Inputs (action.yml passes each input through env:):
  JOBFAM_PATH               the families folder (default: families)
  JOBFAM_SCHEMA             the schema folder (default: schema/ beside it, else built in)
  JOBFAM_COMMENT            validate: post the pull-request comment, true or false (default: true)
  JOBFAM_HANDBOOK_REPO      publish: the handbook repository, OWNER/NAME
  JOBFAM_HANDBOOK_BRANCH    publish: its branch (default: main)
  JOBFAM_HANDBOOK_DIR       publish: the pages' folder (default: content/job-families)
  JOBFAM_MODE               publish: direct or pr (default: direct)
  JOBFAM_REQUIRE_APPROVAL   publish: true or false (default: false)
  JOBFAM_ADOPT              publish: adopt hand-written pages in the way, true or false (default: false)
  GITHUB_TOKEN              the token; never printed

Runner variables: GITHUB_EVENT_PATH, GITHUB_EVENT_NAME, GITHUB_REPOSITORY,
GITHUB_SHA, GITHUB_API_URL, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
GITHUB_WORKSPACE (relative JOBFAM_PATH and JOBFAM_SCHEMA are read from it).

validate (pull_request events) prints at most 10 error and 10 warning
annotations, those on changed lines first; appends the verdict, every
finding, the semantic diff against the pull request's base, a Mermaid
diagram and the rendered pages of the changed families to the job summary;
writes the outputs findings, errors and changed-families; and keeps one
pull-request comment up to date. Exit codes: 0 no errors, 1 errors, 2
failure.

publish (push events) runs jobfam publish and writes the outputs operation,
commit-sha and pull-request-url. Exit codes: 0 published or up to date,
1 findings or refused, 2 failure.`

// actionCommand is "jobfam action", reading the real environment.
func actionCommand() *ucli.Command { return newActionCommand(os.Getenv) }

// newActionCommand builds "jobfam action" over getenv, which tests replace
// with a map: the action reads nothing from os.Getenv itself.
func newActionCommand(getenv func(string) string) *ucli.Command {
	sub := func(name, usage string, run func(context.Context, *actionEnv, io.Writer, io.Writer) error) *ucli.Command {
		return &ucli.Command{
			Name:  name,
			Usage: usage,
			Action: func(c *ucli.Context) error {
				if c.NArg() > 0 {
					return &usageError{cmd: "action " + name, msg: fmt.Sprintf("action %s takes no arguments: it reads its inputs from JOBFAM_* variables, got %s", name, strings.Join(c.Args().Slice(), " "))}
				}
				return run(c.Context, &actionEnv{getenv: getenv}, c.App.Writer, c.App.ErrWriter)
			},
		}
	}
	return &ucli.Command{
		Name:        "action",
		Usage:       "run a step of jobfam's GitHub Action (validate a pull request, publish a merge)",
		Description: actionDescription,
		Subcommands: []*ucli.Command{
			sub("validate", "validate the families of a pull request: annotations, job summary, outputs, comment", actionValidate),
			sub("publish", "publish the families after a merge, with the action's inputs", actionPublish),
			sub("approvals", "judge a pull request by the policy's approval rules: annotations, job summary, outputs, comment", actionApprovals),
		},
	}
}

// actionEnv reads the runner's environment.
type actionEnv struct {
	getenv func(string) string
}

func (e *actionEnv) get(name, def string) string {
	if v := strings.TrimSpace(e.getenv(name)); v != "" {
		return v
	}
	return def
}

// path reads a path input; a relative one is taken from the workspace,
// where the runner starts a step's shell.
func (e *actionEnv) path(name, def string) string {
	p := e.get(name, def)
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if ws := e.get("GITHUB_WORKSPACE", ""); ws != "" {
		return filepath.Join(ws, p)
	}
	return p
}

// bool reads a "true"/"false" input, as Actions spells booleans.
func (e *actionEnv) bool(name string, def bool) (bool, error) {
	switch v := strings.ToLower(e.get(name, strconv.FormatBool(def))); v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, fmt.Errorf("%s is %q: use true or false", name, v)
	}
}

// token is the token, with surrounding whitespace (a newline from a secret
// file) removed.
func (e *actionEnv) token() string { return strings.TrimSpace(e.getenv("GITHUB_TOKEN")) }

// event is what the action reads of the event payload.
type event struct {
	Number      int        `json:"number"`
	PullRequest *eventPull `json:"pull_request"`
	After       string     `json:"after"` // push events
}

// eventPull is what the action reads of the event's pull request.
type eventPull struct {
	Number int `json:"number"`
	Base   struct {
		SHA string `json:"sha"`
		Ref string `json:"ref"`
	} `json:"base"`
	HTMLURL string `json:"html_url"`
}

func (e *actionEnv) event() (*event, error) {
	p := e.get("GITHUB_EVENT_PATH", "")
	if p == "" {
		return &event{}, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read the event (GITHUB_EVENT_PATH): %w", err)
	}
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("read the event %s: %w", p, err)
	}
	return &ev, nil
}

// repoRoot returns the root of the git repository holding dir, else the
// workspace, else the working directory: annotation paths are relative to
// the repository.
func (e *actionEnv) repoRoot(ctx context.Context, dir string) string {
	if r, err := openRepo(ctx, dir); err == nil {
		return r.root
	}
	if ws := e.get("GITHUB_WORKSPACE", ""); ws != "" {
		return ws
	}
	wd, _ := os.Getwd()
	return wd
}

func actionValidate(ctx context.Context, env *actionEnv, stdout, stderr io.Writer) error {
	token := env.token()
	err := validatePR(ctx, env, token, stdout, stderr)
	if err != nil && !errors.Is(err, errFindings) {
		err = redact(err, token)
		// The summary says why the step failed too, for those who only
		// read the summary.
		_ = appendFile(env.get("GITHUB_STEP_SUMMARY", ""), "## jobfam\n\n"+ranBy()+":x: jobfam could not validate the families: "+famdiff.Escape(err.Error())+"\n\n")
	}
	return err
}

func validatePR(ctx context.Context, env *actionEnv, token string, stdout, stderr io.Writer) error {
	comment, err := env.bool("JOBFAM_COMMENT", true)
	if err != nil {
		return err
	}
	dir := env.path("JOBFAM_PATH", "families")
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("families folder %q (JOBFAM_PATH) does not exist or is not a folder", dir)
	}
	ev, err := env.event()
	if err != nil {
		return err
	}

	// The Action keeps the result cache between runs (actions/cache, in
	// JOBFAM_CACHE_DIR): a pull request starts from its base branch's.
	var memo family.Memo
	if d := env.get("JOBFAM_CACHE_DIR", ""); d != "" {
		m, done, err := cacheIn(d)
		if err != nil {
			return err
		}
		defer done()
		memo = m
	}
	c, err := validateFolder(ctx, dir, env.path("JOBFAM_SCHEMA", ""), memo)
	if err != nil {
		return err
	}
	findings, s := c.findings, c.schema
	root := env.repoRoot(ctx, dir)
	relativizeTo(root, findings)
	findings = diag.Sort(findings)

	v := &validation{findings: findings, schema: s}
	if pr := ev.PullRequest; pr != nil && pr.Base.SHA != "" {
		v.base = pr.Base.SHA
		switch {
		case strings.HasPrefix(pr.Base.SHA, "-"):
			v.notes = append(v.notes, fmt.Sprintf("the base commit %q of the event is not a commit id: no diff", pr.Base.SHA))
		default:
			d, err := diffAgainst(ctx, dir, pr.Base.SHA, s)
			if err != nil {
				// Validation stands without the diff: say why it is missing.
				v.notes = append(v.notes, fmt.Sprintf("no diff against the base %s: %v", short(pr.Base.SHA), redact(err, token)))
			} else {
				v.diff = d
				v.changedLines = changedLines(ctx, root, d.commit, dir)
			}
		}
	} else {
		v.notes = append(v.notes, "the event is not a pull request: no diff against a base, and no comment")
	}

	shown, omitted := capAnnotations(findings, v.changedLines)
	printer, _ := report.New("github", nil)
	if err := printer.Print(stdout, shown); err != nil {
		return fmt.Errorf("write annotations: %w", err)
	}
	if omitted > 0 {
		fmt.Fprintf(stdout, "::notice title=jobfam::%d more %s not annotated here (GitHub shows 10 of each kind per step): the job summary lists all %d\n",
			omitted, plural(omitted, "finding is", "findings are"), len(findings))
	}

	var commentErr error
	if comment && ev.PullRequest != nil {
		note, err := stickyComment(ctx, env, token, ev, commentMarker, v.commentBody())
		if note != "" {
			v.notes = append(v.notes, note)
		}
		commentErr = err
	}

	if err := appendFile(env.get("GITHUB_STEP_SUMMARY", ""), v.summary()); err != nil {
		return fmt.Errorf("write the job summary: %w", err)
	}
	if err := writeOutputs(env.get("GITHUB_OUTPUT", ""), [][2]string{
		{"findings", strconv.Itoa(len(findings))},
		{"errors", strconv.Itoa(v.count(diag.Error))},
		{"changed-families", strings.Join(v.changed(), ",")},
	}); err != nil {
		return fmt.Errorf("write the outputs: %w", err)
	}
	if commentErr != nil {
		return commentErr
	}
	if diag.HasErrors(findings) {
		return errFindings
	}
	return nil
}

func actionPublish(ctx context.Context, env *actionEnv, stdout, stderr io.Writer) error {
	token := env.token()
	err := publishMerge(ctx, env, token, stdout, stderr)
	if err != nil {
		err = redact(err, token)
		var refused *refusedError
		msg := ""
		switch {
		case errors.As(err, &refused):
			msg = ":no_entry: jobfam refused to publish: " + famdiff.Escape(refused.Error())
		case errors.Is(err, errFindings):
			msg = ":x: jobfam publishes nothing while the families have errors: the log lists them"
		default:
			msg = ":x: jobfam could not publish: " + famdiff.Escape(err.Error())
		}
		_ = appendFile(env.get("GITHUB_STEP_SUMMARY", ""), "## jobfam publish\n\n"+msg+"\n\n")
	}
	return err
}

func publishMerge(ctx context.Context, env *actionEnv, token string, stdout, stderr io.Writer) error {
	switch name := env.get("GITHUB_EVENT_NAME", ""); name {
	case "pull_request", "pull_request_target":
		return fmt.Errorf("action publish runs on %s events, which carry unmerged changes: run it on push to the handbook's source branch, and action validate on pull requests", name)
	}
	p := publishParams{
		Families: env.path("JOBFAM_PATH", "families"),
		Schema:   env.path("JOBFAM_SCHEMA", ""),
		Repo:     env.get("JOBFAM_HANDBOOK_REPO", ""),
		Branch:   env.get("JOBFAM_HANDBOOK_BRANCH", "main"),
		Dir:      env.get("JOBFAM_HANDBOOK_DIR", "content/job-families"),
		Mode:     env.get("JOBFAM_MODE", "direct"),
		APIURL:   env.get("GITHUB_API_URL", ""),
		Token:    token,
		Log:      stderr,
	}
	var err error
	if p.RequireApproval, err = env.bool("JOBFAM_REQUIRE_APPROVAL", false); err != nil {
		return err
	}
	if p.Adopt, err = env.bool("JOBFAM_ADOPT", false); err != nil {
		return err
	}
	switch {
	case p.Repo == "":
		return errors.New("JOBFAM_HANDBOOK_REPO is not set: name the handbook repository, OWNER/NAME")
	case p.Mode != "direct" && p.Mode != "pr":
		return fmt.Errorf("JOBFAM_MODE is %q: use direct or pr", p.Mode)
	case p.Branch == "" || strings.HasPrefix(p.Branch, "-"):
		return fmt.Errorf("JOBFAM_HANDBOOK_BRANCH %q is not a branch name", p.Branch)
	case token == "":
		return errors.New("GITHUB_TOKEN is not set: pass a token that can write to the handbook repository")
	}
	if _, _, err := publish.SplitRepo(p.Repo); err != nil {
		return fmt.Errorf("JOBFAM_HANDBOOK_REPO: %w", err)
	}
	if err := publish.CheckDir(p.Dir); err != nil {
		return fmt.Errorf("JOBFAM_HANDBOOK_DIR: %w", err)
	}
	// The source is the pushed commit; GITHUB_SHA is it for push events,
	// the event's "after" a fallback.
	p.Source = publish.Source{Repo: env.get("GITHUB_REPOSITORY", ""), SHA: env.get("GITHUB_SHA", "")}
	if p.Source.SHA == "" {
		if ev, err := env.event(); err == nil {
			p.Source.SHA = ev.After
		}
	}
	if p.Source.Repo == "" || p.Source.SHA == "" {
		p.Source = source(ctx, p.Families, env.getenv)
	}

	res, opts, err := publishFamilies(ctx, p)
	var perr *paramError
	switch {
	case errors.As(err, &perr):
		return fmt.Errorf("GITHUB_API_URL or JOBFAM_HANDBOOK_REPO: %w", perr.err)
	case err != nil:
		return err
	}
	if err := printPublish(stdout, "text", res, opts); err != nil {
		return err
	}
	if err := appendFile(env.get("GITHUB_STEP_SUMMARY", ""), publishSummary(res, opts)); err != nil {
		return fmt.Errorf("write the job summary: %w", err)
	}
	if err := writeOutputs(env.get("GITHUB_OUTPUT", ""), [][2]string{
		{"operation", res.Operation},
		{"commit-sha", res.CommitSHA},
		{"pull-request-url", res.PullRequestURL},
	}); err != nil {
		return fmt.Errorf("write the outputs: %w", err)
	}
	return nil
}

// publishSummary is the job summary of a publish: what happened, and the
// pages, at most 100 of them.
func publishSummary(res *publish.Result, opts publish.Options) string {
	var b bytes.Buffer
	b.WriteString("## jobfam publish\n\n")
	b.WriteString(ranBy())
	where := famdiff.Code(opts.Repo + "@" + opts.Branch)
	total := len(res.Added) + len(res.Changed) + len(res.Deleted)
	switch res.Operation {
	case publish.OpNone:
		fmt.Fprintf(&b, ":white_check_mark: The handbook (%s) is up to date: nothing to publish.\n", where)
	case publish.OpCommitted:
		fmt.Fprintf(&b, ":white_check_mark: Published %d %s to %s in commit %s.\n", total, plural(total, "page", "pages"), where, famdiff.Code(res.CommitSHA))
	case publish.OpClosed:
		fmt.Fprintf(&b, ":white_check_mark: No difference remains: closed %s.\n", res.PullRequestURL)
	default:
		fmt.Fprintf(&b, ":white_check_mark: Pull request %s: %s (%d %s into %s).\n", res.Operation, res.PullRequestURL, total, plural(total, "page", "pages"), where)
	}
	adopted := map[string]string{}
	for _, a := range res.Adopted {
		adopted[a.Path] = " (hand-written, adopted)"
	}
	listed := 0
	for _, s := range []struct {
		verb  string
		paths []string
	}{{"added", res.Added}, {"changed", res.Changed}, {"deleted", res.Deleted}} {
		for _, p := range s.paths {
			if listed == 0 {
				b.WriteString("\n")
			}
			if listed++; listed > 100 {
				continue
			}
			fmt.Fprintf(&b, "- %s %s%s\n", s.verb, famdiff.Code(p), adopted[p])
		}
	}
	if listed > 100 {
		fmt.Fprintf(&b, "- and %d more\n", listed-100)
	}
	b.WriteString("\n")
	return b.String()
}

// short abbreviates a commit id for people.
func short(sha string) string {
	if len(sha) > 12 {
		return famdiff.Code(sha[:12])
	}
	return famdiff.Code(sha)
}

// loadedFamilies returns the families of ids that head loaded, in id order.
func loadedFamilies(head *family.Result, ids []string) []*family.Family {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out []*family.Family
	for _, f := range head.Families {
		if want[f.ID] {
			out = append(out, f)
		}
	}
	return out
}
