package deps

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Kind is why one commit depends on another.
type Kind string

// The edge kinds. Hard kinds make a cherry-pick fail (or be meaningless)
// without the commit depended on; soft kinds are likely but unproven needs.
const (
	Line     Kind = "line"     // changes or deletes lines the other commit last wrote
	Adjacent Kind = "adjacent" // changes lines touching lines the other commit last wrote
	File     Kind = "file"     // modifies or deletes a file the other created, or re-creates a file it deleted
	Revert   Kind = "revert"   // reverts the other commit, or is its fixup!/squash!
	Rename   Kind = "rename"   // changes a file at a path that exists because the other renamed it
	Symbol   Kind = "symbol"   // uses an identifier the other introduced
)

// Kinds lists every kind, hard ones first: the order edges are sorted in.
var Kinds = []Kind{Line, Adjacent, File, Revert, Rename, Symbol}

// HardKinds are followed by default when computing a plan.
var HardKinds = []Kind{Line, Adjacent, File, Revert}

// Hard tells whether git itself would fail (conflict, or apply nothing) when
// the commit depended on is missing.
func (k Kind) Hard() bool { return k == Line || k == Adjacent || k == File || k == Revert }

func (k Kind) rank() int {
	for i, x := range Kinds {
		if x == k {
			return i
		}
	}
	return len(Kinds)
}

// ParseKinds reads kind names as given to --with (comma-separated or repeated).
func ParseKinds(names []string) ([]Kind, error) {
	var out []Kind
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			part = strings.TrimSpace(strings.ToLower(part))
			if part == "" {
				continue
			}
			k := Kind(part)
			if k.rank() == len(Kinds) {
				return nil, fmt.Errorf("unknown dependency kind %q: use one of %s (e.g. --with rename,symbol)", part, kindList())
			}
			out = append(out, k)
		}
	}
	return out, nil
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// LineRange is a run of lines, 1-based and inclusive. An empty run (Count 0)
// is the point just after line Start, as in git's hunk headers.
type LineRange struct{ Start, Count int }

func (r LineRange) String() string {
	switch r.Count {
	case 0:
		return "after " + strconv.Itoa(r.Start)
	case 1:
		return strconv.Itoa(r.Start)
	}
	return strconv.Itoa(r.Start) + "-" + strconv.Itoa(r.Start+r.Count-1)
}

// Edge says that Commit depends on DependsOn.
type Edge struct {
	Commit    plumbing.Hash
	DependsOn plumbing.Hash
	Kind      Kind
	// Path is the file the evidence is in, as Commit's parent names it
	// (for symbol edges: the file where Commit uses the identifier).
	Path string
	// Lines are the lines of Path involved: for line edges the lines Commit
	// changes that DependsOn last wrote, for adjacent edges DependsOn's lines
	// that Commit's change touches, for symbol edges where Commit uses it.
	Lines []LineRange
	// Evidence is the identifiers (symbol), the message line (revert,
	// fixup), the action (file: "modifies", "renames", "deletes",
	// "re-creates"), the old path (rename), "binary" for a line edge on a
	// binary file; empty for other line and adjacent edges, whose evidence
	// is Path and Lines.
	Evidence string
}

