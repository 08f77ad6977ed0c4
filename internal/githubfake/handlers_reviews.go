package githubfake

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// AddCollaborator lets logins be asked to review the repository's pull
// requests. Active members of the owner's teams (AddTeam) may be asked
// without it.
func (r *Repo) AddCollaborator(logins ...string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.collaborators = append(r.collaborators, logins...)
}

// collaborator says whether login may be asked to review: GitHub only
// accepts review requests for people with access to the repository.
func (r *Repo) collaborator(login string) bool {
	for _, c := range r.collaborators {
		if strings.EqualFold(c, login) {
			return true
		}
	}
	for _, t := range r.s.orgTeams(r.owner) {
		if t.active(login) {
			return true
		}
	}
	return false
}

// AddReview records a review of pull request n, as if rv.User had
// submitted it, and returns its id. rv.CommitID "" means the pull
// request's head now. A submitted review (any state but PENDING) removes
// rv.User, and the requested teams rv.User is an active member of, from the
// pull request's review requests, as GitHub does. It panics when there is
// no such pull request or the state is not one of GitHub's, since that is a
// bug in the test.
func (r *Repo) AddReview(n int, rv Review) int64 {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	p := r.pull(n)
	if p == nil {
		panic(fmt.Sprintf("githubfake: AddReview: no pull request %d", n))
	}
	if !reviewStates[rv.State] {
		panic(fmt.Sprintf("githubfake: AddReview: review state %q is not one of GitHub's", rv.State))
	}
	r.nextReviewID++
	rv.ID = r.nextReviewID
	if rv.CommitID == "" {
		rv.CommitID = r.headSHA(p)
	}
	p.Reviews = append(p.Reviews, rv)
	if rv.State != "PENDING" {
		r.satisfyRequests(p, rv.User)
	}
	return rv.ID
}

// DismissReview dismisses review id of pull request n, as a maintainer
// would. It panics when there is no such review or when GitHub would refuse
// (a commented or pending review), since that is a bug in the test.
func (r *Repo) DismissReview(n int, id int64) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	p := r.pull(n)
	if p == nil {
		panic(fmt.Sprintf("githubfake: DismissReview: no pull request %d", n))
	}
	rv := p.review(id)
	if rv == nil {
		panic(fmt.Sprintf("githubfake: DismissReview: pull request %d has no review %d", n, id))
	}
	if msg := undismissable(rv); msg != "" {
		panic("githubfake: DismissReview: " + msg)
	}
	rv.State = "DISMISSED"
}

// satisfyRequests removes the review requests that a review by login
// answers: login's own, and those of the teams login is an active member
// of (GitHub shows such a review as given "on behalf of" the team).
func (r *Repo) satisfyRequests(p *pull, login string) {
	p.RequestedReviewers = slices.DeleteFunc(p.RequestedReviewers, func(u string) bool {
		return strings.EqualFold(u, login)
	})
	p.RequestedTeams = slices.DeleteFunc(p.RequestedTeams, func(slug string) bool {
		t := r.s.team(r.owner, slug)
		return t != nil && t.active(login)
	})
}

func (p *pull) review(id int64) *Review {
	for i := range p.Reviews {
		if p.Reviews[i].ID == id {
			return &p.Reviews[i]
		}
	}
	return nil
}

// undismissable is GitHub's reason to refuse dismissing rv, or "".
func undismissable(rv *Review) string {
	switch rv.State {
	case "COMMENTED":
		return "Can not dismiss a commented pull request review"
	case "PENDING":
		return "Can not dismiss a pending pull request review"
	}
	return ""
}

func (c *call) reviewJSON(p *pull, rv *Review) map[string]any {
	full := c.repo.owner + "/" + c.repo.name
	id := strconv.FormatInt(rv.ID, 10)
	return map[string]any{
		"id":                 rv.ID,
		"node_id":            "PRR_fake" + id,
		"user":               map[string]any{"login": rv.User, "type": "User"},
		"body":               rv.Body,
		"state":              rv.State,
		"commit_id":          rv.CommitID,
		"submitted_at":       fixedDate,
		"author_association": "MEMBER",
		"html_url":           "https://github.com/" + full + "/pull/" + strconv.Itoa(p.Number) + "#pullrequestreview-" + id,
		"pull_request_url":   c.apiURL("pulls/" + strconv.Itoa(p.Number)),
	}
}

// listReviews lists the submitted reviews, oldest first. GitHub shows a
// pending review to its author only; the fake does not know who a token
// belongs to, so it lists none.
func (c *call) listReviews(p *pull) response {
	var rs []*Review
	for i := range p.Reviews {
		if p.Reviews[i].State != "PENDING" {
			rs = append(rs, &p.Reviews[i])
		}
	}
	hdr := http.Header{}
	lo, hi := c.page(len(rs), hdr)
	out := []map[string]any{}
	for _, rv := range rs[lo:hi] {
		out = append(out, c.reviewJSON(p, rv))
	}
	return response{status: http.StatusOK, body: out, header: hdr}
}

// routeReview serves
//
//	GET pulls/{n}/reviews/{id}
//	PUT pulls/{n}/reviews/{id}/dismissals   {"message", "event": "DISMISS"} -> 200
func (c *call) routeReview(p *pull, rest []string) response {
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil {
		return notFound
	}
	rv := p.review(id)
	if rv == nil || rv.State == "PENDING" {
		return notFound
	}
	if len(rest) == 1 {
		return c.only(http.MethodGet, func() response { return reply(http.StatusOK, c.reviewJSON(p, rv)) })
	}
	if rest[1] != "dismissals" {
		return notFound
	}
	return c.only(http.MethodPut, func() response { return c.dismissReview(p, rv) })
}

