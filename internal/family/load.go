// Package family is the job-family model and its safe loader: it finds the
// family files of a folder, reads each one defensively, refuses anything but
// plain data, checks it against the CUE schema and builds the model that
// the rules read.
package family

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/parallel"
)

// The ids of the rules the loader applies. They are listed, with the
// others, in the registry of package check.
const (
	RuleFile     = "file"
	RuleSyntax   = "syntax"
	RuleDataOnly = "data-only"
	RuleSchema   = "schema"
)

// MaxFileSize is the largest family file read. The seed family is 18 KiB;
// a file fifty times larger is not a job description.
const MaxFileSize = 1 << 20

// contextReuse is how many files a worker checks in one CUE context before
// it starts a new one. A context keeps everything evaluated in it alive;
// starting afresh bounds memory at the cost of rebuilding the schema
// (about 0.7 ms, against about 1.5 ms to check a family like the seed).
// Measured in docs/performance.md: 32 uses less memory than 256 at the
// same speed.
const contextReuse = 32

// ErrNoFamilies is returned when a folder holds no family files.
var ErrNoFamilies = errors.New("no family files")

// idSegment is one segment of a family id.
var idSegment = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// IDProblem is what makes a family id unusable, if anything.
type IDProblem int

// The problems CheckID finds.
const (
	// IDValid is an id the loader accepts.
	IDValid IDProblem = iota
	// IDInvalid has a segment that is not lowercase letters, digits and
	// single hyphens, or an empty one.
	IDInvalid
	// IDNoDepartment is a valid name without a department folder.
	IDNoDepartment
)

// CheckID tells whether id, such as "finance/accounts-payable", is a family
// id the loader accepts. It is the loader's own test, exported so that a
// command that creates a family refuses the ids that validate would.
func CheckID(id string) IDProblem {
	segments := strings.Split(id, "/")
	switch {
	case slices.ContainsFunc(segments, func(s string) bool { return !ValidSegment(s) }):
		return IDInvalid
	case len(segments) < 2:
		return IDNoDepartment
	}
	return IDValid
}

// ValidSegment reports whether s is one segment of a family id. A level id
// has the same shape (#LevelID in the schema).
func ValidSegment(s string) bool { return idSegment.MatchString(s) }

// Result is what Load found: the families that could be read as data, and
// the findings of the load rules.
type Result struct {
	// Families are sorted by ID; Check leaves it empty. A family whose
	// file could not be read, parsed or accepted as data is absent; one
	// with schema errors, or with a file name that is not a valid id, is
	// present, holding the values of the right type.
	Families []*Family
	// Headers has one entry per family that loaded, sorted by ID, from
	// Load and Check alike.
	Headers []Header
	// IDs holds the id of every family file found, loaded or not, so that
	// a link to a family with a typo in it is not reported as broken too.
	IDs      map[string]bool
	Findings []diag.Finding
	// Suppressed are the findings that a visit of CheckMemo found silenced.
	Suppressed []diag.Finding
}

// Header is what rules across the repository compare between families:
// small enough to keep for every family of a large repository. It holds
// nothing that depends on another family, so that it can be kept between
// runs for as long as the family's file, the schema and jobfam are the
// same.
type Header struct {
	ID      string
	File    string
	Title   Text
	Aliases []Text
	// PendingLinks are the family's links to other families, which only
	// the rules across families can resolve.
	PendingLinks []PendingLink
}

// PendingLink is a link from a family to another family of the
// repository: a career ladder entry or a link into the handbook's job
// families written in a text. Whether it leads anywhere depends on every
// family's id and aliases, known only once all are listed and loaded: the
// rule that found it decides then, from the headers, so that what a family
// contributes by itself never depends on the other files.
type PendingLink struct {
	// Finding is the finding to report when the link leads nowhere. Its
	// message ends where the advice, which depends on the ids of the other
	// families, is to be added.
	Finding diag.Finding
	// ID is the family id the link names.
	ID string
	// Path is the site path a URL leads to, such as
	// "/job-families/engineering/frontend/senior/", which another family's
	// alias may serve; it is "" for a career ladder entry written as a
	// family id, which no alias serves.
	Path string
	// Silenced is the reason of the jobfam:ignore comment that silences
	// the finding, or "" when none does.
	Silenced string
}

