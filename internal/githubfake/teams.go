package githubfake

import (
	"fmt"
	"net/http"
	"strings"
)

// Team is a team of an organization on the fake server. Its methods are for
// test setup; they do not go through HTTP and are not logged.
//
// The fake does not model team permissions on repositories: every team of
// an organization may be asked to review the pull requests of the
// organization's repositories, and its active members count as
// collaborators of them.
type Team struct {
	s         *Server
	id        int64
	org, slug string
	members   []*membership // in the order they were added
}

// membership is one user's membership of a team.
type membership struct {
	login string
	role  string // "member" or "maintainer"
	state string // "active" or "pending"
}

// Team membership roles and states, as GitHub names them.
const (
	RoleMember     = "member"
	RoleMaintainer = "maintainer"
	StateActive    = "active"
	StatePending   = "pending"
)

// AddTeam creates the team org/slug with members as active members (role
// "member"), and returns it. A team's slug is what GitHub's API names it
// by, e.g. "total-rewards" for the team "Total Rewards". It panics when the
// team exists, since that is a bug in the test.
func (s *Server) AddTeam(org, slug string, members ...string) *Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(org + "/" + slug)
	if s.teams == nil {
		s.teams = map[string]*Team{}
	}
	if _, dup := s.teams[key]; dup {
		panic(fmt.Sprintf("githubfake: AddTeam: team %s/%s already exists", org, slug))
	}
	s.nextID++
	t := &Team{s: s, id: s.nextID, org: org, slug: strings.ToLower(slug)}
	for _, m := range members {
		t.set(m, RoleMember, StateActive)
	}
	s.teams[key] = t
	return t
}

// SetMembership adds login to the team or changes its membership: role is
// "member" or "maintainer", state "active" or "pending" (an invitation not
// yet accepted). It panics on any other role or state.
func (t *Team) SetMembership(login, role, state string) {
	if role != RoleMember && role != RoleMaintainer {
		panic(fmt.Sprintf("githubfake: SetMembership: role %q is not %q or %q", role, RoleMember, RoleMaintainer))
	}
	if state != StateActive && state != StatePending {
		panic(fmt.Sprintf("githubfake: SetMembership: state %q is not %q or %q", state, StateActive, StatePending))
	}
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	t.set(login, role, state)
}

// RemoveMember takes login out of the team; it does nothing if login is
// not a member.
func (t *Team) RemoveMember(login string) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	for i, m := range t.members {
		if strings.EqualFold(m.login, login) {
			t.members = append(t.members[:i], t.members[i+1:]...)
			return
		}
	}
}

func (t *Team) set(login, role, state string) {
	if m := t.member(login); m != nil {
		m.role, m.state = role, state
		return
	}
	t.members = append(t.members, &membership{login: login, role: role, state: state})
}

// member finds login's membership; logins are case-insensitive on GitHub.
func (t *Team) member(login string) *membership {
	for _, m := range t.members {
		if strings.EqualFold(m.login, login) {
			return m
		}
	}
	return nil
}

// active says whether login is an active member of the team.
func (t *Team) active(login string) bool {
	m := t.member(login)
	return m != nil && m.state == StateActive
}

// DenyMembersRead makes tok a token without the organization permission
// "Members: read", such as the GITHUB_TOKEN of every Actions run: the team
// membership endpoint answers it 403 "Resource not accessible by
// integration", as GitHub does. tok still authenticates as before (it must
// be the RequireToken one or a ReadOnlyToken when a token is required); ""
// denies requests without a token.
func (s *Server) DenyMembersRead(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noMembers == nil {
		s.noMembers = map[string]bool{}
	}
	s.noMembers[tok] = true
}

// team finds org/slug; both are case-insensitive on GitHub.
func (s *Server) team(org, slug string) *Team {
	return s.teams[strings.ToLower(org+"/"+slug)]
}

// orgTeams lists the teams of org.
func (s *Server) orgTeams(org string) []*Team {
	var out []*Team
	for _, t := range s.teams {
		if strings.EqualFold(t.org, org) {
			out = append(out, t)
		}
	}
	return out
}

const membershipDocs = "https://docs.github.com/rest/teams/members#get-team-membership-for-a-user"

// routeOrgs serves
//
//	GET orgs/{org}/teams/{team_slug}
//	GET orgs/{org}/teams/{team_slug}/memberships/{username}
//
// Membership answers 404 both for a user who is not a member and for a
// team that does not exist, and 403 to a token without "Members: read"
// before it looks at either.
func (s *Server) routeOrgs(r *http.Request, tok string, segs []string) response {
	if r.Method != http.MethodGet || len(segs) < 4 || segs[2] != "teams" {
		return notFound
	}
	org, slug := segs[1], segs[3]
	switch {
	case len(segs) == 4:
		t := s.team(org, slug)
		if t == nil {
			return notFound
		}
		return reply(http.StatusOK, s.teamJSON(t))
	case len(segs) == 6 && segs[4] == "memberships":
		if s.noMembers[tok] {
			return failDoc(http.StatusForbidden, "Resource not accessible by integration", membershipDocs)
		}
		t := s.team(org, slug)
		if t == nil {
			return notFound
		}
		m := t.member(segs[5])
		if m == nil {
			return notFound
		}
		return reply(http.StatusOK, map[string]any{
			"url":   s.URL() + fmt.Sprintf("teams/%d/memberships/%s", t.id, m.login),
			"role":  m.role,
			"state": m.state,
		})
	}
	return notFound
}

func (s *Server) teamJSON(t *Team) map[string]any {
	return map[string]any{
		"id":                   t.id,
		"node_id":              fmt.Sprintf("T_fake%d", t.id),
		"url":                  s.URL() + fmt.Sprintf("teams/%d", t.id),
		"html_url":             "https://github.com/orgs/" + t.org + "/teams/" + t.slug,
		"name":                 t.slug,
		"slug":                 t.slug,
		"description":          "",
		"privacy":              "closed",
		"notification_setting": "notifications_enabled",
		"permission":           "pull",
		"members_url":          s.URL() + fmt.Sprintf("teams/%d/members{/member}", t.id),
		"repositories_url":     s.URL() + fmt.Sprintf("teams/%d/repos", t.id),
		"parent":               nil,
	}
}
