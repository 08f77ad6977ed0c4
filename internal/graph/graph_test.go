package graph

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
	"github.com/jobfam/jobfam/internal/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadDir loads every family under dir with the repository's schema.
func loadDir(t *testing.T, dir string) ([]*family.Family, *render.Site) {
	t.Helper()
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) > 0 {
		t.Fatalf("loading %s: %v", dir, res.Findings)
	}
	return res.Families, render.NewSite(&s.Policy, res.Families)
}

// loadSrc loads each source as families/<id>.cue of a temporary folder.
func loadSrc(t *testing.T, files map[string]string) ([]*family.Family, *render.Site) {
	t.Helper()
	dir := t.TempDir()
	for id, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(id)+".cue")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := family.LoadSchema(filepath.Join("..", "..", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := family.Load(context.Background(), dir, s)
	if err != nil {
		t.Fatal(err)
	}
	return res.Families, render.NewSite(&s.Policy, res.Families)
}

func draw(t *testing.T, format string, fams []*family.Family, site *render.Site) string {
	t.Helper()
	var b bytes.Buffer
	write := Mermaid
	if format == "dot" {
		write = Dot
	}
	if err := write(&b, fams, site); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestGolden draws the repository's families, both together and the IT
// Program Management Office alone (whose ladder then leads to a family
// that is not drawn: a node with a link to its page). Run "go test
// ./internal/graph -update" to rewrite the files, then read them.
func TestGolden(t *testing.T) {
	all, site := loadDir(t, filepath.Join("..", "..", "families"))
	var pmo []*family.Family
	for _, f := range all {
		if f.ID == "finance/it-program-management-office" {
			pmo = append(pmo, f)
		}
	}
	if len(pmo) != 1 {
		t.Fatal("families/finance/it-program-management-office.cue did not load")
	}
	cases := []struct {
		name string
		fams []*family.Family
	}{
		{"finance", all},
		{"it-program-management-office", pmo},
	}
	for _, tc := range cases {
		for _, format := range []string{"mmd", "dot"} {
			t.Run(tc.name+"."+format, func(t *testing.T) {
				got := draw(t, format, tc.fams, site)
				path := filepath.Join("testdata", tc.name+"."+format)
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s differs (-want +got):\n%s", path, diff)
				}
				if again := draw(t, format, tc.fams, site); again != got {
					t.Errorf("a second drawing differs from the first")
				}
			})
		}
	}
}

// TestMermaidStructure checks what the golden file shows, so that a
// regenerated file that reads wrong fails: with no Mermaid renderer
// offline, the structure is tested instead.
func TestMermaidStructure(t *testing.T) {
	fams, site := loadDir(t, filepath.Join("..", "..", "families"))
	got := draw(t, "mmd", fams, site)
	const pmo = "f_finance_it_program_management_office"
	const it = "f_finance_manager_it"
	for _, want := range []string{
		"flowchart BT\n",
		`  subgraph ` + pmo + ` ["IT Program Management Office"]` + "\n",
		`    subgraph t_finance_it_program_management_office_individual ["individual"]` + "\n",
		`      l_finance_it_program_management_office_associate["Associate IT Program Manager<br/>grade 5"]` + "\n",
		// Principal's title holds a comma, which needs no escape.
		`["Principal, IT Program Management<br/>grade 9"]`,
		// The ladder, junior to senior, along each track.
		"      l_finance_it_program_management_office_associate --> l_finance_it_program_management_office_intermediate\n",
		"      l_finance_it_program_management_office_director --> l_finance_it_program_management_office_senior_director\n",
		// Extends, from the extending level to the extended one.
		"    l_finance_it_program_management_office_staff -. extends responsibilities .-> l_finance_it_program_management_office_senior\n",
		"    l_finance_it_program_management_office_principal -. extends .-> l_finance_it_program_management_office_staff\n",
		// The next family is drawn: the arrow goes to its box.
		"  " + pmo + " -->|next| " + it + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the diagram lacks %q", want)
		}
	}
	// Tracks come in the policy's order, and management levels are not
	// in the individual track.
	if i, m := strings.Index(got, "_individual ["), strings.Index(got, "_management ["); i < 0 || m < 0 || i > m {
		t.Errorf("individual track (at %d) not before management track (at %d)", i, m)
	}
	// Subgraphs are balanced.
	opens := strings.Count(got, "subgraph ")
	ends := len(regexp.MustCompile(`(?m)^ *end$`).FindAllString(got, -1))
	if opens != ends || opens != 2+3 {
		t.Errorf("%d subgraphs and %d ends, want 5 of each (2 families, 3 tracks)", opens, ends)
	}
	// Every node id that edges use is declared.
	declared := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^ *(?:subgraph )?([A-Za-z0-9_]+) ?[\[(]`).FindAllStringSubmatch(got, -1) {
		declared[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`(?m)^ *([A-Za-z0-9_]+) (?:-->(?:\|next\|)?|-\. [a-z ]+ \.->) ([A-Za-z0-9_]+)$`).FindAllStringSubmatch(got, -1) {
		for _, id := range m[1:] {
			if !declared[id] {
				t.Errorf("edge %q uses undeclared id %q", m[0], id)
			}
		}
	}

	alone := draw(t, "mmd", fams[:1], site)
	for _, want := range []string{
		`  n_finance_manager_it(["IT Management"])` + "\n",
		"  " + pmo + " -->|next| n_finance_manager_it\n",
		`  click n_finance_manager_it href "https://handbook.gitlab.com/job-families/finance/manager-it/" _blank` + "\n",
	} {
		if !strings.Contains(alone, want) {
			t.Errorf("the diagram of the PMO alone lacks %q:\n%s", want, alone)
		}
	}
}

// TestDotRenders runs Graphviz on the DOT output, when it is installed.
func TestDotRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz's dot is not installed: the DOT output is checked against the golden files only")
	}
	fams, site := loadDir(t, filepath.Join("..", "..", "families"))
	hostile, hsite := loadSrc(t, hostileFamilies)
	for name, src := range map[string]string{
		"finance": draw(t, "dot", fams, site),
		"pmo":     draw(t, "dot", fams[:1], site),
		"hostile": draw(t, "dot", hostile, hsite),
	} {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(src)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s: dot -Tsvg: %v\n%s\n%s", name, err, stderr.String(), src)
			continue
		}
		if stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg warned:\n%s\n%s", name, stderr.String(), src)
		}
		svg := out.String()
		for _, want := range []string{"<svg", "grade"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: the SVG lacks %q", name, want)
			}
		}
		if name == "pmo" && !strings.Contains(svg, `xlink:href="https://handbook.gitlab.com/job-families/finance/manager-it/"`) {
			t.Errorf("pmo: the SVG has no link to the next family's page")
		}
		if name == "hostile" && strings.Contains(svg, `href="javascript`) {
			t.Errorf("hostile: the SVG links to a javascript: URL")
		}
	}
}

