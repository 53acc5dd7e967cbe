package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/report"
	"github.com/triage-dev/triage/internal/risk"
	"github.com/triage-dev/triage/internal/vcs"
)

type riskOptions struct {
	repoOptions
	outputOptions
	Range      []string
	History    string
	MaxHistory int
	FailOn     string
	Backtest   bool
	// The selection, as for triage plan: with one, the pruned branch's risk is measured too.
	selectionOptions
}

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newRiskCmd(s, nil) })
}

func newRiskCmd(streams ioStreams, runF func(*cobra.Command, *riskOptions) error) *cobra.Command {
	opts := &riskOptions{}
	cmd := &cobra.Command{
		Use:   "risk [RANGE]",
		Short: "Score the regression risk of every commit, and of the pruned branch",
		Long: `Scores every commit of RANGE from 0 to 100, from the repository's own history before
BASE (the year before it, --history): the change's size and spread, how often the touched
files changed and were fixed before and by how many people, the author's experience in them,
product code changed without a test, and what the range itself shows (a later revert, a later
fix on its lines). Levels low, medium and high come from the history's own distribution of
scores (above its 80th percentile medium, above its 95th high).

With a selection (--keep, --drop), also measures the pruned branch: files left in a state
nobody tested, kept and dropped changes interleaved or a few lines apart, kept commits using
what a dropped one introduced, fixes of kept commits left out, and what to retest.`,
		Example: `  triage risk v1.4.0..recette
  triage risk --format json -o risk.json
  triage risk --history 6m --fail-on high
  triage risk v1.4.0..recette --keep class:recette-fix --keep class:prod-fix`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if err := opts.selectionOptions.validate(); err != nil {
				return err
			}
			if _, err := parseHistory(opts.History); err != nil {
				return &usageError{err}
			}
			if opts.FailOn != "" && opts.FailOn != "medium" && opts.FailOn != "high" {
				return &usageError{fmt.Errorf("--fail-on %q: use medium or high", opts.FailOn)}
			}
			if opts.MaxHistory < 0 {
				return &usageError{fmt.Errorf("--max-history %d: give a number of commits, 1 or more (0 means the default, %d)", opts.MaxHistory, risk.DefaultMaxHistory)}
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runRisk(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	f := cmd.Flags()
	f.StringVar(&opts.History, "history", defaultHistory, "how much history before BASE the scores learn from: `AGE` such as 1y, 6m, 90d, 2w or 720h")
	f.IntVar(&opts.MaxHistory, "max-history", risk.DefaultMaxHistory, "read at most `N` commits of history (the newest)")
	f.BoolVar(&opts.Backtest, "backtest", false, "instead of scoring, measure how well the score finds the range's commits a later fix corrected (AUC, top 20% of lines), against lines changed alone and random")
	f.StringVar(&opts.FailOn, "fail-on", "", "exit 1 when a commit or the plan reaches `LEVEL` (medium or high)")
	addSelectionFlags(cmd, &opts.selectionOptions)
	return cmd
}

var ageFormat = regexp.MustCompile(`^(\d+)([dwmy])$`)

// parseHistory reads --history: days, weeks, months (30 days), years (365
// days), or any Go duration.
// defaultHistory is how much history before BASE risk learns from.
const defaultHistory = "1y"

func parseHistory(s string) (time.Duration, error) {
	if m := ageFormat.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		n, _ := strconv.Atoi(m[1])
		day := 24 * time.Hour
		unit := map[string]time.Duration{"d": day, "w": 7 * day, "m": 30 * day, "y": 365 * day}[m[2]]
		if n > 0 {
			return time.Duration(n) * unit, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("--history %q: give an age such as 1y, 6m, 90d, 2w or 720h", s)
}

func runRisk(cmd *cobra.Command, opts *riskOptions, streams ioStreams) error {
	if opts.Backtest && len(opts.Keep)+len(opts.Drop) > 0 {
		return &usageError{fmt.Errorf("risk: --backtest measures the score on the history; it takes no --keep/--drop")}
	}
	window, _ := parseHistory(opts.History)
	ctx := cmd.Context()
	s, err := loadSession(ctx, &opts.repoOptions, opts.Range, streams)
	if err != nil {
		return err
	}
	defer s.Close()

	var history []*vcs.Commit
	var info risk.HistoryInfo
	if !s.rng.Base.IsZero() {
		bar := newProgress(streams.Err, opts.NoProgress, "reading history")
		history, info, err = risk.ReadHistory(ctx, s.repo, s.rng.Base, risk.HistoryOptions{Window: window, MaxCommits: opts.MaxHistory, Progress: bar.Update})
		bar.Done()
		if err != nil {
			return err
		}
	}
	isFix, err := s.fixClassifier(history, opts.repoOptions)
	if err != nil {
		return err
	}
	if opts.Backtest {
		// One graph over the history and the range labels what later fixes
		// corrected; the backtest reads no symbol edge.
		all := &vcs.Range{Head: s.rng.Head, Commits: append(append([]*vcs.Commit(nil), history...), s.rng.Commits...)}
		graph, err := deps.Build(ctx, s.repo, all, graphOptions(true))
		if err != nil {
			return err
		}
		res := risk.Backtest(graph, risk.BacktestOptions{IsFix: isFix, From: len(history)})
		return opts.write(streams.Out, report.Backtest(s.rng.Base.String(), s.rng.Head.String(), res))
	}
	graph, err := deps.Build(ctx, s.repo, s.rng, graphOptions(false))
	if err != nil {
		return err
	}
	edges := risk.EdgesOf(graph)
	scores := risk.ScoreCommits(risk.Input{History: history, Commits: s.rng.Commits, IsFix: isFix, Edges: edges})
	var planRisk *risk.PlanRisk
	sel, err := opts.resolve(cmd, s, opts.Range)
	if err != nil {
		return err
	}
	if sel != nil {
		p, err := buildPlan(ctx, s, sel, graph)
		if err != nil {
			return err
		}
		if planRisk, err = assessPlan(ctx, s, p, sel.onto, history, edges, isFix); err != nil {
			return err
		}
	}
	doc := report.Risk(report.RiskInput{Base: s.rng.Base.String(), Head: s.rng.Head.String(), History: info, Scores: scores,
		Classes: s.results, Plan: planRisk})
	if err := opts.write(streams.Out, doc); err != nil {
		return err
	}
	return riskFindings(opts.FailOn, scores, planRisk)
}

// fixPattern recognises fix classes by name (prod-fix, recette-fix, bugfix,
// hotfix, correctif, anomalie...), whatever the config calls them.
var fixPattern = regexp.MustCompile(`(?i)fix|bug|correctif|anomal`)

// fixClassifier says which commits are fixes: for the range, by the class
// classify gave them; for the history, by classifying it with the same rules
// (its tickets may be in the export too). A commit no rule classes falls back
// to the fix keywords of its message.
func (s *session) fixClassifier(history []*vcs.Commit, o repoOptions) (risk.FixFunc, error) {
	var extra []classify.Source
	for _, t := range o.Tickets {
		extra = append(extra, classify.Source{Path: t, Format: o.TicketsFormat})
	}
	classifier, err := classify.New(s.cfg, extra)
	if err != nil {
		return nil, err
	}
	fix := map[plumbing.Hash]bool{}
	for _, results := range [][]classify.Result{s.results, classifier.Classify(history)} {
		for _, r := range results {
			if r.Class == s.defaultClass() {
				fix[r.Commit.Hash] = risk.KeywordFix(r.Commit)
			} else {
				fix[r.Commit.Hash] = fixPattern.MatchString(r.Class)
			}
		}
	}
	return func(c *vcs.Commit) bool {
		if v, ok := fix[c.Hash]; ok {
			return v
		}
		return risk.KeywordFix(c)
	}, nil
}

// riskFindings turns --fail-on into exit 1 when a commit or the plan reaches the level.
func riskFindings(failOn string, scores *risk.Scores, plan *risk.PlanRisk) error {
	if failOn == "" {
		return nil
	}
	reaches := func(l risk.Level) bool { return l == risk.High || (failOn == "medium" && l == risk.Medium) }
	n := 0
	for _, c := range scores.Commits {
		if reaches(c.Level) {
			n++
		}
	}
	var parts []string
	if n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s at %s risk or above", n, riskPlural(n, "commit is", "commits are"), failOn))
	}
	if plan != nil && reaches(plan.Level) {
		parts = append(parts, fmt.Sprintf("the pruned branch is at %s risk", plan.Level))
	}
	if len(parts) == 0 {
		return nil
	}
	return &findingsError{strings.Join(parts, "; ") + ": review them (triage risk --format json lists every factor)"}
}

func riskPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
