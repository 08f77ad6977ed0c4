package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateDocRuns keeps docs/migrate.md honest: the jobfam commands of
// its shell blocks are, in order, the jobfam commands that the script
// testdata/script/migrate.txtar runs against a handbook in the fake
// GitHub, so a command the page shows cannot drift from what works.
func TestMigrateDocRuns(t *testing.T) {
	doc, err := os.ReadFile("../../docs/migrate.md")
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	inSh := false
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case line == "```sh":
			inSh = true
		case line == "```":
			inSh = false
		case inSh && strings.HasPrefix(line, "jobfam "):
			shown = append(shown, line)
		}
	}
	script, err := os.ReadFile("testdata/script/migrate.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var run []string
	for _, line := range strings.Split(string(script), "\n") {
		if strings.HasPrefix(line, "-- ") {
			break // the archive's files start here
		}
		line = strings.TrimPrefix(line, "! ")
		if cmd, ok := strings.CutPrefix(line, "exec jobfam "); ok {
			run = append(run, "jobfam "+cmd)
		}
	}
	if len(shown) == 0 {
		t.Fatal("docs/migrate.md shows no jobfam command in a sh block")
	}
	if diff := cmp.Diff(shown, run); diff != "" {
		t.Errorf("docs/migrate.md's commands and migrate.txtar's differ (-doc +script):\n%s", diff)
	}
}
