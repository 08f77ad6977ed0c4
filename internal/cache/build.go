package cache

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"fmt"
	"io"
	"os"
)

// Build identifies the running jobfam, whose rules decide every outcome:
// an entry written by one build is never read by another.
//
// The Go toolchain gives every binary a build ID, a digest of everything
// that went into it, which go build, go install, go run and go test all
// write; reading it costs a few kilobytes. For a binary built without
// one (-buildid=) or whose build ID cannot be found, Build hashes the
// whole executable, about 30 MB. A version string or VCS revision is not used alone: a
// go run of a modified checkout records the same revision as the clean
// one.
func Build() ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find jobfam's executable: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, fmt.Errorf("read jobfam's executable: %w", err)
	}
	defer f.Close()
	if id := goBuildID(f); len(id) > 0 {
		return append([]byte("go build id "), id...), nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read jobfam's executable: %w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("read jobfam's executable: %w", err)
	}
	return h.Sum([]byte("sha256 ")), nil
}

// rawBuildID marks the build ID that the Go linker writes at the start of
// the text of Mach-O and PE binaries (and ELF ones, besides the note).
var rawBuildID = []byte("\xff Go build ID: \"")

// goBuildID returns the Go build ID of the executable f, or nil: from the
// ELF note Go writes, else from the first 32 KiB, where the linker puts it
// in other formats (as cmd/internal/buildid reads it).
func goBuildID(f *os.File) []byte {
	if ef, err := elf.NewFile(f); err == nil {
		if s := ef.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil && len(data) > 16 {
				// A note: name size, descriptor size, type, "Go\x00\x00",
				// then the descriptor, the build ID.
				desc := data[16:]
				if n := int(ef.ByteOrder.Uint32(data[4:8])); n > 0 && n <= len(desc) {
					return bytes.Clone(desc[:n])
				}
			}
		}
		return nil
	}
	buf := make([]byte, 32<<10)
	n, _ := io.ReadFull(io.NewSectionReader(f, 0, int64(len(buf))), buf)
	buf = buf[:n]
	i := bytes.Index(buf, rawBuildID)
	if i < 0 {
		return nil
	}
	rest := buf[i+len(rawBuildID):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 {
		return nil
	}
	return bytes.Clone(rest[:j])
}
