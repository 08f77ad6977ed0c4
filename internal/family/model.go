package family

import (
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
)

// Family is one job family, as its file declares it. The model keeps every
// value's Node so that rules report the family file's positions. A value of
// the wrong type is left out of the model (the schema rule reports it), so
// rules never see a grade that is a string.
type Family struct {
	// ID is the file's path under the families folder without ".cue",
	// with forward slashes: "finance/it-program-management-office".
	ID string
	// File is the path of the file, as shown in findings.
	File string
	// Root is the whole file as data.
	Root *Node

	Title                 Text
	Description           Text
	FrontMatter           Text
	Aliases               []Text
	Levels                []*Level
	PerformanceIndicators []Indicator
	CareerLadder          CareerLadder
	HiringProcess         HiringProcess
	// Intros are the Markdown under the "Levels" and "Performance
	// Indicators" headings, before the part itself.
	Intros   struct{ Levels, PerformanceIndicators Text }
	Sections []Section
	// Suppressions are the file's "// jobfam:ignore <rule> <reason>"
	// comments.
	Suppressions []Suppression
	// PendingLinks are set by the rules (check.Family) for the rules across
	// families.
	PendingLinks []PendingLink

	texts []Text // TextFields, once made
}

// Suppression is a comment that silences one rule on the line after it,
// or on its own line when it ends a line of data.
type Suppression struct {
	Pos    diag.Pos
	Rule   string
	Reason string
}

// Header returns the parts of f that rules across the repository compare.
//
// The header is kept while the rest of the family is let go, so it holds
// copies of its strings: the family's strings share the memory of its
// file's source, which would otherwise stay with every header.
func (f *Family) Header() Header {
	h := Header{ID: f.ID, File: f.File, Title: detach(f.Title)}
	for _, a := range f.Aliases {
		h.Aliases = append(h.Aliases, detach(a))
	}
	for _, l := range f.PendingLinks {
		l.ID, l.Path, l.Silenced = strings.Clone(l.ID), strings.Clone(l.Path), strings.Clone(l.Silenced)
		h.PendingLinks = append(h.PendingLinks, l)
	}
	return h
}

// detach copies t and its Node, a string, so that they share no memory
// with the family's source.
func detach(t Text) Text {
	if t.Node == nil {
		return Text{Value: strings.Clone(t.Value)}
	}
	n := *t.Node
	n.Str, n.Raw = strings.Clone(n.Str), strings.Clone(n.Raw)
	return Text{Value: strings.Clone(t.Value), Node: &n}
}

// Level is one level of a family.
type Level struct {
	ID string
	// Node is the level's struct; Pos is where its id is written.
	Node *Node
	Pos  diag.Pos

	Title Text
	Grade Int
	// Track is the declared track or, when absent, the policy's default.
	Track            Text
	Intro            Text
	Responsibilities []Text
	Requirements     []Text
	Extends          struct{ Responsibilities, Requirements Text }
	// Intros are the Markdown between the responsibilities' or the
	// requirements' heading and their bullets.
	Intros   struct{ Responsibilities, Requirements Text }
	Sections []Section
}

// Indicator is a performance indicator.
type Indicator struct {
	Title Text
	URL   Text
}

// CareerLadder lists where people go next.
type CareerLadder struct {
	Next []Text
	Text Text
}

// HiringProcess is the interview sequence.
type HiringProcess struct {
	Intro   Text
	Steps   []Text
	Ordered bool
	Outro   Text
}

// Section is a verbatim heading and body.
type Section struct {
	Heading Text
	Body    Text
	// Depth is the heading level as written, or 0 for the default.
	Depth int
	// Before names the part of the page the section precedes, or is ""
	// for the end.
	Before string
}

// Text is a string value; Node is nil when the field is absent or not a
// string.
type Text struct {
	Value string
	Node  *Node
}

// Set reports whether the field was written as a string.
func (t Text) Set() bool { return t.Node != nil }

// Int is an integer value; Node is nil when absent or not an int.
type Int struct {
	Value int
	Node  *Node
}

// Set reports whether the field was written as an int.
func (i Int) Set() bool { return i.Node != nil }

// TextFields returns every Markdown or plain-text value of the family in
// the order of the page, for rules that read prose; each keeps its Node,
// which places a finding inside the text.
func (f *Family) TextFields() []Text {
	// Several rules read every text of a family; the list is made once.
	// A family is checked by one goroutine at a time, so the cache needs
	// no lock.
	if f.texts != nil {
		return f.texts
	}
	f.texts = f.textFields()
	return f.texts
}

