package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// Decision is what happens to a commit of the range.
type Decision string

const (
	Keep    Decision = "keep"    // selected, and picked
	Pull    Decision = "pull"    // not selected, but a kept commit needs it: picked
	Drop    Decision = "drop"    // left out
	Present Decision = "present" // already on the target branch: not picked again
)

// Decisions in the order reports list them.
var Decisions = []Decision{Keep, Pull, Present, Drop}

// Strategy says what to do with a kept commit whose dependencies are not kept.
type Strategy string

const (
	StrategyPull  Strategy = "pull"  // pull the dependencies in (transitively)
	StrategyPrune Strategy = "prune" // drop the commit too (transitively)
	StrategyExact Strategy = "exact" // keep the selection as given, and warn
)

// ParseStrategy reads --strategy; "" means pull.
func ParseStrategy(s string) (Strategy, error) {
	switch Strategy(strings.ToLower(strings.TrimSpace(s))) {
	case "", StrategyPull:
		return StrategyPull, nil
	case StrategyPrune:
		return StrategyPrune, nil
	case StrategyExact:
		return StrategyExact, nil
	}
	return "", fmt.Errorf("unknown strategy %q: use pull (bring in what kept commits need), prune (drop kept commits whose needs are not kept) or exact (the selection as given), e.g. --strategy prune", s)
}

// Options are the selection and how to close it.
type Options struct {
	Keep, Drop []string // selectors (see ParseSelector)
	Strategy   Strategy // "" means pull
	// With lists the soft edge kinds to follow as well as the hard ones.
	With []deps.Kind
	// Onto names the target branch in reasons ("release/1.5"); "" for the base.
	Onto string
}

// Input is the analysed range.
type Input struct {
	Graph *deps.Graph
	// Results classify Graph.Commits, one each, in the same order.
	Results []classify.Result
	// Present are the commits already on the target branch (see FindPresent).
	Present map[plumbing.Hash]Presence
}

// Plan is a decision for every commit of the range, and the picks.
type Plan struct {
	Base, Head plumbing.Hash
	Onto       string
	Strategy   Strategy
	Follow     []deps.Kind // the edge kinds followed
	Commits    []Commit    // every commit of the range, oldest first
	// Picks are the commits to cherry-pick, in range order (topological,
	// oldest first), so no commit is applied before one it depends on.
	// Merges are never picked: git cherry-picks one parent's diff at a time,
	// and a merge's content is the sum of the commits it merged, which are
	// picked (or not) on their own; only the lines a merge wrote itself (a
	// conflict resolution) are lost, and a warning names every pick that
	// depends on such lines.
	Picks    []plumbing.Hash
	Warnings []Warning
	// Tickets is the whole-ticket view: per ticket, what is in and what is out.
	Tickets []Ticket
	// Notes are remarks on the selection (a selector that matches nothing...).
	Notes   []string
	Summary Summary
}

// Commit is one commit's decision and why.
type Commit struct {
	Result   *classify.Result
	Decision Decision
	// Reason says why, in words: the selector, or the chain of edges.
	Reason string
	// Selector is the selector that decided, when one did.
	Selector string
	// Chain is the path of edges behind a pull (from a kept commit down to
	// this one) or a prune (from this one down to the commit it misses).
	Chain []deps.Edge
	// Requires are the commits of the range this one depends on directly
	// (followed kinds; through a merge, the commits the merge depends on).
	Requires []plumbing.Hash
	// RequiredBy are the selected commits that need this one, directly or
	// transitively.
	RequiredBy []plumbing.Hash
	// Presence says where the commit already is, for decision present.
	Presence *Presence
}

// Picked tells whether the commit is cherry-picked.
func (c *Commit) Picked() bool {
	return (c.Decision == Keep || c.Decision == Pull) && !c.Result.Commit.Merge
}

// Warning is a dependency crossing the cut that the plan did not follow.
type Warning struct {
	// Kind is the edge kind (a soft edge not followed, or any edge under
	// the exact strategy), "merge-resolution" for a pick that depends on
	// lines a merge wrote itself, or "merge-conflict" for picks from both
	// sides of a conflict a merge resolved (Commit is the later pick,
	// DependsOn the merge).
	Kind      string
	Commit    plumbing.Hash // the picked commit
	DependsOn plumbing.Hash // the commit it needs, not picked
	Evidence  string        // in words
}