func (c *call) dismissReview(p *pull, rv *Review) response {
	var in struct {
		Message *string `json:"message"`
		Event   *string `json:"event"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Message == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"message\" wasn't supplied.")
	}
	if in.Event != nil && *in.Event != "DISMISS" {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n"+quote(*in.Event)+" is not a member of [\"DISMISS\"].")
	}
	if msg := undismissable(rv); msg != "" {
		return fail(http.StatusUnprocessableEntity, msg)
	}
	rv.State = "DISMISSED"
	return reply(http.StatusOK, c.reviewJSON(p, rv))
}

const reviewRequestsDocs = "https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request"

// routeRequested serves
//
//	GET    pulls/{n}/requested_reviewers   -> {"users", "teams"}
//	POST   pulls/{n}/requested_reviewers   {"reviewers", "team_reviewers"} -> 201 pull request
//	DELETE pulls/{n}/requested_reviewers   {"reviewers", "team_reviewers"} -> 200 pull request
func (c *call) routeRequested(p *pull) response {
	switch c.method {
	case http.MethodGet:
		return reply(http.StatusOK, map[string]any{
			"users": c.requestedUsersJSON(p),
			"teams": c.requestedTeamsJSON(p),
		})
	case http.MethodPost:
		return c.requestReviewers(p)
	case http.MethodDelete:
		return c.removeReviewers(p)
	}
	return notFound
}

// reviewersBody decodes the body of a review request: GitHub requires
// "reviewers" or "team_reviewers" (either may be empty).
func (c *call) reviewersBody() (users, teams []string, resp response, ok bool) {
	var in struct {
		Reviewers     *[]string `json:"reviewers"`
		TeamReviewers *[]string `json:"team_reviewers"`
	}
	if resp, ok := c.decode(&in); !ok {
		return nil, nil, resp, false
	}
	if in.Reviewers == nil && in.TeamReviewers == nil {
		return nil, nil, fail(http.StatusUnprocessableEntity,
			"Invalid request.\n\nNo subschema in \"anyOf\" matched.\n\"reviewers\" wasn't supplied.\n\"team_reviewers\" wasn't supplied."), false
	}
	if in.Reviewers != nil {
		users = *in.Reviewers
	}
	if in.TeamReviewers != nil {
		teams = *in.TeamReviewers
	}
	return users, teams, response{}, true
}

// requestReviewers refuses, as GitHub does, the pull request's author and
// anyone, or any team, without access to the repository; requesting someone
// already requested changes nothing, and requesting someone who reviewed
// asks them again.
func (c *call) requestReviewers(p *pull) response {
	users, teams, resp, ok := c.reviewersBody()
	if !ok {
		return resp
	}
	notCollaborator := failDoc(http.StatusUnprocessableEntity,
		"Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the "+
			c.repo.owner+"/"+c.repo.name+" repository.", reviewRequestsDocs)
	for _, u := range users {
		if strings.EqualFold(u, p.Author) {
			return failDoc(http.StatusUnprocessableEntity, "Review cannot be requested from pull request author.", reviewRequestsDocs)
		}
		if !c.repo.collaborator(u) {
			return notCollaborator
		}
	}
	var slugs []string
	for _, slug := range teams {
		t := c.s.team(c.repo.owner, slug)
		if t == nil {
			return notCollaborator
		}
		slugs = append(slugs, t.slug)
	}
	for _, u := range users {
		if !slices.ContainsFunc(p.RequestedReviewers, func(v string) bool { return strings.EqualFold(u, v) }) {
			p.RequestedReviewers = append(p.RequestedReviewers, u)
		}
	}
	for _, slug := range slugs {
		if !slices.Contains(p.RequestedTeams, slug) {
			p.RequestedTeams = append(p.RequestedTeams, slug)
		}
	}
	return reply(http.StatusCreated, c.pullJSON(p))
}

func (c *call) removeReviewers(p *pull) response {
	users, teams, resp, ok := c.reviewersBody()
	if !ok {
		return resp
	}
	p.RequestedReviewers = slices.DeleteFunc(p.RequestedReviewers, func(v string) bool {
		return slices.ContainsFunc(users, func(u string) bool { return strings.EqualFold(u, v) })
	})
	p.RequestedTeams = slices.DeleteFunc(p.RequestedTeams, func(v string) bool {
		return slices.ContainsFunc(teams, func(u string) bool { return strings.EqualFold(u, v) })
	})
	return reply(http.StatusOK, c.pullJSON(p))
}

func (c *call) requestedUsersJSON(p *pull) []map[string]any {
	out := []map[string]any{}
	for _, u := range p.RequestedReviewers {
		out = append(out, map[string]any{"login": u, "type": "User"})
	}
	return out
}

func (c *call) requestedTeamsJSON(p *pull) []map[string]any {
	out := []map[string]any{}
	for _, slug := range p.RequestedTeams {
		if t := c.s.team(c.repo.owner, slug); t != nil {
			out = append(out, c.s.teamJSON(t))
		} else {
			// A team named only by AddPull: enough for a client to read.
			out = append(out, map[string]any{"name": slug, "slug": slug})
		}
	}
	return out
}
