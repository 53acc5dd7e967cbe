package deps

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/internal/xdiff"
)

// applyMerge builds a merge's view from its parents' views and its diffs
// against each parent. A path the merge left as one parent had it takes that
// parent's ownership (the first such parent, as git's first-parent view
// does); a path that differs from every parent is composed line by line:
// each line comes from the first parent where it is unchanged, and lines
// that match no parent (a conflict resolution, an "evil merge") belong to
// the merge, which then depends on the lines it replaced.
func (b *builder) applyMerge(m int32, parents []*view, md *mergeDiffs) (*view, error) {
	mx := &mergeCtx{b: b, m: m, parents: parents, md: md, byPath: make([]map[string]*vcs.FileChange, len(parents))}
	if err := mx.index(0); err != nil {
		return nil, err
	}
	v := parents[0] // already a private copy (or the last use of the parent's view)
	for _, p := range parents[1:] {
		v.reach = v.reach.or(p.reach)
		if p.origin != v.origin {
			v.origin = plumbing.ZeroHash
		}
	}
	paths := make([]string, 0, len(mx.byPath[0]))
	for p := range mx.byPath[0] {
		paths = append(paths, p)
	}
	sort.Strings(paths) // deterministic edge evidence order
	first := parents[0].files
	next := make(map[string]*fileState, len(paths))
	for _, path := range paths {
		st, ok, err := mx.fromSomeParent(path)
		if err != nil {
			return nil, err
		}
		if !ok {
			if st, err = mx.composeMerged(path); err != nil {
				return nil, err
			}
		}
		next[path] = st
	}
	for path, st := range next {
		if st == nil {
			delete(first, path)
		} else {
			first[path] = st
		}
	}
	return v, nil
}

// mergeCtx is one merge being applied.
type mergeCtx struct {
	b       *builder
	m       int32
	parents []*view
	md      *mergeDiffs
	byPath  []map[string]*vcs.FileChange // whole diffs against each parent, when computed
	// unread are the entries of lazy diffs not yet completed (complete).
	unread map[*vcs.FileChange]bool
}

// complete gives an entry of a lazy diff its binary flag and hunks, as the
// whole diff would have had them; other entries are left as they are.
func (mx *mergeCtx) complete(fc *vcs.FileChange) error {
	if !mx.unread[fc] {
		return nil
	}
	delete(mx.unread, fc)
	full, err := mx.b.src.(treeLister).FileDiff(*fc)
	if err != nil {
		return fmt.Errorf("deps: diffing %s in merge %s: %w", fc.Path(), mx.b.g.Commits[mx.m].Short(), err)
	}
	for h := range full.Hunks {
		full.Hunks[h].Lines = nil // only positions matter here
	}
	*fc = full
	return nil
}

// index makes the whole diff against parent i available.
func (mx *mergeCtx) index(i int) error {
	if mx.byPath[i] != nil {
		return nil
	}
	if mx.md.parents[i] == nil {
		changes, lazy, err := mx.b.diffMerge(mx.b.g.Commits[mx.m], i)
		if err != nil {
			return err
		}
		mx.md.parents[i], mx.md.lazy[i] = changes, lazy
	}
	if mx.md.lazy[i] {
		if mx.unread == nil {
			mx.unread = map[*vcs.FileChange]bool{}
		}
		for j := range mx.md.parents[i] {
			mx.unread[&mx.md.parents[i][j]] = true
		}
	}
	mx.byPath[i] = changesByPath(mx.md.parents[i])
	return nil
}

// change returns how the merge's path differs from parent i's (nil when it
// does not). When the parent's view knows the path's content, only that
// file is diffed; otherwise the whole merge is diffed against the parent.
func (mx *mergeCtx) change(i int, path string) (*vcs.FileChange, error) {
	if mx.byPath[i] == nil {
		fc := mx.byPath[0][path]
		inMerge := fc.NewPath == path
		st := mx.parents[i].files[path]
		if kept, known := keptFrom(st, inMerge, fc); known {
			switch {
			case kept:
				return nil, nil
			case inMerge && st.exists():
				return mx.b.diffBlobs(path, st.blob, st.mode, fc)
			case !inMerge && st.exists():
				return &vcs.FileChange{Status: vcs.Deleted, OldPath: path, OldMode: st.mode, OldHash: st.blob}, nil
			}
		}
		if err := mx.index(i); err != nil {
			return nil, err
		}
	}
	return mx.byPath[i][path], nil
}

