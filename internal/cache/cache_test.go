package cache

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

// outcome is an outcome like a family's, with a finding, a silenced one
// and a header with a pending link.
func outcome(i int) *family.Outcome {
	file := fmt.Sprintf("families/a/f%d.cue", i)
	title := &family.Node{Kind: family.KindString, Pos: diag.Pos{File: file, Line: 1, Col: 14}, Str: "Family", Raw: `"Family"`}
	return &family.Outcome{
		Findings: []diag.Finding{{
			Pos: diag.Pos{File: file, Line: 3, Col: 2}, Rule: "grade-order", Severity: diag.Warning,
			Message: "level \"staff\" has grade 7", Related: []diag.Pos{{File: file, Line: 2, Col: 2}},
		}},
		Suppressed: []diag.Finding{{Pos: diag.Pos{File: file, Line: 5, Col: 1}, Rule: "spelling", Message: "x (silenced: y)"}},
		Header: &family.Header{
			ID: fmt.Sprintf("a/f%d", i), File: file,
			Title:   family.Text{Value: "Family", Node: title},
			Aliases: []family.Text{{Value: "/old/", Node: title}},
			PendingLinks: []family.PendingLink{{
				Finding: diag.Finding{Pos: diag.Pos{File: file, Line: 9, Col: 3}, Rule: "ladder-link", Message: "link: "},
				ID:      "b/c", Path: "/job-families/b/c/", Silenced: "soon",
			}},
		},
	}
}

func key(i int) family.Key { return sha256.Sum256([]byte(fmt.Sprint(i))) }

func open(t *testing.T, dir, build string) *Store {
	t.Helper()
	s, err := Open(dir, []byte(build))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, "build 1")
	for _, o := range []*family.Outcome{outcome(1), {}, {Findings: []diag.Finding{{Rule: "syntax", Message: "m"}}}} {
		s.Put(key(1), o)
		s.flush()
		got, ok := s.Get(key(1))
		if !ok {
			t.Fatalf("Get after Put: not found")
		}
		if diff := cmp.Diff(o, got); diff != "" {
			t.Errorf("Get after Put (-put +got):\n%s", diff)
		}
	}
	if _, ok := s.Get(key(2)); ok {
		t.Errorf("Get of a key never put: found")
	}
	if _, ok := open(t, dir, "build 2").Get(key(1)); ok {
		t.Errorf("another build read this build's entry")
	}
}

