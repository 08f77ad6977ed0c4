package githubfake

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxBodyChars is GitHub's limit on the body of a pull request.
const maxBodyChars = 65536

func (c *call) routePulls(rest []string) response {
	switch len(rest) {
	case 0:
		switch c.method {
		case http.MethodGet:
			return c.listPulls()
		case http.MethodPost:
			return c.createPull()
		}
		return notFound
	case 3, 4:
		n, err := strconv.Atoi(rest[0])
		if err != nil || rest[1] != "reviews" {
			return notFound
		}
		p := c.repo.pull(n)
		if p == nil {
			return notFound
		}
		return c.routeReview(p, rest[2:])
	case 1, 2:
		n, err := strconv.Atoi(rest[0])
		if err != nil {
			return notFound
		}
		p := c.repo.pull(n)
		if p == nil {
			return notFound
		}
		if len(rest) == 2 {
			switch rest[1] {
			case "reviews":
				return c.only(http.MethodGet, func() response { return c.listReviews(p) })
			case "requested_reviewers":
				return c.routeRequested(p)
			}
			return notFound
		}
		switch c.method {
		case http.MethodGet:
			return reply(http.StatusOK, c.pullJSON(p))
		case http.MethodPatch:
			return c.editPull(p)
		}
	}
	return notFound
}

func (r *Repo) pull(n int) *pull {
	for _, p := range r.pulls {
		if p.Number == n {
			return p
		}
	}
	return nil
}

func (c *call) pullJSON(p *pull) map[string]any {
	full := c.repo.owner + "/" + c.repo.name
	baseSHA := cmp.Or(p.BaseSHA, c.repo.refs["heads/"+p.Base])
	var mergedAt, closedAt any
	if p.Merged {
		mergedAt = fixedDate
	}
	if p.State == "closed" {
		closedAt = fixedDate
	}
	var mergeSHA any
	if p.MergeCommitSHA != "" {
		mergeSHA = p.MergeCommitSHA
	}
	repo := c.repo.json(c.s.URL())
	return map[string]any{
		"id":                  int64(p.Number) + 9_000_000,
		"node_id":             fmt.Sprintf("PR_fake%d", p.Number),
		"number":              p.Number,
		"state":               p.State,
		"locked":              false,
		"title":               p.Title,
		"body":                p.Body,
		"user":                map[string]any{"login": p.Author, "type": "User"},
		"html_url":            "https://github.com/" + full + "/pull/" + strconv.Itoa(p.Number),
		"url":                 c.apiURL("pulls/" + strconv.Itoa(p.Number)),
		"created_at":          fixedDate,
		"updated_at":          fixedDate,
		"closed_at":           closedAt,
		"merged_at":           mergedAt,
		"merged":              p.Merged,
		"merge_commit_sha":    mergeSHA,
		"draft":               false,
		"requested_reviewers": c.requestedUsersJSON(p),
		"requested_teams":     c.requestedTeamsJSON(p),
		"head": map[string]any{
			"label": c.repo.owner + ":" + p.Head, "ref": p.Head, "sha": c.repo.headSHA(p),
			"user": map[string]any{"login": c.repo.owner}, "repo": repo,
		},
		"base": map[string]any{
			"label": c.repo.owner + ":" + p.Base, "ref": p.Base, "sha": baseSHA,
			"user": map[string]any{"login": c.repo.owner}, "repo": repo,
		},
	}
}

