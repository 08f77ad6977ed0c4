package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReplaceFile checks what the scripts cannot see: the new file keeps
// the old one's permissions, and nothing is left beside it.
func TestReplaceFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no permission bits to keep")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.cue")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := replaceFile(path, "a.cue", info, []byte("new\n")); err != nil {
		t.Fatalf("replaceFile: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("new\n", string(got)); diff != "" {
		t.Errorf("content (-want +got):\n%s", diff)
	}
	after, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode() != 0o640 {
		t.Errorf("mode = %v, want %v", after.Mode(), os.FileMode(0o640))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only a.cue", len(entries))
	}
}

// TestReplaceFileChanged checks that a file saved by someone else while it
// was being formatted is not overwritten.
func TestReplaceFileChanged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.cue")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("edited meanwhile\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The size differs; the time may not, on a coarse clock.
	later := info.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	err = replaceFile(path, "a.cue", info, []byte("new\n"))
	if err == nil || !strings.Contains(err.Error(), "changed while it was being formatted") {
		t.Errorf("replaceFile: %v, want an error saying the file changed", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "edited meanwhile\n" {
		t.Errorf("file holds %q, want the edit kept", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only a.cue", len(entries))
	}
}
