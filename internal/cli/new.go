package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cuelang.org/go/cue/literal"
	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/canon"
	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/family"
)

// defaultLevels are the levels of a new family unless --levels names
// others: GitLab's ladder of individual contributors.
var defaultLevels = []string{"associate", "intermediate", "senior", "staff"}

// managerLevel is the level --manager adds, on managementTrack when the
// policy has that track.
const (
	managerLevel    = "manager"
	managementTrack = "management"
)

func newCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "new",
		Usage:     "start a new family: a file with every part the policy requires, to fill in",
		ArgsUsage: "ID",
		Description: `Writes OUT/ID.cue (OUT is --out, default families), a new family in the
canonical layout of jobfam fmt, for a role that has no page yet. ID is the
family's id, a department folder and a name: lowercase letters, digits and
hyphens, like finance/treasury. Flags may come before or after ID.

The file has every part the policy requires, for the family and for each
level, and each text is a placeholder that starts with "TODO:" and says
what to write. jobfam validate reports every placeholder left (rule
placeholder, an error), with what belongs there, so a family cannot be
merged or published unfinished.

The levels are --levels, most junior first (default associate,
intermediate, senior, staff), each extending the responsibilities and
requirements of the one before. Their grades are --grades, one per level,
rising and inside the policy's grade range; by default consecutive grades
from the one above the policy's lowest (5, 6, 7, 8 on GitLab's 4 to 15),
which leaves the lowest for entry-level roles. --manager adds a level
"manager" on the policy's management track, graded with the most senior
level as GitLab grades a Manager with a Staff; without a management track,
it goes on the default track, one grade above the most senior level.

--title defaults to the id's last part, in capitals: "Accounts Payable" for
finance/accounts-payable. A level's title puts the rank words of its id
(associate, senior, staff, principal...) before the family's title and the
others after it: "Senior Treasury", "Senior Treasury Analyst" for
senior-analyst, "Treasury" for intermediate, "Manager, Treasury".

The policy (grades, tracks, required parts) comes from --schema, else from
the schema/ folder next to OUT, else from the copy built into jobfam. An
existing family is never replaced, and nothing is written outside OUT, not
even through a symbolic link.

Examples:
  jobfam new --title Treasury finance/treasury
  jobfam new --title "Accounts Payable" --levels specialist,senior --grades 5,6 finance/accounts-payable
  jobfam new --title "IT Support" --manager finance/it-support
  jobfam new --out /tmp/try finance/treasury && jobfam validate /tmp/try

Exit codes: 0 written, 2 a usage mistake (an invalid id, --levels or
--grades), or a family that exists or cannot be written.`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "title", Usage: "the family's `TITLE`, such as \"Accounts Payable\""},
			&ucli.StringFlag{Name: "levels", Value: strings.Join(defaultLevels, ","), Usage: "the level ids, most junior first, as a comma-separated `LIST`"},
			&ucli.StringFlag{Name: "grades", Usage: "the levels' grades, one per level, rising, as a comma-separated `LIST`"},
			&ucli.BoolFlag{Name: "manager", Usage: "add a management-track level, \"manager\""},
			&ucli.StringFlag{Name: "out", Value: "families", Usage: "write the family file under `DIR`"},
			&ucli.StringFlag{Name: "schema", Usage: "read the schema and policy from `DIR`"},
		},
		Action: runNew,
	}
}