// Ticket is one ticket across the plan.
type Ticket struct {
	ID     string
	Status string          // "kept" (every commit in), "partly kept", "dropped" (none in)
	In     []plumbing.Hash // picked or already present
	Out    []plumbing.Hash // dropped
}

// Summary counts the plan.
type Summary struct {
	Total          int
	ByDecision     map[Decision]int
	ByClass        map[string]map[Decision]int
	TicketsKept    []string
	TicketsPartly  []string
	TicketsDropped []string
}

// need is one followed dependency of a commit, merges looked through.
type need struct {
	to  int
	via []deps.Edge // the edges from the commit to `to`, through merges
}

type planner struct {
	in      Input
	opts    Options
	g       *deps.Graph
	n       int
	follow  []deps.Kind
	needs   [][]need
	out     *Plan
	present []bool
	brought map[int][]int // merge -> the commits it brought in
}

// Build decides every commit of the range.
func Build(in Input, opts Options) (*Plan, error) {
	g := in.Graph
	if g == nil || len(in.Results) != len(g.Commits) {
		return nil, fmt.Errorf("plan: the classification does not match the graph's commits")
	}
	if opts.Strategy == "" {
		opts.Strategy = StrategyPull
	}
	keep, err := ParseSelectors(opts.Keep)
	if err != nil {
		return nil, fmt.Errorf("--keep: %w", err)
	}
	drop, err := ParseSelectors(opts.Drop)
	if err != nil {
		return nil, fmt.Errorf("--drop: %w", err)
	}
	if len(keep) == 0 && len(drop) == 0 {
		return nil, fmt.Errorf("nothing selected: say what to keep (e.g. --keep class:recette-fix --keep class:prod-fix) or what to drop (e.g. --drop class:feature), or set plan.keep in .triage.yaml")
	}
	p := &planner{in: in, opts: opts, g: g, n: len(g.Commits), follow: followed(opts.With), present: make([]bool, len(g.Commits)),
		brought: map[int][]int{}}
	p.out = &Plan{Base: g.Base, Head: g.Head, Onto: opts.Onto, Strategy: opts.Strategy, Follow: p.follow,
		Commits: make([]Commit, p.n)}
	for i := range p.out.Commits {
		c := &p.out.Commits[i]
		c.Result = &in.Results[i]
		if pr, ok := in.Present[g.Commits[i].Hash]; ok {
			p.present[i] = true
			pr := pr
			c.Presence = &pr
		}
	}
	p.computeNeeds()
	selected := p.select_(keep, drop)
	p.closure(selected)
	p.decideMerges()
	p.warnings()
	p.mergeConflicts()
	p.ticketsAndSummary()
	for i := range p.out.Commits {
		if p.out.Commits[i].Picked() {
			p.out.Picks = append(p.out.Picks, g.Commits[i].Hash)
		}
	}
	return p.out, nil
}

