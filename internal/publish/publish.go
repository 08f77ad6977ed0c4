package publish

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jobfam/jobfam/internal/hugo"
	"github.com/jobfam/jobfam/internal/textdiff"
)

// Operations reported in Result.Operation.
const (
	OpNone      = "none"      // nothing to do: the handbook is up to date
	OpCommitted = "committed" // --mode direct: the branch moved to a new commit
	OpCreated   = "created"   // --mode pr: a pull request was opened
	OpUpdated   = "updated"   // --mode pr: the open pull request was updated
	OpClosed    = "closed"    // --mode pr: no difference remains, the pull request was closed
)

// DefaultPRBranch is the branch --mode pr rebuilds; jobfam owns it.
const DefaultPRBranch = "jobfam/publish"

// maxTreeEntries is how many entries one create-tree request carries;
// larger changes chain trees through base_tree.
const maxTreeEntries = 100

// maxBody keeps a pull request's body below GitHub's 65,536 characters.
const maxBody = 65000

// Options say where and how to publish.
type Options struct {
	Repo     string // the handbook repository, "owner/name", for messages
	Branch   string // the handbook's branch (default "main")
	Dir      string // the folder of the pages in the handbook
	Mode     string // "direct" (default) or "pr"
	PRBranch string // the branch of --mode pr (default DefaultPRBranch)
	DryRun   bool
	// Adopt lets the commit replace or delete the hand-written pages
	// whose URL a family's page now serves (see Serves), rather than
	// refusing to publish while they stand there.
	Adopt bool
	// Serves maps a page (a key of Publish's pages) to the other URLs it
	// answers at: Hugo aliases, as URL paths relative to the URL of Dir,
	// without slashes at either end ("engineering/frontend/senior"). A
	// page's own URL (hugo.PageURL of its name) needs no entry. It is data
	// the caller computes from the families, so that publish never parses
	// front matter to learn it.
	Serves map[string][]string
	// Source is where the families come from, for the provenance
	// trailers and --require-approval.
	Source          Source
	RequireApproval bool
	// CheckApprovals, with RequireApproval, also judges the merged pull
	// request by the policy's approval rules (internal/approval): it
	// returns the rules each counted approver met, or an error that wraps
	// ErrRefused when a rule is not met. Any other error stops the
	// publish too: on doubt, nothing is published.
	CheckApprovals func(ctx context.Context, pr int) (map[string][]string, error)
	// MaxAttempts bounds the rebuilds after a non-fast-forward (default 5).
	MaxAttempts int
	// Log receives progress notes (retries, warnings).
	Log io.Writer
}

// Source is the commit the families were rendered from.
type Source struct {
	Repo string // "owner/name"
	SHA  string
}

// Provenance is what the commit message says of the source.
type Provenance struct {
	Repo      string   `json:"repository,omitempty"`
	SHA       string   `json:"commit,omitempty"`
	PR        int      `json:"pull_request,omitempty"`
	PRURL     string   `json:"pull_request_url,omitempty"`
	Author    string   `json:"author,omitempty"`
	Merged    bool     `json:"merged,omitempty"`
	Approvers []string `json:"approved_by,omitempty"`
	// Rules maps approvers to the approval rules their approval met.
	Rules map[string][]string `json:"approved_rules,omitempty"`
}

// Result is what Publish did, or with DryRun would do.
type Result struct {
	Operation      string   `json:"operation"`
	DryRun         bool     `json:"dry_run,omitempty"`
	CommitSHA      string   `json:"commit_sha,omitempty"`
	PullRequestURL string   `json:"pull_request_url,omitempty"`
	Added          []string `json:"added"`
	Changed        []string `json:"changed"`
	Deleted        []string `json:"deleted"`
	// Adopted lists the hand-written pages the commit replaces or
	// deletes because a family's page now serves their URL (Options.Adopt);
	// each is in Changed or Deleted too.
	Adopted    []Adoption  `json:"adopted"`
	Diff       string      `json:"diff,omitempty"`
	Provenance *Provenance `json:"provenance,omitempty"`
	// Attempts is how many commits were built (more than one after the
	// branch moved meanwhile).
	Attempts int `json:"attempts,omitempty"`
	// Manifest is the path of the manifest (ManifestName) when the commit
	// updates it, or with DryRun would; it is not a page, so it is in
	// neither the lists nor the diff.
	Manifest string `json:"manifest,omitempty"`
}

