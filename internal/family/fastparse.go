package family

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"cuelang.org/go/cue/literal"

	"github.com/jobfam/jobfam/internal/diag"
)

// fastParse reads a family file written the way families are written
// (fields, quoted strings, decimal integers, booleans, null, structs, lists
// and // comments) straight into the Node tree and its suppressions,
// without CUE's scanner, parser and syntax tree, which take most of the
// time left once the precheck spares the evaluation.
//
// Like the precheck, it answers "read" or "not sure", never "wrong": on
// anything else, or anything it does not read exactly as CUE would (a
// package clause, a definition or hidden field, an optional or required
// marker, a raw or bytes string, an interpolation, a number in another
// notation, a carriage return, a value on the line after its field name,
// nesting past maxDepth, a syntax error), ok is false and the loader takes
// the file through CUE's parser as before, which also finds and words the
// errors. The tree it returns is the one that parser and fileNode build,
// positions included; tests compare the two on the corpus and by fuzzing.
func (b *builder) fastParse(src string) (root *Node, sups []Suppression, ok bool) {
	p := fastParser{b: b, src: src, line: 1}
	root = &Node{Kind: KindStruct, Pos: diag.Pos{File: b.file, Line: 1, Col: 1}}
	defer func() {
		// A slip of the reader must cost only the fast path.
		if recover() != nil {
			root, sups, ok = nil, nil, false
		}
	}()
	// CUE's scanner refuses broken UTF-8, NUL and a byte-order mark
	// after the start, and reads a carriage return as a line break: all
	// rare, all left to it.
	// (ContainsAny with a rune beyond ASCII would decode every rune of
	// the file for each.)
	if strings.IndexByte(src, '\r') >= 0 || strings.IndexByte(src, 0) >= 0 ||
		strings.Contains(src, "\uFEFF") || !utf8.ValidString(src) {
		return nil, nil, false
	}
	for {
		if !p.space(true) {
			return nil, nil, false
		}
		if p.i == len(p.src) {
			return root, p.sups, true
		}
		if !p.field(root, 1) || !p.separator(0) {
			return nil, nil, false
		}
	}
}

type fastParser struct {
	b    *builder
	src  string
	i    int // the next byte to read
	line int // the line of src[i]
	bol  int // the offset where that line begins
	sups []Suppression
}

// at is the position of the next byte.
func (p *fastParser) at() diag.Pos {
	return diag.Pos{File: p.b.file, Line: p.line, Col: p.i - p.bol + 1}
}

// space skips blanks and comments, and line breaks too when lines is true.
// It reports false on a byte CUE would not read as either here.
func (p *fastParser) space(lines bool) bool {
	for p.i < len(p.src) {
		switch c := p.src[p.i]; c {
		case ' ', '\t':
			p.i++
		case '\n':
			if !lines {
				return true
			}
			p.newline()
		case '/':
			if !strings.HasPrefix(p.src[p.i:], "//") {
				return false
			}
			p.comment()
		default:
			return true
		}
	}
	return true
}

func (p *fastParser) newline() {
	p.i++
	p.line, p.bol = p.line+1, p.i
}

// comment reads a // comment up to the end of its line, keeping it when
// it is a suppression.
func (p *fastParser) comment() {
	pos := p.at()
	end := strings.IndexByte(p.src[p.i:], '\n')
	if end < 0 {
		end = len(p.src) - p.i
	}
	if s, ok := suppressionIn(p.src[p.i:p.i+end], pos); ok {
		p.sups = append(p.sups, s)
	}
	p.i += end
}

// separator reads what may follow an element of a struct or list (or of
// the file, when closing is 0): blanks and a comment, then a comma, a line
// break, the closing bracket or the end of the file.
func (p *fastParser) separator(closing byte) bool {
	if !p.space(false) {
		return false
	}
	if p.i == len(p.src) {
		return closing == 0
	}
	switch c := p.src[p.i]; {
	case c == ',':
		p.i++
		return true
	case c == '\n':
		return true
	case c == closing && closing != 0:
		return true
	}
	return false
}

