// Command mutate writes randomly edited copies of job-family .cue files, for
// equivalence testing of two jobfam binaries: when a change must not alter
// what jobfam reports (a faster matcher, a refactored rule, a new cache),
// the old and the new binary must print byte-identical
// `jobfam validate --format json` output on the mutated sets. The real
// families are too few and too clean to show a difference; the edits here
// feed the content rules the text they are most likely to disagree on.
//
// Usage:
//
//	go run ./scripts/mutate -out DIR [-seed N] [-n N] SRC...
//
// It collects every .cue file under the SRC folders, sorts them, shuffles
// them with a PCG seeded from -seed, and edits the first -n of them: from 1
// to 12 times, it inserts a piece of text, with spaces around it six times
// in ten, at a random place inside a random one-line double-quoted string.
// The pieces are misspellings, words the wording rules flag, brackets,
// quotes, Markdown, links, HTML and shortcodes, years of experience written
// in many ways, letters that change under Unicode case folding (İ, the
// Kelvin sign, the long s), escapes and punctuation. Three times in ten it
// then duplicates one list bullet line. Each edited file is written to
// OUT/<base name of its SRC folder>/<path under SRC>; a file without a
// string to edit is not written. The same seed, inputs and build always
// write the same files.
//
// Every copy stays valid CUE. A piece is inserted only between whole
// characters and whole escapes of a string (never inside \", \u00e9 or an
// interpolation \(x)), and the pieces hold only escapes CUE accepts (\", \n,
// \t) and no line break. Only the string values are edited: field labels
// ("senior-manager": ...), comments, import paths, and multi-line, raw and
// byte strings are left as they are, as the content rules do not read them.
//
// OUT must be empty or not exist yet, so that a set never mixes copies from
// two runs; SRC folders must have distinct base names. Errors go to stderr
// and exit 1; a usage error exits 2.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// pieces are inserted into strings. Each must be valid inside a CUE
// one-line double-quoted string: escapes written as in the file (\", \n,
// \t), no line break, no lone backslash.
var pieces = []string{
	"recieve", "Teh", "ACHEIVE", "definately", "doesnt", "rockstar", "ninja",
	"he", "his", "He/she", "manpower", "native English speaker", "young",
	"(", ")", "[", "]", "{", "}", "“", "”", `\"`, "`code`", "`", "```",
	"[a](https://x.y/z)", "](", "http://a.b/c", "www.x.y", "a@b.co",
	"{{< x >}}", "<b>", "<",
	"5+ years", "2-3 of experience", "ten years", "ſix years", "3 to 5 yrs",
	"within 2 years", "2 years of law school",
	"İ", "\u212a", // the Kelvin sign, which folds to k
	"é", "É", "ß", " ", "  ", ".", "!", "1)", "a)", "'", `\n`, `\t`,
	"0", "15", "Fourteen years", "one–two years", "twenty-one years",
}

const (
	maxEdits     = 12  // edits per file: 1 to maxEdits
	spacedOdds   = 0.6 // odds that a piece gets a space on each side
	duplicateOdd = 0.3 // odds that a file gets one bullet line duplicated
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// run is the command: it returns the exit code.
func run(args []string, stderr io.Writer) int {
	fl := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "folder to write the mutated copies into (required; must be empty or absent)")
	seed := fl.Int64("seed", 1, "seed of the random edits")
	n := fl.Int("n", 200, "number of files to mutate")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: mutate -out DIR [-seed N] [-n N] SRC...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "mutate:", msg)
		fl.Usage()
		return 2
	}
	switch {
	case *out == "":
		return usage("-out is required")
	case fl.NArg() == 0:
		return usage("no SRC folder given")
	case *n < 0:
		return usage(fmt.Sprintf("-n must not be negative, got %d", *n))
	}
	if err := mutate(*out, *seed, *n, fl.Args()); err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 1
	}
	return 0
}

// source is one .cue file found under a SRC folder.
type source struct {
	path string // to read it
	rel  string // under OUT: base name of SRC, then the path under SRC
}

