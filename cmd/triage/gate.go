package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/gate"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/report"
	"github.com/triage-dev/triage/internal/risk"
	"github.com/triage-dev/triage/internal/vcs"
)

type gateOptions struct {
	repoOptions
	outputOptions
	Range   []string
	History string
}

func init() {
	extraCommands = append(extraCommands, func(s ioStreams) *cobra.Command { return newGateCmd(s, nil) })
}

func newGateCmd(streams ioStreams, runF func(*cobra.Command, *gateOptions) error) *cobra.Command {
	opts := &gateOptions{}
	cmd := &cobra.Command{
		Use:   "gate [RANGE]",
		Short: "Check a release branch against the gate policy, for CI",
		Long: `Checks every commit of RANGE, the release branch's commits (e.g. v1.4.0..release/1.5),
against every rule of the gate: section of .triage.yaml, and reports all violations at once,
each with the commit, the rule, the evidence and how to fix it:

  require_ticket   every non-merge commit names a ticket
  allow            only these classes; with allow_required, another class passes when an
                   allowed commit on the branch depends on it
  source           every commit comes from this branch: the same commit, the same patch-id,
                   a (cherry picked from commit X) line or a Subversion merge record
  dependency_safe  what each commit needs on the source branch (hard dependencies) is on the
                   branch too; missing soft ones (symbol, rename) are warnings
  max_risk         no commit, and not the branch as a whole, above this risk level

Waivers (by commit or ticket) accept the violations of exactly the commits they name; they
are shown with their reason. Without RANGE, checks BASE..HEAD, BASE being the base of the
config's range. Exit status: 0 the branch passes, 1 it violates the policy, 2 usage, config
or repository error (a shallow clone included: the check needs the whole history).`,
		Example: `  triage gate v1.4.0..release/1.5
  triage gate --format github                 # annotations in GitHub Actions
  triage gate --format gitlab -o gl-code-quality-report.json
  triage gate --format junit -o triage-gate.xml`,
		Args: rangeArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Range = args
			if err := opts.outputOptions.validate(); err != nil {
				return err
			}
			if _, err := parseHistory(opts.History); err != nil {
				return &usageError{err}
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runGate(cmd.Context(), opts, streams)
		},
	}
	addRepoFlags(cmd, &opts.repoOptions)
	addOutputFlags(cmd, &opts.outputOptions, report.GateFormats...)
	cmd.Flags().Lookup("format").DefValue = "text"
	opts.Format = "text"
	cmd.Flags().Lookup("format").Usage = "output format: text, github, gitlab, junit, json, markdown, table or csv"
	cmd.Flags().StringVar(&opts.History, "history", "1y", "how much history before BASE the risk scores learn from (max_risk): `AGE` such as 1y, 6m or 90d")
	return cmd
}

// shallowHelp says how to get the whole history where gates usually run.
const shallowHelp = "fetch it whole: locally `git fetch --unshallow`; in GitHub Actions, actions/checkout with `fetch-depth: 0`; " +
	"in GitLab CI, `GIT_DEPTH: 0` in the job's variables (see docs/gate.md)"

