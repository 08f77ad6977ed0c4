package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/approval"
	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/publish"
	"github.com/jobfam/jobfam/internal/report"
)

func approvalsCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "approvals",
		Usage:     "check that the people the policy names approved a pull request's changes",
		ArgsUsage: "[DIR]",
		Description: `Judges a pull request of the job-families repository by the policy's
approval rules (policy.approvals, docs/approvals.md): which kinds of change
it makes to which families (the semantic diff of jobfam diff: grade, title,
track, level-added, level-removed, family-added, family-removed, content,
policy), which rules those changes trigger, and whether each triggered
rule has the approvals it needs: count distinct reviewers of its from
list (logins, or active members of @org/team teams), not the author, whose
latest review approves the pull request's head commit.

The rules are read from the pull request's base commit, never from its
head: a pull request cannot weaken the gate that judges it. The changes
are read from git, from the merge base to the head, so the checkout needs
both commits (actions/checkout with fetch-depth: 0).

The pull request is the one of the event in GITHUB_EVENT_PATH
(pull_request and pull_request_review events), or --pr N of
GITHUB_REPOSITORY. The token comes from GITHUB_TOKEN, else --token-file;
it needs "pull-requests: read", "pull-requests: write" for --request, and
for rules that name teams the organization permission "Members: read",
which only a GitHub App token has.

--request asks GitHub for the reviews still missing (the logins and the
teams of the rules not met), leaving out those already asked.

Examples:
  jobfam approvals                      # in a workflow, for its pull request
  GITHUB_REPOSITORY=acme/job-families jobfam approvals --pr 42
  jobfam approvals --request --format github

Exit codes: 0 every triggered rule is met (or none is triggered), 1 a rule
is not met, 2 jobfam cannot tell: a usage mistake, a commit missing from
the checkout, or a lookup GitHub refused (the message says which
permission the token lacks).`,
		Flags: []ucli.Flag{
			&ucli.IntFlag{Name: "pr", Usage: "judge pull request `N` of GITHUB_REPOSITORY instead of the event's"},
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "`FORMAT`: text, json or github"},
			&ucli.BoolFlag{Name: "request", Usage: "ask for the reviews the unmet rules still need"},
			&ucli.StringFlag{Name: "schema", Usage: "the schema `DIR` whose policy judges, as it is at the base commit (default: schema/ beside DIR)"},
			&ucli.StringFlag{Name: "api-url", Usage: "the GitHub REST API's `URL` (default: GITHUB_API_URL, else https://api.github.com)"},
			&ucli.StringFlag{Name: "token-file", Usage: "read the token from `FILE` when GITHUB_TOKEN is not set"},
		},
		Action: runApprovals,
	}
}

// approvalsOutput is what --format json prints.
type approvalsOutput struct {
	Repository  string                `json:"repository"`
	PullRequest int                   `json:"pull_request"`
	Head        string                `json:"head"`
	Base        string                `json:"base"`
	Met         bool                  `json:"met"`
	Changes     []approval.Change     `json:"changes"`
	Rules       []approvalsRuleOutput `json:"rules"`
	Requested   *approvalsRequested   `json:"requested,omitempty"`
}

type approvalsRuleOutput struct {
	Name      string            `json:"name"`
	Met       bool              `json:"met"`
	Count     int               `json:"count"`
	From      []string          `json:"from"`
	Approvers []string          `json:"approvers"`
	Missing   int               `json:"missing"`
	Changes   []approval.Change `json:"changes"`
}

type approvalsRequested struct {
	Users []string `json:"users"`
	Teams []string `json:"teams"`
}

func runApprovals(c *ucli.Context) error {
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	format := c.String("format")
	if format != "text" && format != "json" && format != "github" {
		return usagef(c, "unknown output format %q: use text, json or github", format)
	}
	repo, number, err := approvalsTarget(c.Int("pr"), getenv)
	if err != nil {
		return usagef(c, "%v", err)
	}
	token, err := tokenOf(c)
	if err != nil {
		return err
	}
	gh, err := publish.NewClient(publish.ClientOptions{
		APIURL: cmp.Or(c.String("api-url"), getenv("GITHUB_API_URL")), Token: token, Repo: repo, Log: c.App.ErrWriter,
	})
	if err != nil {
		return usagef(c, "%v", redact(err, token))
	}
	j, err := judgePull(c.Context, gh, repo, number, dir, c.String("schema"))
	if err != nil {
		return redact(err, token)
	}
	var requested *approvalsRequested
	if c.Bool("request") && !j.result.Met {
		if requested, err = requestMissing(c.Context, gh, j); err != nil {
			return redact(err, token)
		}
	}
	if err := printApprovals(c.App.Writer, format, j, requested); err != nil {
		return err
	}
	if !j.result.Met {
		return errFindings
	}
	return nil
}

