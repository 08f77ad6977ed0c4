package family

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/jobfam/jobfam/internal/suggest"
	"github.com/jobfam/jobfam/schema"
)

// Policy is the organisation's policy, read from policy.cue in the schema.
// Everything organisation-specific that a rule needs comes from here.
type Policy struct {
	Grades struct {
		Min int `json:"min"`
		Max int `json:"max"`
	} `json:"grades"`
	GradeURL     string   `json:"gradeURL"`
	HandbookBase string   `json:"handbookBase"`
	Tracks       []string `json:"tracks"`
	DefaultTrack string   `json:"defaultTrack"`
	Required     struct {
		Family []string `json:"family"`
		Level  []string `json:"level"`
	} `json:"required"`
	// Rules sets rules' severities by id: "error", "warning", "info" or
	// "off".
	Rules map[string]struct {
		Severity string `json:"severity"`
	} `json:"rules"`
	// Template holds the thresholds and phrases of the template rule.
	Template TemplatePolicy `json:"template"`
	// Spelling maps misspelt words to their correction, beyond the
	// common misspellings the spelling rule knows.
	Spelling map[string]string `json:"spelling"`
	// InclusiveLanguage is the wording the inclusive-language rule
	// reports.
	InclusiveLanguage []Term `json:"inclusiveLanguage"`
	// Approvals are the rules of who must approve which kind of change,
	// by rule name; internal/approval applies them.
	Approvals map[string]ApprovalRule `json:"approvals"`
}

// ApprovalRule is one rule of policy.approvals: a pull request that makes a
// change of one of the kinds When to one of Families needs approvals from
// Count distinct people of From.
type ApprovalRule struct {
	// When lists kinds of change, such as "grade"; "any" is all of them.
	When []string `json:"when"`
	// Families are glob patterns over family ids; none means every
	// family and the policy.
	Families []string `json:"families,omitempty"`
	// From lists GitHub logins and teams, written "@org/team-slug".
	From []string `json:"from"`
	// Count is how many distinct people of From must approve.
	Count int `json:"count"`
}

// Term is wording that excludes candidates, and what to write instead.
type Term struct {
	// Term is a word or phrase, matched whole and ignoring case.
	Term string `json:"term"`
	// Why says whom the wording excludes, completing "<term> ...".
	Why     string   `json:"why"`
	Suggest []string `json:"suggest"`
	// Except lists longer phrases that hold Term and are fine.
	Except []string `json:"except"`
}

// TemplatePolicy is what GitLab's written job-family template asks for.
type TemplatePolicy struct {
	Indicators struct {
		Min int `json:"min"`
		Max int `json:"max"`
	} `json:"indicators"`
	// NoExperienceUpToGrade is the highest grade whose requirements may
	// not ask for years of experience.
	NoExperienceUpToGrade int      `json:"noExperienceUpToGrade"`
	Location              []string `json:"location"`
	Vacancy               []string `json:"vacancy"`
}

// embedded is the Source of the schema built into jobfam.
const embedded = "embedded"

// Schema is a parsed schema folder and the policy it declares. Its files
// are kept as syntax so that each worker can build them into its own CUE
// context: a cue.Context is not safe for concurrent use.
type Schema struct {
	// Source says where the schema came from: a folder, or "embedded".
	Source string
	Policy Policy
	files  []schemaFile
	// digest is a SHA-256 digest of Source and of every file's name and
	// bytes: what the outcome of checking a family depends on, besides the
	// family and jobfam.
	digest [sha256.Size]byte
	// pre accepts most families without evaluating them in CUE.
	pre *precheck
}

// Digest is a SHA-256 digest of where the schema came from and of its
// files' names and bytes, for keys of cached results.
func (s *Schema) Digest() [sha256.Size]byte { return s.digest }

// schemaFile is the source of one schema file. Each build parses it anew:
// building resolves names by writing into the syntax tree, so one tree
// cannot be shared by workers building at the same time.
type schemaFile struct {
	name string
	src  []byte
}

