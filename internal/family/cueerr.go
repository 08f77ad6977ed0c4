package family

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	cueerrors "cuelang.org/go/cue/errors"

	"github.com/jobfam/jobfam/internal/diag"
)

// translate turns CUE's evaluation errors into schema findings placed in
// the family file. CUE reports a violation at several positions, often the
// schema's first; people editing a family need theirs, so each error is
// placed by its path in the family's own data, and the schema's positions
// are kept as related information when they are files of the repository
// (not those of the schema built into jobfam). family is the shape of the
// schema's #Family.
func translate(err error, file string, root *Node, family *shape, p *Policy, schemaPositions bool) []diag.Finding {
	t := translator{file: file, root: root, policy: p, seen: map[string]bool{}, schemaPositions: schemaPositions}
	t.unknownFields(family, root, nil)
	errs := cueerrors.Errors(err)
	// Group the errors by path: a value that fits none of the branches of
	// a disjunction yields one error per branch, and people need one
	// finding that lists what would have been accepted.
	var order []string
	byPath := map[string][]cueerrors.Error{}
	for _, e := range errs {
		key := strings.Join(dataPath(e), ".")
		if _, ok := byPath[key]; !ok {
			order = append(order, key)
		}
		byPath[key] = append(byPath[key], e)
	}
	for _, key := range order {
		t.group(byPath[key])
	}
	return t.out
}

type translator struct {
	file string
	root *Node
	// schemaPositions says whether to keep the schema's positions.
	schemaPositions bool
	policy          *Policy
	seen            map[string]bool
	out             []diag.Finding
}

// dataPath is an error's path without the leading "#Family".
func dataPath(e cueerrors.Error) []string {
	path := e.Path()
	if len(path) > 0 && strings.HasPrefix(path[0], "#") {
		path = path[1:]
	}
	// CUE quotes labels that are not identifiers, such as the level id
	// "senior-manager"; the family's data knows them unquoted.
	out := make([]string, len(path))
	for i, sel := range path {
		out[i] = sel
		if strings.HasPrefix(sel, `"`) {
			if s, err := strconv.Unquote(sel); err == nil {
				out[i] = s
			}
		}
	}
	return out
}

func (t *translator) add(pos diag.Pos, related []diag.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := pos.String() + msg
	if t.seen[key] {
		return
	}
	t.seen[key] = true
	t.out = append(t.out, diag.Finding{Pos: pos, Rule: RuleSchema, Severity: diag.Error, Message: msg, Related: related})
}

// positions splits an error's positions into those in the family file and
// the others (the schema's).
func (t *translator) positions(e cueerrors.Error) (data, schema []diag.Pos) {
	for _, p := range cueerrors.Positions(e) {
		dp := diag.Pos{File: p.Filename(), Line: p.Line(), Col: p.Column()}
		if dp.File == t.file {
			data = append(data, dp)
		} else if dp.Line > 0 && t.schemaPositions {
			schema = append(schema, dp)
		}
	}
	return data, schema
}