// Folder is a families folder whose files have been listed but not yet
// read. Listing comes first so that every family's id is known before any
// family is checked: rules resolve links against them.
type Folder struct {
	// IDs holds the id of every family file found, loaded or not.
	IDs      map[string]bool
	files    []file
	findings []diag.Finding
}

// Open lists the family files under dir: every *.cue file, skipping files
// and folders whose names start with ".". It returns an error only when
// dir cannot be read or holds no family files; problems with a file are
// findings of the load.
func Open(dir string) (*Folder, error) {
	files, findings, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(files))
	for _, f := range files {
		ids[f.id] = true
	}
	return &Folder{IDs: ids, files: files, findings: findings}, nil
}

// Files returns the paths of the folder's family files, in lexical order,
// and the findings of the listing: folders that are symbolic links, which
// are not followed. The paths are the folder's path joined with each file's
// path under it. A file may still be a link or not a regular file: readers
// must check each one.
func (fo *Folder) Files() (paths []string, skipped []diag.Finding) {
	paths = make([]string, len(fo.files))
	for i, f := range fo.files {
		paths[i] = f.path
	}
	return paths, slices.Clone(fo.findings)
}

// Load opens dir and loads every family in it; see Folder.Load.
func Load(ctx context.Context, dir string, s *Schema) (*Result, error) {
	fo, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return fo.Load(ctx, s)
}

// Load checks every family file of the folder against s, using one worker
// per CPU, and returns the families with the findings.
func (fo *Folder) Load(ctx context.Context, s *Schema) (*Result, error) {
	return fo.load(ctx, s, nil, nil)
}

// Check is Load for a command that needs each family only once: it passes
// every family that loaded to visit, in the worker that loaded it, adds
// the findings visit returns to the result's, and keeps only the family's
// Header. Memory then grows with the number of workers, not of families.
// visit is called concurrently and must not modify the family.
func (fo *Folder) Check(ctx context.Context, s *Schema, visit func(*Family) []diag.Finding) (*Result, error) {
	return fo.CheckMemo(ctx, s, func(f *Family) ([]diag.Finding, []diag.Finding) { return visit(f), nil }, nil)
}

// Visit checks one family and returns its findings and, apart, those that
// a comment silences. What it returns, and the family's Header once it has
// run, must depend only on the family and the schema: CheckMemo keeps them
// under a key of nothing else.
type Visit func(*Family) (findings, suppressed []diag.Finding)

// Outcome is everything one family file contributes to a validation beside
// what depends on other files: the findings of the loader and of the visit,
// the silenced ones, and the header the rules across families read.
type Outcome struct {
	Findings   []diag.Finding
	Suppressed []diag.Finding
	// Header is nil when the family did not load.
	Header *Header
}

// Key identifies an Outcome: a SHA-256 digest of the schema and policy
// (Schema.Digest), the file's path and id, and its bytes.
type Key [sha256.Size]byte

// Memo keeps Outcomes between runs. A Key does not cover jobfam's own
// build, which decides what the rules find: a Memo that outlives the
// process must tell builds apart itself. Get and Put are called
// concurrently; a Memo that fails to keep or return an Outcome only costs
// time, so neither reports errors.
type Memo interface {
	Get(Key) (*Outcome, bool)
	Put(Key, *Outcome)
}

// CheckMemo is Check with a visit that also returns silenced findings, and
// a memo (or nil): a file whose Outcome the memo holds is neither parsed
// nor evaluated nor visited, and the Outcome of every other file that was
// read is put into it. Files that cannot be read are checked every time,
// which is cheap.
func (fo *Folder) CheckMemo(ctx context.Context, s *Schema, visit Visit, memo Memo) (*Result, error) {
	return fo.load(ctx, s, visit, memo)
}

