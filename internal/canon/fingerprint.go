package canon

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// sum is the fingerprint of a part of a file.
type sum [sha256.Size]byte

// fingerprint describes the data of a file: what it holds, but not its
// layout, its comments or the order of its fields; the order of list items
// is part of it. Formatting must not change it. Anything that is not plain
// data is described by its syntax tree.
//
// Each struct is summed on its own, so that the work grows with the size
// of the file, however deeply it nests.
func fingerprint(f *ast.File) sum {
	return declsSum(f.Decls)
}

func declsSum(ds []ast.Decl) sum {
	var entries []sum
	for _, d := range ds {
		if _, ok := d.(*ast.CommentGroup); ok {
			continue
		}
		h := sha256.New()
		switch d := d.(type) {
		case *ast.Field:
			label(h, d.Label)
			fmt.Fprintf(h, "%s:", d.Constraint)
			if d.Alias != nil {
				other(h, d.Alias)
			}
			expr(h, d.Value)
		case *ast.Package:
			fmt.Fprintf(h, "package %q", d.Name.Name)
		default:
			other(h, d)
		}
		entries = append(entries, sum(h.Sum(nil)))
	}
	// The same field may be written twice, so that entries can share a
	// label: sorting whole entries keeps the comparison exact.
	slices.SortFunc(entries, func(a, b sum) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	h.Write([]byte("{"))
	for _, e := range entries {
		h.Write(e[:])
	}
	return sum(h.Sum(nil))
}

func label(h hash.Hash, l ast.Label) {
	switch l := l.(type) {
	case *ast.Ident:
		fmt.Fprintf(h, "%q", l.Name)
		return
	case *ast.BasicLit:
		if l.Kind == token.STRING {
			if s, err := literal.Unquote(l.Value); err == nil {
				fmt.Fprintf(h, "%q", s)
				return
			}
		}
	}
	other(h, l)
}

func expr(h hash.Hash, e ast.Expr) {
	switch e := e.(type) {
	case *ast.StructLit:
		s := declsSum(e.Elts)
		h.Write(s[:])
	case *ast.ListLit:
		h.Write([]byte("["))
		for _, x := range e.Elts {
			expr(h, x)
			h.Write([]byte(","))
		}
		h.Write([]byte("]"))
	case *ast.BasicLit:
		lit(h, e)
	default:
		other(h, e)
	}
}

// lit describes a literal by its value: the formatter changes the
// indentation of multi-line strings, and writes some numbers differently
// ("1E3" as "1e3").
func lit(h hash.Hash, e *ast.BasicLit) {
	switch e.Kind {
	case token.STRING:
		if s, err := literal.Unquote(e.Value); err == nil {
			h.Write([]byte(strconv.Quote(s)))
			return
		}
	case token.INT, token.FLOAT:
		var ni literal.NumInfo
		if literal.ParseNum(e.Value, &ni) == nil {
			if n, ok := decimal(ni.String()); ok {
				fmt.Fprintf(h, "%s %s", e.Kind, n)
				return
			}
		}
	}
	h.Write([]byte(e.Value))
}

// decimal writes a number in decimal notation, such as "-1.50e3", as
// digits without leading or trailing zeros and an exponent: "-15e2". It
// works on the text, so that a huge exponent costs nothing.
func decimal(s string) (string, bool) {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	exp := int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(s[i+1:], 10, 64)
		if err != nil {
			return "", false
		}
		s, exp = s[:i], e
	}
	digits := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		digits = s[:i] + s[i+1:]
		exp -= int64(len(s) - i - 1)
	}
	if strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	if trimmed == "" {
		return "0", true
	}
	return fmt.Sprintf("%s%se%d", sign, trimmed, exp), true
}

// other describes a node that is not plain data by its syntax tree: the
// type of each node and the names, literals and operators in it, without
// comments or positions.
func other(h hash.Hash, n ast.Node) {
	ast.Walk(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CommentGroup, *ast.Comment:
			return false
		case *ast.Ident:
			fmt.Fprintf(h, "(%q", n.Name)
		case *ast.BasicLit:
			h.Write([]byte("("))
			lit(h, n)
		case *ast.BinaryExpr:
			fmt.Fprintf(h, "(%s", n.Op)
		case *ast.UnaryExpr:
			fmt.Fprintf(h, "(%s", n.Op)
		case *ast.Field:
			fmt.Fprintf(h, "(field%s", n.Constraint)
		default:
			fmt.Fprintf(h, "(%T", n)
		}
		return true
	}, func(ast.Node) { h.Write([]byte(")")) })
}
