package deps

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Source is what Build reads beyond the range itself; *vcs.Repo satisfies it.
type Source interface {
	// Commit returns a commit's metadata (its tree, for parents outside the range).
	Commit(h plumbing.Hash) (*vcs.Commit, error)
	// DiffTrees returns the changes between two trees, with hunks, as the
	// range's commits carry them (used to diff a merge against each parent).
	DiffTrees(oldTree, newTree plumbing.Hash) ([]vcs.FileChange, error)
	// TreeFiles lists the files of a tree (the base's, to index its identifiers).
	TreeFiles(tree plumbing.Hash) (map[string]vcs.TreeEntry, error)
	// ReadBlob returns a blob's content.
	ReadBlob(h plumbing.Hash) ([]byte, error)
}

// Options tunes Build.
type Options struct {
	// NoSymbols skips symbol edges and the indexing of the base tree they need.
	NoSymbols bool
	// MaxIndexedFile is the size above which a base file's identifiers are not
	// indexed (generated or vendored files); 0 means 1 MiB.
	MaxIndexedFile int64
	// Workers bounds the goroutines reading blobs and diffing merges; 0 means one per CPU.
	Workers int
	// CacheDir is where the answers about the base tree's identifiers are
	// kept between runs (see basecache.go): "" or "off" keeps none, as does
	// the environment's TRIAGE_CACHE=off. The command passes UserCacheDir().
	CacheDir string
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Build computes the dependency graph of a range in one forward pass over
// its commits, oldest first, tracking which commit last wrote each line of
// each file the range touches. It walks the real DAG: each commit starts from
// its first parent's view; a merge takes every line from the parent it came
// from, and owns the lines it wrote itself (a conflict resolution). Views are
// kept only for the files the range touches and only until every child of a
// commit is processed, so memory follows what the range changes, not the
// repository.
func Build(ctx context.Context, src Source, rng *vcs.Range, opts Options) (*Graph, error) {
	if rng == nil {
		return nil, fmt.Errorf("deps: no range to build a graph of")
	}
	b := &builder{
		ctx: ctx, src: src, opts: opts, g: newGraph(rng.Base, rng.Head, rng.Commits),
		edges: map[edgeKey]*Edge{},
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops background work on an early return
	b.ctx = ctx
	var syms *symbolIndex
	if !opts.NoSymbols {
		syms = buildSymbolIndex(rng, opts)
		syms.scanBase(ctx, src, rng, opts)
	}
	merges := b.prefetchMerges()
	if err := b.pass(merges, syms); err != nil {
		if syms != nil {
			cancel()
			<-syms.baseDone
		}
		return nil, err
	}
	b.messageEdges() // while the base scan may still run
	if syms != nil {
		if err := syms.finish(b); err != nil {
			return nil, err
		}
	}
	edges := make([]Edge, 0, len(b.edges))
	for k, e := range b.edges {
		if k.kind == Adjacent && b.edges[edgeKey{k.from, k.to, Line, k.path}] != nil {
			continue // the line edge says more
		}
		e.Lines = mergeRanges(e.Lines)
		edges = append(edges, *e)
	}
	b.g.setEdges(edges)
	return b.g, nil
}

type builder struct {
	// peakViews is the most views alive at once (for tests: memory follows
	// the history's width, not its length).
	peakViews int
	ctx       context.Context
	src       Source
	opts      Options
	g         *Graph
	edges     map[edgeKey]*Edge
}

type edgeKey struct {
	from, to int32
	kind     Kind
	path     string
}

// add records one piece of evidence that commit from depends on commit to.
func (b *builder) add(from, to int32, kind Kind, path string, lines LineRange, evidence string) {
	if to == noOwner || to == from {
		return
	}
	k := edgeKey{from, to, kind, path}
	e := b.edges[k]
	if e == nil {
		e = &Edge{Commit: b.g.Commits[from].Hash, DependsOn: b.g.Commits[to].Hash, Kind: kind, Path: path, Evidence: evidence}
		b.edges[k] = e
	}
	if lines != noLines {
		e.Lines = append(e.Lines, lines)
	}
}

// view is the ownership of every file the range touched, as one commit sees it.
type view struct {
	files map[string]*fileState
	// origin is the commit outside the range whose content the paths
	// missing from files have (the base, usually); zero when the view
	// mixes several (a merge of histories that left the range apart).
	origin plumbing.Hash
	// reach is the set of symbol introducers among the commit's ancestors
	// (bit = introducer ordinal), to bind a use to an introduction it can see.
	reach bitset
}

func (v *view) clone() *view {
	// fileStates are never changed once shared: a shallow copy will do, and
	// maps.Clone copies the table whole rather than inserting each entry.
	return &view{files: maps.Clone(v.files), origin: v.origin, reach: v.reach.clone()}
}

// mergeDiffs are a merge's changes against its parents: against the first
// one always (prefetched), against the others only when the views cannot
// tell which version of a path the merge kept.
type mergeDiffs struct {
	done    chan struct{}
	err     error
	parents [][]vcs.FileChange // nil until computed, for parents after the first
	// lazy tells, per parent, that its changes lack hunks and binary flags
	// (see treeLister): mergeCtx.complete fills them for the paths it diffs.
	lazy []bool
}

// treeLister is a Source that can list the paths two trees differ by
// without reading them, and complete one such entry as DiffTrees would
// (*vcs.Repo can): a merge's line-level work concerns the few paths that
// differ from every parent, so the others need not be read nor diffed.
type treeLister interface {
	TreeChanges(oldTree, newTree plumbing.Hash) ([]vcs.FileChange, error)
	FileDiff(fc vcs.FileChange) (vcs.FileChange, error)
}

// prefetchMerges diffs every merge against each parent in the background,
// so the sequential pass rarely waits.
func (b *builder) prefetchMerges() map[int]*mergeDiffs {
	out := map[int]*mergeDiffs{}
	var jobs []int
	for i, c := range b.g.Commits {
		if len(c.Parents) > 1 {
			out[i] = &mergeDiffs{done: make(chan struct{})}
			jobs = append(jobs, i)
		}
	}
	if len(jobs) == 0 {
		return out
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(b.opts.workers(), len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				md := out[i]
				m := b.g.Commits[i]
				md.parents = make([][]vcs.FileChange, len(m.Parents))
				md.lazy = make([]bool, len(m.Parents))
				md.parents[0], md.lazy[0], md.err = b.diffMerge(m, 0)
				close(md.done)
			}
		}()
	}
	go func() {
		defer close(work)
		for k, i := range jobs {
			select {
			case work <- i:
			case <-b.ctx.Done():
				// The jobs never handed out end with the context's error;
				// those a worker took end when it is done with them.
				for _, j := range jobs[k:] {
					out[j].err = b.ctx.Err()
					close(out[j].done)
				}
				return
			}
		}
	}()
	return out
}

// diffMerge diffs a merge against one of its parents (positions only).
// When the Source can list the changed paths alone and the list leaves no
// rename to pair (no addition or no deletion), that list is returned,
// lazy: hunks are computed later for the paths that need them.
func (b *builder) diffMerge(m *vcs.Commit, parent int) (changes []vcs.FileChange, lazy bool, err error) {
	p := m.Parents[parent]
	tree, err := b.treeOf(p)
	if err != nil {
		return nil, false, err
	}
	fail := func(err error) ([]vcs.FileChange, bool, error) {
		return nil, false, fmt.Errorf("deps: diffing merge %s against its parent %s: %w", m.Short(), p.String()[:7], err)
	}
	if tl, ok := b.src.(treeLister); ok {
		changes, err := tl.TreeChanges(tree, m.Tree)
		if err != nil {
			return fail(err)
		}
		if !mayRename(changes) {
			return changes, true, nil
		}
	}
	changes, err = b.src.DiffTrees(tree, m.Tree)
	if err != nil {
		return fail(err)
	}
	for c := range changes {
		for h := range changes[c].Hunks {
			changes[c].Hunks[h].Lines = nil // only positions matter here
		}
	}
	return changes, false, nil
}

// mayRename tells whether rename detection could pair anything: it needs
// an added path and a deleted one.
func mayRename(changes []vcs.FileChange) bool {
	added, deleted := false, false
	for _, fc := range changes {
		added = added || fc.Status == vcs.Added
		deleted = deleted || fc.Status == vcs.Deleted
	}
	return added && deleted
}

func (b *builder) treeOf(h plumbing.Hash) (plumbing.Hash, error) {
	if i, ok := b.g.index[h]; ok {
		return b.g.Commits[i].Tree, nil
	}
	c, err := b.src.Commit(h)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("deps: reading commit %s: %w", h.String()[:7], err)
	}
	return c.Tree, nil
}

