package githubfake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"
)

func (c *call) routeGit(rest []string) response {
	// GitHub's Git Data API refuses to work on a repository without
	// commits: the first commit must come from elsewhere.
	if len(c.repo.refs) == 0 {
		if rest[0] == "ref" || rest[0] == "refs" || rest[0] == "commits" || rest[0] == "trees" || rest[0] == "blobs" {
			return fail(http.StatusConflict, "Git Repository is empty.")
		}
	}
	switch rest[0] {
	case "ref":
		if len(rest) < 3 {
			return notFound
		}
		return c.only(http.MethodGet, func() response { return c.getRef(strings.Join(rest[1:], "/")) })
	case "refs":
		if len(rest) == 1 {
			return c.only(http.MethodPost, c.createRef)
		}
		ref := strings.Join(rest[1:], "/")
		switch c.method {
		case http.MethodPatch:
			return c.updateRef(ref)
		case http.MethodDelete:
			return c.deleteRef(ref)
		}
	case "commits":
		if len(rest) == 1 {
			return c.only(http.MethodPost, c.createCommit)
		}
		if len(rest) == 2 {
			return c.only(http.MethodGet, func() response { return c.getCommit(rest[1]) })
		}
	case "trees":
		if len(rest) == 1 {
			return c.only(http.MethodPost, c.createTree)
		}
		if len(rest) == 2 {
			return c.only(http.MethodGet, func() response { return c.getTree(rest[1]) })
		}
	case "blobs":
		if len(rest) == 1 {
			return c.only(http.MethodPost, c.createBlob)
		}
		if len(rest) == 2 {
			return c.only(http.MethodGet, func() response { return c.getBlob(rest[1]) })
		}
	}
	return notFound
}

func (c *call) apiURL(format string) string {
	return c.s.URL() + "repos/" + c.repo.owner + "/" + c.repo.name + "/" + format
}

func (c *call) refJSON(ref, sha string) map[string]any {
	return map[string]any{
		"ref":     "refs/" + ref,
		"node_id": "REF_" + sha[:12],
		"url":     c.apiURL("git/refs/" + ref),
		"object": map[string]any{
			"sha":  sha,
			"type": "commit",
			"url":  c.apiURL("git/commits/" + sha),
		},
	}
}

func (c *call) getRef(ref string) response {
	sha, ok := c.repo.refs[ref]
	if !ok {
		return notFound
	}
	return reply(http.StatusOK, c.refJSON(ref, sha))
}

// validRefName applies the parts of git check-ref-format that matter here.
func validRefName(ref string) bool {
	if !strings.HasPrefix(ref, "heads/") && !strings.HasPrefix(ref, "tags/") {
		return false
	}
	if strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".lock") || strings.HasSuffix(ref, ".") ||
		strings.Contains(ref, "..") || strings.Contains(ref, "//") || strings.Contains(ref, "@{") ||
		strings.ContainsAny(ref, " ~^:?*[\\\x7f") {
		return false
	}
	for _, r := range ref {
		if r < 0x20 {
			return false
		}
	}
	_, name, _ := strings.Cut(ref, "/")
	return name != "" && !strings.HasPrefix(name, ".")
}

