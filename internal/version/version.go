// Package version says which jobfam is running: its version, the commit it
// was built from, and the Go and CUE it was built with. A report that names
// these can be reproduced; one that does not leaves its reader guessing.
package version

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set by the release build through
// -ldflags "-X github.com/jobfam/jobfam/internal/version.Version=v0.1.0".
// It is empty in any other build.
var Version string

// Revision is set, like Version, by builds that record no VCS information
// of their own: the GitHub Action builds from a tarball of the commit its
// workflow pinned, and stamps that commit here.
var Revision string

// Devel is the version of a build that has none: a go build or go run
// from a checkout, or a test.
const Devel = "(devel)"

// cueModule is the module path of CUE, whose version jobfam reports
// because it decides what a schema means.
const cueModule = "cuelang.org/go"

// Info is what jobfam --version prints. The JSON names are part of the
// interface of jobfam version --format json.
type Info struct {
	// Version is jobfam's version: v0.1.0, a pseudo-version, or (devel).
	Version string `json:"version"`
	// Revision is the full commit id the binary was built from, "" when
	// the build did not record it (a tarball, -buildvcs=false).
	Revision string `json:"revision"`
	// Modified is true when the working tree had changes that are not in
	// Revision.
	Modified bool `json:"modified"`
	// Go is the Go release that built the binary, such as go1.25.4.
	Go string `json:"go"`
	// CUE is the version of cuelang.org/go linked into the binary, ""
	// when the build did not record it.
	CUE string `json:"cue"`
}

// Get returns the Info of the running binary.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	info := FromBuildInfo(bi, Version)
	if info.Revision == "" {
		info.Revision = Revision
	}
	return info
}

// FromBuildInfo returns the Info that bi (nil when the binary has none)
// and stamped, the value of Version, describe.
//
// A stamped version wins over the module version: since Go 1.24 every
// go build in a git checkout records a pseudo-version such as
// v0.0.0-20261204182606-be8b9d3a1c2f+dirty, and the release build, which
// runs in a checkout, stamps the version it is releasing. go install
// module@v0.1.0 stamps nothing and records v0.1.0 as the module version.
func FromBuildInfo(bi *debug.BuildInfo, stamped string) Info {
	info := Info{Version: stamped, Go: runtime.Version()}
	if bi == nil {
		if info.Version == "" {
			info.Version = Devel
		}
		return info
	}
	if info.Version == "" {
		info.Version = bi.Main.Version
	}
	if info.Version == "" {
		info.Version = Devel
	}
	if bi.GoVersion != "" {
		info.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Revision = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	for _, d := range bi.Deps {
		if d.Path != cueModule {
			continue
		}
		info.CUE = d.Version
		if d.Replace != nil {
			info.CUE = d.Replace.Version
		}
	}
	return info
}

// shortRevision is the revision abbreviated for people, with a mark when
// the tree was modified; "unknown" when there is none.
func (i Info) shortRevision() string {
	r := i.Revision
	if len(r) > 12 {
		r = r[:12]
	}
	if r == "" {
		r = "unknown"
	}
	if i.Modified {
		r += "+modified"
	}
	return r
}

// String is the line jobfam --version prints, for example
//
//	jobfam v0.1.0 (revision be8b9d3a1c2f+modified) go1.25.4 cue v0.17.1
func (i Info) String() string {
	cue := i.CUE
	if cue == "" {
		cue = "unknown"
	}
	return fmt.Sprintf("jobfam %s (revision %s) %s cue %s", i.Version, i.shortRevision(), i.Go, cue)
}

// Short is the line a report begins with, for example
// "jobfam v0.1.0 (be8b9d3a1c2f)": which jobfam wrote it.
func (i Info) Short() string {
	return fmt.Sprintf("jobfam %s (%s)", i.Version, i.shortRevision())
}

// JSON is Info as one JSON object and a newline.
func (i Info) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(i, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the version: %w", err)
	}
	return append(b, '\n'), nil
}
