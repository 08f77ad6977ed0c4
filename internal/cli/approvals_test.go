package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/githubfake"
	"github.com/jobfam/jobfam/internal/version"
)

// approvalRules are the rules of the repository in these tests: a grade
// change needs a member of @acme/total-rewards, and any change to the
// payroll family needs dave.
const approvalRules = `
policy: approvals: {
	"total-rewards": {
		when: ["grade"]
		from: ["@acme/total-rewards"]
	}
	"payroll-lead": {
		when: ["any"]
		families: ["finance/payroll"]
		from: ["dave"]
	}
}
`

const approvalsToken = "SECRET-approvals-token"

// approvalsWorld is a job-families repository with approval rules: its
// git history on disk, and its pull requests, reviews and teams in the
// fake GitHub. Carol is in @acme/total-rewards; bob is not.
type approvalsWorld struct {
	t    *testing.T
	repo *sourceRepo
	srv  *githubfake.Server
	gh   *githubfake.Repo
	// base is the commit of main that pull requests start from.
	base string
}

func newApprovalsWorld(t *testing.T) *approvalsWorld {
	t.Helper()
	w := &approvalsWorld{t: t, repo: newSourceRepo(t), srv: githubfake.New()}
	t.Cleanup(w.srv.Close)
	copySchema(t, filepath.Join(w.repo.root, "schema"), approvalRules)
	w.base = w.repo.commit("the approval rules")
	w.repo.git("checkout", "-q", "-b", "feature")
	w.srv.RequireToken(approvalsToken)
	w.gh = w.srv.AddRepo("acme", "families")
	w.gh.AddCollaborator("bob", "carol", "dave")
	w.srv.AddTeam("acme", "total-rewards", "carol")
	t.Setenv("GITHUB_TOKEN", approvalsToken)
	t.Setenv("GITHUB_REPOSITORY", "acme/families")
	t.Setenv("GITHUB_API_URL", strings.TrimSuffix(w.srv.URL(), "/"))
	t.Setenv("GITHUB_EVENT_PATH", "")
	t.Setenv("GITHUB_SHA", "")
	return w
}

// pull opens pull request n from the feature branch's head, by alice, with
// the given reviews (on the head unless they name a commit).
func (w *approvalsWorld) pull(n int, head string, reviews ...githubfake.Review) {
	w.gh.AddPull(githubfake.Pull{Number: n, Title: "change", Head: "feature", Base: "main", Author: "alice",
		HeadSHA: head, BaseSHA: w.base, Reviews: reviews})
}

// approvals runs jobfam approvals for pull request n.
func (w *approvalsWorld) approvals(n int, args ...string) (int, string, string) {
	w.t.Helper()
	args = append(append([]string{"approvals", "--pr", strconv.Itoa(n)}, args...), filepath.Join(w.repo.root, "families"))
	return runMain(w.t, args...)
}

// gradeChange raises the staff accountant's grade: a pay change.
func (w *approvalsWorld) gradeChange() string {
	w.repo.edit("families/finance/accounting.cue", "grade: 8", "grade: 9")
	return w.repo.commit("staff accountants are grade 9")
}

func approve(user string) githubfake.Review { return githubfake.Review{User: user, State: "APPROVED"} }