// page applies GitHub's per_page/page parameters (default 30, at most 100)
// to n items, sets the Link header, and returns the slice bounds.
func (c *call) page(n int, hdr http.Header) (lo, hi int) {
	q := c.r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	per = min(per, 100)
	pg, err := strconv.Atoi(q.Get("page"))
	if err != nil || pg <= 0 {
		pg = 1
	}
	last := max((n+per-1)/per, 1)
	link := func(p int, rel string) string {
		u := *c.r.URL
		v := u.Query()
		v.Set("page", strconv.Itoa(p))
		v.Set("per_page", strconv.Itoa(per))
		u.RawQuery = v.Encode()
		return "<" + strings.TrimSuffix(c.s.URL(), "/") + u.RequestURI() + `>; rel="` + rel + `"`
	}
	var links []string
	if pg < last {
		links = append(links, link(pg+1, "next"), link(last, "last"))
	}
	if pg > 1 {
		links = append(links, link(1, "first"), link(pg-1, "prev"))
	}
	if links != nil {
		hdr.Set("Link", strings.Join(links, ", "))
	}
	lo = min((pg-1)*per, n)
	hi = min(lo+per, n)
	return lo, hi
}

func (c *call) listed(ps []*pull) response {
	hdr := http.Header{}
	lo, hi := c.page(len(ps), hdr)
	out := []map[string]any{}
	for _, p := range ps[lo:hi] {
		out = append(out, c.pullJSON(p))
	}
	return response{status: http.StatusOK, body: out, header: hdr}
}

// listPulls filters as GitHub does: state open (default), closed or all;
// head only in the form "owner:branch" (a head without an owner is ignored,
// as GitHub ignores it); base by branch name. Newest first unless
// direction=asc.
func (c *call) listPulls() response {
	q := c.r.URL.Query()
	state := q.Get("state")
	switch state {
	case "":
		state = "open"
	case "open", "closed", "all":
	default:
		return validation(fieldError{Resource: "Search", Field: "state", Code: "invalid"})
	}
	headOwner, headRef, headFilter := strings.Cut(q.Get("head"), ":")
	var out []*pull
	for _, p := range c.repo.pulls {
		if state != "all" && p.State != state {
			continue
		}
		if headFilter && (!strings.EqualFold(headOwner, c.repo.owner) || headRef != p.Head) {
			continue
		}
		if base := q.Get("base"); base != "" && base != p.Base {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if q.Get("direction") == "asc" {
			return out[i].Number < out[j].Number
		}
		return out[i].Number > out[j].Number
	})
	return c.listed(out)
}

// headBranch accepts "branch" or "owner:branch" for the repository's owner;
// forks are not modelled.
func (c *call) headBranch(head string) (string, bool) {
	if owner, ref, ok := strings.Cut(head, ":"); ok {
		if !strings.EqualFold(owner, c.repo.owner) {
			return "", false
		}
		head = ref
	}
	_, exists := c.repo.refs["heads/"+head]
	return head, exists
}

func bodyTooLong(body *string) bool {
	return body != nil && utf8.RuneCountInString(*body) > maxBodyChars
}

var errBodyTooLong = validation(fieldError{
	Resource: "Issue", Field: "body", Code: "custom",
	Message: "body is too long (maximum is 65536 characters)",
})

