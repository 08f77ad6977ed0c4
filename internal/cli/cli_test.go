package cli

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/jobfam/jobfam/internal/githubfake"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata")

// TestMain makes the test binary double as the jobfam command, so that the
// scripts run the real command line, exit codes included, in a process of
// its own.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"jobfam": func() { os.Exit(Main(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. Each one holds
// its input files, the commands and their exact expected output; run
// "go test ./internal/cli -update" to rewrite the expected output after a
// deliberate change, then read the diff. The helper commands below run in
// the test process; they write files that a txtar archive cannot hold
// readably.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Values[githubKey{}] = &githubHolder{repos: map[string]*githubfake.Repo{}}
			// validate's result cache goes to the user cache folder, which
			// a script must not share with the machine: each script gets
			// its own, so that every validate after the first in a script
			// runs warm, and the expected output shows a cached run
			// prints what a fresh one does.
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"mkfile": cmdMkfile,
			"nest":   cmdNest,
			"subst":  cmdSubst,
			"github": cmdGitHub,
		},
	})
}

// cmdMkfile writes a family file of exactly SIZE bytes, a title and then
// comment lines padded with spaces, creating its folder: such files are too large to keep in
// testdata.
//
//	mkfile SIZE FILE
func cmdMkfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkfile SIZE FILE")
	}
	size, err := strconv.Atoi(args[0])
	ts.Check(err)
	var b bytes.Buffer
	b.WriteString("title: \"Big\"\n")
	if size < b.Len() {
		ts.Fatalf("mkfile: SIZE must be at least %d", b.Len())
	}
	line := "// " + strings.Repeat("x", 76) + "\n"
	for b.Len()+len(line) <= size {
		b.WriteString(line)
	}
	b.WriteString(strings.Repeat(" ", size-b.Len()))
	writeFile(ts, args[1], b.Bytes())
}

// cmdNest writes a family file whose title is N nested lists,
// "title: [[[...]]]", creating its folder.
//
//	nest N FILE
func cmdNest(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nest N FILE")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	src := "title: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
	writeFile(ts, args[1], []byte(src))
}

// cmdSubst replaces every OLD in FILE with NEW. OLD and NEW are Go string
// literals, so that a script can write bytes a txtar file cannot hold
// readably: a byte-order mark, CRLF line endings, invalid UTF-8.
//
//	subst OLD NEW FILE
func cmdSubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: subst OLD NEW FILE")
	}
	old, err := strconv.Unquote(args[0])
	ts.Check(err)
	repl, err := strconv.Unquote(args[1])
	ts.Check(err)
	path := ts.MkAbs(args[2])
	src, err := os.ReadFile(path)
	ts.Check(err)
	if !bytes.Contains(src, []byte(old)) {
		ts.Fatalf("subst: %s does not contain %q", args[2], old)
	}
	ts.Check(os.WriteFile(path, bytes.ReplaceAll(src, []byte(old), []byte(repl)), 0o666))
}

// cmdGitHub runs the project's fake of GitHub for a script: jobfam
// publish reaches it through GITHUB_API_URL, as on an Actions runner, so
// that scripts show the commands people type.
//
//	github start OWNER/NAME DIR   serve a repository whose main branch
//	                              holds DIR's files; set GITHUB_API_URL
//	                              and GITHUB_TOKEN
//	github files OWNER/NAME BRANCH FILE
//	                              write the branch's files, one path a
//	                              line, to FILE
//	github show OWNER/NAME BRANCH PATH FILE
//	                              write one file of the branch to FILE
//	github log OWNER/NAME BRANCH FILE
//	                              write the branch's commit messages'
//	                              first lines, newest first, to FILE
func cmdGitHub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: github start|files|show|log ...")
	}
	h := ts.Value(githubKey{}).(*githubHolder)
	repo := func(name string) *githubfake.Repo {
		r := h.repos[name]
		if r == nil {
			ts.Fatalf("github: no repository %s: run 'github start %s DIR' first", name, name)
		}
		return r
	}
	switch {
	case args[0] == "start" && len(args) == 3:
		owner, name, ok := strings.Cut(args[1], "/")
		if !ok {
			ts.Fatalf("github start: OWNER/NAME, not %q", args[1])
		}
		srv := githubfake.New()
		ts.Defer(srv.Close)
		const token = "github-fake-token"
		srv.RequireToken(token)
		files := map[string]string{}
		root := ts.MkAbs(args[2])
		ts.Check(filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)] = string(data)
			return err
		}))
		r := srv.AddRepo(owner, name)
		r.Commit("main", "initial", files)
		h.repos[args[1]] = r
		ts.Setenv("GITHUB_API_URL", strings.TrimSuffix(srv.URL(), "/"))
		ts.Setenv("GITHUB_TOKEN", token)
	case args[0] == "files" && len(args) == 4:
		files := repo(args[1]).Files(args[2])
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p+"\n")
		}
		slices.Sort(paths)
		writeFile(ts, args[3], []byte(strings.Join(paths, "")))
	case args[0] == "show" && len(args) == 5:
		src, ok := repo(args[1]).Files(args[2])[args[3]]
		if !ok {
			ts.Fatalf("github show: %s has no %s on %s", args[1], args[3], args[2])
		}
		writeFile(ts, args[4], []byte(src))
	case args[0] == "log" && len(args) == 4:
		var b strings.Builder
		for _, c := range repo(args[1]).Log(args[2]) {
			first, _, _ := strings.Cut(c.Message, "\n")
			b.WriteString(first + "\n")
		}
		writeFile(ts, args[3], []byte(b.String()))
	default:
		ts.Fatalf("usage: github start OWNER/NAME DIR | files OWNER/NAME BRANCH FILE | show OWNER/NAME BRANCH PATH FILE | log OWNER/NAME BRANCH FILE")
	}
}

// githubKey is the key of a script's githubHolder in its Values.
type githubKey struct{}

// githubHolder keeps the repositories of a script's fake GitHub.
type githubHolder struct {
	repos map[string]*githubfake.Repo
}

// writeFile writes a file of the script, creating its folder.
func writeFile(ts *testscript.TestScript, name string, data []byte) {
	path := ts.MkAbs(name)
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o777))
	ts.Check(os.WriteFile(path, data, 0o666))
}
