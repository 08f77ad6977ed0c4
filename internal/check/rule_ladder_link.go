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
	Repository: checkLinks,
}

// checkLadderLink finds the career ladder's next entries and every link
// into the handbook's job families written in the family's Markdown. A
// broken link on a published page is only noticed by the candidate who
// clicks it; here it is noticed by the pull request that breaks it.
//
// Whether a link leads to a family depends on the other files, so links
// are only recorded here, with the finding to report when they lead
// nowhere; checkLinks resolves them once every family is known. What the
// family itself gets wrong (an entry that is no URL nor id) is reported
// here.
func checkLadderLink(env *Env, f *family.Family, r *Reporter) {
	base, err := url.Parse(env.Policy.HandbookBase)
	if err != nil {
		return // The policy's schema checks the base URL.
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
			if id, ok := internalID(base, u); ok && id != "" {
				r.ReportLink(next.Node.Pos, id, u.Path, "career ladder entry %q points at family %q, which is not in this repository: ", v, id)
			}
		case !validID(v):
			r.Report(next.Node.Pos, "career ladder entry %q is neither a family id (like %q) nor an absolute URL", v, "finance/manager-it")
		default:
			r.ReportLink(next.Node.Pos, v, "", "career ladder entry %q is not a family of this repository: ", v)
		}
	}

	for _, t := range f.TextFields() {
		for _, link := range handbookLinks(base, t.Value) {
			u, err := url.Parse(link)
			if err != nil {
				r.Report(t.Node.PosOf(link), "link %q is not a valid URL: %v", link, unwrapURLError(err))
				continue
			}
			if id, ok := internalID(base, u); ok && id != "" {
				r.ReportLink(t.Node.PosOf(link), id, u.Path, "link %q points at family %q, which is not in this repository: ", link, id)
			}
		}
	}
}

// checkLinks resolves the links checkLadderLink recorded against the id of
// every family file (including those that failed to load: a link to a
// family with a typo in it is not broken too) and every family's aliases:
// a URL that is another family's alias (the old URL of a level page, say)
// leads to that family's page through Hugo's redirect. A link that a
// jobfam:ignore comment silences is listed as silenced whatever the other
// families hold, as it was before links were resolved here.
func checkLinks(env *Env, fams []family.Header, r *Reporter) {
	aliases := map[string]bool{}
	for _, f := range fams {
		for _, a := range f.Aliases {
			aliases[urlKey(a.Value)] = true
		}
	}
	var ids []string // sorted, made at the first broken link
	// fix says what to do about a link to a family that does not exist.
	fix := func(id string) string {
		if ids == nil {
			ids = slices.Sorted(maps.Keys(env.IDs))
		}
		if s := suggest.Closest(id, ids); s != "" {
			return "did you mean " + quote(s) + "?"
		}
		return "correct the link or add the family"
	}
	for _, f := range fams {
		for _, p := range f.PendingLinks {
			if env.IDs[p.ID] {
				continue
			}
			fd := p.Finding
			fd.Message += fix(p.ID)
			switch {
			case p.Silenced != "":
				fd.Message += " (silenced: " + p.Silenced + ")"
				r.silenced = append(r.silenced, fd)
			case p.Path == "" || !aliases[urlKey(p.Path)]:
				r.findings = append(r.findings, fd)
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
