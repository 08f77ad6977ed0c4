package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
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
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"mkfile": cmdMkfile,
			"nest":   cmdNest,
			"subst":  cmdSubst,
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

// writeFile writes a file of the script, creating its folder.
func writeFile(ts *testscript.TestScript, name string, data []byte) {
	path := ts.MkAbs(name)
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o777))
	ts.Check(os.WriteFile(path, data, 0o666))
}