// TestDamagedEntries checks that an entry that is not exactly what Put
// wrote for the key is ignored, and that Put then replaces it.
func TestDamagedEntries(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, s *Store, path string, b []byte)
	}{
		{"empty", func(t *testing.T, s *Store, path string, b []byte) { write(t, path, nil) }},
		{"truncated in the header", func(t *testing.T, s *Store, path string, b []byte) { write(t, path, b[:20]) }},
		{"truncated in the payload", func(t *testing.T, s *Store, path string, b []byte) { write(t, path, b[:len(b)-5]) }},
		{"a byte of the payload changed", func(t *testing.T, s *Store, path string, b []byte) {
			b[len(b)-10] ^= 0x20
			write(t, path, b)
		}},
		{"a byte of the digest changed", func(t *testing.T, s *Store, path string, b []byte) {
			b[len(magic)+sha256.Size] ^= 1
			write(t, path, b)
		}},
		{"another format version", func(t *testing.T, s *Store, path string, b []byte) {
			b[len(magic)-1]++
			write(t, path, b)
		}},
		{"another key's entry in its place", func(t *testing.T, s *Store, path string, b []byte) {
			s.Put(key(2), outcome(2))
			s.flush()
			other, err := os.ReadFile(s.path(s.name(key(2))))
			if err != nil {
				t.Fatal(err)
			}
			write(t, path, other)
		}},
		{"a folder in its place", func(t *testing.T, s *Store, path string, b []byte) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, t.TempDir(), "build")
			s.Put(key(1), outcome(1))
			s.flush()
			path := s.path(s.name(key(1)))
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			tt.damage(t, s, path, b)
			if o, ok := s.Get(key(1)); ok {
				t.Fatalf("damaged entry was used: %+v", o)
			}
			if strings.Contains(tt.name, "folder") {
				return // Put cannot rename over a folder; Get keeps missing.
			}
			s.Put(key(1), outcome(1))
			s.flush()
			got, ok := s.Get(key(1))
			if !ok {
				t.Fatal("Put did not replace the damaged entry")
			}
			if diff := cmp.Diff(outcome(1), got); diff != "" {
				t.Errorf("after Put (-want +got):\n%s", diff)
			}
		})
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentWriters runs stores on one folder at once, as jobfam
// processes would, writing the same and different keys while reading:
// every read finds nothing or a whole entry, and no temporary file stays.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	const writers, keys, rounds = 8, 20, 20
	var wg sync.WaitGroup
	errs := make(chan string, writers*keys*rounds)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := open(t, dir, "build")
			for r := range rounds {
				for k := range keys {
					// Half the keys are shared by every writer.
					i := k
					if k%2 == 1 {
						i = 1000*w + k
					}
					if o, ok := s.Get(key(i)); ok && !cmp.Equal(outcome(i), o) {
						errs <- fmt.Sprintf("writer %d round %d: key %d read %+v", w, r, i, o)
					}
					s.Put(key(i), outcome(i))
				}
				// A run of jobfam ends with Close, which waits for its
				// writes: each round is one run.
				if err := s.Close(); err != nil {
					errs <- fmt.Sprintf("writer %d round %d: close: %v", w, r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	s := open(t, dir, "build")
	for i := 0; i < keys; i += 2 {
		if _, ok := s.Get(key(i)); !ok {
			t.Errorf("shared key %d: no entry", i)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := keys/2 + writers*keys/2; len(entries) != want {
		t.Errorf("%d files in the cache, want %d entries and no temporary files", len(entries), want)
	}
}

// TestTrim checks that a run that wrote trims the least recently used
// entries when the folder is over its limit, leaves other files alone,
// and that a run that only read does not trim.
func TestTrim(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, "build")
	for i := range 40 {
		s.Put(key(i), outcome(i))
		s.flush()
		// Entry i was used i minutes after the oldest.
		when := time.Now().Add(-time.Hour + time.Duration(i)*time.Minute)
		if err := os.Chtimes(s.path(s.name(key(i))), when, when); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "README"), []byte("not an entry"))
	info, err := os.Stat(s.path(s.name(key(0))))
	if err != nil {
		t.Fatal(err)
	}
	size := info.Size()

	reader := open(t, dir, "build")
	reader.MaxBytes = 10 * size
	reader.Get(key(0))
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, dir); n != 41 {
		t.Fatalf("a run that only read trimmed: %d files, want 41", n)
	}

	s.MaxBytes = 10 * size
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Three quarters of 10 entries' size: the 7 most recent stay.
	for i := range 40 {
		_, ok := s.Get(key(i))
		if want := i >= 33; ok != want {
			t.Errorf("entry %d kept: %v, want %v", i, ok, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		t.Errorf("trimming removed a file that is not an entry: %v", err)
	}
}

func count(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestBuild(t *testing.T) {
	a, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) || len(a) < 16 {
		t.Errorf("Build() = %q, then %q: want one identity", a, b)
	}
	t.Logf("build identity: %q", a)
}

// BenchmarkGet measures reading an entry like a family's: the cost of a
// warm run per family.
func BenchmarkGet(b *testing.B) {
	s, err := Open(b.TempDir(), []byte("build"))
	if err != nil {
		b.Fatal(err)
	}
	s.Put(key(1), outcome(1))
	s.flush()
	for b.Loop() {
		if _, ok := s.Get(key(1)); !ok {
			b.Fatal("miss")
		}
	}
}

// BenchmarkPut measures writing new entries like a family's: the cost a
// cold run adds per family, in ns/entry. Each entry has a key of its own,
// as in a cold run, and all go into one folder.
func BenchmarkPut(b *testing.B) {
	s, err := Open(b.TempDir(), []byte("build"))
	if err != nil {
		b.Fatal(err)
	}
	o := outcome(1)
	i := 0
	// Put leaves the writing to goroutines: each iteration puts a batch
	// and waits for it to be written, as a run's Close does.
	const batch = 100
	for b.Loop() {
		for range batch {
			i++
			s.Put(key(i), o)
		}
		s.flush()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/entry")
}

// TestFirstRun checks that a Store opened on an empty folder, which does
// not look for entries until it has written, finds them once it has, and
// that another Store, opened before they were written, still finds
// nothing rather than something wrong.
func TestFirstRun(t *testing.T) {
	dir := t.TempDir()
	first, second := open(t, dir, "build"), open(t, dir, "build")
	first.Put(key(1), outcome(1))
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if got, ok := first.Get(key(1)); !ok || !cmp.Equal(outcome(1), got) {
		t.Errorf("after Close, Get = %+v, %v; want the outcome put", got, ok)
	}
	if _, ok := second.Get(key(1)); ok {
		t.Errorf("a Store opened on an empty folder looked for entries")
	}
	if _, ok := open(t, dir, "build").Get(key(1)); !ok {
		t.Errorf("a Store opened after the write: no entry")
	}
}
