package main

import (
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/report"
)

type depsOptions struct {
	repoOptions
	outputOptions
	Range     []string
	Kinds     []string
	NoSymbols bool
}

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newDepsCmd(s, nil) })
}

func newDepsCmd(streams ioStreams, runF func(*cobra.Command, *depsOptions) error) *cobra.Command {
	opts := &depsOptions{}
	cmd := &cobra.Command{
		Use:   "deps [RANGE]",
		Short: "Show which commits of a range need which, and why",
		Long: `Builds the dependency graph of RANGE in one pass over its commits, oldest first,
following which commit last wrote each line of each file (no blame), on the real
history: merges take every line from the parent it came from.

An edge "B depends on A" has a kind and its evidence:
  line      B changes lines A last wrote                                 (hard)
  adjacent  B changes lines touching lines A wrote: git cannot merge it  (hard)
  file      B modifies or deletes a file A created, or re-creates one A deleted (hard)
  revert    B reverts A, or is a fixup!/squash! of A                    (hard)
  rename    B changes a file at a path A renamed it to                  (soft)
  symbol    B uses an identifier A introduced (absent from BASE)        (soft)
Without a hard dependency, git cherry-picks a commit alone without conflict.
triage plan follows the hard kinds, and the soft ones with --with.`,
		Example: `  triage deps v1.4.0..recette
  triage deps --format dot | dot -Tsvg > deps.svg
  triage deps --kinds line,adjacent,file --format csv -o deps.csv`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if _, err := deps.ParseKinds(opts.Kinds); err != nil {
				return &usageError{err}
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runDeps(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions, "dot")
	cmd.Flags().StringSliceVar(&opts.Kinds, "kinds", nil, "show only these edge `KINDS` (line, adjacent, file, revert, rename, symbol)")
	cmd.Flags().BoolVar(&opts.NoSymbols, "no-symbols", false, "skip symbol edges (and the indexing of the base tree they need: faster on big repositories)")
	return cmd
}

func runDeps(cmd *cobra.Command, opts *depsOptions, streams ioStreams) error {
	ctx := cmd.Context()
	s, err := loadSession(ctx, &opts.repoOptions, opts.Range, streams)
	if err != nil {
		return err
	}
	defer s.Close()
	kinds, _ := deps.ParseKinds(opts.Kinds)
	g, err := deps.Build(ctx, s.repo, s.rng, graphOptions(opts.NoSymbols))
	if err != nil {
		return err
	}
	return opts.write(streams.Out, report.Deps(report.DepsInput{Graph: g, Results: s.results, Kinds: kinds}))
}
