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
	// Every alternative of notProse holds one of these triggers; most
	// bullets have none, and the pattern is the costly part of the
	// content rules. So the pattern runs only from a little before each
	// trigger to the end of the match it finds.
	//
	// No match starts before k: before its trigger, a match holds only
	// the letters of "https" or "ftp", or the characters before an "@"
	// ([\w.%+-]), so it starts in the run of those that ends at the first
	// trigger. The character before k is none of them, so it is not a
	// word character either, and \b at the start of s[k:] is \b at k in
	// s: the pattern matches s[k:] as it matches s from k. After a match,
	// the next is searched for from the next trigger in the same way,
	// unless the run before that trigger reaches back to the end of the
	// match and that end is a word character: there only the pattern over
	// the rest of s, as one search, knows what \b means.
	var b []byte
	from := 0 // b is final before from
	for from < len(s) {
		t := firstTrigger(s[from:])
		if t < 0 {
			break
		}
		k := from + t
		for k > from && addressByte(s[k-1]) {
			k--
		}
		if k == from && from > 0 && isWordByte(s[from-1]) {
			return proseAtOnce(s)
		}
		m := notProse.FindStringIndex(s[k:])
		if m == nil {
			break
		}
		if b == nil {
			b = []byte(s)
		}
		blankOut(b[k+m[0] : k+m[1]])
		from = k + m[1]
	}
	if b == nil {
		return s
	}
	return string(b)
}

// proseAtOnce is prose with one run of the pattern, from before the
// first trigger to the end of s.
func proseAtOnce(s string) string {
	k := firstTrigger(s)
	if k < 0 {
		return s
	}
	for k > 0 && addressByte(s[k-1]) {
		k--
	}
	return s[:k] + notProse.ReplaceAllStringFunc(s[k:], func(m string) string {
		b := []byte(m)
		blankOut(b)
		return string(b)
	})
}

// blankOut replaces every byte of b but line breaks by a space.
func blankOut(b []byte) {
	for i := range b {
		if b[i] != '\n' {
			b[i] = ' '
		}
	}
}

// firstTrigger returns the offset of the first character of s that an
// alternative of notProse needs: a backtick, "@", "{", "<", "](", "://" or
// "www.", or -1.
func firstTrigger(s string) int {
	// One pass, byte by byte to the first byte that may start a trigger.
	for i := 0; i < len(s); i++ {
		if !triggerStarts[s[i]] {
			continue
		}
		switch s[i] {
		case '`', '@', '{', '<':
			return i
		case ']':
			if strings.HasPrefix(s[i+1:], "(") {
				return i
			}
		case ':':
			if strings.HasPrefix(s[i+1:], "//") {
				return i
			}
		case 'w':
			if strings.HasPrefix(s[i+1:], "ww.") {
				return i
			}
		}
	}
	return -1
}

// triggerStarts holds the first bytes of the triggers.
var triggerStarts = [256]bool{'`': true, '@': true, '{': true, '<': true, ']': true, ':': true, 'w': true}

// addressByte reports whether c is in [\w.%+-]: what may come before an
// "@" in an e-mail address, and the letters of "https" and "ftp".
func addressByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '%' || c == '+' || c == '-'
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
