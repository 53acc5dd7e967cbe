package main

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/apply"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/report"
	"github.com/triage-dev/triage/internal/vcs"
)

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newApplyCmd(s, nil) })
}

type applyOptions struct {
	repoOptions
	outputOptions
	selectionOptions
	Range        []string
	Branch       string
	DryRun       bool
	Force        bool
	Reproducible bool
	Verify       string
	Committer    string
}

func newApplyCmd(streams ioStreams, runF func(*cobra.Command, *applyOptions) error) *cobra.Command {
	opts := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply [RANGE]",
		Short: "Build the pruned branch: cherry-pick the plan's picks in memory, as git would",
		Long: `Plans RANGE as 'triage plan' does (--keep, --drop, --strategy, --onto, --with, or the
plan section of .triage.yaml), then replays the picks onto --onto as new commits, in memory,
exactly as 'git cherry-pick -x' would: same trees, same messages with their
"(cherry picked from commit ...)" line, the original authors and dates. The committer is you
(git config user.name and user.email, or TRIAGE_COMMITTER='Name <email>', or --committer).

Your working tree, index and HEAD are never touched. The branch is written only at the end,
atomically, and only if every pick applied; an existing branch is replaced only with --force.
A pick the branch already has is left out and reported.

When a pick conflicts, nothing is written and the command exits 1, naming the pick, the
conflicting paths and line ranges, and the dropped (or not yet picked) commits that last
wrote those lines: keep them too, or drop the pick.

--verify CMD checks the new branch out into a temporary directory, runs CMD there with sh,
reports its exit status and the end of its output (exit 1 when it fails), and removes the
directory.`,
		Example: `  triage apply v1.4.0..recette --keep class:prod-fix --keep class:recette-fix --branch release/pruned
  triage apply --branch release/pruned --dry-run --format json
  triage apply --branch release/pruned --force --verify 'mvn -q package'
  triage apply --onto release/1.5 --branch release/1.5-next --reproducible`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if err := opts.selectionOptions.validate(); err != nil {
				return err
			}
			if opts.Branch == "" && !opts.DryRun {
				return &usageError{errors.New("--branch NAME is required: the branch to create (e.g. --branch release/pruned), or pass --dry-run to only try")}
			}
			if opts.Committer != "" {
				if _, err := apply.ParseIdentity(opts.Committer); err != nil {
					return &usageError{fmt.Errorf("--committer: %w", err)}
				}
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runApply(cmd, opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions)
	addSelectionFlags(cmd, &opts.selectionOptions)
	f := cmd.Flags()
	f.StringVar(&opts.Branch, "branch", "", "the branch to create (`NAME`, under refs/heads/)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "replay the picks and report, but write no branch (the objects stay until git gc)")
	f.BoolVar(&opts.Force, "force", false, "replace --branch if it exists")
	f.BoolVar(&opts.Reproducible, "reproducible", false, "commit with the author dates as committer dates, so the same plan gives the same SHAs")
	f.StringVar(&opts.Verify, "verify", "", "after a successful apply, run `CMD` (with sh) in a temporary checkout of the new branch")
	f.StringVar(&opts.Committer, "committer", "", "commit as `'Name <email>'` (default: $TRIAGE_COMMITTER, else git config user.name and user.email)")
	return cmd
}

func runApply(cmd *cobra.Command, opts *applyOptions, streams ioStreams) error {
	ctx := cmd.Context()
	pl, err := loadPlan(cmd, &opts.repoOptions, &opts.selectionOptions, opts.Range, streams, graphOptions(false))
	if err != nil {
		return err
	}
	defer pl.Close()
	s, sel, p := pl.session, pl.sel, pl.plan
	var committer *apply.Identity
	if opts.Committer != "" {
		id, _ := apply.ParseIdentity(opts.Committer)
		committer = &id
	}
	bar := newProgress(streams.Err, opts.NoProgress, "applying")
	res, err := apply.Apply(ctx, s.repo.Storer(), sel.onto, p.Picks, apply.Options{Branch: opts.Branch, Force: opts.Force,
		DryRun: opts.DryRun, Reproducible: opts.Reproducible, Committer: committer, Progress: bar.Update})
	bar.Done()
	in := report.ApplyInput{OntoName: sel.ontoLabel, Picks: p.Picks, Result: res,
		Commits: map[plumbing.Hash]*vcs.Commit{}, Tickets: map[plumbing.Hash][]string{}}
	for _, r := range s.results {
		in.Commits[r.Commit.Hash] = r.Commit
		in.Tickets[r.Commit.Hash] = r.Tickets
	}
	var conflict *apply.ConflictError
	switch {
	case errors.As(err, &conflict):
		b := apply.FindBlockers(pl.graph, res.Conflict, onBranch(p, res))
		in.Blockers = &b
		if err := opts.write(streams.Out, report.Apply(in)); err != nil {
			return err
		}
		return &findingsError{conflict.Error() + "; nothing was written (the report names the commits in the way)"}
	case err != nil:
		return err
	}
	if opts.Verify != "" {
		if in.Verify, err = apply.Verify(ctx, s.repo.Storer(), res.Tree, opts.Verify); err != nil {
			return err
		}
	}
	if err := opts.write(streams.Out, report.Apply(in)); err != nil {
		return err
	}
	if in.Verify != nil && in.Verify.ExitCode != 0 {
		return &findingsError{fmt.Sprintf("--verify: %q exited %d on the new branch", opts.Verify, in.Verify.ExitCode)}
	}
	return nil
}

// onBranch tells which commits the branch had when the conflict stopped
// it: the picks before the conflicting one, and those already on --onto.
func onBranch(p *plan.Plan, res *apply.Result) func(plumbing.Hash) bool {
	have := map[plumbing.Hash]bool{}
	for i, h := range p.Picks {
		if i < res.Conflict.Index {
			have[h] = true
		}
	}
	for _, c := range p.Commits {
		if c.Decision == plan.Present {
			have[c.Result.Commit.Hash] = true
		}
	}
	return func(h plumbing.Hash) bool { return have[h] }
}
