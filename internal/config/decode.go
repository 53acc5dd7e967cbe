package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"
)

// Parse validates a config file's content. path names the file in errors and
// rule positions; export paths are resolved against its directory.
func Parse(path string, data []byte) (*Config, error) {
	d := &decoder{file: path}
	cfg := &Config{Path: path, Dir: filepath.Dir(path), Default: DefaultClass}
	root := d.document(data)
	if root != nil {
		d.top(cfg, root)
	}
	if len(d.errs) == 0 {
		d.crossCheck(cfg)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return cfg, nil
}

type decoder struct {
	file string
	errs Errors
	refs []classRef // class names used by plan and gate, checked once the rules are known
}

type classRef struct {
	name, what string
	line       int
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// document parses the YAML and returns its root mapping, or nil for an empty file.
func (d *decoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		d.yamlError(err, data)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "a second YAML document starts here: keep the whole config in one document (remove the '---' line)")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.yamlError(err, data)
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "the config must be a mapping of settings (%s), got %s", strings.Join(topKeys, ", "), kindName(root))
		return nil
	}
	return root
}

// yamlError turns the YAML library's "yaml: line N: cause" into a located error.
func (d *decoder) yamlError(err error, data []byte) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	hint := "check the indentation and quoting (a regular expression with backslashes is safest in single quotes)"
	switch {
	case strings.Contains(msg, "unknown escape"):
		hint = "inside double quotes YAML reads backslashes as escapes: write regular expressions in single quotes, e.g. '\\bPAY-\\d+'"
	case strings.Contains(msg, "cannot start any token") && lineHasTab(data, line):
		hint = "YAML indentation must be spaces, not tabs"
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: fmt.Sprintf("invalid YAML: %s; %s", msg, hint)})
}

func lineHasTab(data []byte, line int) bool {
	lines := bytes.Split(data, []byte("\n"))
	return line >= 1 && line <= len(lines) && bytes.ContainsRune(lines[line-1], '\t')
}

// deref follows aliases (bounded, since a malformed file could chain them).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		}
		return fmt.Sprintf("the text '%s'", n.Value)
	}
	return "an unsupported YAML node"
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// fields walks a mapping, dispatching each known key to its handler and
// reporting unknown and repeated keys. what names the mapping in errors ("class field").
func (d *decoder) fields(n *yaml.Node, what string, known []string, handle func(key string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a %s name must be plain text, got %s", what, kindName(k))
			continue
		}
		key := k.Value
		if first, dup := seen[key]; dup {
			d.errorf(k, "%s '%s' is given twice (first at line %d): keep one", what, key, first)
			continue
		}
		seen[key] = k.Line
		if !contains(known, key) {
			d.errorf(k, "unknown %s '%s'%s", what, key, didYouMean(key, known, "fields"))
			continue
		}
		handle(key, k, v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text decodes a scalar as a string; ok is false (with an error reported) otherwise.
func (d *decoder) text(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.errorf(n, "%s must be text, got %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

// nonEmptyText is text that must not be blank.
func (d *decoder) nonEmptyText(n *yaml.Node, what, fix string) (string, bool) {
	s, ok := d.text(n, what)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, "%s is empty: %s", what, fix)
		return "", false
	}
	return s, ok
}

// textList accepts one text or a list of texts: `paths: docs/**` reads as
// naturally as `paths: [docs/**]`, so both are allowed.
func (d *decoder) textList(n *yaml.Node, what string) ([]string, []int, bool) {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return []string{n.Value}, []int{n.Line}, true
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a text or a list of texts, got %s", what, kindName(n))
		return nil, nil, false
	}
	var vals []string
	var lines []int
	ok := true
	for _, item := range n.Content {
		item = deref(item)
		s, good := d.text(item, what+" entry")
		if !good {
			ok = false
			continue
		}
		vals = append(vals, s)
		lines = append(lines, item.Line)
	}
	return vals, lines, ok
}

func (d *decoder) boolean(n *yaml.Node, what string) bool {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	}
	d.errorf(n, "%s must be true or false, got %s", what, kindName(n))
	return false
}

func (d *decoder) oneOf(n *yaml.Node, what string, valid []string) string {
	s, ok := d.text(n, what)
	if !ok {
		return ""
	}
	if !contains(valid, s) {
		d.errorf(n, "%s '%s' is not valid%s", what, s, didYouMean(s, valid, "values"))
		return ""
	}
	return s
}

var topKeys = []string{"range", "tickets", "classes", "default", "plan", "gate"}

