package main

import (
	"encoding/json"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

func TestPlanCarriesTheRiskOfThePrunedBranch(t *testing.T) {
	s := gittest.Story(t)
	for _, c := range []struct {
		args      []string
		wantLevel string // "" means no risk measured
	}{
		{[]string{"plan", "--repo", s.Dir, "--format", "json"}, "medium"},
		{[]string{"plan", "--repo", s.Dir, "--format", "json", "--no-risk"}, ""},
	} {
		code, out, errs := triage(t, c.args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d, %s", c.args, code, errs)
		}
		var got struct {
			Risk *struct {
				Level   string   `json:"level"`
				Reasons []string `json:"reasons"`
			} `json:"risk"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		switch {
		case c.wantLevel == "" && got.Risk != nil:
			t.Errorf("%q: risk measured despite --no-risk: %+v", c.args, got.Risk)
		case c.wantLevel != "" && (got.Risk == nil || got.Risk.Level != c.wantLevel || len(got.Risk.Reasons) != 2):
			t.Errorf("%q: risk %+v, want level %s with 2 reasons", c.args, got.Risk, c.wantLevel)
		}
	}
}