// LoadSchema reads the *.cue files of dir, or the schema embedded in the
// binary when dir is "". The schema is code the organisation reviews, yet
// it may change in the same pull request as a family, so it gets the same
// guard as families against reading the runner's files: no attributes.
func LoadSchema(dir string) (*Schema, error) {
	fsys, source := fs.FS(schema.FS), embedded
	if dir != "" {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("schema folder %q does not exist or is not a folder: pass the folder that holds schema/*.cue", dir)
		}
		fsys, source = os.DirFS(dir), dir
	}
	names, err := fs.Glob(fsys, "*.cue")
	if err != nil {
		return nil, fmt.Errorf("read schema %s: %w", source, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("read schema %s: no .cue files", source)
	}
	s := &Schema{Source: source}
	var parsed []*ast.File
	for _, name := range names {
		display := name
		if dir != "" {
			display = path.Join(filepathToSlash(dir), name)
			// A link could make the schema read any file of the machine.
			if info, err := os.Lstat(filepath.Join(dir, name)); err != nil || !info.Mode().IsRegular() {
				return nil, fmt.Errorf("schema file %s is a symbolic link or not a regular file: copy the file into the schema folder", display)
			}
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		f, err := parser.ParseFile(display, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parse schema: %s", cueErrorString(err))
		}
		if err := refuseAttributes(f); err != nil {
			return nil, err
		}
		s.files = append(s.files, schemaFile{name: display, src: src})
		parsed = append(parsed, f)
	}
	s.digest = digestSchema(source, s.files)
	ctx := newContext()
	v, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	s.pre = newPrecheck(ctx, v, parsed)
	pv := v.LookupPath(cue.ParsePath("policy"))
	if !pv.Exists() {
		return nil, fmt.Errorf("schema %s declares no policy: add policy.cue", source)
	}
	if err := pv.Decode(&s.Policy); err != nil {
		return nil, fmt.Errorf("read policy from schema %s: %s", source, cueErrorString(err))
	}
	if len(s.Policy.Rules) == 0 {
		// "rules: {}" and no rules at all mean the same.
		s.Policy.Rules = nil
	}
	if len(s.Policy.Spelling) == 0 {
		s.Policy.Spelling = nil
	}
	if len(s.Policy.InclusiveLanguage) == 0 {
		s.Policy.InclusiveLanguage = nil
	}
	if len(s.Policy.Approvals) == 0 {
		s.Policy.Approvals = nil
	}
	if err := checkApprovals(pv, s.Policy.Approvals); err != nil {
		return nil, fmt.Errorf("policy in schema %s: %w", source, err)
	}
	// The default schema checks this with #Policy; a schema of the
	// organisation's own may not, and the model relies on it.
	if !slices.Contains(s.Policy.Tracks, s.Policy.DefaultTrack) {
		return nil, fmt.Errorf("policy in schema %s: default track %q is not one of its tracks", source, s.Policy.DefaultTrack)
	}
	return s, nil
}

// digestSchema is the Schema's digest. Each part is preceded by its
// length, so that no two different schemas make the same bytes to hash.
func digestSchema(source string, files []schemaFile) [sha256.Size]byte {
	h := sha256.New()
	part := func(b []byte) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	part([]byte(source))
	for _, f := range files {
		part([]byte(f.name))
		part(f.src)
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// ChangeKinds are the kinds of change approval rules name in when, in the
// order the docs list them; "any" is all of them. internal/approval
// computes them; the policy is checked against this list.
var ChangeKinds = []string{"grade", "title", "track", "level-added", "level-removed", "family-added", "family-removed", "content", "policy", "any"}

// The shapes of a GitHub login (letters, digits and single hyphens, at
// most 39 characters) and of a team, "@org/team-slug" as in the team's
// URL.
var (
	loginPattern = regexp.MustCompile(`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`)
	teamPattern  = regexp.MustCompile(`^@([A-Za-z0-9]+(-[A-Za-z0-9]+)*)/([a-z0-9][a-z0-9_-]*)$`)
)

// checkApprovals sets the default count of the approval rules and checks
// each: its kinds of change, who approves, and that it can be met at all.
// It reports every problem at once, each at its position in the policy,
// in words an editor of the policy can act on. pv is the policy's value.
func checkApprovals(pv cue.Value, rules map[string]ApprovalRule) error {
	var errs []error
	names := slices.Sorted(maps.Keys(rules))
	for _, name := range names {
		r := rules[name]
		if r.Count == 0 {
			r.Count = 1
			rules[name] = r
		}
		rv := pv.LookupPath(cue.MakePath(cue.Str("approvals"), cue.Str(name)))
		at := func(field string, i int) cue.Value {
			v := rv.LookupPath(cue.MakePath(cue.Str(field)))
			if i >= 0 {
				if e := v.LookupPath(cue.MakePath(cue.Index(i))); e.Exists() {
					return e
				}
			}
			if v.Exists() {
				return v
			}
			return rv
		}
		report := func(pos token.Pos, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: approval rule %q: %s", pos, name, fmt.Sprintf(format, args...)))
		}
		if len(r.When) == 0 {
			report(listPos(at("when", -1)), "when names no kind of change: list one or more of %s", strings.Join(ChangeKinds, ", "))
		}
		for i, k := range r.When {
			if slices.Contains(ChangeKinds, k) {
				continue
			}
			hint := ""
			if s := suggest.Closest(k, ChangeKinds); s != "" {
				hint = fmt.Sprintf("did you mean %q? ", s)
			}
			report(at("when", i).Pos(), "%q is not a kind of change: %sthe kinds are %s", k, hint, strings.Join(ChangeKinds, ", "))
		}
		if len(r.From) == 0 {
			report(listPos(at("from", -1)), "from names nobody: list the GitHub logins or @org/team teams whose approval counts")
		}
		logins := make(map[string]bool)
		team := false
		for i, a := range r.From {
			switch {
			case teamPattern.MatchString(a):
				team = true
			case strings.HasPrefix(a, "@"):
				report(at("from", i).Pos(), "%q is not a team: write a team as @org/team-slug, with the slug of the team's URL, such as %q", a, "@acme/total-rewards")
			case !loginPattern.MatchString(a) || len(a) > 39:
				report(at("from", i).Pos(), "%q is not a GitHub login: a login has letters, digits and single hyphens; write a team as @org/team-slug", a)
			default:
				// GitHub logins are case-insensitive: "Octocat" and
				// "octocat" are one person.
				logins[strings.ToLower(a)] = true
			}
		}
		if !team && len(logins) > 0 && r.Count > len(logins) {
			report(at("count", -1).Pos(), "needs %d approvals but from lists %d distinct people and no team, so nobody can meet it: lower count or add people or a team to from", r.Count, len(logins))
		}
	}
	return errors.Join(errs...)
}

// listPos returns where the policy writes a list, such as an empty
// "from: []": the value unifies the policy's list with the schema's
// "[...string]", and CUE may name the schema's position for it. The
// policy's is the one conjunct that is a list without "...".
func listPos(v cue.Value) token.Pos {
	if op, args := v.Expr(); op == cue.AndOp {
		for _, a := range args {
			f, ok := a.Source().(*ast.Field)
			if !ok {
				continue
			}
			if l, ok := f.Value.(*ast.ListLit); ok && !slices.ContainsFunc(l.Elts, func(e ast.Expr) bool { _, ok := e.(*ast.Ellipsis); return ok }) {
				return a.Pos()
			}
		}
	}
	return v.Pos()
}

func filepathToSlash(p string) string { return strings.ReplaceAll(p, string(os.PathSeparator), "/") }

func refuseAttributes(f *ast.File) error {
	var found *ast.Attribute
	ast.Walk(f, func(n ast.Node) bool {
		if a, ok := n.(*ast.Attribute); ok && found == nil {
			found = a
		}
		return found == nil
	}, nil)
	if found != nil {
		return fmt.Errorf("%s: schema attribute %q is not allowed: attributes such as @embed could read files of the machine that runs jobfam", found.Pos(), found.Text)
	}
	return nil
}

// build evaluates the schema in ctx and returns its root value.
func (s *Schema) build(ctx *cue.Context) (cue.Value, error) {
	inst := build.NewContext().NewInstance(s.Source, nil)
	for _, sf := range s.files {
		f, err := parser.ParseFile(sf.name, sf.src, parser.ParseComments)
		if err != nil {
			return cue.Value{}, fmt.Errorf("parse schema: %s", cueErrorString(err))
		}
		if err := inst.AddSyntax(f); err != nil {
			return cue.Value{}, fmt.Errorf("schema %s: %s", s.Source, cueErrorString(err))
		}
	}
	v := ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("schema %s: %s", s.Source, cueErrorString(err))
	}
	if err := v.Validate(); err != nil {
		return cue.Value{}, fmt.Errorf("schema %s: %s", s.Source, cueErrorString(err))
	}
	if fam := v.LookupPath(cue.ParsePath("#Family")); !fam.Exists() {
		return cue.Value{}, errors.New("schema " + s.Source + " declares no #Family definition")
	}
	return v, nil
}

// cueErrorString formats all errors of err, each with its positions, on one
// line each.
func cueErrorString(err error) string {
	var b strings.Builder
	for _, e := range cueerrors.Errors(err) {
		if format, _ := e.Msg(); strings.HasSuffix(format, ":") {
			// A heading such as "2 errors in empty disjunction:"; the
			// errors it announces follow.
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		ps := cueerrors.Positions(e)
		if len(ps) > 0 {
			// CUE lists the constraint's position first and the value
			// that broke it last: the user edited the value, so it
			// leads, and the constraint follows as related information.
			fmt.Fprintf(&b, "%s: ", ps[len(ps)-1])
		}
		b.WriteString(e.Error())
		if len(ps) > 1 {
			fmt.Fprintf(&b, " (constraint at %s)", ps[0])
		}
	}
	return b.String()
}
