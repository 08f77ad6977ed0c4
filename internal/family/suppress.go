package family

import (
	"cmp"
	"slices"

	"cuelang.org/go/cue/ast"
)

// suppressionPrefix starts a comment that silences a rule.
const suppressionPrefix = "jobfam:ignore"

// suppressions collects the "// jobfam:ignore <rule> <reason>" comments of
// a parsed file. They are read from the syntax tree, so text inside a
// string that looks like one is not taken for one.
func (b *builder) suppressions(f *ast.File) []Suppression {
	var out []Suppression
	seen := map[*ast.Comment]bool{}
	ast.Walk(f, func(n ast.Node) bool {
		for _, cg := range ast.Comments(n) {
			for _, c := range cg.List {
				if seen[c] {
					continue
				}
				seen[c] = true
				if s, ok := suppressionIn(c.Text, b.pos(c.Pos())); ok {
					out = append(out, s)
				}
			}
		}
		return true
	}, nil)
	// The walk meets comments in the order of the nodes they belong to;
	// the order of the file is the one fastParse reads them in.
	slices.SortStableFunc(out, func(a, b Suppression) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return out
}
