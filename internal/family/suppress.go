package family

import (
	"strings"

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
				text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
				rest, ok := strings.CutPrefix(text, suppressionPrefix)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue
				}
				rule, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
				out = append(out, Suppression{Pos: b.pos(c.Pos()), Rule: rule, Reason: strings.TrimSpace(reason)})
			}
		}
		return true
	}, nil)
	return out
}
