package publish

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// readDir reads the blobs under opts.Dir of a tree (a commit's or a
// tree's SHA): it returns the root tree's SHA, which the new tree is based
// on, and each blob's full path from the repository's root with its SHA.
//
// One recursive listing of the whole tree is the usual case and costs one
// request. GitHub truncates a recursive listing beyond 100,000 entries or
// 7 MB, and then advises reading one sub-tree at a time: readDir walks
// down to the folder non-recursively, one request per segment of
// opts.Dir, lists the folder recursively (one request), and only when
// that is truncated too reads the folder level by level, one request per
// folder under it. Nothing outside opts.Dir is read, so the size of the
// rest of the handbook does not matter.
func (p *publisher) readDir(ctx context.Context, treeish string) (string, map[string]string, error) {
	t, err := p.gh.GetTree(ctx, treeish, true)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || (e.Status != 404 && e.Status != 422) {
			return "", nil, err
		}
		// The API does not take a commit for a tree: read the commit.
		c, err := p.gh.GetCommit(ctx, treeish)
		if err != nil {
			return "", nil, err
		}
		if t, err = p.gh.GetTree(ctx, c.Tree, true); err != nil {
			return "", nil, err
		}
	}
	have := map[string]string{}
	prefix := p.opts.Dir + "/"
	if !t.Truncated {
		for _, e := range t.Entries {
			if e.Type == "blob" && strings.HasPrefix(e.Path, prefix) {
				have[e.Path] = e.SHA
			}
		}
		return t.SHA, have, nil
	}
	fmt.Fprintf(p.opts.Log, "jobfam: the tree of %s is too large for one listing (GitHub truncated it): reading %s folder by folder\n", p.opts.Repo, p.opts.Dir)
	sha := t.SHA
	for _, seg := range strings.Split(p.opts.Dir, "/") {
		level, err := p.gh.GetTree(ctx, sha, false)
		if err != nil {
			return "", nil, err
		}
		sha = ""
		for _, e := range level.Entries {
			if e.Path == seg && e.Type == "tree" {
				sha = e.SHA
			}
		}
		if sha == "" {
			return t.SHA, have, nil // no such folder yet: nothing in the way
		}
	}
	if err := p.readFolder(ctx, sha, prefix, have); err != nil {
		return "", nil, err
	}
	return t.SHA, have, nil
}

// readFolder adds the blobs below the tree sha, whose path is prefix, to
// have: one recursive listing, else, when GitHub truncates that too, one
// non-recursive listing per folder.
func (p *publisher) readFolder(ctx context.Context, sha, prefix string, have map[string]string) error {
	t, err := p.gh.GetTree(ctx, sha, true)
	if err != nil {
		return err
	}
	if !t.Truncated {
		for _, e := range t.Entries {
			if e.Type == "blob" {
				have[prefix+e.Path] = e.SHA
			}
		}
		return nil
	}
	type folder struct{ sha, prefix string }
	queue := []folder{{sha, prefix}}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		t, err := p.gh.GetTree(ctx, f.sha, false)
		if err != nil {
			return err
		}
		if t.Truncated {
			return &Error{Op: "read tree " + short(f.sha), Msg: fmt.Sprintf("GitHub truncated the listing of the single folder %s: it has too many entries to publish into", strings.TrimSuffix(f.prefix, "/"))}
		}
		for _, e := range t.Entries {
			switch e.Type {
			case "blob":
				have[f.prefix+e.Path] = e.SHA
			case "tree":
				queue = append(queue, folder{e.SHA, f.prefix + e.Path + "/"})
			}
		}
	}
	return nil
}