func (c *call) createPull() response {
	var in struct {
		Title *string `json:"title"`
		Head  *string `json:"head"`
		Base  *string `json:"base"`
		Body  *string `json:"body"`
		Draft bool    `json:"draft"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Head == nil || in.Base == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"head\" and \"base\" are required.")
	}
	if in.Title == nil || strings.TrimSpace(*in.Title) == "" {
		return validation(fieldError{Resource: "PullRequest", Field: "title", Code: "missing_field"})
	}
	if bodyTooLong(in.Body) {
		return errBodyTooLong
	}
	if _, ok := c.repo.refs["heads/"+*in.Base]; !ok {
		return validation(fieldError{Resource: "PullRequest", Field: "base", Code: "invalid"})
	}
	head, ok := c.headBranch(*in.Head)
	if !ok {
		return validation(fieldError{Resource: "PullRequest", Field: "head", Code: "invalid"})
	}
	for _, p := range c.repo.pulls {
		if p.State == "open" && p.Head == head && p.Base == *in.Base {
			return validation(fieldError{
				Resource: "PullRequest", Code: "custom",
				Message: "A pull request already exists for " + c.repo.owner + ":" + head + ".",
			})
		}
	}
	headSHA := c.repo.refs["heads/"+head]
	if c.repo.obj.isAncestor(headSHA, c.repo.refs["heads/"+*in.Base]) {
		return validation(fieldError{
			Resource: "PullRequest", Code: "custom",
			Message: "No commits between " + *in.Base + " and " + head,
		})
	}
	body := ""
	if in.Body != nil {
		body = *in.Body
	}
	p := &pull{Pull: Pull{
		Number: c.repo.nextPull, Title: *in.Title, Body: body, Head: head, Base: *in.Base,
		Author: "jobfam-fake", State: "open", HeadSHA: headSHA,
	}}
	c.repo.nextPull++
	c.repo.pulls = append(c.repo.pulls, p)
	hdr := http.Header{"Location": {c.apiURL("pulls/" + strconv.Itoa(p.Number))}}
	return response{status: http.StatusCreated, body: c.pullJSON(p), header: hdr}
}

func (c *call) editPull(p *pull) response {
	var in struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
		State *string `json:"state"`
		Base  *string `json:"base"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Title != nil && strings.TrimSpace(*in.Title) == "" {
		return validation(fieldError{Resource: "PullRequest", Field: "title", Code: "missing_field"})
	}
	if bodyTooLong(in.Body) {
		return errBodyTooLong
	}
	base := p.Base
	if in.Base != nil {
		if _, ok := c.repo.refs["heads/"+*in.Base]; !ok {
			return validation(fieldError{Resource: "PullRequest", Field: "base", Code: "invalid"})
		}
		base = *in.Base
	}
	state := p.State
	if in.State != nil {
		switch *in.State {
		case "open", "closed":
			state = *in.State
		default:
			return validation(fieldError{Resource: "PullRequest", Field: "state", Code: "invalid"})
		}
	}
	if state == "open" && p.State == "closed" {
		if p.Merged {
			return validation(fieldError{Resource: "PullRequest", Code: "custom", Message: "Cannot reopen a merged pull request"})
		}
		if _, ok := c.repo.refs["heads/"+p.Head]; !ok {
			return validation(fieldError{Resource: "PullRequest", Field: "head", Code: "invalid"})
		}
		for _, q := range c.repo.pulls {
			if q != p && q.State == "open" && q.Head == p.Head && q.Base == base {
				return validation(fieldError{
					Resource: "PullRequest", Code: "custom",
					Message: "A pull request already exists for " + c.repo.owner + ":" + p.Head + ".",
				})
			}
		}
	}
	if state == "closed" && p.State == "open" {
		p.HeadSHA = c.repo.headSHA(p) // a closed pull request no longer follows its branch
	}
	if in.Title != nil {
		p.Title = *in.Title
	}
	if in.Body != nil {
		p.Body = *in.Body
	}
	p.Base, p.State = base, state
	return reply(http.StatusOK, c.pullJSON(p))
}

// commitPulls lists the pull requests whose merge commit or head is sha.
// Like GitHub, it answers 422 for a sha that is not a commit of the
// repository; a sha that only a pull request added with AddPull names
// counts as a commit, so provenance tests need not build the source history.
func (c *call) commitPulls(sha string) response {
	sha, _ = url.PathUnescape(sha)
	known := c.repo.obj.commits[sha] != nil
	for _, p := range c.repo.pulls {
		known = known || p.MergeCommitSHA == sha || p.HeadSHA == sha
	}
	if !known {
		return validation(fieldError{Resource: "Commit", Field: "commit_sha", Code: "invalid",
			Message: "No commit found for SHA: " + sha})
	}
	var out []*pull
	for _, p := range c.repo.pulls {
		if p.MergeCommitSHA == sha || c.repo.headSHA(p) == sha {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	return c.listed(out)
}
