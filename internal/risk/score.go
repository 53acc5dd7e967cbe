package risk

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Factor names, in the order they are listed.
const (
	FactorSize            = "size"
	FactorFiles           = "files"
	FactorDirectories     = "directories"
	FactorEntropy         = "entropy"
	FactorPriorChanges    = "prior_changes"
	FactorPriorFixes      = "prior_fixes"
	FactorPriorAuthors    = "prior_authors"
	FactorAuthorFiles     = "author_file_experience"
	FactorAuthorDirs      = "author_dir_experience"
	FactorUntestedChange  = "no_test_change"
	FactorRevertedLater   = "reverted_later"
	FactorFixedLater      = "fixed_later"
	FactorMerge           = "merge"
	maxScore              = 100
	revertedPoints        = 25
	fixedLaterPoints      = 20
	noTestPoints          = 8
	authorFilesPoints     = 8
	authorDirsPoints      = 4
	defaultMediumAbove    = 35
	defaultHighAbove      = 55
	minHistoryForLevels   = 30
	mediumPercentile      = 80
	highPercentile        = 95
	DefaultMaxHistory     = 20000
	DefaultHistory        = 365 * 24 * time.Hour
	defaultHistoryComment = "the year before BASE"
)

// Factor is one reason a commit's score is what it is. The score is the sum
// of the factors' points, rounded, capped at 100.
type Factor struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Points float64 `json:"points"`
	Why    string  `json:"why"`
}

// Level is low, medium or high.
type Level string

const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// CommitRisk is one commit's score, level and factors.
type CommitRisk struct {
	Commit  *vcs.Commit
	Score   int
	Level   Level
	Factors []Factor // every factor, including those worth 0 points
}

// Thresholds turn scores into levels: above Medium is medium, above High is high.
type Thresholds struct {
	Medium         int    `json:"medium_above"`
	High           int    `json:"high_above"`
	Source         string `json:"source"` // "history" or "default"
	Method         string `json:"method"`
	HistoryCommits int    `json:"history_commits"` // non-merge commits the thresholds were measured on
}

// Input is what per-commit scoring reads.
type Input struct {
	// History is the repository's history before BASE, oldest first (see
	// Window and ReadHistory). Every commit's past is History plus the range
	// commits before it.
	History []*vcs.Commit
	// Commits is the range, oldest first, parents before children.
	Commits []*vcs.Commit
	// Edges are deps' edges within the range (EdgesOf): the later reverts
	// and fixes the evidence factors count. Without them the range shows no
	// evidence.
	Edges []Edge
	// IsFix classifies commits of the history and the range; nil means KeywordFix.
	IsFix FixFunc
}

// Scores is the result of ScoreCommits.
type Scores struct {
	Commits    []CommitRisk // in range order
	Thresholds Thresholds
}

// ScoreCommits scores every commit of the range. One forward pass over the
// history then the range gives each commit the past it had when written;
// history commits are scored too, and their distribution sets the levels.
func ScoreCommits(in Input) *Scores {
	isFix := in.IsFix
	if isFix == nil {
		isFix = KeywordFix
	}
	sc := newScorer(isFix)
	var hist []int
	for _, c := range in.History {
		f := sc.predict(c)
		if !c.Merge {
			hist = append(hist, scoreOf(f))
		}
		sc.record(c)
	}
	th := levelThresholds(hist)
	ev := evidenceOf(in.Commits, in.Edges, isFix)
	out := &Scores{Thresholds: th, Commits: make([]CommitRisk, 0, len(in.Commits))}
	for _, c := range in.Commits {
		factors := append(sc.predict(c), ev.factors(c.Hash)...)
		sc.record(c)
		score := scoreOf(factors)
		out.Commits = append(out.Commits, CommitRisk{Commit: c, Score: score, Level: th.level(score), Factors: factors})
	}
	return out
}

// scoreOf sums the points (each already rounded to 0.1), rounds half up to
// a whole number and caps at 100. It adds tenths as integers, so 54.5 is
// always 55, whatever binary floating point makes of the sum.
func scoreOf(factors []Factor) int {
	return min(maxScore, (tenths(factors)+5)/10)
}

func tenths(factors []Factor) int {
	t := 0
	for _, f := range factors {
		t += int(math.Round(f.Points * 10))
	}
	return t
}

func (t Thresholds) level(score int) Level {
	switch {
	case score > t.High:
		return High
	case score > t.Medium:
		return Medium
	}
	return Low
}

