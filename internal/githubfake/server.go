package githubfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running fake of api.github.com. Create it with New and Close it
// when the test ends.
type Server struct {
	ts *httptest.Server

	mu        sync.Mutex
	repos     map[string]*Repo // key: lower-case "owner/name"; GitHub names are case-insensitive
	token     string
	readOnly  map[string]bool  // tokens that may only read (ReadOnlyToken)
	noMembers map[string]bool  // tokens without "Members: read" (DenyMembersRead)
	teams     map[string]*Team // key: lower-case "org/slug"
	requests  []Request
	faults    []*Fault
	rateLimit int
	rateUsed  int
	rateReset int64
	nextID    int64
}

// Request is one request the server received, in arrival order.
type Request struct {
	Method string
	Path   string // URL path as received, e.g. "/repos/o/r/git/trees"
	Query  string // raw query, e.g. "recursive=1"
	Status int    // status the server produced (for a dropped response, the one the client never saw)
	Write  bool   // POST, PATCH, PUT or DELETE
	Fault  string // "" or the FaultKind that was applied to this request
}

// FaultKind says how an injected fault disturbs a matching request.
type FaultKind int

const (
	// Status answers Fault.Status (500 if zero) with Fault.Header without
	// applying the request.
	Status FaultKind = iota
	// DropAfterApply applies the request, then closes the connection
	// without sending a response.
	DropAfterApply
	// Timeout applies the request, then waits Fault.Delay before answering
	// (or until the client gives up).
	Timeout
)

func (k FaultKind) String() string {
	switch k {
	case Status:
		return "Status"
	case DropAfterApply:
		return "DropAfterApply"
	case Timeout:
		return "Timeout"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault disturbs the next Times requests that match Method and Path.
type Fault struct {
	Method string        // "" matches any method
	Path   string        // substring of the URL path; "" matches any path
	Times  int           // number of matching requests affected; 0 means 1
	Kind   FaultKind     //
	Status int           // for Kind Status
	Header http.Header   // extra response headers, e.g. Retry-After, X-RateLimit-Remaining
	Delay  time.Duration // for Kind Timeout
}

// New starts a fake server with no repositories and no token requirement.
func New() *Server {
	s := &Server{
		repos:     map[string]*Repo{},
		rateLimit: 5000,
		rateReset: time.Now().Add(time.Hour).Unix(),
		nextID:    1000,
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// URL is the API base URL, ending in "/", suitable for go-github's
// Client.BaseURL. Paths under "/api/v3/" are accepted too, so the URL also
// works with go-github's WithEnterpriseURLs.
func (s *Server) URL() string { return s.ts.URL + "/" }

// Client returns an HTTP client for the server (the httptest default).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// RequireToken makes every later request need "Authorization: Bearer tok" or
// "Authorization: token tok"; others get 401 Bad credentials.
func (s *Server) RequireToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = tok
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Inject queues a fault. Faults are matched in the order they were queued;
// the first one that matches a request is used and counts down.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// AddRepo creates an empty repository (no commits, no branches) whose
// default branch will be "main", or the first branch created in it.
func (s *Server) AddRepo(owner, name string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(owner + "/" + name)
	if _, dup := s.repos[key]; dup {
		panic(fmt.Sprintf("githubfake: repository %s/%s already exists", owner, name))
	}
	s.nextID++
	r := &Repo{
		s: s, id: s.nextID, owner: owner, name: name,
		defaultBranch: "main",
		obj:           newObjects(),
		refs:          map[string]string{},
		nextPull:      1,
	}
	s.repos[key] = r
	return r
}

// takeFault removes one use of the first fault matching the request.
func (s *Server) takeFault(method, path string) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.Path != "" && !strings.Contains(path, f.Path) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// apiError is GitHub's error body.
type apiError struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url,omitempty"`
	Status           string       `json:"status,omitempty"`
}

type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// response is what a handler decided to answer.
type response struct {
	status int
	body   any // nil for no body
	header http.Header
}

func reply(status int, body any) response { return response{status: status, body: body} }

func fail(status int, msg string) response {
	return response{status: status, body: apiError{
		Message:          msg,
		DocumentationURL: "https://docs.github.com/rest",
		Status:           strconv.Itoa(status),
	}}
}

// failDoc is fail with the documentation_url of the endpoint, as GitHub
// sends for the errors an endpoint documents.
func failDoc(status int, msg, doc string) response {
	resp := fail(status, msg)
	e := resp.body.(apiError)
	e.DocumentationURL = doc
	resp.body = e
	return resp
}

func validation(errs ...fieldError) response {
	return response{status: http.StatusUnprocessableEntity, body: apiError{
		Message:          "Validation Failed",
		Errors:           errs,
		DocumentationURL: "https://docs.github.com/rest",
		Status:           "422",
	}}
}

var notFound = fail(http.StatusNotFound, "Not Found")

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := readAll(r)
	s.mu.Lock()
	s.nextID++
	reqID := s.nextID
	logIdx := len(s.requests)
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Write: isWrite(r.Method),
	})
	fault := s.takeFault(r.Method, r.URL.Path)
	var resp response
	switch {
	case err != nil:
		resp = fail(http.StatusBadRequest, "Problems reading the request body")
	case fault != nil && fault.Kind == Status:
		resp = faultResponse(fault)
	default:
		resp = s.handle(r, body)
	}
	s.rateUsed++
	hdr := w.Header()
	remaining := max(s.rateLimit-s.rateUsed, 0)
	hdr.Set("X-RateLimit-Limit", strconv.Itoa(s.rateLimit))
	hdr.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	hdr.Set("X-RateLimit-Used", strconv.Itoa(s.rateUsed))
	hdr.Set("X-RateLimit-Reset", strconv.FormatInt(s.rateReset, 10))
	hdr.Set("X-RateLimit-Resource", "core")
	hdr.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%d", reqID))
	hdr.Set("X-GitHub-Media-Type", "github.v3; format=json")
	for k, vs := range resp.header {
		hdr[k] = vs
	}
	if fault != nil {
		for k, vs := range fault.Header {
			hdr[http.CanonicalHeaderKey(k)] = vs
		}
		s.requests[logIdx].Fault = fault.Kind.String()
	}
	s.requests[logIdx].Status = resp.status
	s.mu.Unlock()

	var payload []byte
	if resp.body != nil {
		payload, _ = json.Marshal(resp.body)
		payload = append(payload, '\n')
		hdr.Set("Content-Type", "application/json; charset=utf-8")
	}

	if fault != nil {
		switch fault.Kind {
		case DropAfterApply:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // closes the connection without a response
		case Timeout:
			t := time.NewTimer(fault.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
	}
	w.WriteHeader(resp.status)
	if payload != nil && r.Method != http.MethodHead {
		w.Write(payload)
	}
}

func readAll(r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.Bytes(), err
}

// faultResponse answers as GitHub would for the injected status: a 403 or
// 429 with X-RateLimit-Remaining: 0 is the primary rate limit, one with
// Retry-After (or a bare 429) the secondary rate limit, whose
// documentation_url clients such as go-github recognise.
func faultResponse(f *Fault) response {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		return response{status: status}
	}
	limited := status == http.StatusForbidden || status == http.StatusTooManyRequests
	resp := fail(status, http.StatusText(status))
	e := resp.body.(apiError)
	switch {
	case limited && f.Header.Get("X-RateLimit-Remaining") == "0":
		e.Message = "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID."
		e.DocumentationURL = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	case limited && (f.Header.Get("Retry-After") != "" || status == http.StatusTooManyRequests):
		e.Message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
		e.DocumentationURL = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	case status == http.StatusForbidden:
		e.Message = "Resource not accessible by integration"
		e.DocumentationURL = "https://docs.github.com/rest"
	case status >= 500:
		e.Message = "Server Error"
	}
	resp.body = e
	return resp
}

// handle routes a request. It runs with s.mu held.
func (s *Server) handle(r *http.Request, body []byte) response {
	tok := requestToken(r)
	if s.token != "" && tok != s.token && !s.readOnly[tok] {
		return fail(http.StatusUnauthorized, "Bad credentials")
	}
	path := strings.TrimPrefix(r.URL.Path, "/api/v3")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) > 0 && segs[0] == "orgs" {
		return s.routeOrgs(r, tok, segs)
	}
	if len(segs) < 3 || segs[0] != "repos" {
		return notFound
	}
	repo := s.repos[strings.ToLower(segs[1]+"/"+segs[2])]
	if repo == nil {
		return notFound
	}
	rest := segs[3:]
	if s.readOnly[tok] && isWrite(r.Method) {
		return errReadOnly
	}
	c := &call{s: s, repo: repo, r: r, body: body, method: r.Method}
	switch {
	case len(rest) == 0:
		return c.only(http.MethodGet, c.getRepo)
	case rest[0] == "git" && len(rest) >= 2:
		return c.routeGit(rest[1:])
	case rest[0] == "pulls":
		return c.routePulls(rest[1:])
	case rest[0] == "issues":
		return c.routeIssues(rest[1:])
	case rest[0] == "commits" && len(rest) == 3 && rest[2] == "pulls":
		return c.only(http.MethodGet, func() response { return c.commitPulls(rest[1]) })
	}
	return notFound
}

