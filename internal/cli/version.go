package cli

import (
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/jobfam/jobfam/internal/version"
)

// addRelease gives app what an installed binary needs beyond the commands
// that do jobfam's work: --version, jobfam version, shell completion. It
// is kept apart from the app's literal so that adding a command there does
// not touch these lines.
func addRelease(app *ucli.App) {
	// urfave/cli's own --version prints through a package-level printer
	// that every App shares; a flag of jobfam's own keeps the output in
	// app.Writer.
	app.Flags = append(app.Flags, &ucli.BoolFlag{Name: "version", Usage: "print jobfam's version, commit, Go and CUE versions"})
	app.Action = func(c *ucli.Context) error {
		if c.Bool("version") {
			return printVersion(c.App.Writer, "text")
		}
		// What urfave/cli does without an Action: the help of the command
		// named (which reports an unknown one), else the app's help.
		if c.Args().Present() {
			return ucli.ShowCommandHelp(c, c.Args().First())
		}
		return ucli.ShowAppHelp(c)
	}
	// The hidden --generate-bash-completion flag, which the scripts of
	// jobfam completion call, lists the commands or the flags.
	app.EnableBashCompletion = true
	app.Commands = append(app.Commands, commands(versionCommand(), completionCommand())...)
}

func versionCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print jobfam's version, the commit it was built from, and its Go and CUE versions",
		Description: `Prints the version of jobfam (v0.1.0 for a release or a go install of a
tag, (devel) for a build from a checkout), the commit it was built from,
marked +modified when the checkout had changes, the Go release that built
it and the version of CUE it links. jobfam --version prints the same line.

Examples:
  jobfam version
  jobfam version --format json`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usagef(c, "version takes no arguments, got %s", strings.Join(c.Args().Slice(), " "))
			}
			format := c.String("format")
			if format != "text" && format != "json" {
				return usagef(c, "unknown output format %q: use text or json", format)
			}
			return printVersion(c.App.Writer, format)
		},
	}
}

// printVersion writes the running binary's version in format, which the
// caller has checked.
func printVersion(w io.Writer, format string) error {
	info := version.Get()
	if format == "json" {
		b, err := info.JSON()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	_, err := fmt.Fprintln(w, info.String())
	return err
}
