// Package suggest finds the likely intended word for a misspelt one, for
// "did you mean" hints in findings. A wrong hint misleads more than none,
// so it only suggests a candidate that is close.
package suggest

// Closest returns the candidate nearest to s by edit distance when the
// distance is at most one edit per five bytes of s, rounded up (at least
// one), or "" when none is that close. Ties go to the earlier candidate.
func Closest(s string, candidates []string) string {
	best, bestDist := "", len(s)/5+1
	for _, c := range candidates {
		if c == s {
			continue
		}
		if d := Distance(s, c); d <= bestDist && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b, in
// bytes: insertions, deletions, substitutions and transpositions of
// adjacent bytes each count one, so "senoir" is one edit from "senior".
func Distance(a, b string) int {
	// rows[i][j] is the distance between a[:i] and b[:j]; three rows are
	// enough for transpositions.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
