// Package cache keeps, between runs of jobfam, what checking each family
// file found: its findings, the findings its jobfam:ignore comments
// silence, and the header that the rules across families read
// (family.Outcome). An unchanged family in a repository of thousands is
// then neither parsed nor evaluated again.
//
// Each outcome is one file in the cache folder, named for a digest of its
// key and of jobfam's build. An entry is written to a temporary file in the
// same folder and renamed into place, so a reader, or another jobfam
// running at the same time, sees a whole entry or none. An entry that is
// truncated, garbled, of another format version or of another key is
// ignored, and its outcome computed again: the cache may cost time, never
// a finding.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jobfam/jobfam/internal/family"
)

// magic starts every entry; its last byte is the format version, raised
// whenever the encoding of an Outcome changes.
const magic = "jobfam-cache\x00\x01"

// header is the size of what precedes an entry's payload: the magic, the
// entry's name as a digest, and the payload's SHA-256 digest.
const header = len(magic) + 2*sha256.Size

// Limits bound the folder. An entry that would be larger than MaxEntry is
// not written: a file with thousands of findings is checked every time.
const (
	DefaultMaxBytes = 64 << 20
	MaxEntry        = 1 << 20
)

// refresh is how old an entry's modification time may grow before a read
// renews it. Trimming removes the entries read least recently; renewing
// at most once a day keeps a warm run from writing to every entry.
const refresh = 24 * time.Hour

// tmpPrefix starts the names of entries being written.
const tmpPrefix = ".tmp-"

// Entries are written by one goroutine, so that creating and renaming
// files, which may wait on the file system, overlaps with checking the
// families in the workers. One is enough and more cost more: files made
// in one folder take turns at the folder's lock, and writers waiting for
// it spin on the CPUs the workers need (measured in
// docs/performance.md). queued is how many encoded entries may wait.
const queued = 256

// Store is a cache folder for one build of jobfam. It implements
// family.Memo and is safe for concurrent use.
type Store struct {
	dir   string
	build [sha256.Size]byte
	// MaxBytes bounds the entries' total size: Close trims the least
	// recently used entries when a run that wrote finds them over it.
	MaxBytes int64
	wrote    atomic.Bool
	// empty is whether the folder was empty when the Store was opened,
	// until Close has written: Get then does not look for entries, which
	// a first run would ask the file system for in vain, once per family.
	// An entry that another jobfam writes meanwhile is missed, which costs
	// only time.
	empty atomic.Bool

	// mu guards queue, made by the first Put after Open or Close, and
	// drained by the writer, which Close waits for.
	mu      sync.Mutex
	queue   chan entry
	written sync.WaitGroup
}

// entry is an encoded outcome waiting for a writer.
type entry struct {
	name [sha256.Size]byte
	b    []byte
}

// Open returns the cache in dir, made if missing (readable by its owner
// only: it holds findings about the repository's files), for the build
// of jobfam that build identifies (see Build).
func Open(dir string, build []byte) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the cache folder: %w", err)
	}
	s := &Store{dir: dir, build: sha256.Sum256(build), MaxBytes: DefaultMaxBytes}
	s.empty.Store(isEmpty(dir))
	return s, nil
}

// isEmpty reports whether dir holds no file at all, reading one name.
func isEmpty(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) == 0
}

// Dir is the cache's folder.
func (s *Store) Dir() string { return s.dir }

// name is the digest an entry of key k is named for: the key alone does
// not tell builds of jobfam apart.
func (s *Store) name(k family.Key) [sha256.Size]byte {
	var b [2 * sha256.Size]byte
	copy(b[:], s.build[:])
	copy(b[sha256.Size:], k[:])
	return sha256.Sum256(b[:])
}

func (s *Store) path(name [sha256.Size]byte) string {
	return filepath.Join(s.dir, hex.EncodeToString(name[:]))
}

// Get returns the outcome kept for k, if a sound entry holds it.
func (s *Store) Get(k family.Key) (*family.Outcome, bool) {
	if s.empty.Load() {
		return nil, false
	}
	name := s.name(k)
	path := s.path(name)
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() > MaxEntry+int64(header) {
		return nil, false
	}
	b := make([]byte, info.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, false
	}
	o, err := decode(b, name)
	if err != nil {
		return nil, false
	}
	if time.Since(info.ModTime()) > refresh {
		now := time.Now()
		_ = os.Chtimes(path, now, now) // Only trimming order depends on it.
	}
	return o, true
}