func (f *Family) textFields() []Text {
	out := []Text{}
	add := func(ts ...Text) {
		for _, t := range ts {
			if t.Set() {
				out = append(out, t)
			}
		}
	}
	add(f.Title, f.Description)
	add(f.Intros.Levels)
	for _, l := range f.Levels {
		add(l.Title, l.Intro)
		add(l.Intros.Responsibilities)
		add(l.Responsibilities...)
		add(l.Intros.Requirements)
		add(l.Requirements...)
		for _, s := range l.Sections {
			add(s.Heading, s.Body)
		}
	}
	add(f.Intros.PerformanceIndicators)
	for _, pi := range f.PerformanceIndicators {
		add(pi.Title)
	}
	add(f.CareerLadder.Text)
	add(f.HiringProcess.Intro)
	add(f.HiringProcess.Steps...)
	add(f.HiringProcess.Outro)
	for _, s := range f.Sections {
		add(s.Heading, s.Body)
	}
	return out
}

// newFamily builds the model from a file's data.
func newFamily(id, file string, root *Node, p *Policy) *Family {
	f := &Family{ID: id, File: file, Root: root}
	f.Title = text(root.Get("title"))
	f.Description = text(root.Get("description"))
	f.FrontMatter = text(root.Get("frontMatter"))
	f.Aliases = texts(root.Get("aliases"))
	if levels := root.Get("levels"); levels != nil && levels.Kind == KindStruct {
		for _, fl := range levels.Fields {
			if fl.Value.Kind != KindStruct {
				continue
			}
			f.Levels = append(f.Levels, newLevel(fl, p))
		}
	}
	for _, n := range list(root.Get("performanceIndicators")) {
		f.PerformanceIndicators = append(f.PerformanceIndicators, Indicator{Title: text(n.Get("title")), URL: text(n.Get("url"))})
	}
	if cl := root.Get("careerLadder"); cl != nil {
		f.CareerLadder.Next = texts(cl.Get("next"))
		f.CareerLadder.Text = text(cl.Get("text"))
	}
	if hp := root.Get("hiringProcess"); hp != nil {
		f.HiringProcess = HiringProcess{Intro: text(hp.Get("intro")), Steps: texts(hp.Get("steps")), Outro: text(hp.Get("outro"))}
		if o := hp.Get("ordered"); o != nil && o.Kind == KindBool {
			f.HiringProcess.Ordered = o.Bool
		}
	}
	if in := root.Get("intros"); in != nil {
		f.Intros.Levels = text(in.Get("levels"))
		f.Intros.PerformanceIndicators = text(in.Get("performanceIndicators"))
	}
	f.Sections = sections(root.Get("sections"))
	return f
}

func newLevel(fl *Field, p *Policy) *Level {
	n := fl.Value
	l := &Level{ID: fl.Name, Node: n, Pos: fl.Pos}
	l.Title = text(n.Get("title"))
	// An int too large for int64 has Int zero and is left out, as a value
	// of the wrong type is: the schema reports it.
	if g := n.Get("grade"); g != nil && g.Kind == KindInt && strconv.FormatInt(g.Int, 10) == g.Str {
		l.Grade = Int{Value: int(g.Int), Node: g}
	}
	l.Track = text(n.Get("track"))
	if !l.Track.Set() {
		l.Track.Value = p.DefaultTrack
	}
	l.Intro = text(n.Get("intro"))
	l.Responsibilities = texts(n.Get("responsibilities"))
	l.Requirements = texts(n.Get("requirements"))
	if ext := n.Get("extends"); ext != nil {
		l.Extends.Responsibilities = text(ext.Get("responsibilities"))
		l.Extends.Requirements = text(ext.Get("requirements"))
	}
	if in := n.Get("intros"); in != nil {
		l.Intros.Responsibilities = text(in.Get("responsibilities"))
		l.Intros.Requirements = text(in.Get("requirements"))
	}
	l.Sections = sections(n.Get("sections"))
	return l
}

func text(n *Node) Text {
	if n == nil || n.Kind != KindString {
		return Text{}
	}
	return Text{Value: n.Str, Node: n}
}

func list(n *Node) []*Node {
	if n == nil || n.Kind != KindList {
		return nil
	}
	return n.List
}

func texts(n *Node) []Text {
	var out []Text
	for _, x := range list(n) {
		if t := text(x); t.Set() {
			out = append(out, t)
		}
	}
	return out
}

func sections(n *Node) []Section {
	var out []Section
	for _, x := range list(n) {
		sec := Section{Heading: text(x.Get("heading")), Body: text(x.Get("body")), Before: text(x.Get("before")).Value}
		if d := x.Get("depth"); d != nil && d.Kind == KindInt {
			sec.Depth = int(d.Int)
		}
		out = append(out, sec)
	}
	return out
}