// hostileFamilies are families whose text tries to break out of the
// diagram. Their files have schema errors (a multi-line title), which
// the loader reports and still builds a model from, as graph does.
var hostileFamilies = map[string]string{
	"x/evil": `title: "Evil\"]; click x \"javascript:alert(1)\"\n%%{init: {}}%%"
levels: {
	end: {title: "A <img src=x onerror=alert(1)> #quot; & ` + "`md`" + `", grade: 5}
	"a-b": {title: "C:\\N \"q\" }; digraph { x", grade: 6, extends: {responsibilities: "end"}}
}
careerLadder: next: ["javascript:alert(1)", "https://evil.example/\"><script>x</script> ;%%{", "x/missing\"]"]
`,
}

// TestEscaping checks that user text never leaves its label: the only
// quotes in a Mermaid line are the label's own, and DOT strings are
// closed where they should be.
func TestEscaping(t *testing.T) {
	fams, site := loadSrc(t, hostileFamilies)
	if len(fams) != 1 {
		t.Fatalf("loaded %d families, want 1", len(fams))
	}
	mmd := draw(t, "mmd", fams, site)
	golden := filepath.Join("testdata", "hostile.mmd")
	if *update {
		if err := os.WriteFile(golden, []byte(mmd), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(golden); err != nil {
		t.Errorf("%v (run go test -update to create it)", err)
	} else if diff := cmp.Diff(string(want), mmd); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", golden, diff)
	}
	for _, line := range strings.Split(strings.TrimSuffix(mmd, "\n"), "\n") {
		// Each line is one statement from a fixed set of shapes, with
		// labels and URLs that hold no quote, backtick, angle bracket
		// (but the <br/> jobfam writes), "%%" or raw line break.
		ok := regexp.MustCompile(`^(flowchart BT|\s*end|\s*subgraph [A-Za-z0-9_]+ \["[^"]*"\]|\s*[A-Za-z0-9_]+\(?\["[^"]*"\]\)?|\s*[A-Za-z0-9_]+ (-->|-->\|next\||-\. [a-z ]+ \.->) [A-Za-z0-9_]+|\s*click [A-Za-z0-9_]+ href "https?://[^"]*" _blank)$`)
		if !ok.MatchString(line) {
			t.Errorf("unexpected Mermaid line %q", line)
		}
		rest := strings.ReplaceAll(line, "<br/>", "")
		for _, bad := range []string{"<", ">", "`", "%%", "\r"} {
			if strings.Contains(rest, bad) && !(bad == ">" && strings.Contains(rest, "->")) {
				t.Errorf("Mermaid line %q holds %q", line, bad)
			}
		}
	}
	for _, want := range []string{
		`["Evil#quot;#93;#59; click x #quot;javascript:alert#40;1#41;#quot; #37;#37;#123;init: #123;#125;#125;#37;#37;"]`,
		`l_x_evil_end["A #lt;img src=x onerror=alert#40;1#41;#gt; #35;quot#59; #amp; #96;md#96;<br/>grade 5"]`,
		// A URL that is not http or https is a label, never a link.
		`(["javascript:alert#40;1#41;"])`,
		` href "https://evil.example/%22%3E%3Cscript%3Ex%3C/script%3E%20%3B%25%25%7B" _blank`,
		// A ladder entry that is neither a URL nor a family id is shown,
		// not linked.
		`  n_x_missing__(["x/missing#quot;#93;"])`,
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("the Mermaid diagram lacks %s:\n%s", want, mmd)
		}
	}
	if strings.Contains(mmd, `href "javascript`) || strings.Contains(mmd, "click n_x_missing") || strings.Contains(mmd, "click n_javascript") {
		t.Errorf("the Mermaid diagram links to a javascript: URL:\n%s", mmd)
	}

	dot := draw(t, "dot", fams, site)
	for _, want := range []string{
		`label="Evil\"]; click x \"javascript:alert(1)\" %%{init: {}}%%";`,
		`l_x_evil_a_b [label="C:\\N \"q\" }; digraph { x\ngrade 6"];`,
		`URL="https://evil.example/%22%3E%3Cscript%3Ex%3C/script%3E%20%3B%25%25%7B"`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("the DOT graph lacks %s:\n%s", want, dot)
		}
	}
	if strings.Contains(dot, `URL="javascript`) {
		t.Errorf("the DOT graph links to a javascript: URL:\n%s", dot)
	}
}

