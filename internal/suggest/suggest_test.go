package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"senior", "senior", 0},
		{"senoir", "senior", 1},
		{"responsibilites", "responsibilities", 1},
		{"nxt", "next", 1},
		{"kitten", "sitting", 3},
		{"finance/controller", "finance/payroll", 6},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		s          string
		candidates []string
		want       string
	}{
		{"responsibilites", []string{"title", "responsibilities", "requirements"}, "responsibilities"},
		{"senoir", []string{"intermediate", "senior", "staff"}, "senior"},
		{"nxt", []string{"next", "text"}, "next"},
		{"x/othr", []string{"x/other", "x/null"}, "x/other"},
		// Too far apart to be a typo: no hint rather than a wrong one.
		{"finance/controller", []string{"finance/payroll"}, ""},
		{"x/nope", []string{"x/null"}, ""},
		// The exact word is not a suggestion for itself.
		{"title", []string{"title"}, ""},
		// The nearer candidate wins over an earlier, farther one.
		{"staf", []string{"stuff", "staff"}, "staff"},
		{"anything", nil, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.s, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tt.s, tt.candidates, got, tt.want)
		}
	}
}
