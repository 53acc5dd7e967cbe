package gate

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// checker holds the input indexed once.
type checker struct {
	in       Input
	p        Policy
	src      map[plumbing.Hash]*Commit // source commits
	srcOrder map[plumbing.Hash]int
	out, rev map[plumbing.Hash][]deps.Edge // source edges by depending commit, by commit depended on
	branch   map[plumbing.Hash]*Commit
	onBranch map[plumbing.Hash]plumbing.Hash // source commit -> the branch commit that carries it
	required map[plumbing.Hash]string        // branch commit -> why an allowed commit needs it
}

// Check evaluates every rule of the policy on every commit of the branch and
// returns all the violations at once. It fails only on an input it cannot
// judge (a policy without rules, max_risk without risk scores).
func Check(in Input) (*Result, error) {
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	if in.Policy.MaxRisk != "" && in.Risk == nil && in.BranchRisk == nil {
		return nil, errors.New("gate: the policy sets max_risk, but no risk was assessed (Input.Risk and Input.BranchRisk are nil)")
	}
	c := newChecker(in)
	res := &Result{Policy: in.Policy, Rules: in.Policy.Enabled(), BranchRisk: in.BranchRisk}
	for i := range in.Branch {
		res.Commits = append(res.Commits, c.checkCommit(&in.Branch[i]))
	}
	res.Branch = c.checkBranchRisk()
	res.UnusedWaivers = c.applyWaivers(res)
	return res, nil
}

func newChecker(in Input) *checker {
	c := &checker{
		in: in, p: in.Policy,
		src: map[plumbing.Hash]*Commit{}, srcOrder: map[plumbing.Hash]int{},
		out: map[plumbing.Hash][]deps.Edge{}, rev: map[plumbing.Hash][]deps.Edge{},
		branch: map[plumbing.Hash]*Commit{}, onBranch: map[plumbing.Hash]plumbing.Hash{},
		required: map[plumbing.Hash]string{},
	}
	for i := range in.SourceCommits {
		sc := &in.SourceCommits[i]
		c.src[sc.Commit.Hash] = sc
		c.srcOrder[sc.Commit.Hash] = i
	}
	for _, e := range in.Edges {
		c.out[e.Commit] = append(c.out[e.Commit], e)
		c.rev[e.DependsOn] = append(c.rev[e.DependsOn], e)
	}
	for i := range in.Branch {
		b := &in.Branch[i]
		c.branch[b.Commit.Hash] = b
		if o, ok := c.origin(b.Commit.Hash); ok {
			if _, seen := c.onBranch[o.Source]; !seen {
				c.onBranch[o.Source] = b.Commit.Hash
			}
		}
	}
	for src, b := range in.Carried {
		if _, onIt := c.branch[b]; onIt {
			if _, seen := c.onBranch[src]; !seen {
				c.onBranch[src] = b
			}
		}
	}
	if c.p.AllowRequired {
		c.findRequired()
	}
	return c
}

// origin says where a branch commit came from in the source, if anywhere.
func (c *checker) origin(h plumbing.Hash) (Origin, bool) {
	if o, ok := c.in.Origins[h]; ok && !o.Source.IsZero() {
		return o, true
	}
	if _, ok := c.src[h]; ok {
		return Origin{Source: h, Via: ViaSameCommit}, true
	}
	return Origin{}, false
}

// effective gives a branch commit's tickets and class, falling back on its
// source commit's when its own message says nothing (an "svn merge" record,
// a reworded cherry-pick).
func (c *checker) effective(b *Commit) (tickets []string, class, inherited string) {
	tickets, class = b.Tickets, b.Class
	o, ok := c.origin(b.Commit.Hash)
	if !ok || o.Source == b.Commit.Hash {
		return tickets, class, ""
	}
	s := c.src[o.Source]
	if s == nil {
		return tickets, class, ""
	}
	var took []string
	if len(tickets) == 0 && len(s.Tickets) > 0 {
		tickets = s.Tickets
		took = append(took, "tickets")
	}
	if (class == "" || class == c.in.DefaultClass) && s.Class != "" && s.Class != c.in.DefaultClass {
		class = s.Class
		took = append(took, "class")
	}
	if len(took) > 0 {
		inherited = fmt.Sprintf("%s from %s, which it was taken from (%s)", strings.Join(took, " and "), s.Commit.Short(), o.Via)
	}
	return tickets, class, inherited
}

func (c *checker) allowed(class string) bool {
	for _, a := range c.p.Allow {
		if strings.EqualFold(a, class) {
			return true
		}
	}
	return false
}

