package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	exitOK       = 0
	exitFindings = 1 // the check found something (unclassified commits, a conflict, a policy violation)
	exitError    = 2 // usage, config or repository error
)

// findingsError ends a command that ran fine but found what its caller asked
// it to look for; its message, if any, goes to stderr.
type findingsError struct{ msg string }

func (e *findingsError) Error() string { return e.msg }

// usageError marks a command line that cannot be run as typed.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// run is the whole program behind main, so tests drive it with arguments and
// buffers and assert on exit codes and output.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var found *findingsError
	if errors.As(err, &found) {
		if found.msg != "" {
			fmt.Fprintln(stderr, found.msg)
		}
		return exitFindings
	}
	fmt.Fprintf(stderr, "triage: %v\n", err)
	var usage *usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", commandPath(root, args))
	}
	return exitError
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "triage",
		Short: "Prune a release branch safely",
		Long: `triage reads a commit range, classifies every commit from its tickets and paths,
computes the dependency-safe subset to keep, builds the pruned branch and measures its risk.

Start with 'triage demo' to see it work on a story repository.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{err} })
	io := ioStreams{Out: stdout, Err: stderr}
	root.AddCommand(
		newClassifyCmd(io, nil),
		newDemoCmd(io, nil),
	)
	for _, extra := range extraCommands {
		root.AddCommand(extra(io))
	}
	return root
}

// extraCommands lets each command file register itself, so adding a command
// never means editing this file (several people add commands at once).
var extraCommands []func(ioStreams) *cobra.Command

// ioStreams are where a command writes; tests pass buffers.
type ioStreams struct {
	Out io.Writer
	Err io.Writer
}

func commandPath(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil {
		return root.Name()
	}
	return c.CommandPath()
}

// exactArgs and maxArgs turn cobra's argument errors into usage errors (exit 2).
func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MaximumNArgs(n)(cmd, args); err != nil {
			return &usageError{err}
		}
		return nil
	}
}

func rangeArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return &usageError{fmt.Errorf("%s takes one range, BASE..HEAD; got %d arguments: %q", cmd.Name(), len(args), args)}
	}
	return nil
}