// diffBlobs diffs one file of a merge against a parent's version of it,
// as the range reader would (same line diff, same binary test).
func (b *builder) diffBlobs(path string, oldBlob plumbing.Hash, oldMode uint32, in *vcs.FileChange) (*vcs.FileChange, error) {
	fc := &vcs.FileChange{Status: vcs.Modified, OldPath: path, NewPath: path, OldMode: oldMode, NewMode: in.NewMode,
		OldHash: oldBlob, NewHash: in.NewHash}
	a, err := b.src.ReadBlob(oldBlob)
	if err != nil {
		return nil, fmt.Errorf("deps: reading %s (%s): %w", path, oldBlob.String()[:7], err)
	}
	c, err := b.src.ReadBlob(in.NewHash)
	if err != nil {
		return nil, fmt.Errorf("deps: reading %s (%s): %w", path, in.NewHash.String()[:7], err)
	}
	if vcsIsBinary(a) || vcsIsBinary(c) {
		fc.Binary = true
		return fc, nil
	}
	for _, h := range xdiff.Diff(a, c, xdiff.DefaultOptions()) {
		fc.Hunks = append(fc.Hunks, vcs.Hunk{OldStart: h.OldStart, OldLines: h.OldLines, NewStart: h.NewStart, NewLines: h.NewLines})
	}
	return fc, nil
}

func changesByPath(changes []vcs.FileChange) map[string]*vcs.FileChange {
	byPath := make(map[string]*vcs.FileChange, len(changes)*2)
	for j := range changes {
		fc := &changes[j]
		if fc.OldPath != "" {
			if _, taken := byPath[fc.OldPath]; !taken {
				byPath[fc.OldPath] = fc
			}
		}
		if fc.NewPath != "" {
			byPath[fc.NewPath] = fc // the change that leaves the path in the merge
		}
	}
	return byPath
}

// fromSomeParent returns the state of path in the first parent (after the
// first) whose version of the path the merge kept.
func (mx *mergeCtx) fromSomeParent(path string) (*fileState, bool, error) {
	for i := 1; i < len(mx.parents); i++ {
		fc, err := mx.change(i, path)
		if err != nil {
			return nil, false, err
		}
		if fc == nil {
			return mx.parents[i].files[path], true, nil
		}
	}
	return nil, false, nil
}

// keptFrom tells, when a parent's view knows the path, whether the merge
// has the parent's version: the same blob and mode, or no file in both.
func keptFrom(st *fileState, inMerge bool, fc *vcs.FileChange) (kept, known bool) {
	switch {
	case st == nil:
		return false, false // the parent has the origin's version: unknown here
	case !st.exists():
		return !inMerge, true
	case st.blob.IsZero():
		return false, false
	}
	return inMerge && st.blob == fc.NewHash && st.mode == fc.NewMode, true
}

