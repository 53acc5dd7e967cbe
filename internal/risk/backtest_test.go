package risk

import (
	"math"
	"testing"
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
	res := Backtest(h.commits, nil)
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
}
