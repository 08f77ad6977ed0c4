package check

import (
	"slices"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/suggest"
)

var ruleExtends = &Rule{
	ID:      "extends",
	Summary: "extends names an unknown level, the level itself, or a level whose grade is not lower",
	Family:  checkExtends,
}

// checkExtends makes "Extends the X responsibilities plus:" point at a real,
// more junior level of the same family.
func checkExtends(env *Env, f *family.Family, r *Reporter) {
	byID := make(map[string]*family.Level, len(f.Levels))
	ids := make([]string, 0, len(f.Levels))
	for _, l := range f.Levels {
		byID[l.ID] = l
		ids = append(ids, l.ID)
	}
	for _, l := range f.Levels {
		for _, ext := range []struct {
			kind string
			ref  family.Text
		}{
			{"responsibilities", l.Extends.Responsibilities},
			{"requirements", l.Extends.Requirements},
		} {
			if !ext.ref.Set() {
				continue
			}
			pos := ext.ref.Node.Pos
			target := byID[ext.ref.Value]
			switch {
			case ext.ref.Value == l.ID:
				r.Report(pos, "level %q extends its own %s: name a lower level of this family", l.ID, ext.kind)
			case target == nil:
				if s := suggest.Closest(ext.ref.Value, ids); s != "" {
					r.Report(pos, "level %q extends the %s of unknown level %q: did you mean %q?", l.ID, ext.kind, ext.ref.Value, s)
				} else {
					others := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == l.ID })
					r.Report(pos, "level %q extends the %s of unknown level %q: name one of %s", l.ID, ext.kind, ext.ref.Value, quoteList(others))
				}
			case l.Grade.Set() && target.Grade.Set() && target.Grade.Value >= l.Grade.Value:
				r.ReportRelated(pos, []diag.Pos{target.Grade.Node.Pos},
					"level %q (grade %d) extends the %s of %q (grade %d), which is not lower: extend a lower level",
					l.ID, l.Grade.Value, ext.kind, target.ID, target.Grade.Value)
			}
		}
	}
}
