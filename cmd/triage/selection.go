package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
)

// selectionOptions are the flags that choose a plan's commits. plan, apply
// and risk take the same ones, with the config's plan: section as defaults.
type selectionOptions struct {
	Keep, Drop []string
	Strategy   string
	Onto       string
	With       []string
}

// addSelectionFlags declares the flags of a plan selection.
func addSelectionFlags(cmd *cobra.Command, o *selectionOptions) {
	f := cmd.Flags()
	f.StringArrayVar(&o.Keep, "keep", nil, "keep the commits a `SELECTOR` names (class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT); repeatable")
	f.StringArrayVar(&o.Drop, "drop", nil, "drop the commits a `SELECTOR` names; repeatable")
	f.StringVar(&o.Strategy, "strategy", "pull", "how the plan closes the selection: pull, prune or exact")
	f.StringVar(&o.Onto, "onto", "", "the `REF` the picks go onto; commits already there are not picked again (default: BASE)")
	f.StringSliceVar(&o.With, "with", nil, "soft dependency `KINDS` the plan follows too: rename, symbol")
}

// validate checks the flags before any work is done.
func (o *selectionOptions) validate() error {
	if _, err := plan.ParseStrategy(o.Strategy); err != nil {
		return &usageError{fmt.Errorf("--strategy: %w", err)}
	}
	if _, err := deps.ParseKinds(o.With); err != nil {
		return &usageError{fmt.Errorf("--with: %w", err)}
	}
	for _, sel := range append(append([]string{}, o.Keep...), o.Drop...) {
		if _, err := plan.ParseSelector(sel); err != nil {
			return &usageError{err}
		}
	}
	return nil
}

// errNothingSelected is what plan and apply say without a selection.
var errNothingSelected = &usageError{errors.New("nothing selected: pass --keep (e.g. --keep class:recette-fix --keep class:prod-fix) or --drop (e.g. --drop class:feature), or set plan.keep in .triage.yaml")}

// selection is a plan selection ready for plan.Build, and where its picks go.
type selection struct {
	plan.Options               // Onto is the REF as given, "" for BASE
	onto         plumbing.Hash // the commit the picks go onto
	ontoLabel    string        // how reports name it: the REF, or BASE as the range names it
}

// resolve takes the command line's selection, else the config's plan
// defaults (flag by flag), and resolves --onto. It returns nil when neither
// selects anything.
func (o *selectionOptions) resolve(cmd *cobra.Command, s *session, rangeArgs []string) (*selection, error) {
	sel := &selection{Options: plan.Options{Keep: o.Keep, Drop: o.Drop, Strategy: plan.Strategy(o.Strategy), Onto: o.Onto}}
	with := o.With
	if c := s.cfg; c != nil && c.Plan != nil {
		if len(sel.Keep)+len(sel.Drop) == 0 {
			sel.Keep, sel.Drop = c.Plan.Keep, c.Plan.Drop
		}
		if !cmd.Flags().Changed("strategy") && c.Plan.Strategy != "" {
			sel.Strategy = plan.Strategy(c.Plan.Strategy)
		}
		if !cmd.Flags().Changed("onto") && c.Plan.Onto != "" {
			sel.Onto = c.Plan.Onto
		}
		if !cmd.Flags().Changed("with") && len(c.Plan.With) > 0 {
			with = c.Plan.With
		}
	}
	if len(sel.Keep)+len(sel.Drop) == 0 {
		return nil, nil
	}
	// The flags were checked before any work: what fails here is the config's.
	var err error
	if sel.With, err = deps.ParseKinds(with); err != nil {
		return nil, &usageError{fmt.Errorf("plan.with in the config: %w", err)}
	}
	if sel.Strategy, err = plan.ParseStrategy(string(sel.Strategy)); err != nil {
		return nil, &usageError{fmt.Errorf("plan.strategy in the config: %w", err)}
	}
	sel.onto, sel.ontoLabel = s.rng.Base, rangeBaseName(rangeArgs, s)
	if sel.Onto != "" {
		if sel.onto, err = s.repo.Resolve(sel.Onto); err != nil {
			return nil, fmt.Errorf("--onto: %w", err)
		}
		sel.ontoLabel = sel.Onto
	}
	return sel, nil
}

// rangeBaseName is BASE as the user typed it ("v1.4.0" of v1.4.0..recette).
func rangeBaseName(rangeArgs []string, s *session) string {
	spec, err := rangeSpec(rangeArgs, s.cfg)
	if i := strings.Index(spec, ".."); err == nil && i > 0 {
		return spec[:i]
	}
	return ""
}

// buildPlan closes the selection over the graph, with the commits already on
// --onto marked present.
func buildPlan(ctx context.Context, s *session, sel *selection, graph *deps.Graph) (*plan.Plan, error) {
	var present map[plumbing.Hash]plan.Presence
	if sel.onto != s.rng.Base {
		var err error
		if present, err = plan.FindPresent(ctx, s.repo, s.rng, sel.onto); err != nil {
			return nil, err
		}
	}
	p, err := plan.Build(plan.Input{Graph: graph, Results: s.results, Present: present}, sel.Options)
	if err != nil {
		return nil, &usageError{err}
	}
	return p, nil
}

// planned is a classified range with its selection, graph and plan: where
// plan and apply start from.
type planned struct {
	*session
	sel   *selection
	graph *deps.Graph
	plan  *plan.Plan
}

// loadPlan reads and classifies the range, resolves the selection (flags or
// the config's plan:), builds the dependency graph and closes the selection.
// The caller closes the returned session.
func loadPlan(cmd *cobra.Command, ro *repoOptions, so *selectionOptions, rangeArgs []string, streams ioStreams, do deps.Options) (*planned, error) {
	ctx := cmd.Context()
	s, err := loadSession(ctx, ro, rangeArgs, streams)
	if err != nil {
		return nil, err
	}
	pl := &planned{session: s}
	if pl.sel, err = so.resolve(cmd, s, rangeArgs); err == nil && pl.sel == nil {
		err = errNothingSelected
	}
	if err == nil {
		pl.graph, err = deps.Build(ctx, s.repo, s.rng, do)
	}
	if err == nil {
		pl.plan, err = buildPlan(ctx, s, pl.sel, pl.graph)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return pl, nil
}
