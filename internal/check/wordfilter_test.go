package check

import (
	"strings"
	"testing"
)

// mayHold is what the scanners ask of the filter, for any word: whether
// w, in any case, may be in the set.
func (f *wordFilter) mayHold(w string) bool {
	return !isASCII(w) || f.mayHoldHash(foldHash(w))
}

// TestWordFilter checks the filter's promise on misspell's whole list:
// it never turns away a word of the set, in any case, and it turns away
// most words that are not in it, or it saves nothing.
func TestWordFilter(t *testing.T) {
	d := dictionary(map[string]string{"naïve": "naive", "Recieve": "receive"})
	if len(d.words) < 10_000 {
		t.Fatalf("dictionary has %d words, want misspell's list", len(d.words))
	}
	for w := range d.words {
		for _, v := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if !d.filter.mayHold(v) {
				t.Fatalf("filter turns away %q, a word of the set", v)
			}
		}
	}
	// The corrections are real words, nearly all of them absent from the
	// set of misspellings.
	hits, n := 0, 0
	for _, c := range d.words {
		if _, in := d.words[strings.ToLower(c)]; in {
			continue
		}
		n++
		if d.filter.mayHold(c) {
			hits++
		}
	}
	if n == 0 || hits*10 > n {
		t.Errorf("filter lets through %d of %d words that are not in the set, want under a tenth", hits, n)
	}
}

// TestASCIILetter checks the one comparison asciiLetter makes against the
// two ranges it stands for, on every byte.
func TestASCIILetter(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		if want := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'; asciiLetter(b) != want {
			t.Errorf("asciiLetter(%#x) = %v, want %v", b, !want, want)
		}
		if want := strings.ToLower(string(rune(b)))[0]; b < 0x80 && lowerASCII[b] != want {
			t.Errorf("lowerASCII[%#x] = %#x, want %#x", b, lowerASCII[b], want)
		}
	}
}