func (c *call) createRef() response {
	var in struct {
		Ref *string `json:"ref"`
		SHA *string `json:"sha"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Ref == nil || in.SHA == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"ref\" and \"sha\" are required.")
	}
	ref, ok := strings.CutPrefix(*in.Ref, "refs/")
	if !ok || !validRefName(ref) {
		return fail(http.StatusUnprocessableEntity, "Reference name is invalid")
	}
	if _, exists := c.repo.refs[ref]; exists {
		return fail(http.StatusUnprocessableEntity, "Reference already exists")
	}
	if c.repo.obj.commits[*in.SHA] == nil {
		return fail(http.StatusUnprocessableEntity, "Object does not exist")
	}
	c.repo.refs[ref] = *in.SHA
	return reply(http.StatusCreated, c.refJSON(ref, *in.SHA))
}

func (c *call) updateRef(ref string) response {
	var in struct {
		SHA   *string `json:"sha"`
		Force bool    `json:"force"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.SHA == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"sha\" wasn't supplied.")
	}
	cur, exists := c.repo.refs[ref]
	if !exists {
		return fail(http.StatusUnprocessableEntity, "Reference does not exist")
	}
	if c.repo.obj.commits[*in.SHA] == nil {
		return fail(http.StatusUnprocessableEntity, "Object does not exist")
	}
	if !in.Force && !c.repo.obj.isAncestor(cur, *in.SHA) {
		return fail(http.StatusUnprocessableEntity, "Update is not a fast forward")
	}
	c.repo.refs[ref] = *in.SHA
	return reply(http.StatusOK, c.refJSON(ref, *in.SHA))
}

func (c *call) deleteRef(ref string) response {
	if _, exists := c.repo.refs[ref]; !exists {
		return fail(http.StatusUnprocessableEntity, "Reference does not exist")
	}
	delete(c.repo.refs, ref)
	// GitHub closes the open pull requests whose head branch is deleted.
	if branch, ok := strings.CutPrefix(ref, "heads/"); ok {
		for _, p := range c.repo.pulls {
			if p.State == "open" && p.Head == branch {
				p.State = "closed"
			}
		}
	}
	return response{status: http.StatusNoContent}
}

func (c *call) commitJSON(co *commitObj) map[string]any {
	ident := map[string]any{"name": fakeName, "email": fakeEmail, "date": fixedDate}
	parents := make([]map[string]any, 0, len(co.parents))
	for _, p := range co.parents {
		parents = append(parents, map[string]any{
			"sha": p, "url": c.apiURL("git/commits/" + p),
			"html_url": "https://github.com/" + c.repo.owner + "/" + c.repo.name + "/commit/" + p,
		})
	}
	return map[string]any{
		"sha":       co.sha,
		"node_id":   "C_" + co.sha[:12],
		"url":       c.apiURL("git/commits/" + co.sha),
		"html_url":  "https://github.com/" + c.repo.owner + "/" + c.repo.name + "/commit/" + co.sha,
		"author":    ident,
		"committer": ident,
		"message":   co.message,
		"tree":      map[string]any{"sha": co.tree, "url": c.apiURL("git/trees/" + co.tree)},
		"parents":   parents,
		"verification": map[string]any{
			"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
		},
	}
}

func (c *call) getCommit(sha string) response {
	co := c.repo.obj.commits[sha]
	if co == nil {
		return notFound
	}
	return reply(http.StatusOK, c.commitJSON(co))
}

