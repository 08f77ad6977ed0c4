package check

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleDuplicateItem = &Rule{
	ID:       "duplicate-item",
	Summary:  "a list repeats one of its bullets, or a level repeats a bullet of the level it extends",
	Severity: "warning",
	Family:   checkDuplicateItem,
}

// checkDuplicateItem finds bullets that a reader meets twice: twice in one
// list, which is usually a copy-and-paste slip, or in a level and again in
// the level whose list it extends, where the page already shows it under
// "Extends the ... plus:".
func checkDuplicateItem(env *Env, f *family.Family, r *Reporter) {
	// Each bullet's key, computed once: a level's bullets are compared
	// within their list and again with every level that extends them.
	keys := itemKeys{}
	for _, l := range f.Levels {
		dupInList(r, l.Responsibilities, keys.of(l.Responsibilities), "responsibility", l)
		dupInList(r, l.Requirements, keys.of(l.Requirements), "requirement", l)
	}
	dupInList(r, f.HiringProcess.Steps, itemKeysOf(f.HiringProcess.Steps), "hiring step", nil)
	var indicators []family.Text
	for _, pi := range f.PerformanceIndicators {
		indicators = append(indicators, pi.Title)
	}
	dupInList(r, indicators, itemKeysOf(indicators), "performance indicator", nil)

	byID := make(map[string]*family.Level, len(f.Levels))
	for _, l := range f.Levels {
		byID[l.ID] = l
	}
	for _, l := range f.Levels {
		dupExtended(r, byID, keys, l, "responsibility", "responsibilities",
			func(l *family.Level) family.Text { return l.Extends.Responsibilities },
			func(l *family.Level) []family.Text { return l.Responsibilities })
		dupExtended(r, byID, keys, l, "requirement", "requirements",
			func(l *family.Level) family.Text { return l.Extends.Requirements },
			func(l *family.Level) []family.Text { return l.Requirements })
	}
}

// itemKeys holds the keys of lists of bullets, by the list's first element
// and length: lists that share both are the same list.
type itemKeys map[listID][]string

type listID struct {
	first *family.Text
	n     int
}

// of returns the keys of items, computing them the first time.
func (k itemKeys) of(items []family.Text) []string {
	if len(items) == 0 {
		return nil
	}
	id := listID{&items[0], len(items)}
	if keys, ok := k[id]; ok {
		return keys
	}
	keys := itemKeysOf(items)
	k[id] = keys
	return keys
}

func itemKeysOf(items []family.Text) []string {
	keys := make([]string, len(items))
	var buf []byte
	for i, it := range items {
		buf = appendItemKey(buf[:0], it.Value)
		keys[i] = string(buf)
	}
	return keys
}

// dupInList reports every item that repeats an earlier item of items;
// keys holds their itemKey. level is the level whose list it is, if any.
func dupInList(r *Reporter, items []family.Text, keys []string, kind string, level *family.Level) {
	seen := map[string]int{}
	for i, it := range items {
		key := keys[i]
		if key == "" {
			continue
		}
		if j, ok := seen[key]; ok {
			// Formatted only for a finding: most lists have none.
			of := ""
			if level != nil {
				of = fmt.Sprintf(" of level %q", level.ID)
			}
			r.ReportRelated(it.Node.Pos, []diag.Pos{items[j].Node.Pos},
				"%s %d%s repeats %s %d, %q: remove one of them", kind, i+1, of, kind, j+1, shorten(items[j].Value))
			continue
		}
		seen[key] = i
	}
}

// dupExtended reports the items of l that a level it extends, directly or
// through others, already lists.
func dupExtended(r *Reporter, byID map[string]*family.Level, keys itemKeys, l *family.Level, kind, plural string,
	ext func(*family.Level) family.Text, items func(*family.Level) []family.Text) {
	type origin struct {
		level *family.Level
		item  family.Text
	}
	inherited := map[string]origin{}
	visited := map[string]bool{l.ID: true}
	for t := byID[ext(l).Value]; ext(l).Set() && t != nil && !visited[t.ID]; {
		visited[t.ID] = true
		for i, key := range keys.of(items(t)) {
			if key != "" {
				if _, ok := inherited[key]; !ok {
					inherited[key] = origin{t, items(t)[i]}
				}
			}
		}
		if !ext(t).Set() {
			break
		}
		t = byID[ext(t).Value]
	}
	if len(inherited) == 0 {
		return
	}
	for i, key := range keys.of(items(l)) {
		o, ok := inherited[key]
		if !ok {
			continue
		}
		r.ReportRelated(items(l)[i].Node.Pos, []diag.Pos{o.item.Node.Pos},
			"level %q repeats %s %q of level %q, whose %s it extends: remove it here", l.ID, kind, shorten(o.item.Value), o.level.ID, plural)
	}
}

// itemKey compares bullets as a reader would: ignoring case, spacing and
// the punctuation that ends them.
func itemKey(s string) string {
	return string(appendItemKey(nil, s))
}

// appendItemKey appends the itemKey of s to b: a list's keys are made in
// one buffer.
func appendItemKey(b []byte, s string) []byte {
	// One pass, copying runs of plain ASCII at once: the rule keys every
	// bullet of every family, so this is most of its time.
	b = slices.Grow(b, len(s))
	base := len(b)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if unicode.IsSpace(r) {
				space = len(b) > base
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = utf8.AppendRune(b, unicode.ToLower(r))
			continue
		}
		switch keyClass[c] {
		case keySpace:
			space = len(b) > base
			i++
			continue
		case keyUpper:
			c += 'a' - 'A'
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
		// The plain bytes that follow, and single spaces between them,
		// stay as they are.
		j := i + 1
		for j < len(s) {
			if keyClass[s[j]] == keyPlain {
				j++
			} else if s[j] == ' ' && j+1 < len(s) && keyClass[s[j+1]] == keyPlain {
				j += 2
			} else {
				break
			}
		}
		b = append(b, s[i+1:j]...)
		i = j
	}
	// Without the punctuation and spaces that end it.
	n := len(b)
	for n > base && strings.IndexByte(".,;:!? ", b[n-1]) >= 0 {
		n--
	}
	return b[:n]
}

// Classes of bytes for itemKey. Bytes beyond ASCII are keyOther.
const (
	keyPlain = iota
	keySpace
	keyUpper
	keyOther
)

var keyClass = func() (k [256]uint8) {
	for c := utf8.RuneSelf; c < 256; c++ {
		k[c] = keyOther
	}
	for _, c := range " \t\n\r\v\f" {
		k[c] = keySpace
	}
	for c := 'A'; c <= 'Z'; c++ {
		k[c] = keyUpper
	}
	return k
}()

// shorten keeps quoted bullets in findings readable.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
