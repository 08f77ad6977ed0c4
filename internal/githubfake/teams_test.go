package githubfake

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v60/github"
)

func TestTeamMemberships(t *testing.T) {
	s, _, _ := handbook(t)
	s.RequireToken("app")
	s.ReadOnlyToken("actions")
	s.DenyMembersRead("actions")
	team := s.AddTeam("acme", "total-rewards", "carol")
	team.SetMembership("dave", RoleMaintainer, StateActive)
	team.SetMembership("erin", RoleMember, StatePending)
	s.AddTeam("acme", "payroll")
	s.AddTeam("other", "total-rewards", "mallory")

	membership := "orgs/acme/teams/total-rewards/memberships/"
	tests := []struct {
		name, path, tok string
		status          int
		want            map[string]any // role and state; nil for an error
		message         string
	}{
		{"active member", membership + "carol", "app", 200, map[string]any{"role": "member", "state": "active"}, ""},
		{"maintainer", membership + "dave", "app", 200, map[string]any{"role": "maintainer", "state": "active"}, ""},
		{"invited", membership + "erin", "app", 200, map[string]any{"role": "member", "state": "pending"}, ""},
		{"logins and slugs are case-insensitive", "orgs/ACME/teams/Total-Rewards/memberships/CAROL", "app", 200, map[string]any{"role": "member", "state": "active"}, ""},
		{"not a member", membership + "mallory", "app", 404, nil, "Not Found"},
		{"member of another team", "orgs/acme/teams/payroll/memberships/carol", "app", 404, nil, "Not Found"},
		{"no such team", "orgs/acme/teams/nope/memberships/carol", "app", 404, nil, "Not Found"},
		{"no such organization", "orgs/nope/teams/total-rewards/memberships/carol", "app", 404, nil, "Not Found"},
		{"without Members: read", membership + "carol", "actions", 403, nil, "Resource not accessible by integration"},
		{"without Members: read, unknown team", "orgs/acme/teams/nope/memberships/carol", "actions", 403, nil, "Resource not accessible by integration"},
		{"bad credentials", membership + "carol", "wrong", 401, nil, "Bad credentials"},
		{"get team", "orgs/acme/teams/total-rewards", "app", 200, nil, ""},
		{"get unknown team", "orgs/acme/teams/nope", "app", 404, nil, "Not Found"},
		{"memberships list not served", "orgs/acme/teams/total-rewards/memberships", "app", 404, nil, "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, s, "GET", tt.path, "", "Authorization", "Bearer "+tt.tok)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d (%s)", a.status, tt.status, a.messages())
			}
			if tt.message != "" && a.messages() != tt.message {
				t.Errorf("message %q, want %q", a.messages(), tt.message)
			}
			if tt.status >= 400 && a.json["documentation_url"] == nil {
				t.Errorf("error body %v has no documentation_url", a.json)
			}
			if tt.want != nil {
				got := map[string]any{"role": a.json["role"], "state": a.json["state"]}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("membership (-want +got):\n%s", diff)
				}
				if str(a.json, "url") == "" {
					t.Errorf("membership has no url: %v", a.json)
				}
			}
		})
	}

	// Membership changes show at once.
	team.SetMembership("erin", RoleMember, StateActive)
	team.RemoveMember("carol")
	for login, want := range map[string]int{"erin": 200, "carol": 404} {
		if a := send(t, s, "GET", membership+login, "", "Authorization", "Bearer app"); a.status != want {
			t.Errorf("%s after the change: status %d, want %d", login, a.status, want)
		}
	}
}

func TestAddTeamPanicsOnDuplicate(t *testing.T) {
	s := New()
	defer s.Close()
	s.AddTeam("acme", "total-rewards")
	defer func() {
		if recover() == nil {
			t.Errorf("AddTeam of an existing team did not panic")
		}
	}()
	s.AddTeam("ACME", "Total-Rewards")
}

// TestGoGitHubTeamMembership reads memberships as go-github v60 does.
func TestGoGitHubTeamMembership(t *testing.T) {
	s, _, _ := handbook(t)
	s.DenyMembersRead("actions")
	team := s.AddTeam("acme", "total-rewards", "carol")
	team.SetMembership("erin", RoleMember, StatePending)
	ctx := context.Background()
	gh := goGitHub(t, s, "app")

	m, _, err := gh.Teams.GetTeamMembershipBySlug(ctx, "acme", "total-rewards", "carol")
	if err != nil || m.GetState() != "active" || m.GetRole() != "member" {
		t.Fatalf("GetTeamMembershipBySlug carol: %v %+v", err, m)
	}
	m, _, err = gh.Teams.GetTeamMembershipBySlug(ctx, "acme", "total-rewards", "erin")
	if err != nil || m.GetState() != "pending" {
		t.Fatalf("GetTeamMembershipBySlug erin: %v %+v", err, m)
	}
	if _, _, err := gh.Teams.GetTeamMembershipBySlug(ctx, "acme", "total-rewards", "mallory"); statusOf(err) != 404 {
		t.Errorf("GetTeamMembershipBySlug of a non-member: %v, want 404", err)
	}
	_, _, err = goGitHub(t, s, "actions").Teams.GetTeamMembershipBySlug(ctx, "acme", "total-rewards", "carol")
	var ge *github.ErrorResponse
	if statusOf(err) != 403 || !errors.As(err, &ge) || ge.Message != "Resource not accessible by integration" {
		t.Errorf("GetTeamMembershipBySlug without Members: read: %v, want 403 Resource not accessible by integration", err)
	}
	tm, _, err := gh.Teams.GetTeamBySlug(ctx, "acme", "total-rewards")
	if err != nil || tm.GetSlug() != "total-rewards" || tm.GetID() == 0 {
		t.Errorf("GetTeamBySlug: %v %+v", err, tm)
	}
}
