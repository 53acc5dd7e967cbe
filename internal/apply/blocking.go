package apply

import (
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
)

// Blockers are the commits of the range standing in the way of a
// conflicting pick, overall and per conflicting path.
type Blockers struct {
	Commits []plumbing.Hash            // range order
	ByPath  map[string][]plumbing.Hash // key: ConflictPath.Path
}

// FindBlockers names, for a conflict, the commits the pick depends on that
// are not on the branch being built (dropped, or not picked yet): those
// that last wrote the conflicting lines (line and adjacent edges whose lines
// touch a conflicting region of the pick's parent), created, deleted or
// renamed a conflicting file, or were reverted by the pick. onBranch tells
// which commits the branch has (picked before the conflict, or present on
// --onto). When no edge matches a conflicting path's lines, every hard
// dependency on that path is named, as the likeliest cause.
func FindBlockers(g *deps.Graph, c *Conflict, onBranch func(plumbing.Hash) bool) Blockers {
	b := Blockers{ByPath: map[string][]plumbing.Hash{}}
	edges := g.DependsOn(c.Commit)
	seen := map[plumbing.Hash]bool{}
	for _, cp := range c.Paths {
		found := map[plumbing.Hash]bool{}
		var loose []plumbing.Hash
		for _, e := range edges {
			if onBranch(e.DependsOn) || (e.Path != cp.Path && e.Path != cp.BasePath) {
				continue
			}
			switch e.Kind {
			case deps.Line, deps.Adjacent:
				if cp.WholeFile || regionsTouch(cp.Regions, e.Lines) {
					found[e.DependsOn] = true
				} else {
					loose = append(loose, e.DependsOn)
				}
			case deps.File, deps.Rename, deps.Revert:
				found[e.DependsOn] = true
			}
		}
		if len(found) == 0 {
			for _, h := range loose {
				found[h] = true
			}
		}
		for h := range found {
			b.ByPath[cp.Path] = append(b.ByPath[cp.Path], h)
			if !seen[h] {
				seen[h] = true
				b.Commits = append(b.Commits, h)
			}
		}
		sortByRange(g, b.ByPath[cp.Path])
	}
	sortByRange(g, b.Commits)
	return b
}

func sortByRange(g *deps.Graph, hs []plumbing.Hash) {
	sort.Slice(hs, func(i, j int) bool {
		a, _ := g.Index(hs[i])
		b, _ := g.Index(hs[j])
		return a < b
	})
}

// regionsTouch tells whether a dependency's lines overlap or touch a
// conflicting region of the pick's parent (git's merge conflicts on
// touching changes too).
func regionsTouch(regions []ConflictRegion, lines []deps.LineRange) bool {
	for _, r := range regions {
		for _, l := range lines {
			if touch(r.Base.Start, r.Base.Count, l.Start, l.Count) {
				return true
			}
		}
	}
	return false
}

// touch compares two line runs (1-based; count 0 is the point after start)
// in doubled coordinates, so a point falls between two lines.
func touch(s1, c1, s2, c2 int) bool {
	span := func(s, c int) (int, int) {
		if c == 0 {
			return 2*s + 1, 2*s + 1
		}
		return 2 * s, 2 * (s + c - 1)
	}
	lo1, hi1 := span(s1, c1)
	lo2, hi2 := span(s2, c2)
	return lo1 <= hi2+2 && lo2 <= hi1+2
}
