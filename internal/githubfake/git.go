package githubfake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Objects are hashed exactly as git hashes them, so a client may compute a
// blob's sha locally (git hash-object) and compare it with a tree entry
// instead of downloading the blob.

// fixedDate is the author and committer time of every commit the fake
// creates. It keeps shas deterministic: commits with the same tree, parents
// and message share a sha, as they would in git with the same identity and
// clock.
const fixedDate = "2024-01-01T00:00:00Z"

const fixedEpoch = 1704067200

const (
	fakeName  = "jobfam fake"
	fakeEmail = "fake@example.invalid"
)

// emptyTreeSHA is git's well-known sha of the empty tree.
const emptyTreeSHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

type treeEntry struct {
	name string
	mode string // "100644", "100755", "120000" or "040000"
	typ  string // "blob" or "tree"
	sha  string
}

type commitObj struct {
	sha     string
	message string
	tree    string
	parents []string
}

// leaf is a file in a flattened tree.
type leaf struct {
	mode string
	sha  string
}

type objects struct {
	blobs   map[string]string // sha -> content
	trees   map[string][]treeEntry
	commits map[string]*commitObj
}

func newObjects() *objects {
	return &objects{
		blobs:   map[string]string{},
		trees:   map[string][]treeEntry{emptyTreeSHA: nil},
		commits: map[string]*commitObj{},
	}
}

func hashObject(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (o *objects) putBlob(content string) string {
	sha := hashObject("blob", []byte(content))
	o.blobs[sha] = content
	return sha
}

// gitLess orders tree entries as git does: a tree sorts as if its name ended
// in "/".
func gitLess(a, b treeEntry) bool {
	an, bn := a.name, b.name
	if a.typ == "tree" {
		an += "/"
	}
	if b.typ == "tree" {
		bn += "/"
	}
	return an < bn
}

func (o *objects) putTree(entries []treeEntry) string {
	sort.Slice(entries, func(i, j int) bool { return gitLess(entries[i], entries[j]) })
	var body []byte
	for _, e := range entries {
		mode := e.mode
		if e.typ == "tree" {
			mode = "40000" // git writes tree modes without the leading zero
		}
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, mode+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	sha := hashObject("tree", body)
	o.trees[sha] = entries
	return sha
}

// buildTree stores the tree objects for a flat path -> leaf map and returns
// the root tree's sha.
func (o *objects) buildTree(files map[string]leaf) string {
	direct := map[string]leaf{}
	sub := map[string]map[string]leaf{}
	for p, l := range files {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if sub[dir] == nil {
				sub[dir] = map[string]leaf{}
			}
			sub[dir][rest] = l
			continue
		}
		direct[p] = l
	}
	entries := make([]treeEntry, 0, len(direct)+len(sub))
	for name, l := range direct {
		entries = append(entries, treeEntry{name: name, mode: l.mode, typ: "blob", sha: l.sha})
	}
	for name, m := range sub {
		entries = append(entries, treeEntry{name: name, mode: "040000", typ: "tree", sha: o.buildTree(m)})
	}
	return o.putTree(entries)
}

// flatten returns the files of a stored tree; ok is false if sha is not a tree.
func (o *objects) flatten(sha string) (map[string]leaf, bool) {
	if _, ok := o.trees[sha]; !ok {
		return nil, false
	}
	files := map[string]leaf{}
	o.walk(sha, "", func(path string, e treeEntry) {
		if e.typ == "blob" {
			files[path] = leaf{mode: e.mode, sha: e.sha}
		}
	})
	return files, true
}

// walk visits every entry below a tree in the order GitHub lists a recursive
// tree: each entry, then (for a folder) its contents.
func (o *objects) walk(sha, prefix string, visit func(path string, e treeEntry)) {
	for _, e := range o.trees[sha] {
		p := prefix + e.name
		visit(p, e)
		if e.typ == "tree" {
			o.walk(e.sha, p+"/", visit)
		}
	}
}

func (o *objects) putCommit(message, tree string, parents []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	ident := fakeName + " <" + fakeEmail + "> " + strconv.Itoa(fixedEpoch) + " +0000"
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s", ident, ident, message)
	sha := hashObject("commit", []byte(b.String()))
	o.commits[sha] = &commitObj{sha: sha, message: message, tree: tree, parents: append([]string(nil), parents...)}
	return sha
}

// isAncestor reports whether anc is descendant itself or one of its ancestors.
func (o *objects) isAncestor(anc, descendant string) bool {
	seen := map[string]bool{}
	stack := []string{descendant}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c == anc {
			return true
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		if obj := o.commits[c]; obj != nil {
			stack = append(stack, obj.parents...)
		}
	}
	return false
}

func isSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// validPath reports whether p is a path git accepts in a tree: relative,
// no empty, "." or ".." segments, and no ".git" component.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		switch strings.ToLower(seg) {
		case "", ".", "..", ".git":
			return false
		}
		if strings.ContainsRune(seg, 0) {
			return false
		}
	}
	return true
}
