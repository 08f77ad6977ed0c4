// Package actiontest runs the repository's action.yml the way a GitHub
// Actions runner runs a composite action, so the action's scripts, its
// expressions and jobfam's behaviour inside it are tested on any machine
// with bash and Go, without GitHub.
//
// The emulation covers what the action uses: inputs with their defaults,
// a small expression evaluator (contexts inputs, github, runner, env and
// steps.<id>.outputs, the operators == and !=, the literals 'text', true and
// false), the step environment from env:, per-step GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH files, the workflow
// commands a step prints (::add-mask:: is applied to the log), and bash
// started as the runner starts it (bash --noprofile --norc -eo pipefail).
// Steps that use another action are not run: the caller says what they
// would have done, and the test asserts their if: conditions.
package actiontest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Action is the part of an action's metadata file that the runner reads.
type Action struct {
	Name    string            `yaml:"name"`
	Inputs  map[string]Input  `yaml:"inputs"`
	Outputs map[string]Output `yaml:"outputs"`
	Runs    struct {
		Using string `yaml:"using"`
		Steps []Step `yaml:"steps"`
	} `yaml:"runs"`
}

// Input is one declared input.
type Input struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

// Output is one declared output of a composite action.
type Output struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

// Step is one step of a composite action.
type Step struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

// Label names the step in messages.
func (s Step) Label() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.ID != "":
		return s.ID
	case s.Uses != "":
		return s.Uses
	}
	return "run"
}

// Load reads an action metadata file. Unknown keys are refused, so a key
// the emulator would silently ignore fails the test instead.
func Load(path string) (*Action, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var a struct {
		Action   `yaml:",inline"`
		Author   string         `yaml:"author"`
		Desc     string         `yaml:"description"`
		Branding map[string]any `yaml:"branding"`
	}
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &a.Action, nil
}

// LoadJob reads one job of a workflow file as an Action whose steps are
// the job's, so that the runner runs a workflow's own run: steps and
// expressions as it runs a composite action's. A job has no inputs or
// outputs here; its steps read the vars and secrets contexts
// (Runner.Vars, Runner.Secrets).
func LoadJob(path, job string) (*Action, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []Step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	j, ok := wf.Jobs[job]
	if !ok {
		return nil, fmt.Errorf("%s: no job %q", path, job)
	}
	a := &Action{Name: job}
	a.Runs.Using = "workflow job"
	for _, st := range j.Steps {
		// A workflow's run: step without shell: runs in bash on Linux
		// runners (as "bash -e"; the emulator adds -o pipefail, which
		// only fails more).
		if st.Run != "" && st.Shell == "" {
			st.Shell = "bash"
		}
		a.Runs.Steps = append(a.Runs.Steps, st)
	}
	return a, nil
}

// Command is a workflow command a step printed, such as
// "::error file=a.cue,line=3::message".
type Command struct {
	Step    string
	Name    string
	Props   map[string]string
	Message string
}

// Runner is one job's environment for running an action once.
type Runner struct {
	ActionPath string            // github.action_path: the action's files
	Workspace  string            // GITHUB_WORKSPACE: the caller's checkout
	Temp       string            // RUNNER_TEMP
	With       map[string]string // the workflow step's with:
	Github     map[string]string // the github context (token, event_name, repository, sha, ...)
	Env        []string          // the job's environment, before the action's own
	OS, Arch   string            // runner.os and runner.arch
	// Vars and Secrets are the vars and secrets contexts of a workflow's
	// job (LoadJob); an action cannot read them.
	Vars, Secrets map[string]string

	// Uses is asked about every step that uses another action. It gets
	// the step's with: values, evaluated, and returns that action's
	// outputs; nil means the step does not run in this emulation.
	Uses func(s Step, with map[string]string) (map[string]string, error)
	// Before is called before each step runs (after its if: is evaluated
	// true). Returning ErrStop ends the run there without an error.
	Before func(s Step) error
}