// field reads "label: value", where value may be another "label: value",
// and merges it into parent. depth is that of the value, as fileNode
// counts it.
func (p *fastParser) field(parent *Node, depth int) bool {
	name, pos, ok := p.label()
	if !ok {
		return false
	}
	if depth > maxDepth {
		return false
	}
	var v *Node
	if p.labelNext() {
		// "a: b: 1" is a struct holding b, which starts where b does.
		v = &Node{Kind: KindStruct, Pos: p.at()}
		if !p.field(v, depth+1) {
			return false
		}
	} else if v = p.value(depth); v == nil {
		return false
	}
	p.b.merge(parent, &Field{Name: name, Pos: pos, Value: v})
	return true
}

// label reads a field name and its colon, and the blanks after it.
func (p *fastParser) label() (name string, pos diag.Pos, ok bool) {
	pos = p.at()
	if p.i < len(p.src) && p.src[p.i] == '"' {
		raw, ok := p.quoted()
		if !ok || strings.HasPrefix(raw, `"""`) {
			return "", pos, false
		}
		s, err := literal.Unquote(raw)
		if err != nil {
			return "", pos, false
		}
		name = s
	} else {
		start := p.i
		for p.i < len(p.src) && isIdentByte(p.src[p.i], p.i == start) {
			p.i++
		}
		name = p.src[start:p.i]
		if name == "" || keywords[name] {
			return "", pos, false
		}
	}
	for p.i < len(p.src) && (p.src[p.i] == ' ' || p.src[p.i] == '\t') {
		p.i++
	}
	// "a::", "a?:" and "a!:" are not data fields.
	if p.i >= len(p.src) || p.src[p.i] != ':' || strings.HasPrefix(p.src[p.i:], "::") {
		return "", pos, false
	}
	p.i++
	for p.i < len(p.src) && (p.src[p.i] == ' ' || p.src[p.i] == '\t') {
		p.i++
	}
	return name, pos, true
}

// keywords are identifiers that CUE may read as something other than a
// field name at the start of a declaration.
var keywords = map[string]bool{
	"package": true, "import": true, "for": true, "in": true, "if": true,
	"let": true, "true": true, "false": true, "null": true,
}

// isIdentByte reports whether c may be part of a field name read by the
// fast path: ASCII letters, and digits and "_" after the first.
func isIdentByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return true
	case '0' <= c && c <= '9', c == '_':
		return !first
	}
	return false
}

// labelNext reports whether a field name and a colon come next: the value
// of "a: b: 1" is a struct.
func (p *fastParser) labelNext() bool {
	save := *p
	_, _, ok := p.label()
	*p = save
	return ok
}

// value reads a value at depth, or returns nil.
func (p *fastParser) value(depth int) *Node {
	if depth > maxDepth || p.i >= len(p.src) {
		return nil
	}
	n := &Node{Pos: p.at()}
	switch c := p.src[p.i]; {
	case c == '{':
		p.i++
		n.Kind = KindStruct
		for {
			if !p.space(true) || p.i == len(p.src) {
				return nil
			}
			if p.src[p.i] == '}' {
				p.i++
				return n
			}
			if !p.field(n, depth+1) || !p.separator('}') {
				return nil
			}
		}
	case c == '[':
		p.i++
		n.Kind = KindList
		for {
			if !p.space(true) || p.i == len(p.src) {
				return nil
			}
			if p.src[p.i] == ']' {
				p.i++
				return n
			}
			v := p.value(depth + 1)
			if v == nil || !p.separator(']') {
				return nil
			}
			n.List = append(n.List, v)
		}
	case c == '"':
		raw, ok := p.quoted()
		if !ok {
			return nil
		}
		s, err := unquote(raw)
		if err != nil {
			return nil
		}
		n.Kind, n.Str, n.Raw = KindString, s, raw
		return n
	case c == '-' || '0' <= c && c <= '9':
		return p.number(n)
	default:
		start := p.i
		for p.i < len(p.src) && isIdentByte(p.src[p.i], p.i == start) {
			p.i++
		}
		switch p.src[start:p.i] {
		case "true", "false":
			n.Kind, n.Bool = KindBool, p.src[start] == 't'
			return n
		case "null":
			n.Kind = KindNull
			return n
		}
		return nil
	}
}

