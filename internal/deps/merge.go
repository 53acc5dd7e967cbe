package deps

import (
	"math"
	"sort"

	"github.com/triage-dev/triage/internal/vcs"
)

// applyMerge builds a merge's view from its parents' views and its diffs
// against each parent. A path the merge left as one parent had it takes that
// parent's ownership (the first such parent, as git's first-parent view
// does); a path that differs from every parent is composed line by line:
// each line comes from the first parent where it is unchanged, and lines
// that match no parent (a conflict resolution, an "evil merge") belong to
// the merge, which then depends on the lines it replaced.
func (b *builder) applyMerge(m int32, parents []*view, diffs [][]vcs.FileChange) (*view, error) {
	byPath := make([]map[string]*vcs.FileChange, len(diffs))
	for i, changes := range diffs {
		byPath[i] = make(map[string]*vcs.FileChange, len(changes)*2)
		for j := range changes {
			fc := &changes[j]
			if fc.OldPath != "" {
				if _, taken := byPath[i][fc.OldPath]; !taken {
					byPath[i][fc.OldPath] = fc
				}
			}
			if fc.NewPath != "" {
				byPath[i][fc.NewPath] = fc // the change that leaves the path in the merge
			}
		}
	}
	v := parents[0] // already a private copy (or the last use of the parent's view)
	for _, p := range parents[1:] {
		v.reach = v.reach.or(p.reach)
	}
	paths := make([]string, 0, len(byPath[0]))
	for p := range byPath[0] {
		paths = append(paths, p)
	}
	sort.Strings(paths) // deterministic edge evidence order
	first := parents[0].files
	next := make(map[string]*fileState, len(paths))
	for _, path := range paths {
		if st, ok := b.fromSomeParent(path, parents, byPath); ok {
			next[path] = st
			continue
		}
		st, err := b.composeMerged(m, path, parents, byPath)
		if err != nil {
			return nil, err
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

// fromSomeParent returns the state of path in the first parent (after the
// first) whose version of the path the merge kept.
func (b *builder) fromSomeParent(path string, parents []*view, byPath []map[string]*vcs.FileChange) (*fileState, bool) {
	for i := 1; i < len(parents); i++ {
		if _, changed := byPath[i][path]; !changed {
			return parents[i].files[path], true
		}
	}
	return nil, false
}

// composeMerged builds the state of a path that differs from every parent.
func (b *builder) composeMerged(m int32, path string, parents []*view, byPath []map[string]*vcs.FileChange) (*fileState, error) {
	first := byPath[0][path]
	if first.NewPath != path {
		// The merge has no file here: it deleted what every parent had.
		prev := parents[0].files[path]
		b.deleteFile(m, path, prev)
		return deletedState(m), nil
	}
	// Each parent's version of the file, and the change from it to the merge.
	type side struct {
		prev *fileState
		fc   *vcs.FileChange
	}
	sides := make([]side, len(parents))
	st := newFileState()
	st.created = m
	inherited := false
	for i := range parents {
		fc := byPath[i][path]
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
