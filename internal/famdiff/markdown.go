package famdiff

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// NoChange is what Markdown writes when no family changed.
const NoChange = "No job family changed."

// Markdown writes the diffs as GitHub-flavoured Markdown, one "###"
// section per family in the order given, grade changes first. Every piece
// of user text is escaped and written on one line, so that a family cannot
// open HTML (a <details> block, a comment that hides the rest), break a
// table or start a heading in a pull-request comment.
func Markdown(w io.Writer, diffs []FamilyDiff) error {
	b := bufio.NewWriter(w)
	if len(diffs) == 0 {
		fmt.Fprintln(b, NoChange)
		return b.Flush()
	}
	for i, d := range diffs {
		if i > 0 {
			fmt.Fprintln(b)
		}
		writeFamily(b, d)
	}
	return b.Flush()
}

func writeFamily(b *bufio.Writer, d FamilyDiff) {
	title := d.Title
	if title == "" {
		title = d.ID
	}
	fmt.Fprintf(b, "### %s (%s)\n", Escape(title), Code(d.ID))
	switch d.Status {
	case Added:
		fmt.Fprintln(b, "\nAdded family.")
	case Removed:
		fmt.Fprintln(b, "\nRemoved family.")
	}

	if len(d.Grades) > 0 {
		fmt.Fprintln(b, "\n> **Grade changes** (these have pay implications)")
		fmt.Fprintln(b, "\n| Level | Before | After |\n| --- | --- | --- |")
		for _, g := range d.Grades {
			fmt.Fprintf(b, "| %s | %s | %s |\n", levelName(g.Title, g.Level), gradeText(g.Before), gradeText(g.After))
		}
	}
	writeLevels(b, "Levels added", d.LevelsAdded)
	writeLevels(b, "Levels removed", d.LevelsRemoved)

	var titles, tracks []string
	if d.TitleChange != nil {
		titles = append(titles, "Family: "+changeText(d.TitleChange))
	}
	for _, l := range d.Levels {
		if l.TitleChange != nil {
			titles = append(titles, Code(l.ID)+": "+changeText(l.TitleChange))
		}
		if l.Track != nil {
			tracks = append(tracks, levelName(l.Title, l.ID)+": "+changeText(l.Track))
		}
	}
	writeList(b, "Title changes", titles)
	writeList(b, "Track changes", tracks)

	for _, l := range d.Levels {
		var items []string
		items = append(items, listItems("Responsibility", l.Responsibilities)...)
		items = append(items, listItems("Requirement", l.Requirements)...)
		if l.ExtendsResponsibilities != nil {
			items = append(items, "Extends the responsibilities of: "+codeChange(l.ExtendsResponsibilities))
		}
		if l.ExtendsRequirements != nil {
			items = append(items, "Extends the requirements of: "+codeChange(l.ExtendsRequirements))
		}
		if l.Intro != nil {
			items = append(items, "Intro: "+changeText(l.Intro))
		}
		if l.ResponsibilitiesIntro != nil {
			items = append(items, "Responsibilities intro: "+changeText(l.ResponsibilitiesIntro))
		}
		if l.RequirementsIntro != nil {
			items = append(items, "Requirements intro: "+changeText(l.RequirementsIntro))
		}
		items = append(items, sectionItems(l.Sections)...)
		writeList(b, "Level "+levelName(l.Title, l.ID), items)
	}

	if d.LevelsIntro != nil {
		writeList(b, "Levels intro", []string{changeText(d.LevelsIntro)})
	}
	if d.PerformanceIndicators != nil || d.IndicatorsIntro != nil {
		var items []string
		if d.IndicatorsIntro != nil {
			items = append(items, "Intro: "+changeText(d.IndicatorsIntro))
		}
		if d.PerformanceIndicators != nil {
			items = append(items, listItems("Indicator", d.PerformanceIndicators)...)
		}
		writeList(b, "Performance indicators", items)
	}
	if cl := d.CareerLadder; cl != nil {
		var items []string
		if cl.Next != nil {
			items = append(items, listItems("Next family", cl.Next)...)
		}
		if cl.Text != nil {
			items = append(items, "Text: "+changeText(cl.Text))
		}
		writeList(b, "Career ladder", items)
	}
	if hp := d.HiringProcess; hp != nil {
		var items []string
		if hp.Intro != nil {
			items = append(items, "Intro: "+changeText(hp.Intro))
		}
		if hp.Steps != nil {
			items = append(items, listItems("Step", hp.Steps)...)
		}
		if hp.Ordered != nil {
			items = append(items, "Steps: "+changeText(hp.Ordered))
		}
		if hp.Outro != nil {
			items = append(items, "Outro: "+changeText(hp.Outro))
		}
		writeList(b, "Hiring process", items)
	}
	if d.Description != nil {
		writeList(b, "Description", []string{changeText(d.Description)})
	}
	if d.FrontMatter != nil {
		writeList(b, "Front matter", []string{changeText(d.FrontMatter)})
	}
	writeList(b, "Old URLs (aliases)", listItems("Alias", d.Aliases))
	writeList(b, "Sections", sectionItems(d.Sections))
}

