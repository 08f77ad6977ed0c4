package importmd

import (
	"cmp"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/hugo"
)

// File is one file of a handbook's job-families tree, as the caller read
// it. PlanTree never touches the disk: the caller decides what is read and
// how safely.
type File struct {
	// Path is the file's path relative to the tree's root, the folder
	// whose URL is the policy's handbookBase, with forward slashes:
	// "finance/internal-audit/_index.md".
	Path string
	// Name names the file in messages and warnings, such as the path the
	// user typed; Path when empty.
	Name string
	// Src is the file's content. Only pages are read, so it may be nil
	// for other files.
	Src []byte
	// Named is set for a page the user named, rather than one found by
	// walking a folder: it is imported whatever a walk would decide (a
	// department's index page, a file whose extension Hugo does not serve,
	// a page that another file, not named, shares a URL with), with a note
	// saying so, since the user asked for its words.
	Named bool
}

func (f File) name() string { return cmp.Or(f.Name, f.Path) }

// Decision is what became of a folder's index page.
type Decision int

const (
	// Department: the index page holds no family content (a title, an
	// introduction, a list of families); it is left alone and the folder's
	// other pages are families of their own.
	Department Decision = iota + 1
	// FolderFamily: the index page and the folder's other pages, one level
	// each, are one family with the folder's URL as its id.
	FolderFamily
	// IndexFamily: the index page is a family of its own, with the folder's
	// URL as its id, beside the folder's other pages, each a family too.
	IndexFamily
)

// Folder is the decision taken for one folder with an index page.
type Folder struct {
	// Dir is the folder's path relative to the root, "" for the root.
	Dir string
	// Index is the index page's Path; IndexName its name in messages.
	Index, IndexName string
	Decision         Decision
	// ID is the family the folder makes, for FolderFamily and IndexFamily.
	ID string
	// Pages counts the folder's pages besides the index page.
	Pages int
	// Why says what decided, in words, for the summary.
	Why string
	// Named is set for a department whose index page was named: it is
	// imported as a family of its own all the same.
	Named bool
}

