package approval

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// GitHub is what Evaluate needs to read who approved a pull request. It is
// implemented over GitHub's REST API elsewhere (internal/publish) and by a
// small fake in this package's tests.
type GitHub interface {
	// Reviews lists a pull request's reviews, oldest first, all pages
	// of them (GET /repos/{owner}/{repo}/pulls/{number}/reviews). repo
	// is "owner/name".
	Reviews(ctx context.Context, repo string, number int) ([]Review, error)
	// TeamMember reports whether login is an active member of the team
	// org/slug (GET /orgs/{org}/teams/{slug}/memberships/{login}): 200
	// with state "active" is a member; 200 with state "pending" and 404
	// are not, and no error. Any other answer is an error; for 403, which
	// GitHub answers when the token lacks the organization permission
	// "Members: read", the error must satisfy
	// errors.Is(err, ErrForbidden), so that Evaluate can say what to do.
	TeamMember(ctx context.Context, org, slug, login string) (bool, error)
}

// ErrForbidden is what GitHub.TeamMember's error wraps when GitHub
// refuses to show a team's members (HTTP 403).
var ErrForbidden = errors.New("forbidden")

// LookupError is a team membership that could not be read. Callers treat
// it as a failure of the run (exit code 2), not as a rule not met: nobody
// knows whether the rule is met.
type LookupError struct {
	Team  Team
	Login string
	// Err is GitHub.TeamMember's error; errors.Is(e, ErrForbidden)
	// tells a missing permission from other failures.
	Err error
}

func (e *LookupError) Error() string {
	if errors.Is(e.Err, ErrForbidden) {
		return fmt.Sprintf("read whether %q is a member of team %q: GitHub refused (403): the token needs the organization permission \"Members: read\", which the workflow's GITHUB_TOKEN never has: use a GitHub App token with that permission, or list logins instead of teams in policy.approvals", e.Login, e.Team.String())
	}
	return fmt.Sprintf("read whether %q is a member of team %q: %v", e.Login, e.Team.String(), e.Err)
}

func (e *LookupError) Unwrap() error { return e.Err }

// Review is one review of a pull request.
type Review struct {
	// User is the reviewer's login.
	User string
	// State is GitHub's: APPROVED, CHANGES_REQUESTED, DISMISSED,
	// COMMENTED or PENDING.
	State string
	// CommitID is the commit the review was made on.
	CommitID string
}

// The review states that decide whether a reviewer approves.
const (
	StateApproved         = "APPROVED"
	StateChangesRequested = "CHANGES_REQUESTED"
	StateDismissed        = "DISMISSED"
)

// PullRequest is the pull request whose approvals are evaluated.
type PullRequest struct {
	// Repo is "owner/name".
	Repo   string
	Number int
	// Author is the login of the pull request's author, whose own
	// approval never counts.
	Author string
	// HeadSHA is the head commit; only approvals of it count.
	HeadSHA string
}

// Result is the outcome of Evaluate.
type Result struct {
	PullRequest PullRequest
	// Met is true when every triggered rule is met, and so when no rule
	// is triggered.
	Met   bool
	Rules []RuleResult
}

// RuleResult is the outcome of one triggered rule.
type RuleResult struct {
	Rule Rule
	// Changes are the changes that trigger the rule.
	Changes []Change
	// Approvers are the reviewers counted for the rule, as GitHub spells
	// their logins, sorted ignoring case.
	Approvers []string
	// Missing is how many more approvals the rule needs; 0 when met.
	Missing int
	Met     bool
}