func (d *decoder) top(cfg *Config, root *yaml.Node) {
	d.fields(root, "key", topKeys, func(key string, k, v *yaml.Node) {
		if isNull(v) {
			return // an empty section is as good as an absent one
		}
		switch key {
		case "range":
			if s, ok := d.nonEmptyText(v, "range", "write a range such as v1.4.0..recette, or remove the line"); ok {
				cfg.Range, cfg.RangeLine = s, v.Line
			}
		case "tickets":
			d.tickets(cfg, v)
		case "classes":
			d.classes(cfg, v)
		case "default":
			if s, ok := d.nonEmptyText(v, "default", "name the class of commits no rule matches, e.g. default: unclassified"); ok {
				cfg.Default = s
			}
		case "plan":
			cfg.Plan = d.plan(v)
		case "gate":
			cfg.Gate = d.gate(v)
		}
	})
}

func (d *decoder) mapping(n *yaml.Node, what, example string) bool {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (%s), got %s", what, example, kindName(n))
		return false
	}
	return true
}

func (d *decoder) tickets(cfg *Config, n *yaml.Node) {
	if !d.mapping(n, "tickets", "patterns: [...], exports: [...]") {
		return
	}
	d.fields(n, "tickets field", []string{"patterns", "exports"}, func(key string, k, v *yaml.Node) {
		if isNull(v) {
			return
		}
		switch key {
		case "patterns":
			srcs, lines, _ := d.textList(v, "tickets.patterns")
			for i, src := range srcs {
				if re := d.regexp(src, lines[i], "ticket pattern"); re != nil {
					cfg.Tickets.Patterns = append(cfg.Tickets.Patterns, *re)
				}
			}
		case "exports":
			if v.Kind != yaml.SequenceNode {
				d.errorf(v, "tickets.exports must be a list of {path, format, id_column}, got %s", kindName(v))
				return
			}
			for _, item := range v.Content {
				if e, ok := d.export(cfg.Dir, deref(item)); ok {
					cfg.Tickets.Exports = append(cfg.Tickets.Exports, e)
				}
			}
		}
	})
}

func (d *decoder) export(dir string, n *yaml.Node) (Export, bool) {
	e := Export{Line: n.Line}
	if !d.mapping(n, "an export", "path: FILE, format: FORMAT") {
		return e, false
	}
	ok := true
	var idLine int
	d.fields(n, "export field", []string{"path", "format", "id_column"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "path":
			s, good := d.nonEmptyText(v, "export path", "name the export file, relative to the config file")
			ok = ok && good
			e.Path = s
		case "format":
			s, good := d.text(v, "export format")
			if !good {
				ok = false
				return
			}
			if !contains(Formats, s) {
				d.errorf(v, "unknown export format '%s'%s", s, formatHint(s))
				ok = false
				return
			}
			e.Format = s
		case "id_column":
			s, good := d.nonEmptyText(v, "id_column", "name the column that holds the ticket id")
			ok = ok && good
			e.IDColumn, idLine = s, v.Line
		}
	})
	if !ok {
		return e, false
	}
	if e.Path == "" {
		d.errorf(n, "export has no path: add path: FILE (relative to the config file)")
		return e, false
	}
	switch {
	case e.Format == FormatCSV && e.IDColumn == "":
		d.errorf(n, "csv export '%s' has no id_column: add id_column: COLUMN naming the column that holds the ticket id", e.Path)
		ok = false
	case e.Format == FormatGithubJSON && e.IDColumn != "":
		d.errorf(&yaml.Node{Line: idLine}, "id_column does not apply to github-json exports (the id is the issue number): remove it")
		ok = false
	}
	e.File = e.Path
	if !filepath.IsAbs(e.File) {
		e.File = filepath.Join(dir, e.File)
	}
	st, err := os.Stat(e.File)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.errorf(n, "export file '%s' not found (looked for %s; export paths are relative to the config file): fix the path or export the tickets there", e.Path, e.File)
		ok = false
	case err != nil:
		d.errorf(n, "export file '%s' cannot be read: %v", e.Path, unwrapPathError(err))
		ok = false
	case st.IsDir():
		d.errorf(n, "export path '%s' is a directory: name the export file itself", e.Path)
		ok = false
	}
	return e, ok
}

func formatHint(s string) string {
	hint := "; valid formats: " + strings.Join(Formats, ", ")
	if sug := suggest(s, Formats); sug != "" {
		return fmt.Sprintf("; did you mean '%s'? (valid formats: %s)", sug, strings.Join(Formats, ", "))
	}
	return hint
}

var classFields = []string{"name", "ticket", "paths", "message", "author", "branch"}

