package check

import (
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleDuplicate = &Rule{
	ID:         "duplicate",
	Summary:    "two levels of one family, or two families, have the same title",
	Family:     checkDuplicateLevels,
	Repository: checkDuplicateFamilies,
}

// checkDuplicateLevels reports a level whose title an earlier level of the
// same family already has: the handbook page would have two identical
// headings, and links to the second would land on the first.
func checkDuplicateLevels(env *Env, f *family.Family, r *Reporter) {
	seen := map[string]*family.Level{}
	for _, l := range f.Levels {
		if !l.Title.Set() || blank(l.Title.Value) {
			continue
		}
		key := titleKey(l.Title.Value)
		if first, ok := seen[key]; ok {
			r.ReportRelated(l.Title.Node.Pos, []diag.Pos{first.Title.Node.Pos},
				"level %q has the same title %q as level %q: give each level its own title", l.ID, l.Title.Value, first.ID)
			continue
		}
		seen[key] = l
	}
}

// checkDuplicateFamilies reports a family whose title an earlier family
// (in id order) already has.
func checkDuplicateFamilies(env *Env, fams []family.Header, r *Reporter) {
	seen := map[string]family.Header{}
	for _, f := range fams {
		if !f.Title.Set() || blank(f.Title.Value) {
			continue
		}
		key := titleKey(f.Title.Value)
		if first, ok := seen[key]; ok {
			r.ReportRelated(f.Title.Node.Pos, []diag.Pos{first.Title.Node.Pos},
				"family title %q is also the title of %q: give each family its own title", f.Title.Value, first.ID)
			continue
		}
		seen[key] = f
	}
}

// titleKey compares titles as a reader would: ignoring case and spacing.
func titleKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
