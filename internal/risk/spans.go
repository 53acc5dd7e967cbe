package risk

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Changed regions carried forward to HEAD's coordinates, for near misses:
// every commit's changed lines are mapped through the later commits' hunks,
// version by version (keyed by blob hash, so a side branch starts from its
// own parent's version), and compared in the file as HEAD has it.

// span is a commit's changed region, lines [s, e) counted from 0 in one
// version of a file; a pure deletion is the empty span at its position.
type span struct {
	commit int // index in the range
	s, e   int
}

// bounds returns a -U0 hunk's sides as 0-based half-open line ranges.
func bounds(h vcs.Hunk) (os, oe, ns, ne int) {
	os, ns = h.OldStart, h.NewStart
	if h.OldLines > 0 {
		os--
	}
	if h.NewLines > 0 {
		ns--
	}
	return os, os + h.OldLines, ns, ns + h.NewLines
}

// newPos maps a line boundary of the old version to the new one. A boundary
// inside a replaced region goes to the region's start (for a span's start)
// or end (for its end), so a span grows to cover what replaced it; lines
// inserted exactly at a span's end stay outside it.
func newPos(p int, hunks []vcs.Hunk, isEnd bool) int {
	delta := 0
	for _, h := range hunks {
		os, oe, ns, ne := bounds(h)
		switch {
		case os < p && p < oe:
			if isEnd {
				return ne
			}
			return ns
		case oe < p, oe == p && !(isEnd && os == oe):
			delta = ne - oe
		default:
			return p + delta
		}
	}
	return p + delta
}

func mapSpans(spans []span, hunks []vcs.Hunk) []span {
	out := make([]span, 0, len(spans))
	for _, sp := range spans {
		s, e := newPos(sp.s, hunks, false), newPos(sp.e, hunks, true)
		out = append(out, span{sp.commit, s, max(s, e)})
	}
	return out
}

// headSpans returns, per path of HEAD, the changed regions of the tracked
// commits (track[i]) in HEAD's version of the file. head gives HEAD's blob per
// path; when HEAD's version was made by a merge the pass did not see, the
// last version the pass made for that path stands in for it.
func headSpans(commits []*vcs.Commit, track func(i int) bool, head map[string]plumbing.Hash) map[string][]span {
	versions := map[plumbing.Hash][]span{}
	last := map[string]plumbing.Hash{}
	for i, c := range commits {
		for _, f := range c.Changes {
			if f.Status == vcs.Deleted || f.Binary {
				continue
			}
			var spans []span
			if !f.OldHash.IsZero() {
				spans = mapSpans(versions[f.OldHash], f.Hunks)
			}
			if track(i) {
				for _, h := range f.Hunks {
					_, _, ns, ne := bounds(h)
					spans = append(spans, span{i, ns, ne})
				}
			}
			versions[f.NewHash] = spans
			last[f.NewPath] = f.NewHash
		}
	}
	out := map[string][]span{}
	for p, v := range last {
		h, ok := head[p]
		if !ok {
			continue // gone at HEAD
		}
		if spans, ok := versions[h]; ok {
			out[p] = spans
		} else {
			out[p] = versions[v]
		}
	}
	return out
}
