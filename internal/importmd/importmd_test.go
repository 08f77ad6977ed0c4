package importmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobfam/jobfam/internal/family"
)

const gradeURL = "https://about.gitlab.com/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades"

// page is a test page: front matter with a title, then the Markdown.
func page(title, md string) []byte {
	return []byte("---\ntitle: " + title + "\n---\n\n" + strings.TrimLeft(md, "\n"))
}

// TestVariants imports small pages, one for each way the handbook writes
// a part of a family, and checks the CUE written and the warnings given.
// Every case's family must also validate structurally and keep every
// word of its pages.
func TestVariants(t *testing.T) {
	tests := []struct {
		name  string
		pages []Page
		// cue are snippets the family file must contain, as CUE's
		// formatter writes them.
		cue []string
		// not are snippets it must not contain.
		not []string
		// warnings are parts of the messages that must be reported, in
		// this order; nil means no warning at all.
		warnings []string
		// lost are the words a reported normalisation drops.
		lost []string
	}{
		{
			name: "levels as ## headings under ## Levels",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Levels

## Associate Program Manager

The Associate Program Manager is a [grade 5](`+gradeURL+`).

### Associate Program Manager Responsibilities

- Plans projects.

### Associate Program Manager Requirements

- Knows planning.
`)}},
			cue: []string{`levels: {
	associate: {
		title: "Associate Program Manager"
		grade: 5
		responsibilities: [
			"Plans projects.",
		]
		requirements: [
			"Knows planning.",
		]
	}
}`},
			warnings: nil,
		},
		{
			name: "text under the Levels heading is the levels' intro",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Levels

Each level builds on the one before.

## Program Manager

The Program Manager is a [grade 6](`+gradeURL+`).
`)}},
			cue: []string{`intros: {
	levels: "Each level builds on the one before."
}`},
			not:      []string{"sections:"},
			warnings: nil,
		},
		{
			name: "levels as ### with Job Grade and #### parts",
			pages: []Page{{Path: "alliances/tpm.md", Src: page("TPM", `
## Levels

### Senior Partner Manager

The Senior Partner Manager reports to the VP.

#### Senior Partner Manager Job Grade

The Senior Partner Manager is a [grade 7](/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades).

#### Responsibilities

- Leads partners.

#### Requirements

1. Partnering.
`)}},
			cue: []string{`senior: {
		title: "Senior Partner Manager"
		grade: 7
		intro: "The Senior Partner Manager reports to the VP."
		responsibilities: [
			"Leads partners.",
		]
		requirements: [
			"Partnering.",
		]`},
			warnings: []string{
				`level heading "Senior Partner Manager" is a level-3 heading`,
				`heading "Senior Partner Manager Job Grade" dropped`,
				`grade sentence has link to "/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades"`,
				`responsibilities heading "#### Responsibilities": jobfam renders "### Senior Partner Manager Responsibilities"`,
				`requirements heading "#### Requirements"`,
				`requirements list is numbered`,
			},
		},
		{
			name: "a page that is one level",
			pages: []Page{{Path: "legal/legal-intern.md", Src: page("Legal Intern", `
The Legal Intern is a grade 4 (/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades).

## Responsibilities

- Drafts memos.

## Requirements

- Studies law.
`)}},
			cue: []string{`levels: {
	intern: {
		title: "Legal Intern"
		grade: 4
		responsibilities: [`},
			warnings: []string{
				`page is one level, "Legal Intern"`,
				`grade sentence has link to "/handbook/`,
				`grade sentence "The Legal Intern is a grade 4 (/handbook/total-rewards/compensation/compensation-calculator/#gitlab-job-grades)." is worded differently`,
				`responsibilities heading "## Responsibilities": jobfam renders "### Legal Intern Responsibilities"`,
				`requirements heading "## Requirements"`,
			},
		},
		{
			name: "a grade sentence that says more is kept",
			pages: []Page{{Path: "it/architect.md", Src: page("Architect", `
## Staff Architect

The Staff Architect is a [grade 8](`+gradeURL+`) and reports to the IT Director.

### Staff Architect Responsibilities

- Designs.
`)}},
			cue: []string{`grade: 8
		intro: "The Staff Architect is a [grade 8](` + gradeURL + `) and reports to the IT Director."`},
			warnings: []string{
				`page has no "Levels" heading`,
				`grade 8 of "Staff Architect" is in a paragraph that says more`,
			},
		},
		{
			name: "a grade sentence whose words the rendered one would lose is kept",
			pages: []Page{{Path: "finance/audit.md", Src: page("Audit", `
## Audit Principal

The Audit Principal is a [grade 9]({{% ref "compensation-calculator#gitlab-job-grades" %}}).
`)}},
			cue: []string{`grade: 9
		intro: "The Audit Principal is a [grade 9]({{% ref \"compensation-calculator#gitlab-job-grades\" %}})."`},
			warnings: []string{
				`page has no "Levels" heading`,
				`has words the sentence jobfam renders would lose: kept as written, so the page shows the grade twice`,
			},
		},
		{
			name: "a grade outside the policy's grades is text",
			pages: []Page{{Path: "sales/ceo.md", Src: page("CEO", `
## Chief Executive Officer

The Chief Executive Officer is a [grade 20](`+gradeURL+`).

### Chief Executive Officer Responsibilities

- Leads.
`)}},
			cue: []string{`intro: "The Chief Executive Officer is a [grade 20](`},
			not: []string{"grade: 20"},
			warnings: []string{
				`page has no "Levels" heading`,
				`grade 20 of "Chief Executive Officer" is outside the policy's grades 4 to 15`,
			},
		},
		{
			name: "Extends as a sentence and as the first bullet, matched to the best title",
			pages: []Page{{Path: "finance/it-pmo.md", Src: page("IT PMO", `
## Levels

## Senior IT Program Manager

The Senior IT Program Manager is a [grade 7](`+gradeURL+`).

### Senior IT Program Manager Responsibilities

- Runs programs.

## Staff IT Program Manager

The Staff IT Program Manager is a [grade 8](`+gradeURL+`).

### Staff IT Program Manager Responsibilities

Extends the senior IT program manager responsibilities plus:
- Runs portfolios.

### Staff IT Program Manager Requirements

- Extends the Senior IT Program Manager requirements
- Ten years.
`)}},
			cue: []string{`staff: {
		title: "Staff IT Program Manager"
		grade: 8
		extends: {
			responsibilities: "senior"
			requirements:     "senior"
		}
		responsibilities: [
			"Runs portfolios.",
		]
		requirements: [
			"Ten years.",
		]`},
			warnings: []string{
				`"senior IT program manager" read as level "senior" ("Senior IT Program Manager"): jobfam renders "Extends the Senior IT Program Manager responsibilities plus:"`,
				`"Extends the Senior IT Program Manager requirements" is a bullet: jobfam renders "Extends the Senior IT Program Manager requirements plus:" as a line before the bullets`,
			},
		},
		{
			name: "Extends naming a level in words its title lacks is kept as written",
			pages: []Page{{Path: "finance/it-pmo.md", Src: page("IT PMO", `
## Levels

## Senior IT Program Manager

The Senior IT Program Manager is a [grade 7](`+gradeURL+`).

### Senior IT Program Manager Responsibilities

- Runs programs.

## Staff IT Program Manager

The Staff IT Program Manager is a [grade 8](`+gradeURL+`).

### Staff IT Program Manager Responsibilities

Extends the Senior IT Program Management responsibilities plus:
- Runs portfolios.

### Staff IT Program Manager Requirements

- Extends that of the Sr IT Porgram Manager requirements
- Ten years.
`)}},
			cue: []string{`staff: {
		title: "Staff IT Program Manager"
		grade: 8
		intros: {
			responsibilities: "Extends the Senior IT Program Management responsibilities plus:"
		}
		responsibilities: [
			"Runs portfolios.",
		]
		requirements: [
			"Extends that of the Sr IT Porgram Manager requirements",
			"Ten years.",
		]`},
			not: []string{"extends:"},
			warnings: []string{
				`"Extends the Senior IT Program Management responsibilities plus:" reads as level "senior" ("Senior IT Program Manager") but names it with words its title lacks: kept as written, between the heading and the bullets; write "Extends the Senior IT Program Manager responsibilities plus:" to have it modelled`,
				`"Extends that of the Sr IT Porgram Manager requirements" reads as level "senior" ("Senior IT Program Manager") but names it with words its title lacks: kept as a bullet`,
			},
		},
		{
			name: "Extends naming no level is kept as a bullet",
			pages: []Page{{Path: "alliances/tpm.md", Src: page("TPM", `
## Levels

## Associate Partner Manager

The Associate Partner Manager is a [grade 5](`+gradeURL+`).

### Associate Partner Manager Responsibilities

- Partners.

## Partner Manager

The Partner Manager is a [grade 6](`+gradeURL+`).

### Partner Manager Responsibilities

- Extends that of the Junior Partner Manager responsibilities
- Leads.
`)}},
			cue: []string{`responsibilities: [
			"Extends that of the Junior Partner Manager responsibilities",
			"Leads.",
		]`},
			not:      []string{"extends:"},
			warnings: []string{`"Extends that of the Junior Partner Manager responsibilities" names no earlier level of this family: kept as a bullet`},
		},
		{
			name: "text and sub-headings between a part's heading and its list are the part's intro",
			pages: []Page{{Path: "data/analyst.md", Src: page("Data Analyst", `
## Levels

## Data Analyst

The Data Analyst is a [grade 6](`+gradeURL+`).

### Data Analyst Responsibilities

The analyst:

- Analyses.

### Data Analyst Requirements

<!-- reviewed yearly -->

#### Core skills

- SQL.
`)}},
			cue: []string{`intros: {
			responsibilities: "The analyst:"
			requirements: """
				<!-- reviewed yearly -->

				#### Core skills
				"""
		}
		responsibilities: [
			"Analyses.",
		]
		requirements: [
			"SQL.",
		]`},
			not:      []string{"sections:"},
			warnings: nil,
		},
		{
			name: "a part with text after its list is kept verbatim, placed before the next part",
			pages: []Page{{Path: "data/analyst.md", Src: page("Data Analyst", `
## Levels

## Data Analyst

The Data Analyst is a [grade 6](`+gradeURL+`).

### Data Analyst Responsibilities

- Analyses.

Reports go to the lead.

### Data Analyst Requirements

- SQL.
`)}},
			cue: []string{`sections: [
			{
				heading: "Data Analyst Responsibilities"
				before:  "requirements"
				body: """
					- Analyses.

					Reports go to the lead.
					"""
			},
		]`},
			warnings: []string{
				`responsibilities of "Data Analyst" kept verbatim in a section: its text is not one list`,
			},
		},
		{
			name: "specialties are kept verbatim, never read as levels",
			pages: []Page{{Path: "it/manager-it.md", Src: page("IT Management", `
## Levels

## Manager, IT

The Manager, IT is a [grade 8](`+gradeURL+`).

### Manager, IT Responsibilities

- Manages.

## Specialties

### Manager, IT (Engineering)

#### Manager, IT (Engineering) Responsibilities

- Engineers.

## Performance Indicators

- [Uptime](https://example.com/uptime)
`)}},
			cue: []string{`manager: {
		title: "Manager, IT"
		grade: 8
		track: "management"`, `sections: [
	{
		heading: "Specialties"
		before:  "performanceIndicators"
	},
	{
		heading: "Manager, IT (Engineering)"
		depth:   3
		before:  "performanceIndicators"
	},
	{
		heading: "Manager, IT (Engineering) Responsibilities"
		depth:   4
		before:  "performanceIndicators"
		body:    "- Engineers."
	},
]`},
			not: []string{`"manager-it-engineering"`},
			warnings: []string{
				`heading "Specialties" kept verbatim in a section of the family`,
				`heading "Manager, IT (Engineering)" kept verbatim`,
				`heading "Manager, IT (Engineering) Responsibilities" kept verbatim`,
			},
		},
		{
			name: "performance indicators with and without links, under a sub-heading",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Performance Indicators

### Performance Indicators (PI)

- [Efficiency](https://example.com/metrics#efficiency)
- On-time delivery
- [Spend](/handbook/finance/spend/)
`)}},
			cue: []string{`performanceIndicators: [
	{
		title: "Efficiency"
		url:   "https://example.com/metrics#efficiency"
	},
	{title: "On-time delivery"},
	{
		title: "Spend"
		url:   "https://handbook.gitlab.com/handbook/finance/spend/"
	},
]`},
			warnings: []string{
				`indicator link "/handbook/finance/spend/" is site-relative: written as "https://handbook.gitlab.com/handbook/finance/spend/"`,
			},
		},
		{
			name: "performance indicators under a sub-heading with words of its own, after a sentence",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Performance Indicators

We review these each quarter.

### Key Performance Indicators

- On-time delivery
`)}},
			cue: []string{`performanceIndicators: [
	{title: "On-time delivery"},
]`, `intros: {
	performanceIndicators: """
		We review these each quarter.

		### Key Performance Indicators
		"""
}`},
			not:      []string{"sections:"},
			warnings: nil,
		},
		{
			name: "performance indicators under a heading with more words are kept",
			pages: []Page{{Path: "it/desk.md", Src: page("Service Desk", `
## Performance Indicators (PI)

- Tickets closed
`)}},
			cue: []string{`sections: [
	{
		heading: "Performance Indicators (PI)"
		body:    "- Tickets closed"
	},
]`},
			not:      []string{"performanceIndicators:"},
			warnings: []string{`performance indicators kept verbatim in a section: the heading "Performance Indicators (PI)" has words the heading jobfam renders would lose; rename it "Performance Indicators"`},
		},
		{
			name: "an indicator with more than a link keeps the list verbatim",
			pages: []Page{{Path: "alliances/tpm.md", Src: page("TPM", `
## Performance Indicators

- [SMAU](https://example.com/smau) deal acceleration
`)}},
			cue:      []string{`heading: "Performance Indicators"`},
			warnings: []string{`performance indicators kept verbatim in a section: an item has a link and more text`},
		},
		{
			name: "career ladder text and the job families it links to",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Career Ladder

Move to [IT Management](https://handbook.gitlab.com/job-families/finance/manager-it/) or [Data](/job-families/marketing/enterprise-data/data-analyst/#senior), not [Audit](/job-families/finance/Audit-Principal/) or [the handbook](/handbook/).
`)}},
			cue: []string{`careerLadder: {
	next: ["finance/manager-it", "marketing/enterprise-data/data-analyst"]
	text: "Move to [IT Management](https://handbook.gitlab.com/job-families/finance/manager-it/) or [Data](/job-families/marketing/enterprise-data/data-analyst/#senior), not [Audit](/job-families/finance/Audit-Principal/) or [the handbook](/handbook/)."
}`},
		},
		{
			name: "hiring process with intro, numbered steps and outro",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Hiring Process

Candidates can expect:

1. A screening call
1. An interview
   with the manager

See the [hiring page](/handbook/hiring/).
`)}},
			cue: []string{`hiringProcess: {
	intro: "Candidates can expect:"
	steps: [
		"A screening call",
		"""
			An interview
			with the manager
			""",
	]
	ordered: true
	outro:   "See the [hiring page](/handbook/hiring/)."
}`},
		},
		{
			name: "hiring process and career ladder with sub-headings",
			pages: []Page{{Path: "finance/pmo.md", Src: page("PMO", `
## Career Ladder

### Moving up

Planners become [leads](/job-families/finance/leads/).

## Hiring Process

### Stages

- A screening call
- An interview

### Afterwards

Offers go out within a week.
`)}},
			cue: []string{`careerLadder: {
	next: ["finance/leads"]
	text: """
		### Moving up

		Planners become [leads](/job-families/finance/leads/).
		"""
}`, `hiringProcess: {
	intro: "### Stages"
	steps: [
		"A screening call",
		"An interview",
	]
}`, `sections: [
	{
		heading: "Afterwards"
		depth:   3
		body:    "Offers go out within a week."
	},
]`},
			warnings: []string{`heading "Afterwards" kept verbatim in a section of the family`},
		},
		{
			name: "tracks: managers, directors and VPs in the management pattern, an IC program manager not",
			pages: []Page{{Path: "finance/pm.md", Src: page("PM", `
## Program Manager

The Program Manager is a [grade 6](`+gradeURL+`).

## Senior Manager, Programs

The Senior Manager, Programs is a [grade 9](`+gradeURL+`).

## Director of Programs

The Director of Programs is a [grade 10](`+gradeURL+`).

## VP, Programs

The VP, Programs is a [grade 12](`+gradeURL+`).
`)}},
			cue: []string{`intermediate: {
		title: "Program Manager"
		grade: 6
	}
	"senior-manager": {
		title: "Senior Manager, Programs"
		grade: 9
		track: "management"
	}
	director: {
		title: "Director of Programs"
		grade: 10
		track: "management"
	}
	vp: {
		title: "VP, Programs"
		grade: 12
		track: "management"
	}`},
			warnings: []string{`page has no "Levels" heading`},
		},
		{
			name: "levels whose seniority words collide are named by their titles",
			pages: []Page{{Path: "it/apps.md", Src: page("Applications", `
## Director, CRM Systems

The Director, CRM Systems is a [grade 10](`+gradeURL+`).

## Director, Enterprise Applications

The Director, Enterprise Applications is a [grade 10](`+gradeURL+`).
`)}},
			cue:      []string{`"director-crm-systems": {`, `"director-enterprise-applications": {`},
			warnings: []string{`page has no "Levels" heading`},
		},
		{
			name: "raw HTML, shortcodes and a level-1 heading are kept as written",
			pages: []Page{{Path: "eng/fe.md", Src: page("Frontend", `
# Frontend Engineer

{{< section-inline-toc >}}

<a id="requirements"></a>

<details>
<summary>More</summary>

Text.
</details>
`)}},
			cue: []string{`sections: [
	{
		body: """
			# Frontend Engineer

			{{< section-inline-toc >}}

			<a id="requirements"></a>

			<details>
			<summary>More</summary>

			Text.
			</details>
			"""
	},
]`},
			warnings: []string{`heading "Frontend Engineer" kept verbatim in a section of the family`},
		},
		{
			name: "front matter: quoted values, other keys verbatim, a description of two lines kept",
			pages: []Page{{Path: "sales/renewals.md", Src: []byte(`---
title: "Renewals"
weight: 3
description: |
  The renewals team
  keeps customers.
extra_js:
- libs/mermaid.min.js
---

Text.
`)}},
			cue: []string{`title: "Renewals"
frontMatter: """
	weight: 3
	description: |
	  The renewals team
	  keeps customers.
	extra_js:
	- libs/mermaid.min.js
	"""`},
			not: []string{"\ndescription:"},
			warnings: []string{
				`front matter description is not a single line of text: kept as written in frontMatter`,
				`text before the first heading kept verbatim in a section of the family`,
			},
		},
		{
			name: "a level page's description goes to the start of the level's intro",
			pages: []Page{
				{Path: "data/analysts/_index.md", Src: page("Analysts", "\n## Career Ladder\n\nNot yet defined.\n")},
				{Path: "data/analysts/senior.md", Src: []byte("---\ntitle: Senior Analyst\ndescription: Seniors own the quarterly forecast.\n---\n\nSeniors report to the lead.\n\n### Job Grade\n\nThe Senior Analyst is a [grade 7](" + gradeURL + ").\n")},
			},
			cue: []string{`intro: """
			Seniors own the quarterly forecast.

			Seniors report to the lead.
			"""`},
			warnings: []string{
				`front matter description of a level page moved to the start of the level's intro`,
				`heading "Job Grade" dropped`,
			},
		},
		{
			name: "a level page's description that its first paragraph repeats word for word is dropped",
			pages: []Page{
				{Path: "data/analysts/_index.md", Src: page("Analysts", "\n## Career Ladder\n\nNot yet defined.\n")},
				{Path: "data/analysts/senior.md", Src: []byte("---\ntitle: Senior Analyst\ndescription: \"Seniors own the quarterly forecast.\"\n---\n\nSeniors own the *quarterly* forecast.\n")},
			},
			cue: []string{`intro: "Seniors own the *quarterly* forecast."`},
			warnings: []string{
				`front matter description of a level page is the level's first paragraph, word for word: dropped, the paragraph stays`,
			},
		},
		{
			name: "a level page's description one word away from its first paragraph is kept with it",
			pages: []Page{
				{Path: "data/analysts/_index.md", Src: page("Analysts", "\n## Career Ladder\n\nNot yet defined.\n")},
				{Path: "data/analysts/senior.md", Src: []byte("---\ntitle: Senior Analyst\ndescription: Seniors own the yearly forecast.\n---\n\nSeniors own the quarterly forecast.\n")},
			},
			cue: []string{`intro: """
			Seniors own the yearly forecast.

			Seniors own the quarterly forecast.
			"""`},
			warnings: []string{`front matter description of a level page moved to the start of the level's intro`},
		},
		{
			name:     "a family's description one word away from its first paragraph is kept with it",
			pages:    []Page{{Path: "data/analysts.md", Src: []byte("---\ntitle: Analysts\ndescription: Analysts turn data into decisions.\n---\n\nAnalysts turn numbers into decisions.\n")}},
			cue:      []string{`description: "Analysts turn data into decisions."`, `body: "Analysts turn numbers into decisions."`},
			warnings: []string{`text before the first heading kept verbatim in a section of the family`},
		},
		{
			name: "a folder family: index page and level pages ordered by weight",
			pages: []Page{
				{Path: "alliances/tpm/_index.md", Src: page("Technology Partner Manager", `
## Career Ladder

Not yet defined.
`)},
				{Path: "alliances/tpm/senior.md", Src: []byte("---\ntitle: Senior Technology Partner Manager\nweight: 30\n---\n\n### Job Grade\n\nThe Senior Technology Partner Manager is a [grade 7](" + gradeURL + ").\n\n### Responsibilities\n\nExtends that of the Technology Partner Manager responsibilities\n\n- Leads.\n")},
				{Path: "alliances/tpm/intermediate.md", Src: []byte("---\ntitle: Technology Partner Manager\nweight: 20\n---\n\nThe Technology Partner Manager reports to the manager.\n\n### Job Grade\n\nThe Technology Partner Manager is a [grade 6](" + gradeURL + ").\n")},
			},
			cue: []string{`title: "Technology Partner Manager"

levels: {
	intermediate: {
		title: "Technology Partner Manager"
		grade: 6
		intro: "The Technology Partner Manager reports to the manager."
	}
	senior: {
		title: "Senior Technology Partner Manager"
		grade: 7
		extends: {
			responsibilities: "intermediate"
		}
		responsibilities: [
			"Leads.",
		]
	}
}`},
			warnings: []string{
				`"weight: 30" orders the level`,
				`heading "Job Grade" dropped`,
				`responsibilities heading "### Responsibilities": jobfam renders "### Senior Technology Partner Manager Responsibilities"`,
				`extends sentence for "Technology Partner Manager" is worded differently: jobfam renders "Extends the Technology Partner Manager responsibilities plus:"`,
				`"weight: 20" orders the level`,
				`heading "Job Grade" dropped`,
			},
			lost: []string{"that", "of"},
		},
	}
	p := policy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Import(tt.pages, p)
			if err != nil {
				t.Fatal(err)
			}
			got := trimLines(string(res.CUE))
			for _, want := range tt.cue {
				if !strings.Contains(got, trimLines(want)) {
					t.Errorf("family lacks\n%s\n\ngot:\n%s", want, got)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(got, not) {
					t.Errorf("family has %q; got:\n%s", not, got)
				}
			}
			var msgs []string
			for _, w := range res.Report.Warnings {
				msgs = append(msgs, w.Message)
			}
			checkWarnings(t, tt.warnings, msgs)
			checkFamily(t, res, tt.pages, p, tt.lost)
		})
	}
}

