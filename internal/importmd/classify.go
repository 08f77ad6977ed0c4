package importmd

import (
	"regexp"
	"strings"
	"unicode"
)

// kind is what a heading introduces.
type kind int

const (
	kindOther kind = iota
	// kindLevels is a heading over the levels: "Levels", "Job Grades" over
	// level headings, "Levels for ...".
	kindLevels
	kindGrade
	kindResponsibilities
	kindRequirements
	kindIndicators
	kindLadder
	kindHiring
	// kindSpecialties is a heading whose sub-headings are specialties,
	// kept verbatim: they look like levels but are not.
	kindSpecialties
)

var kindNames = [...]string{
	kindOther:            "section",
	kindLevels:           "levels",
	kindGrade:            "job grade",
	kindResponsibilities: "responsibilities",
	kindRequirements:     "requirements",
	kindIndicators:       "performance indicators",
	kindLadder:           "career ladder",
	kindHiring:           "hiring process",
	kindSpecialties:      "specialties",
}

func (k kind) String() string { return kindNames[k] }

// isPart reports whether k is part of a level.
func (k kind) isPart() bool {
	return k == kindGrade || k == kindResponsibilities || k == kindRequirements
}

// isFamilyPart reports whether k is a modelled part of the family.
func (k kind) isFamilyPart() bool {
	return k == kindIndicators || k == kindLadder || k == kindHiring
}

// qualifiers make a "... Requirements" heading something other than the
// level's requirements.
var qualifiers = map[string]bool{
	"nice": true, "nice-to-have": true, "nice-to-haves": true, "preferred": true, "additional": true,
	"bonus": true, "optional": true, "desired": true, "desirable": true, "plus": true, "other": true,
}

// trailingParen is a parenthesised abbreviation at the end of a heading,
// such as "(PI)".
var trailingParen = regexp.MustCompile(`\s*\([A-Za-z]{1,5}\)$`)

// classify says what a heading introduces and returns the words before
// its keyword. It reads the heading's own text only.
func classify(heading string) (k kind, prefix string, exact bool) {
	h := strings.Join(strings.Fields(heading), " ")
	h = strings.TrimRight(h, ":.")
	h = strings.TrimSpace(h)
	low := strings.ToLower(h)
	bare := strings.ToLower(strings.TrimSpace(trailingParen.ReplaceAllString(h, "")))
	words := strings.Fields(low)
	last := ""
	if len(words) > 0 {
		last = strings.Trim(words[len(words)-1], ":")
	}
	switch {
	case low == "levels":
		return kindLevels, "", true
	case strings.HasPrefix(low, "levels for ") || strings.HasPrefix(low, "levels of ") || strings.HasSuffix(low, " levels"):
		return kindLevels, "", false
	case strings.HasSuffix(bare, "performance indicators") || strings.HasSuffix(bare, "performance indicator") || bare == "kpis":
		return kindIndicators, cut(h, len(bare)-len("performance indicators")), bare == "performance indicators"
	case strings.HasSuffix(low, "career ladder") || low == "career path":
		return kindLadder, cut(h, len(low)-len("career ladder")), low == "career ladder"
	case strings.HasSuffix(low, "hiring process"):
		return kindHiring, cut(h, len(low)-len("hiring process")), low == "hiring process"
	case last == "specialties" || last == "specialities" || last == "specializations" || last == "specialisations":
		return kindSpecialties, "", false
	case low == "job grade" || low == "grade" || low == "job grades" || strings.HasSuffix(low, " job grade"):
		p := strings.TrimSuffix(low, "job grades")
		p = strings.TrimSuffix(p, "job grade")
		return kindGrade, strings.TrimRight(strings.TrimSpace(h[:len(p)]), ":"), low == "job grade"
	}
	if k, p, ok := part(h, words); ok {
		return k, p, strings.TrimSpace(p) == ""
	}
	return kindOther, "", false
}

// part recognises "Responsibilities", "Senior Requirements", "Director,
// Legal Requirements", "Job Responsibilities" and "Responsibilities for
// ... roles", but not "Nice-to-have Requirements".
func part(h string, words []string) (kind, string, bool) {
	if len(words) == 0 {
		return kindOther, "", false
	}
	which := func(w string) kind {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		switch {
		case strings.HasPrefix(w, "responsibilit"), w == "responsibilites":
			return kindResponsibilities
		case w == "requirements" || w == "requirement":
			return kindRequirements
		}
		return kindOther
	}
	if k := which(words[len(words)-1]); k != kindOther {
		prefix := strings.TrimSpace(h[:strings.LastIndex(strings.ToLower(h), words[len(words)-1])])
		for _, w := range strings.Fields(strings.ToLower(prefix)) {
			if qualifiers[strings.Trim(w, ":,.")] {
				return kindOther, "", false
			}
		}
		return k, strings.TrimRight(prefix, ":"), true
	}
	if k := which(words[0]); k != kindOther && len(words) > 2 && (words[1] == "for" || words[1] == "of") {
		return k, "", true
	}
	return kindOther, "", false
}

// cut returns the first n bytes of h, trimmed: the words before the
// keyword that ends a heading.
func cut(h string, n int) string {
	if n <= 0 || n > len(h) {
		return ""
	}
	return strings.TrimSpace(h[:n])
}
