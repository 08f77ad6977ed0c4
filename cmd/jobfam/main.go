// Command jobfam validates, renders and publishes job families kept as CUE
// data. All of its logic lives in internal/cli.
package main

import (
	"os"

	"github.com/jobfam/jobfam/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