func followed(with []deps.Kind) []deps.Kind {
	out := append([]deps.Kind(nil), deps.HardKinds...)
	for _, k := range with {
		if !hasKind(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func hasKind(ks []deps.Kind, k deps.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// computeNeeds lists every commit's followed dependencies, seeing through
// merges: a dependency on lines a merge wrote becomes a dependency on what
// the merge itself depends on.
func (p *planner) computeNeeds() {
	p.needs = make([][]need, p.n)
	seenBy := make([]int, p.n) // i+1 once commit i's needs list the commit
	for i := range p.g.Commits {
		for j, e := range p.g.Dependencies(i, p.follow...) {
			if !p.g.Commits[j].Merge {
				if seenBy[j] != i+1 {
					seenBy[j] = i + 1
					p.needs[i] = append(p.needs[i], need{j, []deps.Edge{*e}})
				}
				continue
			}
			for _, nd := range p.needs[j] { // j < i: already computed
				if seenBy[nd.to] != i+1 {
					seenBy[nd.to] = i + 1
					p.needs[i] = append(p.needs[i], need{nd.to, append([]deps.Edge{*e}, nd.via...)})
				}
			}
		}
		for _, nd := range p.needs[i] {
			p.out.Commits[i].Requires = append(p.out.Commits[i].Requires, p.g.Commits[nd.to].Hash)
		}
	}
}

// selection is what the selectors say of one commit.
type selection struct {
	keep     bool
	by       *Selector // the deciding selector
	overrode *Selector // the selector of the other side it won over
}

// select_ applies the selectors: the most specific matching selector
// decides, a drop winning a tie; with only drop selectors, everything else is kept.
func (p *planner) select_(keep, drop []Selector) []selection {
	sel := make([]selection, p.n)
	matched := map[string]int{}
	for i := range p.in.Results {
		r := &p.in.Results[i]
		if r.Commit.Merge {
			continue
		}
		k, d := best(keep, r, matched), best(drop, r, matched)
		switch {
		case k != nil && (d == nil || k.specificity() > d.specificity()):
			sel[i] = selection{keep: true, by: k, overrode: d}
		case d != nil:
			sel[i] = selection{by: d, overrode: k}
		case len(keep) == 0:
			sel[i] = selection{keep: true}
		}
	}
	for _, s := range append(append([]Selector(nil), keep...), drop...) {
		if matched[s.String()] == 0 {
			p.out.Notes = append(p.out.Notes, fmt.Sprintf("selector %s matches no commit of the range%s", s, p.hint(s)))
		}
	}
	return sel
}

func best(sels []Selector, r *classify.Result, matched map[string]int) *Selector {
	var b *Selector
	for i := range sels {
		if sels[i].Match(r) {
			matched[sels[i].String()]++
			if b == nil || sels[i].specificity() > b.specificity() {
				b = &sels[i]
			}
		}
	}
	return b
}

// hint suggests the values that exist, for a selector that matched nothing.
func (p *planner) hint(s Selector) string {
	if s.Kind != "class" {
		return ""
	}
	seen := map[string]bool{}
	var classes []string
	for _, r := range p.in.Results {
		if !seen[r.Class] && !r.Commit.Merge {
			seen[r.Class] = true
			classes = append(classes, r.Class)
		}
	}
	sort.Strings(classes)
	return " (classes here: " + strings.Join(classes, ", ") + ")"
}

// closure applies the strategy to the selection.
func (p *planner) closure(sel []selection) {
	cs := p.out.Commits
	for i := range cs {
		switch {
		case p.g.Commits[i].Merge:
			continue
		case p.present[i]:
			cs[i].Decision = Present
			cs[i].Reason = p.presentReason(i, sel[i])
		case sel[i].keep:
			cs[i].Decision = Keep
			cs[i].Reason = keepReason(sel[i])
		default:
			cs[i].Decision = Drop
			cs[i].Reason = dropReason(sel[i])
		}
		if sel[i].by != nil {
			cs[i].Selector = sel[i].by.String()
		}
	}
	p.requiredBy(sel)
	switch p.opts.Strategy {
	case StrategyPull:
		p.pull()
	case StrategyPrune:
		p.prune()
	}
}

// requiredBy records, for every commit, the selected commits whose
// dependencies reach it; pull uses the first path found as the chain.
func (p *planner) requiredBy(sel []selection) {
	cs := p.out.Commits
	chains := make([][]deps.Edge, p.n)
	// One breadth-first search per kept commit; the searches share these
	// arrays: seenBy tells which search last reached a commit, and each
	// reached commit remembers how (from, via), so that a chain is built
	// only for the commits that keep it.
	seenBy := make([]int, p.n)
	from := make([]int, p.n)
	via := make([][]deps.Edge, p.n)
	var queue []int
	for k := range cs {
		if !sel[k].keep || p.present[k] || p.g.Commits[k].Merge {
			continue
		}
		search := k + 1
		seenBy[k] = search
		queue = append(queue[:0], k)
		for head := 0; head < len(queue); head++ {
			u := queue[head]
			if p.present[u] && u != k {
				continue // already there, with what it needs
			}
			for _, nd := range p.needs[u] {
				if seenBy[nd.to] == search {
					continue
				}
				seenBy[nd.to], from[nd.to], via[nd.to] = search, u, nd.via
				cs[nd.to].RequiredBy = append(cs[nd.to].RequiredBy, p.g.Commits[k].Hash)
				if chains[nd.to] == nil {
					chains[nd.to] = chainTo(nd.to, k, from, via)
				}
				queue = append(queue, nd.to)
			}
		}
	}
	for i := range cs {
		if cs[i].Decision != Keep {
			cs[i].Chain = chains[i]
		}
	}
}

// chainTo is the path a search from root found to v: the edges from root,
// in order.
func chainTo(v, root int, from []int, via [][]deps.Edge) []deps.Edge {
	n := 0
	for u := v; u != root; u = from[u] {
		n += len(via[u])
	}
	if n == 0 {
		return nil
	}
	chain := make([]deps.Edge, n)
	for u := v; u != root; u = from[u] {
		n -= len(via[u])
		copy(chain[n:], via[u])
	}
	return chain
}

// pull brings in every dependency of a kept commit.
func (p *planner) pull() {
	cs := p.out.Commits
	for i := range cs {
		if cs[i].Decision != Drop || len(cs[i].RequiredBy) == 0 {
			continue
		}
		cs[i].Decision = Pull
		reason := "pulled: " + p.neededBy(i)
		if cs[i].Selector != "" {
			reason += fmt.Sprintf(" (despite --drop %s)", cs[i].Selector)
		}
		cs[i].Reason = reason
	}
}

// neededBy explains a pull: which kept commits need it and through what.
func (p *planner) neededBy(i int) string {
	c := &p.out.Commits[i]
	first := c.Chain[0].Commit
	s := "needed by " + p.label(first)
	if others := len(c.RequiredBy) - 1; others > 0 {
		s += fmt.Sprintf(" and %d more kept commit%s", others, plural(others))
	}
	return s + ": " + p.chainText(c.Chain)
}

// chainText renders edges as "a -line-> b -file-> c (evidence of the last edge)".
func (p *planner) chainText(chain []deps.Edge) string {
	if len(chain) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(p.g.Commits[p.idx(chain[0].Commit)].Short())
	for _, e := range chain {
		sb.WriteString(" -" + string(e.Kind) + "-> " + p.g.Commits[p.idx(e.DependsOn)].Short())
	}
	last := chain[len(chain)-1]
	sb.WriteString(" (" + p.g.Commits[p.idx(last.Commit)].Short() + " " + last.Describe(p.shortOf) + ")")
	return sb.String()
}

// prune drops every kept commit whose dependencies are not all kept or
// present. Dependencies come earlier in the range, so one pass in range
// order settles every chain.
func (p *planner) prune() {
	cs := p.out.Commits
	for i := range cs {
		if cs[i].Decision != Keep {
			continue
		}
		for _, nd := range p.needs[i] {
			j := nd.to
			if cs[j].Decision == Keep || cs[j].Decision == Present {
				continue
			}
			cs[i].Decision = Drop
			cs[i].Chain = append(append([]deps.Edge(nil), nd.via...), pruneTail(&cs[j])...)
			why := "not kept"
			if strings.HasPrefix(cs[j].Reason, "pruned") {
				why = "pruned itself"
			} else if cs[j].Selector != "" {
				why = "dropped by " + cs[j].Selector
			}
			cs[i].Reason = fmt.Sprintf("pruned: it needs %s, which is %s: %s", p.label(p.g.Commits[j].Hash), why, p.chainText(cs[i].Chain))
			break
		}
	}
}

func pruneTail(c *Commit) []deps.Edge {
	if strings.HasPrefix(c.Reason, "pruned") {
		return c.Chain
	}
	return nil
}

// decideMerges gives every merge the decision of what it merged: a merge is
// never picked, its content comes with the picks of the commits it brought in.
func (p *planner) decideMerges() {
	cs := p.out.Commits
	for m, c := range p.g.Commits {
		if !c.Merge {
			continue
		}
		brought := p.broughtIn(m)
		picked := 0
		for _, j := range brought {
			if cs[j].Decision == Keep || cs[j].Decision == Pull || cs[j].Decision == Present {
				picked++
			}
		}
		switch {
		case len(brought) > 0 && picked > 0:
			cs[m].Decision = Keep
			cs[m].Reason = fmt.Sprintf("merge, not picked itself: %d of the %d commits it merged are picked or present, and bring its changes", picked, len(brought))
		default:
			cs[m].Decision = Drop
			cs[m].Reason = fmt.Sprintf("merge, not picked itself: none of the %d commits it merged is picked", len(brought))
		}
	}
}

// broughtIn lists the commits of the range a merge brought in: reachable
// from its other parents, not from its first. Commits are visited from the
// newest down (range order is topological, so every child of a commit is
// visited before it and its marks are final), and the walk stops as soon as
// only first-parent history is left, as git's paint_down_to_common does.
func (p *planner) broughtIn(m int) []int {
	if cached, ok := p.brought[m]; ok {
		return cached
	}
	const first, other = 1, 2
	marks := map[int]uint8{}
	h := &intHeap{}
	push := func(j int, mark uint8) {
		if old, seen := marks[j]; seen {
			marks[j] = old | mark
			return
		}
		marks[j] = mark
		heapPush(h, j)
	}
	for k, ph := range p.g.Commits[m].Parents {
		if j, ok := p.g.Index(ph); ok {
			if k == 0 {
				push(j, first)
			} else {
				push(j, other)
			}
		}
	}
	pendingOther := 0
	for _, mk := range marks {
		if mk == other {
			pendingOther++
		}
	}
	var out []int
	for len(*h) > 0 && pendingOther > 0 {
		j := heapPop(h)
		mk := marks[j]
		if mk == other {
			pendingOther--
			if !p.g.Commits[j].Merge {
				out = append(out, j)
			}
		}
		for _, ph := range p.g.Commits[j].Parents {
			k, ok := p.g.Index(ph)
			if !ok {
				continue
			}
			before, seen := marks[k]
			push(k, mk)
			after := marks[k]
			switch {
			case !seen && after == other:
				pendingOther++
			case seen && before == other && after != other:
				pendingOther--
			}
		}
	}
	sort.Ints(out)
	p.brought[m] = out
	return out
}

// intHeap is a max-heap of commit indices.
type intHeap []int

func heapPush(h *intHeap, v int) {
	*h = append(*h, v)
	for i := len(*h) - 1; i > 0; {
		parent := (i - 1) / 2
		if (*h)[parent] >= (*h)[i] {
			break
		}
		(*h)[parent], (*h)[i] = (*h)[i], (*h)[parent]
		i = parent
	}
}

func heapPop(h *intHeap) int {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < last && (*h)[l] > (*h)[big] {
			big = l
		}
		if r < last && (*h)[r] > (*h)[big] {
			big = r
		}
		if big == i {
			break
		}
		(*h)[i], (*h)[big] = (*h)[big], (*h)[i]
		i = big
	}
	return top
}

// warnings lists the dependencies of picks that the plan leaves behind.
func (p *planner) warnings() {
	cs := p.out.Commits
	ok := func(j int) bool { return cs[j].Picked() || cs[j].Decision == Present }
	for i := range cs {
		if !cs[i].Picked() {
			continue
		}
		h := p.g.Commits[i].Hash
		for j, e := range p.g.Dependencies(i) {
			switch {
			case p.g.Commits[j].Merge && hasKind(p.follow, e.Kind):
				p.out.Warnings = append(p.out.Warnings, Warning{Kind: "merge-resolution", Commit: h, DependsOn: e.DependsOn,
					Evidence: fmt.Sprintf("%s %s; a merge is never picked, so cherry-picking %s may conflict there: resolve it as the merge did",
						p.g.Commits[i].Short(), e.Describe(p.shortOf), p.g.Commits[i].Short())})
			case ok(j) || p.g.Commits[j].Merge:
			case !hasKind(p.follow, e.Kind) || p.opts.Strategy == StrategyExact:
				p.out.Warnings = append(p.out.Warnings, Warning{Kind: string(e.Kind), Commit: h, DependsOn: e.DependsOn,
					Evidence: p.g.Commits[i].Short() + " " + e.Describe(p.shortOf) + ", which is not picked"})
			}
		}
	}
}

// mergeConflicts warns when the picks include commits from both sides of a
// conflict that a merge resolved: git will stop on the second one.
func (p *planner) mergeConflicts() {
	cs := p.out.Commits
	for m, c := range p.g.Commits {
		if !c.Merge {
			continue
		}
		brought := map[int]bool{}
		for _, j := range p.broughtIn(m) {
			brought[j] = true
		}
		var ours, theirs []deps.Edge
		for j, e := range p.g.Dependencies(m, deps.Line, deps.Adjacent) {
			if !cs[j].Picked() {
				continue
			}
			if brought[j] {
				theirs = append(theirs, *e)
			} else {
				ours = append(ours, *e)
			}
		}
		if len(ours) == 0 || len(theirs) == 0 {
			continue
		}
		a, b := ours[0], theirs[0]
		if p.idx(b.DependsOn) < p.idx(a.DependsOn) {
			a, b = b, a
		}
		p.out.Warnings = append(p.out.Warnings, Warning{Kind: "merge-conflict", Commit: b.DependsOn, DependsOn: c.Hash,
			Evidence: fmt.Sprintf("%s and %s both changed %s around line%s %s, a conflict merge %s resolved by hand; "+
				"cherry-picking %s after %s will conflict there: resolve it as the merge did",
				p.label(a.DependsOn), p.label(b.DependsOn), b.Path, plural(len(b.Lines)), b.LinesText(), c.Short(),
				p.g.Commits[p.idx(b.DependsOn)].Short(), p.g.Commits[p.idx(a.DependsOn)].Short())})
	}
}

// ticketsAndSummary builds the whole-ticket view and the counts, and tells
// each pulled commit which commits of its tickets stay out.
func (p *planner) ticketsAndSummary() {
	cs := p.out.Commits
	byTicket := map[string]*Ticket{}
	var order []string
	for i := range cs {
		if p.g.Commits[i].Merge {
			continue
		}
		for _, id := range cs[i].Result.Tickets {
			t := byTicket[id]
			if t == nil {
				t = &Ticket{ID: id}
				byTicket[id] = t
				order = append(order, id)
			}
			if cs[i].Picked() || cs[i].Decision == Present {
				t.In = append(t.In, p.g.Commits[i].Hash)
			} else {
				t.Out = append(t.Out, p.g.Commits[i].Hash)
			}
		}
	}
	sort.Strings(order)
	s := Summary{Total: p.n, ByDecision: map[Decision]int{}, ByClass: map[string]map[Decision]int{}}
	for _, id := range order {
		t := byTicket[id]
		switch {
		case len(t.Out) == 0:
			t.Status = "kept"
			s.TicketsKept = append(s.TicketsKept, id)
		case len(t.In) == 0:
			t.Status = "dropped"
			s.TicketsDropped = append(s.TicketsDropped, id)
		default:
			t.Status = "partly kept"
			s.TicketsPartly = append(s.TicketsPartly, id)
		}
		p.out.Tickets = append(p.out.Tickets, *t)
	}
	for i := range cs {
		c := &cs[i]
		s.ByDecision[c.Decision]++
		if s.ByClass[c.Result.Class] == nil {
			s.ByClass[c.Result.Class] = map[Decision]int{}
		}
		s.ByClass[c.Result.Class][c.Decision]++
		if c.Decision != Pull {
			continue
		}
		for _, id := range c.Result.Tickets {
			if t := byTicket[id]; len(t.Out) > 0 {
				var out []string
				for _, h := range t.Out {
					out = append(out, p.g.Commits[p.idx(h)].Short())
				}
				c.Reason += fmt.Sprintf("; ticket %s stays partly out: %s not picked", id, strings.Join(out, ", "))
			}
		}
	}
	p.out.Summary = s
}

func (p *planner) presentReason(i int, sel selection) string {
	pr := p.out.Commits[i].Presence
	onto := p.opts.Onto
	if onto == "" {
		onto = "the target branch"
	}
	s := fmt.Sprintf("already on %s: %s", onto, pr.Evidence)
	if sel.by != nil && !sel.keep {
		s += fmt.Sprintf(" (%s would have dropped it)", sel.by)
	}
	return s
}

func keepReason(s selection) string {
	switch {
	case s.by == nil:
		return "kept: no drop selector matches it"
	case s.overrode != nil:
		return fmt.Sprintf("kept by %s (more specific than %s)", s.by, s.overrode)
	}
	return "kept by " + s.by.String()
}

func dropReason(s selection) string {
	switch {
	case s.by == nil:
		return "not selected"
	case s.overrode != nil:
		return fmt.Sprintf("dropped by %s (it also matches %s)", s.by, s.overrode)
	}
	return "dropped by " + s.by.String()
}

func (p *planner) idx(h plumbing.Hash) int {
	i, _ := p.g.Index(h)
	return i
}

// label names a commit for people: short SHA, svn revision, first ticket.
func (p *planner) label(h plumbing.Hash) string {
	i := p.idx(h)
	return Label(p.g.Commits[i], p.in.Results[i].Tickets)
}

func (p *planner) shortOf(h plumbing.Hash) string { return p.label(h) }

// Label is how plans name a commit: "9616c5b r24911 (PAY-110)".
func Label(c *vcs.Commit, tickets []string) string {
	s := c.Short()
	if c.SvnRev > 0 {
		s += fmt.Sprintf(" r%d", c.SvnRev)
	}
	if len(tickets) > 0 {
		s += " (" + strings.Join(tickets, ", ") + ")"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
