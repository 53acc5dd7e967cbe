package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/testdata/repos"
)

type demoOptions struct {
	Dir string
}

// demoSteps are the commands the demo runs on the story repository, in order;
// each later stage adds its own step. "--repo DIR" is appended to each.
var demoSteps = [][]string{
	{"classify"},
	{"plan", "--keep", "class:recette-fix", "--keep", "class:prod-fix"},
	{"apply", "--branch", "release/pruned", "--reproducible", "--committer", "Triage Demo <demo@triage.invalid>"},
	{"risk", "--keep", "class:recette-fix", "--keep", "class:prod-fix"},
	{"gate", "v1.4.0..release/pruned"},
}

func newDemoCmd(streams ioStreams, runF func(*cobra.Command, *demoOptions) error) *cobra.Command {
	opts := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Build the story repository and run triage on it",
		Long: `Builds, in DIR (default: a new temporary directory), a small repository that tells
the story behind triage: a production tag v1.4.0, a recette branch mixing features,
recette fixes and production fixes, a hotfix merged in, commits without tickets, and a
Jira export beside it. Then runs triage on it, showing each command line so you can
run them yourself.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runDemo(cmd, opts, streams)
		},
	}
	return cmd
}

func runDemo(cmd *cobra.Command, opts *demoOptions, streams ioStreams) error {
	dir, err := demoDir(opts.Dir)
	if err != nil {
		return err
	}
	if _, err := repos.BuildStory(dir); err != nil {
		return fmt.Errorf("demo: building the story repository in %s: %w", dir, err)
	}
	fmt.Fprintf(streams.Out, "Story repository built in %s\n(production tag v1.4.0, branch recette checked out, .triage.yaml and tickets.csv beside it)\n", dir)
	for _, step := range demoSteps {
		args := append(append([]string{}, step...), "--repo", dir)
		fmt.Fprintf(streams.Out, "\n$ triage %s\n", strings.Join(quoteArgs(args), " "))
		root := newRootCmd(streams.Out, streams.Err)
		root.SetArgs(append(args, "--no-progress"))
		if err := root.ExecuteContext(cmd.Context()); err != nil {
			if _, found := err.(*findingsError); found {
				fmt.Fprintf(streams.Out, "(exit 1: %v)\n", err)
				continue
			}
			return fmt.Errorf("demo step 'triage %s': %w", strings.Join(args, " "), err)
		}
	}
	fmt.Fprintf(streams.Out, "\nTry it yourself:\n  cd %s\n  triage explain 6792899       # why PAY-110's fix needs PAY-109's feature\n  triage deps --format dot     # the graph, for Graphviz\n  triage classify --format csv --csv-sep ';' --bom -o triage.csv\n", dir)
	return nil
}

// demoDir returns a fresh directory for the story: the given one when it is
// new or empty, else a temporary one.
func demoDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "triage-demo-")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case os.IsNotExist(err):
		return dir, os.MkdirAll(dir, 0o755)
	case err != nil:
		return "", &usageError{fmt.Errorf("demo: %w", err)}
	case len(entries) > 0:
		return "", &usageError{fmt.Errorf("demo: %s is not empty; name a new or empty directory, or omit DIR to use a temporary one", dir)}
	}
	return dir, nil
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$*?;&|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}
