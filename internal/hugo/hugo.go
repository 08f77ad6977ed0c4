// Package hugo knows where Hugo serves a content file: the URL path it
// makes from the file's path, the way Hugo's default permalinks do. jobfam
// needs that twice over: import gives a family the id of its page's URL,
// and publish recognises which hand-written page a family now serves.
//
// The rules are Hugo's documented ones for content without "url" or
// "slug" in its front matter: a page's URL is its path without the
// extension; an index page (_index.md, index.md) stands for its folder;
// each segment keeps letters, digits, marks and a few punctuation marks,
// turns runs of spaces and hyphens into one hyphen, drops the rest, and is
// lowercased (Hugo's disablePathToLower is false by default).
package hugo

import (
	"path"
	"strings"
	"unicode"
)

// IsPage reports whether Hugo reads a file with this name as a Markdown
// page. Files with other extensions are resources or other formats that
// jobfam does not import.
func IsPage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// IsIndex reports whether a page with this name stands for its folder:
// _index.md (a section, whose other pages are served too) or index.md (a
// leaf bundle).
func IsIndex(name string) bool {
	base := path.Base(name)
	stem := strings.TrimSuffix(base, path.Ext(base))
	return IsPage(base) && (stem == "_index" || stem == "index")
}

// PageURL returns the URL path at which Hugo serves the page rel, a path
// relative to a content folder with forward slashes, relative to that
// folder's own URL and without slashes at either end:
// "finance/internal-audit/director-IT-audit.md" is served at
// "finance/internal-audit/director-it-audit", and
// "engineering/development/frontend/_index.md" at
// "engineering/development/frontend". The folder's own index page gives
// "".
func PageURL(rel string) string {
	rel = strings.Trim(path.Clean("/"+strings.ReplaceAll(rel, "\\", "/")), "/")
	if IsIndex(rel) {
		rel = path.Dir(rel)
		if rel == "." {
			return ""
		}
	} else {
		rel = strings.TrimSuffix(rel, path.Ext(rel))
	}
	segs := strings.Split(rel, "/")
	out := segs[:0]
	for _, s := range segs {
		if s = Sanitize(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "/")
}

// Sanitize makes one path segment as Hugo does for URLs: letters, digits,
// marks and the characters . _ # + ~ are kept, as is a percent sign that
// starts an escape; a run of hyphens and white space between kept
// characters becomes one hyphen; everything else is dropped; the result is
// lowercase.
func Sanitize(s string) string {
	var b strings.Builder
	rs := []rune(s)
	hyphen := false
	for i, r := range rs {
		keep := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._#+~", r) ||
			r == '%' && i+2 < len(rs) && isHex(rs[i+1]) && isHex(rs[i+2])
		switch {
		case keep:
			if hyphen {
				b.WriteByte('-')
				hyphen = false
			}
			b.WriteRune(unicode.ToLower(r))
		case b.Len() > 0 && (r == '-' || unicode.IsSpace(r)):
			hyphen = true
		}
	}
	return b.String()
}

func isHex(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}

// IDSegment makes a URL segment a family-id segment: lowercase ASCII
// letters and digits joined by single hyphens. It returns "" when nothing
// is left. A segment that comes back unchanged keeps its URL as the id.
func IDSegment(seg string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(seg) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}