// number reads a decimal integer, with a minus sign or not, into n.
func (p *fastParser) number(n *Node) *Node {
	start := p.i
	if p.src[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.src) && '0' <= p.src[p.i] && p.src[p.i] <= '9' {
		p.i++
	}
	// Other notations (0x10, 1_000, 1e3, 1Ki, 7.5) and leading zeros are
	// left to CUE, and so is a number that does not fit in int64.
	if p.i == digits || p.i-digits > 1 && p.src[digits] == '0' {
		return nil
	}
	if p.i < len(p.src) && (isIdentByte(p.src[p.i], false) || p.src[p.i] == '.') {
		return nil
	}
	v, err := strconv.ParseInt(p.src[start:p.i], 10, 64)
	if err != nil {
		return nil
	}
	// The text is CUE's, as literal gives it to fileNode ("-" for -0).
	var ni literal.NumInfo
	if literal.ParseNum(p.src[start:p.i], &ni) != nil || !ni.IsInt() {
		return nil
	}
	n.Kind, n.Str, n.Int = KindInt, ni.String(), v
	return n
}

// quoted reads a double-quoted string literal, single-line or """
// multi-line, and returns it as written. An interpolation, "\(", is not
// plain data, and is left to CUE.
// unquote is literal.Unquote, without its check of every character when
// a one-line string holds no escape: the text between the quotes is then
// the value, since the source was checked for NUL bytes and invalid UTF-8
// before parsing began (literal.Unquote's other reasons to look closer).
func unquote(raw string) (string, error) {
	if len(raw) >= 2 && !strings.HasPrefix(raw, `"""`) && strings.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1], nil
	}
	return literal.Unquote(raw)
}

func (p *fastParser) quoted() (string, bool) {
	start := p.i
	multi := strings.HasPrefix(p.src[p.i:], `"""`)
	if multi {
		// The opening quotes must end their line.
		if !strings.HasPrefix(p.src[p.i+3:], "\n") {
			return "", false
		}
		p.i += 3
		p.newline()
	} else {
		p.i++
		// Most strings hold neither an escape nor a line break: then the
		// first quote ends them, and three searches of a few bytes at a
		// time find it where the loop below reads byte by byte.
		rest := p.src[p.i:]
		if j := strings.IndexByte(rest, '"'); j >= 0 && strings.IndexByte(rest[:j], '\\') < 0 && strings.IndexByte(rest[:j], '\n') < 0 {
			p.i += j + 1
			return p.src[start:p.i], true
		}
	}
	for p.i < len(p.src) {
		switch c := p.src[p.i]; c {
		case '\\':
			if p.i+1 >= len(p.src) || p.src[p.i+1] == '(' || p.src[p.i+1] == '\n' {
				return "", false
			}
			p.i += 2
		case '\n':
			if !multi {
				return "", false
			}
			p.newline()
		case '"':
			if !multi {
				p.i++
				return p.src[start:p.i], true
			}
			if strings.HasPrefix(p.src[p.i:], `"""`) {
				// Only spaces and tabs may come before the closing
				// quotes on their line; CUE's reading of anything else
				// (a form feed, say) is left to CUE.
				line := p.src[strings.LastIndexByte(p.src[:p.i], '\n')+1 : p.i]
				if strings.Trim(line, " \t") != "" {
					return "", false
				}
				p.i += 3
				return p.src[start:p.i], true
			}
			p.i++
		default:
			p.i++
		}
	}
	return "", false
}

// suppressionIn reads a "// jobfam:ignore <rule> <reason>" comment,
// written at pos.
func suppressionIn(comment string, pos diag.Pos) (Suppression, bool) {
	text := strings.TrimSpace(strings.TrimPrefix(comment, "//"))
	rest, ok := strings.CutPrefix(text, suppressionPrefix)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return Suppression{}, false
	}
	rule, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
	return Suppression{Pos: pos, Rule: rule, Reason: strings.TrimSpace(reason)}, true
}
