package actiontest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// root is the repository root, where action.yml lives.
const root = "../.."

func loadAction(t *testing.T) *Action {
	t.Helper()
	a, err := Load(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var pinned = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)

// TestActionMetadata checks what a reviewer of action.yml would check:
// the declared interface, inputs reaching scripts through env: only, pinned
// actions, and outputs that come from a step that exists.
func TestActionMetadata(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}

	wantInputs := map[string]Input{
		"command":          {Required: true},
		"path":             {Default: "families"},
		"schema":           {},
		"handbook-repo":    {},
		"handbook-branch":  {Default: "main"},
		"handbook-dir":     {Default: "content/job-families"},
		"mode":             {Default: "direct"},
		"require-approval": {Default: "false"},
		"adopt":            {Default: "false"},
		"request-reviews":  {Default: "false"},
		"token":            {Default: "${{ github.token }}"},
		"comment":          {Default: "true"},
	}
	gotInputs := map[string]Input{}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
		in.Description = ""
		gotInputs[name] = in
	}
	if diff := cmp.Diff(wantInputs, gotInputs); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}

	ids := map[string]Step{}
	used := map[string]bool{}
	inputRef := regexp.MustCompile(`\$\{\{\s*inputs\.([a-z-]+)\s*\}\}`)
	for i, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = s
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %d (%s): want exactly one of run: and uses:", i, s.Label())
		}
		if s.Run != "" {
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %d (%s): run: contains an expression; pass it through env: (script injection)", i, s.Label())
			}
			if s.Shell != "bash" {
				t.Errorf("step %d (%s): shell = %q, want bash", i, s.Label(), s.Shell)
			}
		}
		if s.Uses != "" && !pinned.MatchString(s.Uses) {
			t.Errorf("step %d (%s): uses %q is not pinned to a full commit SHA", i, s.Label(), s.Uses)
		}
		for _, v := range s.Env {
			for _, m := range inputRef.FindAllStringSubmatch(v, -1) {
				used[m[1]] = true
			}
		}
		for _, v := range s.With {
			if inputRef.MatchString(v) {
				t.Errorf("step %d (%s): passes an input to another action; only the run step should see inputs", i, s.Label())
			}
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q reaches no step through env:", name)
		}
	}

	run, ok := ids["run"]
	if !ok {
		t.Fatal("no step with id run")
	}
	for env, input := range map[string]string{
		"JOBFAM_COMMAND": "command", "JOBFAM_PATH": "path", "JOBFAM_SCHEMA": "schema",
		"JOBFAM_COMMENT": "comment", "JOBFAM_HANDBOOK_REPO": "handbook-repo",
		"JOBFAM_HANDBOOK_BRANCH": "handbook-branch", "JOBFAM_HANDBOOK_DIR": "handbook-dir",
		"JOBFAM_MODE": "mode", "JOBFAM_REQUIRE_APPROVAL": "require-approval", "JOBFAM_ADOPT": "adopt", "GITHUB_TOKEN": "token",
	} {
		if want := "${{ inputs." + input + " }}"; run.Env[env] != want {
			t.Errorf("run step: env %s = %q, want %q", env, run.Env[env], want)
		}
	}
	if !strings.Contains(run.Run, "::add-mask::$GITHUB_TOKEN") {
		t.Error("run step does not mask the token")
	}

	var outs []string
	for name, o := range a.Outputs {
		outs = append(outs, name)
		if want := "${{ steps.run.outputs." + name + " }}"; o.Value != want {
			t.Errorf("output %q = %q, want %q", name, o.Value, want)
		}
	}
	sort.Strings(outs)
	wantOuts := []string{"approvals-met", "changed-families", "commit-sha", "errors", "findings", "operation", "pull-request-url"}
	if diff := cmp.Diff(wantOuts, outs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}

	// setup-go runs only when the Go check asks for it, reads the
	// action's own go.mod, and leaves caching to the keyed cache step.
	var setup, cache, results *Step
	for i := range a.Runs.Steps {
		switch s := &a.Runs.Steps[i]; {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			setup = s
		case strings.HasPrefix(s.Uses, "actions/cache@") && s.Name == "Cache Go modules and build":
			cache = s
		case strings.HasPrefix(s.Uses, "actions/cache@") && s.Name == "Restore the result cache":
			results = s
		}
	}
	if setup == nil || cache == nil || results == nil {
		t.Fatal("want one actions/setup-go step and the two actions/cache steps")
	}
	// The result cache is validate's, in the folder the run step names,
	// keyed by commit and restored from the latest one in reach.
	if results.If != "inputs.command == 'validate'" || results.With["path"] != "${{ runner.temp }}/jobfam-results" ||
		!strings.Contains(results.With["key"], "github.sha") || !strings.HasPrefix(results.With["key"], strings.TrimSpace(results.With["restore-keys"])) {
		t.Errorf("result cache step: if %q, with %v", results.If, results.With)
	}
	if setup.If != "steps.go.outputs.setup == 'true'" {
		t.Errorf("setup-go: if = %q, want it to depend on steps.go.outputs.setup", setup.If)
	}
	if setup.With["go-version-file"] != "${{ github.action_path }}/go.mod" || setup.With["cache"] != "false" {
		t.Errorf("setup-go: with = %v", setup.With)
	}
	for _, want := range []string{"runner.os", "steps.cache.outputs.sum"} {
		if !strings.Contains(cache.With["key"], want) {
			t.Errorf("cache key %q does not contain %s", cache.With["key"], want)
		}
	}
}

// TestWorkflowsPinned checks the repository's workflows, the examples
// included: every action a job uses is pinned to a full commit SHA, and
// validate.yml never runs on pull_request_target.
func TestWorkflowsPinned(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	examples, _ := filepath.Glob(filepath.Join(root, "docs", "examples", "*.yml"))
	files = append(files, examples...)
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			On   map[string]any `yaml:"on"`
			Jobs map[string]struct {
				Steps []Step `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, ok := wf.On["pull_request_target"]; ok {
			t.Errorf("%s: runs on pull_request_target", f)
		}
		for job, j := range wf.Jobs {
			for _, s := range j.Steps {
				if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") && !pinned.MatchString(s.Uses) {
					t.Errorf("%s: job %s: uses %q is not pinned to a full commit SHA", filepath.Base(f), job, s.Uses)
				}
			}
		}
	}
}
