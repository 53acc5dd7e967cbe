package risk

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

func TestAUC(t *testing.T) {
	cases := []struct {
		values []float64
		labels []bool
		want   float64
	}{
		{[]float64{1, 2, 3, 4}, []bool{false, false, true, true}, 1},
		{[]float64{4, 3, 2, 1}, []bool{false, false, true, true}, 0},
		{[]float64{5, 5, 5, 5}, []bool{false, true, false, true}, 0.5},
		{[]float64{1, 2, 2, 3}, []bool{false, true, false, true}, 0.875}, // pairs: (2>1) (2=2: half) (3>1) (3>2) = 3.5/4
		{[]float64{1, 2}, []bool{true, true}, 0.5},
	}
	for _, c := range cases {
		if got := auc(c.values, c.labels); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("auc(%v, %v) = %v, want %v", c.values, c.labels, got, c.want)
		}
	}
}

func TestEffortRecall(t *testing.T) {
	labels := []bool{true, false, false, true}
	if got := effortRecall([]float64{4, 3, 2, 1}, []float64{10, 10, 10, 70}, labels, 0.2); got != 0.5 {
		t.Errorf("exact budget: %v, want 0.5", got)
	}
	// The second commit is read in part: 10 of its 15 lines; it is a positive.
	labels = []bool{false, true, false, false}
	if got := effortRecall([]float64{4, 3, 2, 1}, []float64{10, 15, 5, 70}, labels, 0.2); math.Abs(got-10.0/15) > 1e-12 {
		t.Errorf("partial read: %v, want 2/3", got)
	}
}

func TestBacktestLabelsWhatLaterFixesChange(t *testing.T) {
	h := &hist{}
	h.add("a", "alice", "feature: rates", added("pay/rate.go", "0", 40), added("pay/util.go", "0", 5))
	h.add("b", "bob", "feature: docs", added("README.md", "0", 3))
	h.add("c", "carol", "feature: discount", modified("pay/rate.go", "0", "1", 10, 0, 8))
	h.add("d", "bob", "fix: discount rounding", modified("pay/rate.go", "1", "2", 12, 2, 2)) // lines 12-13: carol's
	h.add("e", "alice", "cleanup", modified("pay/util.go", "0", "1", 1, 1, 1))
	g := graphOf(t, h.commits)
	res := Backtest(g, BacktestOptions{})
	if res.Commits != 5 || res.Fixes != 1 || res.Buggy != 1 {
		t.Fatalf("backtest: %+v, want 5 commits, 1 fix, 1 buggy (c)", res)
	}
	if math.Abs(res.Random.AUC-0.5) > 0.1 {
		t.Errorf("random AUC = %v, want about 0.5", res.Random.AUC)
	}
	// Lines: c (8 lines) ranks below a (45 lines) and above b, d, e.
	if want := 3.0 / 4; res.Lines.AUC != want {
		t.Errorf("lines AUC = %v, want %v", res.Lines.AUC, want)
	}
	// From leaves the first commits out of the evaluation, not out of the past.
	res = Backtest(g, BacktestOptions{From: 2})
	if res.Commits != 3 || res.Buggy != 1 {
		t.Errorf("from 2: %+v, want 3 commits evaluated, c still labelled", res)
	}
	// A classifier that knows no fix labels nothing.
	res = Backtest(g, BacktestOptions{IsFix: func(*vcs.Commit) bool { return false }})
	if res.Fixes != 0 || res.Buggy != 0 || res.Score.AUC != 0.5 {
		t.Errorf("no fixes: %+v", res)
	}
}

// TestBacktestOnGeneratedHistory runs the validation on the fixture
// generator's history (its fixes are random "fix ..." subjects, so only the
// mechanical link between size and being touched later is there to find).
func TestBacktestOnGeneratedHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 1,500-commit repository")
	}
	g, err := repos.Generate(t.TempDir(), repos.GenOptions{Seed: 1, Commits: 1500, Files: 300, MergeEvery: 25})
	if err != nil {
		t.Fatal(err)
	}
	r, err := vcs.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	all, err := r.ReadRange(context.Background(), plumbing.ZeroHash, g.Head, vcs.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	from := slices.IndexFunc(all.Commits, func(c *vcs.Commit) bool { return c.Hash == g.Base }) + 1
	res := Backtest(buildGraph(t, r, all), BacktestOptions{From: from})
	t.Logf("generated history, %d commits evaluated after BASE: %+v", res.Commits, res)
	if res.Buggy == 0 || res.Fixes == 0 || math.Abs(res.Random.AUC-0.5) > 0.05 {
		t.Fatalf("backtest: %+v", res)
	}
	// Fixes land at random here, so a commit is corrected mostly because it
	// wrote many lines: the score, which weighs size, must beat chance on AUC.
	// (It does not on effort-aware recall, nor does size alone: big commits
	// eat the line budget. SCORING.md gives the figures.)
	if res.Score.AUC < res.Random.AUC+0.05 {
		t.Errorf("the score ranks no better than chance: %+v", res)
	}
}
