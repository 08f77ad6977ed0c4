package actiontest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRepositoryPublishWorkflow runs the publish job of this repository's
// own workflow: without the handbook's variable and secret it publishes
// nothing, says in the job summary how to configure it, and passes; with
// them it checks out the history and runs this checkout's Action with
// them.
func TestRepositoryPublishWorkflow(t *testing.T) {
	a, err := LoadJob(filepath.Join(root, ".github", "workflows", "publish.yml"), "publish")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		vars, secrets map[string]string
		summary       string // in the job summary
		action        map[string]string
	}{{
		name:    "not configured",
		summary: "Publishing is not configured: the variable JOBFAM_HANDBOOK_REPO and the secret JOBFAM_HANDBOOK_TOKEN are not set, so nothing was published.",
	}, {
		name:    "the token missing",
		vars:    map[string]string{"JOBFAM_HANDBOOK_REPO": "acme/handbook"},
		summary: "Publishing is not configured: the secret JOBFAM_HANDBOOK_TOKEN is not set, so nothing was published.",
	}, {
		name:    "configured",
		vars:    map[string]string{"JOBFAM_HANDBOOK_REPO": "acme/handbook", "JOBFAM_MODE": "pr"},
		secrets: map[string]string{"JOBFAM_HANDBOOK_TOKEN": "SECRET-handbook"},
		action: map[string]string{
			"command": "publish", "path": "families", "schema": "schema", "handbook-repo": "acme/handbook",
			"handbook-dir": "", "handbook-branch": "", "mode": "pr", "require-approval": "true", "token": "SECRET-handbook",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var checkout bool
			var action map[string]string
			r := &Runner{
				Workspace: t.TempDir(), Temp: t.TempDir(), OS: "Linux", Arch: "X64",
				Github: map[string]string{"event_name": "push"}, Vars: tt.vars, Secrets: tt.secrets,
				Uses: func(s Step, with map[string]string) (map[string]string, error) {
					switch {
					case strings.HasPrefix(s.Uses, "actions/checkout@"):
						checkout = with["fetch-depth"] == "0"
					case s.Uses == "./":
						action = with
					}
					return map[string]string{}, nil
				},
			}
			res, err := r.Run(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 0 {
				t.Fatalf("step %s failed (%d):\n%s", res.Failed, res.ExitCode, res.Log)
			}
			if !strings.Contains(res.Summary, tt.summary) {
				t.Errorf("summary lacks %q:\n%s", tt.summary, res.Summary)
			}
			if diff := cmp.Diff(tt.action, action); diff != "" {
				t.Errorf("the Action's inputs (-want +got):\n%s", diff)
			}
			if checkout != (tt.action != nil) {
				t.Errorf("checked out the whole history: %v, want %v", checkout, tt.action != nil)
			}
		})
	}
}
