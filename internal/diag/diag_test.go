package diag

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSort(t *testing.T) {
	f := func(file string, line, col int, rule, msg string) Finding {
		return Finding{Pos: Pos{File: file, Line: line, Col: col}, Rule: rule, Message: msg}
	}
	got := Sort([]Finding{
		f("b.cue", 1, 1, "syntax", "x"),
		f("a.cue", 10, 2, "schema", "x"),
		f("a.cue", 2, 9, "schema", "x"),
		f("a.cue", 2, 3, "schema", "y"),
		f("a.cue", 2, 3, "extends", "z"),
		f("a.cue", 2, 3, "schema", "x"),
		f("a.cue", 2, 3, "schema", "x"), // an exact duplicate is dropped
	})
	want := []Finding{
		f("a.cue", 2, 3, "extends", "z"),
		f("a.cue", 2, 3, "schema", "x"),
		f("a.cue", 2, 3, "schema", "y"),
		f("a.cue", 2, 9, "schema", "x"),
		f("a.cue", 10, 2, "schema", "x"),
		f("b.cue", 1, 1, "syntax", "x"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sort (-want +got):\n%s", diff)
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		f    Finding
		want string
	}{
		{
			Finding{Pos: Pos{File: "families/a/b.cue", Line: 41, Col: 10}, Rule: "grade-order", Message: `grade 7 of "Staff" is not above grade 7 of "Senior"`},
			`families/a/b.cue:41:10: grade 7 of "Staff" is not above grade 7 of "Senior" [grade-order]`,
		},
		{
			Finding{Pos: Pos{File: "families/a/b.cue"}, Rule: "file", Message: "family file is a symbolic link"},
			`families/a/b.cue: family file is a symbolic link [file]`,
		},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []Severity{Error, Warning, Info} {
		got, err := ParseSeverity(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error(`ParseSeverity("fatal") succeeded, want an error`)
	}
	if got := Severity(7).String(); got != "severity(7)" {
		t.Errorf("Severity(7).String() = %q", got)
	}
	if !HasErrors([]Finding{{Severity: Warning}, {Severity: Error}}) || HasErrors([]Finding{{Severity: Warning}, {Severity: Info}}) {
		t.Error("HasErrors does not tell errors from warnings")
	}
}
