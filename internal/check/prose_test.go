package check

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refProse is prose as it was before it started the pattern at the first
// trigger: the pattern over the whole text.
func refProse(s string) string {
	if !strings.ContainsAny(s, "`@{<") && !strings.Contains(s, "](") && !strings.Contains(s, "://") && !strings.Contains(s, "www.") {
		return s
	}
	return notProse.ReplaceAllStringFunc(s, func(m string) string {
		b := []byte(m)
		for i := range b {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
		return string(b)
	})
}

// proseTokens are the pieces of the generated texts: the triggers and
// parts of every alternative of notProse, and what surrounds them.
var proseTokens = []string{
	" ", "\n", "\t", "`", "```", "](", "[a](b)", "[", "]", "(", ")", "http://x.y/z", "https://", "ftp://", "http", "s", "ftp",
	":", "/", "//", "www.", "www", ".", "a@b.c", "x.y+z@d-e.f", "@", "%", "+", "-", "_", "{{<", "{{%", ">}}", "%}}", "{", "}",
	"<b>", "</a>", "<", ">", "\"", "word", "Word", "3", "é", "\xff",
}

// TestProse compares prose, and its fallback, with the pattern run over the
// whole text, on many generated texts and on every line of the corpus when
// it is there.
func TestProse(t *testing.T) {
	for s := range texts(3, 100_000, 12, proseTokens) {
		if got, want := prose(s), refProse(s); got != want {
			t.Fatalf("prose(%q) = %q, want %q", s, got, want)
		}
		// The fallback, the pattern run once from the first trigger.
		if got, want := proseAtOnce(s), refProse(s); got != want {
			t.Fatalf("proseAtOnce(%q) = %q, want %q", s, got, want)
		}
	}
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "gitlab-handbook")
	if _, err := os.Stat(dir); err != nil {
		t.Logf("no corpus: %v", err)
		return
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Whole pages too, for fenced code across lines.
		for _, s := range append(strings.Split(string(src), "\n"), string(src)) {
			if prose(s) != refProse(s) {
				t.Fatalf("%s: prose(%q) differs from the pattern over the whole text", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFirstTrigger compares firstTrigger's one pass with the first of the
// triggers found one by one.
func TestFirstTrigger(t *testing.T) {
	triggers := []string{"`", "@", "{", "<", "](", "://", "www."}
	tokens := append([]string{"a", "w", "ww", "]", "(", ":", "/", " ", "é"}, triggers...)
	for s := range texts(5, 50_000, 7, tokens) {
		want := -1
		for _, tr := range triggers {
			if i := strings.Index(s, tr); i >= 0 && (want < 0 || i < want) {
				want = i
			}
		}
		if got := firstTrigger(s); got != want {
			t.Fatalf("firstTrigger(%q) = %d, want %d", s, got, want)
		}
	}
}
