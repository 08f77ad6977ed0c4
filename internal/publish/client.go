package publish

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// ClientOptions configure NewClient.
type ClientOptions struct {
	// APIURL is the REST API's base URL; "" means https://api.github.com/.
	APIURL string
	// Token is sent as a bearer token; it is never printed.
	Token string
	// Repo is the handbook repository, "owner/name".
	Repo string
	// Mode is "direct" or "pr": it names the permissions a 403 lacks.
	Mode string
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// Log receives one line per rate-limit wait.
	Log io.Writer
	// Sleep and Now replace the clock in tests.
	Sleep func(context.Context, time.Duration) error
	Now   func() time.Time
	// MaxWait bounds the total time spent waiting on rate limits
	// (default 15 min).
	MaxWait time.Duration
}

// Client implements API over go-github for one handbook repository.
type Client struct {
	gh          *github.Client
	owner, repo string
	mode        string
}

// SplitRepo splits "owner/name", refusing anything else.
func SplitRepo(s string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") || strings.ContainsAny(s, " \t\n?#%") || name == "." || name == ".." {
		return "", "", fmt.Errorf("repository %q is not OWNER/NAME", s)
	}
	return owner, name, nil
}

// NewClient makes a Client.
func NewClient(o ClientOptions) (*Client, error) {
	owner, name, err := SplitRepo(o.Repo)
	if err != nil {
		return nil, err
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	rt := &RateLimitTransport{
		Base:    &tokenTransport{token: o.Token, base: http.DefaultTransport},
		Log:     o.Log,
		Sleep:   o.Sleep,
		Now:     o.Now,
		MaxWait: o.MaxWait,
	}
	gh := github.NewClient(&http.Client{Transport: rt, Timeout: o.Timeout})
	if o.APIURL != "" {
		u, err := url.Parse(o.APIURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("--api-url %q is not an http(s) URL", o.APIURL)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		gh.BaseURL = u
	}
	return &Client{gh: gh, owner: owner, repo: name, mode: o.Mode}, nil
}

// tokenTransport adds the token to every request; it holds the token so
// that nothing else has to.
type tokenTransport struct {
	token string
	base  http.RoundTripper
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.token == "" {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.base.RoundTrip(r)
}

// permission names what a request needs, for the 403 message.
type permission int

const (
	readContents permission = iota
	writeContents
	readPulls
	writePulls
)

// wrap turns a go-github error into an *Error with a message that says
// what to do. Network errors keep their cause but lose the URL, which
// never holds the token anyway.
func (c *Client) wrap(op string, perm permission, err error) error {
	if err == nil {
		return nil
	}
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	e := &Error{Op: op}
	var resp *http.Response
	msg := ""
	switch {
	case errors.As(err, &rl):
		resp, msg = rl.Response, rl.Message
	case errors.As(err, &ab):
		resp, msg = ab.Response, ab.Message
	case errors.As(err, &er):
		resp, msg = er.Response, er.Message
	default:
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		e.Msg = fmt.Sprintf("no answer from GitHub: %v", err)
		return e
	}
	if resp != nil {
		e.Status = resp.StatusCode
	}
	repo := c.owner + "/" + c.repo
	switch e.Status {
	case http.StatusUnauthorized:
		e.Msg = "bad credentials: check the token in GITHUB_TOKEN or --token-file"
	case http.StatusForbidden, http.StatusTooManyRequests:
		if rl != nil || ab != nil || e.Status == http.StatusTooManyRequests ||
			(resp != nil && (resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-Ratelimit-Remaining") == "0")) {
			e.Msg = "rate limited by GitHub, and the wait would exceed its bound: try again later"
			break
		}
		e.Forbidden = true
		need := `"contents: write"`
		switch perm {
		case readContents:
			need = `"contents: read"`
		case readPulls:
			need = `"pull-requests: read"`
		case writePulls:
			need = `"pull-requests: write"`
		}
		if c.mode == "pr" && perm == writeContents {
			need += ` and "pull-requests: write"`
		}
		e.Msg = fmt.Sprintf("missing permission: the token needs %s on %s", need, repo)
	case http.StatusNotFound:
		e.Msg = fmt.Sprintf("not found: repository %s or the branch does not exist, or the token has no access to it", repo)
	case http.StatusConflict:
		e.Msg = fmt.Sprintf("repository %s is empty: push a first commit to it", repo)
	case http.StatusUnprocessableEntity:
		e.Msg = strings.TrimSpace(msg)
		if er != nil {
			for _, x := range er.Errors {
				if x.Message != "" {
					e.Msg += ": " + x.Message
				}
			}
		}
		low := strings.ToLower(e.Msg)
		e.NotFastForward = strings.Contains(low, "fast forward") || strings.Contains(low, "fast-forward")
		e.PullExists = strings.Contains(low, "already exists")
	default:
		e.Msg = strings.TrimSpace(msg)
		if e.Msg == "" {
			e.Msg = http.StatusText(e.Status)
		}
	}
	return e
}

func (c *Client) GetRef(ctx context.Context, branch string) (string, error) {
	ref, _, err := c.gh.Git.GetRef(ctx, c.owner, c.repo, "heads/"+branch)
	if err != nil {
		return "", c.wrap("read branch "+branch, readContents, err)
	}
	return ref.GetObject().GetSHA(), nil
}

func (c *Client) GetCommit(ctx context.Context, sha string) (*Commit, error) {
	cm, _, err := c.gh.Git.GetCommit(ctx, c.owner, c.repo, sha)
	if err != nil {
		return nil, c.wrap("read commit "+short(sha), readContents, err)
	}
	out := &Commit{Tree: cm.GetTree().GetSHA()}
	for _, p := range cm.Parents {
		out.Parents = append(out.Parents, p.GetSHA())
	}
	return out, nil
}

func (c *Client) GetTree(ctx context.Context, sha string, recursive bool) (*Tree, error) {
	t, _, err := c.gh.Git.GetTree(ctx, c.owner, c.repo, sha, recursive)
	if err != nil {
		return nil, c.wrap("read tree "+short(sha), readContents, err)
	}
	out := &Tree{SHA: t.GetSHA(), Truncated: t.GetTruncated(), Entries: make([]TreeEntry, 0, len(t.Entries))}
	for _, e := range t.Entries {
		out.Entries = append(out.Entries, TreeEntry{Path: e.GetPath(), Type: e.GetType(), SHA: e.GetSHA()})
	}
	return out, nil
}

func (c *Client) GetBlob(ctx context.Context, sha string) ([]byte, error) {
	b, _, err := c.gh.Git.GetBlob(ctx, c.owner, c.repo, sha)
	if err != nil {
		return nil, c.wrap("read blob "+short(sha), readContents, err)
	}
	if b.GetEncoding() == "base64" {
		data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(b.GetContent(), "\n", ""))
		if err != nil {
			return nil, &Error{Op: "read blob " + short(sha), Msg: "invalid base64 content"}
		}
		return data, nil
	}
	return []byte(b.GetContent()), nil
}

func (c *Client) CreateTree(ctx context.Context, base string, changes []Change) (string, error) {
	entries := make([]*github.TreeEntry, len(changes))
	for i, ch := range changes {
		entries[i] = &github.TreeEntry{Path: github.String(ch.Path), Mode: github.String("100644"), Type: github.String("blob"), Content: ch.Content}
	}
	t, _, err := c.gh.Git.CreateTree(ctx, c.owner, c.repo, base, entries)
	if err != nil {
		return "", c.wrap("create tree", writeContents, err)
	}
	return t.GetSHA(), nil
}

func (c *Client) CreateCommit(ctx context.Context, message, tree string, parents []string) (string, error) {
	cm := &github.Commit{Message: github.String(message), Tree: &github.Tree{SHA: github.String(tree)}}
	for _, p := range parents {
		cm.Parents = append(cm.Parents, &github.Commit{SHA: github.String(p)})
	}
	out, _, err := c.gh.Git.CreateCommit(ctx, c.owner, c.repo, cm, nil)
	if err != nil {
		return "", c.wrap("create commit", writeContents, err)
	}
	return out.GetSHA(), nil
}

func (c *Client) CreateRef(ctx context.Context, branch, sha string) error {
	_, _, err := c.gh.Git.CreateRef(ctx, c.owner, c.repo, &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(sha)}})
	return c.wrap("create branch "+branch, writeContents, err)
}

func (c *Client) UpdateRef(ctx context.Context, branch, sha string, force bool) error {
	_, _, err := c.gh.Git.UpdateRef(ctx, c.owner, c.repo, &github.Reference{Ref: github.String("heads/" + branch), Object: &github.GitObject{SHA: github.String(sha)}}, force)
	return c.wrap("update ref heads/"+branch, writeContents, err)
}

func (c *Client) OpenPulls(ctx context.Context, head, base string) ([]Pull, error) {
	ps, _, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, &github.PullRequestListOptions{
		State: "open", Head: c.owner + ":" + head, Base: base, ListOptions: github.ListOptions{PerPage: 100},
	})
	if err != nil {
		return nil, c.wrap("list pull requests", readPulls, err)
	}
	return pulls(ps), nil
}

