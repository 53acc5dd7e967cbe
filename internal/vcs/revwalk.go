package vcs

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
)

// The commit walk, ported from git's revision.c (limit_list, process_parents,
// mark_parents_uninteresting, still_interesting) and commit.c
// (sort_in_topological_order with REV_SORT_IN_GRAPH_ORDER), so that the range
// comes out in exactly the order of `git rev-list --topo-order --reverse
// BASE..HEAD`. git's result is not just any topological order: it depends on
// the date-ordered walk, on which commits that walk had parsed when it marked
// others uninteresting, and on the LIFO queue of the topological sort. Each
// of those is reproduced here, including the "parsed" state: a commit's
// parents are only known once git has parsed it.

const (
	flagSeen = 1 << iota
	flagUninteresting
	flagAdded
)

// slop is how many more uninteresting commits the walk looks at once
// everything left seems uninteresting (SLOP), to cope with clock skew.
const slop = 5

type walkNode struct {
	hash    plumbing.Hash
	date    int64
	tree    plumbing.Hash
	parents []*walkNode // known only once parsed
	parsed  bool
	flags   int
}

type revWalk struct {
	r       *Repo
	rd      *objectReader
	nodes   map[plumbing.Hash]*walkNode
	shallow map[plumbing.Hash]bool
}

func (w *revWalk) node(h plumbing.Hash) *walkNode {
	n := w.nodes[h]
	if n == nil {
		n = &walkNode{hash: h}
		w.nodes[h] = n
	}
	return n
}

// parse reads a commit's date and parents (repo_parse_commit). A shallow
// commit has no parents, as git sees it through the shallow graft.
func (w *revWalk) parse(n *walkNode) error {
	if n.parsed {
		return nil
	}
	raw, err := w.rd.read(n.hash, plumbing.CommitObject)
	if err != nil {
		return err
	}
	c, err := parseCommitHeader(n.hash, raw)
	if err != nil {
		return err
	}
	n.parsed, n.date, n.tree = true, c.date, c.tree
	if w.shallow[n.hash] {
		return nil
	}
	n.parents = make([]*walkNode, len(c.parents))
	for i, p := range c.parents {
		n.parents[i] = w.node(p)
	}
	return nil
}

// insertByDate inserts n before the first commit older than it
// (commit_list_insert_by_date).
func insertByDate(list []*walkNode, n *walkNode) []*walkNode {
	i := 0
	for i < len(list) && list[i].date >= n.date {
		i++
	}
	return slices.Insert(list, i, n)
}

// markParentsUninteresting marks the already-parsed ancestry of n uninteresting.
func markParentsUninteresting(n *walkNode) {
	var pending []*walkNode
	markOne := func(c *walkNode) {
		if c.flags&flagUninteresting != 0 {
			return
		}
		c.flags |= flagUninteresting
		pending = append(pending, c.parents...)
	}
	for _, p := range n.parents {
		markOne(p)
	}
	for len(pending) > 0 {
		c := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		markOne(c)
	}
}

// processParents queues a commit's parents (process_parents) with add.
func (w *revWalk) processParents(n *walkNode, add func(*walkNode)) error {
	if n.flags&flagAdded != 0 {
		return nil
	}
	n.flags |= flagAdded
	if n.flags&flagUninteresting != 0 {
		for _, p := range n.parents {
			p.flags |= flagUninteresting
			if err := w.parse(p); err != nil {
				continue // git parses uninteresting parents gently
			}
			if len(p.parents) > 0 {
				markParentsUninteresting(p)
			}
			if p.flags&flagSeen != 0 {
				continue
			}
			p.flags |= flagSeen
			add(p)
		}
		return nil
	}
	for _, p := range n.parents {
		if err := w.parse(p); err != nil {
			if errors.Is(err, errMissing) {
				return fmt.Errorf("commit %s: parent %s is missing; the repository is incomplete (fetch it again, or run git fsck)", n.hash.String()[:12], p.hash.String()[:12])
			}
			return err
		}
		if p.flags&flagSeen == 0 {
			p.flags |= flagSeen
			add(p)
		}
	}
	return nil
}

func everybodyUninteresting(list []*walkNode) bool {
	for _, n := range list {
		if n.flags&flagUninteresting == 0 {
			return false
		}
	}
	return true
}

// stillInteresting decides whether the walk must go on after an
// uninteresting commit (still_interesting).
func stillInteresting(list []*walkNode, date int64, s int) int {
	if len(list) == 0 {
		return 0
	}
	if date <= list[0].date {
		return slop
	}
	if !everybodyUninteresting(list) {
		return slop
	}
	return s - 1
}

// limitList walks from the start commits, newest first, and returns the
// commits that were interesting when popped, in the order popped (limit_list).
func (w *revWalk) limitList(list []*walkNode) ([]*walkNode, error) {
	var newlist []*walkNode
	date := int64(math.MaxInt64)
	s := slop
	for len(list) > 0 {
		n := list[0]
		list = list[1:]
		if err := w.processParents(n, func(p *walkNode) { list = insertByDate(list, p) }); err != nil {
			return nil, err
		}
		if n.flags&flagUninteresting != 0 {
			markParentsUninteresting(n)
			s = stillInteresting(list, date, s)
			if s > 0 {
				continue
			}
			break
		}
		date = n.date
		newlist = append(newlist, n)
	}
	return newlist, nil
}

