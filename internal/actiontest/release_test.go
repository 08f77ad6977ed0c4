package actiontest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// TestReleaseWorkflow checks the permissions of the release workflow: none
// by default, read for the job that runs the build, and for the job that
// publishes only what a release and its attestation need.
func TestReleaseWorkflow(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On          map[string]map[string][]string `yaml:"on"`
		Permissions map[string]string              `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []Step            `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]map[string][]string{"push": {"tags": {"v*"}}}, wf.On); diff != "" {
		t.Errorf("on (-want +got):\n%s", diff)
	}
	got := map[string]map[string]string{"(workflow)": wf.Permissions}
	for name, j := range wf.Jobs {
		got[name] = j.Permissions
	}
	want := map[string]map[string]string{
		"(workflow)": {},
		"build":      {"contents": "read"},
		"release":    {"contents": "write", "id-token": "write", "attestations": "write"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	// The build job runs the script the tests run, and the release job
	// attests what it publishes.
	var run, attest bool
	for _, s := range wf.Jobs["build"].Steps {
		run = run || s.Run == `scripts/release.sh "$TAG"`
	}
	for _, s := range wf.Jobs["release"].Steps {
		attest = attest || strings.HasPrefix(s.Uses, "actions/attest-build-provenance@")
	}
	if !run || !attest {
		t.Errorf("build runs scripts/release.sh: %v; release attests: %v", run, attest)
	}
}