func runNew(c *ucli.Context) error {
	id, opt, err := newArgs(c)
	if errors.Is(err, errHelpShown) {
		return nil
	}
	if err != nil {
		return err
	}
	out, _ := opt("out")
	// A path typed with the shell's completion is the likely mistake:
	// "families/finance/treasury.cue" for "finance/treasury".
	if trimmed := strings.TrimSuffix(strings.TrimPrefix(id, filepath.ToSlash(filepath.Clean(out))+"/"), ".cue"); trimmed != id && family.CheckID(trimmed) == family.IDValid {
		return usagef(c, "family id %q is a path: give the id, the path under %s without .cue, like %q", id, out, trimmed)
	}
	switch family.CheckID(id) {
	case family.IDInvalid:
		return usagef(c, "family id %q is not valid: name folders and files with lowercase letters, digits and hyphens, like %q", id, "finance/treasury")
	case family.IDNoDepartment:
		return usagef(c, "family id %q has no department folder: write it as department/name, like %q", id, "finance/"+id)
	}
	title, ok := opt("title")
	if !ok {
		title = titleOf(id)
	}
	if strings.TrimSpace(title) == "" || strings.ContainsAny(title, "\r\n") || !utf8.ValidString(title) {
		return usagef(c, "--title %q is not a title: give the family's name on one line, like %q", title, "Accounts Payable")
	}
	list, _ := opt("levels")
	manager, _ := opt("manager")
	levels, err := parseLevels(list, manager == "true")
	if err != nil {
		return usagef(c, "--levels: %v", err)
	}

	schemaFlag, _ := opt("schema")
	s, err := family.LoadSchema(schemaDir(schemaFlag, out))
	if err != nil {
		return err
	}
	pol := &s.Policy
	var grades []int
	if list, ok := opt("grades"); ok {
		grades, err = parseGrades(list, len(levels), pol)
		if err != nil {
			return usagef(c, "--grades: %v", err)
		}
	} else if grades, err = defaultGrades(len(levels), pol); err != nil {
		return usagef(c, "%v: name fewer --levels", err)
	}
	sk := skeleton{title: title, pol: pol}
	for i, l := range levels {
		sk.levels = append(sk.levels, skeletonLevel{id: l, grade: grades[i]})
	}
	if manager == "true" {
		m, err := managerOf(sk.levels, title, pol)
		if err != nil {
			return usagef(c, "--manager: %v", err)
		}
		sk.levels = append(sk.levels, m)
	}

	name := filepath.FromSlash(id) + ".cue"
	path := filepath.Join(out, name)
	src, err := canon.Format(path, sk.source(), s)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o777); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return fmt.Errorf("open output folder: %w", err)
	}
	defer root.Close()
	if _, err := root.Lstat(name); err == nil {
		return fmt.Errorf("%s: family %s exists already: edit it, or give the new family another id", path, id)
	}
	if err := writeFamily(root, name, src, false); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	w := c.App.Writer
	fmt.Fprintf(w, "wrote %s: %d %s, grades %s, and %d %s to fill in\n",
		path, len(sk.levels), plural(len(sk.levels), "level", "levels"), sk.gradeList(),
		sk.placeholders, plural(sk.placeholders, "placeholder", "placeholders"))
	validate := "jobfam validate"
	if filepath.Clean(out) != "families" {
		validate += " " + out
	}
	fmt.Fprintf(w, "next: replace each text that starts with %q; '%s' lists those left, with what to write in each\n",
		check.PlaceholderMarker, validate)
	return nil
}

// errHelpShown stops new after a --help that follows the id.
var errHelpShown = errors.New("help shown")

// newArgs reads new's one argument, the id, and returns it with a
// function that gives a flag's value and whether it was given. Flags may
// also follow the id, as in "jobfam new finance/treasury --title
// Treasury", the order people write it in: urfave/cli stops reading flags
// at the first argument, so those after it are read here, with the
// command's own definitions, and win over those before.
func newArgs(c *ucli.Context) (string, func(name string) (string, bool), error) {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, f := range c.Command.Flags {
		if err := f.Apply(fs); err != nil {
			return "", nil, err
		}
	}
	var ids []string
	for args := c.Args().Slice(); len(args) > 0; {
		ids = append(ids, args[0])
		if err := fs.Parse(args[1:]); err != nil {
			return "", nil, usagef(c, "%v", err)
		}
		args = fs.Args()
	}
	switch len(ids) {
	case 0:
		return "", nil, usagef(c, "new needs the family's id: jobfam new [--title TITLE] DEPARTMENT/NAME")
	case 1:
	default:
		return "", nil, usagef(c, "new takes one id, got %d: %s", len(ids), strings.Join(ids, " "))
	}
	after := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { after[f.Name] = true })
	// The command's flags include urfave/cli's --help, -h.
	if after["help"] || after["h"] {
		if err := ucli.ShowSubcommandHelp(c); err != nil {
			return "", nil, err
		}
		return "", nil, errHelpShown
	}
	opt := func(name string) (string, bool) {
		if after[name] {
			return fs.Lookup(name).Value.String(), true
		}
		return fmt.Sprint(c.Value(name)), c.IsSet(name)
	}
	return ids[0], opt, nil
}

