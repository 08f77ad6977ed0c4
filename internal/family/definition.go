package family

import "cuelang.org/go/cue"

// FamilyDefinition builds the schema and returns its #Family definition,
// for tools that follow the schema's declarations rather than check data
// against it, such as the formatter, which orders fields as the schema
// declares them. The value lives in a CUE context of its own, which is not
// safe for concurrent use.
func (s *Schema) FamilyDefinition() (cue.Value, error) {
	v, err := s.build(newContext())
	if err != nil {
		return cue.Value{}, err
	}
	return v.LookupPath(cue.ParsePath("#Family")), nil
}
