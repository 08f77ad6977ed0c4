package family

import (
	"fmt"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/jobfam/jobfam/internal/diag"
)

// Kind is the type of a data value.
type Kind uint8

// The kinds of value a family file may hold.
const (
	KindString Kind = iota + 1
	KindBytes
	KindInt
	KindFloat
	KindBool
	KindNull
	KindList
	KindStruct
)

var kindNames = [...]string{
	KindString: "string", KindBytes: "bytes", KindInt: "int", KindFloat: "float",
	KindBool: "bool", KindNull: "null", KindList: "list", KindStruct: "struct",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// maxDepth bounds how deeply values may nest. Families need five levels;
// the bound keeps a hostile file from driving the walk into deep recursion.
const maxDepth = 32

// Node is one value of a family file, as written, with its position. It is
// the loader's plain-Go view of the CUE data: every rule reads positions
// from it, so findings point into the family file rather than the schema.
type Node struct {
	Kind Kind
	// Pos is where the value starts.
	Pos diag.Pos
	// Str is the unquoted value of a string or bytes literal, and the
	// decimal text of a number as CUE normalises it ("1000" for 1_000).
	Str string
	// Int is the value of an int, or zero when it does not fit in int64.
	Int int64
	// Bool is the value of a bool.
	Bool bool
	// Raw is the literal as written, for strings: it locates text inside.
	Raw    string
	List   []*Node
	Fields []*Field
}

// Field is a struct field: a name, where the name is written, and a value.
type Field struct {
	Name  string
	Pos   diag.Pos
	Value *Node
}

// Get returns the value of the field called name, or nil if n is not a
// struct or has no such field.
func (n *Node) Get(name string) *Node {
	if f := n.field(name); f != nil {
		return f.Value
	}
	return nil
}

func (n *Node) field(name string) *Field {
	if n == nil || n.Kind != KindStruct {
		return nil
	}
	for _, f := range n.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Lookup follows a path of field names and list indexes (as decimal
// strings) as far as the data goes. It returns the value reached, where the
// last field name on the way is written, and how many path elements it
// consumed. It serves to place CUE's errors, which carry paths, at the
// family file's own positions.
func (n *Node) Lookup(path []string) (v *Node, label diag.Pos, depth int) {
	v, label = n, n.Pos
	for i, sel := range path {
		switch v.Kind {
		case KindStruct:
			f := v.field(sel)
			if f == nil {
				return v, label, i
			}
			v, label = f.Value, f.Pos
		case KindList:
			idx, err := strconv.Atoi(sel)
			if err != nil || idx < 0 || idx >= len(v.List) {
				return v, label, i
			}
			v = v.List[idx]
			label = v.Pos
		default:
			return v, label, i
		}
	}
	return v, label, len(path)
}

// PosOf returns the position of the first occurrence of sub within the
// string literal n, as written, or n.Pos when the literal does not contain
// sub verbatim (for instance because of an escape sequence).
func (n *Node) PosOf(sub string) diag.Pos {
	i := strings.Index(n.Raw, sub)
	if i < 0 {
		return n.Pos
	}
	p := n.Pos
	before := n.Raw[:i]
	if nl := strings.Count(before, "\n"); nl > 0 {
		p.Line += nl
		p.Col = i - strings.LastIndexByte(before, '\n')
	} else {
		p.Col += i
	}
	return p
}

// builder turns a parsed file into Nodes, refusing anything that is not
// plain data. Family files come from pull requests and are untrusted: an
// attribute such as @embed would let CUE read files from the machine, and
// references or comprehensions would make them programs. The check runs on
// the syntax tree, before CUE evaluates anything.
type builder struct {
	file     string
	findings []diag.Finding
	// repeated are schema findings for fields set twice; unlike the
	// findings above, they do not stop the file from being evaluated.
	repeated []diag.Finding
}

func (b *builder) pos(p token.Pos) diag.Pos {
	return diag.Pos{File: b.file, Line: p.Line(), Col: p.Column()}
}

func (b *builder) refuse(p token.Pos, format string, args ...any) {
	b.findings = append(b.findings, diag.Finding{
		Pos:      b.pos(p),
		Rule:     RuleDataOnly,
		Severity: diag.Error,
		Message:  fmt.Sprintf(format, args...),
	})
}

// file checks the top level of f and returns its fields as a struct Node.
func (b *builder) fileNode(f *ast.File) *Node {
	root := &Node{Kind: KindStruct, Pos: diag.Pos{File: b.file, Line: 1, Col: 1}}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Package, *ast.CommentGroup:
			// A package clause is harmless and some editors add one.
		case *ast.Field:
			b.addField(root, d, 1)
		case *ast.ImportDecl:
			b.refuse(d.Pos(), "imports are not allowed in a family file: it holds data only, so remove the import")
		case *ast.Attribute:
			b.refuse(d.Pos(), "attribute %q is not allowed in a family file: it holds data only, so remove it", d.Text)
		default:
			b.refuseDecl(d)
		}
	}
	return root
}

func (b *builder) refuseDecl(d ast.Decl) {
	switch d := d.(type) {
	case *ast.EmbedDecl:
		b.refuse(d.Pos(), "a value without a field name is not allowed here: write a field, name: value")
	case *ast.LetClause:
		b.refuse(d.Pos(), "let clauses are not allowed in a family file: write each value out")
	case *ast.Comprehension:
		b.refuse(d.Pos(), "comprehensions are not allowed in a family file: write each value out")
	case *ast.Ellipsis:
		b.refuse(d.Pos(), "%q is not allowed in a family file: it holds data only", "...")
	default:
		b.refuse(d.Pos(), "this declaration is not allowed in a family file: it holds fields with plain values only")
	}
}

func (b *builder) addField(parent *Node, f *ast.Field, depth int) {
	name, ok := b.label(f)
	for _, a := range f.Attrs {
		b.refuse(a.Pos(), "attribute %q is not allowed in a family file: it holds data only, so remove it", a.Text)
		ok = false
	}
	v := b.value(f.Value, depth)
	if !ok || v == nil {
		return
	}
	b.merge(parent, &Field{Name: name, Pos: b.pos(f.Label.Pos()), Value: v})
}

// merge adds field f to the struct parent. CUE unifies repeated fields, so
// "levels: a: {...}" followed by "levels: b: {...}" declares both levels,
// and structs are merged here the same way. A repeated field of any other
// kind is a mistake even when CUE would accept it (the same value twice):
// it is reported where it is repeated, and the first value is kept.
func (b *builder) merge(parent *Node, f *Field) {
	prev := parent.field(f.Name)
	switch {
	case prev == nil:
		parent.Fields = append(parent.Fields, f)
	case prev.Value.Kind == KindStruct && f.Value.Kind == KindStruct:
		for _, sub := range f.Value.Fields {
			b.merge(prev.Value, sub)
		}
	default:
		b.repeated = append(b.repeated, diag.Finding{
			Pos:      f.Pos,
			Rule:     RuleSchema,
			Severity: diag.Error,
			Message:  fmt.Sprintf("field %q is already set at line %d: keep one of the two", f.Name, prev.Pos.Line),
			Related:  []diag.Pos{prev.Pos},
		})
	}
}

func (b *builder) label(f *ast.Field) (string, bool) {
	if f.Alias != nil {
		b.refuse(f.Alias.Pos(), "aliases are not allowed in a family file: it holds data only")
		return "", false
	}
	if f.Constraint != token.ILLEGAL {
		b.refuse(f.Label.Pos(), "field marker %q is not allowed in a family file: write a plain field", f.Constraint.String())
		return "", false
	}
	switch l := f.Label.(type) {
	case *ast.Ident:
		if strings.HasPrefix(l.Name, "#") || strings.HasPrefix(l.Name, "_") {
			b.refuse(l.Pos(), "field %q is not allowed in a family file: definitions and hidden fields belong in the schema", l.Name)
			return "", false
		}
		return l.Name, true
	case *ast.BasicLit:
		if l.Kind == token.STRING {
			if s, err := literal.Unquote(l.Value); err == nil {
				return s, true
			}
		}
	case *ast.Alias:
		b.refuse(l.Pos(), "aliases are not allowed in a family file: it holds data only")
		return "", false
	}
	b.refuse(f.Label.Pos(), "this field name is not allowed in a family file: use a plain name or a quoted string")
	return "", false
}

// value converts a value expression, or reports why it is not plain data
// and returns nil.
func (b *builder) value(e ast.Expr, depth int) *Node {
	if depth > maxDepth {
		b.refuse(e.Pos(), "values nest more than %d levels deep: a family needs far fewer, so flatten the file", maxDepth)
		return nil
	}
	n := &Node{Pos: b.pos(e.Pos())}
	switch e := e.(type) {
	case *ast.BasicLit:
		return b.literal(n, e, false)
	case *ast.UnaryExpr:
		// A negative number is a unary minus applied to a literal.
		if lit, ok := e.X.(*ast.BasicLit); ok && e.Op == token.SUB && (lit.Kind == token.INT || lit.Kind == token.FLOAT) {
			return b.literal(n, lit, true)
		}
		b.refuseExpr(e, "an expression")
		return nil
	case *ast.StructLit:
		n.Kind = KindStruct
		ok := true
		for _, d := range e.Elts {
			switch d := d.(type) {
			case *ast.Field:
				before := len(b.findings)
				b.addField(n, d, depth+1)
				ok = ok && len(b.findings) == before
			case *ast.CommentGroup:
			case *ast.Attribute:
				b.refuse(d.Pos(), "attribute %q is not allowed in a family file: it holds data only, so remove it", d.Text)
				ok = false
			default:
				b.refuseDecl(d)
				ok = false
			}
		}
		if !ok {
			return nil
		}
		return n
	case *ast.ListLit:
		n.Kind = KindList
		for _, x := range e.Elts {
			v := b.value(x, depth+1)
			if v == nil {
				return nil
			}
			n.List = append(n.List, v)
		}
		return n
	default:
		b.refuseExpr(e, "")
		return nil
	}
}

func (b *builder) literal(n *Node, lit *ast.BasicLit, negative bool) *Node {
	sign := ""
	if negative {
		sign = "-"
	}
	switch lit.Kind {
	case token.STRING:
		s, err := literal.Unquote(lit.Value)
		if err != nil {
			b.refuse(lit.Pos(), "string cannot be read: %v", err)
			return nil
		}
		n.Kind, n.Str, n.Raw = KindString, s, lit.Value
		if strings.HasPrefix(strings.TrimLeft(lit.Value, "#"), "'") {
			n.Kind = KindBytes
		}
	case token.INT, token.FLOAT:
		var ni literal.NumInfo
		if err := literal.ParseNum(sign+lit.Value, &ni); err != nil {
			b.refuse(lit.Pos(), "number %q cannot be read: %v", lit.Value, err)
			return nil
		}
		n.Kind, n.Str = KindFloat, ni.String()
		if ni.IsInt() {
			n.Kind = KindInt
			// A value too large for int64 keeps its text and leaves Int
			// zero (ParseInt would clamp it); the schema's bounds report
			// it, and the model treats it as absent.
			if v, err := strconv.ParseInt(n.Str, 10, 64); err == nil {
				n.Int = v
			}
		}
	case token.TRUE, token.FALSE:
		n.Kind, n.Bool = KindBool, lit.Kind == token.TRUE
	case token.NULL:
		n.Kind = KindNull
	default:
		b.refuse(lit.Pos(), "literal %q is not allowed in a family file", lit.Value)
		return nil
	}
	return n
}

// refuseExpr explains why an expression is not plain data, in the words a
// person editing a family would use.
func (b *builder) refuseExpr(e ast.Expr, what string) {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name == "_" {
			b.refuse(e.Pos(), "%q (any value) is not allowed in a family file: write a plain value", "_")
			return
		}
		// A bare word is almost always text that lost its quotes; a family
		// cannot refer to other values, so the fix is the same either way.
		b.refuse(e.Pos(), "%s is not in quotes: write %q (text goes in double quotes, and a family cannot refer to other values)", e.Name, e.Name)
	case *ast.SelectorExpr, *ast.IndexExpr:
		b.refuse(e.Pos(), "references are not allowed in a family file: write the value itself")
	case *ast.Interpolation:
		b.refuse(e.Pos(), "string interpolation is not allowed in a family file: write the string out")
	case *ast.Comprehension:
		b.refuse(e.Pos(), "comprehensions are not allowed in a family file: write each value out")
	case *ast.CallExpr:
		b.refuse(e.Pos(), "function calls are not allowed in a family file: write the value itself")
	case *ast.Ellipsis:
		b.refuse(e.Pos(), "%q is not allowed in a family file: it holds data only", "...")
	case *ast.BadExpr:
		b.refuse(e.Pos(), "this value cannot be read: write a string, number, boolean, list or struct")
	default:
		if what == "" {
			what = "an expression"
		}
		b.refuse(e.Pos(), "%s is not allowed in a family file: write a plain value (a string, number, boolean, list or struct)", what)
	}
}