// ErrStop, returned by Runner.Before, ends the run before the step.
var ErrStop = errors.New("stop")

// Result is what a run left behind.
type Result struct {
	Outputs     map[string]string            // the action's outputs
	StepOutputs map[string]map[string]string // by step id
	Skipped     []string                     // steps whose if: was false, or uses: steps not run
	Summary     string                       // the job summary: every step's GITHUB_STEP_SUMMARY
	Log         string                       // stdout and stderr of every step, masked as the runner masks
	RawLog      string                       // the same, unmasked, to prove what was masked
	Masks       []string                     // values registered with ::add-mask::
	Commands    []Command                    // workflow commands, in order
	ExitCode    int                          // of the failing step, or 0
	Failed      string                       // label of the failing step, or ""
}

// Run runs every step of a, in order, as the runner does, until a step
// fails. A failing step is reported in the Result, not as an error: errors
// are mistakes of the action or the emulation.
func (r *Runner) Run(ctx context.Context, a *Action) (*Result, error) {
	res := &Result{Outputs: map[string]string{}, StepOutputs: map[string]map[string]string{}}
	ev := &evaluator{r: r, a: a, res: res, env: map[string]string{}}
	github := map[string]string{"action_path": r.ActionPath, "workspace": r.Workspace}
	for k, v := range r.Github {
		github[k] = v
	}
	ev.github = github
	ev.inputs = map[string]string{}
	for name, in := range a.Inputs {
		v, given := r.With[name]
		if !given {
			var err error
			if v, err = ev.template(in.Default); err != nil {
				return nil, fmt.Errorf("default of input %q: %w", name, err)
			}
		}
		if in.Required && v == "" {
			return nil, fmt.Errorf("input required and not supplied: %s", name)
		}
		ev.inputs[name] = v
	}
	for name := range r.With {
		if _, ok := a.Inputs[name]; !ok {
			return nil, fmt.Errorf("unexpected input %q", name)
		}
	}
	var extraPath []string
	for i, s := range a.Runs.Steps {
		cond := s.If
		if cond == "" {
			cond = "success()"
		}
		ok, err := ev.condition(cond)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s): if: %w", i, s.Label(), err)
		}
		if !ok {
			res.Skipped = append(res.Skipped, s.Label())
			continue
		}
		if r.Before != nil {
			if err := r.Before(s); errors.Is(err, ErrStop) {
				return res, nil
			} else if err != nil {
				return nil, err
			}
		}
		if s.Uses != "" {
			with := map[string]string{}
			for k, v := range s.With {
				if with[k], err = ev.template(v); err != nil {
					return nil, fmt.Errorf("step %d (%s): with.%s: %w", i, s.Label(), k, err)
				}
			}
			var out map[string]string
			if r.Uses != nil {
				if out, err = r.Uses(s, with); err != nil {
					return nil, err
				}
			}
			if out == nil {
				res.Skipped = append(res.Skipped, s.Label())
			}
			if s.ID != "" {
				res.StepOutputs[s.ID] = out
			}
			continue
		}
		code, err := r.runStep(ctx, i, s, ev, &extraPath)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i, s.Label(), err)
		}
		if code != 0 {
			// The runner still evaluates a failed composite action's
			// outputs from what its steps wrote.
			res.ExitCode, res.Failed = code, s.Label()
			break
		}
	}
	for name, o := range a.Outputs {
		v, err := ev.template(o.Value)
		if err != nil {
			return nil, fmt.Errorf("output %q: %w", name, err)
		}
		res.Outputs[name] = v
	}
	return res, nil
}

