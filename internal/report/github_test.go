package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/diag"
)

func TestEscapeData(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain message", "plain message"},
		{"50%", "50%25"},
		{"%0A is not a newline", "%250A is not a newline"},
		{"line one\nline two", "line one%0Aline two"},
		{"crlf\r\n", "crlf%0D%0A"},
		// Data ends the line, so ":" and "," need no escape there.
		{"want min:max, got 5", "want min:max, got 5"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, EscapeData(tt.in)); diff != "" {
			t.Errorf("EscapeData(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestEscapeProperty(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"families/engineering.cue", "families/engineering.cue"},
		{"a:b", "a%3Ab"},
		{"a,b", "a%2Cb"},
		{"50%", "50%25"},
		{"%3A", "%253A"},
		{"x\r\ny", "x%0D%0Ay"},
		{"c:/dir,1/%.cue", "c%3A/dir%2C1/%25.cue"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, EscapeProperty(tt.in)); diff != "" {
			t.Errorf("EscapeProperty(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestGitHubCommand(t *testing.T) {
	tests := []struct {
		name string
		f    diag.Finding
		want string
	}{
		{
			name: "error with position",
			f:    diag.Finding{Pos: diag.Pos{File: "f/a.cue", Line: 3, Col: 7}, Rule: "grade-order", Severity: diag.Error, Message: "m"},
			want: "::error file=f/a.cue,line=3,col=7,title=grade-order::m",
		},
		{
			name: "whole file omits line and col",
			f:    diag.Finding{Pos: diag.Pos{File: "f/a.cue"}, Rule: "data-only", Severity: diag.Error, Message: "m"},
			want: "::error file=f/a.cue,title=data-only::m",
		},
		{
			name: "warning",
			f:    diag.Finding{Pos: diag.Pos{File: "a.cue", Line: 1, Col: 1}, Rule: "r", Severity: diag.Warning, Message: "m"},
			want: "::warning file=a.cue,line=1,col=1,title=r::m",
		},
		{
			name: "info is a notice",
			f:    diag.Finding{Pos: diag.Pos{File: "a.cue", Line: 1, Col: 1}, Rule: "r", Severity: diag.Info, Message: "m"},
			want: "::notice file=a.cue,line=1,col=1,title=r::m",
		},
		{
			name: "unknown column is omitted",
			f:    diag.Finding{Pos: diag.Pos{File: "a.cue", Line: 2}, Rule: "r", Severity: diag.Error, Message: "m"},
			want: "::error file=a.cue,line=2,title=r::m",
		},
		{
			name: "escapes properties and data differently",
			f:    diag.Finding{Pos: diag.Pos{File: "odd,name:1%.cue", Line: 1, Col: 1}, Rule: "r", Severity: diag.Error, Message: "50%, a:b\nnext"},
			want: "::error file=odd%2Cname%3A1%25.cue,line=1,col=1,title=r::50%25, a:b%0Anext",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, githubCommand(tt.f)); diff != "" {
				t.Errorf("githubCommand (-want +got):\n%s", diff)
			}
		})
	}
}
