package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

// diffCommand is being written; see issue 5.
func diffCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "diff",
		Usage:  "not yet available",
		Hidden: true,
		Action: func(*ucli.Context) error { return errors.New("diff is not available yet") },
	}
}
