package graph

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

// Dot writes fams as a Graphviz digraph, the same picture as Mermaid: a
// cluster per family and per track, bottom to top. Arrows between families
// start and end at the family's cluster (compound=true with ltail and
// lhead); the extends arrows do not take part in ranking, so that they do
// not pull a senior level below the level it extends.
func Dot(w io.Writer, fams []*family.Family, site *render.Site) error {
	lad := build(fams, site)
	b := bufio.NewWriter(w)
	b.WriteString("digraph jobfam {\n")
	b.WriteString("  rankdir=BT;\n")
	b.WriteString("  compound=true;\n")
	// With rankdir=BT, Graphviz puts cluster titles at the bottom unless
	// told "b", which it reads before flipping the picture.
	b.WriteString("  labelloc=b;\n")
	b.WriteString("  node [shape=box, style=rounded];\n")
	for _, f := range lad.families {
		if len(f.tracks) == 0 {
			fmt.Fprintf(b, "  %s [label=%s];\n", f.id, dotString(f.title))
			continue
		}
		fmt.Fprintf(b, "  subgraph cluster_%s {\n", f.id)
		fmt.Fprintf(b, "    label=%s;\n", dotString(f.title))
		for _, t := range f.tracks {
			fmt.Fprintf(b, "    subgraph cluster_%s {\n", t.id)
			fmt.Fprintf(b, "      label=%s;\n", dotString(t.name))
			for _, l := range t.levels {
				label := dotEscape(l.title)
				if l.grade != nil {
					label += `\ngrade ` + strconv.Itoa(*l.grade)
				}
				fmt.Fprintf(b, "      %s [label=\"%s\"];\n", l.id, label)
			}
			for i := 1; i < len(t.levels); i++ {
				fmt.Fprintf(b, "      %s -> %s;\n", t.levels[i-1].id, t.levels[i].id)
			}
			b.WriteString("    }\n")
		}
		for _, e := range f.extends {
			fmt.Fprintf(b, "    %s -> %s [style=dashed, label=%s, constraint=false];\n", e.from.id, e.to.id, dotString(e.label))
		}
		b.WriteString("  }\n")
	}
	for _, n := range lad.nexts {
		attrs := "shape=box, style=\"rounded,dashed\", label=" + dotString(n.label)
		if n.url != "" {
			attrs += ", URL=" + dotString(n.url) + ", target=\"_blank\""
		}
		fmt.Fprintf(b, "  %s [%s];\n", n.id, attrs)
	}
	for _, l := range lad.links {
		from, attrs := endpoint(l.from, "ltail")
		to := ""
		if l.to != nil {
			var head []string
			to, head = endpoint(l.to, "lhead")
			attrs = append(attrs, head...)
		} else {
			to = l.next.id
		}
		attrs = append(attrs, `label="next"`)
		fmt.Fprintf(b, "  %s -> %s [%s];\n", from, to, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.Flush()
}

// endpoint is the node an arrow to or from family f is attached to, and the
// attribute that clips it at the family's cluster: the most senior level
// for an arrow leaving, the first level for one arriving.
func endpoint(f *famNode, attr string) (string, []string) {
	if len(f.tracks) == 0 {
		return f.id, nil
	}
	n := f.top
	if attr == "lhead" {
		n = f.bottom
	}
	return n.id, []string{attr + "=cluster_" + f.id}
}

// dotString quotes s as a DOT string.
func dotString(s string) string {
	return `"` + dotEscape(s) + `"`
}

// dotEscape escapes s for the inside of a DOT quoted string: a backslash
// would start one of Graphviz's label escapes ("\N", "\l") or escape the
// closing quote, a quote would end the string, and a line break becomes a
// space, as in Mermaid.
func dotEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(oneLine(s))
}