// Actions of an Adoption.
const (
	AdoptReplaced = "replaced" // the family's page takes the hand-written page's path
	AdoptDeleted  = "deleted"  // the family's page, at another path, serves its URL
)

// Adoption is a hand-written page that a publish with Options.Adopt takes
// over.
type Adoption struct {
	Path     string `json:"path"`      // the hand-written page
	Action   string `json:"action"`    // AdoptReplaced or AdoptDeleted
	ServedBy string `json:"served_by"` // the family's page that serves its URL now
}

// Publish makes the pages (path under opts.Dir -> rendered page) the
// content of opts.Dir in the handbook, in one commit, changing or deleting
// only the pages that carry jobfam's marker.
func Publish(ctx context.Context, gh API, pages map[string][]byte, opts Options) (*Result, error) {
	if opts.Branch == "" {
		opts.Branch = "main"
	}
	if opts.Mode == "" {
		opts.Mode = "direct"
	}
	if opts.Mode != "direct" && opts.Mode != "pr" {
		return nil, fmt.Errorf("mode %q is neither direct nor pr", opts.Mode)
	}
	if opts.PRBranch == "" {
		opts.PRBranch = DefaultPRBranch
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if err := CheckDir(opts.Dir); err != nil {
		return nil, err
	}
	want := make(map[string]string, len(pages))
	for name, data := range pages {
		if err := checkPage(name); err != nil {
			return nil, err
		}
		want[opts.Dir+"/"+name] = string(Mark(data, strings.TrimSuffix(name, ".md")))
	}
	p := &publisher{gh: gh, opts: opts, want: want, blobs: map[string]blob{},
		manifest: encodeManifest(opts.Dir, want, opts.Source), claims: claims(opts.Dir, pages, opts.Serves)}
	var prov *Provenance
	if opts.RequireApproval {
		var err error
		if prov, err = p.provenance(ctx); err != nil {
			return nil, err
		}
		if err := approved(prov); err != nil {
			return nil, err
		}
		if opts.CheckApprovals != nil {
			rules, err := opts.CheckApprovals(ctx, prov.PR)
			if err != nil {
				return nil, err
			}
			prov.Rules = rules
		}
	}
	if opts.Mode == "pr" {
		return p.pr(ctx, prov)
	}
	return p.direct(ctx, prov)
}

type publisher struct {
	gh    API
	opts  Options
	want  map[string]string // full path -> marked page
	blobs map[string]blob   // read blobs by sha
	// manifest is the manifest of the wanted pages, written with any
	// change.
	manifest string
	// claims maps each URL a wanted page serves (relative to the URL of
	// opts.Dir) to that page's full path.
	claims map[string]string
}

// claims maps the URLs the pages serve, their own and their aliases, to
// their full paths. A page's own URL wins over another page's alias, and
// among aliases the first page by name, so that the result does not
// depend on map order; two families claiming one URL is for validate to
// report, not for publish to guess.
func claims(dir string, pages map[string][]byte, serves map[string][]string) map[string]string {
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make(map[string]string, len(pages))
	for _, name := range names {
		if u := hugo.PageURL(name); u != "" {
			out[u] = dir + "/" + name
		}
	}
	for _, name := range names {
		for _, u := range serves[name] {
			if _, taken := out[u]; !taken && u != "" {
				out[u] = dir + "/" + name
			}
		}
	}
	return out
}

// claimedBy returns the wanted page that serves the URL of the page at
// the full path name, or "" when none does or the page is not a Markdown
// page Hugo would serve. Pages under .git or .github are never claimed,
// whatever an alias says.
func (p *publisher) claimedBy(name string) string {
	rel := strings.TrimPrefix(name, p.opts.Dir+"/")
	if !hugo.IsPage(rel) {
		return ""
	}
	for _, seg := range strings.Split(rel, "/") {
		if reserved(seg) {
			return ""
		}
	}
	return p.claims[hugo.PageURL(rel)]
}

type blob struct {
	content string
	owned   bool
}

// plan is the change that turns a tree into the wanted one.
type plan struct {
	tree                    string // the tree's SHA
	changes                 []Change
	added, changed, deleted []string
	adopted                 []Adoption
	old                     map[string]string // path -> content before, for the diff
	manifest                string            // the manifest's path when changes update it
}

func (p *plan) empty() bool { return len(p.changes) == 0 }

// plan reads a tree (a commit's or a tree's SHA), the manifest, and the
// blobs it needs to decide ownership, and computes the change. A blob
// whose SHA is the wanted page's, or the one the manifest records, needs
// no reading; so the reads do not grow with the number of changed pages.
// Only a page edited since jobfam wrote it, or one the manifest does not
// list that is in the way of a family, is read (each once per run).
// Without a manifest (a handbook published by an older jobfam) every page
// that differs, and every page no family renders, is read. A page the
// manifest does not list is read too when a family's page serves its URL
// (claimedBy): its marker decides whether it is a hand-written page in
// the way, refused or, with Options.Adopt, replaced or deleted.
func (p *publisher) plan(ctx context.Context, treeish string) (*plan, error) {
	treeSHA, have, err := p.readDir(ctx, treeish)
	if err != nil {
		return nil, err
	}
	pl := &plan{tree: treeSHA, old: map[string]string{}}
	prefix := p.opts.Dir + "/"
	mf, err := p.readManifest(ctx, have)
	if err != nil {
		return nil, err
	}
	paths := make([]string, 0, len(p.want)+len(have))
	for name := range p.want {
		paths = append(paths, name)
	}
	// by holds, for each page no family writes, the family's page that
	// serves its URL, if any.
	by := map[string]string{}
	for name := range have {
		if _, ok := p.want[name]; ok {
			continue
		}
		if b := p.claimedBy(name); b != "" {
			by[name] = b
			paths = append(paths, name)
		} else if strings.HasSuffix(name, ".md") {
			paths = append(paths, name)
		}
	}
	slices.Sort(paths)
	var foreign []Adoption
	for _, name := range paths {
		content, wanted := p.want[name]
		sha, exists := have[name]
		if wanted && exists && sha == BlobSHA([]byte(content)) {
			continue
		}
		listed := ""
		if mf != nil {
			listed = mf.Pages[strings.TrimPrefix(name, prefix)]
			if !wanted && listed == "" && by[name] == "" {
				continue // jobfam never wrote it: hand-written, never touched
			}
		}
		// Written by jobfam and unchanged since: owned without a read; a
		// dry run still reads it, for the diff.
		owned := exists && listed == sha
		if exists && (!owned || p.opts.DryRun) {
			b, err := p.blob(ctx, sha)
			if err != nil {
				return nil, err
			}
			if !owned && !b.owned {
				// A hand-written page: never touched, unless a family's
				// page takes its path or serves its URL. Then it is in
				// the way (Hugo would serve one URL from two files), and
				// only --adopt lets the commit replace or delete it.
				a := Adoption{Path: name, Action: AdoptReplaced, ServedBy: name}
				if !wanted {
					a.Action, a.ServedBy = AdoptDeleted, by[name]
				}
				switch {
				case a.ServedBy == "":
					continue
				case !p.opts.Adopt:
					foreign = append(foreign, a)
					continue
				}
				pl.adopted = append(pl.adopted, a)
			}
			if wanted && b.content == content {
				continue
			}
			pl.old[name] = b.content
		}
		switch {
		case !wanted:
			pl.deleted = append(pl.deleted, name)
			pl.changes = append(pl.changes, Change{Path: name})
		case exists:
			pl.changed = append(pl.changed, name)
			pl.changes = append(pl.changes, Change{Path: name, Content: &content})
		default:
			pl.added = append(pl.added, name)
			pl.changes = append(pl.changes, Change{Path: name, Content: &content})
		}
	}
	if len(foreign) > 0 {
		return nil, p.inTheWay(foreign)
	}
	// The manifest goes with a change, as one more entry of the same
	// commit; alone it is no reason to write.
	if name := prefix + ManifestName; !pl.empty() && have[name] != BlobSHA([]byte(p.manifest)) {
		pl.changes = append(pl.changes, Change{Path: name, Content: &p.manifest})
		pl.manifest = name
	}
	return pl, nil
}

// inTheWay is the refusal that names every hand-written page in the way
// of a family's page, on one line, and says how to adopt them.
func (p *publisher) inTheWay(pages []Adoption) error {
	items := make([]string, len(pages))
	for i, a := range pages {
		if a.Action == AdoptReplaced {
			items[i] = a.Path + " (a family's page goes there)"
		} else {
			items[i] = a.Path + " (its URL is served by " + a.ServedBy + ")"
		}
	}
	return fmt.Errorf("%w: %d hand-written %s in %s@%s %s in the way of the families' pages (no \"generated_by: jobfam\" in front matter): %s; publish with --adopt to replace or delete them in the publish commit, or move them or rename the families",
		ErrRefused, len(pages), plural(len(pages), "page", "pages"), p.opts.Repo, p.opts.Branch, plural(len(pages), "is", "are"), strings.Join(items, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (p *publisher) blob(ctx context.Context, sha string) (blob, error) {
	if b, ok := p.blobs[sha]; ok {
		return b, nil
	}
	data, err := p.gh.GetBlob(ctx, sha)
	if err != nil {
		return blob{}, err
	}
	b := blob{content: string(data), owned: Owned(data)}
	p.blobs[sha] = b
	return b, nil
}

// build writes the plan's trees, chained through base_tree in chunks,
// and a commit on parent.
func (p *publisher) build(ctx context.Context, pl *plan, parent string, prov *Provenance) (string, error) {
	tree := pl.tree
	for i := 0; i < len(pl.changes); i += maxTreeEntries {
		chunk := pl.changes[i:min(i+maxTreeEntries, len(pl.changes))]
		var err error
		if tree, err = p.gh.CreateTree(ctx, tree, chunk); err != nil {
			return "", err
		}
	}
	return p.gh.CreateCommit(ctx, commitMessage(pl, prov), tree, []string{parent})
}

func (p *publisher) result(op string, pl *plan, prov *Provenance) *Result {
	r := &Result{Operation: op, DryRun: p.opts.DryRun, Provenance: prov,
		Added: nonNil(pl.added), Changed: nonNil(pl.changed), Deleted: nonNil(pl.deleted),
		Adopted: pl.adopted, Manifest: pl.manifest}
	if r.Adopted == nil {
		r.Adopted = []Adoption{}
	}
	if p.opts.DryRun {
		var b strings.Builder
		for _, c := range pl.changes {
			if c.Path == pl.manifest {
				continue
			}
			oldName, newName := "a/"+c.Path, "b/"+c.Path
			old, had := pl.old[c.Path]
			if !had {
				oldName = "/dev/null"
			}
			content := ""
			if c.Content == nil {
				newName = "/dev/null"
			} else {
				content = *c.Content
			}
			b.WriteString(textdiff.Unified(oldName, newName, old, content))
		}
		r.Diff = b.String()
	}
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (p *publisher) direct(ctx context.Context, prov *Provenance) (*Result, error) {
	branch := p.opts.Branch
	for attempt := 1; ; attempt++ {
		head, err := p.gh.GetRef(ctx, branch)
		if err != nil {
			return nil, err
		}
		pl, err := p.plan(ctx, head)
		if err != nil {
			return nil, err
		}
		if pl.empty() {
			if attempt > 1 {
				// Someone else published the same pages meanwhile.
				return &Result{Operation: OpNone, Attempts: attempt - 1, Added: []string{}, Changed: []string{}, Deleted: []string{}, Adopted: []Adoption{}}, nil
			}
			return p.result(OpNone, pl, prov), nil
		}
		if p.opts.DryRun {
			return p.result(OpCommitted, pl, prov), nil
		}
		if prov == nil {
			if prov, err = p.provenance(ctx); err != nil {
				return nil, err
			}
		}
		commit, err := p.build(ctx, pl, head, prov)
		if err != nil {
			return nil, err
		}
		err = p.gh.UpdateRef(ctx, branch, commit, false)
		if err != nil && uncertain(err) {
			// The answer was lost: the update may have happened.
			if now, rerr := p.gh.GetRef(ctx, branch); rerr == nil && now == commit {
				err = nil
			}
		}
		if err == nil {
			r := p.result(OpCommitted, pl, prov)
			r.CommitSHA, r.Attempts = commit, attempt
			return r, nil
		}
		if !retryable(err) || attempt >= p.opts.MaxAttempts {
			return nil, fmt.Errorf("publish to %s@%s (attempt %d of %d): %w", p.opts.Repo, branch, attempt, p.opts.MaxAttempts, err)
		}
		fmt.Fprintf(p.opts.Log, "jobfam: %s moved while publishing (%v): rebuilding on its new head\n", branch, err)
	}
}

// uncertain reports whether a failed request may have been applied: no
// answer came, or the server failed.
func uncertain(err error) bool {
	s := statusOf(err)
	return s == 0 || s >= 500
}

// retryable reports whether rebuilding on the branch's new head may
// succeed.
func retryable(err error) bool {
	var e *Error
	if errors.As(err, &e) && e.NotFastForward {
		return true
	}
	return uncertain(err)
}

func (p *publisher) pr(ctx context.Context, prov *Provenance) (*Result, error) {
	base, prBranch := p.opts.Branch, p.opts.PRBranch
	head, err := p.gh.GetRef(ctx, base)
	if err != nil {
		return nil, err
	}
	pl, err := p.plan(ctx, head)
	if err != nil {
		return nil, err
	}
	open, err := p.gh.OpenPulls(ctx, prBranch, base)
	if err != nil {
		return nil, err
	}
	if pl.empty() {
		if len(open) == 0 || p.opts.DryRun {
			return p.result(OpNone, pl, prov), nil
		}
		closed, err := p.gh.EditPull(ctx, open[0].Number, "", "", "closed")
		if err != nil {
			return nil, err
		}
		r := p.result(OpClosed, pl, prov)
		r.PullRequestURL = closed.URL
		return r, nil
	}
	if p.opts.DryRun {
		op := OpCreated
		if len(open) > 0 {
			op = OpUpdated
		}
		return p.result(op, pl, prov), nil
	}
	if prov == nil {
		if prov, err = p.provenance(ctx); err != nil {
			return nil, err
		}
	}
	// The branch is ours: it is rebuilt on the base's head unless it
	// already holds exactly this change there.
	prHead, err := p.gh.GetRef(ctx, prBranch)
	if err != nil && statusOf(err) != 404 {
		return nil, err
	}
	current := false
	if prHead != "" {
		c, err := p.gh.GetCommit(ctx, prHead)
		if err != nil {
			return nil, err
		}
		if len(c.Parents) == 1 && c.Parents[0] == head {
			q, err := p.plan(ctx, c.Tree)
			if err == nil && q.empty() {
				current = true
			}
		}
	}
	r := p.result(OpUpdated, pl, prov)
	r.CommitSHA = prHead
	if !current {
		commit, err := p.build(ctx, pl, head, prov)
		if err != nil {
			return nil, err
		}
		if prHead == "" {
			err = p.gh.CreateRef(ctx, prBranch, commit)
		} else {
			err = p.gh.UpdateRef(ctx, prBranch, commit, true)
		}
		if err != nil {
			return nil, err
		}
		r.CommitSHA, r.Attempts = commit, 1
	}
	title, body := prText(pl, prov, p.opts)
	if len(open) > 0 {
		r.PullRequestURL = open[0].URL
		if open[0].Title == title && open[0].Body == body {
			if current {
				r.Operation = OpNone
			}
			return r, nil
		}
		if _, err := p.gh.EditPull(ctx, open[0].Number, title, body, ""); err != nil {
			return nil, err
		}
		return r, nil
	}
	created, err := p.gh.CreatePull(ctx, title, body, prBranch, base)
	var e *Error
	if errors.As(err, &e) && e.PullExists {
		// Opened meanwhile (or the list lagged): update that one.
		if open, err = p.gh.OpenPulls(ctx, prBranch, base); err != nil {
			return nil, err
		}
		if len(open) == 0 {
			return nil, e
		}
		r.PullRequestURL = open[0].URL
		_, err = p.gh.EditPull(ctx, open[0].Number, title, body, "")
		return r, err
	}
	if err != nil {
		return nil, err
	}
	r.Operation, r.PullRequestURL = OpCreated, created.URL
	return r, nil
}

// provenance finds the source commit's pull request and its approvers.
// Only --require-approval makes a failure to find them an error.
func (p *publisher) provenance(ctx context.Context) (*Provenance, error) {
	src := p.opts.Source
	prov := &Provenance{Repo: src.Repo, SHA: src.SHA}
	if src.Repo == "" || src.SHA == "" {
		return prov, nil
	}
	pulls, err := p.gh.PullsWithCommit(ctx, src.Repo, src.SHA)
	if err != nil {
		if p.opts.RequireApproval {
			return nil, err
		}
		fmt.Fprintf(p.opts.Log, "jobfam: warning: no pull request found for %s@%s: %v\n", src.Repo, short(src.SHA), err)
		return prov, nil
	}
	var pick *Pull
	for i := range pulls {
		pl := &pulls[i]
		switch {
		case pl.Merged && pl.MergeCommitSHA == src.SHA:
			pick = pl
		case pick == nil && pl.Merged:
			pick = pl
		}
		if pick != nil && pick.MergeCommitSHA == src.SHA {
			break
		}
	}
	if pick == nil && len(pulls) > 0 {
		pick = &pulls[0]
	}
	if pick == nil {
		return prov, nil
	}
	prov.PR, prov.PRURL, prov.Author, prov.Merged = pick.Number, pick.URL, pick.Author, pick.Merged
	reviews, err := p.gh.Reviews(ctx, src.Repo, pick.Number)
	if err != nil {
		if p.opts.RequireApproval {
			return nil, err
		}
		fmt.Fprintf(p.opts.Log, "jobfam: warning: could not read the reviews of %s#%d: %v\n", src.Repo, pick.Number, err)
		return prov, nil
	}
	prov.Approvers = approvers(reviews, pick.Author)
	return prov, nil
}

// approvers returns who approved, by the latest review of each user that
// approved or asked for changes (comments do not undo an approval), the
// author excluded.
func approvers(reviews []Review, author string) []string {
	latest := map[string]string{}
	for _, r := range reviews {
		switch strings.ToUpper(r.State) {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
			latest[r.User] = strings.ToUpper(r.State)
		}
	}
	var out []string
	for user, state := range latest {
		if state == "APPROVED" && user != "" && !strings.EqualFold(user, author) {
			out = append(out, user)
		}
	}
	slices.Sort(out)
	return out
}

// approver names an approver with the approval rules they met, as the
// trailers show them: "octocat (total-rewards)". Logins compare ignoring
// case, as GitHub's do.
func (prov *Provenance) approver(login string) string {
	for l, rules := range prov.Rules {
		if strings.EqualFold(l, login) && len(rules) > 0 {
			return login + " (" + strings.Join(rules, ", ") + ")"
		}
	}
	return login
}

// approved says why prov is not an approved version, or nil.
func approved(prov *Provenance) error {
	switch {
	case prov.Repo == "" || prov.SHA == "":
		return fmt.Errorf("%w: --require-approval needs the source commit: set GITHUB_REPOSITORY and GITHUB_SHA, or run in a git checkout with an origin on GitHub", ErrRefused)
	case prov.PR == 0:
		return fmt.Errorf("%w: commit %s of %s does not come from a pull request", ErrRefused, short(prov.SHA), prov.Repo)
	case !prov.Merged:
		return fmt.Errorf("%w: pull request %s#%d is not merged", ErrRefused, prov.Repo, prov.PR)
	case len(prov.Approvers) == 0:
		return fmt.Errorf("%w: pull request %s#%d has no approving review by someone other than its author %q", ErrRefused, prov.Repo, prov.PR, prov.Author)
	}
	return nil
}

func summary(pl *plan) string {
	s := fmt.Sprintf("%d added, %d changed, %d deleted", len(pl.added), len(pl.changed), len(pl.deleted))
	if n := len(pl.adopted); n > 0 {
		s += fmt.Sprintf(", %d hand-written %s adopted", n, plural(n, "page", "pages"))
	}
	return s
}

// adoptionNote says what became of an adopted page, for the pull
// request's list of changes.
func adoptionNote(a Adoption) string {
	if a.Action == AdoptReplaced {
		return "a hand-written page, adopted"
	}
	return "a hand-written page, adopted: `" + a.ServedBy + "` serves its URL"
}

func commitMessage(pl *plan, prov *Provenance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Publish job families: %s\n", summary(pl))
	if len(pl.adopted) > 0 {
		// The hand-written pages that go are named in the history, so
		// that whoever misses one finds where it went.
		b.WriteString("\nAdopted hand-written pages whose URL a family's page now serves:\n")
		for _, a := range pl.adopted {
			fmt.Fprintf(&b, "- %s %s (served by %s)\n", a.Action, a.Path, a.ServedBy)
		}
	}
	if prov == nil || prov.Repo == "" {
		b.WriteString("\nRendered by jobfam.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "\nRendered by jobfam from %s.\n\n", prov.Repo)
	fmt.Fprintf(&b, "Source-Commit: %s@%s\n", prov.Repo, prov.SHA)
	if prov.PR != 0 {
		fmt.Fprintf(&b, "Source-PR: %s#%d\n", prov.Repo, prov.PR)
	}
	for _, a := range prov.Approvers {
		fmt.Fprintf(&b, "Approved-By: %s\n", prov.approver(a))
	}
	return b.String()
}

func prText(pl *plan, prov *Provenance, opts Options) (title, body string) {
	title = "Publish job families: " + summary(pl)
	var b strings.Builder
	fmt.Fprintf(&b, "jobfam rebuilt `%s` on the head of `%s`. Changes in `%s`:\n\n", opts.PRBranch, opts.Branch, opts.Dir)
	var lines []string
	notes := make(map[string]string, len(pl.adopted))
	for _, a := range pl.adopted {
		notes[a.Path] = " (" + adoptionNote(a) + ")"
	}
	for _, s := range []struct {
		verb  string
		paths []string
	}{{"added", pl.added}, {"changed", pl.changed}, {"deleted", pl.deleted}} {
		for _, name := range s.paths {
			lines = append(lines, fmt.Sprintf("- %s `%s`%s\n", s.verb, name, notes[name]))
		}
	}
	var trailer strings.Builder
	if prov != nil && prov.Repo != "" {
		fmt.Fprintf(&trailer, "\nSource-Commit: %s@%s\n", prov.Repo, prov.SHA)
		if prov.PR != 0 {
			fmt.Fprintf(&trailer, "Source-PR: %s#%d\n", prov.Repo, prov.PR)
		}
		if len(prov.Approvers) > 0 {
			names := make([]string, len(prov.Approvers))
			for i, a := range prov.Approvers {
				names[i] = prov.approver(a)
			}
			fmt.Fprintf(&trailer, "Approved-By: %s\n", strings.Join(names, ", "))
		}
	}
	room := maxBody - b.Len() - trailer.Len() - 100
	for i, l := range lines {
		if len(l) > room {
			fmt.Fprintf(&b, "- … and %d more\n", len(lines)-i)
			break
		}
		b.WriteString(l)
		room -= len(l)
	}
	b.WriteString(trailer.String())
	return title, b.String()
}

// BlobSHA is git's object name of a blob with this content.
func BlobSHA(data []byte) string {
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Mark inserts jobfam's ownership marker, "generated_by: jobfam" and
// "jobfam_family: <id>", at the end of a page's front matter (adding one
// when the page has none).
func Mark(page []byte, id string) []byte {
	marker := "generated_by: jobfam\njobfam_family: " + yamlID(id) + "\n"
	if fm, rest, ok := frontMatter(page); ok {
		return []byte("---\n" + fm + marker + "---" + rest)
	}
	return []byte("---\n" + marker + "---\n\n" + string(page))
}

// Owned reports whether a page carries jobfam's marker in its front
// matter.
func Owned(page []byte) bool {
	fm, _, ok := frontMatter(page)
	if !ok {
		return false
	}
	for _, line := range strings.Split(fm, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "generated_by" && strings.Trim(strings.TrimSpace(v), `"'`) == "jobfam" {
			return true
		}
	}
	return false
}

// frontMatter splits a page into its front matter's lines (each ending
// in "\n") and what follows the closing "---".
func frontMatter(page []byte) (fm, rest string, ok bool) {
	s := string(bytes.ReplaceAll(page, []byte("\r\n"), []byte("\n")))
	if !strings.HasPrefix(s, "---\n") {
		return "", "", false
	}
	body := s[len("---\n"):]
	if strings.HasPrefix(body, "---") && (len(body) == 3 || body[3] == '\n') {
		return "", body[3:], true
	}
	i := strings.Index(body, "\n---")
	for i >= 0 {
		end := i + len("\n---")
		if end == len(body) || body[end] == '\n' {
			return body[:i+1], body[end:], true
		}
		j := strings.Index(body[end:], "\n---")
		if j < 0 {
			break
		}
		i = end + j
	}
	return "", "", false
}

func yamlID(id string) string {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '-' || r == '_' || r == '.') {
			return strconv.Quote(id)
		}
	}
	return id
}

// CheckDir refuses a handbook folder that is not a clean relative path,
// or that lies in .git or .github.
func CheckDir(dir string) error {
	if dir == "" || dir == "." || path.Clean(dir) != dir || path.IsAbs(dir) || strings.ContainsAny(dir, "\\\x00") {
		return fmt.Errorf("--dir %q must be a clean relative folder, as in content/job-families", dir)
	}
	for _, seg := range strings.Split(dir, "/") {
		if seg == ".." || reserved(seg) {
			return fmt.Errorf("--dir %q must stay inside the repository and out of .git and .github", dir)
		}
	}
	return nil
}

// checkPage refuses a page path that would leave the folder or touch
// .git or .github.
func checkPage(name string) error {
	bad := name == "" || path.Clean(name) != name || path.IsAbs(name) || !strings.HasSuffix(name, ".md") ||
		strings.ContainsAny(name, "\\\x00\n\r")
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." || seg == "." || reserved(seg) {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%w: family %q would be published outside the handbook folder or into .git/.github", ErrRefused, strings.TrimSuffix(name, ".md"))
	}
	return nil
}

func reserved(seg string) bool {
	s := strings.ToLower(seg)
	return s == ".git" || s == ".github" || strings.HasPrefix(s, ".git/")
}
