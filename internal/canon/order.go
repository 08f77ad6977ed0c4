package canon

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/jobfam/jobfam/internal/family"
)

// maxDepth is how deep into a file fields are ordered. A family nests
// about six levels deep; deeper structs keep their order, which bounds the
// work a hostile file can cause.
const maxDepth = 64

// order is the field order that one schema declares.
type order struct {
	// mu guards the shapes, which ask CUE as they are needed: a CUE context
	// is not safe for concurrent use.
	mu   sync.Mutex
	root *shape
}

// cache keeps the order of the schema used last: a program formats its
// files against one schema, and building it costs more than formatting a
// family.
var cache struct {
	sync.Mutex
	schema *family.Schema
	order  *order
}

func orderFor(s *family.Schema) (*order, error) {
	if s == nil {
		return nil, errors.New("format: no schema")
	}
	cache.Lock()
	defer cache.Unlock()
	if cache.schema != s {
		def, err := s.FamilyDefinition()
		if err != nil {
			return nil, err
		}
		cache.schema, cache.order = s, &order{root: newShape(def)}
	}
	return cache.order, nil
}

// shape is the schema at one place of a family: the fields it declares,
// in order, and the shapes of its fields and list items, found as they are
// needed. A nil shape is a place the schema says nothing about.
type shape struct {
	v        cue.Value
	rank     map[string]int // nil until first asked
	children map[string]*shape
	items    *shape
}

func newShape(v cue.Value) *shape {
	return &shape{v: v, children: map[string]*shape{}}
}

// rankOf is the position among the shape's declared fields of the field
// named name, or the number of declared fields for a field the schema does
// not declare, so that those come last and, sorted stably, keep their
// order.
func (s *shape) rankOf(name string, known bool) int {
	if s == nil {
		return 0
	}
	if s.rank == nil {
		s.rank = map[string]int{}
		// A schema value that is not a struct has no fields: everything
		// below it keeps its order.
		if it, err := s.v.Fields(cue.Optional(true)); err == nil {
			for it.Next() {
				sel := it.Selector()
				if sel.LabelType() != cue.StringLabel {
					continue // definitions and hidden fields
				}
				if _, dup := s.rank[sel.Unquoted()]; !dup {
					s.rank[sel.Unquoted()] = len(s.rank)
				}
			}
		}
	}
	if r, ok := s.rank[name]; ok && known {
		return r
	}
	return len(s.rank)
}

// child is the shape of the field name: a regular or optional field, or a
// pattern constraint such as the one on level ids.
func (s *shape) child(name string, known bool) *shape {
	if s == nil || !known {
		return nil
	}
	c, ok := s.children[name]
	if !ok {
		for _, sel := range []cue.Selector{cue.Str(name), cue.Str(name).Optional(), cue.AnyString} {
			if v := s.v.LookupPath(cue.MakePath(sel)); v.Exists() {
				c = newShape(v)
				break
			}
		}
		s.children[name] = c
	}
	return c
}

// item is the shape of the items of a list.
func (s *shape) item() *shape {
	if s == nil {
		return nil
	}
	if s.items == nil {
		v := s.v.LookupPath(cue.MakePath(cue.AnyIndex))
		if !v.Exists() {
			return nil
		}
		s.items = newShape(v)
	}
	return s.items
}

// reorder puts the fields of every struct of f in the schema's order.
func (o *order) reorder(f *ast.File) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f.Decls = o.decls(f.Decls, o.root, 0)
}

func (o *order) value(e ast.Expr, s *shape, depth int) {
	if s == nil || depth > maxDepth {
		return
	}
	switch e := e.(type) {
	case *ast.StructLit:
		e.Elts = o.decls(e.Elts, s, depth+1)
	case *ast.ListLit:
		for _, x := range e.Elts {
			o.value(x, s.item(), depth+1)
		}
	}
}

// unit is a field with the comments that go where it goes.
type unit struct {
	rank  int
	decls []ast.Decl
}

