package risk

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// FuzzLinePasses feeds arbitrary, even inconsistent, hunks to the line
// edges (deps' ownership pass) and to the span mapping: they must never
// panic, and a line edge must name lines.
func FuzzLinePasses(f *testing.F) {
	f.Add([]byte{1, 0, 0, 5, 2, 2, 1, 2, 3, 0, 4, 3})
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255})
	f.Add([]byte{9, 9, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		h := &hist{}
		version := 0
		for len(data) >= 4 && len(h.commits) < 50 {
			hk := vcs.Hunk{OldStart: int(data[0]) % 40, OldLines: int(data[1]) % 10, NewStart: int(data[2]) % 40, NewLines: int(data[3]) % 10}
			data = data[4:]
			from, to := itoa(version+1), itoa(version+2)
			version++
			h.add("c"+to, "ann", "fix: x", withHunks("a.go", from, to, hk))
		}
		g := graphOf(t, h.commits)
		for _, e := range EdgesOf(g) {
			if e.Kind == KindLine && e.Lines == "" {
				t.Fatalf("line edge without lines %+v", e)
			}
		}
		spans := headSpans(h.commits, func(int) bool { return true }, map[string]plumbing.Hash{"a.go": hashOf("a.go@" + itoa(version+1))})
		for _, ss := range spans {
			for _, s := range ss {
				if s.e < s.s {
					t.Fatalf("inverted span %+v", s)
				}
			}
		}
		Backtest(g, BacktestOptions{})
	})
}
