// Package githubfake is a test double for the part of GitHub's REST API that
// jobfam publish uses: repositories, the Git Data API (refs, commits, trees,
// blobs), pull requests, their reviews, the pull requests of a commit, and
// the issue comments of pull requests (what jobfam action posts); and what
// approval rules read: teams and their memberships, reviews with the commit
// they were submitted on, and review requests.
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
// The endpoints of approval rules are
//
//	GET    /orgs/{org}/teams/{team_slug}
//	GET    /orgs/{org}/teams/{team_slug}/memberships/{username}
//	GET    /repos/{owner}/{repo}/pulls/{n}                       (requested_reviewers, requested_teams)
//	GET    /repos/{owner}/{repo}/pulls/{n}/reviews               (oldest first, per_page, page, Link)
//	GET    /repos/{owner}/{repo}/pulls/{n}/reviews/{id}
//	PUT    /repos/{owner}/{repo}/pulls/{n}/reviews/{id}/dismissals
//	GET    /repos/{owner}/{repo}/pulls/{n}/requested_reviewers
//	POST   /repos/{owner}/{repo}/pulls/{n}/requested_reviewers
//	DELETE /repos/{owner}/{repo}/pulls/{n}/requested_reviewers
//
// and a test sets their state up with Server.AddTeam (active members),
// Team.SetMembership (a maintainer, a pending invitation), Team.RemoveMember,
// Repo.AddCollaborator (who else may be asked to review), Repo.AddReview (a
// review by a user, on the head at the time unless it names a commit) and
// Repo.DismissReview. Server.DenyMembersRead makes a token lack the
// organization permission "Members: read", as the GITHUB_TOKEN of an
// Actions run does: the membership endpoint answers it 403. A membership is
// 404 both for a non-member and for an unknown team, as on GitHub. Review
// requests are refused with 422 for the pull request's author and for
// anyone, or any team, without access to the repository; a submitted review
// answers its author's request and those of the teams the author is an
// active member of; pending reviews are never listed, since the fake does
// not know whose token asks. Every team of an organization may review the
// organization's repositories and its active members count as collaborators:
// the fake does not model team permissions.
//
// Every response carries X-RateLimit-* headers as GitHub sends them, so
// clients that read them see realistic values; rate-limit answers (403 or 429
// with Retry-After or X-RateLimit-Remaining: 0) are produced on demand with a
// Status fault.
package githubfake
