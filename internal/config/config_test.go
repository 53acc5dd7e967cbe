package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadFull(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Range != "v1.4.0..recette" || cfg.RangeLine != 2 {
		t.Errorf("range = %q line %d", cfg.Range, cfg.RangeLine)
	}
	if len(cfg.Tickets.Patterns) != 2 || cfg.Tickets.Patterns[1].Re.FindStringSubmatch("Ticket 42")[1] != "42" {
		t.Errorf("patterns = %+v", cfg.Tickets.Patterns)
	}
	wantExports := []Export{
		{Path: "tickets.csv", File: filepath.Join("testdata", "tickets.csv"), Format: FormatJiraCSV, Line: 6},
		{Path: "tickets.csv", File: filepath.Join("testdata", "tickets.csv"), Format: FormatCSV, IDColumn: "Key", Line: 8},
	}
	if !reflect.DeepEqual(cfg.Tickets.Exports, wantExports) {
		t.Errorf("exports = %+v\nwant %+v", cfg.Tickets.Exports, wantExports)
	}
	var names []string
	var lines []int
	for _, c := range cfg.Classes {
		names = append(names, c.Name)
		lines = append(lines, c.Line)
	}
	if want := []string{"prod-fix", "recette-fix", "feature", "chore", "prod-fix", "chore", "chore", "prod-fix"}; !reflect.DeepEqual(names, want) {
		t.Errorf("class names = %v", names)
	}
	if want := []int{10, 12, 14, 16, 18, 20, 22, 24}; !reflect.DeepEqual(lines, want) {
		t.Errorf("class lines = %v", lines)
	}
	prod := cfg.Classes[0]
	wantTicket := []FieldMatch{{Field: "type", Values: []string{"Bug"}, Line: 11}, {Field: "Environment", Values: []string{"Production"}, Line: 11}}
	if !reflect.DeepEqual(prod.Ticket, wantTicket) {
		t.Errorf("ticket = %+v", prod.Ticket)
	}
	if got := cfg.Classes[2].Ticket[0].Values; !reflect.DeepEqual(got, []string{"Story", "Improvement", "New Feature"}) {
		t.Errorf("feature values = %v", got)
	}
	if got := cfg.Classes[3].Paths; !reflect.DeepEqual(got, []Glob{{"docs/**", 17}, {"README.md", 17}}) {
		t.Errorf("paths = %+v (a leading ./ is dropped)", got)
	}
	if m := cfg.Classes[4].Message; m == nil || !m.Re.MatchString("HOTFIX: x") || m.Line != 19 {
		t.Errorf("message = %+v", m)
	}
	if a := cfg.Classes[5].Author; a.Literal || !a.Re.MatchString("Renovate[bot] <bot@x>") {
		t.Errorf("regex author = %+v", a)
	}
	if a := cfg.Classes[6].Author; !a.Literal || !a.Re.MatchString("the c++ TEAM <t@x>") || a.Re.MatchString("C team") {
		t.Errorf("literal author = %+v", a)
	}
	if b := cfg.Classes[7]; b.Branch == nil || !b.Branch.Re.MatchString("hotfix/PAY-111") || len(b.Paths) != 1 {
		t.Errorf("branch rule = %+v", b)
	}
	if cfg.Default != "to-triage" {
		t.Errorf("default = %q", cfg.Default)
	}
	wantPlan := &Plan{
		Keep:     []string{"class:prod-fix", "class:recette-fix", "ticket:PAY-120", "commit:3f2a9c1", "rev:24911", "path:src/**", "author:jdoe"},
		Drop:     []string{"class:feature"},
		Strategy: "pull", Onto: "release/1.4", With: []string{"rename", "symbol"}, Line: 29,
	}
	if !reflect.DeepEqual(cfg.Plan, wantPlan) {
		t.Errorf("plan = %+v", cfg.Plan)
	}
	wantGate := &Gate{
		RequireTicket: true, Allow: []string{"prod-fix", "recette-fix"}, AllowRequired: true, Source: "recette",
		DependencySafe: true, MaxRisk: "medium", Line: 35,
		Waivers: []Waiver{
			{Commit: "3f2a9c1", Reason: "approved by release board 2011-02-18", Line: 42},
			{Ticket: "PAY-120", Reason: "security fix", Line: 43},
		},
	}
	if !reflect.DeepEqual(cfg.Gate, wantGate) {
		t.Errorf("gate = %+v", cfg.Gate)
	}
	if got := cfg.Pos(14); got != "full.yaml:14" {
		t.Errorf("Pos = %q", got)
	}
	if got := cfg.ClassNames(); !reflect.DeepEqual(got, []string{"prod-fix", "recette-fix", "feature", "chore", "to-triage", "merge"}) {
		t.Errorf("ClassNames = %v", got)
	}
}

