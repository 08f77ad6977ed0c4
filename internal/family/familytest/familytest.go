// Package familytest loads small families in tests, as the commands load
// them: the tests of the packages that compare families (famdiff,
// approval) write their cases as CUE sources.
package familytest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jobfam/jobfam/internal/family"
)

// Load writes files (family id -> CUE source) into a temporary folder and
// loads them with the embedded schema. Every file must load without a
// finding: a test case with a broken family tests nothing.
func Load(t testing.TB, files map[string]string) []*family.Family {
	t.Helper()
	if len(files) == 0 {
		return nil
	}
	dir := t.TempDir()
	for id, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(id)+".cue")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Families) != len(files) || len(res.Findings) > 0 {
		t.Fatalf("loaded %d families of %d: %v", len(res.Families), len(files), res.Findings)
	}
	return res.Families
}
