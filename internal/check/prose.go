package check

import (
	"regexp"
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// notProse matches what the content rules do not read as words: fenced
// code blocks, code spans, link targets, URLs, e-mail addresses, HTML tags
// and Hugo shortcodes. A misspelt identifier or a word inside an address
// is not the writer's to correct.
var notProse = regexp.MustCompile("(?s)```.*?(```|$)" +
	"|`[^`\n]*`" +
	`|\]\([^)\s]*\)` +
	`|\b(?:https?|ftp)://[^\s<>"` + "`" + `]*` +
	`|\bwww\.[^\s<>"` + "`" + `]*` +
	`|[\w.%+-]+@[\w-]+(?:\.[\w-]+)+` +
	`|\{\{[<%].*?[>%]\}\}` +
	`|</?[a-zA-Z][^>\n]*>`)

// prose returns s with everything that is not prose blanked out by
// spaces, keeping byte offsets and line breaks, so that an offset in the
// result is one in s.
func prose(s string) string {
	// Every alternative of notProse needs one of these; most bullets have
	// none, and the pattern is the costly part of the content rules.
	if !strings.ContainsAny(s, "`@{<") && !strings.Contains(s, "](") && !strings.Contains(s, "://") && !strings.Contains(s, "www.") {
		return s
	}
	return notProse.ReplaceAllStringFunc(s, func(m string) string {
		b := []byte(m)
		for i := range b {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
		return string(b)
	})
}

// wordPos returns the position in the family file of the whole word or
// phrase w found at byte offset off of t's value. The value may differ
// from the literal as written (escapes, the indentation of a multi-line
// string), so w is located as the same occurrence of it in the literal;
// when it is not there verbatim the position is the literal's.
func wordPos(t family.Text, off int, w string) diag.Pos {
	n := t.Node
	k := len(wholeIndexes(t.Value[:off], w))
	idx := wholeIndexes(n.Raw, w)
	if k >= len(idx) {
		return n.Pos
	}
	i := idx[k]
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

// wholeIndexes returns the offsets in s where w occurs as a whole word.
func wholeIndexes(s, w string) []int {
	var out []int
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return out
		}
		i += from
		if !wordByte(s, i-1) && !wordByte(s, i+len(w)) {
			out = append(out, i)
		}
		from = i + 1
	}
}

// wordByte reports whether s[i] exists and continues a word.
func wordByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c == '_' || c == '\'' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// alternatives joins suggestions for a message: "a", "a" or "b", "a", "b"
// or "c".
func alternatives(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = `"` + v + `"`
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
