package family

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// precheck decides, without evaluating a family in CUE, that the family
// satisfies #Family. Building a family's syntax into CUE and unifying it
// with the schema is most of what loading costs; nearly every family
// satisfies the schema, and for those a walk of the family's Node tree
// against constraints read from the schema once gives the same answer.
//
// The walk answers "accepted" or "not sure", never "rejected": where it is
// not sure (a field it has not seen, a value that breaks or may break a
// constraint, a constraint it does not understand), the loader evaluates
// the family in CUE as before, and CUE's errors become the findings. So the
// precheck must never accept a family that CUE would reject; it may pass
// on any family it likes. Three things keep it on the safe side:
//
//   - It reads the constraint on a field the way CUE applies it: the
//     schema struct is unified with a struct holding that one label, so
//     that declared fields, pattern constraints and closedness all come
//     from CUE itself, and a label CUE does not allow is never accepted.
//   - A scalar's constraint is read from CUE's own rendering of the
//     evaluated value (types, literals, bounds, regular expressions, & and
//     |); anything else in it, such as a call to a validator, turns the
//     precheck off for that field.
//   - A schema whose files hold what such a reading cannot see (a
//     comprehension, whose fields depend on the data; an import, whose
//     functions validate; a let; an embedded value) turns it off entirely.
//
// A precheck is shared by the workers of a load; its CUE values are used
// only under its mutex, since a cue.Context is not safe for concurrent use.
type precheck struct {
	mu   sync.Mutex
	ctx  *cue.Context
	root *pre
	// off says why the precheck is off, for tests; root is nil then.
	off string
}

// pre is the schema at one place of a family: what a value there must be.
type pre struct {
	// v is the schema's value here; it is read only under precheck.mu.
	v cue.Value
	// kind is what the value may be: one of cue.StructKind, cue.ListKind,
	// or scalar kinds. It is cue.BottomKind where the precheck is never
	// sure, which sends the family to CUE.
	kind cue.Kind
	// cond is the constraint on a scalar beyond its kind, or nil.
	cond cond
	// fields maps a struct's field names to their pre (nil for a name
	// the precheck is not sure of), filled as names are met; named counts
	// them, under precheck.mu.
	fields sync.Map
	named  int
	// elem is the pre of a list's items.
	elem *pre
}

// newPrecheck reads #Family from v, the schema built in ctx, whose files
// are parsed in files.
func newPrecheck(ctx *cue.Context, v cue.Value, files []*ast.File) *precheck {
	p := &precheck{ctx: ctx}
	for _, f := range files {
		if why := unsupportedSyntax(f); why != "" {
			p.off = why
			return p
		}
	}
	p.root = p.newPre(v.LookupPath(cue.ParsePath("#Family")))
	return p
}

// unsupportedSyntax returns what in the schema file f the precheck cannot
// read from evaluated values, or "" when it can read all of it.
func unsupportedSyntax(f *ast.File) string {
	why := ""
	ast.Walk(f, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.ImportDecl, *ast.ImportSpec:
			why = "an import"
		case *ast.Comprehension, *ast.ForClause, *ast.IfClause:
			why = "a comprehension"
		case *ast.LetClause:
			why = "a let clause"
		case *ast.EmbedDecl:
			why = "an embedded value"
		case *ast.Interpolation:
			why = "an interpolation"
		case *ast.CallExpr:
			// or(list) is a disjunction of a list's values, which the
			// evaluated value shows as one; any other call may validate
			// in ways no rendering shows.
			if id, ok := n.Fun.(*ast.Ident); !ok || id.Name != "or" {
				why = "a function call"
			}
		case *ast.Field:
			if n.Constraint == token.NOT {
				why = "a required field"
			}
		}
		return why == ""
	}, nil)
	return why
}

// newPre describes the schema value v. It is called under precheck.mu, or
// before the precheck is shared.
func (p *precheck) newPre(v cue.Value) *pre {
	r := &pre{v: v, kind: cue.BottomKind}
	if v.Err() != nil || !v.Exists() {
		return r
	}
	switch k := v.IncompleteKind(); k {
	case cue.StructKind:
		r.kind = k
	case cue.ListKind:
		// Only an open list of one type, [...T], is read: a list with
		// items of its own has a length and types by position.
		items, err := v.List()
		if err != nil || items.Next() {
			return r
		}
		elem := v.LookupPath(cue.MakePath(cue.AnyIndex))
		if !elem.Exists() {
			return r
		}
		r.kind, r.elem = k, p.newPre(elem)
	default:
		if k&(cue.StructKind|cue.ListKind) != 0 {
			return r
		}
		// The rendering of the final value resolves references and
		// simplifies the constraint; structs and lists are never read
		// this way, since Final closes them.
		e, ok := v.Syntax(cue.Final()).(ast.Expr)
		if !ok {
			return r
		}
		c, err := compileCond(e)
		if err != nil {
			return r
		}
		r.kind, r.cond = k, c
	}
	return r
}