func writeLevels(b *bufio.Writer, label string, ls []LevelRef) {
	items := make([]string, len(ls))
	for i, l := range ls {
		items[i] = levelName(l.Title, l.ID) + ", grade " + gradeText(l.Grade)
		if l.Track != "" {
			items[i] += ", track " + Escape(l.Track)
		}
	}
	writeList(b, label, items)
}

// writeList writes a bold label and a bulleted list, or nothing when the
// list is empty.
func writeList(b *bufio.Writer, label string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(b, "\n**%s**\n\n", label)
	for _, it := range items {
		fmt.Fprintf(b, "- %s\n", it)
	}
}

// listItems describes a ListDiff in bullets: "Responsibility added: ...".
func listItems(noun string, d *ListDiff) []string {
	if d == nil {
		return nil
	}
	var out []string
	for _, s := range d.Added {
		out = append(out, noun+" added: "+Escape(s))
	}
	for _, s := range d.Removed {
		out = append(out, noun+" removed: "+Escape(s))
	}
	for _, c := range d.Reworded {
		out = append(out, noun+" reworded: "+changeText(&c))
	}
	if d.Reordered {
		out = append(out, noun+" order changed")
	}
	return out
}

func sectionItems(ss []SectionChange) []string {
	var out []string
	for _, s := range ss {
		name := "untitled section"
		if s.Heading != "" {
			name = "section " + Escape(s.Heading)
		}
		switch s.Status {
		case Added:
			out = append(out, "Added "+name+": "+Escape(s.After))
		case Removed:
			out = append(out, "Removed "+name+": "+Escape(s.Before))
		default:
			out = append(out, "Changed "+name+": "+changeText(&Change{Before: s.Before, After: s.After}))
		}
	}
	return out
}

// changeText shows a change as "~~before~~ → after"; an absent side is
// "(none)".
func changeText(c *Change) string {
	before, after := "(none)", "(none)"
	if c.Before != "" {
		before = "~~" + Escape(c.Before) + "~~"
	}
	if c.After != "" {
		after = Escape(c.After)
	}
	return before + " → " + after
}

func codeChange(c *Change) string {
	before, after := "(none)", "(none)"
	if c.Before != "" {
		before = Code(c.Before)
	}
	if c.After != "" {
		after = Code(c.After)
	}
	return before + " → " + after
}

func levelName(title, id string) string {
	if title == "" {
		return Code(id)
	}
	return Escape(title) + " (" + Code(id) + ")"
}

func gradeText(g *int) string {
	if g == nil {
		return "none"
	}
	return strconv.Itoa(*g)
}

// Escape makes user text inert inline Markdown on one line: whitespace
// runs (newlines included) become one space, the characters that format
// or link are backslash-escaped, "|" too so that table cells hold, and
// "<", ">" and "&" become entities, so no HTML tag, comment or entity can
// be opened. A leading character that would start a block (a heading,
// a list item) is escaped too.
func Escape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '~', '|', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '@':
			// A reference to a person or team in a family's text must not
			// notify them from every pull request comment that quotes it.
			b.WriteString("&#64;")
		case '#', '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.', ')':
			// "1. text" or "1) text" would start an ordered list.
			if isDigits(s[:i]) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Code writes s as an inline code span on one line, for ids. The fence is
// one backtick longer than the longest run of backticks in s; "<" cannot
// open HTML inside a code span. A "|" would end a table cell even in a code
// span, and escaping it there shows the backslash outside tables, so s is
// then written as escaped text instead.
func Code(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if strings.Contains(s, "|") {
		return Escape(s)
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
