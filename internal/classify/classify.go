package classify

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/vcs"
)

// Result is the classification of one commit.
type Result struct {
	Commit  *vcs.Commit
	Tickets []string // ids in the order the message names them
	Branch  string   // the branch the commit came from, when a merge of the range names it
	Class   string
	// Rule is what decided: "rule at .triage.yaml:14 (prod-fix)", "merge",
	// "default", or a built-in such as "builtin: fix keyword".
	Rule     string
	Evidence []string // why, in words: "PAY-111 type=Bug, Environment=Production", "all paths match docs/**"
	Mixed    bool     // the commit's tickets map to different classes (Evidence says which)
	Guessed  bool     // decided by a built-in rule, not by the config
}

// Classifier classifies commits with a config's rules, or with the built-in
// ones when the config has no classes (or there is no config). It is read-only
// once built, so Classify may run from several goroutines.
type Classifier struct {
	cfg     *config.Config
	rules   []config.Class
	def     string
	extract *Extractor
	exports []*Export
	index   map[string]*Ticket
}

// New loads the ticket exports of the config and the extra ones (from
// --tickets), and checks that the fields the rules test exist in them.
// cfg may be nil.
func New(cfg *config.Config, extra []Source) (*Classifier, error) {
	c := &Classifier{cfg: cfg, def: config.DefaultClass, index: map[string]*Ticket{}}
	var patterns []*regexp.Regexp
	var sources []Source
	if cfg != nil {
		c.rules, c.def = cfg.Classes, cfg.Default
		for _, p := range cfg.Tickets.Patterns {
			patterns = append(patterns, p.Re)
		}
		for _, e := range cfg.Tickets.Exports {
			sources = append(sources, Source{Path: e.File, Format: e.Format, IDColumn: e.IDColumn, Origin: fmt.Sprintf("config %s line %d", cfg.Path, e.Line)})
		}
	}
	for _, s := range extra {
		if s.Origin == "" {
			s.Origin = "--tickets"
		}
		sources = append(sources, s)
	}
	for _, s := range sources {
		exp, err := LoadExport(s)
		if err != nil {
			return nil, err
		}
		c.exports = append(c.exports, exp)
		for _, t := range exp.Tickets {
			if k := indexKey(t.ID); c.index[k] == nil {
				c.index[k] = t // the first export naming a ticket wins
			}
		}
	}
	c.extract = NewExtractor(patterns)
	c.extract.Known = func(id string) bool { return c.index[indexKey(id)] != nil }
	if err := c.checkFields(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkFields fails on ticket fields no export has: a typo there would make a
// rule silently never match.
func (c *Classifier) checkFields() error {
	var errs config.Errors
	known := map[string]bool{"type": true, "summary": true}
	var names, files []string
	for _, e := range c.exports {
		files = append(files, e.Name)
		for _, col := range e.Columns {
			low := strings.ToLower(col)
			if bare, ok := strings.CutPrefix(low, "custom field ("); ok && strings.HasSuffix(bare, ")") {
				low = strings.TrimSuffix(bare, ")")
				col = col[len("custom field (") : len(col)-1]
			}
			if !known[low] {
				known[low] = true
				names = append(names, col)
			}
		}
	}
	for _, r := range c.rules {
		if len(r.Ticket) == 0 {
			continue
		}
		if len(c.exports) == 0 {
			errs = append(errs, &config.Error{File: c.cfg.Path, Line: r.Line, Msg: fmt.Sprintf(
				"class rule '%s' tests ticket fields, but no ticket export is loaded: add tickets.exports to the config or pass --tickets FILE", r.Name)})
			continue
		}
		for _, f := range r.Ticket {
			if known[strings.ToLower(f.Field)] {
				continue
			}
			msg := fmt.Sprintf("ticket field '%s' is in none of the ticket exports (%s)", f.Field, strings.Join(files, ", "))
			if s := config.Suggest(f.Field, names); s != "" {
				msg += fmt.Sprintf("; did you mean '%s'?", s)
			} else {
				msg += "; fields: type, " + strings.Join(names, ", ")
			}
			errs = append(errs, &config.Error{File: c.cfg.Path, Line: f.Line, Msg: msg})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Ticket returns the exported ticket with this id, if an export has it.
func (c *Classifier) Ticket(id string) (*Ticket, bool) {
	t := c.index[indexKey(id)]
	return t, t != nil
}

// Exports returns the loaded ticket exports, config ones first.
func (c *Classifier) Exports() []*Export { return c.exports }

// Builtin reports whether the built-in rules classify (no class rules configured).
func (c *Classifier) Builtin() bool { return len(c.rules) == 0 }

// Classes lists every class this classifier can assign, in rule order, then
// the default class and merge.
func (c *Classifier) Classes() []string {
	var names []string
	add := func(n string) {
		for _, x := range names {
			if x == n {
				return
			}
		}
		names = append(names, n)
	}
	if c.Builtin() {
		for _, n := range BuiltinClasses {
			if n != ClassMerge {
				add(n)
			}
		}
	} else {
		for _, r := range c.rules {
			add(r.Name)
		}
	}
	add(c.def)
	add(ClassMerge)
	return names
}

// Tickets returns the ticket ids a commit names.
func (c *Classifier) Tickets(cm *vcs.Commit) []string { return c.extract.Tickets(cm) }

// Classify classifies every commit of a range, given oldest first in
// topological order (as vcs reads it), which the branch of each commit is
// computed from. There is one result per commit, in the same order.
func (c *Classifier) Classify(commits []*vcs.Commit) []Result {
	branches := branchesOf(commits)
	out := make([]Result, len(commits))
	for i, cm := range commits {
		out[i] = c.classify(cm, branches[cm.Hash])
	}
	return out
}

// facts are what rules test about a commit, decoded once.
type facts struct {
	message string
	author  string
	branch  string
	paths   []string
}

func factsOf(cm *vcs.Commit, branch string) facts {
	f := facts{
		message: readable(cm.Message),
		author:  fmt.Sprintf("%s <%s>", readable(cm.Author.Name), readable(cm.Author.Email)),
		branch:  branch,
	}
	for i := range cm.Changes {
		ch := &cm.Changes[i]
		f.paths = append(f.paths, ch.Path())
		if ch.Status == vcs.Renamed && ch.OldPath != "" && ch.OldPath != ch.NewPath {
			f.paths = append(f.paths, ch.OldPath) // a rename out of src/ is not a docs-only change
		}
	}
	return f
}

func (c *Classifier) classify(cm *vcs.Commit, branch string) Result {
	r := Result{Commit: cm, Tickets: c.extract.Tickets(cm), Branch: branch}
	var known []*Ticket
	var unknown []string
	for _, id := range r.Tickets {
		if t := c.index[indexKey(id)]; t != nil {
			known = append(known, t)
		} else {
			unknown = append(unknown, id)
		}
	}
	switch {
	case cm.Merge || len(cm.Parents) > 1:
		r.Class, r.Rule = ClassMerge, "merge"
		r.Evidence = []string{"merge commit"}
		if name, ok := MergeBranch(readable(cm.Subject)); ok {
			r.Evidence[0] = "merge of branch " + name
		}
	case c.Builtin():
		c.guess(&r, known)
	default:
		c.applyRules(&r, factsOf(cm, branch), known)
	}
	if len(unknown) > 0 && len(c.exports) > 0 {
		r.Evidence = append(r.Evidence, strings.Join(unknown, ", ")+" not in the ticket exports")
	}
	return r
}

func (c *Classifier) ruleName(rule *config.Class) string {
	return fmt.Sprintf("rule at %s (%s)", c.cfg.Pos(rule.Line), rule.Name)
}

func (c *Classifier) applyRules(r *Result, f facts, tickets []*Ticket) {
	for i := range c.rules {
		rule := &c.rules[i]
		if ev, ok := matchRule(rule, f, tickets); ok {
			r.Class, r.Rule, r.Evidence = rule.Name, c.ruleName(rule), ev
			break
		}
	}
	if r.Class == "" {
		r.Class, r.Rule, r.Evidence = c.def, "default", []string{"no rule matched"}
	}
	// Mixed: each ticket alone would be classified by the first ticket rule it
	// satisfies; tickets landing in different classes are worth a look.
	var perTicket []string
	classes := map[string]bool{}
	for _, t := range tickets {
		for i := range c.rules {
			rule := &c.rules[i]
			if len(rule.Ticket) == 0 {
				continue
			}
			if _, ok := matchRule(rule, f, []*Ticket{t}); ok {
				perTicket = append(perTicket, t.ID+" -> "+rule.Name)
				classes[rule.Name] = true
				break
			}
		}
	}
	if len(classes) > 1 {
		r.Mixed = true
		r.Evidence = append(r.Evidence, "mixed: "+strings.Join(perTicket, ", "))
	}
}

// matchRule tests every condition of a rule; all must hold. The evidence
// says what matched, condition by condition.
func matchRule(rule *config.Class, f facts, tickets []*Ticket) ([]string, bool) {
	var ev []string
	if len(rule.Ticket) > 0 {
		found := false
		for _, t := range tickets {
			if e, ok := matchTicket(rule.Ticket, t); ok {
				ev = append(ev, e)
				found = true
			}
		}
		if !found {
			return nil, false
		}
	}
	if len(rule.Paths) > 0 {
		e, ok := matchPaths(rule.Paths, f.paths)
		if !ok {
			return nil, false
		}
		ev = append(ev, e)
	}
	if rule.Message != nil {
		if !rule.Message.Re.MatchString(f.message) {
			return nil, false
		}
		ev = append(ev, "message matches "+rule.Message.Source)
	}
	if rule.Author != nil {
		if !rule.Author.Re.MatchString(f.author) {
			return nil, false
		}
		ev = append(ev, fmt.Sprintf("author %s matches %s", f.author, rule.Author.Source))
	}
	if rule.Branch != nil {
		if f.branch == "" || !rule.Branch.Re.MatchString(f.branch) {
			return nil, false
		}
		ev = append(ev, fmt.Sprintf("branch %s matches %s", f.branch, rule.Branch.Source))
	}
	return ev, true
}

// matchTicket checks every field condition against one ticket.
func matchTicket(conds []config.FieldMatch, t *Ticket) (string, bool) {
	parts := make([]string, 0, len(conds))
	for _, fm := range conds {
		v, ok := t.Match(fm.Field, fm.Values)
		if !ok {
			return "", false
		}
		if v == "" {
			v = "(empty)"
		}
		parts = append(parts, fm.Field+"="+v)
	}
	return t.ID + " " + strings.Join(parts, ", "), true
}

// matchPaths holds when every changed path matches one of the globs; a commit
// that changes nothing matches no path rule.
func matchPaths(globs []config.Glob, paths []string) (string, bool) {
	if len(paths) == 0 {
		return "", false
	}
	used := map[string]bool{}
	for _, p := range paths {
		ok := false
		for _, g := range globs {
			if doublestar.MatchUnvalidated(g.Pattern, p) {
				used[g.Pattern] = true
				ok = true
				break
			}
		}
		if !ok {
			return "", false
		}
	}
	var list []string
	for _, g := range globs {
		if used[g.Pattern] {
			list = append(list, g.Pattern)
		}
	}
	return "all paths match " + strings.Join(list, ", "), true
}

// guess applies the built-in rules: a revert first (its subject quotes the
// reverted commit's tickets), then the tickets' types, then the message.
func (c *Classifier) guess(r *Result, tickets []*Ticket) {
	if g, ok := guessRevert(r.Commit); ok {
		r.Class, r.Rule, r.Evidence, r.Guessed = g.class, g.rule, []string{g.evidence}, true
		return
	}
	var first *guess
	var perTicket []string
	classes := map[string]bool{}
	for _, t := range tickets {
		if g, ok := guessFromTicket(t); ok {
			if first == nil || guessRank[g.class] < guessRank[first.class] {
				first = &g
			}
			perTicket = append(perTicket, t.ID+" -> "+g.class)
			classes[g.class] = true
		}
	}
	if first == nil {
		if g, ok := guessFromMessage(r.Commit, r.Branch); ok {
			first = &g
		}
	}
	if first == nil {
		r.Class, r.Rule, r.Evidence = c.def, "default", []string{"no built-in rule matched (no config classes)"}
		return
	}
	r.Class, r.Rule, r.Evidence, r.Guessed = first.class, first.rule, []string{first.evidence}, true
	if len(classes) > 1 {
		r.Mixed = true
		r.Evidence = append(r.Evidence, "mixed: "+strings.Join(perTicket, ", "))
	}
}
