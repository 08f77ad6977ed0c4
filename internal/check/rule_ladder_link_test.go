package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLadderLink(t *testing.T) {
	lv := level("senior", "Senior Engineer", 7, "")
	// other is a second family that links may point at.
	other := fam("Other", level("senior", "Senior Other", 7, ""), ladder)
	tests := []struct {
		name  string
		extra string
		want  []string
	}{
		{
			name:  "family id",
			extra: `careerLadder: next: ["x/other"]`,
		},
		{
			name:  "handbook URL of a family in the repository, with and without a slash",
			extra: `careerLadder: next: ["https://handbook.gitlab.com/job-families/x/other/", "https://handbook.gitlab.com/job-families/x/other#levels"]`,
		},
		{
			name:  "external URL",
			extra: `careerLadder: next: ["https://example.com/careers/x/unknown/"]`,
		},
		{
			name:  "unknown family id with a likely typo",
			extra: `careerLadder: next: ["x/othr"]`,
			want: []string{
				`families/a/b.cue:14:22: career ladder entry "x/othr" is not a family of this repository: did you mean "x/other"? [ladder-link]`,
			},
		},
		{
			name:  "handbook URL of a missing family",
			extra: `careerLadder: next: ["https://handbook.gitlab.com/job-families/finance/manager-it/"]`,
			want: []string{
				`families/a/b.cue:14:22: career ladder entry "https://handbook.gitlab.com/job-families/finance/manager-it/" points at family "finance/manager-it", which is not in this repository: correct the link or add the family [ladder-link]`,
			},
		},
		{
			name:  "malformed URL",
			extra: `careerLadder: next: ["htps//example.com", "ftp://example.com/x", "https://"]`,
			want: []string{
				`families/a/b.cue:14:22: career ladder entry "htps//example.com" is neither a family id (like "finance/manager-it") nor an absolute URL [ladder-link]`,
				`families/a/b.cue:14:43: career ladder entry "ftp://example.com/x" is not a valid URL: write a family id such as "finance/manager-it" or an absolute http or https URL [ladder-link]`,
				`families/a/b.cue:14:66: career ladder entry "https://" is not a valid URL: write a family id such as "finance/manager-it" or an absolute http or https URL [ladder-link]`,
			},
		},
		{
			name: "links inside Markdown text, absolute and site-relative",
			extra: `careerLadder: {
	next: ["x/other"]
	text: "Move to [Other](https://handbook.gitlab.com/job-families/x/other/) or [Missing](/job-families/x/missing/)."
}
sections: [{heading: "More", body: """
	See https://handbook.gitlab.com/job-families/y/gone, or the [index](/job-families/).
	Elsewhere: https://example.com/job-families/x/unknown/.
	"""}]`,
			want: []string{
				`families/a/b.cue:16:89: link "/job-families/x/missing/" points at family "x/missing", which is not in this repository: correct the link or add the family [ladder-link]`,
				`families/a/b.cue:19:6: link "https://handbook.gitlab.com/job-families/y/gone" points at family "y/gone", which is not in this repository: correct the link or add the family [ladder-link]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "ladder-link", map[string]string{
				"families/a/b.cue":     fam("Example", lv, tt.extra+"\n"),
				"families/x/other.cue": other,
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLadderLinkToAFamilyThatFailsToLoad(t *testing.T) {
	// A family with a syntax error still exists: linking to it is fine,
	// and the syntax error is reported once, by its own rule.
	got := run(t, "ladder-link", map[string]string{
		"families/a/b.cue":      fam("Example", level("senior", "Senior Engineer", 7, ""), `careerLadder: next: ["x/broken"]`+"\n"),
		"families/x/broken.cue": "title: {",
	})
	if len(got) != 0 {
		t.Errorf("got %q, want no ladder-link findings", got)
	}
}

func TestLadderLinkToAlias(t *testing.T) {
	// x/other answers at the old URLs of its level page and of a page
	// whose name Hugo wrote differently: links to them lead to its page.
	// The decision waits until every family is loaded, and a silenced link
	// stays silenced.
	other := fam("Other", level("senior", "Senior Other", 7, ""), ladder+
		`aliases: ["/job-families/x/other/senior/", "/job-families/x/old_name"]`+"\n")
	got := run(t, "ladder-link", map[string]string{
		"families/a/b.cue": fam("Example", level("senior", "Senior Engineer", 7, ""), `careerLadder: {
	next: ["https://handbook.gitlab.com/job-families/x/other/senior/"]
	text: "See [Old](/job-families/x/old_name/#levels) and [Gone](/job-families/x/gone/)."
}
sections: [{
	// jobfam:ignore ladder-link the page is being written
	body: "Soon: [New](/job-families/x/new/)."
}]
`),
		"families/x/other.cue": other,
	})
	want := []string{
		`families/a/b.cue:16:64: link "/job-families/x/gone/" points at family "x/gone", which is not in this repository: correct the link or add the family [ladder-link]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
}
