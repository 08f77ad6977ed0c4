package family

import (
	"fmt"
	"strconv"

	"cuelang.org/go/cue"

	"github.com/jobfam/jobfam/internal/suggest"
)

// shape is the schema at one place of a family, with what it allows
// cached: every family of a repository has the same few shapes, and asking
// CUE again for each field of each file would cost more than the check.
type shape struct {
	v        cue.Value
	allowed  map[string]bool
	names    []string // allowed field names, for suggestions
	children map[string]*shape
}

func newShape(v cue.Value) *shape {
	return &shape{v: v, allowed: map[string]bool{}, children: map[string]*shape{}}
}

func (s *shape) allows(name string) bool {
	ok, seen := s.allowed[name]
	if !seen {
		ok = s.v.Allows(cue.Str(name))
		s.allowed[name] = ok
	}
	return ok
}

// child is the shape of field name, or of list items when name is "[]".
func (s *shape) child(name string) *shape {
	c := s.children[name]
	if c == nil {
		if name == "[]" {
			c = newShape(s.v.LookupPath(cue.MakePath(cue.AnyIndex)))
		} else {
			c = newShape(field(s.v, name))
		}
		s.children[name] = c
	}
	return c
}

// field steps into the schema struct at by one field name, through a
// regular or optional field or a pattern constraint such as the one on
// level ids.
func field(at cue.Value, name string) cue.Value {
	for _, sel := range []cue.Selector{cue.Str(name), cue.Str(name).Optional(), cue.AnyString} {
		if v := at.LookupPath(cue.MakePath(sel)); v.Exists() {
			return v
		}
	}
	return cue.Value{}
}

// unknownFields reports every field of n that the schema does not allow,
// walking the data rather than relying on CUE's errors: CUE reports an
// unknown struct once per field inside it, and may leave an unknown field
// unreported when another error stops its evaluation early. Definitions in
// the schema are closed, so a misspelt field is an error.
func (t *translator) unknownFields(s *shape, n *Node, path []string) {
	if !s.v.Exists() {
		return
	}
	switch n.Kind {
	case KindStruct:
		// A struct where the schema wants another kind is a type error,
		// reported by CUE; its fields are not unknown, they are misplaced.
		if s.v.IncompleteKind()&cue.StructKind == 0 {
			return
		}
		for _, f := range n.Fields {
			if !s.allows(f.Name) {
				t.unknownField(s, f, path)
				continue
			}
			t.unknownFields(s.child(f.Name), f.Value, append(path, f.Name))
		}
	case KindList:
		if s.v.IncompleteKind()&cue.ListKind == 0 {
			return
		}
		items := s.child("[]")
		for i, x := range n.List {
			t.unknownFields(items, x, append(path, strconv.Itoa(i)))
		}
	}
}

func (t *translator) unknownField(s *shape, f *Field, path []string) {
	if len(path) == 1 && path[0] == "levels" {
		t.add(f.Pos, nil, "level id %q is not valid: use lowercase letters, digits and hyphens, like %q", f.Name, "senior-manager")
		return
	}
	if s.names == nil {
		s.names = fieldNames(s.v)
	}
	msg := fmt.Sprintf("unknown field %q in %s", f.Name, describe(path))
	if best := suggest.Closest(f.Name, s.names); best != "" {
		msg += fmt.Sprintf(": did you mean %q?", best)
	} else if len(s.names) > 0 {
		msg += fmt.Sprintf(": the fields allowed here are %s", quoteAll(s.names))
	}
	t.add(f.Pos, nil, "%s", msg)
}

// fieldNames lists the regular and optional fields of a schema struct.
func fieldNames(v cue.Value) []string {
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return nil
	}
	names := []string{}
	for it.Next() {
		sel := it.Selector()
		if sel.IsDefinition() || sel.PkgPath() != "" {
			continue
		}
		names = append(names, sel.Unquoted())
	}
	return names
}