// findRequired marks the branch commits an allowed commit of the branch
// depends on, directly or through other such commits, with the first chain
// found. Soft edges count too: a commit whose absence the gate would warn
// about cannot be refused for being there.
func (c *checker) findRequired() {
	var queue []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	for i := range c.in.Branch {
		b := &c.in.Branch[i]
		if _, class, _ := c.effective(b); !b.Commit.Merge && c.allowed(class) {
			queue = append(queue, b.Commit.Hash)
			seen[b.Commit.Hash] = true
		}
	}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		o, ok := c.origin(h)
		if !ok {
			continue
		}
		for _, e := range c.out[o.Source] {
			dep, ok := c.onBranch[e.DependsOn]
			if !ok || seen[dep] {
				continue
			}
			seen[dep] = true
			b := c.branch[h]
			_, class, _ := c.effective(b)
			why := fmt.Sprintf("required by %s (%s): %s", c.branchName(b), class, c.describe(e))
			if up, ok := c.required[h]; ok {
				why += "; " + up
			}
			c.required[dep] = why
			queue = append(queue, dep)
		}
	}
}

func (c *checker) checkCommit(b *Commit) CommitReport {
	tickets, class, inherited := c.effective(b)
	rep := CommitReport{Commit: b.Commit, Tickets: tickets, Class: class, Inherited: inherited}
	if o, ok := c.origin(b.Commit.Hash); ok {
		rep.Origin = &o
	}
	if r, ok := c.in.Risk[b.Commit.Hash]; ok {
		rep.Risk = &r
	}
	if b.Commit.Merge {
		rep.Notes = append(rep.Notes, "merge commit: not checked itself; the commits it brings in are checked one by one")
		return rep
	}
	if c.p.RequireTicket {
		rep.Violations = append(rep.Violations, c.checkTicket(b, tickets)...)
	}
	if len(c.p.Allow) > 0 {
		vs, note := c.checkAllow(b, class)
		rep.Violations = append(rep.Violations, vs...)
		if note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	if c.p.Source != "" {
		rep.Violations = append(rep.Violations, c.checkSource(b)...)
	}
	if c.p.DependencySafe {
		rep.Violations = append(rep.Violations, c.checkDependencies(b)...)
	}
	if c.p.MaxRisk != "" {
		rep.Violations = append(rep.Violations, c.checkRisk(b, rep.Risk)...)
	}
	return rep
}

func (c *checker) violation(b *Commit, rule Rule, sev Severity, msg, fix string, evidence ...string) Violation {
	path, line := firstChange(b.Commit)
	return Violation{Commit: b.Commit.Hash, Short: label(b.Commit), Rule: rule, Severity: sev,
		Message: msg, Evidence: evidence, Fix: fix, Path: path, Line: line}
}

func (c *checker) checkTicket(b *Commit, tickets []string) []Violation {
	if len(tickets) > 0 {
		return nil
	}
	short := b.Commit.Short()
	return []Violation{c.violation(b, RequireTicket, Error,
		fmt.Sprintf("%s names no ticket: %q", label(b.Commit), b.Commit.Subject),
		fmt.Sprintf("name the ticket in the message (reword it before it is pushed, or revert %s and apply it again with the ticket), "+
			"or waive it in .triage.yaml: gate.waivers: [{commit: %s, reason: ...}]", short, short),
		"no ticket id in the subject, the body, the trailers (Ticket:, Refs:, Issue:, Bug:) or a merged branch name")}
}

func (c *checker) checkAllow(b *Commit, class string) ([]Violation, string) {
	if c.allowed(class) {
		return nil, ""
	}
	if why, ok := c.required[b.Commit.Hash]; ok {
		return nil, fmt.Sprintf("class %s allowed (allow_required): %s", class, why)
	}
	short := b.Commit.Short()
	evidence := []string{fmt.Sprintf("class %s; the branch allows %s", class, strings.Join(c.p.Allow, ", "))}
	for _, w := range c.in.Branch[c.branchIndex(b.Commit.Hash)].ClassWhy {
		evidence = append(evidence, "classified: "+w)
	}
	if c.p.AllowRequired {
		evidence = append(evidence, "no allowed commit of the branch depends on it (allow_required)")
	}
	fix := fmt.Sprintf("drop it (git revert %s)%s", short, c.alsoDrop(b))
	if class == c.in.DefaultClass {
		fix += ", or link it to a ticket so that it gets a class"
	}
	fix += fmt.Sprintf(", or waive it: gate.waivers: [{commit: %s, reason: ...}]", short)
	msg := fmt.Sprintf("%s is classed %s, which the branch does not allow", c.branchName(b), class)
	return []Violation{c.violation(b, Allow, Error, msg, fix, evidence...)}, ""
}

func (c *checker) branchIndex(h plumbing.Hash) int {
	for i := range c.in.Branch {
		if c.in.Branch[i].Commit.Hash == h {
			return i
		}
	}
	return -1
}

var (
	svnMergeLine = regexp.MustCompile(`(?i)\bmerged?\s+(?:revisions?\s+)?r?([0-9]+(?:\s*[-,:]\s*r?[0-9]+)*)`)
)

func (c *checker) checkSource(b *Commit) []Violation {
	if _, ok := c.origin(b.Commit.Hash); ok {
		return nil
	}
	short := b.Commit.Short()
	var evidence []string
	for _, from := range vcs.CherryPickedFrom(b.Commit.Message) {
		evidence = append(evidence, fmt.Sprintf("its message says (cherry picked from commit %s), but that commit is not on %s since the branch's base", from, c.p.Source))
	}
	for _, m := range svnMergeLine.FindAllStringSubmatch(b.Commit.Message, -1) {
		evidence = append(evidence, fmt.Sprintf("its message records a Subversion merge of %s, but no commit of %s has that revision", m[1], c.p.Source))
	}
	evidence = append(evidence, fmt.Sprintf("no commit of %s since the branch's base is the same commit or has the same patch-id", c.p.Source))
	return []Violation{c.violation(b, Source, Error,
		fmt.Sprintf("%s was not taken from %s", c.branchName(b), c.p.Source),
		fmt.Sprintf("land the change on %s first and cherry-pick it from there (git cherry-pick -x SHA), "+
			"or waive it: gate.waivers: [{commit: %s, reason: ...}]", c.p.Source, short),
		evidence...)}
}

func (c *checker) checkDependencies(b *Commit) []Violation {
	o, ok := c.origin(b.Commit.Hash)
	if !ok {
		return nil // not taken from the source: its dependencies there are unknown, and checkSource says so
	}
	var out []Violation
	edges := c.out[o.Source]
	for i := 0; i < len(edges); {
		j := i
		for j < len(edges) && edges[j].DependsOn == edges[i].DependsOn {
			j++
		}
		if v, bad := c.missingDependency(b, edges[i:j]); bad {
			out = append(out, v)
		}
		i = j
	}
	return append(out, c.missingFollowups(b, o.Source)...)
}

// missingFollowups warns about what the source did to the commit later and
// the branch lacks: a fixup! (the commit is taken without its correction),
// or a revert (the source gave the change up). Not a dependency of the
// commit, so a warning, but the kind of gap a pruned branch ships by mistake.
func (c *checker) missingFollowups(b *Commit, src plumbing.Hash) []Violation {
	var out []Violation
	for _, e := range c.rev[src] {
		if e.Kind != deps.Revert {
			continue
		}
		if _, present := c.onBranch[e.Commit]; present {
			continue
		}
		later, short := c.sourceName(e.Commit), b.Commit.Short()
		var msg, fix string
		if fixupPrefix.MatchString(e.Evidence) {
			msg = fmt.Sprintf("%s has a later correction on %s, %s, which is not on the branch", c.branchName(b), c.p.Source, later)
			fix = fmt.Sprintf("cherry-pick %s (git cherry-pick -x %s), or drop %s (git revert %s)%s",
				e.Commit.String()[:7], e.Commit.String()[:7], short, short, c.alsoDrop(b))
		} else {
			msg = fmt.Sprintf("%s was reverted on %s by %s, which is not on the branch", c.branchName(b), c.p.Source, later)
			fix = fmt.Sprintf("drop %s as %s did (git revert %s)%s, or waive it if the branch needs it after all", short, c.p.Source, short, c.alsoDrop(b))
		}
		v := c.violation(b, DependencySafe, Warning, msg, fix, fmt.Sprintf("%s: %s", e.Commit.String()[:7], e.Evidence))
		v.DependsOn = e.Commit
		out = append(out, v)
	}
	return out
}

var fixupPrefix = regexp.MustCompile(`^(fixup|squash|amend)! `)

// missingDependency judges the edges from one commit to one commit it needs
// (hardest kind first, as deps sorts them).
func (c *checker) missingDependency(b *Commit, edges []deps.Edge) (Violation, bool) {
	dep := edges[0].DependsOn
	if _, present := c.onBranch[dep]; present {
		return Violation{}, false
	}
	hard := edges[0].Kind.Hard()
	sev := Warning
	if hard || c.p.SoftAsErrors {
		sev = Error
	}
	evidence := make([]string, 0, len(edges))
	for _, e := range edges {
		evidence = append(evidence, fmt.Sprintf("%s edge (%s): %s", e.Kind, hardness(e.Kind), c.describe(e)))
	}
	msg := fmt.Sprintf("%s %s, which is not on the branch", c.branchName(b), c.describe(edges[0]))
	v := c.violation(b, DependencySafe, sev, msg, c.dependencyFix(b, dep, hard), evidence...)
	v.DependsOn = dep
	if edges[0].Path != "" {
		v.Path = edges[0].Path
		v.Line = 1
		if len(edges[0].Lines) > 0 {
			v.Line = max(1, edges[0].Lines[0].Start)
		}
	}
	return v, true
}

func hardness(k deps.Kind) string {
	if k.Hard() {
		return "hard: git cannot apply the change, or it means nothing, without it"
	}
	return "soft: likely needed, not proven"
}

// dependencyFix says what to cherry-pick (the missing commit and, first, its
// own missing hard dependencies) or what to drop.
func (c *checker) dependencyFix(b *Commit, dep plumbing.Hash, hard bool) string {
	short := b.Commit.Short()
	need := c.missingClosure(dep)
	var pick string
	if d := c.src[dep]; d != nil && d.Commit.Merge {
		pick = fmt.Sprintf("merge into the branch what %s merged (its conflict resolution is needed)", d.Commit.Short())
	} else if len(need) == 1 {
		pick = fmt.Sprintf("cherry-pick %s (git cherry-pick -x %s)", need[0], need[0])
	} else {
		pick = fmt.Sprintf("cherry-pick %s in this order, as %s needs the others (git cherry-pick -x %s)",
			strings.Join(need, ", "), dep.String()[:7], strings.Join(need, " "))
	}
	fix := fmt.Sprintf("%s, or drop %s (git revert %s)%s", pick, short, short, c.alsoDrop(b))
	if !hard {
		fix = fmt.Sprintf("check that %s builds and works without it; if not, %s", short, fix)
	}
	return fix
}

// missingClosure lists, in source order, dep and the source commits it
// needs through hard edges that are not on the branch.
func (c *checker) missingClosure(dep plumbing.Hash) []string {
	seen := map[plumbing.Hash]bool{dep: true}
	stack := []plumbing.Hash{dep}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range c.out[h] {
			if !e.Kind.Hard() || seen[e.DependsOn] {
				continue
			}
			if _, present := c.onBranch[e.DependsOn]; present {
				continue
			}
			seen[e.DependsOn] = true
			stack = append(stack, e.DependsOn)
		}
	}
	list := make([]plumbing.Hash, 0, len(seen))
	for h := range seen {
		list = append(list, h)
	}
	slices.SortFunc(list, func(a, b plumbing.Hash) int { return c.srcOrder[a] - c.srcOrder[b] })
	out := make([]string, len(list))
	for i, h := range list {
		out[i] = h.String()[:7]
	}
	return out
}

