package importmd

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// frontMatter is a page's leading YAML block, split by hand: title and
// description are read as YAML scalars, every other line is kept as
// written.
type frontMatter struct {
	title, description string
	hasTitle, hasDesc  bool
	// titleLine and descLine are the 1-based lines of the keys.
	titleLine, descLine int
	// rest holds the other lines, verbatim, joined by newlines.
	rest string
	// end is the offset of the first byte after the closing line.
	end int
	// unread lists keys whose value is not a single-line string, kept in
	// rest, with their lines.
	unread []keyLine
}

type keyLine struct {
	key  string
	line int
}

// splitFrontMatter reads the block between a first line "---" and the next
// line "---" (or "..."). A page without one, or with one that is never
// closed, has none: its text is all Markdown.
func splitFrontMatter(src []byte) frontMatter {
	var fm frontMatter
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.Equal(src, []byte("---")) {
		return fm
	}
	lines := strings.SplitAfter(string(src), "\n")
	closing := -1
	for i := 1; i < len(lines); i++ {
		if l := strings.TrimRight(lines[i], " \t\n"); l == "---" || l == "..." {
			closing = i
			break
		}
	}
	if closing < 0 {
		return fm
	}
	for i := 0; i <= closing; i++ {
		fm.end += len(lines[i])
	}
	body := lines[1:closing]
	var rest []string
	for i := 0; i < len(body); {
		// A top-level key starts at column 1; the lines after it that are
		// indented or blank belong to its value.
		j := i + 1
		if isTopKey(body[i]) {
			for j < len(body) && !isTopKey(body[j]) && !strings.HasPrefix(body[j], "#") {
				j++
			}
		}
		entry := body[i:j]
		key := topKey(body[i])
		line := i + 2
		switch key {
		case "title", "description":
			if v, ok := scalar(entry); ok && (key == "title" && !fm.hasTitle || key == "description" && !fm.hasDesc) {
				if key == "title" {
					fm.title, fm.hasTitle, fm.titleLine = v, true, line
				} else {
					fm.description, fm.hasDesc, fm.descLine = v, true, line
				}
				i = j
				continue
			}
			fm.unread = append(fm.unread, keyLine{key, line})
		}
		for _, l := range entry {
			rest = append(rest, strings.TrimSuffix(l, "\n"))
		}
		i = j
	}
	// Blank lines at the ends carry nothing.
	for len(rest) > 0 && strings.TrimSpace(rest[0]) == "" {
		rest = rest[1:]
	}
	for len(rest) > 0 && strings.TrimSpace(rest[len(rest)-1]) == "" {
		rest = rest[:len(rest)-1]
	}
	fm.rest = strings.Join(rest, "\n")
	return fm
}

func isTopKey(l string) bool {
	return topKey(l) != ""
}

// topKey returns the key of a line "key: ..." that starts at column 1.
func topKey(l string) string {
	if l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '-' {
		return ""
	}
	i := strings.Index(l, ":")
	if i <= 0 {
		return ""
	}
	k := l[:i]
	if strings.ContainsAny(k, " \t\"'{}[]") {
		return ""
	}
	return k
}

// scalar decodes the value of a one-key YAML entry; ok is false unless it
// is a string of one line that is not empty.
func scalar(entry []string) (string, bool) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(entry, "")), &n); err != nil {
		return "", false
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) != 1 {
		return "", false
	}
	m := n.Content[0]
	if m.Kind != yaml.MappingNode || len(m.Content) != 2 {
		return "", false
	}
	v := m.Content[1]
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Alias != nil {
		return "", false
	}
	s := strings.TrimSpace(v.Value)
	if s == "" || strings.ContainsAny(s, "\n\r") {
		return "", false
	}
	return s, true
}