func runGate(ctx context.Context, opts *gateOptions, streams ioStreams) error {
	repo, cfg, err := openRepo(&opts.repoOptions)
	if err != nil {
		return err
	}
	defer repo.Close()
	if repo.IsShallow() {
		return fmt.Errorf("history is shallow (a shallow clone, .git/shallow): triage gate needs the whole history of the release branch "+
			"and of its source to tell where each commit came from and what it depends on; %s", shallowHelp)
	}
	if cfg == nil || cfg.Gate == nil {
		where := "no .triage.yaml was found at the repository root"
		if cfg != nil {
			where = cfg.Path + " has no gate: section"
		}
		return fmt.Errorf("no gate policy: %s; add one, e.g.\n  gate:\n    require_ticket: true\n    allow: [prod-fix, recette-fix]\n    source: recette\n    dependency_safe: true\n(see docs/gate.md), or name the config with --config", where)
	}
	policy := gate.PolicyFrom(cfg)
	if err := policy.Validate(); err != nil {
		return err
	}
	spec, err := gateRange(opts.Range, cfg)
	if err != nil {
		return err
	}
	w := &gateWork{ctx: ctx, repo: repo, cfg: cfg, opts: opts, streams: streams, policy: policy}
	if err := w.read(spec); err != nil {
		return err
	}
	in, err := w.input()
	if err != nil {
		return err
	}
	res, err := gate.Check(in)
	if err != nil {
		return err
	}
	meta := report.GateMeta{Range: spec, Base: w.branch.Base.String(), Head: w.branch.Head.String(), ConfigPath: w.configRel()}
	if w.source != nil {
		meta.Source, meta.SourceHead = w.sourceName, w.source.Head.String()
	}
	if err := opts.write(streams.Out, report.Gate(meta, res)); err != nil {
		return err
	}
	if opts.Format == "github" {
		if err := appendStepSummary(meta, res); err != nil {
			return err
		}
	}
	if !res.Passed() {
		n := res.Counts()
		return &findingsError{fmt.Sprintf("triage gate: %s violates the policy (%s, %s, %d waived): fix them as each one says, or waive them in %s with a reason",
			spec, countOf(n.Errors, "error", "errors"), countOf(n.Warnings, "warning", "warnings"), n.Waived, filepath.Base(cfg.Path))}
	}
	return nil
}

// gateRange is RANGE, or BASE..HEAD with the config range's base: in CI, HEAD
// is the release branch being pushed.
func gateRange(args []string, cfg *config.Config) (string, error) {
	if len(args) == 1 {
		return args[0], nil
	}
	if cfg.Range != "" {
		if base, _, ok := strings.Cut(cfg.Range, ".."); ok && base != "" {
			return base + "..HEAD", nil
		}
	}
	return "", &usageError{errors.New("no range given: name the release branch's commits as BASE..HEAD (e.g. triage gate v1.4.0..release/1.5), or set 'range:' in .triage.yaml, whose base the gate then checks HEAD against")}
}

// gateWork reads what the gate looks at: the release range, the source
// range from the same base, their classes, the source's dependency graph,
// presence, and risk.
type gateWork struct {
	ctx     context.Context
	repo    *vcs.Repo
	cfg     *config.Config
	opts    *gateOptions
	streams ioStreams
	policy  gate.Policy

	branch, source    *vcs.Range // source is nil without a source rule
	sourceName        string
	branchRes, srcRes []classify.Result
	graph             *deps.Graph // over the source range, or the branch without a source
	present           map[plumbing.Hash]plan.Presence
}

func (w *gateWork) read(spec string) error {
	base, head, err := w.repo.ParseRange(spec)
	if err != nil {
		return err
	}
	if w.branch, err = w.readRange(base, head, "reading the branch"); err != nil {
		return err
	}
	var extra []classify.Source
	for _, t := range w.opts.Tickets {
		extra = append(extra, classify.Source{Path: t, Format: w.opts.TicketsFormat})
	}
	classifier, err := classify.New(w.cfg, extra)
	if err != nil {
		return err
	}
	w.branchRes = classifier.Classify(w.branch.Commits)
	needGraph := w.policy.DependencySafe || w.policy.AllowRequired || w.policy.MaxRisk != ""
	if w.policy.Source == "" {
		// Without a source, the branch is its own source: allow_required
		// and the risk evidence read the branch's own dependencies.
		if needGraph {
			w.graph, err = deps.Build(w.ctx, w.repo, w.branch, graphOptions(false))
		}
		return err
	}
	srcHead, name, err := w.resolveSource()
	if err != nil {
		return err
	}
	w.sourceName = name
	if w.source, err = w.readRange(base, srcHead, "reading "+name); err != nil {
		return err
	}
	w.srcRes = classifier.Classify(w.source.Commits)
	if needGraph {
		if w.graph, err = deps.Build(w.ctx, w.repo, w.source, graphOptions(false)); err != nil {
			return err
		}
	}
	w.present, err = plan.FindPresent(w.ctx, w.repo, w.source, head)
	return err
}

func (w *gateWork) readRange(base, head plumbing.Hash, label string) (*vcs.Range, error) {
	bar := newProgress(w.streams.Err, w.opts.NoProgress, label)
	rng, err := w.repo.ReadRange(w.ctx, base, head, vcs.ReadOptions{Progress: bar.Update})
	bar.Done()
	return rng, err
}

