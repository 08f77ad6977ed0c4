package check

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleExperienceOrder = &Rule{
	ID:       "experience-order",
	Summary:  "a level asks for fewer years of experience than a lower grade on its track, or states a number of experience without years",
	Severity: "warning",
	Family:   checkExperienceOrder,
}

// noYearsRE matches a number of experience without its unit: "2-3 of
// experience", "5+ of experience". It runs only on the rare text that
// mayLackYears lets through.
var noYearsRE = regexp.MustCompile(`(?i)\b(\d+(?:\s*(?:-|–|to)\s*\d+)?\+?)\s+of\s+(?:relevant\s+|related\s+|professional\s+|work\s+)?experience\b`)

// numberWords are the numbers requirements write in words, in the order
// the scanner tries them: "four" before "fourteen", as the regular
// expression that the scanner replaced did.
var numberWords = []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "twenty"}

var numberValues = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20}

func parseNumber(s string) int {
	if n, ok := numberValues[strings.ToLower(s)]; ok {
		return n
	}
	n, _ := strconv.Atoi(s)
	return n
}

// yearsAsk is the experience a requirement asks for.
type yearsAsk struct {
	years int
	text  string // as written, "3+ years"
	pos   diag.Pos
	level *family.Level
}

// requiredYears returns, for each requirement of l that asks for years of
// experience, the minimum it asks for. "Within 2 years" and other spans of
// time that are not experience are left out.
func requiredYears(l *family.Level) []yearsAsk {
	var out []yearsAsk
	var spans []yearsSpan
	for _, t := range l.Requirements {
		spans = experienceYears(t.Value, spans[:0])
		for _, m := range spans {
			out = append(out, yearsAsk{
				years: parseNumber(t.Value[m.start:m.numEnd]),
				text:  t.Value[m.start:m.end],
				pos:   posAt(t, m.start),
				level: l,
			})
		}
	}
	return out
}

// checkExperienceOrder compares each level's ask with those of lower grades
// on its track: a senior role that asks for less experience than a junior
// one is a typo or a copy that was not updated. A level's ask is the
// largest minimum among its requirements, including those of the level
// whose requirements it extends.
func checkExperienceOrder(env *Env, f *family.Family, r *Reporter) {
	byID := make(map[string]*family.Level, len(f.Levels))
	for _, l := range f.Levels {
		byID[l.ID] = l
	}
	own := map[*family.Level]*yearsAsk{}
	for _, l := range f.Levels {
		for _, a := range requiredYears(l) {
			if own[l] == nil || a.years > own[l].years {
				a := a
				own[l] = &a
			}
		}
		for _, t := range l.Requirements {
			if !mayLackYears(t.Value) {
				continue
			}
			for _, m := range noYearsRE.FindAllStringSubmatchIndex(t.Value, -1) {
				num := t.Value[m[2]:m[3]]
				r.Report(posAt(t, m[0]), "%q does not say what the number counts: write %q", t.Value[m[0]:m[1]], num+" years"+t.Value[m[3]:m[1]])
			}
		}
	}
	// effective follows extends.requirements, guarding against cycles
	// (the extends rule reports them).
	effective := func(l *family.Level) *yearsAsk {
		best := own[l]
		seen := map[*family.Level]bool{l: true}
		for t := l; t.Extends.Requirements.Set(); {
			t = byID[t.Extends.Requirements.Value]
			if t == nil || seen[t] {
				break
			}
			seen[t] = true
			if a := own[t]; a != nil && (best == nil || a.years > best.years) {
				best = a
			}
		}
		return best
	}
	for _, l := range f.Levels {
		a, e := own[l], effective(l)
		if a == nil || !l.Grade.Set() {
			continue
		}
		var most *yearsAsk
		for _, p := range f.Levels {
			if p == l || !p.Grade.Set() || p.Grade.Value >= l.Grade.Value || p.Track.Value != l.Track.Value {
				continue
			}
			if e := effective(p); e != nil && (most == nil || e.years > most.years) {
				most = e
			}
		}
		// A level that extends requirements keeps those of the level it
		// extends, so only what it asks in all counts.
		if most != nil && e.years < most.years {
			r.ReportRelated(a.pos, []diag.Pos{most.pos},
				"%q at grade %d asks for %q, less than the %q that %q asks for at grade %d: raise this requirement or lower the other",
				levelName(l), l.Grade.Value, a.text, most.text, levelName(most.level), most.level.Grade.Value)
		}
	}
}
