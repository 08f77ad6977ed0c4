package cli

import (
	"bytes"
	"encoding/json"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/version"
)

// run runs jobfam in-process with args and returns its exit code and
// output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(append([]string{"jobfam"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestVersionText checks each field of the line that --version and
// jobfam version print, against the build information of this binary.
func TestVersionText(t *testing.T) {
	want := version.Get()
	line := regexp.MustCompile(`^jobfam (\S+) \(revision ([0-9a-f]{12}|unknown)(\+modified)?\) (go\S+) cue (\S+)\n$`)
	for _, args := range [][]string{{"--version"}, {"version"}, {"version", "--format", "text"}} {
		code, stdout, stderr := run(t, args...)
		if code != ExitOK || stderr != "" {
			t.Errorf("jobfam %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
		m := line.FindStringSubmatch(stdout)
		if m == nil {
			t.Errorf("jobfam %s printed %q, not a version line", strings.Join(args, " "), stdout)
			continue
		}
		rev := "unknown"
		if want.Revision != "" {
			rev = want.Revision[:12]
		}
		mark := ""
		if want.Modified {
			mark = "+modified"
		}
		// A test binary records no dependencies, so CUE's version is
		// unknown here; the release test reads it from a real binary.
		cue := want.CUE
		if cue == "" {
			cue = "unknown"
		}
		got := []string{m[1], m[2], m[3], m[4], m[5]}
		if diff := cmp.Diff([]string{want.Version, rev, mark, runtime.Version(), cue}, got); diff != "" {
			t.Errorf("jobfam %s: fields (-want +got):\n%s", strings.Join(args, " "), diff)
		}
	}
}

// TestVersionJSON checks each field of jobfam version --format json.
func TestVersionJSON(t *testing.T) {
	code, stdout, stderr := run(t, "version", "--format", "json")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	want := version.Get()
	if diff := cmp.Diff(map[string]any{
		"version":  want.Version,
		"revision": want.Revision,
		"modified": want.Modified,
		"go":       runtime.Version(),
		"cue":      want.CUE,
	}, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

// TestCompletion checks that each shell gets its script and that the
// scripts' question, --generate-bash-completion, is answered with the
// commands.
func TestCompletion(t *testing.T) {
	for _, tc := range []struct{ shell, want string }{
		{"bash", "complete -o bashdefault -o default -F _jobfam_complete jobfam\n"},
		{"zsh", "#compdef jobfam\n"},
		{"fish", "complete -c jobfam -n '__fish_jobfam_no_subcommand' -f -l version "},
	} {
		code, stdout, stderr := run(t, "completion", tc.shell)
		if code != ExitOK || stderr != "" {
			t.Errorf("completion %s: exit %d, stderr %q", tc.shell, code, stderr)
		}
		if !strings.Contains(stdout, tc.want) {
			t.Errorf("completion %s lacks %q:\n%s", tc.shell, tc.want, stdout)
		}
		if tc.shell != "fish" && !strings.Contains(stdout, "--generate-bash-completion") {
			t.Errorf("completion %s does not ask jobfam for the candidates:\n%s", tc.shell, stdout)
		}
	}
	// urfave/cli reads os.Args to complete flags, so the answers to
	// --generate-bash-completion are tested in a process of their own, by
	// testdata/script/completion.txtar.
}

// TestCompletionUsage checks the mistakes: no shell, an unknown one.
func TestCompletionUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"completion"}, "jobfam: completion takes one shell, bash, zsh or fish, got 0 arguments\nRun 'jobfam completion --help' for usage.\n"},
		{[]string{"completion", "powershell"}, "jobfam: unknown shell \"powershell\": use bash, zsh or fish\nRun 'jobfam completion --help' for usage.\n"},
		{[]string{"version", "--format", "yaml"}, "jobfam: unknown output format \"yaml\": use text or json\nRun 'jobfam version --help' for usage.\n"},
		{[]string{"version", "now"}, "jobfam: version takes no arguments, got now\nRun 'jobfam version --help' for usage.\n"},
	} {
		code, stdout, stderr := run(t, tc.args...)
		if code != ExitError || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q", strings.Join(tc.args, " "), code, stdout)
		}
		if diff := cmp.Diff(tc.want, stderr); diff != "" {
			t.Errorf("%s: stderr (-want +got):\n%s", strings.Join(tc.args, " "), diff)
		}
	}
}
