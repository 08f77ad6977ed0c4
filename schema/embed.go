// Package schema embeds the default CUE schema and policy, so that jobfam
// validates a repository that has no schema/ folder of its own. go:embed
// cannot reach outside its package's folder, which is why this file lives
// beside the .cue files it embeds.
package schema

import "embed"

// FS holds the *.cue files of this folder.
//
//go:embed *.cue
var FS embed.FS