// exactSet walks from the start commits by decreasing generation number
// (then date), as git's incremental topo walk explores with a commit-graph,
// and returns the commits reachable from the interesting starts and not from
// the uninteresting ones. Once no uninteresting commit left to walk has a
// generation as high as an interesting commit found, none can reach it.
func (w *revWalk) exactSet(start []*walkNode, gens *generations) ([]*walkNode, error) {
	gen := map[*walkNode]uint64{}
	genOf := func(n *walkNode) uint64 {
		g, ok := gen[n]
		if !ok {
			g = gens.of(n.hash)
			gen[n] = g
		}
		return g
	}
	q := &genQueue{gen: genOf}
	for _, n := range start {
		heap.Push(q, n)
	}
	var popped []*walkNode
	minInteresting := uint64(0) // 0: none found yet
	found := false
	for q.Len() > 0 {
		if everybodyUninteresting(q.nodes) && (!found || genOf(q.nodes[0]) < minInteresting) {
			break
		}
		n := heap.Pop(q).(*walkNode)
		if err := w.processParents(n, func(p *walkNode) { heap.Push(q, p) }); err != nil {
			return nil, err
		}
		if n.flags&flagUninteresting != 0 {
			markParentsUninteresting(n)
			continue
		}
		popped = append(popped, n)
		if g := genOf(n); !found || g < minInteresting {
			minInteresting, found = g, true
		}
	}
	out := popped[:0]
	for _, n := range popped {
		if n.flags&flagUninteresting == 0 {
			out = append(out, n)
		}
	}
	return out, nil
}

// genQueue is a max-heap by generation, then commit date.
type genQueue struct {
	nodes []*walkNode
	gen   func(*walkNode) uint64
}

func (q *genQueue) Len() int { return len(q.nodes) }
func (q *genQueue) Less(i, j int) bool {
	gi, gj := q.gen(q.nodes[i]), q.gen(q.nodes[j])
	if gi != gj {
		return gi > gj
	}
	return q.nodes[i].date > q.nodes[j].date
}
func (q *genQueue) Swap(i, j int) { q.nodes[i], q.nodes[j] = q.nodes[j], q.nodes[i] }
func (q *genQueue) Push(x any)    { q.nodes = append(q.nodes, x.(*walkNode)) }
func (q *genQueue) Pop() any {
	n := q.nodes[len(q.nodes)-1]
	q.nodes = q.nodes[:len(q.nodes)-1]
	return n
}

// topoSort orders the walked commits children first, as
// sort_in_topological_order does in graph order: tips in walk order, then a
// LIFO queue where a parent enters once all its children are out.
func topoSort(list []*walkNode) []*walkNode {
	indegree := make(map[*walkNode]int, len(list))
	for _, n := range list {
		indegree[n] = 1
	}
	for _, n := range list {
		for _, p := range n.parents {
			if indegree[p] > 0 {
				indegree[p]++
			}
		}
	}
	var stack []*walkNode
	for _, n := range list {
		if indegree[n] == 1 {
			stack = append(stack, n)
		}
	}
	slices.Reverse(stack)
	out := make([]*walkNode, 0, len(list))
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range n.parents {
			if indegree[p] == 0 {
				continue
			}
			indegree[p]--
			if indegree[p] == 1 {
				stack = append(stack, p)
			}
		}
		indegree[n] = 0
		out = append(out, n)
	}
	return out
}

// revList returns the commits of base..head (everything reachable from head
// when base is zero), oldest first, exactly as git rev-list --topo-order
// --reverse lists them.
func (r *Repo) revList(base, head plumbing.Hash) ([]*walkNode, error) {
	rd := r.reader()
	defer r.release(rd)
	w := &revWalk{r: r, rd: rd, nodes: map[plumbing.Hash]*walkNode{}, shallow: r.shallow}
	var start []*walkNode
	if !base.IsZero() {
		b := w.node(base)
		b.flags |= flagUninteresting | flagSeen
		if err := w.parse(b); err != nil {
			return nil, fmt.Errorf("base %s: %w", base.String()[:12], err)
		}
		markParentsUninteresting(b)
		start = append(start, b)
	}
	h := w.node(head)
	if err := w.parse(h); err != nil {
		return nil, fmt.Errorf("head %s: %w", head.String()[:12], err)
	}
	if h.flags&flagSeen == 0 {
		h.flags |= flagSeen
		start = append(start, h)
	}
	// commit_list_sort_by_date: a stable sort, newest first.
	slices.SortStableFunc(start, func(a, b *walkNode) int {
		switch {
		case a.date > b.date:
			return -1
		case a.date < b.date:
			return 1
		}
		return 0
	})
	var walked []*walkNode
	var err error
	if r.gens != nil {
		walked, err = w.exactSet(start, r.gens)
	} else {
		walked, err = w.limitList(start)
	}
	if err != nil {
		return nil, err
	}
	sorted := topoSort(walked)
	out := make([]*walkNode, 0, len(sorted))
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		if n.flags&flagUninteresting != 0 {
			continue
		}
		if r.shallow[n.hash] {
			return nil, errShallow(n.hash)
		}
		out = append(out, n)
	}
	return out, nil
}
