package deps

// Line ownership, as GitButler's hunk-dependency crate tracks it: for each
// file, the runs of lines each commit of the range last wrote, shifted as
// later hunks apply. Lines outside every run are the base's. No blame, no
// file content: the -U0 hunks are enough.

import (
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// noOwner stands for the base: lines, files and deletions older than the range.
const noOwner int32 = -1

// span is lines [start, start+n) of a file (0-based), last written by owner.
// A span with n == 0 is a deletion point: owner removed lines just before
// line start, and a change touching that point conflicts with undoing it.
type span struct {
	start, n int32
	owner    int32
}

func (s span) end() int32 { return s.start + s.n }

// fileState is what the graph knows of one path at one commit.
type fileState struct {
	spans []span
	// binary is the commit that last wrote the whole content when it is not
	// tracked by lines (a binary file); noOwner otherwise.
	binary int32
	// created is the commit of the range that created the file; noOwner
	// when the file is older than the range.
	created int32
	// renamedBy is the commit whose rename brought the file to this path,
	// from renamedFrom.
	renamedBy   int32
	renamedFrom string
	// deletedBy is set when the path holds no file: the commit that deleted
	// it (or renamed it away).
	deletedBy int32
	// blob and mode are the file's content and mode at this commit, so a
	// merge can tell which parent's version it kept without diffing.
	blob plumbing.Hash
	mode uint32
}

func newFileState() *fileState {
	return &fileState{binary: noOwner, created: noOwner, renamedBy: noOwner, deletedBy: noOwner}
}

func (f *fileState) exists() bool { return f == nil || f.deletedBy == noOwner }

// hunkRange is a hunk's old side in 0-based positions: lines [o, o+k), or
// for k == 0 the point before line o.
func oldSide(h vcs.Hunk) (o, k int32) {
	if h.OldLines == 0 {
		return int32(h.OldStart), 0
	}
	return int32(h.OldStart - 1), int32(h.OldLines)
}

func newSide(h vcs.Hunk) (o, k int32) {
	if h.NewLines == 0 {
		return int32(h.NewStart), 0
	}
	return int32(h.NewStart - 1), int32(h.NewLines)
}

// touchFunc receives one dependency found by touches: the owner, the kind
// (Line or Adjacent) and the lines as evidence.
type touchFunc func(owner int32, kind Kind, lines LineRange)

// touches reports the owners whose lines a change of old lines [o, o+k)
// overlaps (Line) or touches with no unchanged line between (Adjacent).
// This is exactly when git's three-way merge (xdl_merge) sees the change and
// the undoing of the owner's change as one conflicting region: both ranges,
// taken as closed intervals, intersect.
func touches(spans []span, o, k int32, report touchFunc) {
	// Spans are sorted and do not overlap, so their ends are sorted too.
	i := sort.Search(len(spans), func(i int) bool { return spans[i].end() >= o })
	for ; i < len(spans) && spans[i].start <= o+k; i++ {
		s := spans[i]
		if s.owner == noOwner {
			continue
		}
		if k > 0 && s.n > 0 && s.start < o+k && o < s.end() {
			from, to := max(o, s.start), min(o+k, s.end())
			report(s.owner, Line, LineRange{Start: int(from) + 1, Count: int(to - from)})
			continue
		}
		report(s.owner, Adjacent, adjacentEvidence(s, o, k))
	}
}

// adjacentEvidence names the owner's line(s) that the change touches.
func adjacentEvidence(s span, o, k int32) LineRange {
	switch {
	case s.n == 0:
		return LineRange{Start: int(s.start), Count: 0}
	case s.end() <= o: // the owner's run ends right before the change
		return LineRange{Start: int(s.end()), Count: 1}
	case s.start >= o+k: // it starts right after
		return LineRange{Start: int(s.start) + 1, Count: 1}
	}
	// An insertion between two of the owner's lines.
	return LineRange{Start: int(o), Count: 2}
}

// applyHunks returns the spans after a change made of hunks (sorted, in old
// coordinates) by owner: replaced lines become the owner's, deleted ones
// leave the owner's deletion point, the rest shift.
func applyHunks(old []span, hunks []vcs.Hunk, owner int32) []span {
	out := make([]span, 0, len(old)+len(hunks)+1)
	var delta int32
	i := 0
	var cur span // old[i], maybe with its head cut off by a previous hunk
	if len(old) > 0 {
		cur = old[0]
	}
	emit := func(s span, shift int32) {
		s.start += shift
		out = append(out, s)
	}
	for _, h := range hunks {
		o, k := oldSide(h)
		_, n := newSide(h)
		// Keep what lies before the hunk (deletion points at o included).
		for i < len(old) {
			if cur.n == 0 {
				if cur.start > o {
					break
				}
				emit(cur, delta)
			} else if cur.end() <= o {
				emit(cur, delta)
			} else {
				if cur.start < o {
					emit(span{cur.start, o - cur.start, cur.owner}, delta)
					cur = span{o, cur.end() - o, cur.owner}
				}
				break
			}
			if i++; i < len(old) {
				cur = old[i]
			}
		}
		// Drop what the hunk replaces; cut the head off a run it ends in.
		for i < len(old) {
			if cur.n == 0 {
				if cur.start >= o+k {
					break
				}
			} else if cur.end() > o+k {
				if cur.start < o+k {
					cur = span{o + k, cur.end() - (o + k), cur.owner}
				}
				break
			}
			if i++; i < len(old) {
				cur = old[i]
			}
		}
		out = append(out, span{o + delta, n, owner})
		delta += n - k
	}
	for i < len(old) {
		emit(cur, delta)
		if i++; i < len(old) {
			cur = old[i]
		}
	}
	return normalize(out)
}

// normalize merges touching runs of one owner and drops deletion points that
// add nothing (at the edge of a run of the same owner, or repeated).
func normalize(spans []span) []span {
	out := spans[:0]
	for _, s := range spans {
		if s.owner == noOwner {
			continue
		}
		if len(out) > 0 {
			last := &out[len(out)-1]
			if last.owner == s.owner && last.end() == s.start {
				last.n += s.n // also absorbs a deletion point at either edge
				continue
			}
			if s.n == 0 && last.end() == s.start && sameOwnerAround(out, s) {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// sameOwnerAround tells whether a deletion point right after the last span
// repeats an earlier deletion point of the same owner at the same place.
func sameOwnerAround(out []span, s span) bool {
	for j := len(out) - 1; j >= 0 && out[j].end() == s.start; j-- {
		if out[j].owner == s.owner {
			return true
		}
		if out[j].n > 0 {
			break
		}
	}
	return false
}

// mapSpans copies the spans of [from, to) (old positions) shifted by off,
// clipped to the range; deletion points at from..to-1 come along.
func mapSpans(dst, src []span, from, to, off int32) []span {
	i := sort.Search(len(src), func(i int) bool { return src[i].end() > from || (src[i].n == 0 && src[i].start >= from) })
	for ; i < len(src) && src[i].start < to; i++ {
		s := src[i]
		if s.n == 0 {
			if s.start >= from {
				dst = append(dst, span{s.start + off, 0, s.owner})
			}
			continue
		}
		a, b := max(s.start, from), min(s.end(), to)
		if a < b {
			dst = append(dst, span{a + off, b - a, s.owner})
		}
	}
	return dst
}

// noLines is the evidence of an edge about a whole file, not some of its lines.
var noLines = LineRange{Start: -1}

// owners lists every owner of a file's content, with the runs it owns
// (noLines for the owner of a binary file).
func (f *fileState) owners(report touchFunc) {
	if f == nil {
		return
	}
	if f.binary != noOwner {
		report(f.binary, Line, noLines)
	}
	for _, s := range f.spans {
		if s.n > 0 && s.owner != noOwner {
			report(s.owner, Line, LineRange{Start: int(s.start) + 1, Count: int(s.n)})
		}
	}
}