// decls orders the declarations of a struct, or of a file. A package
// clause, imports and attributes at the start stay there. Anything else
// that is not a field, such as an embedded value or a comprehension, is
// not data, and leaves the struct's order as written.
//
// Comments move with their field: the one just above it and the one at the
// end of its line, which CUE attaches to it. Comments that stand apart,
// with a blank line after them, stay at the top when they open the struct;
// elsewhere CUE attaches them to the field before, but they move with the
// field after them, or stay at the end of the struct when they close it.
func (o *order) decls(elts []ast.Decl, s *shape, depth int) []ast.Decl {
	for _, d := range elts {
		if f, ok := d.(*ast.Field); ok {
			name, known := labelName(f.Label)
			o.value(f.Value, s.child(name, known), depth)
		}
	}
	head := 0
	for head < len(elts) && isHead(elts[head]) {
		head++
	}
	body := elts[head:]
	var ranks []int
	for _, d := range body {
		switch d := d.(type) {
		case *ast.Field:
			ranks = append(ranks, s.rankOf(labelName(d.Label)))
		case *ast.CommentGroup:
		default:
			return elts
		}
	}
	if slices.IsSorted(ranks) {
		// Nothing moves, so the comments stay exactly as CUE placed them.
		return elts
	}
	var top, pending []ast.Decl
	var units []unit
	for _, d := range body {
		switch d := d.(type) {
		case *ast.Field:
			if len(units) == 0 {
				top = append(pending, header(d)...)
				pending = nil
			}
			units = append(units, unit{rank: s.rankOf(labelName(d.Label)), decls: append(pending, d)})
			pending = nil
			for _, cg := range trailing(d) {
				pending = append(pending, cg)
			}
		case *ast.CommentGroup:
			pending = append(pending, d)
		}
	}
	first := leading(units[0].decls[0])
	slices.SortStableFunc(units, func(a, b unit) int { return cmp.Compare(a.rank, b.rank) })
	// The space before the first field is about what comes before the
	// struct's fields: the brace, the package clause, the comments at the
	// top. So the field now first and the one that was trade the space
	// before them. Every other field keeps its own: a blank line, a line
	// break, or its place on the line before.
	if now := leading(units[0].decls[0]); now != first {
		rel := now.Pos().RelPos()
		ast.SetRelPos(now, first.Pos().RelPos())
		ast.SetRelPos(first, rel)
	}
	// The comments that closed the struct close it still, after the field
	// now last.
	last := units[len(units)-1].decls
	for _, d := range pending {
		cg := d.(*ast.CommentGroup)
		cg.Position = 127 // after everything of the field
		ast.AddComment(last[len(last)-1], cg)
	}
	out := slices.Clone(elts[:head])
	out = append(out, top...)
	for _, u := range units {
		out = append(out, u.decls...)
	}
	return out
}

// leading is the node of d printed first: its first comment above it, or
// d itself.
func leading(d ast.Decl) ast.Node {
	for _, cg := range ast.Comments(d) {
		if cg.Position == 0 {
			return cg
		}
	}
	return d
}

// header removes from f, the first field of a struct, and returns the
// comments above it that stand apart from it, with a blank line between:
// they are about the struct, or the file, and stay at its top.
func header(f *ast.Field) []ast.Decl {
	cgs := ast.Comments(f)
	start := f.Pos().Line()
	n := 0 // comments above f
	for n < len(cgs) && cgs[n].Position == 0 {
		n++
	}
	if n == 0 {
		return nil
	}
	keep := n // the first comment that stays with f
	if cgs[n-1].End().Line()+1 >= start {
		keep = n - 1 // directly above f: its doc comment
	}
	if keep == 0 {
		return nil
	}
	var out []ast.Decl
	for _, cg := range cgs[:keep] {
		cg.Doc = false
		out = append(out, cg)
	}
	ast.SetComments(f, cgs[keep:])
	return out
}

// isHead reports whether d belongs before a file's fields.
func isHead(d ast.Decl) bool {
	switch d.(type) {
	case *ast.Package, *ast.ImportDecl, *ast.Attribute:
		return true
	}
	return false
}

// trailing removes from f and returns the comments CUE attached to it that
// start on a line after it ends: comments that stand apart, which belong to
// what follows them.
func trailing(f *ast.Field) []*ast.CommentGroup {
	end := f.End().Line()
	var keep, moved []*ast.CommentGroup
	for _, cg := range ast.Comments(f) {
		if cg.Position > 0 && !cg.Line && cg.Pos().Line() > end {
			cg.Doc = false
			moved = append(moved, cg)
		} else {
			keep = append(keep, cg)
		}
	}
	if len(moved) > 0 {
		ast.SetComments(f, keep)
	}
	return moved
}

// labelName is the name of a field as data knows it, and whether it is a
// name the schema could declare: not a definition, a hidden field or a
// computed label.
func labelName(l ast.Label) (string, bool) {
	switch l := l.(type) {
	case *ast.Ident:
		if strings.HasPrefix(l.Name, "#") || strings.HasPrefix(l.Name, "_") {
			return "", false
		}
		return l.Name, true
	case *ast.BasicLit:
		if l.Kind == token.STRING {
			if s, err := literal.Unquote(l.Value); err == nil {
				return s, true
			}
		}
	}
	return "", false
}