func TestParseEmptyAndDefaults(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "classes:\ngate:\n"} {
		cfg, err := Parse(".triage.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if cfg.Default != DefaultClass || cfg.Classes != nil || cfg.Plan != nil || cfg.Gate != nil {
			t.Errorf("%q: %+v", src, cfg)
		}
	}
}

// TestParseErrors pins every message: they are the user interface of a config mistake.
func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown class field", "classes:\n  - name: prod-fix\n    tiket: {type: Bug}\n",
			"config .triage.yaml line 3: unknown class field 'tiket'; did you mean 'ticket'?"},
		{"unknown top key", "clases: []\n",
			"config .triage.yaml line 1: unknown key 'clases'; did you mean 'classes'?"},
		{"unknown key without suggestion", "colour: blue\n",
			"config .triage.yaml line 1: unknown key 'colour'; valid fields: range, tickets, classes, default, plan, gate"},
		{"duplicate key", "default: a\ndefault: b\n",
			"config .triage.yaml line 2: key 'default' is given twice (first at line 1): keep one"},
		{"not a mapping", "- a\n- b\n",
			"config .triage.yaml line 1: the config must be a mapping of settings (range, tickets, classes, default, plan, gate), got a list"},
		{"invalid yaml", "default: a\nrange: 'x\n",
			"config .triage.yaml line 2: invalid YAML: found unexpected end of stream; check the indentation and quoting (a regular expression with backslashes is safest in single quotes)"},
		{"tab indentation", "classes:\n\t- name: a\n",
			"config .triage.yaml line 2: invalid YAML: found character that cannot start any token; YAML indentation must be spaces, not tabs"},
		{"escape in double quotes", "tickets:\n  patterns: [\"PAY-\\d+\"]\n",
			"config .triage.yaml line 2: invalid YAML: found unknown escape character; inside double quotes YAML reads backslashes as escapes: write regular expressions in single quotes, e.g. '\\bPAY-\\d+'"},
		{"two documents", "default: a\n---\ndefault: b\n",
			"config .triage.yaml line 2: a second YAML document starts here: keep the whole config in one document (remove the '---' line)"},
		{"range not text", "range: [a, b]\n",
			"config .triage.yaml line 1: range must be text, got a list"},
		{"empty default", "default: ''\n",
			"config .triage.yaml line 1: default is empty: name the class of commits no rule matches, e.g. default: unclassified"},
		{"classes not a list", "classes: {name: x}\n",
			"config .triage.yaml line 1: classes must be a list of rules (- name: CLASS ...), got a mapping"},
		{"class not a mapping", "classes: [prod-fix]\n",
			"config .triage.yaml line 1: a class rule must be a mapping (name: CLASS, ticket/paths/message/author/branch: ...), got the text 'prod-fix'"},
		{"no name", "classes:\n  - message: x\n",
			"config .triage.yaml line 2: class rule has no name: add name: CLASS (the class it assigns)"},
		{"empty name", "classes:\n  - name: ' '\n    message: x\n",
			"config .triage.yaml line 2: class name is empty: give the rule the class it assigns, e.g. name: recette-fix"},
		{"name wrong type", "classes:\n  - name: {a: b}\n    message: x\n",
			"config .triage.yaml line 2: class name must be text, got a mapping"},
		{"no condition", "classes:\n  - name: chore\n",
			"config .triage.yaml line 2: class rule 'chore' has no condition, so it would match every commit: add ticket, paths, message, author or branch (the class of unmatched commits is set with default:)"},
		{"empty paths is no condition", "classes:\n  - name: chore\n    paths: []\n",
			"config .triage.yaml line 2: class rule 'chore' has no condition, so it would match every commit: add ticket, paths, message, author or branch (the class of unmatched commits is set with default:)"},
		{"bad message regex", "classes:\n  - name: prod-fix\n    message: '(?i^hotfix'\n",
			"config .triage.yaml line 3: message '(?i^hotfix' is not a valid regular expression: invalid or unsupported Perl syntax: `(?i^`; fix the pattern (Go RE2 syntax)"},
		{"lookahead", "classes:\n  - name: prod-fix\n    message: '^(?=hotfix)'\n",
			"config .triage.yaml line 3: message '^(?=hotfix)' is not a valid regular expression: invalid or unsupported Perl syntax: `(?=`; Go regular expressions (RE2) have no lookahead, lookbehind or backreferences: rewrite the pattern without them"},
		{"backspace from double quotes", "tickets:\n  patterns: [\"\\bPAY-[0-9]+\"]\n",
			"config .triage.yaml line 2: ticket pattern '\\bPAY-[0-9]+' contains a backspace character: in double quotes YAML reads \\b as a backspace; write the pattern in single quotes"},
		{"backreference", "classes:\n  - name: x\n    message: '(a)\\1'\n",
			"config .triage.yaml line 3: message '(a)\\1' is not a valid regular expression: invalid escape sequence: `\\1`; Go regular expressions (RE2) have no lookahead, lookbehind or backreferences: rewrite the pattern without them"},
		{"bad branch regex", "classes:\n  - name: prod-fix\n    branch: 'hotfix/[a-'\n",
			"config .triage.yaml line 3: branch 'hotfix/[a-' is not a valid regular expression: missing closing ]: `[a-`; fix the pattern (Go RE2 syntax)"},
		{"bad ticket pattern", "tickets:\n  patterns:\n    - 'PAY-(\\d+'\n",
			"config .triage.yaml line 3: ticket pattern 'PAY-(\\d+' is not a valid regular expression: missing closing ): `PAY-(\\d+`; fix the pattern (Go RE2 syntax)"},
		{"bad glob class", "classes:\n  - name: chore\n    paths: ['docs/[ab']\n",
			"config .triage.yaml line 3: paths glob 'docs/[ab' is not valid: a '[' character class is not closed: add ']' or escape the bracket as \\["},
		{"bad glob brace", "classes:\n  - name: chore\n    paths:\n      - 'docs/**'\n      - '{a,b'\n",
			"config .triage.yaml line 5: paths glob '{a,b' is not valid: a '{' alternative is not closed: add '}' or escape the brace as \\{"},
		{"paths wrong type", "classes:\n  - name: chore\n    paths: {docs: yes}\n",
			"config .triage.yaml line 3: paths must be a text or a list of texts, got a mapping"},
		{"ticket not a mapping", "classes:\n  - name: fix\n    ticket: Bug\n",
			"config .triage.yaml line 3: ticket must be a mapping of ticket field to value(s), e.g. {type: Bug, Environment: Production}, got the text 'Bug'"},
		{"ticket empty", "classes:\n  - name: fix\n    ticket: {}\n",
			"config .triage.yaml line 3: ticket has no fields: write the fields to match, e.g. ticket: {type: Bug}"},
		{"ticket field without value", "classes:\n  - name: fix\n    ticket:\n      type:\n",
			"config .triage.yaml line 4: ticket field 'type' has no value: write the value to match, or a list of them"},
		{"ticket field twice", "classes:\n  - name: fix\n    ticket: {type: Bug, Type: Story}\n",
			"config .triage.yaml line 3: ticket field 'Type' is given twice (first at line 3; names ignore case): keep one, with a list for several values"},
		{"ticket value nested", "classes:\n  - name: fix\n    ticket: {type: [[Bug]]}\n",
			"config .triage.yaml line 3: ticket field 'type' entry must be text, got a list"},
		{"author empty", "classes:\n  - name: x\n    author: ''\n",
			"config .triage.yaml line 3: author is empty: write a name, an email or a regular expression"},
		{"tickets wrong type", "tickets: [a]\n",
			"config .triage.yaml line 1: tickets must be a mapping (patterns: [...], exports: [...]), got a list"},
		{"unknown tickets field", "tickets:\n  pattern: ['x']\n",
			"config .triage.yaml line 2: unknown tickets field 'pattern'; did you mean 'patterns'?"},
		{"exports not a list", "tickets:\n  exports: {path: a.csv}\n",
			"config .triage.yaml line 2: tickets.exports must be a list of {path, format, id_column}, got a mapping"},
		{"export missing file", "tickets:\n  exports:\n    - path: nowhere.csv\n      format: jira-csv\n",
			"config .triage.yaml line 3: export file 'nowhere.csv' not found (looked for nowhere.csv; export paths are relative to the config file): fix the path or export the tickets there"},
		{"export is a directory", "tickets:\n  exports:\n    - path: testdata\n",
			"config .triage.yaml line 3: export path 'testdata' is a directory: name the export file itself"},
		{"export without path", "tickets:\n  exports:\n    - format: jira-csv\n",
			"config .triage.yaml line 3: export has no path: add path: FILE (relative to the config file)"},
		{"unknown format", "tickets:\n  exports:\n    - path: testdata/tickets.csv\n      format: jira\n",
			"config .triage.yaml line 4: unknown export format 'jira'; valid formats: jira-csv, redmine-csv, github-json, csv"},
		{"format typo", "tickets:\n  exports:\n    - path: testdata/tickets.csv\n      format: jira-cvs\n",
			"config .triage.yaml line 4: unknown export format 'jira-cvs'; did you mean 'jira-csv'? (valid formats: jira-csv, redmine-csv, github-json, csv)"},
		{"csv without id_column", "tickets:\n  exports:\n    - path: testdata/tickets.csv\n      format: csv\n",
			"config .triage.yaml line 3: csv export 'testdata/tickets.csv' has no id_column: add id_column: COLUMN naming the column that holds the ticket id"},
		{"id_column on json", "tickets:\n  exports:\n    - path: testdata/tickets.csv\n      format: github-json\n      id_column: number\n",
			"config .triage.yaml line 5: id_column does not apply to github-json exports (the id is the issue number): remove it"},
		{"unknown export field", "tickets:\n  exports:\n    - path: testdata/tickets.csv\n      id-column: Key\n",
			"config .triage.yaml line 4: unknown export field 'id-column'; did you mean 'id_column'?"},
		{"plan strategy", "plan:\n  strategy: pul\n",
			"config .triage.yaml line 2: plan.strategy 'pul' is not valid; did you mean 'pull'?"},
		{"plan strategy unknown", "plan:\n  strategy: everything\n",
			"config .triage.yaml line 2: plan.strategy 'everything' is not valid; valid values: pull, prune, exact"},
		{"plan with", "plan:\n  with: [rename, symbols]\n",
			"config .triage.yaml line 2: plan.with: unknown dependency kind 'symbols'; did you mean 'symbol'?"},
		{"plan selector kind", "plan:\n  keep:\n    - clas:prod-fix\n",
			"config .triage.yaml line 3: plan.keep: unknown selector kind 'clas' in 'clas:prod-fix'; did you mean 'class'?"},
		{"plan selector no kind", "plan:\n  drop: [feature]\n",
			"config .triage.yaml line 2: plan.drop: selector 'feature' has no kind: write KIND:VALUE, one of class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT"},
		{"plan selector no value", "plan:\n  drop: ['ticket:']\n",
			"config .triage.yaml line 2: plan.drop: selector 'ticket:' has no value: write class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT"},
		{"plan rev", "plan:\n  keep: [rev:abc]\n",
			"config .triage.yaml line 2: plan.keep: selector 'rev:abc': a Subversion revision is a positive number, e.g. rev:24911"},
		{"plan commit", "plan:\n  keep: [commit:xyz]\n",
			"config .triage.yaml line 2: plan.keep: selector 'commit:xyz': a commit is a SHA or a prefix of at least 4 hex digits"},
		{"plan path glob", "plan:\n  keep: ['path:src/[a']\n",
			"config .triage.yaml line 2: plan.keep selector glob 'src/[a' is not valid: a '[' character class is not closed: add ']' or escape the bracket as \\["},
		{"plan unknown class", "classes:\n  - {name: prod-fix, message: x}\nplan:\n  keep:\n    - class:prod-fxi\n",
			"config .triage.yaml line 5: plan.keep selector 'class:prod-fxi' names class 'prod-fxi', which no rule assigns; did you mean 'prod-fix'?"},
		{"plan not a mapping", "plan: [keep]\n",
			"config .triage.yaml line 1: plan must be a mapping (keep: [...], drop: [...], strategy: pull), got a list"},
		{"gate bool", "gate:\n  require_ticket: 'yes'\n",
			"config .triage.yaml line 2: gate.require_ticket must be true or false, got the text 'yes'"},
		{"gate max_risk", "gate:\n  max_risk: extreme\n",
			"config .triage.yaml line 2: gate.max_risk 'extreme' is not valid; valid values: low, medium, high"},
		{"gate unknown field", "gate:\n  require_tickets: true\n",
			"config .triage.yaml line 2: unknown gate field 'require_tickets'; did you mean 'require_ticket'?"},
		{"gate unknown class", "classes:\n  - {name: prod-fix, message: x}\ngate:\n  allow: [prod-fix, recete-fix]\n",
			"config .triage.yaml line 4: gate.allow names class 'recete-fix', which no rule assigns; valid classes: prod-fix, unclassified, merge"},
		{"waiver without reason", "gate:\n  waivers:\n    - {commit: 3f2a9c1}\n",
			"config .triage.yaml line 3: waiver for commit 3f2a9c1 has no reason: add reason: WHY (it is shown in the gate report)"},
		{"waiver empty reason", "gate:\n  waivers:\n    - {ticket: PAY-1, reason: ''}\n",
			"config .triage.yaml line 3: waiver for ticket PAY-1 has no reason: add reason: WHY (it is shown in the gate report)"},
		{"waiver names nothing", "gate:\n  waivers:\n    - {reason: because}\n",
			"config .triage.yaml line 3: waiver names no commit or ticket: add commit: SHA or ticket: ID"},
		{"waiver bad commit", "gate:\n  waivers:\n    - {commit: HEAD~1, reason: x}\n",
			"config .triage.yaml line 3: waiver commit 'HEAD~1' is not a SHA: write the commit's SHA or a prefix of at least 4 hex digits"},
		{"waivers not a list", "gate:\n  waivers: {commit: abcd}\n",
			"config .triage.yaml line 2: gate.waivers must be a list of {commit or ticket, reason}, got a mapping"},
		{"several errors at once", "default: [x]\nrange: 3\nplan:\n  strategy: 1\n",
			"config .triage.yaml line 1: default must be text, got a list\n" +
				"config .triage.yaml line 4: plan.strategy '1' is not valid; valid values: pull, prune, exact"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(".triage.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error for:\n%s", tc.src)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tc.want)
			}
			var one *Error
			if !errors.As(err, &one) || one.Line == 0 {
				t.Errorf("error carries no line: %#v", err)
			}
		})
	}
}

