package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

// renderCommand is being written; see issue 3.
func renderCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "render",
		Usage:  "not yet available",
		Hidden: true,
		Action: func(*ucli.Context) error { return errors.New("render is not available yet") },
	}
}
