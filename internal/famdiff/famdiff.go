// Package famdiff compares two versions of a repository's job families and
// says what changed in terms a reviewer cares about: grades (which have pay
// implications), levels, titles, tracks, responsibilities and requirements,
// ladders and hiring processes. It reads only the model; getting the two
// versions (from git, from folders) is the caller's business.
package famdiff

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/jobfam/jobfam/internal/family"
)

// Status says whether a family was added, removed or changed.
type Status string

// The statuses of a FamilyDiff.
const (
	Added   Status = "added"
	Removed Status = "removed"
	Changed Status = "changed"
)

// RewordThreshold is the word-level similarity (see Similarity) at or
// above which a removed item and an added item are shown as one item
// reworded rather than as two unrelated changes.
const RewordThreshold = 0.5

// FamilyDiff is what changed in one family. A field that did not change is
// nil or empty. For an added family, every level is in LevelsAdded; for a
// removed one, in LevelsRemoved; nothing else is set.
type FamilyDiff struct {
	ID string `json:"id"`
	// Title is the family's title in the new version, else in the old.
	Title  string `json:"title"`
	Status Status `json:"status"`

	// Grades lists the levels present in both versions whose grade
	// changed, in the new version's level order.
	Grades        []GradeChange `json:"grades,omitempty"`
	LevelsAdded   []LevelRef    `json:"levelsAdded,omitempty"`
	LevelsRemoved []LevelRef    `json:"levelsRemoved,omitempty"`

	TitleChange *Change     `json:"titleChange,omitempty"`
	Levels      []LevelDiff `json:"levels,omitempty"`

	PerformanceIndicators *ListDiff `json:"performanceIndicators,omitempty"`
	// LevelsIntro and IndicatorsIntro are the family's intros, the text
	// under the "Levels" and "Performance Indicators" headings.
	LevelsIntro     *Change `json:"levelsIntro,omitempty"`
	IndicatorsIntro *Change `json:"performanceIndicatorsIntro,omitempty"`
	CareerLadder    *Ladder `json:"careerLadder,omitempty"`
	HiringProcess   *Hiring `json:"hiringProcess,omitempty"`

	Description *Change `json:"description,omitempty"`
	FrontMatter *Change `json:"frontMatter,omitempty"`
	// Aliases are the old URLs the page answers at: removing one breaks
	// the links that still use it.
	Aliases  *ListDiff       `json:"aliases,omitempty"`
	Sections []SectionChange `json:"sections,omitempty"`
}

// Change is a value before and after; "" stands for absent.
type Change struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// GradeChange is a level whose grade changed. A nil grade was absent (or
// not a number).
type GradeChange struct {
	Level  string `json:"level"`
	Title  string `json:"title"`
	Before *int   `json:"before"`
	After  *int   `json:"after"`
}

// LevelRef names a level that was added or removed, with its grade.
type LevelRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Grade *int   `json:"grade"`
	Track string `json:"track,omitempty"`
}

// LevelDiff is what changed inside a level present in both versions,
// besides its grade.
type LevelDiff struct {
	ID string `json:"id"`
	// Title is the level's title in the new version.
	Title                   string    `json:"title"`
	TitleChange             *Change   `json:"titleChange,omitempty"`
	Track                   *Change   `json:"track,omitempty"`
	Intro                   *Change   `json:"intro,omitempty"`
	Responsibilities        *ListDiff `json:"responsibilities,omitempty"`
	Requirements            *ListDiff `json:"requirements,omitempty"`
	ExtendsResponsibilities *Change   `json:"extendsResponsibilities,omitempty"`
	ExtendsRequirements     *Change   `json:"extendsRequirements,omitempty"`
	// ResponsibilitiesIntro and RequirementsIntro are the level's intros,
	// the text between a part's heading and its bullets.
	ResponsibilitiesIntro *Change         `json:"responsibilitiesIntro,omitempty"`
	RequirementsIntro     *Change         `json:"requirementsIntro,omitempty"`
	Sections              []SectionChange `json:"sections,omitempty"`
}

// ListDiff is the difference between two lists of text items, such as
// responsibilities. Items are compared as a multiset: an item that only
// moved is not a change, but Reordered says when the order alone changed.
type ListDiff struct {
	Added    []string `json:"added,omitempty"`
	Removed  []string `json:"removed,omitempty"`
	Reworded []Change `json:"reworded,omitempty"`
	// Reordered is true when the same items are in another order.
	Reordered bool `json:"reordered,omitempty"`
}

