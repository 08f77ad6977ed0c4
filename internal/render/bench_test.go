package render

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jobfam/jobfam/internal/family"
)

// BenchmarkRender renders 1,000 families shaped like the seed: the
// rendering alone, after loading (docs/performance.md).
func BenchmarkRender(b *testing.B) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "families", "finance", "it-program-management-office.cue"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		b.Fatal(err)
	}
	const n = 1000
	dir := b.TempDir()
	for i := range n {
		src := strings.Replace(string(seed), `title:       "IT Program Management Office"`,
			fmt.Sprintf(`title:       "IT Program Management Office %04d"`, i), 1)
		p := filepath.Join(dir, fmt.Sprintf("dept-%02d", i/50), fmt.Sprintf("family-%04d.cue", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	res, err := family.Load(context.Background(), dir, s)
	if err != nil || len(res.Families) != n {
		b.Fatalf("loaded %d families: %v", len(res.Families), err)
	}
	site := NewSite(&s.Policy, res.Families)
	bytes := 0
	for b.Loop() {
		bytes = 0
		for _, f := range res.Families {
			bytes += len(Page(f, site))
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "families/s")
	b.SetBytes(int64(bytes))
}