func (fo *Folder) load(ctx context.Context, s *Schema, visit Visit, memo Memo) (*Result, error) {
	files := fo.files
	res := &Result{IDs: fo.IDs, Findings: slices.Clone(fo.findings)}

	out := make([]loaded, len(files))
	var werr error
	var once sync.Once
	err := parallel.Each(ctx, len(files), func() func(int) {
		w := worker{schema: s}
		return func(i int) {
			l, err := w.check(files[i], visit, memo)
			if err != nil {
				once.Do(func() { werr = err })
				return
			}
			out[i] = l
		}
	})
	if err != nil {
		return nil, err
	}
	if werr != nil {
		return nil, werr
	}
	for _, l := range out {
		res.Findings = append(res.Findings, l.findings...)
		res.Suppressed = append(res.Suppressed, l.suppressed...)
		if l.family != nil {
			res.Families = append(res.Families, l.family)
		}
		if l.header.ID != "" {
			res.Headers = append(res.Headers, l.header)
		}
	}
	// Files come in walk order, which differs from id order: "a-b/x"
	// sorts before "a/x" as an id but after it as a path.
	slices.SortFunc(res.Families, func(a, b *Family) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(res.Headers, func(a, b Header) int { return strings.Compare(a.ID, b.ID) })
	return res, nil
}

// check loads one file, visits its family when visit is not nil, and
// keeps only the header then. With a memo, the file's Outcome comes from
// the memo when it is there, and goes into it when it is not.
func (w *worker) check(f file, visit Visit, memo Memo) (loaded, error) {
	src, l, ok := readFile(f)
	if !ok {
		return l, nil
	}
	if visit == nil {
		// Load keeps every family, which no memo holds.
		memo = nil
	}
	var key Key
	if memo != nil {
		key = w.schema.key(f, src)
		if o, ok := memo.Get(key); ok {
			l := loaded{findings: o.Findings, suppressed: o.Suppressed}
			if o.Header != nil {
				l.header = *o.Header
			}
			return l, nil
		}
	}
	l, err := w.load(f, src)
	if err != nil {
		return loaded{}, err
	}
	if l.family != nil {
		if visit != nil {
			found, silenced := visit(l.family)
			l.findings = append(l.findings, found...)
			l.suppressed = silenced
		}
		l.header = l.family.Header()
		if visit != nil {
			l.family = nil
		}
	}
	if memo != nil {
		o := &Outcome{Findings: l.findings, Suppressed: l.suppressed}
		if l.header.ID != "" {
			h := l.header
			o.Header = &h
		}
		memo.Put(key, o)
	}
	return l, nil
}

// key is the Key of a file's Outcome under s. Each part is preceded by its
// length, so that no two different inputs make the same bytes to hash.
func (s *Schema) key(f file, src []byte) Key {
	h := sha256.New()
	part := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	part([]byte("jobfam outcome 1"))
	part(s.digest[:])
	part([]byte(f.path))
	part([]byte(f.id))
	part(src)
	var k Key
	h.Sum(k[:0])
	return k
}

type file struct {
	path string // as shown in findings
	id   string
	info fs.FileInfo
}

// listFiles finds the family files under dir in lexical order. dir itself
// may be a symbolic link, since the person running jobfam named it; links
// inside it are not followed: a linked file is reported by readFile, and
// a linked folder is reported here, because its families would otherwise
// go unchecked without a word.
func listFiles(dir string) ([]file, []diag.Finding, error) {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("families folder %q does not exist: pass the folder that holds your families", dir)
		}
		return nil, nil, fmt.Errorf("read families folder: %w", err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%q is not a folder: pass the folder that holds your families", dir)
	}
	var files []file
	var findings []diag.Finding
	err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read families folder: %w", err)
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		path := filepath.Join(dir, filepath.FromSlash(p))
		if d.Type()&fs.ModeSymlink != 0 && !strings.HasSuffix(d.Name(), ".cue") {
			if target, err := os.Stat(path); err == nil && target.IsDir() {
				findings = append(findings, fileFinding(path, 0, 0,
					"folder is a symbolic link, which jobfam does not follow: move its families into the repository").findings...)
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".cue") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("read families folder: %w", err)
		}
		files = append(files, file{path: path, id: strings.TrimSuffix(p, ".cue"), info: info})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 && len(findings) == 0 {
		return nil, nil, fmt.Errorf("%w in %q: add one as %s", ErrNoFamilies, dir, filepath.Join(dir, "<department>", "<family>.cue"))
	}
	return files, findings, nil
}

