package githubfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Comment is an issue comment, as AddComment takes it and Comments reports
// it. On GitHub a pull request is an issue, and its conversation comments
// are issue comments; the fake keeps them for pull requests only, which is
// what an issue number names here.
type Comment struct {
	ID    int64
	Issue int
	User  string // login; "" in AddComment means "github-actions[bot]"
	Body  string
}

// commentBot is the author of comments made through the API, as with the
// GITHUB_TOKEN of an Actions run.
const commentBot = "github-actions[bot]"

// errReadOnly is GitHub's answer to a write with a token that may only read,
// such as the GITHUB_TOKEN of a pull request from a fork.
var errReadOnly = fail(http.StatusForbidden, "Resource not accessible by integration")

// ReadOnlyToken makes tok a token that authenticates (also when RequireToken
// names another one) but may only read: every POST, PATCH, PUT or DELETE sent
// with it gets 403 "Resource not accessible by integration", as a fork's
// pull request token does.
func (s *Server) ReadOnlyToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readOnly == nil {
		s.readOnly = map[string]bool{}
	}
	s.readOnly[tok] = true
}

// requestToken returns the token of an Authorization header, "" if none.
func requestToken(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	if tok, ok := strings.CutPrefix(auth, "Bearer "); ok {
		return tok
	}
	if tok, ok := strings.CutPrefix(auth, "token "); ok {
		return tok
	}
	return ""
}

// AddComment records a comment on issue (a pull request number) without
// going through HTTP, and returns its id. It panics when there is no such
// pull request, since that is a bug in the test.
func (r *Repo) AddComment(c Comment) int64 {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.pull(c.Issue) == nil {
		panic(fmt.Sprintf("githubfake: AddComment: no pull request %d", c.Issue))
	}
	if c.User == "" {
		c.User = commentBot
	}
	r.s.nextID++
	c.ID = r.s.nextID
	r.comments = append(r.comments, &c)
	return c.ID
}

// Comments returns the comments of issue n, oldest first.
func (r *Repo) Comments(n int) []Comment {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	var out []Comment
	for _, c := range r.comments {
		if c.Issue == n {
			out = append(out, *c)
		}
	}
	return out
}

// routeIssues serves
//
//	GET   issues/{n}/comments        (per_page, page, Link)
//	POST  issues/{n}/comments        {"body"} -> 201
//	GET   issues/comments/{id}
//	PATCH issues/comments/{id}       {"body"} -> 200
func (c *call) routeIssues(rest []string) response {
	if len(rest) != 2 {
		return notFound
	}
	if rest[0] == "comments" {
		id, err := strconv.ParseInt(rest[1], 10, 64)
		if err != nil {
			return notFound
		}
		cm := c.repo.comment(id)
		if cm == nil {
			return notFound
		}
		switch c.method {
		case http.MethodGet:
			return reply(http.StatusOK, c.commentJSON(cm))
		case http.MethodPatch:
			return c.editComment(cm)
		}
		return notFound
	}
	n, err := strconv.Atoi(rest[0])
	if err != nil || rest[1] != "comments" || c.repo.pull(n) == nil {
		return notFound
	}
	switch c.method {
	case http.MethodGet:
		return c.listComments(n)
	case http.MethodPost:
		return c.createComment(n)
	}
	return notFound
}

func (r *Repo) comment(id int64) *Comment {
	for _, c := range r.comments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (c *call) commentJSON(cm *Comment) map[string]any {
	full := c.repo.owner + "/" + c.repo.name
	return map[string]any{
		"id":                 cm.ID,
		"node_id":            fmt.Sprintf("IC_fake%d", cm.ID),
		"url":                c.apiURL("issues/comments/" + strconv.FormatInt(cm.ID, 10)),
		"html_url":           "https://github.com/" + full + "/pull/" + strconv.Itoa(cm.Issue) + "#issuecomment-" + strconv.FormatInt(cm.ID, 10),
		"issue_url":          c.apiURL("issues/" + strconv.Itoa(cm.Issue)),
		"body":               cm.Body,
		"user":               map[string]any{"login": cm.User, "type": "Bot"},
		"author_association": "NONE",
		"created_at":         fixedDate,
		"updated_at":         fixedDate,
	}
}

func (c *call) listComments(n int) response {
	var cs []*Comment
	for _, cm := range c.repo.comments {
		if cm.Issue == n {
			cs = append(cs, cm)
		}
	}
	hdr := http.Header{}
	lo, hi := c.page(len(cs), hdr)
	out := []map[string]any{}
	for _, cm := range cs[lo:hi] {
		out = append(out, c.commentJSON(cm))
	}
	return response{status: http.StatusOK, body: out, header: hdr}
}

// commentBody decodes {"body": ...}, which GitHub requires, and applies
// GitHub's limit of 65,536 characters.
func (c *call) commentBody() (string, response, bool) {
	var in struct {
		Body *string `json:"body"`
	}
	if resp, ok := c.decode(&in); !ok {
		return "", resp, false
	}
	if in.Body == nil {
		return "", fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"body\" wasn't supplied."), false
	}
	if bodyTooLong(in.Body) {
		return "", errBodyTooLong, false
	}
	return *in.Body, response{}, true
}

func (c *call) createComment(n int) response {
	body, resp, ok := c.commentBody()
	if !ok {
		return resp
	}
	c.s.nextID++
	cm := &Comment{ID: c.s.nextID, Issue: n, User: commentBot, Body: body}
	c.repo.comments = append(c.repo.comments, cm)
	hdr := http.Header{"Location": {c.apiURL("issues/comments/" + strconv.FormatInt(cm.ID, 10))}}
	return response{status: http.StatusCreated, body: c.commentJSON(cm), header: hdr}
}

func (c *call) editComment(cm *Comment) response {
	body, resp, ok := c.commentBody()
	if !ok {
		return resp
	}
	cm.Body = body
	return reply(http.StatusOK, c.commentJSON(cm))
}