// resolveSource finds the source branch: a local branch, else the remote
// one a CI checkout has (origin/NAME).
func (w *gateWork) resolveSource() (plumbing.Hash, string, error) {
	name := w.policy.Source
	h, err := w.repo.Resolve(name)
	if err == nil {
		return h, name, nil
	}
	if !strings.Contains(name, "/") || !strings.HasPrefix(name, "origin/") {
		if h, err2 := w.repo.Resolve("origin/" + name); err2 == nil {
			return h, "origin/" + name, nil
		}
	}
	return plumbing.ZeroHash, "", fmt.Errorf("gate.source %q (config %s line %d) is not a branch of this repository: %v; "+
		"fetch it, e.g. `git fetch origin %s:refs/remotes/origin/%s`; in GitHub Actions, actions/checkout with `fetch-depth: 0` fetches every branch; "+
		"in GitLab CI, add that git fetch to before_script (the runner may fetch only the pipeline's branch)",
		name, w.cfg.Path, w.policy.Line, err, name, name)
}

// input turns what was read into the gate's plain input.
func (w *gateWork) input() (gate.Input, error) {
	in := gate.Input{Policy: w.policy, DefaultClass: w.cfg.Default}
	for _, r := range w.branchRes {
		in.Branch = append(in.Branch, gateCommit(r))
	}
	for _, r := range w.srcRes {
		in.SourceCommits = append(in.SourceCommits, gateCommit(r))
	}
	if w.source == nil {
		in.SourceCommits = in.Branch
	}
	if w.graph != nil {
		in.Edges = w.graph.Edges()
	}
	in.Origins, in.Carried = map[plumbing.Hash]gate.Origin{}, map[plumbing.Hash]plumbing.Hash{}
	for _, c := range w.sourceCommits() {
		p, ok := w.present[c.Hash]
		if !ok {
			continue
		}
		in.Carried[c.Hash] = p.On
		if _, taken := in.Origins[p.On]; !taken {
			in.Origins[p.On] = gate.Origin{Source: c.Hash, Via: viaText(p)}
		}
	}
	if w.policy.MaxRisk != "" {
		if err := w.assessRisk(&in); err != nil {
			return in, err
		}
	}
	return in, nil
}

func gateCommit(r classify.Result) gate.Commit {
	return gate.Commit{Commit: r.Commit, Tickets: r.Tickets, Class: r.Class, ClassWhy: r.Evidence}
}

func viaText(p plan.Presence) string {
	switch p.How {
	case "same-commit":
		return gate.ViaSameCommit
	case "patch-id":
		return "same patch-id"
	case "cherry-pick":
		return "cherry-pick -x line"
	case "svn-merge":
		return "svn merge record"
	}
	return p.How
}

// sourceCommits is the source range, or nothing without a source rule.
func (w *gateWork) sourceCommits() []*vcs.Commit {
	if w.source == nil {
		return nil
	}
	return w.source.Commits
}