func TestApprovals(t *testing.T) {
	tests := []struct {
		name string
		// change commits the pull request's change and returns its head.
		change  func(w *approvalsWorld) string
		reviews func(w *approvalsWorld, head string) []githubfake.Review
		code    int
		want    []string // lines of the output, in order
	}{{
		name:    "a grade change approved only by someone outside the team",
		change:  (*approvalsWorld).gradeChange,
		reviews: func(w *approvalsWorld, head string) []githubfake.Review { return []githubfake.Review{approve("bob")} },
		code:    ExitFindings,
		want:    []string{`rule "total-rewards": not met`, `triggered by: finance/accounting: grade of level "staff" 8 → 9`},
	}, {
		name:   "a grade change approved by a member of the team",
		change: (*approvalsWorld).gradeChange,
		reviews: func(w *approvalsWorld, head string) []githubfake.Review {
			return []githubfake.Review{approve("bob"), approve("carol")}
		},
		code: ExitOK,
		want: []string{`rule "total-rewards": met`, `approved by: carol`},
	}, {
		name: "an approval of an earlier commit does not count",
		change: func(w *approvalsWorld) string {
			w.gradeChange()
			w.repo.edit("families/finance/accounting.cue", "Leads the quarterly close.", "Leads the quarterly and yearly close.")
			return w.repo.commit("and the yearly close")
		},
		reviews: func(w *approvalsWorld, head string) []githubfake.Review {
			return []githubfake.Review{{User: "carol", State: "APPROVED", CommitID: w.repo.git("rev-parse", "HEAD~1")}}
		},
		code: ExitFindings,
		want: []string{`rule "total-rewards": not met`, `approved by: none`},
	}, {
		name:   "a later request for changes withdraws an approval",
		change: (*approvalsWorld).gradeChange,
		reviews: func(w *approvalsWorld, head string) []githubfake.Review {
			return []githubfake.Review{approve("carol"), {User: "carol", State: "COMMENTED"}, {User: "carol", State: "CHANGES_REQUESTED"}}
		},
		code: ExitFindings,
		want: []string{`rule "total-rewards": not met`, `approved by: none`},
	}, {
		name: "a change of wording triggers no team rule",
		change: func(w *approvalsWorld) string {
			w.repo.edit("families/finance/accounting.cue", "Leads the quarterly close.", "Leads every quarterly close.")
			return w.repo.commit("wording")
		},
		reviews: func(w *approvalsWorld, head string) []githubfake.Review { return nil },
		code:    ExitOK,
		want:    []string{"no approval rule is triggered"},
	}, {
		name: "a pull request that drops the rule while changing a grade is judged by the base's rules",
		change: func(w *approvalsWorld) string {
			w.repo.edit("schema/policy.cue", `when: ["grade"]`, `when: ["family-removed"]`)
			return w.gradeChange()
		},
		reviews: func(w *approvalsWorld, head string) []githubfake.Review { return []githubfake.Review{approve("bob")} },
		code:    ExitFindings,
		want:    []string{`rule "total-rewards": not met`, `triggered by: finance/accounting: grade of level "staff" 8 → 9`},
	}, {
		name: "a rule scoped to a family applies to that family",
		change: func(w *approvalsWorld) string {
			w.repo.edit("families/finance/payroll.cue", "Runs payroll.", "Runs payroll twice a month.")
			return w.repo.commit("payroll wording")
		},
		reviews: func(w *approvalsWorld, head string) []githubfake.Review { return []githubfake.Review{approve("bob")} },
		code:    ExitFindings,
		want:    []string{`rule "payroll-lead": not met`, `from: dave`, `triggered by: finance/payroll:`},
	}, {
		name: "and not to the others",
		change: func(w *approvalsWorld) string {
			w.repo.edit("families/finance/accounting.cue", "Five years of accounting.", "Six years of accounting.")
			return w.repo.commit("accounting wording")
		},
		reviews: func(w *approvalsWorld, head string) []githubfake.Review { return nil },
		code:    ExitOK,
		want:    []string{"no approval rule is triggered"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newApprovalsWorld(t)
			head := tt.change(w)
			w.pull(1, head, tt.reviews(w, head)...)
			code, out, errs := w.approvals(1)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			if !inOrder(out, tt.want) {
				t.Errorf("output lacks %q in that order:\n%s", tt.want, out)
			}
		})
	}
}

// inOrder reports whether s holds each of want, one after the other.
func inOrder(s string, want []string) bool {
	for _, w := range want {
		i := strings.Index(s, w)
		if i < 0 {
			return false
		}
		s = s[i+len(w):]
	}
	return true
}

