package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"
)

// importCommand is being written; see issue 3.
func importCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "import",
		Usage:  "not yet available",
		Hidden: true,
		Action: func(*ucli.Context) error { return errors.New("import is not available yet") },
	}
}
