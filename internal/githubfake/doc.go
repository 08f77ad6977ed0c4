// Package githubfake is a test double for the part of GitHub's REST API that
// jobfam publish uses: repositories, the Git Data API (refs, commits, trees,
// blobs), pull requests, their reviews, the pull requests of a commit, and
// the issue comments of pull requests (what jobfam action posts).
//
// It is a fake, not a mock: a Server keeps real state (git objects hashed as
// git hashes them, branches, pull requests) behind a net/http/httptest
// server, and it enforces the semantics GitHub documents instead of answering
// 200 to everything. A non-fast-forward ref update without force is refused
// with 422, deleting a path that is not in base_tree is refused with 422, the
// Git Data API of an empty repository answers 409, a second open pull
// request for the same head and base is refused with 422, a recursive tree
// listing beyond GitHub's limit (100,000 entries or 7 MB; Repo.SetTreeLimit
// lowers it for a test) stops with "truncated": true, and so on. Tests
// can therefore assert on the state a client leaves behind (Repo.Files,
// Repo.Log, Repo.Pulls, Repo.Comments) and on the exact requests it sent (Server.Requests),
// and they can make the network misbehave on purpose (Server.Inject): answer
// an error status without applying the request, apply it and then drop the
// connection, or apply it and answer too late.
//
// Every response carries X-RateLimit-* headers as GitHub sends them, so
// clients that read them see realistic values; rate-limit answers (403 or 429
// with Retry-After or X-RateLimit-Remaining: 0) are produced on demand with a
// Status fault.
package githubfake
