package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// releaseScript is scripts/release.sh, from this package's folder.
const releaseScript = "../../scripts/release.sh"

// TestReleaseScript runs scripts/release.sh as the release workflow does
// and checks what it leaves: the six binaries, a SHA256SUMS that matches
// them, and a host binary that says it is 0.1.0. Cross-compiling six
// binaries with a cold build cache takes minutes on two cores (seconds
// when warm), so go test -short leaves it out.
func TestReleaseScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds six binaries; run without -short")
	}
	for _, tool := range []string{"bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s: %v", tool, err)
		}
	}
	dist := t.TempDir()
	cmd := exec.Command("bash", releaseScript, "0.1.0")
	cmd.Env = append(os.Environ(), "JOBFAM_DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh 0.1.0: %v\n%s", err, out)
	}

	var want []string
	for _, goos := range []string{"darwin", "linux", "windows"} {
		for _, arch := range []string{"amd64", "arm64"} {
			name := fmt.Sprintf("jobfam_0.1.0_%s_%s", goos, arch)
			if goos == "windows" {
				name += ".exe"
			}
			want = append(want, name)
		}
	}
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(append([]string{"SHA256SUMS"}, want...), got); diff != "" {
		t.Errorf("files in the dist folder (-want +got):\n%s", diff)
	}

	// SHA256SUMS in sha256sum's format: the digest, two spaces, the name,
	// one line per binary in name order.
	var sums strings.Builder
	for _, name := range want {
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	gotSums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sums.String(), string(gotSums)); diff != "" {
		t.Errorf("SHA256SUMS (-want +got):\n%s", diff)
	}

	host := fmt.Sprintf("jobfam_0.1.0_%s_%s", runtime.GOOS, runtime.GOARCH)
	if runtime.GOOS == "windows" {
		host += ".exe"
	}
	if !slices.Contains(want, host) {
		t.Skipf("no release binary runs on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	out, err := exec.Command(filepath.Join(dist, host), "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", host, err)
	}
	// The CUE version is the one go.mod requires: the binary records its
	// dependencies, unlike a test binary.
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	cue := regexp.MustCompile(`(?m)^\s*cuelang\.org/go (v\S+)`).FindSubmatch(gomod)
	if cue == nil {
		t.Fatal("go.mod does not require cuelang.org/go")
	}
	line := regexp.MustCompile(`^jobfam v0\.1\.0 \(revision ([0-9a-f]{12}(\+modified)?|unknown(\+modified)?)\) go\S+ cue ` + regexp.QuoteMeta(string(cue[1])) + "\n$")
	if !line.Match(out) {
		t.Errorf("%s --version printed %q, want %s", host, out, line)
	}
}

// TestReleaseScriptVersion checks that release.sh refuses what is not a
// semantic version before it touches the dist folder.
func TestReleaseScriptVersion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skipf("no bash: %v", err)
	}
	for _, arg := range []string{"1.0", "v1", "latest", "1.0.0.0", "01.2.3", ""} {
		dist := filepath.Join(t.TempDir(), "dist")
		if err := os.Mkdir(dist, 0o755); err != nil {
			t.Fatal(err)
		}
		keep := filepath.Join(dist, "keep")
		if err := os.WriteFile(keep, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", releaseScript, arg)
		cmd.Env = append(os.Environ(), "JOBFAM_DIST="+dist)
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); err == nil || code != 2 {
			t.Errorf("release.sh %q: exit %d, want 2\n%s", arg, code, out)
		}
		if !strings.Contains(string(out), "usage: scripts/release.sh VERSION") {
			t.Errorf("release.sh %q does not say how to call it:\n%s", arg, out)
		}
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("release.sh %q emptied the dist folder: %v", arg, err)
		}
	}
}
