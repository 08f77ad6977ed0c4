package check

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
	dict := dictionary(words)
	for _, t := range f.TextFields() {
		s := prose(t.Value)
		for start := 0; start < len(s); {
			word, off, h, ascii := nextWord(s, start)
			if word == "" {
				break
			}
			start = off + len(word)
			if ascii && !dict.filter.mayHoldHash(h) {
				continue
			}
			lower := word
			if hasUpper(word) {
				lower = strings.ToLower(word)
			}
			corrected, ok := dict.words[lower]
			if !ok || strings.ToUpper(word) == word {
				// Not a known misspelling, or an acronym such as "OMRE".
				continue
			}
			if r, size := utf8.DecodeRuneInString(word); unicode.IsUpper(r) && size > 0 {
				c, n := utf8.DecodeRuneInString(corrected)
				corrected = string(unicode.ToUpper(c)) + corrected[n:]
			}
			r.Report(wordPos(t, off, word), "%q is misspelt: write %q instead", word, corrected)
		}
	}
}

// nextWord returns the first word of s at or after byte offset from, and
// its offset: a run of letters, with apostrophes inside it ("doesnt" and
// "doesn't" are both words). It also tells whether the word is ASCII and,
// if so, its foldHash, computed as it reads the word.
func nextWord(s string, from int) (w string, off int, h uint64, ascii bool) {
	i := from
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiLetter(c) {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) {
			break
		}
		i += n
	}
	j := i
	h, ascii = hashStart, true
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			// ASCII, byte by byte: most text is.
			if asciiLetter(c) || (c == '\'' && j > i && j+1 < len(s) && isLetterAt(s, j+1)) {
				h = foldByte(h, c)
				j++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		ascii = false
		j += n
	}
	return s[i:j], i, h, ascii
}

// asciiLetter reports whether c is an ASCII letter: setting bit 5 makes an
// upper-case letter lower case, and one comparison of unsigned bytes then
// tests the range, in the loops that read every byte of every text.
func asciiLetter(c byte) bool { return (c|0x20)-'a' < 26 }

func isLetterAt(s string, i int) bool {
	if s[i] < utf8.RuneSelf {
		return asciiLetter(s[i])
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// dictionaries caches the misspelling -> correction map by the policy's
// word list: misspell's default list has tens of thousands of entries, and
// every family needs it.
var dictionaries sync.Map // string -> *spellings

// spellings maps misspellings in lower case to their corrections.
type spellings struct {
	words  map[string]string
	filter *wordFilter
}

// dictionary returns misspell's default list plus words, keyed by the
// misspelling in lower case, and its filter. Looking up whole words in a
// map is what "whole words only" means, and it is far faster than
// misspell's own replacer, which matches inside words and then checks
// each candidate with regular expressions. A word of the policy replaces
// misspell's own correction of that word.
func dictionary(words map[string]string) *spellings {
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var key strings.Builder
	for _, k := range keys {
		key.WriteString(k + "\x00" + words[k] + "\x00")
	}
	if d, ok := dictionaries.Load(key.String()); ok {
		return d.(*spellings)
	}
	d := make(map[string]string, len(misspell.DictMain)/2+len(words))
	for i := 0; i+1 < len(misspell.DictMain); i += 2 {
		d[strings.ToLower(misspell.DictMain[i])] = misspell.DictMain[i+1]
	}
	for k, v := range words {
		d[strings.ToLower(k)] = v
	}
	got, _ := dictionaries.LoadOrStore(key.String(), &spellings{d, newWordFilter(d)})
	return got.(*spellings)
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return true // Non-ASCII may be upper case: let ToLower decide.
		}
	}
	return false
}