type loaded struct {
	family     *Family
	header     Header
	findings   []diag.Finding
	suppressed []diag.Finding
}

// worker checks files in its own CUE context.
type worker struct {
	schema *Schema
	ctx    *cue.Context
	def    cue.Value // #Family
	shape  *shape    // of def
	uses   int
}

func newContext() *cue.Context { return cuecontext.New() }

func (w *worker) ensure() error {
	if w.ctx != nil && w.uses < contextReuse {
		w.uses++
		return nil
	}
	ctx := newContext()
	v, err := w.schema.build(ctx)
	if err != nil {
		return err
	}
	w.ctx, w.def, w.uses = ctx, v.LookupPath(cue.ParsePath("#Family")), 1
	w.shape = newShape(w.def)
	return nil
}

// fileFinding reports a problem with a file. A problem with the file as a
// whole is placed at its first line, so that every finding has a position
// that editors and GitHub annotations can show.
func fileFinding(path string, line, col int, format string, args ...any) loaded {
	if line == 0 {
		line, col = 1, 1
	}
	return loaded{findings: []diag.Finding{{
		Pos:      diag.Pos{File: path, Line: line, Col: col},
		Rule:     RuleFile,
		Severity: diag.Error,
		Message:  fmt.Sprintf(format, args...),
	}}}
}

// load checks the file f, whose source readFile returned, in the worker's
// CUE context.
func (w *worker) load(f file, src []byte) (loaded, error) {
	var out loaded
	switch CheckID(f.id) {
	case IDInvalid:
		out.findings = fileFinding(f.path, 0, 0,
			"family id %q is not valid: name folders and files with lowercase letters, digits and hyphens, like %q",
			f.id, "finance/it-program-management-office").findings
	case IDNoDepartment:
		out.findings = fileFinding(f.path, 0, 0,
			"family file is not in a department folder: move it to a folder named for its department, like %q",
			"finance/"+f.id+".cue").findings
	}
	// Most files are read and accepted without CUE's parser or evaluator;
	// any other is taken through both, which also word its errors.
	b := builder{file: f.path}
	if root, sups, ok := b.fastParse(string(src)); ok && w.schema.surelyValid(&b, root) {
		out.family = newFamily(f.id, f.path, root, &w.schema.Policy)
		out.family.Suppressions = sups
		return out, nil
	}
	b = builder{file: f.path}
	ast, err := parser.ParseFile(f.path, src, parser.ParseComments)
	if err != nil {
		// Only the first syntax error is reported: the parser's later
		// errors mostly follow from it and would send people hunting for
		// problems that are not there.
		e := cueerrors.Errors(err)[0]
		p := e.Position()
		format, args := e.Msg()
		out.findings = append(out.findings, diag.Finding{
			Pos:      diag.Pos{File: f.path, Line: p.Line(), Col: p.Column()},
			Rule:     RuleSyntax,
			Severity: diag.Error,
			Message:  fmt.Sprintf(format, args...) + syntaxHint(format),
		})
		return out, nil
	}
	root := b.fileNode(ast)
	if len(b.findings) > 0 {
		out.findings = append(out.findings, b.findings...)
		return out, nil
	}
	out.findings = append(out.findings, b.repeated...)
	if !w.schema.surelyValid(&b, root) {
		// The CUE context is made only when a file needs it: a run whose
		// files all pass the precheck, or come from the memo, builds no
		// schema.
		if err := w.ensure(); err != nil {
			return loaded{}, err
		}
		v := w.def.Unify(w.ctx.BuildFile(ast))
		if err := v.Validate(); err != nil {
			out.findings = append(out.findings, translate(err, f.path, root, w.shape, &w.schema.Policy, w.schema.Source != embedded)...)
		}
	}
	out.family = newFamily(f.id, f.path, root, &w.schema.Policy)
	out.family.Suppressions = b.suppressions(ast)
	return out, nil
}

