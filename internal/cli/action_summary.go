package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/jobfam/jobfam/internal/check"
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/famdiff"
	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/graph"
	"github.com/jobfam/jobfam/internal/publish"
	"github.com/jobfam/jobfam/internal/render"
	"github.com/jobfam/jobfam/internal/version"
)

// Limits of what GitHub shows.
const (
	// maxAnnotations is how many annotations of one kind GitHub shows
	// for a step; the rest are dropped silently.
	maxAnnotations = 10
	// maxSummary bounds what one step adds to the job summary; GitHub
	// refuses a step summary over 1 MiB. Some room is kept for the note
	// that says what was left out.
	maxSummary = 1<<20 - 4<<10
	// maxComment bounds a comment's body; GitHub's limit is 65,536
	// characters.
	maxComment = 65000
)

// commentMarker finds the action's pull-request comment again. It begins
// the body, so that a person quoting the comment does not make theirs the
// one the action edits.
const commentMarker = "<!-- jobfam:pr-comment -->"

// validation is what action validate found, for the summary and the
// comment.
type validation struct {
	findings     []diag.Finding
	schema       *family.Schema
	base         string    // the pull request's base commit, "" outside pull requests
	diff         *baseDiff // nil when there is no diff
	changedLines map[string]map[int]bool
	notes        []string
}

