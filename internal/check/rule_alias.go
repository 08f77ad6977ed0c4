package check

import (
	"net/url"
	"strings"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleAlias = &Rule{
	ID:         "alias",
	Summary:    "no URL is served by two families, or twice by one",
	Family:     checkAliasesOfFamily,
	Repository: checkAliasesAcrossFamilies,
}

// urlKey compares site paths as Hugo serves them: "/a/b" and "/a/b/" are
// one page, and Hugo lowercases paths.
func urlKey(p string) string {
	return strings.ToLower(strings.TrimRight(p, "/")) + "/"
}

// ownURL is the site path of the family's own page, from the policy's
// handbook address.
func ownURL(env *Env, id string) string {
	base := "/"
	if env.Policy != nil {
		if u, err := url.Parse(env.Policy.HandbookBase); err == nil && u.Path != "" {
			base = u.Path
		}
	}
	return strings.TrimRight(base, "/") + "/" + id + "/"
}

// checkAliasesOfFamily reports an alias that is the family's own URL or
// that the family lists twice: Hugo would write the redirect over the page,
// or write it twice.
func checkAliasesOfFamily(env *Env, f *family.Family, r *Reporter) {
	own := urlKey(ownURL(env, f.ID))
	seen := map[string]bool{}
	for _, a := range f.Aliases {
		k := urlKey(a.Value)
		switch {
		case k == own:
			r.Report(a.Node.Pos, "alias %q is the family's own URL: remove it", a.Value)
		case seen[k]:
			r.Report(a.Node.Pos, "alias %q is listed twice: remove one", a.Value)
		}
		seen[k] = true
	}
}

// checkAliasesAcrossFamilies reports an alias that is another family's
// URL or alias (the later family in id order): Hugo would serve one URL
// from two files, and which one wins is not defined.
func checkAliasesAcrossFamilies(env *Env, fams []family.Header, r *Reporter) {
	owner := map[string]string{}
	for _, f := range fams {
		owner[urlKey(ownURL(env, f.ID))] = f.ID
	}
	aliasOf := map[string]family.Text{}
	aliasOwner := map[string]string{}
	for _, f := range fams {
		for _, a := range f.Aliases {
			k := urlKey(a.Value)
			if id, ok := owner[k]; ok && id != f.ID {
				r.Report(a.Node.Pos, "alias %q is the URL of family %q: remove the alias, or the family", a.Value, id)
				continue
			}
			if id, ok := aliasOwner[k]; ok && id != f.ID {
				r.ReportRelated(a.Node.Pos, []diag.Pos{aliasOf[k].Node.Pos}, "alias %q is also an alias of family %q: keep it in one family", a.Value, id)
				continue
			}
			aliasOf[k], aliasOwner[k] = a, f.ID
		}
	}
}
