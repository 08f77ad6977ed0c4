package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/graph"
	"github.com/jobfam/jobfam/internal/render"
)

func graphCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "graph",
		Usage:     "draw the families' ladders as a Mermaid or Graphviz diagram",
		ArgsUsage: "[DIR]",
		Description: `Prints a diagram of the families under DIR (default: families): a box per
family, a column per track, a node per level with its grade, arrows from
junior to senior levels, dashed arrows from a level to the level it extends,
and an arrow to each family the career ladder leads to, linked to its
handbook page.

--format mermaid (the default) prints a Mermaid flowchart without a Markdown
fence: put it in a ` + "```mermaid" + ` block and GitHub draws it. --format dot
prints Graphviz DOT, for 'dot -Tsvg'.

The diagram shows what the families say, errors included: graph does not
validate. A family file that cannot be read as data at all is left out,
with a note on stderr; run 'jobfam validate' for why.

Examples:
  jobfam graph
  jobfam graph --family finance/manager-it
  jobfam graph --format dot | dot -Tsvg > ladders.svg

Exit codes: 0 drawn, 2 usage or load failure.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "mermaid", Usage: "print the diagram as `FORMAT`: mermaid or dot"},
			&ucli.StringSliceFlag{Name: "family", Usage: "draw only the family with this `ID` (repeatable)"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
		},
		Action: runGraph,
	}
}

func runGraph(c *ucli.Context) error {
	var draw func(w io.Writer, fams []*family.Family, site *render.Site) error
	switch format := c.String("format"); format {
	case "mermaid":
		draw = graph.Mermaid
	case "dot":
		draw = graph.Dot
	default:
		return usagef(c, "unknown graph format %q: use mermaid or dot", format)
	}
	dir, err := folderArg(c)
	if err != nil {
		return err
	}
	s, err := family.LoadSchema(schemaDir(c.String("schema"), dir))
	if err != nil {
		return err
	}
	res, err := family.Load(c.Context, dir, s)
	if err != nil {
		return err
	}
	// A family whose file could not be read as data has no model to
	// draw; one with schema errors has, and is drawn as it is.
	loaded := make(map[string]bool, len(res.Families))
	for _, f := range res.Families {
		loaded[f.ID] = true
	}
	var failed []string
	for id := range res.IDs {
		if !loaded[id] {
			failed = append(failed, id)
		}
	}
	slices.Sort(failed)
	for _, id := range c.StringSlice("family") {
		if slices.Contains(failed, id) {
			return fmt.Errorf("family %q could not be loaded: run 'jobfam validate' for why", id)
		}
	}
	if len(res.Families) == 0 {
		return errors.New("no family could be loaded: run 'jobfam validate' for why")
	}
	fams, err := selectFamilies(c, res.Families)
	if err != nil {
		return err
	}
	if len(c.StringSlice("family")) == 0 {
		for _, id := range failed {
			fmt.Fprintf(c.App.ErrWriter, "jobfam: note: family %q could not be loaded and is not drawn: run 'jobfam validate' for why\n", id)
		}
	}
	return draw(c.App.Writer, fams, render.NewSite(&s.Policy, res.Families))
}
