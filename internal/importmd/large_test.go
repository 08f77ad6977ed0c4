package importmd

import (
	"strings"
	"testing"
	"time"
)

// TestLargePages imports pages far larger than any handbook page, each
// made of one construct repeated: the time must grow with the page, not
// with its square. A quadratic search took more than 10 s on the
// "extends" page; the bound leaves room for a slow, busy machine.
func TestLargePages(t *testing.T) {
	if testing.Short() {
		t.Skip("large pages take a second")
	}
	pages := map[string]string{
		"levels":   strings.Repeat("## Senior X\n\nThe Senior X is a grade 7.\n\n### Responsibilities\n\n- a\n\n", 5000),
		"extends":  strings.Repeat("## Senior Engineer Person\n\nThe Senior Engineer Person is a grade 7.\n\n### Senior Engineer Person Responsibilities\n\nExtends the Senior Engineer People responsibilities plus:\n- a\n\n", 3000),
		"items":    "## Responsibilities\n\n" + strings.Repeat("- Extends the X responsibilities\n", 50000),
		"parts":    strings.Repeat("### Job Grade\n\ngrade 5\n\n", 10000),
		"headings": strings.Repeat("###### X\n\n##### Y Responsibilities\n\n", 5000),
		"nested":   strings.Repeat("- a\n  ", 2000),
	}
	p := policy(t)
	for name, src := range pages {
		start := time.Now()
		if _, err := Import([]Page{{Path: "dept/" + name + ".md", Src: []byte(src)}}, p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d := time.Since(start)
		t.Logf("%s: %d bytes in %v", name, len(src), d)
		if d > 5*time.Second {
			t.Errorf("%s: %d bytes took %v", name, len(src), d)
		}
	}
}
