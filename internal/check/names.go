package check

import (
	"strconv"
	"strings"
)

func quote(s string) string { return strconv.Quote(s) }

// quoteList quotes names and joins them with commas.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
