// Package textdiff writes line-based unified diffs, the form reviewers
// read in pull requests and that patch(1) applies.
package textdiff

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines surround each change.
const context = 3

// Unified returns the unified diff that turns a into b, labelled with the
// names of the old and new versions, or "" when they are equal.
func Unified(oldName, newName, a, b string) string {
	if a == b {
		return ""
	}
	x, y := lines(a), lines(b)
	ops := diff(x, y)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for start := 0; start < len(ops); {
		// Find the next change, then grow the hunk while the changes
		// after it are close enough to share context.
		for start < len(ops) && ops[start].kind == ' ' {
			start++
		}
		if start == len(ops) {
			break
		}
		end := start
		for i := start; i < len(ops); i++ {
			if ops[i].kind != ' ' {
				end = i + 1
			} else if i-end >= 2*context {
				break
			}
		}
		from, to := max(start-context, 0), min(end+context, len(ops))
		hunk := ops[from:to]
		oldLen, newLen := 0, 0
		for _, o := range hunk {
			if o.kind != '+' {
				oldLen++
			}
			if o.kind != '-' {
				newLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", span(hunk[0].x, oldLen), span(hunk[0].y, newLen))
		for _, o := range hunk {
			line := o.text
			out.WriteByte(o.kind)
			out.WriteString(strings.TrimSuffix(line, "\n"))
			out.WriteByte('\n')
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
		start = to
	}
	return out.String()
}

// span formats a hunk range: its first line (counted from 1) and length.
// An empty range names the line before it, as diff(1) does.
func span(first, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", first)
	}
	if n == 1 {
		return fmt.Sprintf("%d", first+1)
	}
	return fmt.Sprintf("%d,%d", first+1, n)
}

// lines splits s after each newline, keeping the newlines, so that a last
// line without one is told apart.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	ls := strings.SplitAfter(s, "\n")
	if ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

type op struct {
	kind byte // ' ', '-' or '+'
	text string
	x, y int // lines of a and b before this one
}

// diff returns the edit script from x to y along a longest common
// subsequence. Pages are a few hundred lines; the quadratic table is small.
func diff(x, y []string) []op {
	n, m := len(x), len(y)
	// lcs[i][j] is the length of the longest common subsequence of x[i:]
	// and y[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i], i, j})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			// Deletions come before insertions, as diff(1) writes them.
			ops = append(ops, op{'-', x[i], i, j})
			i++
		default:
			ops = append(ops, op{'+', y[j], i, j})
			j++
		}
	}
	return ops
}
