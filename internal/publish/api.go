// Package publish puts the rendered job-family pages into a handbook
// repository on GitHub in one commit, touching only the pages jobfam owns.
// It talks to GitHub through API, a small interface of the Git Data and
// pull-request operations it needs; Client implements it over go-github,
// and tests run it against internal/githubfake.
package publish

import (
	"context"
	"errors"
	"fmt"
)

// API is what publish needs from GitHub. Methods without an explicit
// repository act on the handbook repository the implementation was made
// for; the provenance methods name the source repository ("owner/name").
type API interface {
	// GetRef returns the commit a branch points at; an *Error with
	// Status 404 when the branch does not exist.
	GetRef(ctx context.Context, branch string) (string, error)
	// GetCommit returns a commit's tree and parents.
	GetCommit(ctx context.Context, sha string) (*Commit, error)
	// GetTree lists a tree, with every entry below it when recursive;
	// sha may name the tree or a commit. A recursive listing may come
	// back truncated (Tree.Truncated), as GitHub's do beyond 100,000
	// entries or 7 MB.
	GetTree(ctx context.Context, sha string, recursive bool) (*Tree, error)
	// GetBlob returns a blob's content.
	GetBlob(ctx context.Context, sha string) ([]byte, error)
	// CreateTree creates a tree from base with the changes applied and
	// returns its SHA.
	CreateTree(ctx context.Context, base string, changes []Change) (string, error)
	// CreateCommit creates a commit and returns its SHA.
	CreateCommit(ctx context.Context, message, tree string, parents []string) (string, error)
	// CreateRef creates a branch.
	CreateRef(ctx context.Context, branch, sha string) error
	// UpdateRef moves a branch; without force only forward.
	UpdateRef(ctx context.Context, branch, sha string, force bool) error
	// OpenPulls lists the open pull requests from head into base.
	OpenPulls(ctx context.Context, head, base string) ([]Pull, error)
	// CreatePull opens a pull request.
	CreatePull(ctx context.Context, title, body, head, base string) (*Pull, error)
	// EditPull changes a pull request's title and body, or closes it when
	// state is "closed".
	EditPull(ctx context.Context, number int, title, body, state string) (*Pull, error)
	// PullsWithCommit lists the pull requests of repo that hold sha.
	PullsWithCommit(ctx context.Context, repo, sha string) ([]Pull, error)
	// Reviews lists a pull request's reviews, oldest first.
	Reviews(ctx context.Context, repo string, number int) ([]Review, error)
}

// Commit is what publish reads of a commit.
type Commit struct {
	Tree    string
	Parents []string
}

// Tree is one listing of a tree.
type Tree struct {
	SHA     string // the tree's own SHA, also when the listing is truncated
	Entries []TreeEntry
	// Truncated is set when GitHub left entries out of a recursive
	// listing; the entries it holds are still correct.
	Truncated bool
}

// TreeEntry is one entry of a tree listing; Path is relative to the
// listed tree.
type TreeEntry struct {
	Path, Type, SHA string
}

// Change is one entry of a new tree: a file with its content, or a
// deletion when Content is nil.
type Change struct {
	Path    string
	Content *string
}

// Pull is what publish, and the approval rules through Client.Pull, read
// of a pull request.
type Pull struct {
	Number         int
	URL            string
	Title, Body    string
	Author         string // the login of who opened it
	State          string // "open" or "closed"
	Merged         bool
	MergeCommitSHA string
	// HeadRef and BaseRef are branch names; HeadSHA and BaseSHA the
	// commits they point at (for a closed pull request, those of when it
	// was closed).
	HeadRef, HeadSHA string
	BaseRef, BaseSHA string
	// RequestedUsers (logins) and RequestedTeams (team slugs of the
	// repository's organization) are the reviews asked for and not yet
	// given: GitHub drops a request once its reviewer submits a review.
	RequestedUsers []string
	RequestedTeams []string
}

// Review is one review of a pull request.
type Review struct {
	User, State string // State: "APPROVED", "CHANGES_REQUESTED", "COMMENTED" or "DISMISSED"
	// CommitID is the commit the review was submitted on: an approval of
	// an older head does not vouch for the commits pushed after it.
	CommitID string
}

// Error is a failed GitHub request, with a message that says what to do.
// It never holds the token.
type Error struct {
	Op     string // what publish was doing, e.g. "update ref heads/main"
	Status int    // the HTTP status, 0 when no answer came
	Msg    string
	// NotFastForward is set on a 422 from update-ref that says someone
	// pushed meanwhile.
	NotFastForward bool
	// PullExists is set on a 422 from create-pull saying one is open.
	PullExists bool
	// Forbidden is set on a 403 that is not a rate limit: the token lacks
	// a permission. Such an Error satisfies errors.Is(err, ErrForbidden).
	Forbidden bool
}

// Is makes a Forbidden error match ErrForbidden.
func (e *Error) Is(target error) bool {
	return target == ErrForbidden && e.Forbidden
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s", e.Op, e.Msg)
	}
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Op, e.Msg, e.Status)
}

// statusOf returns the HTTP status of a failed request, 0 if there was
// no answer (a timeout, a dropped connection).
func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// ErrForbidden is matched (errors.Is) by the errors of requests that
// GitHub refused with 403 for want of a permission of the token, rather
// than for a rate limit. Client.TeamMember's is the one callers are
// expected to handle: the organization permission "Members: read" that it
// needs is one the GITHUB_TOKEN of a workflow never has, so a caller may
// fall back or tell the user to use a GitHub App token that has it. The
// error's message already says so.
var ErrForbidden = errors.New("forbidden")

// ErrRefused is wrapped by the errors that mean publish chose not to
// publish (no approval, a page it does not own in the way); the CLI
// exits 1 for them.
var ErrRefused = errors.New("refused to publish")