// Ladder is what changed in the career ladder.
type Ladder struct {
	Next *ListDiff `json:"next,omitempty"`
	Text *Change   `json:"text,omitempty"`
}

// Hiring is what changed in the hiring process.
type Hiring struct {
	Intro   *Change   `json:"intro,omitempty"`
	Steps   *ListDiff `json:"steps,omitempty"`
	Ordered *Change   `json:"ordered,omitempty"`
	Outro   *Change   `json:"outro,omitempty"`
}

// SectionChange is a verbatim section added, removed or changed. Sections
// are matched by heading (and, among sections with the same heading, by
// position).
type SectionChange struct {
	Heading string `json:"heading"`
	Status  Status `json:"status"`
	// Before and After are the section's body and placement.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// HasGradeChanges reports whether any of the diffs changes pay: a grade
// changed, or a level with a grade was added or removed (with its family
// or alone). The Action uses it to ask for a compensation review.
func HasGradeChanges(diffs []FamilyDiff) bool {
	for _, d := range diffs {
		if len(d.Grades) > 0 {
			return true
		}
		for _, l := range append(slices.Clip(d.LevelsAdded), d.LevelsRemoved...) {
			if l.Grade != nil {
				return true
			}
		}
	}
	return false
}

// Families compares the old and new versions of a set of families, matched
// by ID, and returns one FamilyDiff per family that changed, sorted by ID.
// It does no I/O.
func Families(old, new []*family.Family) []FamilyDiff {
	byID := func(fs []*family.Family) map[string]*family.Family {
		m := make(map[string]*family.Family, len(fs))
		for _, f := range fs {
			m[f.ID] = f
		}
		return m
	}
	olds, news := byID(old), byID(new)
	ids := make([]string, 0, len(olds)+len(news))
	for id := range olds {
		ids = append(ids, id)
	}
	for id := range news {
		if olds[id] == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []FamilyDiff
	for _, id := range ids {
		if d, ok := Family(olds[id], news[id]); ok {
			out = append(out, d)
		}
	}
	return out
}

// Family compares two versions of one family, either of which may be nil
// (added or removed), and reports whether anything changed.
func Family(old, new *family.Family) (FamilyDiff, bool) {
	switch {
	case old == nil && new == nil:
		return FamilyDiff{}, false
	case old == nil:
		d := FamilyDiff{ID: new.ID, Title: new.Title.Value, Status: Added}
		for _, l := range new.Levels {
			d.LevelsAdded = append(d.LevelsAdded, levelRef(l))
		}
		return d, true
	case new == nil:
		d := FamilyDiff{ID: old.ID, Title: old.Title.Value, Status: Removed}
		for _, l := range old.Levels {
			d.LevelsRemoved = append(d.LevelsRemoved, levelRef(l))
		}
		return d, true
	}
	d := FamilyDiff{ID: new.ID, Title: new.Title.Value, Status: Changed}
	if d.Title == "" {
		d.Title = old.Title.Value
	}
	d.TitleChange = change(old.Title.Value, new.Title.Value)
	d.Description = change(old.Description.Value, new.Description.Value)
	d.FrontMatter = change(old.FrontMatter.Value, new.FrontMatter.Value)
	d.Aliases = listDiff(values(old.Aliases), values(new.Aliases), false)

	oldLevels := make(map[string]*family.Level, len(old.Levels))
	for _, l := range old.Levels {
		oldLevels[l.ID] = l
	}
	newLevels := make(map[string]bool, len(new.Levels))
	for _, nl := range new.Levels {
		newLevels[nl.ID] = true
		ol := oldLevels[nl.ID]
		if ol == nil {
			d.LevelsAdded = append(d.LevelsAdded, levelRef(nl))
			continue
		}
		if before, after := grade(ol.Grade), grade(nl.Grade); !equalInt(before, after) {
			d.Grades = append(d.Grades, GradeChange{Level: nl.ID, Title: nl.Title.Value, Before: before, After: after})
		}
		if ld, ok := level(ol, nl); ok {
			d.Levels = append(d.Levels, ld)
		}
	}
	for _, ol := range old.Levels {
		if !newLevels[ol.ID] {
			d.LevelsRemoved = append(d.LevelsRemoved, levelRef(ol))
		}
	}

	d.PerformanceIndicators = listDiff(indicators(old.PerformanceIndicators), indicators(new.PerformanceIndicators), true)
	d.LevelsIntro = change(old.Intros.Levels.Value, new.Intros.Levels.Value)
	d.IndicatorsIntro = change(old.Intros.PerformanceIndicators.Value, new.Intros.PerformanceIndicators.Value)
	ladder := Ladder{
		Next: listDiff(values(old.CareerLadder.Next), values(new.CareerLadder.Next), false),
		Text: change(old.CareerLadder.Text.Value, new.CareerLadder.Text.Value),
	}
	if ladder != (Ladder{}) {
		d.CareerLadder = &ladder
	}
	oh, nh := old.HiringProcess, new.HiringProcess
	hiring := Hiring{
		Intro:   change(oh.Intro.Value, nh.Intro.Value),
		Steps:   listDiff(values(oh.Steps), values(nh.Steps), true),
		Ordered: change(stepStyle(oh.Ordered), stepStyle(nh.Ordered)),
		Outro:   change(oh.Outro.Value, nh.Outro.Value),
	}
	if hiring != (Hiring{}) {
		d.HiringProcess = &hiring
	}
	d.Sections = sectionDiff(old.Sections, new.Sections)

	changed := d.TitleChange != nil || d.Description != nil || d.FrontMatter != nil || d.Aliases != nil ||
		len(d.Grades) > 0 || len(d.LevelsAdded) > 0 || len(d.LevelsRemoved) > 0 || len(d.Levels) > 0 ||
		d.PerformanceIndicators != nil || d.LevelsIntro != nil || d.IndicatorsIntro != nil || d.CareerLadder != nil || d.HiringProcess != nil || len(d.Sections) > 0
	return d, changed
}

// level compares what a level says besides its grade.
func level(old, new *family.Level) (LevelDiff, bool) {
	d := LevelDiff{
		ID:                      new.ID,
		Title:                   new.Title.Value,
		TitleChange:             change(old.Title.Value, new.Title.Value),
		Track:                   change(old.Track.Value, new.Track.Value),
		Intro:                   change(old.Intro.Value, new.Intro.Value),
		Responsibilities:        listDiff(values(old.Responsibilities), values(new.Responsibilities), true),
		Requirements:            listDiff(values(old.Requirements), values(new.Requirements), true),
		ExtendsResponsibilities: change(old.Extends.Responsibilities.Value, new.Extends.Responsibilities.Value),
		ExtendsRequirements:     change(old.Extends.Requirements.Value, new.Extends.Requirements.Value),
		ResponsibilitiesIntro:   change(old.Intros.Responsibilities.Value, new.Intros.Responsibilities.Value),
		RequirementsIntro:       change(old.Intros.Requirements.Value, new.Intros.Requirements.Value),
		Sections:                sectionDiff(old.Sections, new.Sections),
	}
	changed := d.TitleChange != nil || d.Track != nil || d.Intro != nil || d.Responsibilities != nil ||
		d.Requirements != nil || d.ExtendsResponsibilities != nil || d.ExtendsRequirements != nil ||
		d.ResponsibilitiesIntro != nil || d.RequirementsIntro != nil || len(d.Sections) > 0
	return d, changed
}

func levelRef(l *family.Level) LevelRef {
	return LevelRef{ID: l.ID, Title: l.Title.Value, Grade: grade(l.Grade), Track: l.Track.Value}
}

func grade(g family.Int) *int {
	if !g.Set() {
		return nil
	}
	v := g.Value
	return &v
}

func equalInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func change(before, after string) *Change {
	if before == after {
		return nil
	}
	return &Change{Before: before, After: after}
}

func values(ts []family.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Value
	}
	return out
}

// indicators shows each indicator as its title, followed by its URL in
// angle brackets when it has one.
func indicators(pis []family.Indicator) []string {
	out := make([]string, len(pis))
	for i, pi := range pis {
		out[i] = pi.Title.Value
		if pi.URL.Value != "" {
			out[i] += " <" + pi.URL.Value + ">"
		}
	}
	return out
}

func stepStyle(ordered bool) string {
	if ordered {
		return "numbered"
	}
	return "bulleted"
}

// listDiff compares two lists as multisets and, when reword is true, pairs
// removed and added items that are similar enough into rewordings: the most
// similar pair first, ties broken by position, so the result does not
// depend on anything but the lists. It returns nil when nothing changed.
func listDiff(old, new []string, reword bool) *ListDiff {
	if slices.Equal(old, new) {
		return nil
	}
	count := make(map[string]int, len(old))
	for _, s := range old {
		count[s]++
	}
	var added []string
	for _, s := range new {
		if count[s] > 0 {
			count[s]--
			continue
		}
		added = append(added, s)
	}
	var removed []string
	for i := len(old) - 1; i >= 0; i-- {
		if count[old[i]] > 0 {
			count[old[i]]--
			removed = append(removed, old[i])
		}
	}
	slices.Reverse(removed)
	if len(added) == 0 && len(removed) == 0 {
		return &ListDiff{Reordered: true}
	}
	d := &ListDiff{}
	usedOld := make([]bool, len(removed))
	usedNew := make([]bool, len(added))
	if reword {
		type pair struct {
			i, j  int
			score float64
		}
		var pairs []pair
		for i, r := range removed {
			for j, a := range added {
				if s := Similarity(r, a); s >= RewordThreshold {
					pairs = append(pairs, pair{i, j, s})
				}
			}
		}
		slices.SortStableFunc(pairs, func(a, b pair) int {
			switch {
			case a.score > b.score:
				return -1
			case a.score < b.score:
				return 1
			}
			return 0
		})
		matched := make(map[int]int)
		for _, p := range pairs {
			if usedOld[p.i] || usedNew[p.j] {
				continue
			}
			usedOld[p.i], usedNew[p.j] = true, true
			matched[p.i] = p.j
		}
		for i := range removed {
			if j, ok := matched[i]; ok {
				d.Reworded = append(d.Reworded, Change{Before: removed[i], After: added[j]})
			}
		}
	}
	for j, a := range added {
		if !usedNew[j] {
			d.Added = append(d.Added, a)
		}
	}
	for i, r := range removed {
		if !usedOld[i] {
			d.Removed = append(d.Removed, r)
		}
	}
	return d
}

// Similarity is the word-level similarity of a and b, from 0 to 1: twice
// the length of the longest common subsequence of their words over the
// total number of words (difflib's ratio, on words). Words are compared
// without case or surrounding punctuation.
func Similarity(a, b string) float64 {
	x, y := words(a), words(b)
	if len(x)+len(y) == 0 {
		return 1
	}
	// prev[j] is the LCS length of x[:i] and y[:j].
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			switch {
			case x[i-1] == y[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return 2 * float64(prev[len(y)]) / float64(len(x)+len(y))
}

func words(s string) []string {
	fields := strings.Fields(strings.ToLower(s))
	out := fields[:0]
	for _, w := range fields {
		w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) })
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// sectionDiff matches sections by heading, the n-th section with a heading
// in one version with the n-th with that heading in the other.
func sectionDiff(old, new []family.Section) []SectionChange {
	key := func(ss []family.Section) ([]string, map[string]family.Section) {
		seen := make(map[string]int)
		keys := make([]string, len(ss))
		m := make(map[string]family.Section, len(ss))
		for i, s := range ss {
			k := s.Heading.Value + "\x00" + strconv.Itoa(seen[s.Heading.Value])
			seen[s.Heading.Value]++
			keys[i] = k
			m[k] = s
		}
		return keys, m
	}
	oldKeys, olds := key(old)
	newKeys, news := key(new)
	var out []SectionChange
	for _, k := range newKeys {
		ns := news[k]
		was, ok := olds[k]
		switch {
		case !ok:
			out = append(out, SectionChange{Heading: ns.Heading.Value, Status: Added, After: sectionText(ns)})
		case sectionText(was) != sectionText(ns):
			out = append(out, SectionChange{Heading: ns.Heading.Value, Status: Changed, Before: sectionText(was), After: sectionText(ns)})
		}
	}
	for _, k := range oldKeys {
		if _, ok := news[k]; !ok {
			was := olds[k]
			out = append(out, SectionChange{Heading: was.Heading.Value, Status: Removed, Before: sectionText(was)})
		}
	}
	return out
}

// sectionText is what a section says and where it goes, for comparison and
// display.
func sectionText(s family.Section) string {
	t := s.Body.Value
	var where []string
	if s.Before != "" {
		where = append(where, "before "+s.Before)
	}
	if s.Depth != 0 {
		where = append(where, "depth "+strconv.Itoa(s.Depth))
	}
	if len(where) > 0 {
		t += " (" + strings.Join(where, ", ") + ")"
	}
	return t
}