func TestAnchorsAndAliases(t *testing.T) {
	src := "x-bug: &bug {type: Bug}\nclasses:\n  - {name: fix, ticket: *bug}\n"
	_, err := Parse(".triage.yaml", []byte(src))
	// An anchor needs a place to live; x-bug is not a setting, and saying so beats ignoring it.
	if err == nil || !strings.Contains(err.Error(), "unknown key 'x-bug'") {
		t.Fatalf("err = %v", err)
	}
	src = "classes:\n  - &r {name: fix, message: '^fix'}\n  - *r\n"
	cfg, err := Parse(".triage.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Classes) != 2 || cfg.Classes[1].Message.Source != "^fix" {
		t.Errorf("classes = %+v", cfg.Classes)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/none.yaml")
	want := "config testdata/none.yaml: file not found: check the path given with --config or $TRIAGE_CONFIG"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v", err)
	}
}

func TestExportRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "conf")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte("Key\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "triage.yaml")
	if err := os.WriteFile(path, []byte("tickets:\n  exports:\n    - {path: ../t.csv, format: jira-csv}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Tickets.Exports[0].File; got != filepath.Join(dir, "t.csv") {
		t.Errorf("File = %q", got)
	}
}

func TestFind(t *testing.T) {
	repo := t.TempDir()
	t.Setenv("TRIAGE_CONFIG", "")

	got, err := Find(repo, "")
	if got != "" || err != nil {
		t.Errorf("absent default: %q, %v", got, err)
	}
	def := filepath.Join(repo, ".triage.yaml")
	if err := os.WriteFile(def, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(repo, ""); got != def || err != nil {
		t.Errorf("default: %q, %v", got, err)
	}
	other := filepath.Join(repo, "other.yaml")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TRIAGE_CONFIG", other)
	if got, err := Find(repo, ""); got != other || err != nil {
		t.Errorf("env: %q, %v", got, err)
	}
	if got, err := Find(repo, def); got != def || err != nil {
		t.Errorf("flag beats env: %q, %v", got, err)
	}

	missing := filepath.Join(repo, "missing.yaml")
	_, err = Find(repo, missing)
	if want := "config " + missing + ": file not found (named by --config): fix the path, or unset it to use .triage.yaml at the repository root"; err == nil || err.Error() != want {
		t.Errorf("flag missing: %v", err)
	}
	t.Setenv("TRIAGE_CONFIG", missing)
	_, err = Find(repo, "")
	if want := "config " + missing + ": file not found (named by $TRIAGE_CONFIG): fix the path, or unset it to use .triage.yaml at the repository root"; err == nil || err.Error() != want {
		t.Errorf("env missing: %v", err)
	}
	_, err = Find(repo, repo)
	if want := "config " + repo + ": is a directory (named by --config): name the config file itself, e.g. " + def; err == nil || err.Error() != want {
		t.Errorf("flag dir: %v", err)
	}

	t.Setenv("TRIAGE_CONFIG", "")
	yml := t.TempDir()
	if err := os.WriteFile(filepath.Join(yml, ".triage.yml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(yml, ""); got != filepath.Join(yml, ".triage.yml") || err != nil {
		t.Errorf(".yml: %q, %v", got, err)
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ word, want string }{
		{"tiket", "ticket"}, {"Ticket", "ticket"}, {"path", "paths"}, {"nam", "name"}, {"zzzzzz", ""}, {"x", ""},
	} {
		if got := Suggest(tc.word, classFields); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}
