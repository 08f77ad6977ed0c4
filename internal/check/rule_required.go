package check

import (
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleRequired = &Rule{
	ID:      "required",
	Summary: "a section or field that the policy requires is missing or empty",
	Family:  checkRequired,
}

// checkRequired reads which fields are required from the policy, so that
// an organisation decides, in schema/policy.cue, what every family must
// have. Items of lists are checked too: a performance indicator needs a
// title, and a section a heading or a body.
func checkRequired(env *Env, f *family.Family, r *Reporter) {
	top := diag.Pos{File: f.File, Line: 1, Col: 1}
	for _, name := range env.Policy.Required.Family {
		requireField(r, f.Root, name, top, "the family")
	}
	for _, l := range f.Levels {
		for _, name := range env.Policy.Required.Level {
			requireField(r, l.Node, name, l.Pos, "level "+quote(l.ID))
		}
	}
	for i, pi := range f.PerformanceIndicators {
		if !pi.Title.Set() || blank(pi.Title.Value) {
			r.Report(itemPos(f.Root, "performanceIndicators", i), "performance indicator %d has no title: add one", i+1)
		}
	}
	checkSections := func(secs []family.Section, list *family.Node) {
		for i, s := range secs {
			if (!s.Heading.Set() || blank(s.Heading.Value)) && (!s.Body.Set() || blank(s.Body.Value)) {
				r.Report(list.List[i].Pos, "section %d has neither a heading nor a body: fill it in or remove it", i+1)
			}
		}
	}
	checkSections(f.Sections, f.Root.Get("sections"))
	for _, l := range f.Levels {
		checkSections(l.Sections, l.Node.Get("sections"))
	}
}

func requireField(r *Reporter, parent *family.Node, name string, at diag.Pos, where string) {
	v := parent.Get(name)
	if v == nil {
		r.Report(at, "%s has no %q: add it, the policy requires it", where, name)
		return
	}
	if empty(v) {
		r.Report(v.Pos, "%q of %s is empty: fill it in, the policy requires it", name, where)
	}
}

func empty(n *family.Node) bool {
	switch n.Kind {
	case family.KindString:
		return blank(n.Str)
	case family.KindList:
		return len(n.List) == 0
	case family.KindStruct:
		return len(n.Fields) == 0
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func itemPos(root *family.Node, list string, i int) diag.Pos {
	if l := root.Get(list); l != nil && l.Kind == family.KindList && i < len(l.List) {
		return l.List[i].Pos
	}
	return root.Pos
}
