package main

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/report"
	"github.com/triage-dev/triage/internal/risk"
)

type planOptions struct {
	repoOptions
	outputOptions
	selectionOptions
	Range     []string
	NoSymbols bool
	NoRisk    bool
}

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newPlanCmd(s, nil) })
}

func newPlanCmd(streams ioStreams, runF func(*cobra.Command, *planOptions) error) *cobra.Command {
	opts := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [RANGE]",
		Short: "Decide every commit: keep, pull (needed by a kept one), drop or present",
		Long: `Selects commits of RANGE with --keep and --drop, closes the selection over the
dependency graph (see triage deps), and gives every commit a decision with its reason:
  keep     selected;
  pull     not selected, but a kept commit needs it (the chain of edges says why);
  drop     left out (not selected, dropped, or pruned with the chain that forced it);
  present  already on --onto (same patch-id, a "cherry picked from" line, or a Subversion
           merge record naming its revision), so not picked again.
Then the picks in order (cherry-pick them one by one, oldest first), the warnings (soft
dependencies crossing the cut, picks on both sides of a conflict a merge resolved), the
tickets fully kept, partly kept and dropped, and the counts.

Selectors (repeatable): class:NAME, ticket:ID, commit:SHA (a prefix will do), rev:N
(Subversion revision), path:GLOB (the commit touches a matching path), author:TEXT.
When a keep and a drop selector both match, the more specific one wins (commit/rev, then
ticket, then path/author, then class); on a tie, drop wins. With only --drop, everything
else is kept. Defaults come from plan: in .triage.yaml.

Strategies: pull (default) brings in what kept commits need, from any class; prune drops a
kept commit whose needs are not all kept; exact keeps the selection as given and warns.`,
		Example: `  triage plan v1.4.0..recette --keep class:recette-fix --keep class:prod-fix
  triage plan --keep class:recette-fix --drop ticket:PAY-114 --strategy prune
  triage plan --keep class:prod-fix --onto release/1.5 --format markdown
  triage plan --drop class:feature --with rename,symbol --format json -o plan.json`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if err := opts.selectionOptions.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runPlan(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	addSelectionFlags(cmd, &opts.selectionOptions)
	cmd.Flags().BoolVar(&opts.NoSymbols, "no-symbols", false, "skip symbol edges (and the indexing of the base tree they need)")
	cmd.Flags().BoolVar(&opts.NoRisk, "no-risk", false, "skip the risk summary of the pruned branch (it replays the picks in memory and reads a year of history)")
	return cmd
}

func runPlan(cmd *cobra.Command, opts *planOptions, streams ioStreams) error {
	ctx := cmd.Context()
	pl, err := loadPlan(cmd, &opts.repoOptions, &opts.selectionOptions, opts.Range, streams, graphOptions(opts.NoSymbols))
	if err != nil {
		return err
	}
	defer pl.Close()
	s, sel, g, p := pl.session, pl.sel, pl.graph, pl.plan
	var pruned *risk.PlanRisk
	if !opts.NoRisk {
		if pruned, err = planRiskOf(ctx, s, p, sel.onto, g, &opts.repoOptions, streams); err != nil {
			return err
		}
	}
	return opts.write(streams.Out, report.Plan(report.PlanInput{Plan: p, Onto: sel.onto, OntoName: sel.ontoLabel, Risk: pruned}))
}

// planRiskOf measures the pruned branch as triage risk does, from the default
// year of history before BASE.
func planRiskOf(ctx context.Context, s *session, p *plan.Plan, onto plumbing.Hash, g *deps.Graph, o *repoOptions, streams ioStreams) (*risk.PlanRisk, error) {
	window, _ := parseHistory(defaultHistory)
	bar := newProgress(streams.Err, o.NoProgress, "reading history")
	history, _, err := risk.ReadHistory(ctx, s.repo, s.rng.Base, risk.HistoryOptions{Window: window, MaxCommits: risk.DefaultMaxHistory, Progress: bar.Update})
	bar.Done()
	if err != nil {
		return nil, err
	}
	isFix, err := s.fixClassifier(history, *o)
	if err != nil {
		return nil, err
	}
	return assessPlan(ctx, s, p, onto, history, risk.EdgesOf(g), isFix)
}
