package githubfake

import (
	"fmt"
	"sort"
	"strings"
)

// Repo is a repository on the fake server. Its methods are for test setup
// and inspection; they do not go through HTTP and are not logged.
type Repo struct {
	s             *Server
	id            int64
	owner, name   string
	defaultBranch string
	obj           *objects
	refs          map[string]string // "heads/main" -> commit sha
	pulls         []*pull
	comments      []*Comment // issue comments, oldest first
	nextPull      int
	nextReviewID  int64
	collaborators []string // logins that may be asked to review (AddCollaborator)
	// treeLimit is how many entries a recursive tree listing holds before
	// GitHub truncates it; 0 means GitHub's documented limit.
	treeLimit int
}

// Commit is a commit as Repo.Log reports it.
type Commit struct {
	SHA     string
	Message string
	Parents []string
	Tree    string
}

// Pull is a pull request as AddPull takes it and Pulls reports it.
type Pull struct {
	Number         int // 0 in AddPull: the next free number
	Title, Body    string
	Head, Base     string // branch names
	Author         string // login; "" means "jobfam-fake"
	MergeCommitSHA string
	Merged         bool
	State          string // "open" or "closed"; "" in AddPull means "open", or "closed" when Merged
	Reviews        []Review
	// HeadSHA is the commit the pull request's head points at. In AddPull
	// "" means the head branch's current commit; an open pull request
	// follows its branch, a closed one keeps the sha it had when closed.
	HeadSHA string
	// BaseSHA, when set, is the commit GitHub reports as the pull
	// request's base, instead of the base branch's current commit: tests
	// whose commits live in a local git repository, not in the fake, name
	// them so.
	BaseSHA string
	// RequestedReviewers (logins) and RequestedTeams (team slugs of the
	// repository's owner) are the pending review requests. AddPull takes
	// them as given; later, a submitted review removes its author, and the
	// teams the author is an active member of, as on GitHub.
	RequestedReviewers []string
	RequestedTeams     []string
}

// Review is a review of a pull request, as AddPull and AddReview take it
// and Pulls reports it.
type Review struct {
	// ID is set by the fake; AddPull and AddReview ignore it.
	ID    int64
	User  string
	State string // "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED" or "PENDING"
	// CommitID is the commit the review was submitted on. In AddPull and
	// AddReview "" means the pull request's head at that time, which is
	// what GitHub records for a review submitted without a commit_id.
	CommitID string
	Body     string
}

// reviewStates are the states a review can be in on GitHub.
var reviewStates = map[string]bool{
	"APPROVED": true, "CHANGES_REQUESTED": true, "COMMENTED": true, "DISMISSED": true, "PENDING": true,
}

type pull struct {
	Pull
}

// headSHA is the sha the pull request's head points at now.
func (r *Repo) headSHA(p *pull) string {
	if p.State == "open" {
		if sha, ok := r.refs["heads/"+p.Head]; ok {
			return sha
		}
	}
	return p.HeadSHA
}

// Commit makes a commit on branch (created if absent) whose tree is the
// branch's tree (or empty) with files set and the paths in deletes removed
// (a folder path removes everything under it). It returns the commit's sha.
// It panics on an invalid path or a delete that matches nothing, since that
// is a bug in the test.
func (r *Repo) Commit(branch, message string, files map[string]string, deletes ...string) string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	head, exists := r.refs["heads/"+branch]
	tree := map[string]leaf{}
	var parents []string
	if exists {
		tree, _ = r.obj.flatten(r.obj.commits[head].tree)
		parents = []string{head}
	}
	for _, d := range deletes {
		if !removePath(tree, d) {
			panic(fmt.Sprintf("githubfake: Commit on %s: delete %q: no such path", branch, d))
		}
	}
	for p, content := range files {
		if !validPath(p) {
			panic(fmt.Sprintf("githubfake: Commit on %s: invalid path %q", branch, p))
		}
		removePath(tree, p) // a file replaces a folder of the same name
		for dir := p; strings.Contains(dir, "/"); {
			dir = dir[:strings.LastIndex(dir, "/")]
			delete(tree, dir) // and a folder replaces a file
		}
		tree[p] = leaf{mode: "100644", sha: r.obj.putBlob(content)}
	}
	sha := r.obj.putCommit(message, r.obj.buildTree(tree), parents)
	if len(r.refs) == 0 {
		r.defaultBranch = branch
	}
	r.refs["heads/"+branch] = sha
	return sha
}