// titleOf makes a title of an id's last segment, each word capitalised:
// "Accounts Payable" for "finance/accounts-payable".
func titleOf(id string) string {
	words := strings.Split(id[strings.LastIndex(id, "/")+1:], "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// parseLevels reads --levels: level ids, distinct, of the loader's shape.
func parseLevels(list string, manager bool) ([]string, error) {
	var ids []string
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		switch {
		case !family.ValidSegment(id):
			return nil, fmt.Errorf("level id %q is not valid: use lowercase letters, digits and hyphens, like %q", id, "senior-analyst")
		case slices.Contains(ids, id):
			return nil, fmt.Errorf("level %q is named twice: name each level once", id)
		case manager && id == managerLevel:
			return nil, fmt.Errorf("level %q is the one --manager adds: leave it out of --levels, or leave out --manager", id)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// parseGrades reads --grades: one grade per level, rising, each inside the
// policy's range.
func parseGrades(list string, n int, pol *family.Policy) ([]int, error) {
	parts := strings.Split(list, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("%d %s for %d %s: give one grade per level", len(parts), plural(len(parts), "grade", "grades"), n, plural(n, "level", "levels"))
	}
	grades := make([]int, n)
	for i, p := range parts {
		g, err := strconv.Atoi(strings.TrimSpace(p))
		switch {
		case err != nil:
			return nil, fmt.Errorf("%q is not a whole number", strings.TrimSpace(p))
		case g < pol.Grades.Min || g > pol.Grades.Max:
			return nil, fmt.Errorf("grade %d is outside the policy's grades, %d to %d", g, pol.Grades.Min, pol.Grades.Max)
		case i > 0 && g <= grades[i-1]:
			return nil, fmt.Errorf("grade %d is not above grade %d: give the grades from junior to senior, each above the one before", g, grades[i-1])
		}
		grades[i] = g
	}
	return grades, nil
}

// defaultGrades gives n levels consecutive grades from the one above the
// policy's lowest, which most ladders keep for entry-level or trainee
// roles: GitLab's associate, intermediate, senior and staff are 5 to 8 on
// a scale of 4 to 15. Where the range is too short for that, the grades
// end at the highest.
func defaultGrades(n int, pol *family.Policy) ([]int, error) {
	lo, hi := pol.Grades.Min, pol.Grades.Max
	if n > hi-lo+1 {
		return nil, fmt.Errorf("%d levels need %d rising grades, but the policy's grades, %d to %d, are %d", n, n, lo, hi, hi-lo+1)
	}
	start := min(lo+1, hi-n+1)
	grades := make([]int, n)
	for i := range grades {
		grades[i] = start + i
	}
	return grades, nil
}

// managerOf is the level --manager adds after levels. On a management
// track of its own it has the grade of the most senior level, since a
// manager is paid as the most senior individual contributors are (GitLab's
// Manager and Staff are both grade 8); on the default track it must be
// above that level, as grade-order requires.
func managerOf(levels []skeletonLevel, title string, pol *family.Policy) (skeletonLevel, error) {
	top := levels[len(levels)-1].grade
	m := skeletonLevel{id: managerLevel, title: "Manager, " + title, grade: top, manager: true}
	if slices.Contains(pol.Tracks, managementTrack) && pol.DefaultTrack != managementTrack {
		m.track = managementTrack
		return m, nil
	}
	if top+1 > pol.Grades.Max {
		return m, fmt.Errorf("the policy has no %q track, and no grade above %d, the most senior level's, for a manager on the %q track", managementTrack, top, pol.DefaultTrack)
	}
	m.grade = top + 1
	return m, nil
}

// skeleton is a new family as jobfam new writes it.
type skeleton struct {
	title  string
	levels []skeletonLevel
	pol    *family.Policy
	// placeholders counts the placeholders source wrote.
	placeholders int
}

type skeletonLevel struct {
	id, title, track string
	grade            int
	// manager marks the level --manager adds, which extends no other:
	// a manager's work is not a staff member's and more.
	manager bool
}

// levelTitle names a level after the family, as GitLab's titles do: the
// id's rank words before the family's title and its other words after it,
// "Senior Treasury" for "senior", "Senior Treasury Analyst" for
// "senior-analyst", and the family's title alone for "intermediate".
func (l skeletonLevel) levelTitle(family string) string {
	if l.title != "" {
		return l.title
	}
	words := []string{family}
	at := 0 // where the next rank word goes
	for _, w := range strings.Split(l.id, "-") {
		if w == "intermediate" {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		w2 := string(unicode.ToUpper(r)) + w[size:]
		if rankWords[w] {
			words = slices.Insert(words, at, w2)
			at++
			continue
		}
		words = append(words, w2)
	}
	return strings.Join(words, " ")
}

// rankWords are the words of a level id that go before the family's title
// in the level's: "Senior Treasury Analyst", not "Treasury Senior Analyst".
var rankWords = map[string]bool{
	"associate": true, "junior": true, "senior": true, "staff": true, "principal": true,
	"lead": true, "distinguished": true, "chief": true, "head": true, "executive": true,
}

func (sk *skeleton) gradeList() string {
	var gs []string
	for _, l := range sk.levels {
		gs = append(gs, strconv.Itoa(l.grade))
	}
	return strings.Join(gs, ", ")
}

// source writes the family as CUE: every part the policy requires, each
// text a placeholder that says what to write. Parts the policy does not
// require are left out, since an empty part reads as one to fill in.
// canon.Format then lays it out as jobfam fmt does.
func (sk *skeleton) source() []byte {
	var b strings.Builder
	sk.placeholders = 0
	todo := func(what string) string {
		sk.placeholders++
		return quoteCUE(check.PlaceholderMarker + " " + what)
	}
	family := func(name string) bool { return slices.Contains(sk.pol.Required.Family, name) }
	level := func(name string) bool { return slices.Contains(sk.pol.Required.Level, name) }

	fmt.Fprintf(&b, "// Started with jobfam new: replace each text that starts with %q.\n", check.PlaceholderMarker)
	b.WriteString("// jobfam validate lists those left, with what to write in each.\n\n")
	fmt.Fprintf(&b, "title: %s\n", quoteCUE(sk.title))
	if family("description") {
		fmt.Fprintf(&b, "description: %s\n", todo("one sentence on what "+sk.title+" does"))
	}
	b.WriteString("\nlevels: {\n")
	var prev *skeletonLevel
	for i := range sk.levels {
		l := &sk.levels[i]
		lt := l.levelTitle(sk.title)
		fmt.Fprintf(&b, "\t%s: {\n", labelCUE(l.id))
		fmt.Fprintf(&b, "\t\ttitle: %s\n\t\tgrade: %d\n", quoteCUE(lt), l.grade)
		if l.track != "" {
			fmt.Fprintf(&b, "\t\ttrack: %s\n", quoteCUE(l.track))
		}
		if level("intro") {
			fmt.Fprintf(&b, "\t\tintro: %s\n", todo("a paragraph on what sets the "+lt+" level apart"))
		}
		// A level extends the one before it on its track, whose bullets
		// the page then shows under "Extends the ... plus:".
		beyond := ""
		ext := prev != nil && prev.track == l.track && !l.manager
		if ext {
			beyond = " beyond the " + prev.levelTitle(sk.title) + " level"
		}
		if ext && (level("responsibilities") || level("requirements")) {
			b.WriteString("\t\textends: {\n")
			if level("responsibilities") {
				fmt.Fprintf(&b, "\t\t\tresponsibilities: %s\n", quoteCUE(prev.id))
			}
			if level("requirements") {
				fmt.Fprintf(&b, "\t\t\trequirements: %s\n", quoteCUE(prev.id))
			}
			b.WriteString("\t\t}\n")
		}
		if level("responsibilities") {
			fmt.Fprintf(&b, "\t\tresponsibilities: [\n\t\t\t%s,\n\t\t]\n",
				todo("what people at the "+lt+" level are responsible for"+beyond+", one bullet each"))
		}
		if level("requirements") {
			fmt.Fprintf(&b, "\t\trequirements: [\n\t\t\t%s,\n\t\t]\n",
				todo("the skills, experience and qualities the "+lt+" level asks for"+beyond+", one bullet each"))
		}
		if level("sections") {
			fmt.Fprintf(&b, "\t\tsections: [{\n\t\t\theading: %s\n\t\t\tbody: %s\n\t\t}]\n",
				todo("a heading for what else the "+lt+" level needs to say"), todo("the text under that heading"))
		}
		b.WriteString("\t}\n")
		prev = l
	}
	b.WriteString("}\n")
	if family("performanceIndicators") {
		fmt.Fprintf(&b, "\nperformanceIndicators: [\n\t{title: %s},\n]\n",
			todo("one way to measure how well people in "+sk.title+" do their job"))
	}
	if family("careerLadder") {
		fmt.Fprintf(&b, "\ncareerLadder: {\n\ttext: %s\n}\n",
			todo("where people in "+sk.title+" can go next, with links to those families"))
	}
	if family("hiringProcess") {
		fmt.Fprintf(&b, "\nhiringProcess: {\n\tsteps: [\n\t\t%s,\n\t]\n}\n",
			todo("each step a candidate goes through, such as a screening call with a recruiter, one bullet each"))
	}
	if family("sections") {
		fmt.Fprintf(&b, "\nsections: [{\n\theading: %s\n\tbody: %s\n}]\n",
			todo("a heading for what else the page needs to say"), todo("the text under that heading"))
	}
	return []byte(b.String())
}

// quoteCUE writes s as a CUE string literal.
func quoteCUE(s string) string { return literal.String.Quote(s) }

// cueIdentifier is a label that needs no quotes, unless it is a keyword.
var cueIdentifier = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*$`)

// labelCUE writes a level id as a field name, quoted when CUE needs it.
func labelCUE(id string) string {
	switch id {
	case "if", "for", "in", "let", "true", "false", "null", "import", "package", "func":
		return quoteCUE(id)
	}
	if cueIdentifier.MatchString(id) {
		return id
	}
	return quoteCUE(id)
}