func (r *Runner) runStep(ctx context.Context, i int, s Step, ev *evaluator, extraPath *[]string) (int, error) {
	if s.Shell != "bash" {
		return 0, fmt.Errorf("shell %q: only bash is emulated", s.Shell)
	}
	dir := filepath.Join(r.Temp, "_runner_file_commands", fmt.Sprintf("step%d", i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	files := map[string]string{}
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH"} {
		files[name] = filepath.Join(dir, strings.ToLower(name))
		if err := os.WriteFile(files[name], nil, 0o644); err != nil {
			return 0, err
		}
	}
	script := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
		return 0, err
	}
	env := map[string]string{}
	for _, kv := range r.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	for k, v := range map[string]string{
		"CI": "true", "GITHUB_ACTIONS": "true",
		"GITHUB_WORKSPACE": r.Workspace, "GITHUB_ACTION_PATH": r.ActionPath,
		"RUNNER_TEMP": r.Temp, "RUNNER_OS": r.OS, "RUNNER_ARCH": r.Arch,
	} {
		env[k] = v
	}
	for k, v := range ev.env {
		env[k] = v
	}
	for k, v := range s.Env {
		val, err := ev.template(v)
		if err != nil {
			return 0, fmt.Errorf("env.%s: %w", k, err)
		}
		env[k] = val
	}
	for k, f := range files {
		env[k] = f
	}
	if len(*extraPath) > 0 {
		env["PATH"] = strings.Join(*extraPath, string(os.PathListSeparator)) + string(os.PathListSeparator) + env["PATH"]
	}
	wd := r.Workspace
	if s.WorkingDirectory != "" {
		var err error
		if wd, err = ev.template(s.WorkingDirectory); err != nil {
			return 0, fmt.Errorf("working-directory: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script)
	cmd.Dir = wd
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	sort.Strings(cmd.Env)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return 0, err
		}
		code = exit.ExitCode()
	}
	ev.res.RawLog += out.String()
	ev.commands(s.Label(), out.String())
	masked := out.String()
	for _, m := range ev.res.Masks {
		masked = strings.ReplaceAll(masked, m, "***")
	}
	ev.res.Log += masked

	outputs, err := readKV(files["GITHUB_OUTPUT"])
	if err != nil {
		return 0, fmt.Errorf("GITHUB_OUTPUT: %w", err)
	}
	if s.ID != "" {
		ev.res.StepOutputs[s.ID] = outputs
	}
	newEnv, err := readKV(files["GITHUB_ENV"])
	if err != nil {
		return 0, fmt.Errorf("GITHUB_ENV: %w", err)
	}
	for k, v := range newEnv {
		ev.env[k] = v
	}
	paths, err := os.ReadFile(files["GITHUB_PATH"])
	if err != nil {
		return 0, err
	}
	for _, p := range strings.Split(strings.TrimSpace(string(paths)), "\n") {
		if p != "" {
			*extraPath = append([]string{p}, *extraPath...)
		}
	}
	summary, err := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
	if err != nil {
		return 0, err
	}
	ev.res.Summary += string(summary)
	return code, nil
}

// readKV reads a GITHUB_OUTPUT or GITHUB_ENV file: "name=value" lines and
// "name<<DELIMITER" blocks, as the runner reads them.
func readKV(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	kv := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			kv[line[:eq]] = line[eq+1:]
			continue
		}
		if heredoc < 0 {
			return nil, fmt.Errorf("invalid line %q", line)
		}
		name, delim := line[:heredoc], line[heredoc+2:]
		var lines []string
		closed := false
		for sc.Scan() {
			if sc.Text() == delim {
				closed = true
				break
			}
			lines = append(lines, sc.Text())
		}
		if !closed {
			return nil, fmt.Errorf("matching delimiter %q not found for %q", delim, name)
		}
		kv[name] = strings.Join(lines, "\n")
	}
	return kv, sc.Err()
}

var commandLine = regexp.MustCompile(`^::([a-z-]+)(?: ([^:]*))?::(.*)$`)

