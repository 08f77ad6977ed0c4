// Package render turns a job family into the handbook page people know:
// Hugo front matter, then the layout of GitLab's job-family pages (levels
// with their grade, responsibilities and requirements, performance
// indicators, career ladder, hiring process). Output is deterministic: the
// same family gives the same bytes, with "\n" line endings and one final
// newline.
package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
)

// Site is what a page needs to know beyond its own family.
type Site struct {
	Policy *family.Policy
	// Titles maps family ids to titles, to name the families a career
	// ladder leads to when the family gives no text of its own.
	Titles map[string]string
}

// URL is the handbook address of the family with the given id.
func (s *Site) URL(id string) string {
	return s.Policy.HandbookBase + id + "/"
}

// Page renders f as a handbook page.
func Page(f *family.Family, site *Site) []byte {
	p := page{site: site, fam: f}
	p.frontMatter()
	p.sections(f.Sections, "levels", 2)
	if len(f.Levels) > 0 || f.Intros.Levels.Set() {
		p.block("## Levels")
		p.block(f.Intros.Levels.Value)
		for _, l := range f.Levels {
			p.level(l)
		}
	}
	p.sections(f.Sections, "performanceIndicators", 2)
	if len(f.PerformanceIndicators) > 0 || f.Intros.PerformanceIndicators.Set() {
		p.block("## Performance Indicators")
		p.block(f.Intros.PerformanceIndicators.Value)
		items := make([]string, len(f.PerformanceIndicators))
		for i, pi := range f.PerformanceIndicators {
			items[i] = pi.Title.Value
			if pi.URL.Set() {
				items[i] = "[" + pi.Title.Value + "](" + pi.URL.Value + ")"
			}
		}
		p.block(list(items, false))
	}
	p.sections(f.Sections, "careerLadder", 2)
	p.careerLadder()
	p.sections(f.Sections, "hiringProcess", 2)
	p.hiringProcess()
	p.sections(f.Sections, "", 2)
	return []byte(strings.Join(p.blocks, "\n\n") + "\n")
}

// page collects a page's blocks, which are separated by one blank line.
type page struct {
	site   *Site
	fam    *family.Family
	blocks []string
}

func (p *page) block(s string) {
	if s = strings.TrimRight(s, " \t\n"); s != "" {
		p.blocks = append(p.blocks, s)
	}
}

func (p *page) frontMatter() {
	var b strings.Builder
	b.WriteString("---\n")
	if p.fam.Title.Set() {
		fmt.Fprintf(&b, "title: %s\n", yamlString(p.fam.Title.Value, false))
	}
	if p.fam.Description.Set() {
		fmt.Fprintf(&b, "description: %s\n", yamlString(p.fam.Description.Value, true))
	}
	if len(p.fam.Aliases) > 0 {
		// Hugo answers at each alias with a redirect to this page.
		b.WriteString("aliases:\n")
		for _, a := range p.fam.Aliases {
			fmt.Fprintf(&b, "  - %s\n", yamlString(a.Value, false))
		}
	}
	if fm := strings.Trim(p.fam.FrontMatter.Value, "\n"); fm != "" {
		b.WriteString(fm + "\n")
	}
	b.WriteString("---")
	p.blocks = append(p.blocks, b.String())
}

// sections writes the sections placed before the part named before ("" for
// those at the end), with headings of the given default depth.
func (p *page) sections(secs []family.Section, before string, depth int) {
	for _, s := range secs {
		if s.Before != before {
			continue
		}
		if s.Heading.Set() {
			d := s.Depth
			if d == 0 {
				d = depth
			}
			p.block(strings.Repeat("#", d) + " " + s.Heading.Value)
		}
		p.block(s.Body.Value)
	}
}

func (p *page) level(l *family.Level) {
	title := l.Title.Value
	p.block("## " + title)
	if l.Grade.Set() {
		p.block(fmt.Sprintf("The %s is a [grade %d](%s).", title, l.Grade.Value, p.site.Policy.GradeURL))
	}
	p.block(l.Intro.Value)
	p.sections(l.Sections, "responsibilities", 3)
	p.bullets(l, title+" Responsibilities", "responsibilities", l.Intros.Responsibilities, l.Extends.Responsibilities, l.Responsibilities)
	p.sections(l.Sections, "requirements", 3)
	p.bullets(l, title+" Requirements", "requirements", l.Intros.Requirements, l.Extends.Requirements, l.Requirements)
	p.sections(l.Sections, "", 3)
}

