package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

// fmtCommand is being written; see issue 3.
func fmtCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "fmt",
		Usage:  "not yet available",
		Hidden: true,
		Action: func(*ucli.Context) error { return errors.New("fmt is not available yet") },
	}
}
