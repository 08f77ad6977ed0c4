package check

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/suggest"
)

var ruleLadderLink = &Rule{
	ID:         "ladder-link",
	Summary:    "a career-ladder entry or a handbook job-family link does not lead to a family of this repository, or is not a valid URL",
	Family:     checkLadderLink,
	Repository: checkLinksToAliases,
}

// checkLadderLink resolves the career ladder's next entries and every link
// into the handbook's job families written in the family's Markdown. A
// broken link on a published page is only noticed by the candidate who
// clicks it; here it is noticed by the pull request that breaks it.
func checkLadderLink(env *Env, f *family.Family, r *Reporter) {
	base, err := url.Parse(env.Policy.HandbookBase)
	if err != nil {
		return // The policy's schema checks the base URL.
	}
	// fix says what to do about a link to a family that does not exist.
	fix := func(id string) string {
		if s := suggest.Closest(id, slices.Sorted(maps.Keys(env.IDs))); s != "" {
			return "did you mean " + quote(s) + "?"
		}
		return "correct the link or add the family"
	}

	for _, next := range f.CareerLadder.Next {
		v := strings.TrimSpace(next.Value)
		switch {
		case strings.Contains(v, "://"):
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				r.Report(next.Node.Pos, "career ladder entry %q is not a valid URL: write a family id such as %q or an absolute http or https URL", v, "finance/manager-it")
				continue
			}
			if id, ok := internalID(base, u); ok && id != "" && !env.IDs[id] {
				r.ReportLink(next.Node.Pos, u.Path, "career ladder entry %q points at family %q, which is not in this repository: %s", v, id, fix(id))
			}
		case !validID(v):
			r.Report(next.Node.Pos, "career ladder entry %q is neither a family id (like %q) nor an absolute URL", v, "finance/manager-it")
		case !env.IDs[v]:
			r.Report(next.Node.Pos, "career ladder entry %q is not a family of this repository: %s", v, fix(v))
		}
	}

	for _, t := range f.TextFields() {
		for _, link := range handbookLinks(base, t.Value) {
			u, err := url.Parse(link)
			if err != nil {
				r.Report(t.Node.PosOf(link), "link %q is not a valid URL: %v", link, unwrapURLError(err))
				continue
			}
			if id, ok := internalID(base, u); ok && id != "" && !env.IDs[id] {
				r.ReportLink(t.Node.PosOf(link), u.Path, "link %q points at family %q, which is not in this repository: %s", link, id, fix(id))
			}
		}
	}
}

// checkLinksToAliases decides the links to URLs that name no family: a
// link to another family's alias (the old URL of a level page, say) leads
// to that family's page through Hugo's redirect; any other is broken.
func checkLinksToAliases(env *Env, fams []family.Header, r *Reporter) {
	aliases := map[string]bool{}
	for _, f := range fams {
		for _, a := range f.Aliases {
			aliases[urlKey(a.Value)] = true
		}
	}
	for _, f := range fams {
		for _, p := range f.PendingLinks {
			if !aliases[urlKey(p.Path)] {
				r.findings = append(r.findings, p.Finding)
			}
		}
	}
}

// internalID returns the family id a URL points at when it lies under the
// handbook's job-family base, absolute or site-relative.
func internalID(base, u *url.URL) (string, bool) {
	if u.Host != "" && !strings.EqualFold(u.Host, base.Host) {
		return "", false
	}
	if u.Host == "" && !strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	rest, ok := strings.CutPrefix(u.Path, base.Path)
	if !ok {
		return "", false
	}
	return strings.Trim(rest, "/"), true
}

// handbookLinks finds the URLs in Markdown text that lead into the
// handbook's job families: absolute ones under the base, and site-relative
// ones starting with the base's path, as link targets or bare.
func handbookLinks(base *url.URL, text string) []string {
	var links []string
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], base.Path)
		if j < 0 {
			break
		}
		at := i + j
		start := at
		// Walk back over the scheme and host of an absolute URL.
		if prefix := base.Scheme + "://" + base.Host; strings.HasSuffix(text[:at], prefix) {
			start = at - len(prefix)
		} else if at > 0 && !strings.ContainsRune("(<\"' \t\n=", rune(text[at-1])) {
			i = at + len(base.Path)
			continue
		}
		end := at + len(base.Path)
		for end < len(text) && !strings.ContainsRune(" \t\n)>\"'[]<", rune(text[end])) {
			end++
		}
		links = append(links, strings.TrimRight(text[start:end], ".,;:!?"))
		i = end
	}
	return links
}

func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || strings.Trim(seg, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
			strings.HasPrefix(seg, "-") || strings.HasSuffix(seg, "-") || strings.Contains(seg, "--") {
			return false
		}
	}
	return true
}

func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