// composeMerged builds the state of a path that differs from every parent.
func (mx *mergeCtx) composeMerged(path string) (*fileState, error) {
	b, m, parents := mx.b, mx.m, mx.parents
	first := mx.byPath[0][path]
	if first.NewPath != path {
		// The merge has no file here: it deleted what every parent had.
		prev := parents[0].files[path]
		b.deleteFile(m, path, prev)
		return deletedState(m), nil
	}
	if err := mx.complete(first); err != nil {
		return nil, err
	}
	// Each parent's version of the file, and the change from it to the merge.
	type side struct {
		prev *fileState
		fc   *vcs.FileChange
	}
	sides := make([]side, len(parents))
	st := newFileState()
	st.created, st.blob, st.mode = m, first.NewHash, first.NewMode
	inherited := false
	for i := range parents {
		fc := first
		if i > 0 {
			var err error
			if fc, err = mx.change(i, path); err != nil {
				return nil, err
			}
			if fc != nil {
				if err := mx.complete(fc); err != nil {
					return nil, err
				}
			}
		}
		if fc == nil || fc.NewPath != path {
			// Not a version of this file (cannot happen with git's rename
			// detection, which only renames from deleted paths): no lines from it.
			fc = &vcs.FileChange{Status: vcs.Added, NewPath: path, Binary: true}
		}
		var prev *fileState
		if fc.Status != vcs.Added {
			prev = parents[i].files[fc.OldPath]
			if prev != nil && !prev.exists() {
				prev = nil
			}
			if !inherited {
				inherited = true
				st.created, st.renamedBy, st.renamedFrom = noOwner, noOwner, ""
				if prev != nil {
					st.created, st.renamedBy, st.renamedFrom = prev.created, prev.renamedBy, prev.renamedFrom
				}
				if fc.Status == vcs.Renamed {
					st.renamedBy, st.renamedFrom = m, fc.OldPath
				}
			}
		}
		sides[i] = side{prev, fc}
	}
	textual := false
	for _, s := range sides {
		if !s.fc.Binary && (s.prev == nil || s.prev.binary == noOwner) {
			textual = true
		}
	}
	if !textual {
		for _, s := range sides {
			b.wholeReplaced(m, s.fc.OldPath, s.prev)
		}
		return st, b.ownWhole(m, st, first)
	}
	// Cut the merge's lines at every hunk boundary of every textual side:
	// within a piece, each side either maps it unchanged or changed it.
	cuts := []int32{0}
	for _, s := range sides {
		if s.fc.Binary {
			continue
		}
		for _, h := range s.fc.Hunks {
			n, k := newSide(h)
			cuts = append(cuts, n, n+k)
		}
	}
	cuts = append(cuts, math.MaxInt32)
	sort.Slice(cuts, func(i, j int) bool { return cuts[i] < cuts[j] })
	var spans []span
	for ci := 0; ci+1 < len(cuts); ci++ {
		a, z := cuts[ci], cuts[ci+1]
		if a == z {
			continue
		}
		mapped := false
		for _, s := range sides {
			if s.fc.Binary {
				continue
			}
			if off, ok := unchangedOffset(s.fc.Hunks, a); ok {
				if s.prev != nil {
					spans = mapSpans(spans, s.prev.spans, a+off, saturate(z, off), -off)
				}
				mapped = true
				break
			}
		}
		if !mapped {
			spans = append(spans, span{a, z - a, m})
		}
	}
	st.spans = normalize(spans)
	b.resolutionEdges(m, st.spans, sides[0].fc, sides[0].prev)
	for i := 1; i < len(sides); i++ {
		b.resolutionEdges(m, st.spans, sides[i].fc, sides[i].prev)
	}
	return st, nil
}

// saturate adds off to a position that may stand for "the end of the file".
func saturate(z, off int32) int32 {
	if z == math.MaxInt32 || int64(z)+int64(off) > math.MaxInt32 {
		return math.MaxInt32
	}
	return z + off
}

// unchangedOffset tells whether merge line a lies outside every hunk of a
// side, and if so the offset from merge positions to that side's positions.
func unchangedOffset(hunks []vcs.Hunk, a int32) (int32, bool) {
	var off int32
	for _, h := range hunks {
		n, k := newSide(h)
		o, ok := oldSide(h)
		if a < n {
			break
		}
		if a < n+k {
			return 0, false
		}
		off = (o + ok) - (n + k)
	}
	return off, true
}

// resolutionEdges makes the merge depend on the lines its own lines replaced
// in one parent.
func (b *builder) resolutionEdges(m int32, merged []span, fc *vcs.FileChange, prev *fileState) {
	if prev == nil || fc.Binary {
		return
	}
	path := fc.OldPath
	for _, h := range fc.Hunks {
		n, k := newSide(h)
		if !ownsAny(merged, m, n, k) {
			continue
		}
		o, ok := oldSide(h)
		touches(prev.spans, o, ok, func(owner int32, kind Kind, lines LineRange) {
			b.add(m, owner, kind, path, lines, "")
		})
	}
}

func ownsAny(spans []span, owner, from, n int32) bool {
	for _, s := range spans {
		if s.owner == owner && s.start < from+max(n, 1) && from < s.end() {
			return true
		}
	}
	return false
}

// wholeReplaced records that m replaced a whole (binary) file.
func (b *builder) wholeReplaced(m int32, path string, prev *fileState) {
	prev.owners(func(owner int32, kind Kind, lines LineRange) {
		if lines == noLines {
			b.add(m, owner, Line, path, noLines, evBinary)
			return
		}
		b.add(m, owner, Line, path, lines, "")
	})
}
