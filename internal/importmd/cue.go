package importmd

import (
	"regexp"
	"strconv"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// famOut is the family as it will be written.
type famOut struct {
	title, description, frontMatter string
	aliases                         []string
	levels                          []*levelOut
	indicators                      []indicator
	ladder                          *ladderOut
	hiring                          *hiringOut
	sections                        []sectionOut
	// levelsIntro and indicatorsIntro are the text under the "Levels"
	// and "Performance Indicators" headings, before the part.
	levelsIntro, indicatorsIntro string
}

// levelOut is one level as it will be written, with what the import needs
// to finish it.
type levelOut struct {
	id, title string
	grade     int
	// track is written only when it is not the policy's default.
	track           string
	intro           string
	extResp, extReq string
	// respIntro and reqIntro are the text between a part's heading and
	// its list.
	respIntro, reqIntro string
	resp, req           []string
	hasResp, hasReq     bool
	sections            []sectionOut

	// What the import needs besides: where the level starts on its page,
	// its page's weight, its "Extends" sentences until they are resolved.
	off             int
	weight          float64
	hasWeight       bool
	respRef, reqRef extendsRef
}

// extendsRef is an "Extends the X ..." sentence waiting for every level of
// the family to be known.
type extendsRef struct {
	name      string
	canonical bool
	set       bool
	d         *doc
	off       int
	// raw is the sentence as written; bullet is set when it was the
	// list's first bullet.
	raw    string
	bullet bool
}

// indicator, ladderOut, hiringOut and sectionOut are the parts of the
// family as they will be written; an empty string is a field left out.
type indicator struct{ title, url string }

type ladderOut struct {
	next []string
	text string
}

type hiringOut struct {
	intro   string
	steps   []string
	ordered bool
	outro   string
}

type sectionOut struct {
	heading    string
	hasHeading bool
	depth      int
	before     string
	body       string
}

// encode writes f as CUE, with the fields in the schema's order, and
// formats it with CUE's formatter.
func encode(f *famOut) ([]byte, error) {
	var decls []ast.Decl
	add := func(name string, v ast.Expr, section bool) {
		fd := field(name, v)
		if section && len(decls) > 0 {
			ast.SetRelPos(fd, token.NewSection)
		}
		decls = append(decls, fd)
	}
	if f.title != "" {
		add("title", str(f.title), false)
	}
	if f.description != "" {
		add("description", str(f.description), false)
	}
	if f.frontMatter != "" {
		add("frontMatter", str(f.frontMatter), false)
	}
	if len(f.aliases) > 0 {
		add("aliases", strList(f.aliases), false)
	}
	if len(f.levels) > 0 {
		var lv []ast.Decl
		for _, l := range f.levels {
			lv = append(lv, field(l.id, level(l)))
		}
		add("levels", structLit(lv), true)
	}
	if f.indicators != nil {
		var pis []ast.Expr
		for _, pi := range f.indicators {
			fs := []ast.Decl{field("title", str(pi.title))}
			if pi.url != "" {
				fs = append(fs, field("url", str(pi.url)))
			}
			var s *ast.StructLit
			if len(fs) == 1 {
				ast.SetRelPos(fs[0], token.Blank)
				s = &ast.StructLit{Lbrace: token.Blank.Pos(), Elts: fs, Rbrace: token.Blank.Pos()}
			} else {
				s = structLit(fs)
			}
			pis = append(pis, s)
		}
		add("performanceIndicators", list(pis), true)
	}
	if l := f.ladder; l != nil {
		var fs []ast.Decl
		if len(l.next) > 0 {
			var next []ast.Expr
			for _, n := range l.next {
				next = append(next, str(n))
			}
			fs = append(fs, field("next", &ast.ListLit{Elts: next}))
		}
		if l.text != "" {
			fs = append(fs, field("text", str(l.text)))
		}
		add("careerLadder", structLit(fs), true)
	}
	if h := f.hiring; h != nil {
		var fs []ast.Decl
		if h.intro != "" {
			fs = append(fs, field("intro", str(h.intro)))
		}
		if len(h.steps) > 0 {
			fs = append(fs, field("steps", strList(h.steps)))
		}
		if h.ordered {
			fs = append(fs, field("ordered", ast.NewBool(true)))
		}
		if h.outro != "" {
			fs = append(fs, field("outro", str(h.outro)))
		}
		add("hiringProcess", structLit(fs), true)
	}
	if f.levelsIntro != "" || f.indicatorsIntro != "" {
		var in []ast.Decl
		if f.levelsIntro != "" {
			in = append(in, field("levels", str(f.levelsIntro)))
		}
		if f.indicatorsIntro != "" {
			in = append(in, field("performanceIndicators", str(f.indicatorsIntro)))
		}
		add("intros", structLit(in), true)
	}
	if len(f.sections) > 0 {
		add("sections", sections(f.sections, 2), true)
	}
	return format.Node(&ast.File{Decls: decls})
}

func level(l *levelOut) ast.Expr {
	var fs []ast.Decl
	if l.title != "" {
		fs = append(fs, field("title", str(l.title)))
	}
	if l.grade != 0 {
		fs = append(fs, field("grade", ast.NewLit(token.INT, strconv.Itoa(l.grade))))
	}
	if l.track != "" {
		fs = append(fs, field("track", str(l.track)))
	}
	if l.intro != "" {
		fs = append(fs, field("intro", str(l.intro)))
	}
	if l.extResp != "" || l.extReq != "" {
		var ext []ast.Decl
		if l.extResp != "" {
			ext = append(ext, field("responsibilities", str(l.extResp)))
		}
		if l.extReq != "" {
			ext = append(ext, field("requirements", str(l.extReq)))
		}
		fs = append(fs, field("extends", structLit(ext)))
	}
	if l.respIntro != "" || l.reqIntro != "" {
		var in []ast.Decl
		if l.respIntro != "" {
			in = append(in, field("responsibilities", str(l.respIntro)))
		}
		if l.reqIntro != "" {
			in = append(in, field("requirements", str(l.reqIntro)))
		}
		fs = append(fs, field("intros", structLit(in)))
	}
	if l.hasResp {
		fs = append(fs, field("responsibilities", strList(l.resp)))
	}
	if l.hasReq {
		fs = append(fs, field("requirements", strList(l.req)))
	}
	if len(l.sections) > 0 {
		fs = append(fs, field("sections", sections(l.sections, 3)))
	}
	return structLit(fs)
}

func sections(ss []sectionOut, defaultDepth int) ast.Expr {
	var out []ast.Expr
	for _, s := range ss {
		var fs []ast.Decl
		if s.hasHeading {
			fs = append(fs, field("heading", str(s.heading)))
			if s.depth != defaultDepth {
				fs = append(fs, field("depth", ast.NewLit(token.INT, strconv.Itoa(s.depth))))
			}
		}
		if s.before != "" {
			fs = append(fs, field("before", str(s.before)))
		}
		if s.body != "" {
			fs = append(fs, field("body", str(s.body)))
		}
		out = append(out, structLit(fs))
	}
	return list(out)
}

// identifier is a label that needs no quotes and is no keyword.
var identifier = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*$`)

var keywords = map[string]bool{"if": true, "for": true, "in": true, "let": true, "true": true, "false": true, "null": true, "import": true, "package": true, "func": true}

func field(name string, v ast.Expr) *ast.Field {
	var label ast.Label
	if identifier.MatchString(name) && !keywords[name] {
		label = ast.NewIdent(name)
	} else {
		label = ast.NewString(name)
	}
	f := &ast.Field{Label: label, Value: v}
	ast.SetRelPos(f, token.Newline)
	return f
}

// str is a string literal; text of several lines becomes a """ block.
func str(s string) ast.Expr {
	return &ast.BasicLit{Kind: token.STRING, Value: literal.String.WithOptionalTabIndent(0).Quote(s)}
}

// structLit is a struct with one field per line.
func structLit(fs []ast.Decl) *ast.StructLit {
	return &ast.StructLit{Lbrace: token.Blank.Pos(), Elts: fs, Rbrace: token.Newline.Pos()}
}

// list is a list with one element per line.
func list(xs []ast.Expr) *ast.ListLit {
	for _, x := range xs {
		ast.SetRelPos(x, token.Newline)
	}
	return &ast.ListLit{Elts: xs, Rbrack: token.Newline.Pos()}
}

func strList(ss []string) *ast.ListLit {
	xs := make([]ast.Expr, len(ss))
	for i, s := range ss {
		xs[i] = str(s)
	}
	return list(xs)
}