// surelyValid reports whether the family that b built as root surely
// satisfies the schema, so that CUE need not evaluate it. A field set
// twice is always evaluated, since CUE may report the two values as a
// conflict and the Node tree keeps only the first.
func (s *Schema) surelyValid(b *builder, root *Node) bool {
	return len(b.repeated) == 0 && s.pre.accepts(root)
}

// accepts reports whether the family n surely satisfies #Family.
func (p *precheck) accepts(n *Node) bool {
	return p != nil && p.root != nil && p.check(p.root, n)
}

func (p *precheck) check(r *pre, n *Node) bool {
	switch r.kind {
	case cue.BottomKind:
		return false
	case cue.StructKind:
		if n.Kind != KindStruct {
			return false
		}
		for _, f := range n.Fields {
			c := p.field(r, f.Name)
			if c == nil || !p.check(c, f.Value) {
				return false
			}
		}
		return true
	case cue.ListKind:
		if n.Kind != KindList {
			return false
		}
		for _, item := range n.List {
			if !p.check(r.elem, item) {
				return false
			}
		}
		return true
	}
	if r.kind&cueKind(n) == 0 {
		return false
	}
	return r.cond == nil || r.cond.holds(n)
}

// field returns the pre of the struct r's field name, or nil when CUE
// does not allow the field or the precheck cannot read its constraint.
func (p *precheck) field(r *pre, name string) *pre {
	if c, ok := r.fields.Load(name); ok {
		return c.(*pre)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := r.fields.Load(name); ok {
		return c.(*pre)
	}
	// Families share a few field names and level ids; a file with
	// thousands of made-up names is left to CUE rather than kept here.
	if r.named >= maxNamed {
		return nil
	}
	r.named++
	// Unifying the schema with a struct that has the field, of any value,
	// applies what CUE applies to it: the field's declaration, every
	// pattern constraint its name matches, and closedness.
	with := r.v.Unify(p.ctx.CompileString(fmt.Sprintf("{%s: _}", strconv.Quote(name))))
	var c *pre
	if with.Err() == nil {
		if v := with.LookupPath(cue.MakePath(cue.Str(name))); v.Exists() && v.Err() == nil {
			c = p.newPre(v)
		}
	}
	r.fields.Store(name, c)
	return c
}

// maxNamed bounds the field names kept for one struct of the schema.
const maxNamed = 4096

// cueKind is the CUE kind of a data value.
func cueKind(n *Node) cue.Kind {
	switch n.Kind {
	case KindString:
		return cue.StringKind
	case KindBytes:
		return cue.BytesKind
	case KindInt:
		return cue.IntKind
	case KindFloat:
		return cue.FloatKind
	case KindBool:
		return cue.BoolKind
	case KindNull:
		return cue.NullKind
	}
	return cue.BottomKind
}

// cond is a constraint on a scalar value.
type cond interface {
	holds(n *Node) bool
}

type (
	allOf  []cond
	anyOf  []cond
	kindIs cue.Kind
	strIs  string
	boolIs bool
	nullIs struct{}
	intCmp struct {
		op token.Token
		v  int64
	}
	strNotEq string
	matches  struct {
		re     *regexp.Regexp
		negate bool
	}
)

func (c allOf) holds(n *Node) bool {
	for _, x := range c {
		if !x.holds(n) {
			return false
		}
	}
	return true
}

func (c anyOf) holds(n *Node) bool {
	for _, x := range c {
		if x.holds(n) {
			return true
		}
	}
	return false
}

func (c kindIs) holds(n *Node) bool   { return cue.Kind(c)&cueKind(n) != 0 }
func (c strIs) holds(n *Node) bool    { return n.Kind == KindString && n.Str == string(c) }
func (c boolIs) holds(n *Node) bool   { return n.Kind == KindBool && n.Bool == bool(c) }
func (nullIs) holds(n *Node) bool     { return n.Kind == KindNull }
func (c strNotEq) holds(n *Node) bool { return n.Kind == KindString && n.Str != string(c) }

func (c matches) holds(n *Node) bool {
	return n.Kind == KindString && c.re.MatchString(n.Str) != c.negate
}

func (c intCmp) holds(n *Node) bool {
	if n.Kind != KindInt {
		return false
	}
	// Int is zero for a value beyond int64, whose text then says so.
	v, err := strconv.ParseInt(n.Str, 10, 64)
	if err != nil {
		return false
	}
	switch c.op {
	case token.GEQ:
		return v >= c.v
	case token.GTR:
		return v > c.v
	case token.LEQ:
		return v <= c.v
	case token.LSS:
		return v < c.v
	case token.NEQ:
		return v != c.v
	case token.EQL:
		return v == c.v
	}
	return false
}

// compileCond reads the rendering of a scalar constraint. It knows the
// types, literals, bounds and regular expressions that job family schemas
// use, joined with & and |; anything else is an error, which turns the
// precheck off where the constraint applies.
func compileCond(e ast.Expr) (cond, error) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return compileCond(e.X)
	case *ast.BinaryExpr:
		x, err := compileCond(e.X)
		if err != nil {
			return nil, err
		}
		y, err := compileCond(e.Y)
		if err != nil {
			return nil, err
		}
		switch e.Op {
		case token.AND:
			return allOf{x, y}, nil
		case token.OR:
			return anyOf{x, y}, nil
		}
	case *ast.Ident:
		switch e.Name {
		case "_":
			return allOf{}, nil
		case "string":
			return kindIs(cue.StringKind), nil
		case "bool":
			return kindIs(cue.BoolKind), nil
		case "int":
			return kindIs(cue.IntKind), nil
		case "uint":
			return allOf{kindIs(cue.IntKind), intCmp{op: token.GEQ}}, nil
		case "number":
			return kindIs(cue.NumberKind), nil
		case "null":
			return nullIs{}, nil
		}
	case *ast.BasicLit:
		return literalCond(e, false)
	case *ast.UnaryExpr:
		lit, ok := e.X.(*ast.BasicLit)
		if !ok {
			break
		}
		switch e.Op {
		case token.SUB:
			return literalCond(lit, true)
		case token.MAT, token.NMAT:
			s, err := stringLit(lit)
			if err != nil {
				return nil, err
			}
			re, err := regexp.Compile(s)
			if err != nil {
				return nil, err
			}
			return matches{re: re, negate: e.Op == token.NMAT}, nil
		case token.NEQ:
			if lit.Kind == token.STRING {
				s, err := stringLit(lit)
				if err != nil {
					return nil, err
				}
				return strNotEq(s), nil
			}
			fallthrough
		case token.GEQ, token.GTR, token.LEQ, token.LSS:
			v, err := intLit(lit, false)
			if err != nil {
				return nil, err
			}
			return intCmp{op: e.Op, v: v}, nil
		}
	}
	return nil, fmt.Errorf("constraint %T not read", e)
}