// TestApprovalsJSON checks the machine-readable judgement.
func TestApprovalsJSON(t *testing.T) {
	w := newApprovalsWorld(t)
	head := w.gradeChange()
	w.pull(4, head, approve("carol"))
	code, out, errs := w.approvals(4, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{`"met": true`, `"name": "total-rewards"`, `"approvers": [` + "\n        \"carol\"", `"kind": "grade"`, `"head": "` + head + `"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
}

// TestApprovalsMembersRead: without the organization permission "Members:
// read" jobfam cannot tell, exits 2 and says which permission is missing.
func TestApprovalsMembersRead(t *testing.T) {
	w := newApprovalsWorld(t)
	w.srv.DenyMembersRead(approvalsToken)
	head := w.gradeChange()
	w.pull(2, head, approve("carol"))
	code, out, errs := w.approvals(2)
	if code != ExitError || !strings.Contains(errs, `"Members: read"`) {
		t.Errorf("exit %d, want %d naming the permission\n%s%s", code, ExitError, out, errs)
	}
}

// TestApprovalsRequest asks for the missing reviews once.
func TestApprovalsRequest(t *testing.T) {
	w := newApprovalsWorld(t)
	w.repo.edit("families/finance/payroll.cue", "grade: 7", "grade: 8")
	head := w.repo.commit("payroll specialists are grade 8")
	w.pull(3, head)
	code, out, errs := w.approvals(3, "--request")
	if code != ExitFindings || !strings.Contains(out, "requested reviews from dave, team total-rewards") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = w.approvals(3, "--request")
	if code != ExitFindings || !strings.Contains(out, "requested reviews from nobody new") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	p := w.gh.Pulls()[slices.IndexFunc(w.gh.Pulls(), func(p githubfake.Pull) bool { return p.Number == 3 })]
	if diff := cmp.Diff([]string{"dave"}, p.RequestedReviewers); diff != "" {
		t.Errorf("requested reviewers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"total-rewards"}, p.RequestedTeams); diff != "" {
		t.Errorf("requested teams (-want +got):\n%s", diff)
	}
}

// TestPublishRequireApprovalRules publishes a merged grade change only
// when the approval rules of its base commit are met, names each approver
// with the rules they met, and on doubt publishes nothing.
func TestPublishRequireApprovalRules(t *testing.T) {
	tests := []struct {
		name    string
		reviews []githubfake.Review
		deny    bool
		code    int
		want    string // in the output, or in the handbook commit's message when published
	}{
		{"approved outside the team", []githubfake.Review{approve("bob")}, false, ExitFindings,
			`pull request acme/families#5 does not meet the approval rules of its base commit: "total-rewards" needs 1 more approval from @acme/total-rewards`},
		{"approved by a member", []githubfake.Review{approve("bob"), approve("carol")}, false, ExitOK,
			"Approved-By: bob\nApproved-By: carol (total-rewards)\n"},
		{"members cannot be read", []githubfake.Review{approve("carol")}, true, ExitError, `"Members: read"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newApprovalsWorld(t)
			head := w.gradeChange()
			w.repo.git("checkout", "-q", "main")
			w.repo.git("merge", "-q", "--no-ff", "-m", "Merge the grade change", "feature")
			merge := w.repo.git("rev-parse", "HEAD")
			w.gh.AddPull(githubfake.Pull{Number: 5, Title: "grade", Head: "feature", Base: "main", Author: "alice",
				Merged: true, MergeCommitSHA: merge, HeadSHA: head, BaseSHA: w.base, Reviews: tt.reviews})
			if tt.deny {
				w.srv.DenyMembersRead(approvalsToken)
			}
			handbook := w.srv.AddRepo("acme", "handbook")
			handbook.Commit("main", "initial", map[string]string{"README.md": "hi\n"})
			t.Setenv("GITHUB_SHA", merge)
			code, out, errs := runMain(t, "publish", "--repo", "acme/handbook", "--require-approval", filepath.Join(w.repo.root, "families"))
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			if tt.code != ExitOK {
				if !strings.Contains(errs, tt.want) {
					t.Errorf("stderr lacks %q:\n%s", tt.want, errs)
				}
				if n := len(handbook.Log("main")); n != 1 {
					t.Errorf("the handbook has %d commits, want the initial one only", n)
				}
				return
			}
			if msg := handbook.Log("main")[0].Message; !strings.Contains(msg, tt.want) {
				t.Errorf("commit message lacks %q:\n%s", tt.want, msg)
			}
		})
	}
}

// TestActionApprovals runs the Action's approvals step on a review event,
// twice: the annotations, the job summary, the output, and one comment of
// its own, edited in place when the next review arrives.
func TestActionApprovals(t *testing.T) {
	w := newApprovalsWorld(t)
	head := w.gradeChange()
	w.pull(6, head, approve("bob"))
	dir := t.TempDir()
	event := `{"action":"submitted","pull_request":{"number":6},"repository":{"full_name":"acme/families"}}`
	writeTestFile(t, filepath.Join(dir, "event.json"), event)
	env := map[string]string{
		"JOBFAM_PATH":         filepath.Join(w.repo.root, "families"),
		"GITHUB_TOKEN":        approvalsToken,
		"GITHUB_EVENT_NAME":   "pull_request_review",
		"GITHUB_EVENT_PATH":   filepath.Join(dir, "event.json"),
		"GITHUB_REPOSITORY":   "acme/families",
		"GITHUB_API_URL":      strings.TrimSuffix(w.srv.URL(), "/"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"),
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
	}
	code, stdout, stderr := runAction(t, env, "approvals")
	if code != ExitFindings || !strings.Contains(stdout, `::error title=approval rule total-rewards::approval rule "total-rewards" needs 1 more approval from @acme/total-rewards`) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if got := readOutputs(t, env["GITHUB_OUTPUT"])["approvals-met"]; got != "false" {
		t.Errorf("approvals-met = %q, want false", got)
	}
	if s := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(s, "❌ **total-rewards**: 0 of 1 approvals from `@acme/total-rewards`") || !strings.Contains(s, "## jobfam approvals\n\n<sub>"+version.Get().Short()+"</sub>\n") {
		t.Errorf("summary:\n%s", s)
	}

	w.gh.AddReview(6, approve("carol"))
	os.Remove(env["GITHUB_OUTPUT"])
	if code, stdout, stderr := runAction(t, env, "approvals"); code != ExitOK {
		t.Fatalf("after carol's approval: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := readOutputs(t, env["GITHUB_OUTPUT"])["approvals-met"]; got != "true" {
		t.Errorf("approvals-met = %q, want true", got)
	}
	var ours []githubfake.Comment
	for _, c := range w.gh.Comments(6) {
		if strings.HasPrefix(c.Body, approvalsMarker) {
			ours = append(ours, c)
		}
	}
	if len(ours) != 1 || !strings.Contains(ours[0].Body, "✅ **total-rewards**: 1 of 1 approvals from `@acme/total-rewards`; approved by `carol`") {
		t.Errorf("approvals comments: %+v", ours)
	}
}