func (d *decoder) classes(cfg *Config, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "classes must be a list of rules (- name: CLASS ...), got %s", kindName(n))
		return
	}
	for _, item := range n.Content {
		if c, ok := d.class(deref(item)); ok {
			cfg.Classes = append(cfg.Classes, c)
		}
	}
}

func (d *decoder) class(n *yaml.Node) (Class, bool) {
	c := Class{Line: n.Line}
	if !d.mapping(n, "a class rule", "name: CLASS, ticket/paths/message/author/branch: ...") {
		return c, false
	}
	ok := true
	hasName := false
	errsBefore := len(d.errs)
	d.fields(n, "class field", classFields, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			hasName = true
			s, good := d.text(v, "class name")
			if good && strings.TrimSpace(s) == "" {
				d.errorf(v, "class name is empty: give the rule the class it assigns, e.g. name: recette-fix")
				good = false
			}
			ok = ok && good
			c.Name = s
		case "ticket":
			c.Ticket = d.ticketFields(v)
		case "paths":
			globs, lines, _ := d.textList(v, "paths")
			for i, g := range globs {
				if gl := d.glob(g, lines[i], "paths"); gl != nil {
					c.Paths = append(c.Paths, *gl)
				}
			}
		case "message":
			if s, good := d.text(v, "message"); good {
				c.Message = d.regexp(s, v.Line, "message")
			}
		case "author":
			if s, good := d.nonEmptyText(v, "author", "write a name, an email or a regular expression"); good {
				c.Author = authorMatcher(s, v.Line)
			}
		case "branch":
			if s, good := d.nonEmptyText(v, "branch", "write a branch name or a regular expression"); good {
				c.Branch = d.regexp(s, v.Line, "branch")
			}
		}
	})
	if !hasName {
		d.errorf(n, "class rule has no name: add name: CLASS (the class it assigns)")
		return c, false
	}
	if len(d.errs) > errsBefore {
		return c, false
	}
	if ok && !c.HasCondition() {
		d.errorf(n, "class rule '%s' has no condition, so it would match every commit: add ticket, paths, message, author or branch (the class of unmatched commits is set with default:)", c.Name)
		return c, false
	}
	return c, ok
}

func (d *decoder) ticketFields(n *yaml.Node) []FieldMatch {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "ticket must be a mapping of ticket field to value(s), e.g. {type: Bug, Environment: Production}, got %s", kindName(n))
		return nil
	}
	var out []FieldMatch
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			d.errorf(k, "a ticket field name must be plain text, got %s", kindName(k))
			continue
		}
		name := strings.TrimSpace(k.Value)
		low := strings.ToLower(name)
		if first, dup := seen[low]; dup {
			d.errorf(k, "ticket field '%s' is given twice (first at line %d; names ignore case): keep one, with a list for several values", name, first)
			continue
		}
		seen[low] = k.Line
		if isNull(v) {
			d.errorf(v, "ticket field '%s' has no value: write the value to match, or a list of them", name)
			continue
		}
		vals, _, ok := d.textList(v, fmt.Sprintf("ticket field '%s'", name))
		if !ok {
			continue
		}
		if len(vals) == 0 {
			d.errorf(v, "ticket field '%s' has an empty list of values: list at least one value", name)
			continue
		}
		out = append(out, FieldMatch{Field: name, Values: vals, Line: k.Line})
	}
	if len(out) == 0 && len(n.Content) == 0 {
		d.errorf(n, "ticket has no fields: write the fields to match, e.g. ticket: {type: Bug}")
	}
	return out
}

// regexp compiles a user's regular expression, explaining a failure in terms
// of what they likely wrote.
func (d *decoder) regexp(src string, line int, what string) *Regexp {
	at := &yaml.Node{Line: line}
	if strings.ContainsRune(src, '\b') {
		d.errorf(at, "%s '%s' contains a backspace character: in double quotes YAML reads \\b as a backspace; write the pattern in single quotes", what, strings.ReplaceAll(src, "\b", `\b`))
		return nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		why := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		hint := "fix the pattern (Go RE2 syntax)"
		if unsupportedPerl.MatchString(why) {
			hint = "Go regular expressions (RE2) have no lookahead, lookbehind or backreferences: rewrite the pattern without them"
		}
		d.errorf(at, "%s '%s' is not a valid regular expression: %s; %s", what, src, why, hint)
		return nil
	}
	return &Regexp{Source: src, Re: re, Line: line}
}

// unsupportedPerl recognises the errors RE2 gives for lookaround and backreferences.
var unsupportedPerl = regexp.MustCompile("`(\\(\\?<?[=!]|\\\\[1-9])")