// trimLines removes the blanks at the end of every line: CUE's formatter
// indents the empty lines of a multi-line string.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// checkWarnings checks that each of want is part of a message of got, in
// order; with want nil, got must be empty.
func checkWarnings(t *testing.T, want, got []string) {
	t.Helper()
	if want == nil {
		if len(got) > 0 {
			t.Errorf("warnings:\n%s\nwant none", strings.Join(got, "\n"))
		}
		return
	}
	i := 0
	for _, w := range want {
		j := slices.IndexFunc(got[i:], func(m string) bool { return strings.Contains(m, w) })
		if j < 0 {
			t.Errorf("no warning %q after the first %d; warnings:\n%s", w, i, strings.Join(got, "\n"))
			return
		}
		i += j + 1
	}
}

// checkFamily checks what every import must give: a family that validates
// structurally and holds every word of its pages.
func checkFamily(t *testing.T, res *Result, pages []Page, p *family.Policy, lost []string) {
	t.Helper()
	have, err := cueWords(res.CUE, p)
	if err != nil {
		t.Fatalf("family does not compile: %v\n%s", err, res.CUE)
	}
	for _, w := range lost {
		have[w] = true
	}
	for _, pg := range pages {
		if lost := missingWords(contentWords(pg.Src, len(pages) > 1 && !IsIndex(pg.Path)), have); len(lost) > 0 {
			t.Errorf("%s: words lost: %v", pg.Path, lost)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, filepath.FromSlash(res.ID)+".cue")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, res.CUE, 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := family.LoadSchema("")
	if err != nil {
		t.Fatal(err)
	}
	structural, _, rendered := validate(t, dir, s)
	if f := structural[res.ID]; f != "" {
		t.Errorf("structural findings: %s\n%s", f, res.CUE)
	}
	// Every occurrence of every word must be on the rendered page too,
	// but for the boilerplate jobfam writes in its own words.
	var short []string
	for _, w := range lostOccurrences(pages, rendered[res.ID]) {
		if !slices.Contains(lost, w) {
			short = append(short, w)
		}
	}
	if len(short) > 0 {
		t.Errorf("the rendered page has fewer occurrences of %v:\n%s", short, rendered[res.ID])
	}
}

func TestSuggestID(t *testing.T) {
	tests := []struct {
		paths []string
		want  string
	}{
		{[]string{"corpus/finance/it-program-management-office.md"}, "finance/it-program-management-office"},
		{[]string{"finance/Audit-Principal,-IT-and-Security.md"}, "finance/audit-principal-it-and-security"},
		{[]string{"marketing/field-cto.mb"}, "marketing/field-cto"},
		{[]string{"a/alliances/technology-partner-manager/_index.md", "a/alliances/technology-partner-manager/senior.md"}, "alliances/technology-partner-manager"},
		{[]string{"sales/professional-services-program-manager/index.md"}, "sales/professional-services-program-manager"},
		{[]string{"page.md"}, "imported/page"},
	}
	for _, tt := range tests {
		if got := SuggestID(tt.paths...); got != tt.want {
			t.Errorf("SuggestID(%v) = %q, want %q", tt.paths, got, tt.want)
		}
	}
}

func TestSeniority(t *testing.T) {
	tests := []struct {
		title      string
		id         string
		management bool
	}{
		{"Associate IT Program Manager", "associate", false},
		{"IT Program Manager", "intermediate", false},
		{"Technology Partner Manager (Intermediate)", "intermediate", false},
		{"Senior IT Program Manager", "senior", false},
		{"Sr. Data Analyst", "senior", false},
		{"Staff IT Program Manager", "staff", false},
		{"Principal, IT Program Management", "principal", false},
		{"Distinguished Engineer", "distinguished", false},
		{"Engineering Fellow", "fellow", false},
		{"Manager, IT Program Management", "manager", true},
		{"Senior Manager, IT Program Management", "senior-manager", true},
		{"Engineering Manager, Create", "manager", true},
		{"Director, IT Program Management", "director", true},
		{"Senior Director, IT Program Management", "senior-director", true},
		{"VP of Development", "vp", true},
		{"Vice President, Legal", "vp", true},
		{"Executive VP of Engineering", "executive-vp", true},
		{"Chief Legal Officer", "chief", true},
		{"Chief of Staff to the CEO", "chief-of-staff", false},
		{"Head of Remote", "head", true},
		{"Legal Intern", "intern", false},
	}
	for _, tt := range tests {
		id, mgmt := seniority(tt.title)
		if id != tt.id || mgmt != tt.management {
			t.Errorf("seniority(%q) = %q, %v; want %q, %v", tt.title, id, mgmt, tt.id, tt.management)
		}
	}
}

func TestParseGrade(t *testing.T) {
	tests := []struct {
		text string
		want gradeSentence
		ok   bool
	}{
		{"The Senior X is a [grade 7](https://g/).", gradeSentence{name: "Senior X", n: 7, url: "https://g/", link: true, whole: true, canonical: true}, true},
		{"The Senior X is a [Grade 7](/g/)", gradeSentence{name: "Senior X", n: 7, url: "/g/", link: true, whole: true}, true},
		{"The Legal Intern is a grade 4 (/g/).", gradeSentence{name: "Legal Intern", n: 4, url: "/g/", whole: true}, true},
		{"The Junior Analyst is a grade 5. (/g/).", gradeSentence{name: "Junior Analyst", n: 5, url: "/g/", whole: true}, true},
		{"This position is a job [grade 8](/g/)", gradeSentence{name: "position", n: 8, url: "/g/", link: true, whole: true}, true},
		{"The X is a [grade 9]({{< ref \"compensation-calculator#gitlab-job-grades\" >}}).", gradeSentence{name: "X", n: 9, url: "{{< ref \"compensation-calculator#gitlab-job-grades\" >}}", link: true, whole: true, canonical: true}, true},
		{"The X is a [grade 7](/g/) role.", gradeSentence{name: "X", n: 7, url: "/g/", link: true, whole: true}, true},
		{"The X is a [grade 8](/g/) and reports to Y.", gradeSentence{n: 8, url: "/g/", link: true}, true},
		{"grade 5 and grade 6", gradeSentence{}, false},
		{"No grade here.", gradeSentence{}, false},
	}
	for _, tt := range tests {
		got, ok := parseGrade(tt.text)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseGrade(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBestMatch(t *testing.T) {
	titles := []string{"Associate IT Program Manager", "IT Program Manager", "Senior IT Program Manager", "Staff IT Program Manager", "Principal, IT Program Management"}
	tests := []struct {
		name string
		want int
	}{
		{"Staff IT Program Management", 3},
		{"Senior IT Program Management", 2},
		{"IT Program Manager", 1},
		{"Junior IT Program Manager", -1},
		{"all the previous roles", -1},
	}
	for _, tt := range tests {
		if got := bestMatch(tt.name, titles); got != tt.want {
			t.Errorf("bestMatch(%q) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		heading string
		kind    kind
		prefix  string
	}{
		{"Levels", kindLevels, ""},
		{"Levels for Site Reliability Engineer", kindLevels, ""},
		{"Senior IT Program Manager Responsibilities", kindResponsibilities, "Senior IT Program Manager"},
		{"Director of Compliance: Requirements", kindRequirements, "Director of Compliance"},
		{"Responsibilites", kindResponsibilities, ""},
		{"Nice-to-have Requirements", kindOther, ""},
		{"Responsibilities for IT Security Engineer roles", kindResponsibilities, ""},
		{"Associate Technology Partner Manager Job Grade", kindGrade, "Associate Technology Partner Manager"},
		{"Job Grade", kindGrade, ""},
		{"Performance Indicators (PI)", kindIndicators, ""},
		{"Career Ladder", kindLadder, ""},
		{"Hiring Process", kindHiring, ""},
		{"Specialties", kindSpecialties, ""},
		{"Team Specialties", kindSpecialties, ""},
		{"What it's like to work here", kindOther, ""},
	}
	for _, tt := range tests {
		k, prefix, _ := classify(tt.heading)
		if diff := cmp.Diff([]string{tt.kind.String(), tt.prefix}, []string{k.String(), prefix}); diff != "" {
			t.Errorf("classify(%q) (-want +got):\n%s", tt.heading, diff)
		}
	}
}

// TestInput checks what Import refuses.
func TestInput(t *testing.T) {
	p := policy(t)
	if _, err := Import([]Page{{Path: "x.md", Src: []byte("ok\xff")}}, p); err == nil || !strings.Contains(err.Error(), "x.md:1:3: page is not valid UTF-8") {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
	if _, err := Import([]Page{{Path: "a/b.md"}, {Path: "a/c.md"}}, p); err == nil || !strings.Contains(err.Error(), "_index.md") {
		t.Errorf("several pages without an index: err = %v", err)
	}
	if _, err := Import(nil, p); err == nil {
		t.Error("no pages: no error")
	}
	// A byte-order mark and CRLF line endings read as usual.
	res, err := Import([]Page{{Path: "a/b.md", Src: []byte("\uFEFF---\r\ntitle: B\r\n---\r\n\r\n## Hiring Process\r\n\r\n- Call\r\n")}}, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "title: \"B\"\n\nhiringProcess: {\n\tsteps: [\n\t\t\"Call\",\n\t]\n}\n"; string(res.CUE) != want {
		t.Errorf("got\n%s\nwant\n%s", res.CUE, want)
	}
}

// TestKeepsEveryWord imports pages of the kinds that real handbook pages
// come in and checks only that every occurrence of every word survives
// import and render, however the importer models the page.
func TestKeepsEveryWord(t *testing.T) {
	level := func(body string) string {
		return "## Levels\n\n## Field Analyst\n\nThe Field Analyst is a [grade 6](" + gradeURL + ").\n\n" + body
	}
	tests := []struct {
		name  string
		pages []Page
	}{
		{"link reference definitions after the grade sentence and the list", []Page{{Path: "a/b.md", Src: page("B", level(`[ledger]: https://example.com/ledger-guide

### Field Analyst Responsibilities

- Keeps the [ledger] tidy.

[tidy]: https://example.com/tidy-rules
`))}}},
		{"a thematic break and a table between parts", []Page{{Path: "a/b.md", Src: page("B", level(`### Field Analyst Responsibilities

- Walks sites.

---

| Region | Visits |
| ------ | ------ |
| North  | Weekly |

### Field Analyst Requirements

- Boots.
`))}}},
		{"nested and numbered lists", []Page{{Path: "a/b.md", Src: page("B", level(`### Field Analyst Responsibilities

1. Samples soil
   - clay
   - loam
2. Files reports
`))}}},
		{"shortcodes around a list", []Page{{Path: "a/b.md", Src: page("B", level(`### Field Analyst Responsibilities

{{< details summary="Daily" >}}
- Calibrates gauges.
{{< /details >}}
`))}}},
		{"an empty part and a duplicate part heading", []Page{{Path: "a/b.md", Src: page("B", level(`### Field Analyst Requirements

### Field Analyst Responsibilities

- Measures rainfall.

### Field Analyst Responsibilities

- Measures snowfall.
`))}}},
		{"levels without a grade, at depth 4, under a depth-1 title", []Page{{Path: "a/b.md", Src: page("B", `
# Survey Team

Surveyors map the terrain.

#### Junior Surveyor

##### Junior Surveyor Responsibilities

- Holds the staff.

#### Senior Surveyor

##### Senior Surveyor Responsibilities

- Extends the Junior Surveyors responsibilities
- Reads the level.
`)}}},
		{"text before the first heading and after the last part", []Page{{Path: "a/b.md", Src: page("B", "Opening words here.\n\n"+level(`### Field Analyst Responsibilities

- Counts birds.

## Performance Indicators

- Birds counted

Counted monthly by the team.

## Hiring Process

### Stage one

1. Phone chat

Closing words there.
`))}}},
		{"HTML blocks and comments inside parts", []Page{{Path: "a/b.md", Src: page("B", level(`<div class="note">Seasonal hiring applies.</div>

### Field Analyst Responsibilities

<!-- reviewed by ops -->
- Tags whales.

### Field Analyst Requirements

- Swims.
<details><summary>Why</summary>Whales swim fast.</details>
`))}}},
		{"a level page with lists in its front matter and text before its heading", []Page{
			{Path: "sea/whales/_index.md", Src: page("Whale Watchers", "\n## Career Ladder\n\nOnward to boats.\n")},
			{Path: "sea/whales/senior.md", Src: []byte("---\ntitle: Senior Whale Watcher\nweight: 2\ndescription: Watches the largest whales.\ntags:\n- ocean\n- boats\n---\n\nBinoculars provided.\n\nThe Senior Whale Watcher is a [grade 7](" + gradeURL + ").\n\n## Responsibilities\n\n- Spots spouts.\n")},
		}},
		{"a grade under a heading of its own words and an Extends bullet naming a later level", []Page{{Path: "a/b.md", Src: page("B", `
## Levels

## Junior Ranger

### Pay band and grade

The Junior Ranger is a [grade 5](`+gradeURL+`).

### Junior Ranger Responsibilities

- Extends the Chief Ranger responsibilities
- Patrols trails.

## Chief Ranger

The Chief Ranger is a grade 9.
`)}}},
	}
	p := policy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Import(tt.pages, p)
			if err != nil {
				t.Fatal(err)
			}
			checkFamily(t, res, tt.pages, p, nil)
		})
	}
}
