// Package approval applies the approval rules of the policy
// (policy.approvals) to a pull request: which kinds of change it makes
// (Changes), which rules those changes trigger (Triggered), and whether the
// reviews of the pull request's head commit meet them (Evaluate). It is
// pure logic over the semantic diff of internal/famdiff and a small
// GitHub interface, so that `jobfam approvals`, the Action and
// `jobfam publish --require-approval` share one answer and cannot
// disagree.
package approval

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family"
)

// The kinds of change a rule's when lists. They partition what famdiff
// reports, except KindGrade, which is about pay: see Changes.
const (
	KindGrade         = "grade"
	KindTitle         = "title"
	KindTrack         = "track"
	KindLevelAdded    = "level-added"
	KindLevelRemoved  = "level-removed"
	KindFamilyAdded   = "family-added"
	KindFamilyRemoved = "family-removed"
	KindContent       = "content"
	KindPolicy        = "policy"
	// KindAny is every kind above.
	KindAny = "any"
)

// Kinds lists the kinds of change, KindAny last, in the order of the
// docs: the list family.LoadSchema checks the policy's rules against.
var Kinds = family.ChangeKinds

// Change is one change of one kind, to one family or, for KindPolicy, to
// the schema folder.
type Change struct {
	Kind string `json:"kind"`
	// Family is the family's id; "" for a change of the policy.
	Family string `json:"family,omitempty"`
	// What says what changed, in a few words, such as
	// `grade of level "senior" 7 → 8`.
	What string `json:"what"`
}

// Changes lists the changes of a pull request, family by family in the
// order of diffs (famdiff.Families sorts them by id), then the changes of
// the schema folder by file name.
//
// diffs are famdiff's, so that a rule sees exactly what `jobfam diff`
// shows: a change to comments or formatting alone is no change. A grade
// change is a KindGrade change, and so is a level with a grade added or
// removed, alone or with its family, since each changes pay (as
// famdiff.HasGradeChanges says); such a level is also a KindLevelAdded or
// KindLevelRemoved change when its family stays, while a family added or
// removed is one KindFamilyAdded or KindFamilyRemoved change. Whatever
// else famdiff reports (descriptions, responsibilities, requirements,
// intros, sections, indicators, ladders, hiring, aliases, front matter,
// even a new order of items) is KindContent.
//
// oldSchema and newSchema are the schema folder's files, by name, at the
// pull request's base and head. Only *.cue files count, as jobfam reads
// only those; a file's comments and formatting do not: it is compared
// parsed without comments and formatted anew. A file that does not parse
// at either end is an error.
func Changes(diffs []famdiff.FamilyDiff, oldSchema, newSchema map[string][]byte) ([]Change, error) {
	var out []Change
	for _, d := range diffs {
		out = append(out, familyChanges(d)...)
	}
	pc, err := policyChanges(oldSchema, newSchema)
	if err != nil {
		return nil, err
	}
	return append(out, pc...), nil
}

func familyChanges(d famdiff.FamilyDiff) []Change {
	var out []Change
	add := func(kind, what string) {
		out = append(out, Change{Kind: kind, Family: d.ID, What: what})
	}
	switch d.Status {
	case famdiff.Added:
		add(KindFamilyAdded, "family added")
	case famdiff.Removed:
		add(KindFamilyRemoved, "family removed")
	}
	for _, g := range d.Grades {
		add(KindGrade, fmt.Sprintf("grade of level %q %s → %s", g.Level, gradeText(g.Before), gradeText(g.After)))
	}
	for _, l := range d.LevelsAdded {
		if l.Grade != nil {
			add(KindGrade, fmt.Sprintf("level %q added at grade %d", l.ID, *l.Grade))
		}
	}
	for _, l := range d.LevelsRemoved {
		if l.Grade != nil {
			add(KindGrade, fmt.Sprintf("level %q removed, grade %d", l.ID, *l.Grade))
		}
	}
	if d.Status == famdiff.Changed {
		for _, l := range d.LevelsAdded {
			add(KindLevelAdded, fmt.Sprintf("level %q added", l.ID))
		}
		for _, l := range d.LevelsRemoved {
			add(KindLevelRemoved, fmt.Sprintf("level %q removed", l.ID))
		}
	}
	if c := d.TitleChange; c != nil {
		add(KindTitle, fmt.Sprintf("title %q → %q", c.Before, c.After))
	}
	for _, l := range d.Levels {
		if c := l.TitleChange; c != nil {
			add(KindTitle, fmt.Sprintf("title of level %q %q → %q", l.ID, c.Before, c.After))
		}
	}
	for _, l := range d.Levels {
		if c := l.Track; c != nil {
			add(KindTrack, fmt.Sprintf("track of level %q %q → %q", l.ID, c.Before, c.After))
		}
	}
	for _, what := range contentChanges(d) {
		add(KindContent, what)
	}
	return out
}

