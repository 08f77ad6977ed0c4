package check

import (
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleBrackets = &Rule{
	ID:       "brackets",
	Summary:  "a text has an unbalanced parenthesis, bracket, brace or quote, or a Markdown link that is not closed",
	Severity: "warning",
	Family:   checkBrackets,
}

var closerOf = map[rune]rune{'(': ')', '[': ']', '{': '}', '“': '”'}

// bracketBytes are the bytes that start a character the rule reads.
var bracketBytes = [256]bool{'(': true, ')': true, '[': true, ']': true, '{': true, '}': true, '`': true, '"': true, 0xE2: true} // 0xE2 starts “ and ”.

// checkBrackets reads each text field on its own: a bracket opened in one
// bullet and closed in another is a mistake in both. Inline code is
// skipped, since it may hold anything.
func checkBrackets(env *Env, f *family.Family, r *Reporter) {
	for _, t := range f.TextFields() {
		checkBracketText(t, r)
	}
}

func checkBracketText(t family.Text, r *Reporter) {
	type open struct {
		ch rune
		at int
	}
	var stack []open
	straight := -1 // byte offset of an unpaired straight double quote
	s := t.Value
	inCode := false
	for i, c := range bracketRunes(s) {
		if c == '`' {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		switch c {
		case '(', '[', '{', '“':
			stack = append(stack, open{c, i})
		case ')', ']', '}', '”':
			if n := len(stack); c == ')' && (n == 0 || stack[n-1].ch != '(') && listMarker(s, i) {
				continue
			}
			if n := len(stack); n > 0 && closerOf[stack[n-1].ch] == c {
				stack = stack[:n-1]
				continue
			}
			if n := len(stack); n > 0 {
				o := stack[n-1]
				r.Report(posAt(t, o.at), "%q at %q is closed by %q: close it with %q", string(o.ch), excerpt(s, o.at), string(c), string(closerOf[o.ch]))
				return
			}
			r.Report(posAt(t, i), "%q at %q has no opening %q: add it or remove this one", string(c), excerpt(s, i), string(openerOf(c)))
			return
		case '"':
			if straight < 0 {
				straight = i
			} else {
				straight = -1
			}
		}
	}
	if n := len(stack); n > 0 {
		o := stack[0]
		if o.ch == '(' && o.at > 0 && s[o.at-1] == ']' {
			r.Report(posAt(t, o.at), "the Markdown link at %q is not closed: add %q after its URL", excerpt(s, o.at), ")")
			return
		}
		r.Report(posAt(t, o.at), "%q at %q is never closed: add %q or remove it", string(o.ch), excerpt(s, o.at), string(closerOf[o.ch]))
		return
	}
	if straight >= 0 {
		r.Report(posAt(t, straight), "the quote at %q is never closed: add the closing quote or remove this one", excerpt(s, straight))
	}
}

// bracketRunes yields the characters of s that the rule reads, with their
// offsets, as ranging over s would. It goes byte by byte to the next one:
// an ASCII character, or a curly double quote, whose first byte is never
// inside another UTF-8 sequence.
func bracketRunes(s string) iter.Seq2[int, rune] {
	return func(yield func(int, rune) bool) {
		for i := 0; i < len(s); i++ {
			b := s[i]
			if !bracketBytes[b] {
				continue
			}
			c := rune(b)
			if b >= utf8.RuneSelf {
				if c, _ = utf8.DecodeRuneInString(s[i:]); c != '“' && c != '”' {
					continue
				}
			}
			if !yield(i, c) {
				return
			}
		}
	}
}

func openerOf(c rune) rune {
	for o, cl := range closerOf {
		if cl == c {
			return o
		}
	}
	return c
}

// listMarker reports whether the ")" at i ends a list marker such as "1)"
// or "a)" at the start of a line or after a space: "a) one b) two".
func listMarker(s string, i int) bool {
	start := i
	for start > 0 && isAlnum(s[start-1]) {
		start--
	}
	if start == i || i-start > 2 {
		return false
	}
	return start == 0 || s[start-1] == ' ' || s[start-1] == '\n' || s[start-1] == '\t'
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// excerpt is the text from i to the end of its line, shortened, for
// findings to show where a character is.
func excerpt(s string, i int) string {
	e := s[i:]
	if nl := strings.IndexByte(e, '\n'); nl >= 0 {
		e = e[:nl]
	}
	return shorten(e)
}

// posAt returns the position of the byte at offset i of t's value in the
// file. The value and the literal as written differ by escapes and by the
// indentation of multi-line strings, so it finds the literal's occurrence
// of the rest of the line, counting repeats of it earlier in the value; it
// falls back to the literal's start when the text is not written verbatim.
func posAt(t family.Text, i int) diag.Pos {
	n := t.Node
	rest := t.Value[i:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	// The text starts after the literal's opening delimiter; in a
	// single-line "..." literal a double quote is written escaped.
	start := len(n.Raw) - len(strings.TrimLeft(n.Raw, `#"`))
	subs := []string{rest, strings.ReplaceAll(rest, `"`, `\"`)}
	if strings.HasPrefix(n.Raw, `"`) && !strings.HasPrefix(n.Raw, `"""`) {
		subs[0], subs[1] = subs[1], subs[0]
	}
	for _, sub := range subs {
		if sub == "" {
			continue
		}
		k := strings.Count(t.Value[:i], strings.ReplaceAll(sub, `\"`, `"`)) // occurrences before i
		raw, off := n.Raw, start
		for ; k >= 0; k-- {
			j := strings.Index(raw[off:], sub)
			if j < 0 {
				off = -1
				break
			}
			off += j
			if k > 0 {
				off += len(sub)
			}
		}
		if off < 0 {
			continue
		}
		p := n.Pos
		before := n.Raw[:off]
		if nl := strings.Count(before, "\n"); nl > 0 {
			p.Line += nl
			p.Col = off - strings.LastIndexByte(before, '\n')
		} else {
			p.Col += off
		}
		return p
	}
	return n.Pos
}
