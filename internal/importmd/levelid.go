package importmd

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// slug makes an id segment of s: its ASCII letters and digits, lowercase,
// in runs joined by single hyphens; fallback when s has none.
func slug(s, fallback string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	if b.Len() == 0 {
		return fallback
	}
	return b.String()
}

// managerTitle is the management pattern of a title: "Manager, X",
// "Senior Manager of X", "Engineering Manager, X". A title that ends in
// "Manager", such as "Program Manager", is an individual contributor's.
var managerTitle = regexp.MustCompile(`(?i)^(?:(senior|sr\.?|associate)\s+)?(?:engineering\s+)?manager\b`)

// seniority returns the level id a title's seniority words make, and
// whether the title is a management title. It returns "" for a title
// whose words it does not know; a title without any is "intermediate".
func seniority(title string) (id string, management bool) {
	w := strings.Fields(strings.NewReplacer(",", " ", "(", " ", ")", " ", ":", " ", "-", " ", "/", " ").Replace(strings.ToLower(title)))
	for i, x := range w {
		switch strings.TrimSuffix(x, ".") {
		case "sr":
			w[i] = "senior"
		case "jr":
			w[i] = "junior"
		case "svp":
			w[i] = "senior-vp"
		case "evp":
			w[i] = "executive-vp"
		}
	}
	has := func(s string) bool { return slices.Contains(w, s) }
	// "vice president" is "vp".
	for i := 0; i+1 < len(w); i++ {
		if w[i] == "vice" && w[i+1] == "president" {
			w = append(w[:i], append([]string{"vp"}, w[i+2:]...)...)
		}
	}
	before := func(a, b string) bool {
		i := slices.Index(w, b)
		return i > 0 && w[i-1] == a
	}
	switch {
	case before("chief", "of") && before("of", "staff"):
		return "chief-of-staff", false
	case has("intern") || has("internship"):
		return "intern", false
	case has("fellow"):
		return "fellow", false
	case has("distinguished"):
		if before("senior", "distinguished") {
			return "senior-distinguished", false
		}
		return "distinguished", false
	case has("executive-vp") || before("executive", "vp"):
		return "executive-vp", true
	case has("senior-vp") || before("senior", "vp"):
		return "senior-vp", true
	case has("vp"):
		return "vp", true
	case has("chief"):
		return "chief", true
	case has("head") && before("head", "of"):
		return "head", true
	case has("director"):
		if before("senior", "director") {
			return "senior-director", true
		}
		if before("associate", "director") {
			return "associate-director", true
		}
		return "director", true
	}
	if m := managerTitle.FindStringSubmatch(strings.TrimSpace(title)); m != nil {
		switch strings.ToLower(strings.TrimSuffix(m[1], ".")) {
		case "senior", "sr":
			return "senior-manager", true
		case "associate":
			return "associate-manager", true
		}
		return "manager", true
	}
	for _, s := range []string{"principal", "staff", "lead", "senior", "intermediate", "associate", "junior"} {
		if has(s) {
			return s, false
		}
	}
	return "intermediate", false
}

// assignIDs gives every level an id: its seniority id where that is
// unique in the family, else the slug of its title, made unique with a
// number.
func assignIDs(levels []*levelOut) {
	count := map[string]int{}
	for _, l := range levels {
		l.id, _ = seniority(l.title)
		count[l.id]++
	}
	used := map[string]bool{}
	next := map[string]int{}
	for _, l := range levels {
		if count[l.id] > 1 {
			l.id = slug(l.title, "level")
		}
		base := l.id
		for used[l.id] {
			next[base]++
			l.id = base + "-" + strconv.Itoa(next[base]+1)
		}
		used[l.id] = true
	}
}