func (c *Client) CreatePull(ctx context.Context, title, body, head, base string) (*Pull, error) {
	p, _, err := c.gh.PullRequests.Create(ctx, c.owner, c.repo, &github.NewPullRequest{
		Title: github.String(title), Body: github.String(body), Head: github.String(head), Base: github.String(base),
	})
	if err != nil {
		return nil, c.wrap("create pull request", writePulls, err)
	}
	return &pulls([]*github.PullRequest{p})[0], nil
}

func (c *Client) EditPull(ctx context.Context, number int, title, body, state string) (*Pull, error) {
	in := &github.PullRequest{}
	if title != "" {
		in.Title = github.String(title)
	}
	if body != "" {
		in.Body = github.String(body)
	}
	if state != "" {
		in.State = github.String(state)
	}
	p, _, err := c.gh.PullRequests.Edit(ctx, c.owner, c.repo, number, in)
	if err != nil {
		return nil, c.wrap(fmt.Sprintf("update pull request #%d", number), writePulls, err)
	}
	return &pulls([]*github.PullRequest{p})[0], nil
}

func (c *Client) PullsWithCommit(ctx context.Context, repo, sha string) ([]Pull, error) {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return nil, err
	}
	ps, _, err := c.gh.PullRequests.ListPullRequestsWithCommit(ctx, owner, name, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, c.wrapSource("find the pull request of "+repo+"@"+short(sha), repo, err)
	}
	return pulls(ps), nil
}