func (t *translator) group(errs []cueerrors.Error) {
	// typed records a type mismatch, which says all there is to say about
	// a value that also failed a disjunction.
	var disjunction, typed bool
	var alternatives []string
	for _, e := range errs {
		format, _ := e.Msg()
		if strings.Contains(format, "empty disjunction") {
			disjunction = true
		}
	}
	for _, e := range errs {
		format, args := e.Msg()
		path := dataPath(e)
		node, label, depth := t.root.Lookup(path)
		data, schema := t.positions(e)
		pos := node.Pos
		if depth < len(path) {
			pos = label
			if len(data) > 0 {
				pos = data[0]
			}
		}
		switch {
		case format == "field not allowed":
			// Reported by unknownFields, once per unknown field.
		case strings.Contains(format, "empty disjunction"):
			// Summarised below from the branches' own errors.
		case strings.HasPrefix(format, "conflicting values") && len(args) >= 2:
			if len(data) >= 2 {
				// Both values are the family's own: a field set twice,
				// which the builder has reported where it is repeated.
				continue
			}
			if strings.Contains(format, "mismatched types") && len(args) == 4 && depth == len(path) {
				want := fmt.Sprint(args[2])
				if want == node.Kind.String() {
					want = fmt.Sprint(args[3])
				}
				t.add(pos, schema, "%s must be %s, not %s", describe(path), article(want), article(node.Kind.String()))
				typed = true
				continue
			}
			if disjunction {
				for _, a := range args[:2] {
					if s := fmt.Sprint(a); s != literalOf(node) && !slices.Contains(alternatives, s) {
						alternatives = append(alternatives, s)
					}
				}
				continue
			}
			t.add(pos, schema, "%s: conflicting values %v and %v", describe(path), args[0], args[1])
		case strings.HasPrefix(format, "invalid value") && len(args) >= 2:
			t.outOfBound(pos, schema, path, args[0], fmt.Sprint(args[1]))
		default:
			t.add(pos, schema, "%s: %s", describe(path), lowerFirst(fmt.Sprintf(format, args...)))
		}
	}
	switch {
	case typed:
	case disjunction && len(alternatives) > 0:
		path := dataPath(errs[0])
		node, _, _ := t.root.Lookup(path)
		t.add(node.Pos, nil, "%s is %s, which is not one of %s", describe(path), literalOf(node), strings.Join(alternatives, ", "))
	case disjunction:
		path := dataPath(errs[0])
		node, _, _ := t.root.Lookup(path)
		t.add(node.Pos, nil, "%s is %s, which is not an allowed value", describe(path), literalOf(node))
	}
}

// outOfBound explains a value that breaks a bound of the schema.
func (t *translator) outOfBound(pos diag.Pos, schema []diag.Pos, path []string, value any, bound string) {
	last := ""
	if len(path) > 0 {
		last = path[len(path)-1]
	}
	switch {
	case last == "grade":
		t.add(pos, schema, "%s is %v, outside the policy's grade scale of %d to %d: use a grade in that range or change policy.grades",
			describe(path), value, t.policy.Grades.Min, t.policy.Grades.Max)
	case strings.HasPrefix(bound, `!~"\n"`):
		t.add(pos, schema, "%s must be a single line: remove the line breaks", describe(path))
	case len(path) >= 2 && path[len(path)-2] == "extends":
		t.add(pos, schema, "%s is %v, which is not a level id: name a level of this family by its id, like %q", describe(path), value, "senior")
	case last == "url" || strings.Contains(bound, "https?://"):
		t.add(pos, schema, "%s is %v, which is not an absolute http or https URL: write it in full, like %q", describe(path), value, "https://example.com/page")
	default:
		t.add(pos, schema, "%s is %v, which is not allowed: it must be %s", describe(path), value, bound)
	}
}

// describe names the place a path leads to the way a person reads the
// file: `level "senior"` rather than "levels.senior".
func describe(path []string) string {
	switch {
	case len(path) == 0:
		return "the family"
	case len(path) == 1:
		return path[0]
	case len(path) == 2 && path[0] == "levels":
		return fmt.Sprintf("level %q", path[1])
	}
	last := path[len(path)-1]
	if i, err := strconv.Atoi(last); err == nil {
		// People count list items from one.
		return fmt.Sprintf("item %d of %s", i+1, describe(path[:len(path)-1]))
	}
	return fmt.Sprintf("%s of %s", last, describe(path[:len(path)-1]))
}

// article puts "a" or "an" before a CUE kind name.
func article(kind string) string {
	switch kind {
	case "int":
		return "a whole number"
	case "float":
		return "a decimal number"
	case "number":
		return "a number"
	case "struct":
		return "a struct"
	case "bool":
		return "true or false"
	case "null":
		return "null"
	case "bytes":
		return "bytes (text in single quotes, which must be in double quotes)"
	}
	return "a " + kind
}

// literalOf shows a value as CUE would print it.
func literalOf(n *Node) string {
	switch n.Kind {
	case KindString:
		return strconv.Quote(n.Str)
	case KindInt, KindFloat:
		return n.Str
	case KindBool:
		return strconv.FormatBool(n.Bool)
	case KindNull:
		return "null"
	}
	return n.Kind.String()
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