// Put keeps o under k: it encodes o and leaves the writing to the writer
// goroutine, so Get may not see the entry until Close has returned. A
// failure to write only means the outcome is computed again next time,
// so it is not reported.
func (s *Store) Put(k family.Key, o *family.Outcome) {
	name := s.name(k)
	b, err := encode(o, name)
	if err != nil || len(b) > MaxEntry+header {
		return
	}
	s.mu.Lock()
	if s.queue == nil {
		s.queue = make(chan entry, queued)
		s.written.Add(1)
		go s.writeFrom(s.queue)
	}
	q := s.queue
	s.mu.Unlock()
	q <- entry{name, b}
}

func (s *Store) writeFrom(q <-chan entry) {
	defer s.written.Done()
	for e := range q {
		if err := s.write(e.name, e.b); err == nil {
			s.wrote.Store(true)
		}
	}
}

// flush waits until every entry Put so far is written.
func (s *Store) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queue != nil {
		close(s.queue)
		s.written.Wait()
		s.queue = nil
		s.empty.Store(false)
	}
}

// write puts an entry into place atomically: readers and other writers
// see the old entry, the new one or none, never part of one.
func (s *Store) write(name [sha256.Size]byte, b []byte) error {
	tmp, err := os.CreateTemp(s.dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path(name))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// encode makes an entry: magic, name, the payload's digest, the payload.
// The payload is JSON: an entry like a family's decodes in about 13 µs,
// against 38 µs for encoding/gob, which describes its types again in
// every entry.
func encode(o *family.Outcome, name [sha256.Size]byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(1024)
	buf.WriteString(magic)
	buf.Write(name[:])
	buf.Write(make([]byte, sha256.Size)) // The digest, filled in below.
	if err := json.NewEncoder(&buf).Encode(o); err != nil {
		return nil, fmt.Errorf("encode a cache entry: %w", err)
	}
	b := buf.Bytes()
	sum := sha256.Sum256(b[header:])
	copy(b[len(magic)+sha256.Size:], sum[:])
	return b, nil
}

// errEntry is any reason an entry is not used.
var errEntry = errors.New("unusable cache entry")

// decode reads an entry made by encode for name. A garbled payload could
// still decode, into findings that were never found: the digest catches
// it first.
func decode(b []byte, name [sha256.Size]byte) (*family.Outcome, error) {
	if len(b) < header || string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not an entry of this format", errEntry)
	}
	if !bytes.Equal(b[len(magic):len(magic)+sha256.Size], name[:]) {
		return nil, fmt.Errorf("%w: another key's", errEntry)
	}
	if sum := sha256.Sum256(b[header:]); !bytes.Equal(sum[:], b[len(magic)+sha256.Size:header]) {
		return nil, fmt.Errorf("%w: damaged", errEntry)
	}
	var o family.Outcome
	if err := json.Unmarshal(b[header:], &o); err != nil {
		return nil, fmt.Errorf("%w: %v", errEntry, err)
	}
	return &o, nil
}

// Close waits for the entries Put so far to be written, and must not be
// called while a Put is running. Then it trims the cache when this run
// wrote to it and its entries are over MaxBytes: the least recently used
// go until they take three quarters of it. A run that only read costs
// nothing more; one that wrote lists the folder once. The Store stays
// usable.
func (s *Store) Close() error {
	s.flush()
	if !s.wrote.Load() {
		return nil
	}
	return s.trim()
}

func (s *Store) trim() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("trim the cache: %w", err)
	}
	type entry struct {
		path string
		size int64
		mod  time.Time
	}
	var all []entry
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		path := filepath.Join(s.dir, e.Name())
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			// A writer that died leaves its temporary file behind; one
			// that is still writing finishes within the hour.
			if time.Since(info.ModTime()) > time.Hour {
				os.Remove(path)
			}
			continue
		}
		if !isEntryName(e.Name()) {
			continue
		}
		all = append(all, entry{path, info.Size(), info.ModTime()})
		total += info.Size()
	}
	if total <= s.MaxBytes {
		return nil
	}
	slices.SortFunc(all, func(a, b entry) int { return a.mod.Compare(b.mod) })
	for _, e := range all {
		if total <= s.MaxBytes/4*3 {
			break
		}
		if err := os.Remove(e.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("trim the cache: %w", err)
		}
		total -= e.size
	}
	return nil
}

// isEntryName tells an entry's name, 64 lowercase hex digits, from any
// other file someone put in the folder, which trimming leaves alone.
func isEntryName(n string) bool {
	if len(n) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(n)
	return err == nil && strings.ToLower(n) == n
}
