package family_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobfam/jobfam/internal/family"
)

// BenchmarkLoad measures Load, the loader's whole pipeline (listing, safe
// reading, parsing, the data-only check and CUE evaluation against the
// schema, one CUE context per worker), over copies of the seed family. It
// reports families/s besides ns/op; run it with -benchmem for allocations.
// The end-to-end comparison with cue vet is scripts/bench.sh, reported in
// docs/performance.md.
func BenchmarkLoad(b *testing.B) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "families", "finance", "it-program-management-office.cue"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("families=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			writeFamilies(b, dir, seed, n)
			ctx := context.Background()
			for b.Loop() {
				res, err := family.Load(ctx, dir, s)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Families) != n || len(res.Findings) != 0 {
					b.Fatalf("loaded %d of %d families with %d findings, want all and none: %v", len(res.Families), n, len(res.Findings), res.Findings)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "families/s")
		})
	}
}

// writeFamilies writes n copies of seed under dir, 50 to a department
// folder, each with its own title and a career ladder that leads to the
// next copy, as scripts/genfamilies does with more variety.
func writeFamilies(b *testing.B, dir string, seed []byte, n int) {
	b.Helper()
	id := func(i int) string {
		i %= n
		return fmt.Sprintf("dept-%02d/family-%05d", i/50, i)
	}
	const (
		title = `title:       "IT Program Management Office"`
		next  = `"finance/manager-it"`
		link  = `/job-families/finance/manager-it/`
	)
	for _, s := range []string{title, next, link} {
		if !strings.Contains(string(seed), s) {
			b.Fatalf("seed family no longer contains %s: update writeFamilies", s)
		}
	}
	for i := range n {
		src := strings.NewReplacer(
			title, fmt.Sprintf(`title:       "IT Program Management Office %05d"`, i),
			next, `"`+id(i+1)+`"`,
			link, "/job-families/"+id(i+1)+"/",
		).Replace(string(seed))
		path := filepath.Join(dir, filepath.FromSlash(id(i))+".cue")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
