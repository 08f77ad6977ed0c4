package cli

import (
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// bashCompletion and zshCompletion ask jobfam itself for the candidates:
// urfave/cli answers a command line that ends in --generate-bash-completion
// with the commands, or with the flags when the word being completed
// begins with "-", and runs nothing else. When it has nothing to offer,
// the shell completes file names, which is what most arguments are.
const bashCompletion = `# bash completion for jobfam.
# Load it with: source <(jobfam completion bash)
_jobfam_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}" candidates
  if [[ "$cur" == -* ]]; then
    candidates=$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    candidates=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  mapfile -t COMPREPLY < <(compgen -W "$candidates" -- "$cur")
}
complete -o bashdefault -o default -F _jobfam_complete jobfam
`

const zshCompletion = `#compdef jobfam
# zsh completion for jobfam.
# Load it with: source <(jobfam completion zsh), after compinit; or save it
# as _jobfam in a folder of $fpath.
compdef _jobfam jobfam

_jobfam() {
  local cur=${words[CURRENT]}
  local -a candidates
  if [[ $cur == -* ]]; then
    candidates=("${(@f)$(${words[1,CURRENT-1]} $cur --generate-bash-completion 2>/dev/null)}")
  else
    candidates=("${(@f)$(${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n ${candidates[1]} ]]; then
    _describe 'jobfam' candidates
  else
    _files
  fi
}

# Autoloaded from $fpath, this file is the body of _jobfam: complete now.
if [[ $funcstack[1] == _jobfam ]]; then
  _jobfam "$@"
fi
`

func completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "SHELL",
		Description: `Prints a script that completes jobfam's commands and flags in SHELL (bash,
zsh or fish), and file names where an argument is expected.

Examples:
  # For the current shell.
  source <(jobfam completion bash)
  source <(jobfam completion zsh)
  jobfam completion fish | source

  # For every new shell.
  jobfam completion bash > ~/.local/share/bash-completion/completions/jobfam
  jobfam completion zsh > "${fpath[1]}/_jobfam"
  jobfam completion fish > ~/.config/fish/completions/jobfam.fish`,
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usagef(c, "completion takes one shell, bash, zsh or fish, got %d arguments", c.NArg())
			}
			return printCompletion(c.App, c.App.Writer, c.Args().First(), c)
		},
	}
}

// printCompletion writes the completion script of shell.
func printCompletion(app *ucli.App, w io.Writer, shell string, c *ucli.Context) error {
	var script string
	switch shell {
	case "bash":
		script = bashCompletion
	case "zsh":
		script = zshCompletion
	case "fish":
		// Fish completes from a list of commands and flags rather than by
		// asking the program, and urfave/cli writes that list.
		s, err := app.ToFishCompletion()
		if err != nil {
			return fmt.Errorf("write the fish completion: %w", err)
		}
		script = s
	default:
		return usagef(c, "unknown shell %q: use bash, zsh or fish", shell)
	}
	_, err := io.WriteString(w, script)
	if err == nil && !strings.HasSuffix(script, "\n") {
		_, err = io.WriteString(w, "\n")
	}
	return err
}