// GitHub's documented limits of a recursive tree listing: beyond 100,000
// entries or 7 MB, the listing stops and says "truncated": true.
const (
	maxTreeEntries = 100_000
	maxTreeBytes   = 7 << 20
)

// SetTreeLimit makes recursive tree listings of this repository stop after
// n entries with "truncated": true, as GitHub's do beyond 100,000 entries
// (or 7 MB), so that tests can exercise a huge repository with a few
// files. n <= 0 restores GitHub's limit. Non-recursive listings are never
// truncated: GitHub documents the limit for recursive ones only.
func (r *Repo) SetTreeLimit(n int) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.treeLimit = max(n, 0)
}

// removePath deletes a file, or every file under a folder, and reports
// whether anything was there.
func removePath(tree map[string]leaf, p string) bool {
	if _, ok := tree[p]; ok {
		delete(tree, p)
		return true
	}
	found := false
	for q := range tree {
		if strings.HasPrefix(q, p+"/") {
			delete(tree, q)
			found = true
		}
	}
	return found
}

// Files returns path -> content at the branch head, or nil if the branch
// does not exist.
func (r *Repo) Files(branch string) map[string]string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	head, ok := r.refs["heads/"+branch]
	if !ok {
		return nil
	}
	tree, _ := r.obj.flatten(r.obj.commits[head].tree)
	out := make(map[string]string, len(tree))
	for p, l := range tree {
		out[p] = r.obj.blobs[l.sha]
	}
	return out
}

// Head returns the sha the branch points at, or "".
func (r *Repo) Head(branch string) string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.refs["heads/"+branch]
}

// Branches returns the names of all branches, sorted.
func (r *Repo) Branches() []string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	var out []string
	for ref := range r.refs {
		if b, ok := strings.CutPrefix(ref, "heads/"); ok {
			out = append(out, b)
		}
	}
	sort.Strings(out)
	return out
}

// DefaultBranch returns the repository's default branch.
func (r *Repo) DefaultBranch() string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.defaultBranch
}

// Log returns the branch's history along first parents, newest first.
func (r *Repo) Log(branch string) []Commit {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	var out []Commit
	for sha := r.refs["heads/"+branch]; sha != ""; {
		c := r.obj.commits[sha]
		out = append(out, Commit{SHA: c.sha, Message: c.message, Parents: append([]string(nil), c.parents...), Tree: c.tree})
		sha = ""
		if len(c.parents) > 0 {
			sha = c.parents[0]
		}
	}
	return out
}

// AddPull records a pull request, e.g. the merged, reviewed source pull
// request that provenance looks up. It returns its number.
func (r *Repo) AddPull(p Pull) int {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if p.Number == 0 {
		p.Number = r.nextPull
	}
	for _, q := range r.pulls {
		if q.Number == p.Number {
			panic(fmt.Sprintf("githubfake: AddPull: number %d already used", p.Number))
		}
	}
	if p.State == "" {
		p.State = "open"
		if p.Merged {
			p.State = "closed"
		}
	}
	if p.Author == "" {
		p.Author = "jobfam-fake"
	}
	if p.HeadSHA == "" {
		p.HeadSHA = r.refs["heads/"+p.Head]
	}
	p.Reviews = append([]Review(nil), p.Reviews...)
	for i := range p.Reviews {
		rv := &p.Reviews[i]
		if !reviewStates[rv.State] {
			panic(fmt.Sprintf("githubfake: AddPull: review state %q is not one of GitHub's", rv.State))
		}
		r.nextReviewID++
		rv.ID = r.nextReviewID
		if rv.CommitID == "" {
			rv.CommitID = p.HeadSHA
		}
	}
	p.RequestedReviewers = append([]string(nil), p.RequestedReviewers...)
	p.RequestedTeams = append([]string(nil), p.RequestedTeams...)
	r.pulls = append(r.pulls, &pull{Pull: p})
	r.nextPull = max(r.nextPull, p.Number+1)
	return p.Number
}

// Pulls returns every pull request with its current state, by number.
func (r *Repo) Pulls() []Pull {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	out := make([]Pull, 0, len(r.pulls))
	for _, p := range r.pulls {
		q := p.Pull
		q.HeadSHA = r.headSHA(p)
		q.Reviews = append([]Review(nil), p.Reviews...)
		q.RequestedReviewers = append([]string(nil), p.RequestedReviewers...)
		q.RequestedTeams = append([]string(nil), p.RequestedTeams...)
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}