// Summary is the line the import's summary shows for the folder, without
// the folder's name.
func (f Folder) Summary() string {
	switch f.Decision {
	case Department:
		if f.Named {
			return fmt.Sprintf("department: %s imported as family %q since it was named (%s; a walk of the folder leaves it alone)",
				path.Base(f.Index), f.ID, f.Why)
		}
		return fmt.Sprintf("department: %s left alone (%s); %d %s of %s own",
			path.Base(f.Index), f.Why, f.Pages, plural(f.Pages, "page is a family", "pages are families"), plural(f.Pages, "its", "their"))
	case FolderFamily:
		return fmt.Sprintf("folder family %q: %s and %d level %s (%s)",
			f.ID, path.Base(f.Index), f.Pages, plural(f.Pages, "page", "pages"), f.Why)
	default:
		if f.Pages == 0 {
			return fmt.Sprintf("%s is family %q (%s)", path.Base(f.Index), f.ID, f.Why)
		}
		return fmt.Sprintf("%s is family %q of its own, beside %d %s (%s)",
			path.Base(f.Index), f.ID, f.Pages, plural(f.Pages, "family", "families"), f.Why)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Unit is one family to import.
type Unit struct {
	// ID is the family id: the URL of its page (or folder) under the
	// root, each segment made a valid id segment.
	ID string
	// URL is the URL path of its page or folder under the root, without
	// slashes at either end.
	URL string
	// Aliases are the site paths the family answers at besides its own:
	// its page's URL when the id differs from it, and a folder family's
	// level pages' URLs.
	Aliases []string
	// Pages are the family's pages, a folder family's index page first;
	// Paths their paths relative to the root, in the same order.
	Pages []Page
	Paths []string
	// Folder is set for a folder family.
	Folder bool
}

// Conflict is a source that is not imported, and why: two files Hugo
// serves at one URL, two families with one id, a page whose URL makes no
// family id.
type Conflict struct {
	// Paths are the files concerned, relative to the root.
	Paths []string
	// URL is the site path in dispute, when there is one.
	URL     string
	Message string
}

// Skipped is a file that is not imported because it is not a page Hugo
// serves, such as an image or a file with another extension.
type Skipped struct {
	Path, Name, Reason string
}

// PageError is a page that could not be read: Err names it by its Name.
type PageError struct {
	Path string
	Err  error
}

// Plan is what importing a tree will do.
type Plan struct {
	// Units are sorted by id.
	Units []Unit
	// Folders are the folders with an index page, sorted by path.
	Folders []Folder
	// Conflicts are sorted by their first file.
	Conflicts []Conflict
	Skipped   []Skipped
	// Errors are pages that could not be read at all, such as text that
	// is not UTF-8.
	Errors []PageError
	// Notes say where a named page was imported though a walk of its
	// folder would not have imported it.
	Notes []string
	// links maps every URL path a unit answers at to its id.
	links map[string]string
	// prefix is the site path of the root, "/job-families/".
	prefix string
}

// Link names the family imported in this plan that a job-families URL path
// (under the root, without slashes at either end) leads to: a family's own
// URL, its id, or one of its aliases.
func (pl *Plan) Link(sitePath string) (string, bool) {
	id, ok := pl.links[strings.Trim(sitePath, "/")]
	return id, ok
}

// Options returns what ImportWith needs to import u as part of the plan.
func (pl *Plan) Options(u Unit) Options {
	return Options{ID: u.ID, Aliases: u.Aliases, Link: pl.Link}
}

// SitePrefix returns the site path of the job-families root, the path of
// the policy's handbookBase with slashes at both ends: "/job-families/".
func SitePrefix(p *family.Policy) string {
	u, err := url.Parse(p.HandbookBase)
	if err != nil || u.Path == "" {
		return "/"
	}
	return "/" + strings.Trim(u.Path, "/") + "/"
}

// sitePath is a URL path under the root as a site path: "/job-families/x/".
func (pl *Plan) sitePath(u string) string {
	if u == "" {
		return pl.prefix
	}
	return pl.prefix + u + "/"
}

// pageInfo is one page of the tree and what it holds.
type pageInfo struct {
	file File
	doc  *doc
	url  string
	sh   shape
}

// shape is what a page holds when imported on its own.
type shape struct {
	// levels counts the levels the page gives.
	levels int
	// familyParts is set when the page has performance indicators, a
	// career ladder or a hiring process.
	familyParts bool
	// levelParts is set when the page has a levels, job grade,
	// responsibilities or requirements heading.
	levelParts bool
}

// familyContent reports whether an index page holds anything of a family.
func (s shape) familyContent() bool { return s.levels > 0 || s.familyParts || s.levelParts }

// ownFamily reports whether a page is a family rather than one level of
// its folder's family.
func (s shape) ownFamily() bool { return s.levels > 1 || s.familyParts }

func shapeOf(d *doc, p *family.Policy) shape {
	b := newBuilder(p)
	b.page(d, roleFamily)
	s := shape{levels: len(b.fam.levels)}
	for _, c := range d.chunks {
		switch {
		case c.heading == nil:
		case c.kind.isFamilyPart():
			s.familyParts = true
		case c.kind.isPart() || c.kind == kindLevels:
			s.levelParts = true
		}
	}
	return s
}

// PlanTree decides, from what the pages hold, which families the files of
// a job-families tree make: each page's id is its URL under the root, a
// folder's index page is a department's (left alone), a folder family's
// or a family of its own, and sources that Hugo would serve at one URL, or
// that would make one family, are left out. It reads only the files'
// paths and bytes.
func PlanTree(files []File, p *family.Policy) *Plan {
	pl := &Plan{links: map[string]string{}, prefix: SitePrefix(p)}
	type folderPages struct {
		index []*pageInfo
		pages []*pageInfo
	}
	folders := map[string]*folderPages{}
	var all []*pageInfo
	for _, f := range files {
		f.Path = strings.Trim(path.Clean("/"+strings.ReplaceAll(f.Path, "\\", "/")), "/")
		if hidden(f.Path) {
			continue
		}
		if !hugo.IsPage(f.Path) && !f.Named {
			pl.Skipped = append(pl.Skipped, Skipped{Path: f.Path, Name: f.name(),
				Reason: "not imported: not a Markdown page, so Hugo does not serve it as one"})
			continue
		}
		d, err := parseDoc(f.name(), f.Src)
		if err != nil {
			pl.Errors = append(pl.Errors, PageError{Path: f.Path, Err: err})
			continue
		}
		if !hugo.IsPage(f.Path) {
			pl.Notes = append(pl.Notes, fmt.Sprintf("%s: imported as named, though Hugo does not serve a file named so as a page: the family's page will be %s.md",
				f.name(), hugo.PageURL(f.Path)))
		}
		pi := &pageInfo{file: f, doc: d, url: hugo.PageURL(f.Path), sh: shapeOf(d, p)}
		all = append(all, pi)
		dir := path.Dir(f.Path)
		if dir == "." {
			dir = ""
		}
		fp := folders[dir]
		if fp == nil {
			fp = &folderPages{}
			folders[dir] = fp
		}
		if hugo.IsIndex(f.Path) {
			fp.index = append(fp.index, pi)
		} else {
			fp.pages = append(fp.pages, pi)
		}
	}

	// Two files that Hugo serves at one URL: neither is imported.
	byURL := map[string][]*pageInfo{}
	for _, pi := range all {
		byURL[pi.url] = append(byURL[pi.url], pi)
	}
	conflicted := map[*pageInfo]bool{}
	// shadowed are the pages a named page wins over: left out of their
	// units, which are imported without them.
	shadowed := map[*pageInfo]bool{}
	for u, ps := range byURL {
		if len(ps) < 2 {
			continue
		}
		// A page the user named wins over the files that share its URL
		// but were only read to decide its folder; the note names them.
		if named := slices.IndexFunc(ps, func(pi *pageInfo) bool { return pi.file.Named }); named >= 0 &&
			!slices.ContainsFunc(ps[named+1:], func(pi *pageInfo) bool { return pi.file.Named }) {
			var others []string
			for _, pi := range ps {
				if pi != ps[named] {
					others = append(others, pi.file.name())
					shadowed[pi] = true
				}
			}
			pl.Notes = append(pl.Notes, fmt.Sprintf("%s: imported as named, though Hugo also serves %s at its URL %q: remove or rename %s in the handbook, or publish --adopt will delete %s",
				ps[named].file.name(), and(others), pl.sitePath(u), plural(len(others), "it", "them"), plural(len(others), "it", "them")))
			continue
		}
		slices.SortFunc(ps, func(a, b *pageInfo) int { return strings.Compare(a.file.Path, b.file.Path) })
		var paths, names []string
		for _, pi := range ps {
			conflicted[pi] = true
			paths = append(paths, pi.file.Path)
			names = append(names, pi.file.name())
		}
		pl.Conflicts = append(pl.Conflicts, Conflict{Paths: paths, URL: pl.sitePath(u),
			Message: fmt.Sprintf("Hugo serves %s at one URL, %q: neither is imported; rename or remove one of them in the handbook",
				and(names), pl.sitePath(u))})
	}

	// Each folder's pages become units, as its index page decides.
	var units []*Unit
	unitOf := func(pages ...*pageInfo) *Unit {
		u := &Unit{URL: pages[0].url}
		for _, pi := range pages {
			u.Pages = append(u.Pages, Page{Path: pi.file.name(), Src: pi.file.Src})
			u.Paths = append(u.Paths, pi.file.Path)
		}
		units = append(units, u)
		return u
	}
	dirs := make([]string, 0, len(folders))
	for dir := range folders {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		fp := folders[dir]
		slices.SortFunc(fp.pages, func(a, b *pageInfo) int { return strings.Compare(a.file.Path, b.file.Path) })
		slices.SortFunc(fp.index, func(a, b *pageInfo) int { return strings.Compare(a.file.Path, b.file.Path) })
		if len(fp.index) == 0 {
			for _, pi := range fp.pages {
				unitOf(pi)
			}
			continue
		}
		// A folder with both _index.md and index.md has its index pages
		// in conflict already; the first still decides about the others.
		index := fp.index[0]
		dec, why := classifyFolder(index.sh, fp.pages)
		f := Folder{Dir: dir, Index: index.file.Path, IndexName: index.file.name(), Decision: dec, Pages: len(fp.pages), Why: why}
		switch dec {
		case Department:
			for _, pi := range fp.pages {
				unitOf(pi)
			}
			if index.file.Named {
				unitOf(index)
				f.Named = true
			}
		case FolderFamily:
			u := unitOf(append([]*pageInfo{index}, fp.pages...)...)
			u.Folder = true
			for _, pi := range fp.pages {
				u.Aliases = append(u.Aliases, pl.sitePath(pi.url))
			}
		case IndexFamily:
			unitOf(index)
			for _, pi := range fp.pages {
				unitOf(pi)
			}
		}
		for _, ix := range fp.index[1:] {
			if dec == Department {
				continue
			}
			// A second index page is in conflict with the first; it is
			// named as a unit of its own so that it is reported.
			unitOf(ix)
		}
		pl.Folders = append(pl.Folders, f)
	}

	// Ids: the URL made of valid id segments, and an alias where they
	// differ. A unit holding a page in conflict is left out as a whole.
	pathsOf := map[string]*pageInfo{}
	for _, pi := range all {
		pathsOf[pi.file.Path] = pi
	}
	var kept []*Unit
	for _, u := range units {
		for i := 0; i < len(u.Paths); {
			if shadowed[pathsOf[u.Paths[i]]] {
				u.Paths = slices.Delete(u.Paths, i, i+1)
				u.Pages = slices.Delete(u.Pages, i, i+1)
				continue
			}
			i++
		}
		if len(u.Paths) == 0 {
			continue
		}
		var bad []string
		for _, p := range u.Paths {
			if conflicted[pathsOf[p]] {
				bad = append(bad, pathsOf[p].file.name())
			}
		}
		if len(bad) > 0 {
			if len(bad) < len(u.Paths) {
				pl.Conflicts = append(pl.Conflicts, Conflict{Paths: u.Paths,
					Message: fmt.Sprintf("folder family %q is not imported, since %s %s not", u.URL, and(bad), plural(len(bad), "is", "are"))})
			}
			continue
		}
		id, msg := idOf(u.URL)
		if msg != "" {
			pl.Conflicts = append(pl.Conflicts, Conflict{Paths: u.Paths, URL: pl.sitePath(u.URL),
				Message: fmt.Sprintf("%s: not imported: %s", u.Pages[0].Path, msg)})
			continue
		}
		u.ID = id
		if id != u.URL {
			u.Aliases = append([]string{pl.sitePath(u.URL)}, u.Aliases...)
		}
		kept = append(kept, u)
	}

	// Two units that would answer at one URL, with their ids or aliases:
	// neither is imported.
	claims := map[string][]*Unit{}
	for _, u := range kept {
		seen := map[string]bool{}
		for _, c := range append([]string{u.ID, u.URL}, aliasPaths(pl.prefix, u.Aliases)...) {
			if !seen[c] {
				seen[c] = true
				claims[c] = append(claims[c], u)
			}
		}
	}
	dropped := map[*Unit]bool{}
	claimed := slices.Sorted(func(yield func(string) bool) {
		for c := range claims {
			if !yield(c) {
				return
			}
		}
	})
	for _, c := range claimed {
		us := claims[c]
		if len(us) < 2 {
			continue
		}
		var paths, names []string
		for _, u := range us {
			dropped[u] = true
			paths = append(paths, u.Paths[0])
			names = append(names, u.Pages[0].Path)
		}
		msg := fmt.Sprintf("%s would both be family %q: neither is imported; rename one of them in the handbook", and(names), c)
		if us[0].ID != c || us[1].ID != c {
			msg = fmt.Sprintf("%s would both answer at %q: neither is imported; rename one of them in the handbook", and(names), pl.sitePath(c))
		}
		pl.Conflicts = append(pl.Conflicts, Conflict{Paths: paths, URL: pl.sitePath(c), Message: msg})
	}
	for _, u := range kept {
		if dropped[u] {
			continue
		}
		pl.Units = append(pl.Units, *u)
		for _, c := range append([]string{u.ID, u.URL}, aliasPaths(pl.prefix, u.Aliases)...) {
			pl.links[c] = u.ID
		}
	}
	for i, f := range pl.Folders {
		if f.Decision != Department || f.Named {
			pl.Folders[i].ID, _ = idOf(hugo.PageURL(f.Index))
		}
	}
	slices.SortFunc(pl.Units, func(a, b Unit) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(pl.Conflicts, func(a, b Conflict) int {
		return cmp.Or(strings.Compare(a.Paths[0], b.Paths[0]), strings.Compare(a.Message, b.Message))
	})
	slices.SortFunc(pl.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return pl
}

// classifyFolder decides what a folder's index page is, from what it and
// the folder's other pages hold, and says why.
func classifyFolder(index shape, pages []*pageInfo) (Decision, string) {
	var notLevel *pageInfo
	own := 0
	for _, pi := range pages {
		if pi.sh.levels != 1 && notLevel == nil {
			notLevel = pi
		}
		if pi.sh.ownFamily() {
			own++
		}
	}
	content := index.familyContent()
	switch {
	case len(pages) > 0 && notLevel == nil && content:
		return FolderFamily, "the index holds family content, every other page one level"
	case len(pages) > 0 && notLevel == nil && own == 0:
		return FolderFamily, "every other page is one level and none a family of its own"
	case !content:
		return Department, "it holds no family content"
	case len(pages) == 0:
		return IndexFamily, "it holds family content"
	}
	return IndexFamily, fmt.Sprintf("%s has %d %s, not one", path.Base(notLevel.file.Path), notLevel.sh.levels, plural(notLevel.sh.levels, "level", "levels"))
}

// idOf makes a family id of a URL path under the root, or says why it
// cannot.
func idOf(u string) (string, string) {
	if u == "" {
		return "", "the root's own page makes no family id: move the family into a department folder in the handbook"
	}
	segs := strings.Split(u, "/")
	for i, s := range segs {
		id := hugo.IDSegment(s)
		if id == "" {
			return "", fmt.Sprintf("URL segment %q has no letter or digit to make a family id of: rename it in the handbook", s)
		}
		segs[i] = id
	}
	if len(segs) < 2 {
		return "", fmt.Sprintf("family id %q is not in a department folder: move the page into one in the handbook, or import from a folder higher up", segs[0])
	}
	return strings.Join(segs, "/"), ""
}

// aliasPaths turns aliases back into URL paths under the root.
func aliasPaths(prefix string, aliases []string) []string {
	out := make([]string, 0, len(aliases))
	for _, a := range aliases {
		out = append(out, strings.Trim(strings.TrimPrefix(a, prefix), "/"))
	}
	return out
}

// hidden reports whether a path has a segment that starts with a dot:
// such files and folders are not part of the site.
func hidden(p string) bool {
	for s := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(s, ".") {
			return true
		}
	}
	return false
}

// and joins names as a sentence does: "a", "a and b", "a, b and c".
func and(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// ImportTree imports every unit of a plan, each with the ids of the
// others for its links. The results are in the order of pl.Units; a unit
// whose pages cannot be read has a nil result and its error.
func ImportTree(pl *Plan, p *family.Policy) ([]*Result, []error) {
	res := make([]*Result, len(pl.Units))
	errs := make([]error, len(pl.Units))
	for i, u := range pl.Units {
		res[i], errs[i] = ImportWith(u.Pages, p, pl.Options(u))
	}
	return res, errs
}
