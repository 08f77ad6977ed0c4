package version

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const rev = "be8b9d3a1c2f4e5d6c7b8a9f0e1d2c3b4a5f6e7d"

func buildInfo(version string, settings map[string]string) *debug.BuildInfo {
	bi := &debug.BuildInfo{
		GoVersion: "go1.25.4",
		Main:      debug.Module{Path: "github.com/jobfam/jobfam", Version: version},
		Deps: []*debug.Module{
			{Path: "github.com/urfave/cli/v2", Version: "v2.27.7"},
			{Path: "cuelang.org/go", Version: "v0.17.1"},
		},
	}
	for _, k := range []string{"vcs", "vcs.revision", "vcs.modified"} {
		if v, ok := settings[k]; ok {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: v})
		}
	}
	return bi
}

// TestFromBuildInfo covers each source of the version and of the other
// fields, and what is printed when a source is missing.
func TestFromBuildInfo(t *testing.T) {
	replaced := buildInfo("v0.1.0", nil)
	replaced.Deps[1].Replace = &debug.Module{Path: "../cue", Version: "v0.18.0-alpha.1"}
	for _, tc := range []struct {
		name    string
		bi      *debug.BuildInfo
		stamped string
		want    Info
		text    string
		short   string
	}{{
		name: "go install of a tagged version",
		bi:   buildInfo("v0.1.0", nil),
		want: Info{Version: "v0.1.0", Go: "go1.25.4", CUE: "v0.17.1"},
		text: "jobfam v0.1.0 (revision unknown) go1.25.4 cue v0.17.1",
		// go install records no revision: the version names the commit.
		short: "jobfam v0.1.0 (unknown)",
	}, {
		name:    "release build, stamped through ldflags",
		bi:      buildInfo("v0.0.0-20261204182606-be8b9d3a1c2f", map[string]string{"vcs": "git", "vcs.revision": rev, "vcs.modified": "false"}),
		stamped: "v0.1.0",
		want:    Info{Version: "v0.1.0", Revision: rev, Go: "go1.25.4", CUE: "v0.17.1"},
		text:    "jobfam v0.1.0 (revision be8b9d3a1c2f) go1.25.4 cue v0.17.1",
		short:   "jobfam v0.1.0 (be8b9d3a1c2f)",
	}, {
		name:  "go build from a modified checkout",
		bi:    buildInfo("(devel)", map[string]string{"vcs": "git", "vcs.revision": rev, "vcs.modified": "true"}),
		want:  Info{Version: "(devel)", Revision: rev, Modified: true, Go: "go1.25.4", CUE: "v0.17.1"},
		text:  "jobfam (devel) (revision be8b9d3a1c2f+modified) go1.25.4 cue v0.17.1",
		short: "jobfam (devel) (be8b9d3a1c2f+modified)",
	}, {
		name:  "a test binary: no main version",
		bi:    buildInfo("", nil),
		want:  Info{Version: "(devel)", Go: "go1.25.4", CUE: "v0.17.1"},
		text:  "jobfam (devel) (revision unknown) go1.25.4 cue v0.17.1",
		short: "jobfam (devel) (unknown)",
	}, {
		name:  "CUE replaced",
		bi:    replaced,
		want:  Info{Version: "v0.1.0", Go: "go1.25.4", CUE: "v0.18.0-alpha.1"},
		text:  "jobfam v0.1.0 (revision unknown) go1.25.4 cue v0.18.0-alpha.1",
		short: "jobfam v0.1.0 (unknown)",
	}, {
		name:  "no build information at all",
		want:  Info{Version: "(devel)", Go: runtime.Version()},
		text:  "jobfam (devel) (revision unknown) " + runtime.Version() + " cue unknown",
		short: "jobfam (devel) (unknown)",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := FromBuildInfo(tc.bi, tc.stamped)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FromBuildInfo (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.text, got.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.short, got.Short()); diff != "" {
				t.Errorf("Short (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJSON pins the field names that jobfam version --format json
// promises.
func TestJSON(t *testing.T) {
	b, err := Info{Version: "v0.1.0", Revision: rev, Modified: true, Go: "go1.25.4", CUE: "v0.17.1"}.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": "v0.1.0",
  "revision": "` + rev + `",
  "modified": true,
  "go": "go1.25.4",
  "cue": "v0.17.1"
}
`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}