func TestMermaidText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Senior Manager, IT", "Senior Manager, IT"},
		{`say "hi"`, "say #quot;hi#quot;"},
		{"a#b;c", "a#35;b#59;c"},
		{"<b>", "#lt;b#gt;"},
		{"[x](y){z}|", "#91;x#93;#40;y#41;#123;z#125;#124;"},
		{"line\nbreak\r\n\ttab", "line break tab"},
		{"`code`", "#96;code#96;"},
		{"%%{init}%%", "#37;#37;#123;init#125;#37;#37;"},
		{"Développeur·euse", "Développeur#183;euse"},
		{"a\\b", "a#92;b"},
	} {
		if got := mermaidText(tc.in); got != tc.want {
			t.Errorf("mermaidText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDotEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Senior Manager, IT", "Senior Manager, IT"},
		{`say "hi"`, `say \"hi\"`},
		{`a\"; x`, `a\\\"; x`},
		{`\N\l`, `\\N\\l`},
		{"two\nlines", "two lines"},
	} {
		if got := dotEscape(tc.in); got != tc.want {
			t.Errorf("dotEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://handbook.gitlab.com/job-families/finance/manager-it/", "https://handbook.gitlab.com/job-families/finance/manager-it/"},
		{"HTTP://x.example/a?b=c&d=e#f", "HTTP://x.example/a?b=c&d=e#f"},
		{"https://x.example/a b\"c", "https://x.example/a%20b%22c"},
		{"https://x.example/%41%zz", "https://x.example/%41%25zz"},
		{"https://x.example/ü", "https://x.example/%C3%BC"},
		{"javascript:alert(1)", ""},
		{" https://x.example/", ""},
		{"data:text/html,x", ""},
		{"finance/manager-it", ""},
	} {
		if got := safeURL(tc.in); got != tc.want {
			t.Errorf("safeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestIDs checks that the namer gives every thing its own id, however its
// parts sanitize, and the same id when asked again.
func TestIDs(t *testing.T) {
	n := newNamer()
	type q struct {
		kind  string
		parts []string
	}
	asks := []q{
		{"l", []string{"a-b/c", "d"}},
		{"l", []string{"a/b-c", "d"}},
		{"l", []string{"a_b_c", "d"}},
		{"l", []string{"a", "b_c_d"}},
		{"l", []string{"a_b_c_d_2"}},
		{"f", []string{"end"}},
		{"t", []string{"a-b/c", "d"}},
		{"n", []string{"https://x.example/"}},
		{"n", []string{"ü"}},
		{"n", []string{"é"}},
	}
	want := []string{
		"l_a_b_c_d",
		"l_a_b_c_d_2",
		"l_a_b_c_d_3",
		"l_a_b_c_d_4",
		"l_a_b_c_d_2_2",
		"f_end",
		"t_a_b_c_d",
		"n_https___x_example_",
		"n__",
		"n___2",
	}
	var got []string
	for _, a := range asks {
		got = append(got, n.id(a.kind, a.parts...))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	for i, a := range asks {
		if id := n.id(a.kind, a.parts...); id != want[i] {
			t.Errorf("asked again, %v gets %q, want %q", a, id, want[i])
		}
	}
}

// TestCollidingFamilies draws two families whose ids sanitize alike: each
// keeps its own nodes.
func TestCollidingFamilies(t *testing.T) {
	const src = `title: "%s"
levels: { senior: {title: "Senior", grade: 7} }
`
	fams, site := loadSrc(t, map[string]string{
		"a-b/c": strings.Replace(src, "%s", "First", 1),
		"a/b-c": strings.Replace(src, "%s", "Second", 1),
	})
	if len(fams) != 2 {
		t.Fatalf("loaded %d families, want 2", len(fams))
	}
	got := draw(t, "mmd", fams, site)
	for _, want := range []string{
		`subgraph f_a_b_c ["First"]`,
		`l_a_b_c_senior["Senior<br/>grade 7"]`,
		`subgraph f_a_b_c_2 ["Second"]`,
		`l_a_b_c_senior_2["Senior<br/>grade 7"]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the diagram lacks %q:\n%s", want, got)
		}
	}
}

// TestEdgeCases covers families the validator would reject, which graph
// still draws: no levels, no title, an extends naming no level, a track
// outside the policy, a ladder to itself and to the same family twice.
func TestEdgeCases(t *testing.T) {
	fams, site := loadSrc(t, map[string]string{
		"d/empty": `careerLadder: next: ["d/odd", "d/odd", "d/empty"]` + "\n",
		"d/odd": `title: "Odd"
levels: {
	b: {grade: 6, track: "exec"}
	a: {title: "A", extends: {responsibilities: "nope"}}
}
careerLadder: next: ["https://handbook.gitlab.com/job-families/d/empty/", "https://elsewhere.example/x"]
`,
	})
	mmd := draw(t, "mmd", fams, site)
	want := `flowchart BT
  f_d_empty["d/empty"]
  subgraph f_d_odd ["Odd"]
    subgraph t_d_odd_individual ["individual"]
      l_d_odd_a["A"]
    end
    subgraph t_d_odd_exec ["exec"]
      l_d_odd_b["b<br/>grade 6"]
    end
  end
  n_https___elsewhere_example_x(["https://elsewhere.example/x"])
  f_d_empty -->|next| f_d_odd
  f_d_odd -->|next| f_d_empty
  f_d_odd -->|next| n_https___elsewhere_example_x
  click n_https___elsewhere_example_x href "https://elsewhere.example/x" _blank
`
	if diff := cmp.Diff(want, mmd); diff != "" {
		t.Errorf("Mermaid (-want +got):\n%s", diff)
	}
	dot := draw(t, "dot", fams, site)
	for _, want := range []string{
		`  f_d_empty -> l_d_odd_a [lhead=cluster_f_d_odd, label="next"];`,
		// The most senior level is the highest graded one.
		`  l_d_odd_b -> f_d_empty [ltail=cluster_f_d_odd, label="next"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("the DOT graph lacks %q:\n%s", want, dot)
		}
	}
}