// levelThresholds measures the levels on the history's own scores: medium
// above the 80th percentile, high above the 95th (nearest-rank method: the
// p-th percentile of n sorted scores is the ceil(p/100·n)-th smallest). With
// fewer than 30 history commits the distribution says too little, and the
// defaults (medium above 35, high above 55) apply.
func levelThresholds(hist []int) Thresholds {
	if len(hist) < minHistoryForLevels {
		return Thresholds{Medium: defaultMediumAbove, High: defaultHighAbove, Source: "default", HistoryCommits: len(hist),
			Method: fmt.Sprintf("fewer than %d commits of history (%d): fixed thresholds, medium above %d, high above %d",
				minHistoryForLevels, len(hist), defaultMediumAbove, defaultHighAbove)}
	}
	s := append([]int(nil), hist...)
	sort.Ints(s)
	rank := func(p int) int { return s[(p*len(s)+99)/100-1] }
	return Thresholds{Medium: rank(mediumPercentile), High: rank(highPercentile), Source: "history", HistoryCommits: len(s),
		Method: fmt.Sprintf("medium above %d, the %dth percentile, and high above %d, the %dth (nearest rank), of the scores "+
			"of the %d non-merge history commits, each scored on the history before it", rank(mediumPercentile), mediumPercentile,
			rank(highPercentile), highPercentile, len(s))}
}

// scorer computes the predictive factors of a commit from the past so far.
type scorer struct {
	past  *past
	isFix FixFunc
}

func newScorer(isFix FixFunc) *scorer { return &scorer{past: newPast(), isFix: isFix} }

