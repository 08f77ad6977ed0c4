package graph

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

// Mermaid writes fams as a Mermaid flowchart, without a Markdown fence.
// The chart goes bottom to top, as a ladder is climbed: the most junior
// level of each track at the bottom, the families the ladder leads to
// above. site supplies the track order, the handbook URLs and the titles of
// families that are not drawn.
func Mermaid(w io.Writer, fams []*family.Family, site *render.Site) error {
	lad := build(fams, site)
	b := bufio.NewWriter(w)
	b.WriteString("flowchart BT\n")
	for _, f := range lad.families {
		if len(f.tracks) == 0 {
			fmt.Fprintf(b, "  %s[\"%s\"]\n", f.id, mermaidText(f.title))
			continue
		}
		fmt.Fprintf(b, "  subgraph %s [\"%s\"]\n", f.id, mermaidText(f.title))
		for _, t := range f.tracks {
			fmt.Fprintf(b, "    subgraph %s [\"%s\"]\n", t.id, mermaidText(t.name))
			for _, l := range t.levels {
				fmt.Fprintf(b, "      %s[\"%s\"]\n", l.id, mermaidLevel(l))
			}
			for i := 1; i < len(t.levels); i++ {
				fmt.Fprintf(b, "      %s --> %s\n", t.levels[i-1].id, t.levels[i].id)
			}
			b.WriteString("    end\n")
		}
		for _, e := range f.extends {
			fmt.Fprintf(b, "    %s -. %s .-> %s\n", e.from.id, e.label, e.to.id)
		}
		b.WriteString("  end\n")
	}
	for _, n := range lad.nexts {
		fmt.Fprintf(b, "  %s([\"%s\"])\n", n.id, mermaidText(n.label))
	}
	for _, l := range lad.links {
		to := ""
		if l.to != nil {
			to = l.to.id
		} else {
			to = l.next.id
		}
		fmt.Fprintf(b, "  %s -->|next| %s\n", l.from.id, to)
	}
	for _, n := range lad.nexts {
		if n.url != "" {
			fmt.Fprintf(b, "  click %s href \"%s\" _blank\n", n.id, n.url)
		}
	}
	return b.Flush()
}

func mermaidLevel(l *levelNode) string {
	s := mermaidText(l.title)
	if l.grade != nil {
		s += "<br/>grade " + strconv.Itoa(*l.grade)
	}
	return s
}

// mermaidText escapes s for a double-quoted Mermaid label. Letters, digits,
// spaces and punctuation that means nothing to Mermaid stay as they are;
// everything else becomes an entity code ("#quot;", "#35;"), which Mermaid
// turns into the character after parsing. That covers the quote that
// would end the label, "#" and ";" of entity codes themselves, "<" and ">"
// of HTML (labels are HTML), "%" of "%%{init}%%" directives, which Mermaid
// looks for anywhere in the text, backticks of Markdown strings, and
// brackets. Line breaks become spaces.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		switch {
		case r == '"':
			b.WriteString("#quot;")
		case r == '<':
			b.WriteString("#lt;")
		case r == '>':
			b.WriteString("#gt;")
		case r == '&':
			b.WriteString("#amp;")
		case r == ' ' || strings.ContainsRune(".,:-_/'!?+*=@$", r):
			b.WriteRune(r)
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r >= 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "#%d;", r)
		}
	}
	return b.String()
}
