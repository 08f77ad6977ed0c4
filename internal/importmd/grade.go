package importmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// gradeSentence is what a paragraph says about a level's grade.
type gradeSentence struct {
	// name is how the sentence names the level: "Associate Program
	// Manager", or "role" for "The role is a grade 8".
	name string
	n    int
	// url is the grade link's destination, or the address written in
	// parentheses after an unlinked grade; "" when there is none.
	url  string
	link bool
	// whole is set when the paragraph is the grade sentence and nothing
	// more, allowing for the small variations of the corpus ("is a job
	// grade", no final period, "role" at the end).
	whole bool
	// canonical is set when the paragraph reads exactly as jobfam renders
	// it: "The <name> is a [grade N](<url>)."
	canonical bool
}

var (
	// gradeMention is "[grade N](url)" or "grade N" in a paragraph's text.
	gradeMention = regexp.MustCompile(`(?i)\[\s*(?:job\s+)?grade\s+(\d+)\s*\]\(\s*([^()]*?)\s*\)|\bgrade\s+(\d+)\b`)
	// gradeBefore is what comes before the mention in a grade sentence.
	gradeBefore = regexp.MustCompile(`^(?:(?i:the|this)\s+)?(.+?)\s+(?i:is)\s+(?:(?i:a|an)\s+)?(?:(?i:job)\s+)?$`)
	// gradeAfter is what may follow it.
	gradeAfter = regexp.MustCompile(`^\s*\.?\s*(?:\(\s*([^()\s]+)\s*\))?(?:\s+(?i:role|job grade))?\s*\.?\s*\.?$`)
)

// parseGrade reads a paragraph's text. ok is false when the paragraph
// mentions no grade or several.
func parseGrade(text string) (g gradeSentence, ok bool) {
	if !strings.Contains(strings.ToLower(text), "grade") {
		return g, false
	}
	t := strings.Join(strings.Fields(text), " ")
	ms := gradeMention.FindAllStringSubmatchIndex(t, -1)
	if len(ms) != 1 {
		return g, false
	}
	m := ms[0]
	num := ""
	if m[2] >= 0 {
		num, g.url, g.link = t[m[2]:m[3]], t[m[4]:m[5]], true
	} else {
		num = t[m[6]:m[7]]
	}
	n, err := strconv.Atoi(num)
	if err != nil || len(num) > 4 {
		return g, false
	}
	g.n = n
	before, after := t[:m[0]], t[m[1]:]
	bm := gradeBefore.FindStringSubmatch(before)
	am := gradeAfter.FindStringSubmatch(after)
	if bm == nil || am == nil || strings.ContainsAny(bm[1], "[]*`<{_") {
		return g, true
	}
	g.name = bm[1]
	g.whole = true
	if !g.link && am[1] != "" {
		g.url = am[1]
	}
	// The sentence as written, not as its words read: a line break or a
	// non-breaking space is a difference too.
	g.canonical = g.link && text == fmt.Sprintf("The %s is a [grade %d](%s).", g.name, n, g.url)
	return g, true
}