func (c *Client) Reviews(ctx context.Context, repo string, number int) ([]Review, error) {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return nil, err
	}
	var out []Review
	opts := &github.ListOptions{PerPage: 100}
	for {
		rs, resp, err := c.gh.PullRequests.ListReviews(ctx, owner, name, number, opts)
		if err != nil {
			return nil, c.wrapPull(fmt.Sprintf("read the reviews of %s#%d", repo, number), repo, number, readPulls, err)
		}
		for _, r := range rs {
			out = append(out, Review{User: r.GetUser().GetLogin(), State: r.GetState(), CommitID: r.GetCommitID()})
		}
		if resp == nil || resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// Pull reads pull request number of repo ("owner/name"), with its head and
// base, whether it was merged, and the reviews requested and not yet given.
func (c *Client) Pull(ctx context.Context, repo string, number int) (*Pull, error) {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return nil, err
	}
	p, _, err := c.gh.PullRequests.Get(ctx, owner, name, number)
	if err != nil {
		return nil, c.wrapPull(fmt.Sprintf("read pull request %s#%d", repo, number), repo, number, readPulls, err)
	}
	return &pulls([]*github.PullRequest{p})[0], nil
}

// RequestReviewers asks users (logins) and teams (team slugs of repo's
// organization) to review pull request number of repo. Asking someone
// already asked changes nothing; asking no one sends no request. GitHub
// refuses with 422, which the *Error's message quotes, to ask the pull
// request's author or anyone, or any team, without access to repo.
func (c *Client) RequestReviewers(ctx context.Context, repo string, number int, users, teams []string) error {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return err
	}
	if len(users) == 0 && len(teams) == 0 {
		return nil
	}
	_, _, err = c.gh.PullRequests.RequestReviewers(ctx, owner, name, number, github.ReviewersRequest{Reviewers: users, TeamReviewers: teams})
	return c.wrapPull(fmt.Sprintf("request reviews on %s#%d", repo, number), repo, number, writePulls, err)
}