// approvalsTarget names the pull request to judge: --pr of
// GITHUB_REPOSITORY, else the pull request of the event in
// GITHUB_EVENT_PATH.
func approvalsTarget(pr int, getenv func(string) string) (repo string, number int, err error) {
	repo = getenv("GITHUB_REPOSITORY")
	if pr < 0 {
		return "", 0, fmt.Errorf("--pr %d is not a pull request number", pr)
	}
	if pr > 0 {
		if repo == "" {
			return "", 0, errors.New("--pr needs GITHUB_REPOSITORY, the job-families repository as owner/name")
		}
		return repo, pr, nil
	}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return "", 0, errors.New("no pull request: run in a pull_request or pull_request_review workflow, or pass --pr N with GITHUB_REPOSITORY")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", 0, fmt.Errorf("read the event (GITHUB_EVENT_PATH): %w", errors.Unwrap(err))
	}
	var ev struct {
		PullRequest *struct {
			Number int `json:"number"`
		} `json:"pull_request"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		return "", 0, fmt.Errorf("read the event %s: %v", path, err)
	}
	if ev.PullRequest == nil || ev.PullRequest.Number <= 0 {
		return "", 0, fmt.Errorf("the event %s is not a pull request's: run approvals on pull_request and pull_request_review events, or pass --pr N", getenv("GITHUB_EVENT_NAME"))
	}
	if ev.Repository.FullName != "" {
		repo = ev.Repository.FullName
	}
	if repo == "" {
		return "", 0, errors.New("the event names no repository: set GITHUB_REPOSITORY")
	}
	return repo, ev.PullRequest.Number, nil
}

// pullJudge is what approvals and publish need of GitHub to judge a pull
// request: the pull request, its reviews and the teams' members.
type pullJudge interface {
	Pull(ctx context.Context, repo string, number int) (*publish.Pull, error)
	Reviews(ctx context.Context, repo string, number int) ([]publish.Review, error)
	TeamMember(ctx context.Context, org, slug, login string) (bool, error)
}

// judgement is a pull request judged by the approval rules.
type judgement struct {
	repo    string
	pull    *publish.Pull
	changes []approval.Change
	result  *approval.Result
}

// judgePull evaluates the approval rules for a pull request: the one
// evaluation behind jobfam approvals, the Action and publish
// --require-approval, so that they cannot disagree. The rules come from
// the schema folder at the pull request's base commit; the changes from
// git, between the merge base and the head, of the families folder dir
// and of the schema folder.
func judgePull(ctx context.Context, gh pullJudge, repo string, number int, dir, schemaFlag string) (*judgement, error) {
	pull, err := gh.Pull(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	for _, sha := range []string{pull.BaseSHA, pull.HeadSHA} {
		if !isCommitID(sha) {
			return nil, fmt.Errorf("pull request %s#%d names %q as a commit: GitHub's answer is not usable", repo, number, sha)
		}
	}
	rules, changes, err := pullChanges(ctx, dir, schemaFlag, pull.BaseSHA, pull.HeadSHA)
	if err != nil {
		return nil, fmt.Errorf("pull request %s#%d: %w", repo, number, err)
	}
	pr := approval.PullRequest{Repo: repo, Number: number, Author: pull.Author, HeadSHA: pull.HeadSHA}
	res, err := approval.Evaluate(ctx, approvalGitHub{gh}, pr, approval.Triggered(rules, changes))
	if err != nil {
		return nil, err
	}
	return &judgement{repo: repo, pull: pull, changes: changes, result: res}, nil
}

// isCommitID reports whether s is a full hexadecimal commit id, which git
// cannot mistake for an option.
func isCommitID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// pullChanges reads, from the git repository holding dir, the approval
// rules of the schema folder at base and the changes from the merge base
// of base and head to head.
func pullChanges(ctx context.Context, dir, schemaFlag, base, head string) ([]approval.Rule, []approval.Change, error) {
	repo, err := openRepo(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	for _, sha := range []string{base, head} {
		if _, err := repo.resolve(ctx, sha); err != nil {
			return nil, nil, fmt.Errorf("commit %s is not in this checkout: fetch the pull request's history (actions/checkout with fetch-depth: 0)", short(sha))
		}
	}
	out, err := git(ctx, repo.root, nil, "merge-base", "--end-of-options", base, head)
	if err != nil {
		return nil, nil, fmt.Errorf("find the merge base of %s and %s: %w", short(base), short(head), err)
	}
	mergeBase := strings.TrimSpace(string(out))

	// The schema folder's path in the repository; "" when the families
	// are judged by the schema built into jobfam.
	schemaPrefix := ""
	if sd := schemaDir(schemaFlag, dir); sd != "" {
		if schemaPrefix, err = repoPath(repo, sd); err != nil {
			return nil, nil, err
		}
	}
	tmp, err := os.MkdirTemp("", "jobfam-approvals-*")
	if err != nil {
		return nil, nil, fmt.Errorf("create a temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)

	schemaAt := func(commit, name string) (*family.Schema, map[string][]byte, error) {
		if schemaPrefix == "" {
			s, err := family.LoadSchema("")
			return s, nil, err
		}
		d := filepath.Join(tmp, name)
		if err := repo.materialiseFolder(ctx, commit, schemaPrefix, d); err != nil {
			return nil, nil, err
		}
		files, err := readCueFiles(d)
		if err != nil {
			return nil, nil, err
		}
		if len(files) == 0 {
			// No schema folder at that commit: the built-in one judged.
			s, err := family.LoadSchema("")
			return s, files, err
		}
		s, err := family.LoadSchema(d)
		if err != nil {
			return nil, nil, fmt.Errorf("the schema at %s: %w", short(commit), err)
		}
		return s, files, nil
	}
	judge, _, err := schemaAt(base, "base-schema")
	if err != nil {
		return nil, nil, err
	}
	rules, err := approval.Rules(judge.Policy)
	if err != nil {
		return nil, nil, fmt.Errorf("policy.approvals at %s: %w", short(base), err)
	}
	_, oldSchema, err := schemaAt(mergeBase, "old-schema")
	if err != nil {
		return nil, nil, err
	}
	_, newSchema, err := schemaAt(head, "new-schema")
	if err != nil {
		return nil, nil, err
	}
	sides := [2]*family.Result{}
	for i, commit := range []string{mergeBase, head} {
		d := filepath.Join(tmp, "families-"+strconv.Itoa(i))
		if err := repo.materialise(ctx, commit, d); err != nil {
			return nil, nil, err
		}
		if sides[i], err = loadSide(ctx, d, judge); err != nil {
			return nil, nil, fmt.Errorf("load the families at %s: %w", short(commit), err)
		}
	}
	oldFams, newFams, _ := comparable(sides[0], sides[1], short(mergeBase))
	changes, err := approval.Changes(famdiff.Families(oldFams, newFams), oldSchema, newSchema)
	if err != nil {
		return nil, nil, err
	}
	// A family that did not load on one side is left out of the diff;
	// whatever it changes, the rules that watch everything must see it.
	for _, id := range failedIDs(sides[0], sides[1]) {
		changes = append(changes, approval.Change{Kind: approval.KindContent, Family: id, What: "the family file does not load on one side: every change counts"})
	}
	return rules, changes, nil
}

// failedIDs lists the families whose file exists on a side but did not
// load there.
func failedIDs(sides ...*family.Result) []string {
	var out []string
	for _, res := range sides {
		loaded := map[string]bool{}
		for _, f := range res.Families {
			loaded[f.ID] = true
		}
		for id := range res.IDs {
			if !loaded[id] && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// repoPath returns a folder's path in the repository, with forward
// slashes, refusing one outside it.
func repoPath(repo *gitRepo, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root := repo.root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "", fmt.Errorf("schema folder %s is outside the repository %s: the rules must come from the repository's history", dir, repo.root)
	}
	if rel == "." {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

// readCueFiles reads the .cue files of a folder written by
// materialiseFolder, by path relative to it.
func readCueFiles(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".cue") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	return files, err
}

// approvalGitHub is publish's GitHub client as approval.Evaluate reads it.
type approvalGitHub struct{ gh pullJudge }

func (a approvalGitHub) Reviews(ctx context.Context, repo string, number int) ([]approval.Review, error) {
	rs, err := a.gh.Reviews(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	out := make([]approval.Review, len(rs))
	for i, r := range rs {
		out[i] = approval.Review{User: r.User, State: r.State, CommitID: r.CommitID}
	}
	return out, nil
}

func (a approvalGitHub) TeamMember(ctx context.Context, org, slug, login string) (bool, error) {
	ok, err := a.gh.TeamMember(ctx, org, slug, login)
	if errors.Is(err, publish.ErrForbidden) {
		return false, fmt.Errorf("%w: %w", approval.ErrForbidden, err)
	}
	return ok, err
}

// rulesMet checks a merged pull request against the approval rules for
// publish --require-approval: the rules each counted approver met, or an
// error wrapping publish.ErrRefused that names each rule not met and who
// could meet it.
func rulesMet(ctx context.Context, gh pullJudge, repo string, number int, dir, schemaFlag string) (map[string][]string, error) {
	j, err := judgePull(ctx, gh, repo, number, dir, schemaFlag)
	if err != nil {
		return nil, err
	}
	met := map[string][]string{}
	var unmet []string
	for _, rr := range j.result.Rules {
		if !rr.Met {
			unmet = append(unmet, fmt.Sprintf("%q needs %d more %s from %s", rr.Rule.Name, rr.Missing,
				plural(rr.Missing, "approval", "approvals"), strings.Join(rr.Rule.From, ", ")))
			continue
		}
		for _, a := range rr.Approvers {
			met[a] = append(met[a], rr.Rule.Name)
		}
	}
	if len(unmet) > 0 {
		return nil, fmt.Errorf("%w: pull request %s#%d does not meet the approval rules of its base commit: %s", publish.ErrRefused, repo, number, strings.Join(unmet, "; "))
	}
	return met, nil
}

// requester is what --request needs of GitHub.
type requester interface {
	RequestedReviewers(ctx context.Context, repo string, number int) (users, teams []string, err error)
	RequestReviewers(ctx context.Context, repo string, number int, users, teams []string) error
}

// requestMissing asks for the reviews the unmet rules need, leaving out
// the people and teams already asked (GitHub lists the pending requests)
// and teams of another organization than the repository's, which GitHub
// cannot ask.
func requestMissing(ctx context.Context, gh requester, j *judgement) (*approvalsRequested, error) {
	miss := j.result.Missing()
	users, teams, err := gh.RequestedReviewers(ctx, j.repo, j.pull.Number)
	if err != nil {
		return nil, err
	}
	owner, _, _ := strings.Cut(j.repo, "/")
	req := &approvalsRequested{Users: []string{}, Teams: []string{}}
	for _, l := range miss.Logins {
		if !slices.ContainsFunc(users, func(u string) bool { return strings.EqualFold(u, l) }) {
			req.Users = append(req.Users, l)
		}
	}
	for _, t := range miss.Teams {
		if strings.EqualFold(t.Org, owner) && !slices.ContainsFunc(teams, func(s string) bool { return strings.EqualFold(s, t.Slug) }) {
			req.Teams = append(req.Teams, t.Slug)
		}
	}
	if len(req.Users) == 0 && len(req.Teams) == 0 {
		return req, nil
	}
	if err := gh.RequestReviewers(ctx, j.repo, j.pull.Number, req.Users, req.Teams); err != nil {
		return nil, err
	}
	return req, nil
}

// printApprovals writes the judgement in the chosen format.
func printApprovals(w io.Writer, format string, j *judgement, requested *approvalsRequested) error {
	res := j.result
	switch format {
	case "json":
		out := approvalsOutput{Repository: j.repo, PullRequest: j.pull.Number, Head: j.pull.HeadSHA, Base: j.pull.BaseSHA,
			Met: res.Met, Changes: j.changes, Rules: []approvalsRuleOutput{}, Requested: requested}
		if out.Changes == nil {
			out.Changes = []approval.Change{}
		}
		for _, rr := range res.Rules {
			out.Rules = append(out.Rules, approvalsRuleOutput{Name: rr.Rule.Name, Met: rr.Met, Count: max(rr.Rule.Count, 1),
				From: rr.Rule.From, Approvers: nonNil(rr.Approvers), Missing: rr.Missing, Changes: rr.Changes})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "github":
		for _, rr := range res.Rules {
			level, verdict := "notice", "met"
			if !rr.Met {
				level, verdict = "error", fmt.Sprintf("needs %d more %s from %s", rr.Missing, plural(rr.Missing, "approval", "approvals"), strings.Join(rr.Rule.From, ", "))
			}
			fmt.Fprintf(w, "::%s title=%s::%s\n", level, report.EscapeProperty("approval rule "+rr.Rule.Name),
				report.EscapeData(fmt.Sprintf("approval rule %q %s (%d %s)", rr.Rule.Name, verdict, len(rr.Changes), plural(len(rr.Changes), "change", "changes"))))
		}
	}
	if format != "json" {
		for _, l := range res.Lines() {
			fmt.Fprintln(w, l)
		}
		if requested != nil {
			fmt.Fprintf(w, "requested reviews from %s\n", requestedText(requested))
		}
	}
	return nil
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// requestedText names the reviewers asked, or says none was.
func requestedText(r *approvalsRequested) string {
	var names []string
	names = append(names, r.Users...)
	for _, t := range r.Teams {
		names = append(names, "team "+t)
	}
	if len(names) == 0 {
		return "nobody new: everyone the unmet rules name was asked already"
	}
	return strings.Join(names, ", ")
}

// approvalsMarker finds the approvals step's pull-request comment again:
// a comment of its own, beside validate's, so that a review event can
// update it without validating again.
const approvalsMarker = "<!-- jobfam:approvals -->"

// actionApprovals is jobfam action approvals: the judgement of jobfam
// approvals for the event's pull request, as annotations, a job summary,
// an output and a sticky comment.
func actionApprovals(ctx context.Context, env *actionEnv, stdout, stderr io.Writer) error {
	token := env.token()
	err := approvalsStep(ctx, env, token, stdout, stderr)
	if err != nil && !errors.Is(err, errFindings) {
		err = redact(err, token)
		_ = appendFile(env.get("GITHUB_STEP_SUMMARY", ""), "## jobfam approvals\n\n"+ranBy()+":x: jobfam could not tell whether the approval rules are met: "+famdiff.Escape(err.Error())+"\n\n")
	}
	return err
}

func approvalsStep(ctx context.Context, env *actionEnv, token string, stdout, stderr io.Writer) error {
	comment, err := env.bool("JOBFAM_COMMENT", true)
	if err != nil {
		return err
	}
	request, err := env.bool("JOBFAM_REQUEST_REVIEWS", false)
	if err != nil {
		return err
	}
	dir := env.path("JOBFAM_PATH", "families")
	repo, number, err := approvalsTarget(0, env.getenv)
	if err != nil {
		return err
	}
	if token == "" {
		return errors.New("no token: set the action's token input")
	}
	gh, err := publish.NewClient(publish.ClientOptions{APIURL: env.get("GITHUB_API_URL", ""), Token: token, Repo: repo, Log: stderr})
	if err != nil {
		return err
	}
	j, err := judgePull(ctx, gh, repo, number, dir, env.path("JOBFAM_SCHEMA", ""))
	if err != nil {
		return err
	}
	var requested *approvalsRequested
	if request && !j.result.Met {
		if requested, err = requestMissing(ctx, gh, j); err != nil {
			return err
		}
	}
	if err := printApprovals(stdout, "github", j, requested); err != nil {
		return err
	}
	// The summary names the jobfam that judged; the comment, updated by
	// every run, does not need to.
	const head = "## jobfam approvals\n\n"
	body := j.result.Markdown()
	if requested != nil {
		body += "\nRequested reviews from " + famdiff.Escape(requestedText(requested)) + ".\n"
	}
	if comment {
		ev, err := env.event()
		if err != nil {
			return err
		}
		if ev.PullRequest == nil {
			ev.PullRequest = &eventPull{Number: number}
		}
		note, err := stickyComment(ctx, env, token, ev, approvalsMarker, approvalsMarker+"\n"+head+body)
		if err != nil {
			return err
		}
		if note != "" {
			body += "\n> **Note:** " + note + "\n"
		}
	}
	if err := appendFile(env.get("GITHUB_STEP_SUMMARY", ""), head+ranBy()+body+"\n"); err != nil {
		return fmt.Errorf("write the job summary: %w", err)
	}
	if err := writeOutputs(env.get("GITHUB_OUTPUT", ""), [][2]string{{"approvals-met", strconv.FormatBool(j.result.Met)}}); err != nil {
		return fmt.Errorf("write the outputs: %w", err)
	}
	if !j.result.Met {
		return errFindings
	}
	return nil
}
