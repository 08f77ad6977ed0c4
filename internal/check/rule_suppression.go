package check

import (
	"github.com/jobfam/jobfam/internal/diag"
	"github.com/jobfam/jobfam/internal/family"
)

var ruleSuppression = &Rule{
	ID:      "suppression",
	Summary: "a jobfam:ignore comment names no known rule or gives no reason",
}

// The check looks rules up in the registry, which lists this rule: set it
// after both exist.
func init() { ruleSuppression.Family = checkSuppressions }

// checkSuppressions keeps "// jobfam:ignore <rule> <reason>" comments
// honest: a reviewer must be able to read why a finding was silenced.
func checkSuppressions(env *Env, f *family.Family, r *Reporter) {
	for _, s := range f.Suppressions {
		switch {
		case s.Rule == "":
			r.Report(s.Pos, "jobfam:ignore names no rule: write %q", "// jobfam:ignore <rule> <reason>")
		case Lookup(s.Rule) == nil:
			r.Report(s.Pos, "jobfam:ignore names unknown rule %q", s.Rule)
		case s.Reason == "":
			r.Report(s.Pos, "jobfam:ignore %s gives no reason: say why the finding does not apply", s.Rule)
		}
	}
}

// suppress splits findings into those that stand and those a valid
// suppression comment silences: a comment applies to its own line and to
// the line after it. A silenced finding's message ends with the comment's
// reason, for reviewers. Findings of this rule cannot be silenced.
func suppress(f *family.Family, findings []diag.Finding) (kept, silenced []diag.Finding) {
	for _, fd := range findings {
		if s := silencer(f.Suppressions, fd); s != nil && fd.Rule != ruleSuppression.ID {
			fd.Message += " (silenced: " + s.Reason + ")"
			silenced = append(silenced, fd)
			continue
		}
		kept = append(kept, fd)
	}
	return kept, silenced
}

// silencer returns the suppression that silences fd, or nil.
func silencer(sups []family.Suppression, fd diag.Finding) *family.Suppression {
	for i, s := range sups {
		if s.Rule == fd.Rule && s.Reason != "" && s.Pos.File == fd.Pos.File &&
			(fd.Pos.Line == s.Pos.Line || fd.Pos.Line == s.Pos.Line+1) {
			return &sups[i]
		}
	}
	return nil
}
