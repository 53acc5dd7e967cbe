package main

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
)

// TestSelectionFlagsAreTheSameEverywhere: plan, apply and risk take one
// selection, with one help text.
func TestSelectionFlagsAreTheSameEverywhere(t *testing.T) {
	s := ioStreams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
	cmds := []*cobra.Command{newPlanCmd(s, nil), newApplyCmd(s, nil), newRiskCmd(s, nil)}
	for _, name := range []string{"keep", "drop", "strategy", "onto", "with"} {
		want := cmds[0].Flags().Lookup(name)
		for _, c := range cmds[1:] {
			got := c.Flags().Lookup(name)
			if got == nil || got.Usage != want.Usage || got.DefValue != want.DefValue || got.Value.Type() != want.Value.Type() {
				t.Errorf("%s --%s differs from plan's: %+v", c.Name(), name, got)
			}
		}
	}
}
