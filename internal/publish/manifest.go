package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// ManifestName is the file, in the handbook folder, in which publish
// records every page it wrote and the git blob SHA it wrote. It starts
// with a dot so that Hugo does not take it for content.
//
// The manifest is what keeps the cost of a publish independent of the
// number of changed pages: a page whose blob SHA in the tree is the one
// the manifest records is exactly what jobfam wrote, so it is owned
// without reading it. Only a page whose SHA differs (edited since), or
// that the manifest does not list but is in the way, is read to check
// its front matter's marker. A manifest someone edits by hand can hand
// pages over to jobfam, never take them away: a listed page whose SHA
// differs is checked as if no manifest existed.
const ManifestName = ".jobfam-manifest.json"

// manifest is the content of ManifestName.
type manifest struct {
	GeneratedBy string `json:"generated_by"`
	// Source is the "owner/name@sha" the pages were rendered from, when
	// known; it changes only with the pages, so an unchanged set of pages
	// leaves the manifest unchanged.
	Source string `json:"source,omitempty"`
	// Pages maps each page's path under the folder to its blob SHA.
	Pages map[string]string `json:"pages"`
}

// encodeManifest renders the manifest of the wanted pages (full path ->
// marked page) deterministically: sorted keys, one page a line, a final
// newline.
func encodeManifest(dir string, want map[string]string, src Source) string {
	m := manifest{GeneratedBy: "jobfam", Pages: make(map[string]string, len(want))}
	if src.Repo != "" && src.SHA != "" {
		m.Source = src.Repo + "@" + src.SHA
	}
	for name, content := range want {
		m.Pages[strings.TrimPrefix(name, dir+"/")] = BlobSHA([]byte(content))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		panic(err) // strings only: cannot fail
	}
	return b.String()
}

// readManifest reads the manifest when the tree (path -> blob SHA) has
// one; nil when it has none, as in a handbook published by an older
// jobfam. A file by that name that is not jobfam's manifest is refused
// rather than overwritten.
func (p *publisher) readManifest(ctx context.Context, have map[string]string) (*manifest, error) {
	name := p.opts.Dir + "/" + ManifestName
	sha, ok := have[name]
	if !ok {
		return nil, nil
	}
	b, err := p.blob(ctx, sha)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal([]byte(b.content), &m); err != nil || m.GeneratedBy != "jobfam" {
		return nil, fmt.Errorf("%w: %s in %s@%s is not a manifest written by jobfam (no \"generated_by\": \"jobfam\"): delete it and publish again, jobfam rebuilds it from the pages' markers",
			ErrRefused, name, p.opts.Repo, p.opts.Branch)
	}
	return &m, nil
}