// LinesText prints Lines as "12-14, 20".
func (e Edge) LinesText() string {
	parts := make([]string, len(e.Lines))
	for i, r := range e.Lines {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// Describe says in words why Commit depends on DependsOn; name renders a
// commit (e.g. short SHA and ticket).
func (e Edge) Describe(name func(plumbing.Hash) string) string {
	dep := name(e.DependsOn)
	switch e.Kind {
	case Line:
		if e.Evidence == evBinary {
			return fmt.Sprintf("changes binary file %s, last written by %s", e.Path, dep)
		}
		return fmt.Sprintf("changes line%s %s of %s, last written by %s", plural(e.Lines), e.LinesText(), e.Path, dep)
	case Adjacent:
		return fmt.Sprintf("edits right next to line%s %s of %s, written by %s (git cannot merge touching changes)", plural(e.Lines), e.LinesText(), e.Path, dep)
	case File:
		switch e.Evidence {
		case evRecreates:
			return fmt.Sprintf("re-creates %s, which %s deleted", e.Path, dep)
		}
		return fmt.Sprintf("%s %s, which %s created", e.Evidence, e.Path, dep)
	case Revert:
		return fmt.Sprintf("%s (%s)", revertVerb(e.Evidence), dep) + ": " + e.Evidence
	case Rename:
		return fmt.Sprintf("changes %s, which exists at this path because %s renamed it from %s", e.Path, dep, e.Evidence)
	case Symbol:
		where := e.Path
		if len(e.Lines) > 0 {
			where += ":" + e.LinesText()
		}
		return fmt.Sprintf("uses %s (in %s), introduced by %s", e.Evidence, where, dep)
	}
	return fmt.Sprintf("%s dependency on %s", e.Kind, dep)
}

func revertVerb(evidence string) string {
	if strings.HasPrefix(evidence, "fixup!") || strings.HasPrefix(evidence, "squash!") || strings.HasPrefix(evidence, "amend!") {
		return "is a fixup of its target"
	}
	return "reverts it"
}

func plural(r []LineRange) string {
	if len(r) == 1 && r[0].Count <= 1 {
		return ""
	}
	return "s"
}

// Evidence words of file edges.
const (
	evModifies  = "modifies"
	evDeletes   = "deletes"
	evRenames   = "renames"
	evRecreates = "re-creates"
	evBinary    = "binary"
)

// Graph is the dependency graph of a range.
type Graph struct {
	Base, Head plumbing.Hash
	Commits    []*vcs.Commit // the range, oldest first
	// Notes are facts the graph could not turn into edges (a revert of a
	// commit outside the range, a fixup without a target...), for reports.
	Notes []string
	edges []Edge
	index map[plumbing.Hash]int
	out   [][]int // edge indices by depending commit
	in    [][]int // edge indices by commit depended on
	to    []int   // by edge index: the range index of the commit depended on
}

func newGraph(base, head plumbing.Hash, commits []*vcs.Commit) *Graph {
	g := &Graph{Base: base, Head: head, Commits: commits, index: make(map[plumbing.Hash]int, len(commits))}
	for i, c := range commits {
		g.index[c.Hash] = i
	}
	return g
}

// NewGraph builds a graph from given edges (for tests and for callers that
// filter a graph); edges naming commits outside the list are an error.
func NewGraph(base, head plumbing.Hash, commits []*vcs.Commit, edges []Edge) (*Graph, error) {
	g := newGraph(base, head, commits)
	for _, e := range edges {
		if _, ok := g.index[e.Commit]; !ok {
			return nil, fmt.Errorf("edge from %s: commit not in the range", e.Commit)
		}
		if _, ok := g.index[e.DependsOn]; !ok {
			return nil, fmt.Errorf("edge to %s: commit not in the range", e.DependsOn)
		}
	}
	g.setEdges(edges)
	return g, nil
}

func (g *Graph) setEdges(edges []Edge) {
	// The order is sorted on small keys, each edge's commits looked up once
	// (not at every comparison), then the edges are put in it.
	type key struct {
		from, to, rank, i int32
	}
	keys := make([]key, len(edges))
	for i, e := range edges {
		keys[i] = key{int32(g.index[e.Commit]), int32(g.index[e.DependsOn]), int32(e.Kind.rank()), int32(i)}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.rank, b.rank),
			strings.Compare(edges[a.i].Path, edges[b.i].Path))
	})
	sorted := make([]Edge, len(edges))
	g.out = make([][]int, len(g.Commits))
	g.in = make([][]int, len(g.Commits))
	g.to = make([]int, len(edges))
	for i, k := range keys {
		sorted[i] = edges[k.i]
		g.out[k.from] = append(g.out[k.from], i)
		g.in[k.to] = append(g.in[k.to], i)
		g.to[i] = int(k.to)
	}
	g.edges = sorted
}

// Dependencies yields the edges from the commit at range index i (of the
// given kinds, all when none is given), each with the range index of the
// commit depended on: DependsOn without looking commits up by hash or
// copying edges. The edges are the graph's own and must not be changed.
func (g *Graph) Dependencies(i int, kinds ...Kind) iter.Seq2[int, *Edge] {
	return func(yield func(int, *Edge) bool) {
		for _, k := range g.out[i] {
			if keep(g.edges[k].Kind, kinds) && !yield(g.to[k], &g.edges[k]) {
				return
			}
		}
	}
}

// Index is a commit's position in the range (oldest first).
func (g *Graph) Index(h plumbing.Hash) (int, bool) {
	i, ok := g.index[h]
	return i, ok
}

// Commit returns the range commit with hash h, or nil.
func (g *Graph) Commit(h plumbing.Hash) *vcs.Commit {
	if i, ok := g.index[h]; ok {
		return g.Commits[i]
	}
	return nil
}

// Edges returns the edges of the given kinds (all when none is given),
// ordered by depending commit, then commit depended on (both in range
// order), kind and path.
func (g *Graph) Edges(kinds ...Kind) []Edge {
	var out []Edge
	for _, e := range g.edges {
		if keep(e.Kind, kinds) {
			out = append(out, e)
		}
	}
	return out
}

// DependsOn returns the edges from commit h: what it needs.
func (g *Graph) DependsOn(h plumbing.Hash, kinds ...Kind) []Edge {
	i, ok := g.index[h]
	if !ok {
		return nil
	}
	return g.pick(g.out[i], kinds)
}

// RequiredBy returns the edges to commit h: what needs it.
func (g *Graph) RequiredBy(h plumbing.Hash, kinds ...Kind) []Edge {
	i, ok := g.index[h]
	if !ok {
		return nil
	}
	return g.pick(g.in[i], kinds)
}

func (g *Graph) pick(idx []int, kinds []Kind) []Edge {
	var out []Edge
	for _, i := range idx {
		if keep(g.edges[i].Kind, kinds) {
			out = append(out, g.edges[i])
		}
	}
	return out
}

func keep(k Kind, kinds []Kind) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