func authorMatcher(src string, line int) *Matcher {
	if re, err := regexp.Compile("(?i)" + src); err == nil {
		return &Matcher{Source: src, Re: re, Line: line}
	}
	return &Matcher{Source: src, Re: regexp.MustCompile("(?i)" + regexp.QuoteMeta(src)), Literal: true, Line: line}
}

// glob checks a doublestar pattern. Paths in git are repository-relative, so a
// leading "./" or "/" is dropped rather than left to never match.
func (d *decoder) glob(pattern string, line int, what string) *Glob {
	at := &yaml.Node{Line: line}
	p := strings.TrimPrefix(strings.TrimPrefix(pattern, "./"), "/")
	if strings.TrimSpace(p) == "" {
		d.errorf(at, "%s has an empty glob: write a pattern such as 'docs/**'", what)
		return nil
	}
	if !doublestar.ValidatePattern(p) {
		d.errorf(at, "%s glob '%s' is not valid: %s", what, pattern, globProblem(p))
		return nil
	}
	return &Glob{Pattern: p, Line: line}
}

// globProblem says why doublestar rejected a pattern; it only answers yes or no.
func globProblem(p string) string {
	depthBrace, inClass := 0, false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			if i+1 >= len(p) {
				return "it ends with a lone backslash: remove it or escape it as \\\\"
			}
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '{':
			depthBrace++
		case c == '}':
			depthBrace--
		}
	}
	switch {
	case inClass:
		return "a '[' character class is not closed: add ']' or escape the bracket as \\["
	case depthBrace > 0:
		return "a '{' alternative is not closed: add '}' or escape the brace as \\{"
	}
	return "check its brackets and braces (doublestar syntax: *, **, ?, [abc], {a,b})"
}

var (
	planFields    = []string{"keep", "drop", "strategy", "onto", "with"}
	strategies    = []string{"pull", "prune", "exact"}
	edgeKinds     = []string{"line", "adjacent", "file", "revert", "rename", "symbol"}
	selectorKinds = []string{"class", "ticket", "commit", "rev", "path", "author"}
	gateFields    = []string{"require_ticket", "allow", "allow_required", "source", "dependency_safe", "max_risk", "waivers"}
	riskLevels    = []string{"low", "medium", "high"}
	waiverFields  = []string{"commit", "ticket", "reason"}
	hexPrefix     = regexp.MustCompile(`^[0-9a-fA-F]{4,40}$`)
	selectorsHelp = "class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT"
)

func (d *decoder) plan(n *yaml.Node) *Plan {
	p := &Plan{Line: n.Line}
	if !d.mapping(n, "plan", "keep: [...], drop: [...], strategy: pull") {
		return nil
	}
	d.fields(n, "plan field", planFields, func(key string, k, v *yaml.Node) {
		if isNull(v) {
			return
		}
		switch key {
		case "keep", "drop":
			sels, lines, _ := d.textList(v, "plan."+key)
			for i, s := range sels {
				if d.selector(s, lines[i], "plan."+key) {
					if key == "keep" {
						p.Keep = append(p.Keep, s)
					} else {
						p.Drop = append(p.Drop, s)
					}
				}
			}
		case "strategy":
			p.Strategy = d.oneOf(v, "plan.strategy", strategies)
		case "onto":
			p.Onto, _ = d.nonEmptyText(v, "plan.onto", "name a branch, tag or commit, or remove the line")
		case "with":
			kinds, lines, _ := d.textList(v, "plan.with")
			for i, s := range kinds {
				for _, kind := range strings.Split(s, ",") {
					kind = strings.TrimSpace(kind)
					if !contains(edgeKinds, kind) {
						d.errorf(&yaml.Node{Line: lines[i]}, "plan.with: unknown dependency kind '%s'%s", kind, didYouMean(kind, edgeKinds, "kinds"))
						continue
					}
					p.With = append(p.With, kind)
				}
			}
		}
	})
	return p
}

// selector checks one plan selector's syntax; the plan stage interprets it.
func (d *decoder) selector(s string, line int, what string) bool {
	at := &yaml.Node{Line: line}
	kind, val, found := strings.Cut(s, ":")
	if !found {
		d.errorf(at, "%s: selector '%s' has no kind: write KIND:VALUE, one of %s", what, s, selectorsHelp)
		return false
	}
	if !contains(selectorKinds, kind) {
		d.errorf(at, "%s: unknown selector kind '%s' in '%s'%s", what, kind, s, didYouMean(kind, selectorKinds, "kinds"))
		return false
	}
	if strings.TrimSpace(val) == "" {
		d.errorf(at, "%s: selector '%s' has no value: write %s", what, s, selectorsHelp)
		return false
	}
	switch kind {
	case "rev":
		if n, err := strconv.Atoi(strings.TrimPrefix(val, "r")); err != nil || n <= 0 {
			d.errorf(at, "%s: selector '%s': a Subversion revision is a positive number, e.g. rev:24911", what, s)
			return false
		}
	case "commit":
		if !hexPrefix.MatchString(val) {
			d.errorf(at, "%s: selector '%s': a commit is a SHA or a prefix of at least 4 hex digits", what, s)
			return false
		}
	case "path":
		return d.glob(val, line, what+" selector") != nil
	case "class":
		d.refs = append(d.refs, classRef{name: val, what: fmt.Sprintf("%s selector '%s'", what, s), line: line})
	}
	return true
}

