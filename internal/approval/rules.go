package approval

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
)

// Rule is one rule of policy.approvals, with its name.
type Rule struct {
	Name string
	family.ApprovalRule
}

// Rules returns the policy's approval rules in name order. The rules
// should be read from the pull request's base commit, not its head: a pull
// request must not be able to loosen the rules that apply to itself.
//
// The default #Policy checks the rules already; Rules checks again what
// the evaluation relies on (known kinds, well-formed patterns and
// approvers), since an organisation's own schema may not.
func Rules(p family.Policy) ([]Rule, error) {
	var out []Rule
	for _, name := range slices.Sorted(maps.Keys(p.Approvals)) {
		r := Rule{Name: name, ApprovalRule: p.Approvals[name]}
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("approval rule %q: %w", name, err)
		}
		if r.Count == 0 {
			r.Count = 1
		}
		out = append(out, r)
	}
	return out, nil
}

func (r Rule) check() error {
	if len(r.When) == 0 {
		return fmt.Errorf("when lists no kind of change: list some of %s", strings.Join(Kinds, ", "))
	}
	for _, k := range r.When {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("unknown kind of change %q in when: use one of %s", k, strings.Join(Kinds, ", "))
		}
	}
	for _, g := range r.Families {
		if err := checkGlob(g); err != nil {
			return err
		}
	}
	if len(r.From) == 0 {
		return fmt.Errorf("from lists nobody: add GitHub logins or teams written \"@org/team-slug\"")
	}
	for _, a := range r.From {
		if _, _, team := strings.Cut(a, "/"); team || strings.HasPrefix(a, "@") {
			if _, err := ParseTeam(a); err != nil {
				return err
			}
		}
	}
	if r.Count < 0 {
		return fmt.Errorf("count is %d: use 1 or more", r.Count)
	}
	return nil
}

// Team is a GitHub team, written "@org/slug" in a rule's from.
type Team struct {
	Org, Slug string
}

// String returns the team as a rule writes it, "@org/slug".
func (t Team) String() string { return "@" + t.Org + "/" + t.Slug }

// ParseTeam parses "@org/slug".
func ParseTeam(s string) (Team, error) {
	org, slug, ok := strings.Cut(strings.TrimPrefix(s, "@"), "/")
	if !strings.HasPrefix(s, "@") || !ok || org == "" || slug == "" || strings.Contains(slug, "/") {
		return Team{}, fmt.Errorf("team %q is not written \"@org/team-slug\": write @, the organisation's login, / and the team's slug as in the team's URL", s)
	}
	return Team{Org: org, Slug: slug}, nil
}

// checkGlob refuses a pattern that MatchFamily would not read as the
// docs say: "**" only as a whole segment, and no empty segment.
func checkGlob(g string) error {
	for _, seg := range strings.Split(g, "/") {
		if seg == "" || seg != "**" && strings.Contains(seg, "**") {
			return fmt.Errorf("family pattern %q: each segment between slashes must be a name with \"*\" in it or \"**\" alone", g)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("family pattern %q: %w", g, err)
		}
	}
	return nil
}

// MatchFamily reports whether the family id matches the glob pattern: "*"
// matches any characters within one segment of the id (between slashes),
// "**" as a whole segment matches any number of segments, none included,
// so "engineering/**" matches "engineering/backend/api" and "engineering"
// itself. Anything else matches itself.
func MatchFamily(pattern, id string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(id, "/"))
}

func matchSegments(pat, id []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(id); i++ {
				if matchSegments(pat[1:], id[i:]) {
					return true
				}
			}
			return false
		}
		if len(id) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], id[0]); !ok {
			return false
		}
		pat, id = pat[1:], id[1:]
	}
	return len(id) == 0
}

// Trigger is a rule that a pull request triggers, with the changes that
// trigger it.
type Trigger struct {
	Rule    Rule
	Changes []Change
}

// Triggered returns the rules that some change triggers, in the order of
// rules (Rules sorts them by name), each with its triggering changes in
// the order of changes. A change triggers a rule when its kind is one the
// rule's when lists (or when lists "any") and, for a change to a family,
// the family matches one of the rule's families, when it has any. A rule
// with families is about those families only: a change of the policy does
// not trigger it.
func Triggered(rules []Rule, changes []Change) []Trigger {
	var out []Trigger
	for _, r := range rules {
		t := Trigger{Rule: r}
		for _, c := range changes {
			if r.triggeredBy(c) {
				t.Changes = append(t.Changes, c)
			}
		}
		if len(t.Changes) > 0 {
			out = append(out, t)
		}
	}
	return out
}

func (r Rule) triggeredBy(c Change) bool {
	if !slices.Contains(r.When, c.Kind) && !slices.Contains(r.When, KindAny) {
		return false
	}
	if len(r.Families) == 0 {
		return true
	}
	if c.Kind == KindPolicy {
		return false
	}
	return slices.ContainsFunc(r.Families, func(g string) bool { return MatchFamily(g, c.Family) })
}
