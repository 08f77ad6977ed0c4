package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
)

// PlaceholderMarker starts every text that jobfam new writes for a person
// to replace. It is the marker editors already highlight, and one a rule
// can find without mistaking prose for it: only a text that starts with it
// is a placeholder, not one that mentions a to-do list.
const PlaceholderMarker = "TODO:"

var rulePlaceholder = &Rule{
	ID:      "placeholder",
	Summary: "a text still starts with \"TODO:\", a placeholder that jobfam new wrote to be replaced",
	Family:  checkPlaceholder,
}

// checkPlaceholder reports every string of the file that is still a
// placeholder, wherever it is, so that a family started with jobfam new
// cannot be merged or published half written. It reads the file's data
// rather than the model, so that a placeholder in a field the model leaves
// out (a value of the wrong type, say) is found too.
func checkPlaceholder(env *Env, f *family.Family, r *Reporter) {
	var walk func(n *family.Node, path []string)
	walk = func(n *family.Node, path []string) {
		switch n.Kind {
		case family.KindString:
			if IsPlaceholder(n.Str) {
				what, hint := describePlaceholder(path)
				r.Report(n.Pos, "%s is still a placeholder: %s", what, hint)
			}
		case family.KindList:
			for i, x := range n.List {
				walk(x, append(path, strconv.Itoa(i)))
			}
		case family.KindStruct:
			for _, fl := range n.Fields {
				walk(fl.Value, append(path, fl.Name))
			}
		}
	}
	walk(f.Root, nil)
}

// IsPlaceholder reports whether s is a placeholder: its text, leading
// white space aside, starts with PlaceholderMarker.
func IsPlaceholder(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, " \t\n"), PlaceholderMarker)
}

// placeholderText says, for each field of the format, how a finding names
// it and what to write there. Keys are paths with "[]" for a list's item;
// a name with %d takes the item's number. Fields of a level are those
// under "levels.<id>.", and the finding adds the level.
var placeholderText = map[string]struct{ name, hint string }{
	"title":                         {"title", "write the family's name"},
	"description":                   {"description", "write one sentence on what the family does"},
	"frontMatter":                   {"front matter", "write the page's other front-matter lines in YAML, or remove the field"},
	"aliases[]":                     {"alias %d", "write an old site path of the page, or remove it"},
	"intros.levels":                 {"intro of the levels", "write what the page says before the first level, or remove the field"},
	"intros.performanceIndicators":  {"intro of the performance indicators", "write what the page says before the indicators, or remove the field"},
	"performanceIndicators[].title": {"performance indicator %d", "write one measure of how well people in this family do their job"},
	"performanceIndicators[].url":   {"link of performance indicator %d", "write the address where the indicator is defined, or remove the field"},
	"careerLadder.text":             {"career ladder", "write where people in this family can go next"},
	"careerLadder.next[]":           {"career ladder entry %d", "write the id of a family people move to, or remove it"},
	"hiringProcess.intro":           {"intro of the hiring process", "write a sentence that opens the hiring process, or remove the field"},
	"hiringProcess.steps[]":         {"hiring step %d", "write one interview or call a candidate goes through"},
	"hiringProcess.outro":           {"outro of the hiring process", "write a sentence that closes the hiring process, or remove the field"},
	"sections[].heading":            {"heading of section %d", "write the section's heading"},
	"sections[].body":               {"text of section %d", "write the section's text"},

	"levels.title":                   {"title", "write the level's job title"},
	"levels.intro":                   {"intro", "write a paragraph on what sets the level apart"},
	"levels.intros.responsibilities": {"intro of the responsibilities", "write what the page says before the responsibilities, or remove the field"},
	"levels.intros.requirements":     {"intro of the requirements", "write what the page says before the requirements, or remove the field"},
	"levels.responsibilities[]":      {"responsibility %d", "write one thing people at this level are responsible for"},
	"levels.requirements[]":          {"requirement %d", "write one skill, experience or quality this level asks of candidates"},
	"levels.sections[].heading":      {"heading of section %d", "write the section's heading"},
	"levels.sections[].body":         {"text of section %d", "write the section's text"},
}

// describePlaceholder names the field at path, a path of the file's data,
// and says what to write there.
func describePlaceholder(path []string) (what, hint string) {
	var key strings.Builder
	var level string
	num := 0
	for i := 0; i < len(path); i++ {
		p := path[i]
		if n, err := strconv.Atoi(p); err == nil {
			key.WriteString("[]")
			num = n + 1
			continue
		}
		if key.Len() > 0 {
			key.WriteString(".")
		}
		key.WriteString(p)
		// A level's id is no part of the key: every level is described
		// alike.
		if i == 0 && p == "levels" && len(path) > 1 {
			level = path[1]
			i++
		}
	}
	t, ok := placeholderText[key.String()]
	if !ok {
		return strings.Join(path, "."), "replace it with the text it stands for"
	}
	what = t.name
	if strings.Contains(what, "%d") {
		what = fmt.Sprintf(what, num)
	}
	if level != "" {
		what += " of level " + quote(level)
	}
	return what, t.hint
}
