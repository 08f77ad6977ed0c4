package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

// graphCommand is being written; see issue 5.
func graphCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "graph",
		Usage:  "not yet available",
		Hidden: true,
		Action: func(*ucli.Context) error { return errors.New("graph is not available yet") },
	}
}