func (s *scorer) record(c *vcs.Commit) {
	if c.Merge {
		return // its changes are its parents'; they are recorded there
	}
	changes := make([][2]string, len(c.Changes))
	for i, f := range c.Changes {
		changes[i] = [2]string{f.OldPath, f.NewPath}
	}
	s.past.record(s.past.author(authorKey(c.Author.Email, c.Author.Name)), s.isFix(c), changes)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func capped(limit, x float64) float64 { return round1(min(limit, max(0, x))) }

// predict computes the factors that are known when the commit is written.
func (s *scorer) predict(c *vcs.Commit) []Factor {
	if c.Merge {
		return []Factor{{Name: FactorMerge, Value: 1, Points: 0,
			Why: "merge commit: its changes are scored on the commits it merges"}}
	}
	lines := 0
	perFile := make([]float64, 0, len(c.Changes))
	var before []string // paths as the past knows them (old path of a rename)
	dirSet := map[string]bool{}
	product, tests := 0, 0
	for _, f := range c.Changes {
		n := f.Added + f.Deleted
		lines += n
		perFile = append(perFile, float64(n))
		p := f.Path()
		if f.OldPath != "" {
			before = append(before, f.OldPath)
		} else {
			before = append(before, p)
		}
		dirSet[dirOf(p)] = true
		switch {
		case IsTestPath(p):
			tests++
		case IsProductPath(p):
			product++
		}
	}
	dirs := make([]string, 0, len(dirSet))
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	author := s.past.author(authorKey(c.Author.Email, c.Author.Name))
	fs := s.past.files(before, author)
	inDirs := s.past.authorInDirs(dirs, author)
	nFiles, nDirs, h := len(c.Changes), len(dirs), entropy(perFile)

	out := []Factor{
		{FactorSize, float64(lines), capped(20, 3*math.Log2(1+float64(lines))),
			fmt.Sprintf("%d lines changed (added + deleted); points 3·log2(1+lines), at most 20", lines)},
		{FactorFiles, float64(nFiles), capped(6, 3*log2pos(nFiles)),
			fmt.Sprintf("%d %s changed; points 3·log2(files), at most 6", nFiles, plural(nFiles, "file", "files"))},
		{FactorDirectories, float64(nDirs), capped(6, 3*log2pos(nDirs)),
			fmt.Sprintf("%d %s; points 3·log2(directories), at most 6", nDirs, plural(nDirs, "directory", "directories"))},
		{FactorEntropy, round2(h), capped(6, 3*round2(h)),
			fmt.Sprintf("the change is spread over its files with entropy %.2f bits; points 3·entropy, at most 6", h)},
		{FactorPriorChanges, float64(fs.commits), capped(10, 2*math.Log2(1+float64(fs.commits))),
			fmt.Sprintf("%d earlier %s touched these files; points 2·log2(1+n), at most 10", fs.commits, plural(fs.commits, "commit", "commits"))},
		{FactorPriorFixes, float64(fs.fixes), capped(15, 5*math.Log2(1+float64(fs.fixes))),
			fmt.Sprintf("%d of them %s fixes; points 5·log2(1+n), at most 15", fs.fixes, plural(fs.fixes, "was a", "were"))},
		{FactorPriorAuthors, float64(fs.authors), capped(6, 3*log2pos(fs.authors)),
			fmt.Sprintf("%d distinct %s worked on these files before; points 3·log2(authors), at most 6", fs.authors, plural(fs.authors, "author", "authors"))},
	}
	if fs.anyPast {
		out = append(out, Factor{FactorAuthorFiles, float64(fs.authorCommits), round1(authorFilesPoints / (1 + float64(fs.authorCommits))),
			fmt.Sprintf("the author made %d of those earlier commits; points 8/(1+n)", fs.authorCommits)})
	} else {
		out = append(out, Factor{FactorAuthorFiles, 0, 0, "no touched file has any earlier commit: nobody knows them better"})
	}
	out = append(out, Factor{FactorAuthorDirs, float64(inDirs), round1(authorDirsPoints / (1 + float64(inDirs))),
		fmt.Sprintf("the author made %d earlier %s in these directories; points 4/(1+n)", inDirs, plural(inDirs, "commit", "commits"))})
	switch {
	case product > 0 && tests == 0:
		out = append(out, Factor{FactorUntestedChange, float64(product), noTestPoints,
			fmt.Sprintf("%d product %s changed and no test file; %d points", product, plural(product, "file", "files"), noTestPoints)})
	case product > 0:
		out = append(out, Factor{FactorUntestedChange, 0, 0, fmt.Sprintf("%d test %s changed with the product code", tests, plural(tests, "file", "files"))})
	default:
		out = append(out, Factor{FactorUntestedChange, 0, 0, "no product file changed"})
	}
	return out
}

func log2pos(n int) float64 {
	if n <= 1 {
		return 0
	}
	return math.Log2(float64(n))
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// entropy is Shannon's, in bits, of the changed lines' distribution over files.
func entropy(perFile []float64) float64 {
	total := 0.0
	for _, n := range perFile {
		total += n
	}
	if total == 0 {
		return 0
	}
	h := 0.0
	for _, n := range perFile {
		if n > 0 {
			p := n / total
			h -= p * math.Log2(p)
		}
	}
	return h
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// evidence holds what the range itself says about its commits.
type evidence struct {
	revertedBy map[plumbing.Hash][]plumbing.Hash
	fixedBy    map[plumbing.Hash][]plumbing.Hash
}

func evidenceOf(commits []*vcs.Commit, edges []Edge, isFix FixFunc) evidence {
	byHash := make(map[plumbing.Hash]*vcs.Commit, len(commits))
	for _, c := range commits {
		byHash[c.Hash] = c
	}
	ev := evidence{revertedBy: map[plumbing.Hash][]plumbing.Hash{}, fixedBy: map[plumbing.Hash][]plumbing.Hash{}}
	add := func(m map[plumbing.Hash][]plumbing.Hash, target, by plumbing.Hash) {
		for _, h := range m[target] {
			if h == by {
				return
			}
		}
		m[target] = append(m[target], by)
	}
	for _, e := range edges {
		by := byHash[e.Commit]
		if by == nil || e.Commit == e.DependsOn {
			continue
		}
		switch {
		case isFixup(e): // a fixup! commit is a later fix of its target
			add(ev.fixedBy, e.DependsOn, e.Commit)
		case e.Kind == KindRevert:
			add(ev.revertedBy, e.DependsOn, e.Commit)
		case e.Kind == KindLine && isFix(by):
			add(ev.fixedBy, e.DependsOn, e.Commit)
		}
	}
	return ev
}

func (ev evidence) factors(h plumbing.Hash) []Factor {
	rev, fix := ev.revertedBy[h], ev.fixedBy[h]
	out := []Factor{
		{FactorRevertedLater, float64(len(rev)), 0, "not reverted within the range"},
		{FactorFixedLater, float64(len(fix)), 0, "no later fix in the range changed its lines"},
	}
	if len(rev) > 0 {
		out[0].Points = revertedPoints
		out[0].Why = fmt.Sprintf("reverted later in the range by %s (evidence, not prediction); %d points", shortList(rev), revertedPoints)
	}
	if len(fix) > 0 {
		out[1].Points = fixedLaterPoints
		out[1].Why = fmt.Sprintf("a later fix changed its lines: %s (evidence, not prediction); %d points", shortList(fix), fixedLaterPoints)
	}
	return out
}

func shortList(hs []plumbing.Hash) string {
	s := make([]string, len(hs))
	for i, h := range hs {
		s[i] = h.String()[:7]
	}
	return strings.Join(s, ", ")
}