// commands parses the workflow commands in a step's output, unescaping
// them as the runner does.
func (ev *evaluator) commands(step, out string) {
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	for _, line := range strings.Split(out, "\n") {
		m := commandLine.FindStringSubmatch(strings.TrimSuffix(line, "\r"))
		if m == nil {
			continue
		}
		c := Command{Step: step, Name: m[1], Props: map[string]string{}, Message: unescape.Replace(m[3])}
		if m[2] != "" {
			for _, p := range strings.Split(m[2], ",") {
				k, v, _ := strings.Cut(p, "=")
				c.Props[k] = unescape.Replace(v)
			}
		}
		if c.Name == "add-mask" && c.Message != "" {
			ev.res.Masks = append(ev.res.Masks, c.Message)
		}
		ev.res.Commands = append(ev.res.Commands, c)
	}
}

// evaluator evaluates the expressions of one run.
type evaluator struct {
	r              *Runner
	a              *Action
	res            *Result
	github, inputs map[string]string
	env            map[string]string // from GITHUB_ENV
}

var templateExpr = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// template replaces every ${{ expression }} in s with its value.
func (ev *evaluator) template(s string) (string, error) {
	var firstErr error
	out := templateExpr.ReplaceAllStringFunc(s, func(m string) string {
		v, err := ev.value(strings.TrimSpace(templateExpr.FindStringSubmatch(m)[1]))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	return out, firstErr
}

// condition evaluates an if: expression, with or without ${{ }}.
func (ev *evaluator) condition(s string) (bool, error) {
	s = strings.TrimSpace(s)
	if m := templateExpr.FindStringSubmatch(s); m != nil && m[0] == s {
		s = strings.TrimSpace(m[1])
	}
	v, err := ev.value(s)
	return v != "" && v != "false" && v != "0", err
}

// value evaluates one expression: a == b, a != b, a literal, a function
// the emulator knows, or a context property.
func (ev *evaluator) value(expr string) (string, error) {
	for _, op := range []string{"==", "!="} {
		if l, r, ok := strings.Cut(expr, op); ok {
			lv, err := ev.value(strings.TrimSpace(l))
			if err != nil {
				return "", err
			}
			rv, err := ev.value(strings.TrimSpace(r))
			if err != nil {
				return "", err
			}
			// Comparisons of strings ignore case in GitHub's expressions.
			if strings.EqualFold(lv, rv) == (op == "==") {
				return "true", nil
			}
			return "false", nil
		}
	}
	switch {
	case expr == "success()" || expr == "true":
		return "true", nil
	case expr == "false":
		return "false", nil
	case len(expr) >= 2 && expr[0] == '\'' && expr[len(expr)-1] == '\'':
		return strings.ReplaceAll(expr[1:len(expr)-1], "''", "'"), nil
	}
	parts := strings.Split(expr, ".")
	switch {
	case len(parts) == 2 && parts[0] == "inputs":
		v, ok := ev.inputs[parts[1]]
		if !ok {
			return "", fmt.Errorf("input %q is not declared", parts[1])
		}
		return v, nil
	case len(parts) == 2 && parts[0] == "github":
		return ev.github[parts[1]], nil
	case len(parts) == 2 && parts[0] == "env":
		return ev.env[parts[1]], nil
	case len(parts) == 2 && parts[0] == "vars":
		return ev.r.Vars[parts[1]], nil
	case len(parts) == 2 && parts[0] == "secrets":
		return ev.r.Secrets[parts[1]], nil
	case len(parts) == 2 && parts[0] == "runner":
		switch parts[1] {
		case "os":
			return ev.r.OS, nil
		case "arch":
			return ev.r.Arch, nil
		case "temp":
			return ev.r.Temp, nil
		}
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		if !ev.stepDeclared(parts[1]) {
			return "", fmt.Errorf("no step has id %q", parts[1])
		}
		return ev.res.StepOutputs[parts[1]][parts[3]], nil
	}
	return "", fmt.Errorf("expression %q is not emulated", expr)
}

func (ev *evaluator) stepDeclared(id string) bool {
	for _, s := range ev.a.Runs.Steps {
		if s.ID == id {
			return true
		}
	}
	return false
}
