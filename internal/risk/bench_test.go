package risk

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// synthetic returns n commits over files in dirs, with consistent blob
// versions and hunks, so every pass has real work to do.
func synthetic(n, files int) []*vcs.Commit {
	rng := rand.New(rand.NewPCG(7, 11))
	lines := make([]int, files) // current length; 0 = absent
	version := make([]int, files)
	blob := func(f, v int) plumbing.Hash {
		return plumbing.ComputeHash(plumbing.BlobObject, fmt.Appendf(nil, "%d@%d", f, v))
	}
	authors := []string{"ann", "bob", "cid", "dan", "eve", "fay", "gus", "hal", "ivy"}
	out := make([]*vcs.Commit, n)
	for i := range n {
		c := &vcs.Commit{Hash: plumbing.ComputeHash(plumbing.CommitObject, fmt.Appendf(nil, "c%d", i)),
			Author: vcs.Signature{Name: authors[rng.IntN(len(authors))], When: t0.Add(timeHours(i))}}
		c.Author.Email = c.Author.Name + "@example.com"
		c.Subject = "feature work"
		if rng.IntN(4) == 0 {
			c.Subject = "fix: something"
		}
		c.Message = c.Subject + "\n"
		for k := 1 + rng.IntN(4); k > 0; k-- {
			f := rng.IntN(files)
			p := fmt.Sprintf("dir%d/file%d.go", f%40, f)
			fc := vcs.FileChange{OldPath: p, NewPath: p, Status: vcs.Modified}
			if lines[f] == 0 {
				n := 20 + rng.IntN(300)
				fc = vcs.FileChange{Status: vcs.Added, NewPath: p, Added: n, Hunks: []vcs.Hunk{{NewStart: 1, NewLines: n}}}
				lines[f] = n
			} else {
				fc.OldHash = blob(f, version[f])
				at := 1 + rng.IntN(lines[f])
				del := min(rng.IntN(6), lines[f]-at+1)
				add := rng.IntN(8)
				h := vcs.Hunk{OldStart: at, OldLines: del, NewStart: at, NewLines: add}
				if del == 0 {
					h.OldStart--
				}
				if add == 0 {
					h.NewStart--
				}
				fc.Hunks, fc.Added, fc.Deleted = []vcs.Hunk{h}, add, del
				lines[f] += add - del
				if lines[f] <= 0 {
					lines[f] = 1
				}
			}
			version[f]++
			fc.NewHash = blob(f, version[f])
			if !hasPath(c.Changes, p) {
				c.Changes = append(c.Changes, fc)
			} else {
				version[f]-- // one change per path and commit
			}
		}
		if i > 0 {
			c.Parents = []plumbing.Hash{out[i-1].Hash}
		}
		out[i] = c
	}
	return out
}

func hasPath(cs []vcs.FileChange, p string) bool {
	for _, c := range cs {
		if c.Path() == p {
			return true
		}
	}
	return false
}

// BenchmarkScoreCommits scores a 732-commit range on 20,000 commits of
// history, the range's edges included.
func BenchmarkScoreCommits(b *testing.B) {
	all := synthetic(20732, 3000)
	in := Input{History: all[:20000], Commits: all[20000:]}
	b.ResetTimer()
	for b.Loop() {
		in.Edges = edgesOf(b, in.Commits)
		ScoreCommits(in)
	}
}

// BenchmarkBacktest runs the whole validation over 20,000 commits, the
// graph that labels them included.
func BenchmarkBacktest(b *testing.B) {
	all := synthetic(20000, 3000)
	b.ResetTimer()
	for b.Loop() {
		Backtest(graphOf(b, all), BacktestOptions{})
	}
}

func TestSyntheticBacktestRuns(t *testing.T) {
	all := synthetic(2000, 300)
	res := Backtest(graphOf(t, all), BacktestOptions{})
	if res.Commits == 0 || res.Fixes == 0 || res.Buggy == 0 {
		t.Fatalf("synthetic backtest: %+v", res)
	}
}

func timeHours(i int) time.Duration { return time.Duration(i) * time.Hour }
