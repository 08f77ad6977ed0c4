package check

import (
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleGradeOrder = &Rule{
	ID:      "grade-order",
	Summary: "along a track, in declared order, a level's grade is not above the grade of the level before it",
	Family:  checkGradeOrder,
}

// checkGradeOrder compares each level with the previous level on the same
// track: levels are declared in seniority order, so a grade that does not
// rise is either a typo in the grade or a level in the wrong place. Levels
// without a valid grade are skipped (required or schema reports them).
func checkGradeOrder(env *Env, f *family.Family, r *Reporter) {
	prev := map[string]*family.Level{}
	for _, l := range f.Levels {
		if !l.Grade.Set() {
			continue
		}
		if p := prev[l.Track.Value]; p != nil && l.Grade.Value <= p.Grade.Value {
			r.ReportRelated(l.Grade.Node.Pos, []diag.Pos{p.Grade.Node.Pos},
				"grade %d of %q is not above grade %d of %q on the %s track: levels are listed from junior to senior, so correct the grade or the order of the levels",
				l.Grade.Value, levelName(l), p.Grade.Value, levelName(p), l.Track.Value)
		}
		prev[l.Track.Value] = l
	}
}

// levelName is how findings name a level: its title, or its id when it has
// no title.
func levelName(l *family.Level) string {
	if l.Title.Set() && !blank(l.Title.Value) {
		return l.Title.Value
	}
	return l.ID
}
