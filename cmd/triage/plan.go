package main

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/report"
)

type planOptions struct {
	repoOptions
	outputOptions
	Range     []string
	Keep      []string
	Drop      []string
	Strategy  string
	Onto      string
	With      []string
	NoSymbols bool
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
			if _, err := plan.ParseStrategy(opts.Strategy); err != nil {
				return &usageError{fmt.Errorf("--strategy: %w", err)}
			}
			if _, err := deps.ParseKinds(opts.With); err != nil {
				return &usageError{fmt.Errorf("--with: %w", err)}
			}
			for _, sel := range append(append([]string{}, opts.Keep...), opts.Drop...) {
				if _, err := plan.ParseSelector(sel); err != nil {
					return &usageError{err}
				}
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runPlan(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	addSelectionFlags(cmd, &opts.Keep, &opts.Drop, &opts.Strategy, &opts.Onto, &opts.With)
	cmd.Flags().BoolVar(&opts.NoSymbols, "no-symbols", false, "skip symbol edges (and the indexing of the base tree they need)")
	return cmd
}

// addSelectionFlags declares the flags of a plan selection.
func addSelectionFlags(cmd *cobra.Command, keep, drop *[]string, strategy, onto *string, with *[]string) {
	f := cmd.Flags()
	f.StringArrayVar(keep, "keep", nil, "keep the commits a `SELECTOR` names (class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT); repeatable")
	f.StringArrayVar(drop, "drop", nil, "drop the commits a `SELECTOR` names; repeatable")
	f.StringVar(strategy, "strategy", "pull", "how the selection is closed: pull, prune or exact")
	f.StringVar(onto, "onto", "", "the `REF` the picks go onto; commits already there are 'present' (default: BASE)")
	f.StringSliceVar(with, "with", nil, "soft dependency `KINDS` to follow too: rename, symbol")
}

// planSelection is the command line's selection, else the config's plan
// defaults, flag by flag.
func planSelection(cmd *cobra.Command, s *session, opts *planOptions) (plan.Options, []string, string) {
	o := plan.Options{Keep: opts.Keep, Drop: opts.Drop, Strategy: plan.Strategy(opts.Strategy)}
	with, onto := opts.With, opts.Onto
	if c := s.cfg; c != nil && c.Plan != nil {
		if len(o.Keep)+len(o.Drop) == 0 {
			o.Keep, o.Drop = c.Plan.Keep, c.Plan.Drop
		}
		if !cmd.Flags().Changed("strategy") && c.Plan.Strategy != "" {
			o.Strategy = plan.Strategy(c.Plan.Strategy)
		}
		if !cmd.Flags().Changed("onto") && c.Plan.Onto != "" {
			onto = c.Plan.Onto
		}
		if !cmd.Flags().Changed("with") && len(c.Plan.With) > 0 {
			with = c.Plan.With
		}
	}
	return o, with, onto
}

func runPlan(cmd *cobra.Command, opts *planOptions, streams ioStreams) error {
	ctx := cmd.Context()
	s, err := loadSession(ctx, &opts.repoOptions, opts.Range, streams)
	if err != nil {
		return err
	}
	defer s.Close()
	sel, with, ontoName := planSelection(cmd, s, opts)
	if len(sel.Keep)+len(sel.Drop) == 0 {
		return &usageError{errors.New("nothing selected: pass --keep (e.g. --keep class:recette-fix --keep class:prod-fix) or --drop (e.g. --drop class:feature), or set plan.keep in .triage.yaml")}
	}
	if sel.With, err = deps.ParseKinds(with); err != nil {
		return &usageError{fmt.Errorf("plan.with in the config: %w", err)}
	}
	if sel.Strategy, err = plan.ParseStrategy(string(sel.Strategy)); err != nil {
		return &usageError{fmt.Errorf("plan.strategy in the config: %w", err)}
	}
	onto, label := s.rng.Base, rangeBaseName(opts.Range, s)
	if ontoName != "" {
		if onto, err = s.repo.Resolve(ontoName); err != nil {
			return fmt.Errorf("--onto: %w", err)
		}
		label, sel.Onto = ontoName, ontoName
	}
	g, err := deps.Build(ctx, s.repo, s.rng, deps.Options{NoSymbols: opts.NoSymbols})
	if err != nil {
		return err
	}
	var present map[plumbing.Hash]plan.Presence
	if onto != s.rng.Base {
		if present, err = plan.FindPresent(ctx, s.repo, s.rng, onto); err != nil {
			return err
		}
	}
	p, err := plan.Build(plan.Input{Graph: g, Results: s.results, Present: present}, sel)
	if err != nil {
		return &usageError{err}
	}
	return opts.write(streams.Out, report.Plan(report.PlanInput{Plan: p, Onto: onto, OntoName: label}))
}

// rangeBaseName is BASE as the user typed it ("v1.4.0" of v1.4.0..recette).
func rangeBaseName(rangeArgs []string, s *session) string {
	spec, err := rangeSpec(rangeArgs, s.cfg)
	if err != nil {
		return ""
	}
	for i := 0; i+1 < len(spec); i++ {
		if spec[i] == '.' && spec[i+1] == '.' {
			return spec[:i]
		}
	}
	return ""
}
