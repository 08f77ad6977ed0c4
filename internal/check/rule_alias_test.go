package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAlias(t *testing.T) {
	// withAliases puts the aliases on line 15, after the family of fam.
	withAliases := func(title, aliases string) string {
		return fam(title, level("senior", "Senior Engineer", 7, ""), ladder+"aliases: ["+aliases+"]\n")
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "the old URLs of level pages",
			files: map[string]string{
				"families/a/one.cue": withAliases("One", `"/job-families/a/one/senior/", "/job-families/a/one_old/"`),
				"families/a/two.cue": withAliases("Two", `"/job-families/a/two/senior"`),
			},
		},
		{
			name: "the family's own URL, with or without the slash and in capitals",
			files: map[string]string{
				"families/a/one.cue": withAliases("One", `"/job-families/a/one/", "/job-families/A/One"`),
			},
			want: []string{
				`families/a/one.cue:15:11: alias "/job-families/a/one/" is the family's own URL: remove it [alias]`,
				`families/a/one.cue:15:35: alias "/job-families/A/One" is the family's own URL: remove it [alias]`,
			},
		},
		{
			name: "listed twice",
			files: map[string]string{
				"families/a/one.cue": withAliases("One", `"/job-families/a/old/", "/job-families/a/old"`),
			},
			want: []string{
				`families/a/one.cue:15:35: alias "/job-families/a/old" is listed twice: remove one [alias]`,
			},
		},
		{
			name: "another family's URL",
			files: map[string]string{
				"families/a/one.cue": withAliases("One", `"/job-families/a/two/"`),
				"families/a/two.cue": withAliases("Two", `"/job-families/a/two-old/"`),
			},
			want: []string{
				`families/a/one.cue:15:11: alias "/job-families/a/two/" is the URL of family "a/two": remove the alias, or the family [alias]`,
			},
		},
		{
			name: "another family's alias",
			files: map[string]string{
				"families/a/one.cue": withAliases("One", `"/job-families/a/old/"`),
				"families/a/two.cue": withAliases("Two", `"/job-families/a/old/"`),
			},
			want: []string{
				`families/a/two.cue:15:11: alias "/job-families/a/old/" is also an alias of family "a/one": keep it in one family [alias]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "alias", tt.files)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