// bullets writes a level's responsibilities or requirements: the heading,
// the part's intro, then the bullets, opened by the "Extends the ... plus:"
// line when the level builds on another.
func (p *page) bullets(l *family.Level, heading, kind string, intro, extends family.Text, items []family.Text) {
	if len(items) == 0 && !extends.Set() && !intro.Set() {
		return
	}
	p.block("### " + heading)
	p.block(intro.Value)
	var b strings.Builder
	if extends.Set() {
		name := extends.Value
		for _, other := range p.fam.Levels {
			if other.ID == extends.Value && other.Title.Set() {
				name = other.Title.Value
			}
		}
		fmt.Fprintf(&b, "Extends the %s %s plus:\n", name, kind)
	}
	values := make([]string, len(items))
	for i, it := range items {
		values[i] = it.Value
	}
	b.WriteString(list(values, false))
	p.block(b.String())
}

func (p *page) careerLadder() {
	cl := p.fam.CareerLadder
	if !cl.Text.Set() && len(cl.Next) == 0 {
		return
	}
	p.block("## Career Ladder")
	if cl.Text.Set() {
		p.block(cl.Text.Value)
		return
	}
	links := make([]string, len(cl.Next))
	for i, n := range cl.Next {
		url, name := n.Value, n.Value
		if !strings.Contains(n.Value, "://") {
			url = p.site.URL(n.Value)
			if t := p.site.Titles[n.Value]; t != "" {
				name = t
			}
		}
		links[i] = "[" + name + "](" + url + ")"
	}
	p.block(fmt.Sprintf("The next step in the %s job family is to move to the %s job family.", p.fam.Title.Value, joinAnd(links)))
}

func (p *page) hiringProcess() {
	hp := p.fam.HiringProcess
	if !hp.Intro.Set() && len(hp.Steps) == 0 && !hp.Outro.Set() {
		return
	}
	p.block("## Hiring Process")
	p.block(hp.Intro.Value)
	steps := make([]string, len(hp.Steps))
	for i, s := range hp.Steps {
		steps[i] = s.Value
	}
	p.block(list(steps, hp.Ordered))
	p.block(hp.Outro.Value)
}

// list writes items as a Markdown list. The lines of a multi-line item are
// indented under its marker so that they stay part of the item.
func list(items []string, ordered bool) string {
	var b strings.Builder
	for i, it := range items {
		marker := "- "
		if ordered {
			marker = strconv.Itoa(i+1) + ". "
		}
		indent := strings.Repeat(" ", len(marker))
		lines := strings.Split(strings.TrimRight(it, "\n"), "\n")
		b.WriteString(marker + lines[0] + "\n")
		for _, line := range lines[1:] {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(indent + line + "\n")
		}
	}
	return b.String()
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// plainYAML matches the strings that YAML reads back unchanged without
// quotes: no indicator at the start, no ": " or " #" inside, no edge spaces.
var plainYAML = regexp.MustCompile(`^[A-Za-z0-9(][^:#\n]*[^\s:]$|^[A-Za-z0-9]$`)

// yamlString writes s as a YAML scalar: plain when that reads back the same
// and quote is false, else double-quoted.
func yamlString(s string, quote bool) string {
	if !quote && plainYAML.MatchString(s) && !yamlKeyword(s) {
		return s
	}
	return strconv.Quote(s)
}

// yamlKeyword reports whether a plain s would be read as something other
// than a string.
func yamlKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~":
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// NewSite makes the Site for a set of families.
func NewSite(p *family.Policy, fams []*family.Family) *Site {
	titles := make(map[string]string, len(fams))
	for _, f := range fams {
		titles[f.ID] = f.Title.Value
	}
	return &Site{Policy: p, Titles: titles}
}
