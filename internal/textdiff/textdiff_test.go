package textdiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{name: "equal", a: "x\ny\n", b: "x\ny\n", want: ""},
		{
			name: "one line changed",
			a:    "a\nb\nc\n",
			b:    "a\nB\nc\n",
			want: "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "from nothing",
			a:    "",
			b:    "a\nb\n",
			want: "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "to nothing",
			a:    "a\n",
			b:    "",
			want: "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n",
		},
		{
			name: "missing final newline",
			a:    "a\nb",
			b:    "a\nb\n",
			want: "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name: "far apart changes make two hunks",
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			b:    "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			want: "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unified("old", "new", tt.a, tt.b)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unified (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPatchApplies checks the diffs against patch(1), which reads what
// reviewers read, on edits of a longer text.
func TestPatchApplies(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch(1) is not installed; TestUnified still checks the format")
	}
	base := strings.Repeat("line\n", 3)
	for i := range 40 {
		base += strings.Repeat("x", i%7) + "\n"
	}
	edits := []func(string) string{
		func(s string) string { return strings.Replace(s, "xxx\n", "changed\n", 2) },
		func(s string) string { return "new first line\n" + s + "new last line\n" },
		func(s string) string { return strings.ReplaceAll(s, "xxxxx\n", "") },
		func(s string) string { return strings.TrimSuffix(s, "\n") },
	}
	for i, edit := range edits {
		dir := t.TempDir()
		file := filepath.Join(dir, "page.md")
		want := edit(base)
		if err := os.WriteFile(file, []byte(base), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("patch", "-s", file)
		cmd.Stdin = strings.NewReader(Unified("a/page.md", "b/page.md", base, want))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("edit %d: patch: %v\n%s", i, err, out)
		}
		got, _ := os.ReadFile(file)
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("edit %d: patched file (-want +got):\n%s", i, diff)
		}
	}
}
