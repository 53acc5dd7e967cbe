package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/report"
)

type explainOptions struct {
	repoOptions
	outputOptions
	Commit    string
	Range     []string
	NoSymbols bool
}

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newExplainCmd(s, nil) })
}

func newExplainCmd(streams ioStreams, runF func(*cobra.Command, *explainOptions) error) *cobra.Command {
	opts := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain COMMIT [RANGE]",
		Short: "Say why a commit has its class, what it needs and what needs it",
		Long: `Explains one commit of RANGE in words a manager can read: its tickets, its class and
the rule and evidence behind it, the commits it depends on and those that depend on it
(each edge with its evidence: the lines, the file, the identifier), what keeping it brings
along, and what dropping it forces out.

COMMIT is any revision: a SHA or a prefix of one, a branch, HEAD~3...`,
		Example: `  triage explain 9616c5b v1.4.0..recette
  triage explain 9616c5b --format json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return &usageError{fmt.Errorf("explain takes a commit and at most one range (explain COMMIT [BASE..HEAD]); got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Commit, opts.Range = args[0], args[1:]
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runExplain(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	cmd.Flags().BoolVar(&opts.NoSymbols, "no-symbols", false, "skip symbol edges (and the indexing of the base tree they need)")
	return cmd
}

func runExplain(cmd *cobra.Command, opts *explainOptions, streams ioStreams) error {
	ctx := cmd.Context()
	s, err := loadSession(ctx, &opts.repoOptions, opts.Range, streams)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := s.repo.Resolve(opts.Commit)
	if err != nil {
		return err
	}
	g, err := deps.Build(ctx, s.repo, s.rng, graphOptions(opts.NoSymbols))
	if err != nil {
		return err
	}
	if g.Commit(h) == nil {
		spec, _ := rangeSpec(opts.Range, s.cfg)
		return &usageError{fmt.Errorf("commit %s (%s) is not in the range %s: name a commit of the range, or give the range it belongs to (triage explain %s BASE..HEAD)",
			opts.Commit, h.String()[:7], spec, opts.Commit)}
	}
	spec, _ := rangeSpec(opts.Range, s.cfg)
	return opts.write(streams.Out, report.Explain(report.ExplainInput{Graph: g, Results: s.results, Commit: h, Range: spec}))
}
