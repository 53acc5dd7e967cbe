package risk

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Line ownership, GitButler-style: one forward pass keeps, for every version
// of every file, which commit last wrote each line, as runs of lines. No
// blame, no blob reads: the -U0 hunks of each change are enough.
//
// Versions are keyed by blob hash, so the pass follows the real DAG: a commit
// on a side branch starts from the version its own parent had, and a merge
// that takes a file from one side hands on that side's owners. Lines of a
// version the pass has not seen (files older than the pass) have owner -1.

// segment is a run of n consecutive lines written by the same commit.
type segment struct {
	owner int32 // index in the pass; -1 unknown (older than the pass)
	n     int32
}

// touch is a run of lines a commit changed or deleted, with their owner.
type touch struct {
	owner int32
	path  string
	start int32 // 1-based, in the old version of the file
	n     int32
}

type segReader struct {
	segs []segment
	i    int
	off  int32
}

// take consumes n lines; lines past the known end are unknown (-1).
func (r *segReader) take(n int32, emit func(owner, n int32)) {
	for n > 0 {
		if r.i >= len(r.segs) {
			emit(-1, n)
			return
		}
		s := r.segs[r.i]
		k := min(s.n-r.off, n)
		emit(s.owner, k)
		n -= k
		r.off += k
		if r.off == s.n {
			r.i, r.off = r.i+1, 0
		}
	}
}

func (r *segReader) rest(emit func(owner, n int32)) {
	for r.i < len(r.segs) {
		emit(r.segs[r.i].owner, r.segs[r.i].n-r.off)
		r.i, r.off = r.i+1, 0
	}
}

func appendSeg(segs []segment, owner, n int32) []segment {
	if n <= 0 {
		return segs
	}
	if k := len(segs); k > 0 && segs[k-1].owner == owner {
		segs[k-1].n += n
		return segs
	}
	return append(segs, segment{owner, n})
}

// applyHunks replays -U0 hunks (sorted, in old coordinates) written by owner
// on a version, returning the new version and the runs of lines replaced.
func applyHunks(old []segment, hunks []vcs.Hunk, owner int32, path string) ([]segment, []touch) {
	r := &segReader{segs: old}
	var out []segment
	var touched []touch
	keep := func(o, n int32) { out = appendSeg(out, o, n) }
	var pos int32
	for _, h := range hunks {
		start := int32(h.OldStart)
		if h.OldLines > 0 {
			start-- // 0-based first changed line; a zero-line side starts at the line before
		}
		if start > pos {
			r.take(start-pos, keep)
			pos = start
		}
		line := pos
		r.take(int32(h.OldLines), func(o, n int32) {
			touched = append(touched, touch{owner: o, path: path, start: line + 1, n: n})
			line += n
		})
		pos += int32(h.OldLines)
		out = appendSeg(out, owner, int32(h.NewLines))
	}
	r.rest(keep)
	return out, touched
}

// ownershipPass walks commits (oldest first, parents before children) and
// returns, for each, the runs of earlier lines it changed or deleted. A
// deleted file's hunk (-1,N +0,0) deletes every line, so it counts too.
func ownershipPass(commits []*vcs.Commit) [][]touch {
	versions := map[plumbing.Hash][]segment{}
	out := make([][]touch, len(commits))
	for i, c := range commits {
		for _, f := range c.Changes {
			if f.Binary {
				continue // a binary version has unknown owners: no entry
			}
			var old []segment
			if !f.OldHash.IsZero() {
				old = versions[f.OldHash]
			}
			segs, touched := applyHunks(old, f.Hunks, int32(i), f.Path())
			out[i] = append(out[i], touched...)
			if !f.NewHash.IsZero() {
				versions[f.NewHash] = segs
			}
		}
	}
	return out
}