// alsoDrop names the branch commits that need b through hard edges, which
// must go with it: ", with what needs it: 1234567, 89abcde".
func (c *checker) alsoDrop(b *Commit) string {
	o, ok := c.origin(b.Commit.Hash)
	if !ok {
		return ""
	}
	seen := map[plumbing.Hash]bool{o.Source: true}
	stack := []plumbing.Hash{o.Source}
	var found []plumbing.Hash
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range c.rev[h] {
			if !e.Kind.Hard() || seen[e.Commit] {
				continue
			}
			seen[e.Commit] = true
			if bh, ok := c.onBranch[e.Commit]; ok {
				found = append(found, bh)
				stack = append(stack, e.Commit)
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	idx := map[plumbing.Hash]int{}
	for i := range c.in.Branch {
		idx[c.in.Branch[i].Commit.Hash] = i
	}
	slices.SortFunc(found, func(a, b plumbing.Hash) int { return idx[b] - idx[a] }) // revert newest first
	names := make([]string, len(found))
	for i, h := range found {
		names[i] = h.String()[:7]
	}
	return ", with what needs it on the branch: " + strings.Join(names, ", ")
}

func (c *checker) checkRisk(b *Commit, r *CommitRisk) []Violation {
	if r == nil || levelRank(r.Level) <= levelRank(c.p.MaxRisk) {
		return nil
	}
	short := b.Commit.Short()
	return []Violation{c.violation(b, MaxRisk, Error,
		fmt.Sprintf("%s is %s risk (score %d), above max_risk %s", c.branchName(b), r.Level, r.Score, c.p.MaxRisk),
		fmt.Sprintf("have it reviewed and its area re-tested, then waive it with the reviewer's name: "+
			"gate.waivers: [{commit: %s, reason: ...}]; or drop it (git revert %s)%s", short, short, c.alsoDrop(b)),
		r.Why...)}
}

func (c *checker) checkBranchRisk() []Violation {
	r := c.in.BranchRisk
	if c.p.MaxRisk == "" || r == nil || levelRank(r.Level) <= levelRank(c.p.MaxRisk) {
		return nil
	}
	return []Violation{{
		Rule: MaxRisk, Severity: Error, Short: "branch",
		Message:  fmt.Sprintf("the branch as a whole is %s risk, above max_risk %s", r.Level, c.p.MaxRisk),
		Evidence: r.Reasons,
		Fix: "re-test what the pruning changed (triage risk lists the retest scope), take along the commits " +
			"whose absence splits logic, or drop the risky ones; a waiver cannot cover the branch as a whole",
	}}
}

// applyWaivers marks the violations the waivers cover and returns the
// waivers that covered none. A waiver covers exactly the violations of the
// commits it names: never those of another commit, even one depending on it.
func (c *checker) applyWaivers(res *Result) []UnusedWaiver {
	used := make([]int, len(c.p.Waivers))    // violations suppressed
	matched := make([]int, len(c.p.Waivers)) // commits named
	for ci := range res.Commits {
		rep := &res.Commits[ci]
		wi := c.waiverFor(rep)
		if wi < 0 {
			continue
		}
		matched[wi]++
		for vi := range rep.Violations {
			w := c.p.Waivers[wi]
			rep.Violations[vi].Waiver = &w
			used[wi]++
		}
	}
	var unused []UnusedWaiver
	for i, w := range c.p.Waivers {
		switch {
		case matched[i] == 0:
			unused = append(unused, UnusedWaiver{w, fmt.Sprintf("names no commit of the branch (%s)", w.Subject())})
		case used[i] == 0:
			unused = append(unused, UnusedWaiver{w, fmt.Sprintf("the %d commit(s) it names pass without it: remove it", matched[i])})
		}
	}
	return unused
}

// waiverFor returns the index of the first waiver naming the commit, or -1.
func (c *checker) waiverFor(rep *CommitReport) int {
	sha := rep.Commit.Hash.String()
	var src string
	if rep.Origin != nil {
		src = rep.Origin.Source.String()
	}
	for i, w := range c.p.Waivers {
		if w.Commit != "" && (strings.HasPrefix(sha, w.Commit) || src != "" && strings.HasPrefix(src, w.Commit)) {
			return i
		}
		if w.Ticket != "" {
			for _, t := range rep.Tickets {
				if strings.EqualFold(t, w.Ticket) {
					return i
				}
			}
		}
	}
	return -1
}

// describe words an edge, naming the commit depended on with its tickets and class.
func (c *checker) describe(e deps.Edge) string {
	return e.Describe(c.sourceName)
}

// sourceName is "9616c5b PAY-109 (feature)".
func (c *checker) sourceName(h plumbing.Hash) string {
	s := c.src[h]
	if s == nil {
		return h.String()[:7]
	}
	name := label(s.Commit)
	if len(s.Tickets) > 0 {
		name += " " + strings.Join(s.Tickets, " ")
	}
	if s.Class != "" {
		name += " (" + s.Class + ")"
	}
	return name
}

// branchName is "c0ffee1 PAY-110".
func (c *checker) branchName(b *Commit) string {
	tickets, _, _ := c.effective(b)
	if len(tickets) == 0 {
		return label(b.Commit)
	}
	return label(b.Commit) + " " + strings.Join(tickets, " ")
}

// label is the short SHA, with the Subversion revision when known.
func label(c *vcs.Commit) string {
	if c.SvnRev > 0 {
		return fmt.Sprintf("%s r%d", c.Short(), c.SvnRev)
	}
	return c.Short()
}

// firstChange locates a commit for annotations: its first changed file, at
// its first changed line.
func firstChange(c *vcs.Commit) (string, int) {
	for _, f := range c.Changes {
		if f.NewPath == "" {
			continue
		}
		line := 1
		if len(f.Hunks) > 0 {
			line = max(1, f.Hunks[0].NewStart)
		}
		return f.NewPath, line
	}
	return "", 0
}
