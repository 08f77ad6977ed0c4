package check

import "unicode/utf8"

// wordFilter is a set of words in lower case that answers "surely not in
// the set" for most words without a map lookup: a bit for each ASCII word
// of the set, at a hash of its bytes. The spelling and inclusive-language
// rules look up every word of every text in a map, and on long families
// those lookups were a fifth of the rules' time; most words are in neither
// map, and the filter turns them away for a few nanoseconds each.
//
// A word that is not ASCII is never turned away: its lower case comes
// from strings.ToLower, whose folding the filter does not repeat.
type wordFilter struct {
	bits []uint64
}

// filterBits is log2 of the filter's size in bits: 2^20 bits (128 KiB)
// hold misspell's list of about 30,000 words with few false hits.
const filterBits = 20

func newWordFilter[V any](set map[string]V) *wordFilter {
	f := &wordFilter{bits: make([]uint64, 1<<filterBits/64)}
	for w := range set {
		if isASCII(w) {
			h := foldHash(w) >> (64 - filterBits)
			f.bits[h/64] |= 1 << (h % 64)
		}
	}
	return f
}

// mayHoldHash reports whether an ASCII word whose foldHash is h may be in
// the set, in any case: false only when its lower case surely is not. The
// scanners hash each word as they read it.
func (f *wordFilter) mayHoldHash(h uint64) bool {
	h >>= 64 - filterBits
	return f.bits[h/64]&(1<<(h%64)) != 0
}

// foldHash hashes the ASCII lower case of w: FNV-1a, a byte at a time, so
// that a scanner can compute it with foldByte as it reads.
func foldHash(w string) uint64 {
	h := hashStart
	for i := 0; i < len(w); i++ {
		h = foldByte(h, w[i])
	}
	return h
}

const hashStart uint64 = 14695981039346656037

func foldByte(h uint64, c byte) uint64 {
	return (h ^ uint64(lowerASCII[c])) * 1099511628211
}

// lowerASCII maps ASCII capitals to small letters and every other byte to
// itself.
var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	return t
}()

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