// assessRisk scores the commits and, with a source, the branch as a whole.
// A branch commit taken from the source carries the source commit's score,
// which knows what the source did to it later (a revert, a fix on its lines).
func (w *gateWork) assessRisk(in *gate.Input) error {
	window, _ := parseHistory(w.opts.History)
	var history []*vcs.Commit
	if !w.branch.Base.IsZero() {
		bar := newProgress(w.streams.Err, w.opts.NoProgress, "reading history")
		var err error
		history, _, err = risk.ReadHistory(w.ctx, w.repo, w.branch.Base, risk.HistoryOptions{Window: window, Progress: bar.Update})
		bar.Done()
		if err != nil {
			return err
		}
	}
	s := &session{repo: w.repo, cfg: w.cfg, results: append(append([]classify.Result{}, w.srcRes...), w.branchRes...)}
	isFix, err := s.fixClassifier(history, w.opts.repoOptions)
	if err != nil {
		return err
	}
	var edges []risk.Edge
	if w.graph != nil {
		edges = risk.EdgesOf(w.graph)
	}
	bySource := map[plumbing.Hash]risk.CommitRisk{}
	if w.source != nil {
		for _, c := range risk.ScoreCommits(risk.Input{History: history, Commits: w.source.Commits, IsFix: isFix, Edges: edges}).Commits {
			bySource[c.Commit.Hash] = c
		}
	}
	branchEdges := edges
	if w.source != nil || w.graph == nil {
		// The graph, if any, is the source's: the branch's own evidence
		// (its reverts, fixes on its lines) needs the branch's graph.
		g, err := deps.Build(w.ctx, w.repo, w.branch, graphOptions(true))
		if err != nil {
			return err
		}
		branchEdges = risk.EdgesOf(g)
	}
	in.Risk = map[plumbing.Hash]gate.CommitRisk{}
	for _, c := range risk.ScoreCommits(risk.Input{History: history, Commits: w.branch.Commits, IsFix: isFix, Edges: branchEdges}).Commits {
		if c.Commit.Merge {
			continue
		}
		scored := c
		if o, ok := in.Origins[c.Commit.Hash]; ok {
			if sc, ok := bySource[o.Source]; ok {
				scored = sc
			}
		} else if sc, ok := bySource[c.Commit.Hash]; ok {
			scored = sc
		}
		in.Risk[c.Commit.Hash] = commitRisk(scored)
	}
	if w.source == nil {
		return nil // the branch as a whole is measured against its source
	}
	return w.assessBranch(in, history, isFix, edges)
}

func commitRisk(c risk.CommitRisk) gate.CommitRisk {
	r := gate.CommitRisk{Score: c.Score, Level: string(c.Level)}
	for _, f := range c.Factors {
		if f.Points > 0 {
			r.Why = append(r.Why, fmt.Sprintf("%s: %s (+%g)", f.Name, f.Why, f.Points))
		}
	}
	return r
}

// assessBranch measures the branch as the pruned branch of the source: what
// it took (kept), what it left (dropped), its tree against production (the
// base) and what was tested (the source's head).
func (w *gateWork) assessBranch(in *gate.Input, history []*vcs.Commit, isFix risk.FixFunc, edges []risk.Edge) error {
	taken := map[plumbing.Hash]bool{}
	for _, o := range in.Origins {
		taken[o.Source] = true
	}
	for src := range in.Carried {
		taken[src] = true
	}
	var kept, dropped []plumbing.Hash
	tickets := map[plumbing.Hash][]string{}
	for _, r := range w.srcRes {
		c := r.Commit
		tickets[c.Hash] = r.Tickets
		switch {
		case c.Merge:
		case taken[c.Hash]:
			kept = append(kept, c.Hash)
		default:
			dropped = append(dropped, c.Hash)
		}
	}
	tree := func(h plumbing.Hash) (plumbing.Hash, error) {
		c, err := w.repo.Commit(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return c.Tree, nil
	}
	baseTree, err := tree(w.branch.Base)
	if err != nil {
		return err
	}
	headTree, err := tree(w.source.Head)
	if err != nil {
		return err
	}
	prunedTree, err := tree(w.branch.Head)
	if err != nil {
		return err
	}
	pr, err := risk.AssessPlan(risk.PlanInput{Commits: w.source.Commits, Kept: kept, Dropped: dropped, Edges: edges, IsFix: isFix,
		Tickets: tickets, History: history, Trees: risk.RepoTrees(w.repo), OntoTree: baseTree, HeadTree: headTree, PrunedTree: prunedTree})
	if err != nil {
		return err
	}
	in.BranchRisk = &gate.BranchRisk{Level: string(pr.Level), Reasons: pr.Reasons}
	return nil
}

// configRel is the config's path relative to the repository root, for
// annotations; "" when it lies outside.
func (w *gateWork) configRel() string {
	abs, err := filepath.Abs(w.cfg.Path)
	if err != nil || w.repo.Root() == "" {
		return ""
	}
	rel, err := filepath.Rel(w.repo.Root(), abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// appendStepSummary adds the markdown report to the job's summary page when
// GitHub Actions provides one.
func appendStepSummary(meta report.GateMeta, res *gate.Result) error {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("$GITHUB_STEP_SUMMARY %s: %w; unset it to skip the job summary", path, err)
	}
	if err := report.GateSummary(f, meta, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// countOf says "1 error" or "2 errors".
func countOf(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
