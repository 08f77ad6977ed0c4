package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestImportExitCodes checks what the scripts only tell apart by stderr:
// sources left out for a conflict exit 1, a path that cannot be read
// exits 2, and a clean tree exits 0. ("clerk!.md" is served at the URL of
// "clerk.md" on every file system, unlike "Clerk.md".)
func TestImportExitCodes(t *testing.T) {
	const page = "---\ntitle: Clerk\n---\n\n## Hiring Process\n\n- A call\n"
	tests := []struct {
		name  string
		files []string
		path  string
		want  int
	}{
		{"a clean tree", []string{"job-families/office/clerk.md"}, "job-families", ExitOK},
		{"two pages at one URL", []string{"job-families/office/clerk.md", "job-families/office/clerk!.md", "job-families/office/porter.md"}, "job-families", ExitFindings},
		{"a page beside a folder with an index page", []string{"job-families/office.md", "job-families/office/_index.md"}, "job-families", ExitFindings},
		{"a path that does not exist", []string{"job-families/office/clerk.md"}, "job-families/missing", ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(page), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			args := []string{"jobfam", "import", "--out", filepath.Join(dir, "families"), filepath.Join(dir, filepath.FromSlash(tt.path))}
			if got := Main(args, nil, &stdout, &stderr); got != tt.want {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, &stdout, &stderr)
			}
		})
	}
}
