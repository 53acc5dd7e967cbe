package main

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
)

// parseOnly runs only the flag parsing of the command newCmd builds, and
// returns the options its run function would have received: flags are
// tested apart from behaviour, as in gh's commands.
func parseOnly[O any](t *testing.T, newCmd func(ioStreams, func(*cobra.Command, O) error) *cobra.Command, args ...string) (O, error) {
	t.Helper()
	var got O
	cmd := newCmd(ioStreams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, func(_ *cobra.Command, o O) error {
		got = o
		return nil
	})
	cmd.SetArgs(append([]string{}, args...))
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	return got, cmd.Execute()
}