// call is one request being handled against one repository.
type call struct {
	s      *Server
	repo   *Repo
	r      *http.Request
	body   []byte
	method string
}

func (c *call) only(method string, h func() response) response {
	if c.method != method {
		return notFound
	}
	return h()
}

// decode parses the JSON body into v: a syntax error is 400 as on GitHub, a
// value of the wrong type 422.
func (c *call) decode(v any) (response, bool) {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return fail(http.StatusBadRequest, "Problems parsing JSON"), false
	}
	err := json.Unmarshal(c.body, v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return fail(http.StatusUnprocessableEntity, fmt.Sprintf("Invalid request.\n\nFor 'properties/%s', value is not of type %s.", typeErr.Field, typeErr.Type)), false
	case err != nil:
		return fail(http.StatusBadRequest, "Problems parsing JSON"), false
	}
	return response{}, true
}

func (c *call) getRepo() response {
	return reply(http.StatusOK, c.repo.json(c.s.URL()))
}

func (r *Repo) json(base string) map[string]any {
	full := r.owner + "/" + r.name
	return map[string]any{
		"id":             r.id,
		"node_id":        fmt.Sprintf("R_fake%d", r.id),
		"name":           r.name,
		"full_name":      full,
		"private":        false,
		"owner":          map[string]any{"login": r.owner, "type": "Organization"},
		"html_url":       "https://github.com/" + full,
		"url":            base + "repos/" + full,
		"default_branch": r.defaultBranch,
		"size":           len(r.obj.blobs),
	}
}
