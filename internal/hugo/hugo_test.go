package hugo

import "testing"

func TestPageURL(t *testing.T) {
	tests := []struct{ rel, want string }{
		{"finance/it-program-management-office.md", "finance/it-program-management-office"},
		{"finance/internal-audit/director-IT-audit.md", "finance/internal-audit/director-it-audit"},
		{"engineering/development/frontend/_index.md", "engineering/development/frontend"},
		{"finance/information-technology/it-entapps-admin/index.md", "finance/information-technology/it-entapps-admin"},
		{"_index.md", ""},
		{"a/Senior Manager (EMEA).md", "a/senior-manager-emea"},
		{"a/b--c  d.md", "a/b-c-d"},
		{"a/-lead-.md", "a/lead"},
		{"a/c++_dev.md", "a/c++_dev"},
		{"a/100%25.md", "a/100%25"},
		{"a/50%.md", "a/50"},
		{"a/Über.md", "a/über"},
		{"./a//b.markdown", "a/b"},
		{`a\b.md`, "a/b"},
	}
	for _, tt := range tests {
		if got := PageURL(tt.rel); got != tt.want {
			t.Errorf("PageURL(%q) = %q, want %q", tt.rel, got, tt.want)
		}
	}
}

func TestIDSegment(t *testing.T) {
	tests := []struct{ seg, want string }{
		{"director-it-audit", "director-it-audit"},
		{"c++_dev", "c-dev"},
		{"über", "ber"},
		{"--", ""},
		{"v2.0", "v2-0"},
	}
	for _, tt := range tests {
		if got := IDSegment(tt.seg); got != tt.want {
			t.Errorf("IDSegment(%q) = %q, want %q", tt.seg, got, tt.want)
		}
	}
}

func TestIsPage(t *testing.T) {
	for name, want := range map[string]bool{"a.md": true, "a.MD": true, "a.markdown": true, "field-cto.mb": false, "README": false, "_index.md": true} {
		if got := IsPage(name); got != want {
			t.Errorf("IsPage(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{"_index.md": true, "x/index.md": true, "indexes.md": false, "index.html": false} {
		if got := IsIndex(name); got != want {
			t.Errorf("IsIndex(%q) = %v, want %v", name, got, want)
		}
	}
}