func (v *validation) count(s diag.Severity) int {
	n := 0
	for _, f := range v.findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// changed returns the ids of the families that changed, in id order.
func (v *validation) changed() []string {
	if v.diff == nil {
		return nil
	}
	ids := make([]string, len(v.diff.diffs))
	for i, d := range v.diff.diffs {
		ids[i] = d.ID
	}
	return ids
}

// verdict is the first lines of the summary and of the comment.
func (v *validation) verdict() string {
	var b strings.Builder
	errs, warns := v.count(diag.Error), v.count(diag.Warning)
	counts := fmt.Sprintf("%d %s, %d %s", errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
	if infos := v.count(diag.Info); infos > 0 {
		counts += fmt.Sprintf(", %d %s", infos, plural(infos, "note", "notes"))
	}
	if errs > 0 {
		fmt.Fprintf(&b, "## :x: jobfam: the job families have errors (%s)\n\n", counts)
	} else {
		fmt.Fprintf(&b, "## :white_check_mark: jobfam: the job families are valid (%s)\n\n", counts)
	}
	if v.diff != nil {
		n := len(v.diff.diffs)
		fmt.Fprintf(&b, "%d %s changed against the base %s.\n\n", n, plural(n, "family", "families"), short(v.diff.commit))
		if famdiff.HasGradeChanges(v.diff.diffs) {
			b.WriteString("> [!WARNING]\n> This pull request changes grades, which have pay implications.\n\n")
		}
	}
	return b.String()
}

// diffMarkdown is the semantic diff with its notes, "" without a diff.
func (v *validation) diffMarkdown() string {
	if v.diff == nil {
		return ""
	}
	// famdiff heads each family with "###", under the verdict's "##".
	var b bytes.Buffer
	for _, n := range v.diff.notes {
		fmt.Fprintf(&b, "> **Note:** %s\n\n", n)
	}
	if err := famdiff.Markdown(&b, v.diff.diffs); err != nil {
		return ""
	}
	b.WriteString("\n")
	return b.String()
}

// changedFamilies returns the changed families that the head loaded (a
// removed family has no ladder or page to show) and the site they link in.
func (v *validation) changedFamilies() ([]*family.Family, *render.Site) {
	if v.diff == nil {
		return nil, nil
	}
	fams := loadedFamilies(v.diff.head, v.changed())
	slices.SortFunc(fams, func(a, b *family.Family) int { return strings.Compare(a.ID, b.ID) })
	return fams, render.NewSite(&v.schema.Policy, v.diff.head.Families)
}

// mermaid is a fenced diagram of the changed families' ladders, "" when
// none is left to draw.
func (v *validation) mermaid() string {
	fams, site := v.changedFamilies()
	if len(fams) == 0 {
		return ""
	}
	var b bytes.Buffer
	b.WriteString("### Ladders\n\n```mermaid\n")
	if err := graph.Mermaid(&b, fams, site); err != nil {
		return ""
	}
	b.WriteString("```\n\n")
	return b.String()
}

// pages are the rendered pages of the changed families, each in a collapsed
// block.
func (v *validation) pages() []string {
	fams, site := v.changedFamilies()
	var out []string
	for _, f := range fams {
		page := render.Page(f, site)
		fence := fenceFor(page)
		out = append(out, fmt.Sprintf("<details><summary>Rendered page of <code>%s</code></summary>\n\n%smarkdown\n%s\n%s\n\n</details>\n\n",
			html.EscapeString(f.ID), fence, bytes.TrimRight(page, "\n"), fence))
	}
	return out
}

// fenceFor returns a backtick fence longer than any run of backticks in
// text, so that no fence inside the page closes the block.
func fenceFor(text []byte) string {
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// findingRows is the findings as a table, one part per row after the
// header.
func (v *validation) findingRows() []string {
	if len(v.findings) == 0 {
		return nil
	}
	docs := map[string]string{}
	for _, r := range check.Rules() {
		docs[r.ID] = r.HelpURI()
	}
	rows := []string{"### Findings\n\n| Severity | Where | Rule | Message |\n| --- | --- | --- | --- |\n"}
	for _, f := range v.findings {
		rule := famdiff.Code(f.Rule)
		if u := docs[f.Rule]; u != "" {
			rule = "[" + rule + "](" + u + ")"
		}
		pos := f.Pos
		pos.File = filepath.ToSlash(pos.File)
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |\n", f.Severity, famdiff.Code(pos.String()), rule, famdiff.Escape(f.Message)))
	}
	return rows
}

// summary is what validate adds to the job summary, under maxSummary: the
// parts in order until one does not fit, then a note of what was left out.
func (v *validation) summary() string {
	var b strings.Builder
	b.WriteString(v.verdict())
	b.WriteString(ranBy())
	for _, n := range v.notes {
		fmt.Fprintf(&b, "> **Note:** %s\n\n", n)
	}
	// what names a part for the note of what was left out; the first part
	// of a kind left out says how many of that kind were.
	type part struct{ text, kind, what string }
	var parts []part
	rows := v.findingRows()
	for i, r := range rows {
		what := fmt.Sprintf("%d of %d findings", len(rows)-i, len(v.findings))
		if i == 0 {
			what = "the findings"
		}
		if i == len(rows)-1 {
			r += "\n"
		}
		parts = append(parts, part{r, "findings", what})
	}
	if d := v.diffMarkdown(); d != "" {
		parts = append(parts, part{d, "diff", "the diff"})
	}
	if m := v.mermaid(); m != "" {
		parts = append(parts, part{m, "mermaid", "the ladder diagram"})
	}
	pages := v.pages()
	if len(pages) > 0 {
		parts = append(parts, part{"### Rendered pages\n\n", "pages", "the rendered pages"})
	}
	for i, p := range pages {
		parts = append(parts, part{p, "pages", fmt.Sprintf("%d rendered %s", len(pages)-i, plural(len(pages)-i, "page", "pages"))})
	}
	for i, p := range parts {
		if b.Len()+len(p.text) <= maxSummary {
			b.WriteString(p.text)
			continue
		}
		var left []string
		seen := map[string]bool{}
		for _, q := range parts[i:] {
			if !seen[q.kind] {
				seen[q.kind] = true
				left = append(left, q.what)
			}
		}
		if p.kind == "findings" && i > 0 && parts[i-1].kind == "findings" {
			b.WriteString("\n") // end the table
		}
		fmt.Fprintf(&b, "> [!NOTE]\n> The job summary is limited to 1 MiB: left out %s. Run `jobfam validate` and `jobfam diff` locally for everything.\n\n", strings.Join(left, ", "))
		break
	}
	return b.String()
}

// commentBody is the pull-request comment: the marker, the verdict, the
// diff and the diagram, with the diagram and then the diff left out when
// the comment would be too long.
func (v *validation) commentBody() string {
	head := commentMarker + "\n" + v.verdict()
	diff, chart := v.diffMarkdown(), v.mermaid()
	const more = "_The job summary of this check has the findings and the rendered pages._\n"
	for _, body := range []string{
		head + diff + chart + more,
		head + diff + "_The ladder diagram is left out: the comment would be too long._\n\n" + more,
		head + "_The diff is left out: the comment would be too long. The job summary has it._\n\n" + more,
	} {
		if utf8.RuneCountInString(body) <= maxComment {
			return body
		}
	}
	return head // the verdict is a few lines
}

// capAnnotations picks the findings to annotate: at most maxAnnotations
// errors and warnings, and one notice fewer (the last is the action's own),
// those on lines the pull request changed first, in their sorted order. It
// returns how many were left out.
func capAnnotations(findings []diag.Finding, changed map[string]map[int]bool) ([]diag.Finding, int) {
	onChanged := func(f diag.Finding) bool {
		lines := changed[filepath.ToSlash(f.Pos.File)]
		return lines != nil && (f.Pos.Line == 0 || lines[f.Pos.Line])
	}
	limit := map[diag.Severity]int{diag.Error: maxAnnotations, diag.Warning: maxAnnotations, diag.Info: maxAnnotations - 1}
	keep := make([]bool, len(findings))
	for _, first := range []bool{true, false} {
		for i, f := range findings {
			if !keep[i] && onChanged(f) == first && limit[f.Severity] > 0 {
				keep[i] = true
				limit[f.Severity]--
			}
		}
	}
	var shown []diag.Finding
	for i, f := range findings {
		if keep[i] {
			shown = append(shown, f)
		}
	}
	return shown, len(findings) - len(shown)
}

// changedLines returns, per file (slash path relative to root), the lines
// of the working tree that differ from commit, under dir. It is best
// effort: on any failure annotations are simply not prioritised.
func changedLines(ctx context.Context, root, commit, dir string) map[string]map[int]bool {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return nil
	}
	out, err := git(ctx, root, nil, "diff", "--no-ext-diff", "--no-color", "--no-renames", "--src-prefix=a/", "--dst-prefix=b/",
		"-U0", commit, "--", filepath.ToSlash(rel))
	if err != nil {
		return nil
	}
	changed := map[string]map[int]bool{}
	var file string
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "+++ "):
			file = ""
			if p, ok := strings.CutPrefix(line, "+++ b/"); ok {
				file = p
			}
		case strings.HasPrefix(line, "@@ ") && file != "":
			// @@ -a,b +c,d @@
			fields := strings.Fields(line)
			if len(fields) < 3 || !strings.HasPrefix(fields[2], "+") {
				continue
			}
			start, count, found := strings.Cut(fields[2][1:], ",")
			from, err := strconv.Atoi(start)
			n := 1
			if found {
				n, _ = strconv.Atoi(count)
			}
			if err != nil {
				continue
			}
			if changed[file] == nil {
				changed[file] = map[int]bool{}
			}
			for l := from; l < from+n; l++ {
				changed[file][l] = true
			}
		}
	}
	return changed
}

