package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
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

func TestLadderLinkFamilyPhaseIsIndependentOfOtherFamilies(t *testing.T) {
	// What Family returns for a family, and the header it leaves, must not
	// depend on the other files: a cache keeps them while those change.
	// Only Across, from the headers, tells a broken link from a good one,
	// and lists a silenced broken link as silenced.
	root := t.TempDir()
	src := fam("Example", level("senior", "Senior Engineer", 7, ""), `careerLadder: {
	next: ["x/other", "https://handbook.gitlab.com/job-families/x/other/"]
	// jobfam:ignore ladder-link the page is being written
	text: "Soon: [New](/job-families/x/new/)."
}
`)
	writeFile(t, filepath.Join(root, "families/a/b.cue"), src)
	writeFile(t, filepath.Join(root, "families/x/other.cue"), fam("Other", level("senior", "Senior Other", 7, ""), ladder))
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), filepath.Join(root, "families"), s)
	if err != nil {
		t.Fatal(err)
	}
	f := res.Families[0]
	withOther := &Env{Policy: &s.Policy, IDs: map[string]bool{"a/b": true, "x/other": true}}
	without := &Env{Policy: &s.Policy, IDs: map[string]bool{"a/b": true, "x/othr": true}}
	found1, silenced1 := Family(withOther, f)
	h1 := f.Header()
	found2, silenced2 := Family(without, f)
	h2 := f.Header()
	if diff := cmp.Diff(found1, found2); diff != "" {
		t.Errorf("findings depend on the other families (-with +without):\n%s", diff)
	}
	if diff := cmp.Diff(silenced1, silenced2); diff != "" {
		t.Errorf("silenced findings depend on the other families (-with +without):\n%s", diff)
	}
	if diff := cmp.Diff(h1, h2); diff != "" {
		t.Errorf("header depends on the other families (-with +without):\n%s", diff)
	}

	lines := func(fs []diag.Finding) []string {
		var out []string
		for _, fd := range fs {
			if fd.Rule == "ladder-link" {
				out = append(out, fmt.Sprintf("%d:%d: %s", fd.Pos.Line, fd.Pos.Col, fd.Message))
			}
		}
		return out
	}
	tests := []struct {
		name                    string
		env                     *Env
		wantFound, wantSilenced []string
	}{
		{
			name: "the family exists",
			env:  withOther,
			wantSilenced: []string{
				`17:21: link "/job-families/x/new/" points at family "x/new", which is not in this repository: correct the link or add the family (silenced: the page is being written)`,
			},
		},
		{
			name: "the family does not exist",
			env:  without,
			wantFound: []string{
				`15:9: career ladder entry "x/other" is not a family of this repository: did you mean "x/othr"?`,
				`15:20: career ladder entry "https://handbook.gitlab.com/job-families/x/other/" points at family "x/other", which is not in this repository: did you mean "x/othr"?`,
			},
			wantSilenced: []string{
				`17:21: link "/job-families/x/new/" points at family "x/new", which is not in this repository: correct the link or add the family (silenced: the page is being written)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, silenced := Across(tt.env, []family.Header{h1})
			if diff := cmp.Diff(tt.wantFound, lines(found)); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSilenced, lines(silenced)); diff != "" {
				t.Errorf("silenced findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func writeFile(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