// contentChanges names the parts of a family whose content changed,
// besides grades, titles, tracks and levels added or removed.
func contentChanges(d famdiff.FamilyDiff) []string {
	var out []string
	part := func(changed bool, what string) {
		if changed {
			out = append(out, what)
		}
	}
	part(d.Description != nil, "description")
	part(d.FrontMatter != nil, "front matter")
	part(d.Aliases != nil, "aliases")
	part(d.LevelsIntro != nil, "intro of the levels")
	for _, l := range d.Levels {
		level := func(changed bool, what string) { part(changed, fmt.Sprintf("%s of level %q", what, l.ID)) }
		level(l.Intro != nil, "intro")
		level(l.ResponsibilitiesIntro != nil, "intro of the responsibilities")
		level(l.Responsibilities != nil, "responsibilities")
		level(l.ExtendsResponsibilities != nil, "extended responsibilities")
		level(l.RequirementsIntro != nil, "intro of the requirements")
		level(l.Requirements != nil, "requirements")
		level(l.ExtendsRequirements != nil, "extended requirements")
		level(len(l.Sections) > 0, "sections")
	}
	part(d.IndicatorsIntro != nil, "intro of the performance indicators")
	part(d.PerformanceIndicators != nil, "performance indicators")
	part(d.CareerLadder != nil, "career ladder")
	part(d.HiringProcess != nil, "hiring process")
	part(len(d.Sections) > 0, "sections")
	return out
}

func gradeText(g *int) string {
	if g == nil {
		return "none"
	}
	return strconv.Itoa(*g)
}

// policyChanges compares the schema folder's *.cue files at both ends.
func policyChanges(oldSchema, newSchema map[string][]byte) ([]Change, error) {
	names := make(map[string]bool)
	for name := range oldSchema {
		names[name] = true
	}
	for name := range newSchema {
		names[name] = true
	}
	var out []Change
	for _, name := range slices.Sorted(maps.Keys(names)) {
		if ok, _ := path.Match("*.cue", name); !ok {
			continue
		}
		before, err := normalize(name, oldSchema[name])
		if err != nil {
			return nil, fmt.Errorf("schema at the pull request's base: %w", err)
		}
		after, err := normalize(name, newSchema[name])
		if err != nil {
			return nil, fmt.Errorf("schema at the pull request's head: %w", err)
		}
		if bytes.Equal(before, after) {
			continue
		}
		what := fmt.Sprintf("schema file %q changed", name)
		switch {
		case before == nil:
			what = fmt.Sprintf("schema file %q added", name)
		case after == nil:
			what = fmt.Sprintf("schema file %q removed", name)
		}
		out = append(out, Change{Kind: KindPolicy, What: what})
	}
	return out, nil
}

// normalize returns a schema file's source without comments, formatted,
// or nil for a file that is absent or declares nothing but its package.
func normalize(name string, src []byte) ([]byte, error) {
	if src == nil {
		return nil, nil
	}
	f, err := parser.ParseFile(name, src)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w: fix the file's syntax (jobfam validate shows where)", name, err)
	}
	if !slices.ContainsFunc(f.Decls, func(d ast.Decl) bool { _, pkg := d.(*ast.Package); return !pkg }) {
		return nil, nil
	}
	// The parser keeps where each line broke; without that, the
	// formatter lays out every file the same way, whatever its author
	// did.
	ast.Walk(f, func(n ast.Node) bool {
		ast.SetRelPos(n, token.NoRelPos)
		return true
	}, nil)
	out, err := format.Node(f)
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", name, err)
	}
	return out, nil
}