// ranBy is the line of a job summary that says which jobfam wrote it, so
// that a report can be traced to the code that made it.
func ranBy() string {
	return "<sub>" + html.EscapeString(version.Get().Short()) + "</sub>\n\n"
}

// appendFile appends text to the file name (a job summary); "" (outside
// Actions) writes nothing.
func appendFile(name, text string) error {
	if name == "" || text == "" {
		return nil
	}
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeOutputs appends step outputs to the file name ($GITHUB_OUTPUT) in
// the multiline syntax, "name<<DELIMITER", the value, "DELIMITER", with a
// random delimiter that the value does not contain, so that no value can
// set another output.
func writeOutputs(name string, outputs [][2]string) error {
	var b strings.Builder
	for _, o := range outputs {
		delim, err := delimiter(o[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o[0], delim, o[1], delim)
	}
	return appendFile(name, b.String())
}

func delimiter(value string) (string, error) {
	for {
		var r [16]byte
		if _, err := rand.Read(r[:]); err != nil {
			return "", fmt.Errorf("make an output delimiter: %w", err)
		}
		d := "ghadelimiter_" + hex.EncodeToString(r[:])
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
}

// stickyComment creates or updates the action's one comment on the pull
// request. A token that may not comment (403, 404: a fork's read-only
// token) is not a failure: the returned note says so for the summary. Any
// other failure is returned, without the token.
func stickyComment(ctx context.Context, env *actionEnv, token string, ev *event, marker, body string) (note string, err error) {
	n := ev.PullRequest.Number
	if n == 0 {
		n = ev.Number
	}
	owner, name, err := publish.SplitRepo(env.get("GITHUB_REPOSITORY", ""))
	switch {
	case token == "":
		return "no pull-request comment: GITHUB_TOKEN is not set", nil
	case err != nil:
		return "", fmt.Errorf("GITHUB_REPOSITORY: %w", err)
	case n <= 0:
		return "no pull-request comment: the event has no pull request number", nil
	}
	gh, err := commentClient(env.get("GITHUB_API_URL", ""), token)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cannot := func(err error) (string, error) {
		var e *github.ErrorResponse
		if errors.As(err, &e) && e.Response != nil && (e.Response.StatusCode == http.StatusForbidden || e.Response.StatusCode == http.StatusNotFound) {
			return fmt.Sprintf("the token cannot comment on this pull request (%d %s; a pull request from a fork gets a read-only token): the results are in this summary only",
				e.Response.StatusCode, famdiff.Escape(e.Message)), nil
		}
		return "", fmt.Errorf("pull-request comment: %w", redact(err, token))
	}

	var id int64
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for id == 0 {
		cs, resp, err := gh.Issues.ListComments(ctx, owner, name, n, opts)
		if err != nil {
			return cannot(err)
		}
		for _, c := range cs {
			if strings.HasPrefix(c.GetBody(), marker) {
				id = c.GetID()
				break
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	c := &github.IssueComment{Body: github.String(body)}
	if id != 0 {
		_, _, err = gh.Issues.EditComment(ctx, owner, name, id, c)
	} else {
		_, _, err = gh.Issues.CreateComment(ctx, owner, name, n, c)
	}
	if err != nil {
		return cannot(err)
	}
	return "", nil
}

// commentClient is a go-github client for apiURL ("" for github.com) that
// sends token and waits out rate limits as publish does.
func commentClient(apiURL, token string) (*github.Client, error) {
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &publish.RateLimitTransport{Base: http.DefaultTransport}}
	gh := github.NewClient(hc).WithAuthToken(token)
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("GITHUB_API_URL %q is not an http(s) URL", apiURL)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		gh.BaseURL = u
	}
	return gh, nil
}
