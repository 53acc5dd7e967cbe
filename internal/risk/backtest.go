package risk

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"github.com/triage-dev/triage/internal/deps"
)

// Metrics say how well a ranking finds the commits a later fix corrected.
type Metrics struct {
	// AUC is the probability that a commit a fix corrected ranks above one no
	// fix touched (ties count half): 0.5 is chance, 1 is perfect.
	AUC float64 `json:"auc"`
	// Top20Lines is the share of corrected commits found by reviewing the
	// top-ranked commits until 20% of all changed lines are read (the last
	// commit counts in proportion of the lines read): effort-aware recall.
	Top20Lines float64 `json:"top20_lines"`
}

// BacktestResult compares the risk score with two baselines on one history.
type BacktestResult struct {
	Commits int     `json:"commits"` // non-merge commits that added lines: the ones a fix can correct
	Fixes   int     `json:"fixes"`   // commits the fix classifier recognised
	Buggy   int     `json:"buggy"`   // commits whose lines a later fix changed or deleted (SZZ label)
	Score   Metrics `json:"score"`   // the predictive score (evidence factors left out: they are the label)
	Lines   Metrics `json:"lines"`   // lines changed alone, larger first
	Random  Metrics `json:"random"`  // mean of 100 seeded random orders
}

// BacktestOptions tune Backtest.
type BacktestOptions struct {
	IsFix FixFunc // nil: KeywordFix
	// From is the index of the first commit evaluated: the commits before it
	// only give the later ones their past and their line owners. Leave out an
	// initial import, whose size would swallow the 20% line budget.
	From int
}

// Backtest runs the SZZ-style validation on a history: g is deps' graph
// over it (oldest first; symbol edges are not read, deps.Options.NoSymbols
// saves building them). Each commit gets the predictive score it would have
// had when written (size, spread, the files' past, the author's experience,
// tests), and is labelled buggy when a later fix commit (isFix, KeywordFix
// when nil) changed or deleted lines it last wrote: a line edge of g, which
// follows every line through merges to the commit that wrote it. The
// evidence factors are left out, since they are the label itself.
func Backtest(g *deps.Graph, opts BacktestOptions) BacktestResult {
	commits := g.Commits
	isFix := opts.IsFix
	if isFix == nil {
		isFix = KeywordFix
	}
	sc := newScorer(isFix)
	scores := make([]float64, len(commits))
	for i, c := range commits {
		scores[i] = float64(scoreOf(sc.predict(c)))
		sc.record(c)
	}
	fix := make([]bool, len(commits))
	res := BacktestResult{}
	for i, c := range commits {
		if fix[i] = isFix(c) && !c.Merge; fix[i] {
			res.Fixes++
		}
	}
	buggy := make([]bool, len(commits))
	for _, e := range g.Edges(deps.Line) {
		i, _ := g.Index(e.Commit)
		j, _ := g.Index(e.DependsOn)
		if fix[i] && len(e.Lines) > 0 { // a binary file has no lines to blame
			buggy[j] = true
		}
	}
	var score, size []float64
	var labels []bool
	for i, c := range commits {
		if i < opts.From {
			continue
		}
		added, lines := 0, 0
		for _, f := range c.Changes {
			added += f.Added
			lines += f.Added + f.Deleted
		}
		if c.Merge || added == 0 {
			continue
		}
		score = append(score, scores[i])
		size = append(size, float64(lines))
		labels = append(labels, buggy[i])
		if buggy[i] {
			res.Buggy++
		}
	}
	res.Commits = len(labels)
	res.Score = Metrics{AUC: auc(score, labels), Top20Lines: effortRecall(score, size, labels, 0.2)}
	res.Lines = Metrics{AUC: auc(size, labels), Top20Lines: effortRecall(size, size, labels, 0.2)}
	// Random orders have no ties: a permutation is both the ranking and its ranks.
	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 100
	for range draws {
		perm := rng.Perm(len(labels))
		res.Random.AUC += aucOfOrder(perm, nil, labels) / draws
		res.Random.Top20Lines += recallOfOrder(perm, size, labels, 0.2) / draws
	}
	return res
}

// auc is the Mann-Whitney statistic with average ranks for ties; 0.5 when
// either class is empty (no ranking can be judged).
func auc(values []float64, labels []bool) float64 {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(values[a], values[b]), a-b) })
	return aucOfOrder(idx, values, labels)
}

// aucOfOrder computes AUC from commits sorted by ascending value; values
// (nil when there are no ties) gives tied runs their average rank.
func aucOfOrder(order []int, values []float64, labels []bool) float64 {
	n := len(order)
	pos, rankSum := 0, 0.0
	for i := 0; i < n; {
		j := i + 1
		for values != nil && j < n && values[order[j]] == values[order[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if labels[order[k]] {
				pos++
				rankSum += avg
			}
		}
		i = j
	}
	neg := n - pos
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - float64(pos)*float64(pos+1)/2) / (float64(pos) * float64(neg))
}

// effortRecall ranks by value (highest first, ties in history order) and
// returns the share of positives found within share of the total lines.
func effortRecall(values, lines []float64, labels []bool, share float64) float64 {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(values[b], values[a]), a-b) })
	return recallOfOrder(idx, lines, labels, share)
}

// recallOfOrder reviews commits in order until share of all changed lines is
// read (the last one in part) and returns the share of positives found.
func recallOfOrder(order []int, lines []float64, labels []bool, share float64) float64 {
	total, pos := 0.0, 0
	for i := range lines {
		total += lines[i]
		if labels[i] {
			pos++
		}
	}
	if pos == 0 || total == 0 {
		return 0
	}
	budget, found := share*total, 0.0
	for _, i := range order {
		if budget <= 0 {
			break
		}
		read := 1.0
		if lines[i] > budget {
			read = budget / lines[i]
		}
		budget -= lines[i]
		if labels[i] {
			found += read
		}
	}
	return found / float64(pos)
}