// pass walks the range oldest first, keeping one view per commit whose
// children are not all processed yet.
func (b *builder) pass(merges map[int]*mergeDiffs, syms *symbolIndex) error {
	commits := b.g.Commits
	pending := make([]int, len(commits)) // children in the range not yet processed
	for _, c := range commits {
		for _, p := range c.Parents {
			if i, ok := b.g.index[p]; ok {
				pending[i]++
			}
		}
	}
	views := make(map[int]*view)
	// take returns parent p's view for one of its children: the view itself
	// for the last child, a copy otherwise; an empty view for a parent
	// outside the range (its lines all belong to the base).
	take := func(p plumbing.Hash) *view {
		i, ok := b.g.index[p]
		if !ok {
			return &view{files: map[string]*fileState{}, origin: p}
		}
		v := views[i]
		if pending[i]--; pending[i] == 0 {
			delete(views, i)
			return v
		}
		return v.clone()
	}
	for i, c := range commits {
		if i%64 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		var v *view
		if len(c.Parents) == 0 {
			v = &view{files: map[string]*fileState{}}
		} else if len(c.Parents) == 1 {
			v = take(c.Parents[0])
			if err := b.applyCommit(int32(i), v); err != nil {
				return err
			}
		} else {
			md := merges[i]
			<-md.done
			if md.err != nil {
				return md.err
			}
			parents := make([]*view, len(c.Parents))
			for j, p := range c.Parents {
				parents[j] = take(p)
			}
			var err error
			if v, err = b.applyMerge(int32(i), parents, md); err != nil {
				return err
			}
			md.parents = nil
		}
		if len(c.Parents) == 0 {
			if err := b.applyCommit(int32(i), v); err != nil {
				return err
			}
		}
		if syms != nil {
			syms.visit(int32(i), v)
		}
		if pending[i] > 0 {
			views[i] = v
			b.peakViews = max(b.peakViews, len(views))
		}
	}
	return nil
}