// RequestedReviewers lists the users (logins) and teams (slugs) asked to
// review pull request number of repo who have not reviewed since.
func (c *Client) RequestedReviewers(ctx context.Context, repo string, number int) (users, teams []string, err error) {
	owner, name, err := SplitRepo(repo)
	if err != nil {
		return nil, nil, err
	}
	rs, _, err := c.gh.PullRequests.ListReviewers(ctx, owner, name, number, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, nil, c.wrapPull(fmt.Sprintf("read the review requests of %s#%d", repo, number), repo, number, readPulls, err)
	}
	for _, u := range rs.Users {
		users = append(users, u.GetLogin())
	}
	for _, t := range rs.Teams {
		teams = append(teams, t.GetSlug())
	}
	return users, teams, nil
}

// TeamMember says whether login is an active member of the team org/slug
// (the slug is the team's name in URLs: "total-rewards" for @acme/total-rewards).
// A pending invitation is not membership, and GitHub answers 404 alike for
// a non-member and for a team that does not exist (or that the token cannot
// see): all three are false. Reading memberships needs the organization
// permission "Members: read"; without it GitHub answers 403 and the error
// satisfies errors.Is(err, ErrForbidden).
func (c *Client) TeamMember(ctx context.Context, org, slug, login string) (bool, error) {
	for _, s := range []string{org, slug, login} {
		if s == "" || strings.ContainsAny(s, "/?#% \t\n") {
			return false, fmt.Errorf("team membership of %q in %s/%s: not a valid organization, team slug and login", login, org, slug)
		}
	}
	m, _, err := c.gh.Teams.GetTeamMembershipBySlug(ctx, org, slug, login)
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
		return false, nil
	}
	if err != nil {
		w := c.wrap(fmt.Sprintf("read the membership of %s in team %s/%s", login, org, slug), readPulls, err)
		var e *Error
		if errors.As(w, &e) && e.Forbidden {
			e.Msg = fmt.Sprintf(`missing permission: reading the members of team %s/%s needs the organization permission "Members: read" on %s, `+
				`which a workflow's GITHUB_TOKEN never has: use the token of a GitHub App installed on %s with "Members: read"`, org, slug, org, org)
		}
		return false, w
	}
	return m.GetState() == "active", nil
}

// wrapPull wraps errors of requests about one pull request of the source
// repository, whose messages name it rather than the handbook.
func (c *Client) wrapPull(op, repo string, number int, perm permission, err error) error {
	w := c.wrapSourcePerm(op, repo, perm, err)
	var e *Error
	if errors.As(w, &e) && e.Status == http.StatusNotFound {
		e.Msg = fmt.Sprintf("not found: pull request %s#%d does not exist, or the token has no access to %s", repo, number, repo)
	}
	return w
}

// wrapSource wraps errors of requests to the source repository, whose
// messages name it rather than the handbook.
func (c *Client) wrapSource(op, repo string, err error) error {
	return c.wrapSourcePerm(op, repo, readPulls, err)
}

func (c *Client) wrapSourcePerm(op, repo string, perm permission, err error) error {
	src := &Client{gh: c.gh, mode: c.mode}
	src.owner, src.repo, _ = SplitRepo(repo)
	return src.wrap(op, perm, err)
}

func pulls(ps []*github.PullRequest) []Pull {
	out := make([]Pull, 0, len(ps))
	for _, p := range ps {
		out = append(out, Pull{
			Number: p.GetNumber(), URL: p.GetHTMLURL(), Title: p.GetTitle(), Body: p.GetBody(),
			Author: p.GetUser().GetLogin(), State: p.GetState(), Merged: p.GetMerged() || p.MergedAt != nil, MergeCommitSHA: p.GetMergeCommitSHA(),
			HeadRef: p.GetHead().GetRef(), HeadSHA: p.GetHead().GetSHA(), BaseRef: p.GetBase().GetRef(), BaseSHA: p.GetBase().GetSHA(),
		})
		last := &out[len(out)-1]
		for _, u := range p.RequestedReviewers {
			last.RequestedUsers = append(last.RequestedUsers, u.GetLogin())
		}
		for _, t := range p.RequestedTeams {
			last.RequestedTeams = append(last.RequestedTeams, t.GetSlug())
		}
	}
	return out
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
