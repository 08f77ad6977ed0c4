// Package cli is jobfam's command line: one file per command, all output
// written to the writers it is given, and an exit code for every outcome.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	ucli "github.com/urfave/cli/v2"
)

// Exit codes. They are part of the interface: CI reads them.
const (
	// ExitOK means the command succeeded and, for validate, found no
	// errors.
	ExitOK = 0
	// ExitFindings means validate (or render) found at least one error,
	// render --check or fmt --check found files that differ, approvals
	// found a rule not met, or publish refused.
	ExitFindings = 1
	// ExitError means jobfam could not do its job: a usage mistake, or a
	// folder or schema that could not be loaded.
	ExitError = 2
)

// errFindings is returned by a command whose findings include errors; the
// findings have been printed already.
var errFindings = errors.New("findings at error severity")

// usageError is a mistake in how jobfam was called; the message says how to
// call it instead. cmd is the command whose help to point at, if any.
type usageError struct{ msg, cmd string }

func (e *usageError) Error() string { return e.msg }

// usagef reports a usage mistake in the command c is running.
func usagef(c *ucli.Context, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), cmd: c.Command.Name}
}

const appDescription = `jobfam keeps job families (levels, grades, responsibilities, requirements,
career ladders, hiring processes) as CUE data files, checks them against a
CUE schema and the organisation's policy, and turns them into handbook pages.

Examples:
  # Check every family under families/ against schema/.
  jobfam validate

  # Check another folder, with annotations for a GitHub Actions log.
  jobfam validate --format github path/to/families

  # Write the handbook pages into public/, or tell whether they drifted.
  jobfam render
  jobfam render --check

  # Turn existing handbook pages into family files.
  jobfam import --out families handbook/job-families/finance/*.md

  # Rewrite family files in the canonical layout, or list those that differ.
  jobfam fmt
  jobfam fmt --check

  # Publish the pages to the handbook repository, in one commit.
  GITHUB_TOKEN=... jobfam publish --repo acme/handbook

Exit codes:
  0  success: no findings at error severity
  1  findings at error severity, a --check found differences, an approval
     rule not met, or publish refused (no approval, a hand-written page in
     the way)
  2  usage error, the families or schema could not be loaded, or GitHub
     refused a request

Documentation: https://github.com/jobfam/jobfam/tree/main/docs`

// Main runs jobfam with args (args[0] is the program name) and returns the
// exit code. It never calls os.Exit and touches no global I/O, so tests run
// it in-process.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	notFound := false
	app := &ucli.App{
		Name:        "jobfam",
		Usage:       "validate, render and publish job families kept as CUE data",
		Description: appDescription,
		Reader:      stdin,
		Writer:      stdout,
		ErrWriter:   stderr,
		Commands:    commands(validateCommand(), renderCommand(), importCommand(), newCommand(), fmtCommand(), publishCommand(), approvalsCommand(), diffCommand(), graphCommand(), actionCommand()),
		// The app decides the exit code, not urfave/cli.
		ExitErrHandler: func(*ucli.Context, error) {},
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error {
			return &usageError{msg: err.Error()}
		},
		CommandNotFound: func(c *ucli.Context, name string) {
			notFound = true
			fmt.Fprintf(stderr, "jobfam: unknown command %q: run 'jobfam --help' for the list of commands\n", name)
		},
	}
	addRelease(app)
	err := app.RunContext(context.Background(), args)
	var uerr *usageError
	switch {
	case notFound:
		return ExitError
	case err == nil:
		return ExitOK
	case errors.Is(err, errFindings), errors.Is(err, errDrift):
		return ExitFindings
	case errors.As(err, &uerr):
		help := "jobfam --help"
		if uerr.cmd != "" {
			help = "jobfam " + uerr.cmd + " --help"
		}
		fmt.Fprintf(stderr, "jobfam: %s\nRun '%s' for usage.\n", uerr.msg, help)
		return ExitError
	default:
		fmt.Fprintf(stderr, "jobfam: %v\n", err)
		return ExitError
	}
}

// commands sets what every command shares: usage mistakes are reported in
// one line that points at the command's help, not with the whole help text.
func commands(cmds ...*ucli.Command) []*ucli.Command {
	for _, cmd := range cmds {
		name := cmd.Name
		cmd.HideHelpCommand = true
		cmd.OnUsageError = func(_ *ucli.Context, err error, _ bool) error {
			return &usageError{msg: err.Error(), cmd: name}
		}
	}
	return cmds
}
