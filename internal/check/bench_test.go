package check_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// benchFamilies returns the folder of families the benchmarks read:
// $JOBFAM_BENCH_FAMILIES when set, so that two versions of the code can be
// measured on the same files, else 1,000 families that
// scripts/genfamilies -shape years writes into a temporary folder. The
// years shape states years of experience in most requirements, as many
// real pages do, which is where the content rules spend their time.
func benchFamilies(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("JOBFAM_BENCH_FAMILIES"); dir != "" {
		return dir
	}
	dir := b.TempDir()
	cmd := exec.Command("go", "run", "./scripts/genfamilies", "-shape", "years", "-n", "1000", "-out", dir)
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("genfamilies: %v\n%s", err, out)
	}
	return dir
}

func benchSchema(b *testing.B) *family.Schema {
	b.Helper()
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkValidate runs validate's pipeline as internal/cli does: list
// the folder, load and check each family in the worker that loaded it,
// then the rules across families. It is the whole command but for the
// printing, for a CPU profile of where validate spends its time
// (docs/performance.md, "Content rules without the hot spot").
func BenchmarkValidate(b *testing.B) {
	dir, s := benchFamilies(b), benchSchema(b)
	ctx := context.Background()
	// As validate does: little memory stays live, so the collector may
	// wait longer.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	n := 0
	for b.Loop() {
		folder, err := family.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		env := &check.Env{Policy: &s.Policy, IDs: folder.IDs}
		var mu sync.Mutex
		res, err := folder.Check(ctx, s, func(f *family.Family) []diag.Finding {
			found, _ := check.Family(env, f)
			mu.Lock()
			n++
			mu.Unlock()
			return found
		})
		if err != nil {
			b.Fatal(err)
		}
		if found := append(res.Findings, check.Repository(env, res.Headers)...); len(found) > 0 {
			b.Fatalf("%d findings, want none: %v", len(found), found[0])
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "families/s")
}

// BenchmarkContentRules measures the rules alone: the families are loaded
// once, before the timer starts, and every iteration applies every rule
// that checks one family to each of them (the structural rules cost little
// beside the content rules, which read every sentence).
func BenchmarkContentRules(b *testing.B) {
	dir, s := benchFamilies(b), benchSchema(b)
	res, err := family.Load(context.Background(), dir, s)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Families) == 0 || len(res.Findings) > 0 {
		b.Fatalf("loaded %d families with %d findings, want some and none", len(res.Families), len(res.Findings))
	}
	env := &check.Env{Policy: &s.Policy, IDs: res.IDs}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range res.Families {
			if found, _ := check.Family(env, f); len(found) > 0 {
				b.Fatalf("%d findings, want none: %v", len(found), found[0])
			}
		}
	}
	b.ReportMetric(float64(len(res.Families))*float64(b.N)/b.Elapsed().Seconds(), "families/s")
}