// applyCommit records the edges of a non-merge commit and updates the view.
// Deletions and renames go first: a commit may delete a path and create
// another file there (or rename one onto it).
func (b *builder) applyCommit(c int32, v *view) error {
	changes := b.g.Commits[c].Changes
	for fi := range changes {
		fc := &changes[fi]
		switch fc.Status {
		case vcs.Deleted:
			b.deleteFile(c, fc.OldPath, v.files[fc.OldPath])
			v.files[fc.OldPath] = deletedState(c)
		case vcs.Renamed:
			if err := b.modifyFile(c, v, fc); err != nil {
				return err
			}
		}
	}
	for fi := range changes {
		fc := &changes[fi]
		var err error
		switch fc.Status {
		case vcs.Added:
			err = b.addFile(c, v, fc)
		case vcs.Modified:
			err = b.modifyFile(c, v, fc)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) addFile(c int32, v *view, fc *vcs.FileChange) error {
	prev := v.files[fc.NewPath]
	if prev != nil && prev.deletedBy != noOwner {
		b.add(c, prev.deletedBy, File, fc.NewPath, noLines, evRecreates)
	}
	st := newFileState()
	st.created, st.blob, st.mode = c, fc.NewHash, fc.NewMode
	v.files[fc.NewPath] = st
	return b.writeContent(c, st, nil, fc)
}

// deleteFile records that c removes every line of path.
func (b *builder) deleteFile(c int32, path string, prev *fileState) {
	if prev == nil {
		return
	}
	prev.owners(func(owner int32, kind Kind, lines LineRange) {
		if lines == noLines {
			b.add(c, owner, Line, path, noLines, evBinary)
			return
		}
		b.add(c, owner, kind, path, lines, "")
	})
	if prev.created != noOwner {
		b.add(c, prev.created, File, path, noLines, evDeletes)
	}
	if prev.renamedBy != noOwner {
		b.add(c, prev.renamedBy, Rename, path, noLines, prev.renamedFrom)
	}
}

func (b *builder) modifyFile(c int32, v *view, fc *vcs.FileChange) error {
	prev := v.files[fc.OldPath]
	if prev != nil && prev.deletedBy != noOwner {
		prev = nil // cannot happen with a consistent history; be safe
	}
	st := newFileState()
	st.blob, st.mode = fc.NewHash, fc.NewMode
	if prev != nil {
		st.created, st.renamedBy, st.renamedFrom = prev.created, prev.renamedBy, prev.renamedFrom
		if prev.created != noOwner {
			ev := evModifies
			if fc.Status == vcs.Renamed {
				ev = evRenames
			}
			b.add(c, prev.created, File, fc.OldPath, noLines, ev)
		}
		if prev.renamedBy != noOwner {
			b.add(c, prev.renamedBy, Rename, fc.OldPath, noLines, prev.renamedFrom)
		}
	}
	if err := b.writeContent(c, st, prev, fc); err != nil {
		return err
	}
	if fc.Status == vcs.Renamed {
		st.renamedBy, st.renamedFrom = c, fc.OldPath
		v.files[fc.OldPath] = deletedState(c)
	}
	v.files[fc.NewPath] = st
	return nil
}

func deletedState(by int32) *fileState {
	st := newFileState()
	st.deletedBy = by
	return st
}

// writeContent records the line edges of change fc made by c over prev, and
// sets st's ownership to the result.
func (b *builder) writeContent(c int32, st, prev *fileState, fc *vcs.FileChange) error {
	path := fc.OldPath
	if path == "" {
		path = fc.NewPath
	}
	var spans []span
	binary := noOwner
	if prev != nil {
		spans, binary = prev.spans, prev.binary
	}
	contentChanged := fc.OldHash != fc.NewHash || fc.Status == vcs.Added
	switch {
	case !contentChanged:
		st.spans, st.binary = spans, binary
	case fc.Binary || binary != noOwner:
		// No line mapping: the change replaces the whole content.
		prev.owners(func(owner int32, kind Kind, lines LineRange) {
			if lines == noLines {
				b.add(c, owner, Line, path, noLines, evBinary)
				return
			}
			b.add(c, owner, Line, path, lines, "")
		})
		return b.ownWhole(c, st, fc)
	default:
		for _, h := range fc.Hunks {
			o, k := oldSide(h)
			touches(spans, o, k, func(owner int32, kind Kind, lines LineRange) {
				b.add(c, owner, kind, path, lines, "")
			})
		}
		st.spans = applyHunks(spans, fc.Hunks, c)
	}
	return nil
}

// ownWhole makes c the owner of all of a file's new content: by lines when
// it is text (a binary file turned text), as a whole when it is binary.
func (b *builder) ownWhole(c int32, st *fileState, fc *vcs.FileChange) error {
	if !fc.Binary {
		st.spans = applyHunks(nil, fc.Hunks, c)
		return nil
	}
	content, err := b.src.ReadBlob(fc.NewHash)
	if err != nil {
		return fmt.Errorf("deps: reading %s at %s: %w", fc.NewPath, b.g.Commits[c].Short(), err)
	}
	if vcsIsBinary(content) {
		st.binary = c
		return nil
	}
	if n := countLines(content); n > 0 {
		st.spans = []span{{0, int32(n), c}}
	}
	return nil
}

// vcsIsBinary is git's buffer_is_binary: a NUL in the first 8000 bytes.
func vcsIsBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), 8000)], 0) >= 0
}

func countLines(content []byte) int {
	n := bytes.Count(content, []byte{'\n'})
	if len(content) > 0 && content[len(content)-1] != '\n' {
		n++
	}
	return n
}

// mergeRanges sorts and joins overlapping or touching line ranges.
func mergeRanges(rs []LineRange) []LineRange {
	if len(rs) < 2 {
		return rs
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Start != rs[j].Start {
			return rs[i].Start < rs[j].Start
		}
		return rs[i].Count < rs[j].Count
	})
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r.Count > 0 && last.Count > 0 && r.Start <= last.Start+last.Count {
			if end := r.Start + r.Count; end > last.Start+last.Count {
				last.Count = end - last.Start
			}
			continue
		}
		if r == *last {
			continue
		}
		out = append(out, r)
	}
	return out
}
