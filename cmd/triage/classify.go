package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/report"
)

type classifyOptions struct {
	repoOptions
	outputOptions
	FailOnUnclassified bool
	Range              []string
}

func newClassifyCmd(streams ioStreams, runF func(*cobra.Command, *classifyOptions) error) *cobra.Command {
	opts := &classifyOptions{}
	cmd := &cobra.Command{
		Use:   "classify [RANGE]",
		Short: "Class every commit of a range from its tickets, paths and message",
		Long: `Lists every commit of RANGE (BASE..HEAD, oldest first, as git rev-list --topo-order --reverse),
with the tickets it names and its class (recette fix, production fix, feature, ...),
decided by the ordered rules of .triage.yaml. A commit no rule matches is 'unclassified';
nothing is left out.`,
		Example: `  triage classify v1.4.0..recette
  triage classify --format csv --csv-sep ';' --bom -o triage.csv
  triage classify --tickets jira.csv --fail-on-unclassified`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runClassify(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	cmd.Flags().BoolVar(&opts.FailOnUnclassified, "fail-on-unclassified", false, "exit 1 when any commit is unclassified")
	return cmd
}

func runClassify(cmd *cobra.Command, opts *classifyOptions, streams ioStreams) error {
	s, err := loadSession(cmd.Context(), &opts.repoOptions, opts.Range, streams)
	if err != nil {
		return err
	}
	defer s.Close()
	doc := report.Classify(s.rng.Base.String(), s.rng.Head.String(), s.results)
	if err := opts.write(streams.Out, doc); err != nil {
		return err
	}
	if opts.FailOnUnclassified {
		unclassified := 0
		for _, r := range s.results {
			if r.Class == s.defaultClass() {
				unclassified++
			}
		}
		if unclassified > 0 {
			return &findingsError{fmt.Sprintf("%d of %d commits are %s: link them to a ticket, or add a rule to .triage.yaml",
				unclassified, len(s.results), s.defaultClass())}
		}
	}
	return nil
}

func (s *session) defaultClass() string {
	if s.cfg != nil && s.cfg.Default != "" {
		return s.cfg.Default
	}
	return "unclassified"
}
