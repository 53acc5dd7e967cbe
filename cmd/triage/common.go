package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// repoOptions are the flags that say where the history and the config are.
type repoOptions struct {
	Repo          string
	Config        string
	Tickets       []string
	TicketsFormat string
	NoProgress    bool
}

func addRepoFlags(cmd *cobra.Command, o *repoOptions) {
	cmd.Flags().StringVar(&o.Repo, "repo", ".", "the repository: its worktree, any directory inside it, or a bare repository (`DIR`)")
	cmd.Flags().StringVar(&o.Config, "config", "", "config `FILE` (default: $TRIAGE_CONFIG, else .triage.yaml at the repository root)")
	cmd.Flags().StringArrayVar(&o.Tickets, "tickets", nil, "ticket export `FILE` to read as well (repeatable; format guessed from content)")
	cmd.Flags().StringVar(&o.TicketsFormat, "tickets-format", "", "format of the --tickets files: jira-csv, redmine-csv, github-json or csv")
	cmd.Flags().BoolVar(&o.NoProgress, "no-progress", false, "never draw a progress bar")
}

// session is a classified range: what every analysis command starts from.
type session struct {
	repo    *vcs.Repo
	cfg     *config.Config // nil when the repository has no config
	rng     *vcs.Range
	results []classify.Result
}

func (s *session) Close() {
	if s.repo != nil {
		s.repo.Close()
	}
}

// openRepo opens the repository and its config, failing fast on either.
func openRepo(o *repoOptions) (*vcs.Repo, *config.Config, error) {
	repo, err := vcs.Open(o.Repo)
	if err != nil {
		return nil, nil, err
	}
	path, err := config.Find(repo.Root(), o.Config)
	if err != nil {
		repo.Close()
		return nil, nil, err
	}
	var cfg *config.Config
	if path != "" {
		if cfg, err = config.Load(path); err != nil {
			repo.Close()
			return nil, nil, err
		}
	}
	return repo, cfg, nil
}

// loadSession reads and classifies the range named on the command line, or
// the config's default range.
func loadSession(ctx context.Context, o *repoOptions, rangeArgs []string, streams ioStreams) (*session, error) {
	repo, cfg, err := openRepo(o)
	if err != nil {
		return nil, err
	}
	s := &session{repo: repo, cfg: cfg}
	spec, err := rangeSpec(rangeArgs, cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	base, head, err := repo.ParseRange(spec)
	if err != nil {
		s.Close()
		return nil, err
	}
	bar := newProgress(streams.Err, o.NoProgress, "reading")
	s.rng, err = repo.ReadRange(ctx, base, head, vcs.ReadOptions{Progress: bar.Update})
	bar.Done()
	if err != nil {
		s.Close()
		return nil, err
	}
	var extra []classify.Source
	for _, t := range o.Tickets {
		extra = append(extra, classify.Source{Path: t, Format: o.TicketsFormat})
	}
	classifier, err := classify.New(cfg, extra)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.results = classifier.Classify(s.rng.Commits)
	return s, nil
}

func rangeSpec(args []string, cfg *config.Config) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	if cfg != nil && cfg.Range != "" {
		return cfg.Range, nil
	}
	return "", &usageError{fmt.Errorf("no range given: name one as BASE..HEAD (e.g. triage classify v1.4.0..recette), or set 'range:' in .triage.yaml")}
}

// graphOptions are the dependency-graph options of every command: the
// base-tree answers are kept in the user's cache between runs (TRIAGE_CACHE=off
// turns that off).
func graphOptions(noSymbols bool) deps.Options {
	return deps.Options{NoSymbols: noSymbols, CacheDir: deps.UserCacheDir()}
}