// syntaxHint explains the parser's message for the mistakes people editing
// a family make most: text or a hyphenated name without quotes.
func syntaxHint(format string) string {
	if strings.HasPrefix(format, "missing ','") {
		return ": put text in double quotes, like \"Senior Manager\", and names with hyphens too, like \"senior-manager\""
	}
	return ": this is not valid CUE"
}

// readRaw reads the file at path, which info describes as found by name,
// refusing links, special files and files over MaxFileSize.
func readRaw(path string, info fs.FileInfo) ([]byte, loaded, bool) {
	mode := info.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return nil, fileFinding(path, 0, 0, "family file is a symbolic link: links could point outside the repository, so copy the file instead"), false
	case !mode.IsRegular():
		return nil, fileFinding(path, 0, 0, "family file is a %s, not a regular file: replace it with a plain file", kindOfFile(mode)), false
	case info.Size() > MaxFileSize:
		return nil, fileFinding(path, 0, 0, "family file is %d bytes, more than the limit of %d: split the family or move long text out", info.Size(), MaxFileSize), false
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fileFinding(path, 0, 0, "family file cannot be read: %v", errors.Unwrap(err)), false
	}
	defer fh.Close()
	// The file was checked by name; check that the one opened is the same,
	// so a swap between the two steps cannot slip a link or pipe through.
	if opened, err := fh.Stat(); err != nil || !os.SameFile(opened, info) {
		return nil, fileFinding(path, 0, 0, "family file changed while it was being read: run again"), false
	}
	// The size read by name sizes the buffer; the limit still holds if
	// the file grew since.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(fh, MaxFileSize+1))
	src := buf.Bytes()
	if err != nil {
		return nil, fileFinding(path, 0, 0, "family file cannot be read: %v", err), false
	}
	if len(src) > MaxFileSize {
		return nil, fileFinding(path, 0, 0, "family file is more than the limit of %d bytes: split the family or move long text out", MaxFileSize), false
	}
	return src, loaded{}, true
}

// ReadFile reads the family file at path as the loader does, for commands
// that rewrite family files: without following a link, refusing what
// cannot be a family (a link, a device or pipe, a file over MaxFileSize).
// It returns the source as written and the file's information, or a
// finding of rule "file" that says why the file was not read.
func ReadFile(path string) ([]byte, fs.FileInfo, *diag.Finding) {
	info, err := os.Lstat(path)
	if err != nil {
		l := fileFinding(path, 0, 0, "family file cannot be read: %v", errors.Unwrap(err))
		return nil, nil, &l.findings[0]
	}
	src, l, ok := readRaw(path, info)
	if !ok {
		return nil, nil, &l.findings[0]
	}
	return src, info, nil
}

// readFile reads a family file for the loader: as ReadFile, then without
// a byte-order mark and with CRLF line endings made LF, which keeps every
// line and column where an editor shows it, and refusing text that is not
// UTF-8.
func readFile(f file) ([]byte, loaded, bool) {
	src, l, ok := readRaw(f.path, f.info)
	if !ok {
		return nil, l, false
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if !utf8.Valid(src) {
		line, col := diag.InvalidUTF8(src)
		return nil, fileFinding(f.path, line, col, "family file is not valid UTF-8: save it with UTF-8 encoding"), false
	}
	if bytes.Contains(src, []byte("\r\n")) {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	}
	return src, loaded{}, true
}

// kindOfFile names what a file that is not a regular file is.
func kindOfFile(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m.IsDir():
		return "folder"
	}
	return "special file"
}