// Evaluate says, for each triggered rule, who has approved it and how
// many approvals are missing. A reviewer counts for a rule when:
//
//   - they are not the pull request's author;
//   - their latest review that is APPROVED, CHANGES_REQUESTED or
//     DISMISSED (comments and pending reviews do not count) is APPROVED,
//     on the head commit: an approval of an earlier commit is stale, and
//     a later request for changes or a dismissal withdraws it;
//   - the rule's from lists their login (ignoring case, as GitHub does)
//     or a team of which they are an active member.
//
// A rule is met when Count distinct reviewers count. Evaluate reads the
// reviews once, and team memberships only of reviewers who approve the
// head and are not listed by login, each (team, login) at most once. With
// no trigger it reads nothing.
func Evaluate(ctx context.Context, gh GitHub, pr PullRequest, triggered []Trigger) (*Result, error) {
	res := &Result{PullRequest: pr, Met: true}
	if len(triggered) == 0 {
		return res, nil
	}
	reviews, err := gh.Reviews(ctx, pr.Repo, pr.Number)
	if err != nil {
		return nil, fmt.Errorf("read the reviews of %s#%d: %w", pr.Repo, pr.Number, err)
	}
	approvers := headApprovers(reviews, pr)
	members := make(map[string]bool)
	for _, t := range triggered {
		rr := RuleResult{Rule: t.Rule, Changes: t.Changes}
		for _, login := range approvers {
			ok, err := t.Rule.admits(ctx, gh, members, login)
			if err != nil {
				return nil, err
			}
			if ok {
				rr.Approvers = append(rr.Approvers, login)
			}
		}
		rr.Missing = max(t.Rule.count()-len(rr.Approvers), 0)
		rr.Met = rr.Missing == 0
		res.Met = res.Met && rr.Met
		res.Rules = append(res.Rules, rr)
	}
	return res, nil
}

// headApprovers returns the reviewers, other than the author, whose latest
// deciding review approves the head commit, sorted ignoring case.
func headApprovers(reviews []Review, pr PullRequest) []string {
	latest := make(map[string]Review)
	for _, r := range reviews {
		switch r.State {
		case StateApproved, StateChangesRequested, StateDismissed:
			latest[strings.ToLower(r.User)] = r
		}
	}
	var out []string
	for key, r := range latest {
		if key == strings.ToLower(pr.Author) || r.State != StateApproved || r.CommitID != pr.HeadSHA || pr.HeadSHA == "" {
			continue
		}
		out = append(out, r.User)
	}
	slices.SortFunc(out, compareLogins)
	return out
}

func compareLogins(a, b string) int {
	return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
}

// admits reports whether the rule's from holds login, by name or through
// a team. members caches memberships by "org/slug\x00login".
func (r Rule) admits(ctx context.Context, gh GitHub, members map[string]bool, login string) (bool, error) {
	var teams []Team
	for _, a := range r.From {
		if !strings.HasPrefix(a, "@") {
			if strings.EqualFold(a, login) {
				return true, nil
			}
			continue
		}
		t, err := ParseTeam(a)
		if err != nil {
			return false, fmt.Errorf("approval rule %q: %w", r.Name, err)
		}
		teams = append(teams, t)
	}
	for _, t := range teams {
		key := strings.ToLower(t.Org+"/"+t.Slug) + "\x00" + strings.ToLower(login)
		ok, cached := members[key]
		if !cached {
			var err error
			ok, err = gh.TeamMember(ctx, t.Org, t.Slug, login)
			if err != nil {
				return false, &LookupError{Team: t, Login: login, Err: err}
			}
			members[key] = ok
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func (r Rule) count() int { return max(r.Count, 1) }

// Request is whom to ask for a review so that the unmet rules can be met.
type Request struct {
	// Logins are the people the unmet rules list by login, other than
	// the author and those who already count, sorted ignoring case.
	Logins []string
	// Teams are the teams the unmet rules list, sorted. GitHub requests
	// a team by its slug, and only a team of the repository's owner.
	Teams []Team
}

// Missing returns whom to ask for a review for the rules not met: the
// logins and teams of their from. A team is asked even when some of its
// members approved: GitHub shows the request to the team, and looking up
// every member would take a request each. Not asking someone twice (GitHub lists
// the pending requests) is the caller's business.
func (r *Result) Missing() Request {
	var req Request
	approved := make(map[string]bool)
	for _, rr := range r.Rules {
		for _, a := range rr.Approvers {
			approved[strings.ToLower(a)] = true
		}
	}
	seen := make(map[string]bool)
	for _, rr := range r.Rules {
		if rr.Met {
			continue
		}
		for _, a := range rr.Rule.From {
			key := strings.ToLower(a)
			if seen[key] {
				continue
			}
			seen[key] = true
			if t, err := ParseTeam(a); err == nil {
				req.Teams = append(req.Teams, t)
				continue
			}
			if !strings.EqualFold(a, r.PullRequest.Author) && !approved[key] {
				req.Logins = append(req.Logins, a)
			}
		}
	}
	slices.SortFunc(req.Logins, compareLogins)
	slices.SortFunc(req.Teams, func(a, b Team) int { return strings.Compare(a.String(), b.String()) })
	return req
}