// literalCond is the constraint that a value equals lit.
func literalCond(lit *ast.BasicLit, negative bool) (cond, error) {
	switch lit.Kind {
	case token.STRING:
		if negative {
			break
		}
		s, err := stringLit(lit)
		if err != nil {
			return nil, err
		}
		return strIs(s), nil
	case token.INT:
		v, err := intLit(lit, negative)
		if err != nil {
			return nil, err
		}
		return intCmp{op: token.EQL, v: v}, nil
	case token.TRUE, token.FALSE:
		if !negative {
			return boolIs(lit.Kind == token.TRUE), nil
		}
	case token.NULL:
		if !negative {
			return nullIs{}, nil
		}
	}
	return nil, fmt.Errorf("literal %s not read", lit.Value)
}

// stringLit is the value of a double-quoted string literal; a bytes
// literal is refused.
func stringLit(lit *ast.BasicLit) (string, error) {
	if lit.Kind != token.STRING {
		return "", fmt.Errorf("literal %s is not a string", lit.Value)
	}
	info, _, _, err := literal.ParseQuotes(lit.Value, lit.Value)
	if err != nil {
		return "", err
	}
	if !info.IsDouble() {
		return "", fmt.Errorf("literal %s is bytes", lit.Value)
	}
	return literal.Unquote(lit.Value)
}

// intLit is the value of an integer literal that fits in int64.
func intLit(lit *ast.BasicLit, negative bool) (int64, error) {
	if lit.Kind != token.INT {
		return 0, fmt.Errorf("literal %s is not an integer", lit.Value)
	}
	sign := ""
	if negative {
		sign = "-"
	}
	var ni literal.NumInfo
	if err := literal.ParseNum(sign+lit.Value, &ni); err != nil {
		return 0, err
	}
	if !ni.IsInt() {
		return 0, fmt.Errorf("literal %s is not an integer", lit.Value)
	}
	return strconv.ParseInt(ni.String(), 10, 64)
}