func (d *decoder) gate(n *yaml.Node) *Gate {
	g := &Gate{Line: n.Line}
	if !d.mapping(n, "gate", "require_ticket: true, allow: [...], ...") {
		return nil
	}
	d.fields(n, "gate field", gateFields, func(key string, k, v *yaml.Node) {
		if isNull(v) {
			return
		}
		switch key {
		case "require_ticket":
			g.RequireTicket = d.boolean(v, "gate.require_ticket")
		case "allow":
			var lines []int
			g.Allow, lines, _ = d.textList(v, "gate.allow")
			for i, a := range g.Allow {
				d.refs = append(d.refs, classRef{name: a, what: "gate.allow", line: lines[i]})
			}
		case "allow_required":
			g.AllowRequired = d.boolean(v, "gate.allow_required")
		case "source":
			g.Source, _ = d.nonEmptyText(v, "gate.source", "name the branch commits must come from, or remove the line")
		case "dependency_safe":
			g.DependencySafe = d.boolean(v, "gate.dependency_safe")
		case "max_risk":
			g.MaxRisk = d.oneOf(v, "gate.max_risk", riskLevels)
		case "waivers":
			if v.Kind != yaml.SequenceNode {
				d.errorf(v, "gate.waivers must be a list of {commit or ticket, reason}, got %s", kindName(v))
				return
			}
			for _, item := range v.Content {
				if w, ok := d.waiver(deref(item)); ok {
					g.Waivers = append(g.Waivers, w)
				}
			}
		}
	})
	return g
}

func (d *decoder) waiver(n *yaml.Node) (Waiver, bool) {
	w := Waiver{Line: n.Line}
	if !d.mapping(n, "a waiver", "commit: SHA or ticket: ID, reason: WHY") {
		return w, false
	}
	before := len(d.errs)
	d.fields(n, "waiver field", waiverFields, func(key string, k, v *yaml.Node) {
		switch key {
		case "commit":
			if s, ok := d.text(v, "waiver commit"); ok {
				if !hexPrefix.MatchString(s) {
					d.errorf(v, "waiver commit '%s' is not a SHA: write the commit's SHA or a prefix of at least 4 hex digits", s)
					return
				}
				w.Commit = s
			}
		case "ticket":
			w.Ticket, _ = d.nonEmptyText(v, "waiver ticket", "write the ticket id, e.g. PAY-120")
		case "reason":
			w.Reason, _ = d.text(v, "waiver reason")
		}
	})
	if len(d.errs) > before {
		return w, false
	}
	if w.Commit == "" && w.Ticket == "" {
		d.errorf(n, "waiver names no commit or ticket: add commit: SHA or ticket: ID")
		return w, false
	}
	if strings.TrimSpace(w.Reason) == "" {
		d.errorf(n, "waiver for %s has no reason: add reason: WHY (it is shown in the gate report)", w.subject())
		return w, false
	}
	return w, true
}

func (w Waiver) subject() string {
	if w.Commit != "" {
		return "commit " + w.Commit
	}
	return "ticket " + w.Ticket
}

// crossCheck validates the class names that plan and gate refer to, when the
// config defines its classes (otherwise the built-in classes apply, which the
// classify package knows).
func (d *decoder) crossCheck(cfg *Config) {
	if len(cfg.Classes) == 0 {
		return
	}
	names := cfg.ClassNames()
	for _, r := range d.refs {
		if !contains(names, r.name) {
			d.errorf(&yaml.Node{Line: r.line}, "%s names class '%s', which no rule assigns%s", r.what, r.name, didYouMean(r.name, names, "classes"))
		}
	}
}

// ClassNames lists the classes this config can assign: the rules' names in
// order, then the default class and "merge".
func (c *Config) ClassNames() []string {
	var names []string
	for _, cl := range append(c.Classes, Class{Name: c.Default}, Class{Name: "merge"}) {
		if !contains(names, cl.Name) {
			names = append(names, cl.Name)
		}
	}
	return names
}