func (c *call) createCommit() response {
	var in struct {
		Message *string  `json:"message"`
		Tree    *string  `json:"tree"`
		Parents []string `json:"parents"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Message == nil || in.Tree == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"message\" and \"tree\" are required.")
	}
	if _, ok := c.repo.obj.trees[*in.Tree]; !ok {
		return fail(http.StatusUnprocessableEntity, "Tree SHA does not exist")
	}
	for _, p := range in.Parents {
		if c.repo.obj.commits[p] == nil {
			return fail(http.StatusUnprocessableEntity, "Parent SHA does not exist or is not a commit object")
		}
	}
	sha := c.repo.obj.putCommit(*in.Message, *in.Tree, in.Parents)
	return reply(http.StatusCreated, c.commitJSON(c.repo.obj.commits[sha]))
}

type treeEntryJSON struct {
	Path string `json:"path"`
	Mode string `json:"mode"`
	Type string `json:"type"`
	SHA  string `json:"sha"`
	Size *int   `json:"size,omitempty"`
	URL  string `json:"url"`
}

// treeJSON lists a tree. A recursive listing stops, with "truncated":
// true, after the repository's entry limit or GitHub's 7 MB, keeping the
// entries before the cut in listing order, as GitHub does.
func (c *call) treeJSON(sha string, recursive bool) map[string]any {
	entries := []treeEntryJSON{}
	limit := c.repo.treeLimit
	if limit == 0 {
		limit = maxTreeEntries
	}
	truncated, size := false, 0
	add := func(path string, e treeEntry) {
		if truncated {
			return
		}
		j := treeEntryJSON{Path: path, Mode: e.mode, Type: e.typ, SHA: e.sha}
		if e.typ == "blob" {
			n := len(c.repo.obj.blobs[e.sha])
			j.Size = &n
			j.URL = c.apiURL("git/blobs/" + e.sha)
		} else {
			j.URL = c.apiURL("git/trees/" + e.sha)
		}
		if recursive {
			raw, _ := json.Marshal(j)
			if size += len(raw) + 1; len(entries) == limit || size > maxTreeBytes {
				truncated = true
				return
			}
		}
		entries = append(entries, j)
	}
	if recursive {
		c.repo.obj.walk(sha, "", add)
	} else {
		for _, e := range c.repo.obj.trees[sha] {
			add(e.name, e)
		}
	}
	return map[string]any{"sha": sha, "url": c.apiURL("git/trees/" + sha), "tree": entries, "truncated": truncated}
}

// getTree accepts a tree sha, a commit sha or a branch name, as GitHub does.
// Any value of the recursive parameter, even "0" or "false", makes the
// listing recursive, as GitHub documents.
func (c *call) getTree(id string) response {
	sha := id
	if co := c.repo.obj.commits[id]; co != nil {
		sha = co.tree
	} else if head, ok := c.repo.refs["heads/"+id]; ok {
		sha = c.repo.obj.commits[head].tree
	}
	if _, ok := c.repo.obj.trees[sha]; !ok {
		return notFound
	}
	_, recursive := c.r.URL.Query()["recursive"]
	return reply(http.StatusOK, c.treeJSON(sha, recursive))
}

// createTree applies the entries in order to base_tree (or to an empty
// tree). An entry sets a file from inline content or an existing blob,
// inserts an existing tree as a folder, or, with "sha": null, deletes a file
// or folder, which must exist.
func (c *call) createTree() response {
	var in struct {
		BaseTree *string                       `json:"base_tree"`
		Tree     *[]map[string]json.RawMessage `json:"tree"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Tree == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"tree\" wasn't supplied.")
	}
	files := map[string]leaf{}
	if in.BaseTree != nil && *in.BaseTree != "" {
		base, ok := c.repo.obj.flatten(*in.BaseTree)
		if !ok {
			return fail(http.StatusUnprocessableEntity, "Invalid tree info: base_tree "+*in.BaseTree+" is not a tree")
		}
		files = base
	}
	for i, raw := range *in.Tree {
		if resp, ok := c.applyTreeEntry(files, i, raw); !ok {
			return resp
		}
	}
	sha := c.repo.obj.buildTree(files)
	return reply(http.StatusCreated, c.treeJSON(sha, false))
}