func mutate(out string, seed int64, n int, srcs []string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("-out %s: %w", out, err)
	}
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("-out %s is not empty: give an empty or new folder", out)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("-out %s: %w", out, err)
	}
	files, err := collect(srcs, absOut)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x6a6f6266616d)) // "jobfam"
	r.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	for _, f := range files[:min(n, len(files))] {
		src, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		mutated, ok := mutateFile(r, src)
		if !ok {
			continue
		}
		dst := filepath.Join(out, f.rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, mutated, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// collect returns the .cue files under srcs, sorted by their path under
// OUT. It skips the folder absOut, should it lie inside a SRC folder.
func collect(srcs []string, absOut string) ([]source, error) {
	var files []source
	bases := map[string]string{}
	for _, src := range srcs {
		abs, err := filepath.Abs(src)
		if err != nil {
			return nil, fmt.Errorf("SRC %s: %w", src, err)
		}
		base := filepath.Base(abs)
		if base == string(filepath.Separator) || base == "." {
			return nil, fmt.Errorf("SRC %s has no base name to write its copies under", src)
		}
		if prev, dup := bases[base]; dup {
			return nil, fmt.Errorf("SRC %s and %s have the same base name %q: their copies would overwrite each other", prev, src, base)
		}
		bases[base] = src
		if fi, err := os.Stat(src); err != nil {
			return nil, fmt.Errorf("SRC %w", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("SRC %s is not a folder", src)
		}
		err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if a, err := filepath.Abs(path); err == nil && a == absOut {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || filepath.Ext(path) != ".cue" {
				return nil
			}
			rel, err := filepath.Rel(src, path)
			if err != nil {
				return err
			}
			files = append(files, source{path: path, rel: filepath.Join(base, rel)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("SRC %s: %w", src, err)
		}
	}
	slices.SortFunc(files, func(a, b source) int { return strings.Compare(a.rel, b.rel) })
	return files, nil
}

// mutateFile returns src edited, or false if it has no string to edit.
func mutateFile(r *rand.Rand, src []byte) ([]byte, bool) {
	lits := literals(src)
	if len(lits) == 0 {
		return nil, false
	}
	buf := slices.Clone(src)
	for range 1 + r.IntN(maxEdits) {
		lit := lits[r.IntN(len(lits))]
		bounds := boundaries(buf[lit.start:lit.end])
		at := lit.start + bounds[r.IntN(len(bounds))]
		p := pieces[r.IntN(len(pieces))]
		if r.Float64() < spacedOdds {
			p = " " + p + " "
		}
		buf = slices.Insert(buf, at, []byte(p)...)
		lits = literals(buf)
	}
	if r.Float64() < duplicateOdd {
		if lines := bullets(buf, lits); len(lines) > 0 {
			l := lines[r.IntN(len(lines))]
			buf = slices.Insert(buf, l[0], append(slices.Clone(buf[l[0]:l[1]]), '\n')...)
		}
	}
	return buf, true
}

// literal is the body of a one-line double-quoted string value in a file:
// src[start:end], without the quotes.
type literal struct{ start, end int }

// literals returns the one-line double-quoted string values in src, in
// order. It leaves out field labels, import paths and anything in
// comments, and skips multi-line, raw (#"..."#) and byte ('...') strings.
// It is a lexer for the little CUE a family file is, not a parser: on
// malformed input it finds fewer strings, never a wrong one that breaks
// the file when edited.
func literals(src []byte) []literal {
	var lits []literal
	importNext, inImports := false, false
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = lineEnd(src, i)
		case c == '#' || c == '"' || c == '\'':
			hashes := 0
			for i+hashes < len(src) && src[i+hashes] == '#' {
				hashes++
			}
			if i+hashes == len(src) || (src[i+hashes] != '"' && src[i+hashes] != '\'') {
				i += hashes // a definition's name, as in #Family
				continue
			}
			q := src[i+hashes]
			start := i + hashes + 1
			if start+1 < len(src) && src[start] == q && src[start+1] == q {
				i = skipMultiline(src, start+2, q, hashes)
				continue
			}
			end, ok := stringEnd(src, start, q, hashes)
			if !ok {
				i = lineEnd(src, i) // unterminated: leave the line alone
				continue
			}
			i = end + 1 + hashes
			if hashes > 0 || q != '"' || importNext || inImports || isLabel(src, i) {
				importNext = false
				continue
			}
			lits = append(lits, literal{start, end})
		case isIdent(c):
			j := i
			for j < len(src) && isIdent(src[j]) {
				j++
			}
			importNext = string(src[i:j]) == "import"
			i = j
		case c == '(' && importNext:
			importNext, inImports = false, true
			i++
		case c == ')' && inImports:
			inImports = false
			i++
		default:
			i++
		}
	}
	return lits
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf
}

func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// stringEnd returns the index of the quote q (followed by hashes #) that
// closes the one-line string whose body starts at src[start], or false if
// the line ends first.
func stringEnd(src []byte, start int, q byte, hashes int) (int, bool) {
	for i := start; i < len(src); {
		switch {
		case src[i] == '\n':
			return 0, false
		case src[i] == q && closes(src, i+1, hashes):
			return i, true
		case src[i] == '\\' && closes(src, i+1, hashes):
			i += 1 + hashes
			if i < len(src) && src[i] == '(' {
				end, ok := interpolationEnd(src, i+1)
				if !ok {
					return 0, false
				}
				i = end
			} else if i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			i++
		}
	}
	return 0, false
}

// closes reports whether src[i:] starts with hashes #.
func closes(src []byte, i, hashes int) bool {
	for k := range hashes {
		if i+k >= len(src) || src[i+k] != '#' {
			return false
		}
	}
	return true
}

// interpolationEnd returns the index just past the ) that closes the
// interpolation whose expression starts at src[i], on the same line.
func interpolationEnd(src []byte, i int) (int, bool) {
	depth := 1
	for i < len(src) && src[i] != '\n' {
		switch src[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '"', '\'':
			end, ok := stringEnd(src, i+1, src[i], 0)
			if !ok {
				return 0, false
			}
			i = end
		}
		i++
	}
	return 0, false
}

// skipMultiline returns the index past the closing triple quote of the
// multi-line string whose body starts at src[i].
func skipMultiline(src []byte, i int, q byte, hashes int) int {
	for i < len(src) {
		switch {
		case i+2 < len(src) && src[i] == q && src[i+1] == q && src[i+2] == q && closes(src, i+3, hashes):
			return i + 3 + hashes
		case src[i] == '\\' && closes(src, i+1, hashes):
			i += 1 + hashes + 1
		default:
			i++
		}
	}
	return len(src)
}

// isLabel reports whether the string that ends just before src[i] is a
// field label: a colon (maybe after ? or !) follows it on the line.
func isLabel(src []byte, i int) bool {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i < len(src) && (src[i] == '?' || src[i] == '!') {
		i++
	}
	return i < len(src) && src[i] == ':'
}

// boundaries returns the offsets in the body of a one-line double-quoted
// string where text can be inserted without splitting a UTF-8 character,
// an escape (\", \n, \u00e9, \U0001f600; \x41 and \101 as byte strings
// have them) or an interpolation \(x). It always holds 0 and len(body).
func boundaries(body []byte) []int {
	b := []int{0}
	for i := 0; i < len(body); {
		if body[i] == '\\' && i+1 < len(body) {
			switch c := body[i+1]; {
			case c == 'u':
				i += 6
			case c == 'U':
				i += 10
			case c == 'x':
				i += 4
			case '0' <= c && c <= '7':
				i += 4
			case c == '(':
				if end, ok := interpolationEnd(body, i+2); ok {
					i = end
				} else {
					i = len(body)
				}
			default:
				_, size := utf8.DecodeRune(body[i+1:])
				i += 1 + size
			}
		} else {
			_, size := utf8.DecodeRune(body[i:])
			i += size
		}
		i = min(i, len(body))
		b = append(b, i)
	}
	return b
}

// bullets returns the list bullet lines of src, as [start, end) without the
// line break: lines that, trimmed, start with " and end with ", and whose
// first string is a one-line string value that starts the line.
func bullets(src []byte, lits []literal) [][2]int {
	opens := map[int]bool{}
	for _, l := range lits {
		opens[l.start-1] = true
	}
	var lines [][2]int
	for start := 0; start < len(src); {
		end := lineEnd(src, start)
		line := string(src[start:end])
		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if strings.HasPrefix(trimmed, `"`) && strings.HasSuffix(trimmed, `",`) && opens[start+indent] {
			lines = append(lines, [2]int{start, end})
		}
		start = end + 1
	}
	return lines
}
