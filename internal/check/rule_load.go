package check

import "github.com/jobfam/jobfam/internal/family"

// The rules below are applied by the loader, before a family exists as a
// model; see package family. They are declared here so that they are
// documented and listed with the others.

var ruleFile = &Rule{
	ID:      family.RuleFile,
	Summary: "a family file cannot be read safely: a link, not a regular file, too large, not UTF-8, or a name that is not a valid family id",
}

var ruleSyntax = &Rule{
	ID:      family.RuleSyntax,
	Summary: "a family file is not valid CUE",
}

var ruleDataOnly = &Rule{
	ID:      family.RuleDataOnly,
	Summary: "a family file holds something other than plain data: an import, attribute, reference, comprehension or other expression",
}

var ruleSchema = &Rule{
	ID:      family.RuleSchema,
	Summary: "a value has the wrong type or is not allowed by the schema: unknown fields, grades outside the scale, unknown tracks",
}