func (c *call) applyTreeEntry(files map[string]leaf, i int, raw map[string]json.RawMessage) (response, bool) {
	bad := func(msg string) (response, bool) {
		return fail(http.StatusUnprocessableEntity, "Invalid tree info: tree["+itoa(i)+"]: "+msg), false
	}
	str := func(key string) (string, bool, bool) { // value, present and not null, well-typed
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			return "", false, true
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", true, false
		}
		return s, true, true
	}
	path, hasPath, ok1 := str("path")
	mode, hasMode, ok2 := str("mode")
	typ, hasType, ok3 := str("type")
	content, hasContent, ok4 := str("content")
	sha, hasSHA, ok5 := str("sha")
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return bad("path, mode, type, sha and content must be strings")
	}
	shaRaw, shaKey := raw["sha"]
	isDelete := shaKey && string(shaRaw) == "null" && !hasContent
	if !hasPath || !validPath(path) || strings.HasSuffix(path, "/") {
		return bad("invalid path " + quote(path))
	}
	if !hasMode {
		return bad("mode is required")
	}
	switch mode {
	case "100644", "100755", "120000":
		if hasType && typ != "blob" {
			return bad("mode " + mode + " needs type blob")
		}
		typ = "blob"
	case "040000":
		if hasType && typ != "tree" {
			return bad("mode 040000 needs type tree")
		}
		typ = "tree"
	case "160000":
		return bad("submodules (mode 160000) are not supported by the fake")
	default:
		return bad("invalid mode " + quote(mode))
	}
	switch {
	case isDelete:
		if !removePath(files, path) {
			return bad("cannot delete " + quote(path) + ": not in base_tree")
		}
		return response{}, true
	case hasContent && hasSHA:
		return bad("specify either sha or content, not both")
	case hasContent:
		if typ != "blob" {
			return bad("content needs type blob")
		}
		if !utf8.ValidString(content) {
			return bad("content must be UTF-8")
		}
		sha = c.repo.obj.putBlob(content)
	case hasSHA:
		if typ == "blob" {
			if _, ok := c.repo.obj.blobs[sha]; !ok {
				return bad("sha " + quote(sha) + " is not a blob")
			}
		} else if _, ok := c.repo.obj.trees[sha]; !ok {
			return bad("sha " + quote(sha) + " is not a tree")
		}
	default:
		return bad("either sha or content is required")
	}
	// A path cannot be a file and a folder at once.
	for dir := path; strings.Contains(dir, "/"); {
		dir = dir[:strings.LastIndex(dir, "/")]
		if _, isFile := files[dir]; isFile {
			return bad(quote(path) + " is below the file " + quote(dir))
		}
	}
	if typ == "blob" {
		for q := range files {
			if strings.HasPrefix(q, path+"/") {
				return bad(quote(path) + " is a folder")
			}
		}
		files[path] = leaf{mode: mode, sha: sha}
		return response{}, true
	}
	if _, isFile := files[path]; isFile {
		return bad(quote(path) + " is a file")
	}
	removePath(files, path)
	sub, _ := c.repo.obj.flatten(sha)
	for q, l := range sub {
		files[path+"/"+q] = l
	}
	return response{}, true
}

func (c *call) getBlob(sha string) response {
	content, ok := c.repo.obj.blobs[sha]
	if !ok {
		return notFound
	}
	return reply(http.StatusOK, map[string]any{
		"sha":      sha,
		"node_id":  "B_" + sha[:12],
		"size":     len(content),
		"url":      c.apiURL("git/blobs/" + sha),
		"content":  wrap60(base64.StdEncoding.EncodeToString([]byte(content))),
		"encoding": "base64",
	})
}

// wrap60 breaks base64 text into lines of 60 characters, as GitHub does:
// clients must not feed the content straight to a strict decoder.
func wrap60(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60])
		b.WriteByte('\n')
		s = s[60:]
	}
	b.WriteString(s)
	b.WriteByte('\n')
	return b.String()
}

func (c *call) createBlob() response {
	var in struct {
		Content  *string `json:"content"`
		Encoding string  `json:"encoding"`
	}
	if resp, ok := c.decode(&in); !ok {
		return resp
	}
	if in.Content == nil {
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\n\"content\" wasn't supplied.")
	}
	content := *in.Content
	switch in.Encoding {
	case "", "utf-8":
	case "base64":
		b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(content, "\n", ""))
		if err != nil {
			return fail(http.StatusUnprocessableEntity, "Invalid request.\n\ncontent is not valid Base64.")
		}
		content = string(b)
	default:
		return fail(http.StatusUnprocessableEntity, "Invalid request.\n\nencoding must be utf-8 or base64.")
	}
	sha := c.repo.obj.putBlob(content)
	return reply(http.StatusCreated, map[string]any{"sha": sha, "url": c.apiURL("git/blobs/" + sha)})
}
