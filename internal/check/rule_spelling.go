package check

import (
	"slices"
	"strings"
	"sync"

	"github.com/golangci/misspell"

	"github.com/jobfam/jobfam/internal/family"
)

var ruleSpelling = &Rule{
	ID:       "spelling",
	Summary:  "a commonly misspelt word",
	Severity: "warning",
	Family:   checkSpelling,
}

// checkSpelling reports misspelt words in the text of a family, with their
// correction. It knows the common misspellings of English that misspell
// knows (US and UK spellings are both accepted) and those of the policy's
// spelling list, whole words only. It reads prose only: code, URLs and
// addresses are left alone, and so are acronyms in capitals.
func checkSpelling(env *Env, f *family.Family, r *Reporter) {
	var words map[string]string
	if env.Policy != nil {
		words = env.Policy.Spelling
	}
	rep := replacer(words)
	for _, t := range f.TextFields() {
		s := prose(t.Value)
		_, diffs := rep.Replace(s)
		if len(diffs) == 0 {
			continue
		}
		lineStart := []int{0}
		for i := range len(s) {
			if s[i] == '\n' {
				lineStart = append(lineStart, i+1)
			}
		}
		for _, d := range diffs {
			if strings.ToUpper(d.Original) == d.Original {
				// An acronym, such as "OMRE", is not a misspelt word.
				continue
			}
			off := lineStart[d.Line-1] + d.Column
			r.Report(wordPos(t, off, d.Original), "%q is misspelt: write %q instead", d.Original, d.Corrected)
		}
	}
}

// replacers caches a compiled misspell.Replacer by the policy's word list:
// compiling the default list takes a while, and every family needs it.
var replacers sync.Map // string -> *misspell.Replacer

// replacer returns a Replacer for misspell's default list plus words. A
// word of the policy replaces misspell's own correction of that word.
func replacer(words map[string]string) *misspell.Replacer {
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var key strings.Builder
	var pairs []string
	for _, k := range keys {
		key.WriteString(k + "\x00" + words[k] + "\x00")
		pairs = append(pairs, strings.ToLower(k), words[k])
	}
	if rep, ok := replacers.Load(key.String()); ok {
		return rep.(*misspell.Replacer)
	}
	rep := &misspell.Replacer{Replacements: misspell.DictMain}
	rep.RemoveRule(keys)
	// At one position the earliest rule that matches wins, so the
	// policy's words go first.
	rep.Replacements = slices.Concat(pairs, rep.Replacements)
	rep.Compile()
	got, _ := replacers.LoadOrStore(key.String(), rep)
	return got.(*misspell.Replacer)
}
