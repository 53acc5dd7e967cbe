package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

func parseRisk(t *testing.T, args ...string) (*riskOptions, error) {
	return parseOnly(t, newRiskCmd, args...)
}

func TestRiskFlags(t *testing.T) {
	o, err := parseRisk(t, "v1.4.0..recette", "--repo", "/r", "--history", "6m", "--max-history", "500", "--fail-on", "high",
		"--keep", "class:recette-fix", "--drop", "class:feature", "--strategy", "prune", "--onto", "release/1.5", "--with", "symbol", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if o.Range[0] != "v1.4.0..recette" || o.Repo != "/r" || o.History != "6m" || o.MaxHistory != 500 || o.FailOn != "high" ||
		len(o.Keep) != 1 || len(o.Drop) != 1 || o.Strategy != "prune" || o.Onto != "release/1.5" || o.With[0] != "symbol" || o.Format != "json" {
		t.Fatalf("options not parsed: %+v", o)
	}
	o, err = parseRisk(t)
	if err != nil || o.History != "1y" || o.Strategy != "pull" || o.FailOn != "" {
		t.Fatalf("defaults: %+v %v", o, err)
	}
}

func TestRiskUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--history", "soon"}, {"--history", "0d"}, {"--fail-on", "low"}, {"--max-history", "-1"}, {"a..b", "c..d"}, {"--format", "xml"},
	} {
		if _, err := parseRisk(t, args...); err == nil {
			t.Errorf("%q: no error", args)
		} else if _, ok := err.(*usageError); !ok {
			t.Errorf("%q: want a usage error, got %T %v", args, err, err)
		}
	}
}

func TestParseHistory(t *testing.T) {
	day := 24.0
	for in, hours := range map[string]float64{"1y": 365 * day, "6m": 180 * day, "90d": 90 * day, "2w": 14 * day, "720h": 720} {
		d, err := parseHistory(in)
		if err != nil || d.Hours() != hours {
			t.Errorf("parseHistory(%q) = %v, %v; want %vh", in, d, err, hours)
		}
	}
}

type riskJSONForTest struct {
	Base       string
	Thresholds struct {
		Medium int `json:"medium_above"`
		High   int `json:"high_above"`
	}
	Commits []struct {
		SHA     string
		Score   int
		Level   string
		Factors []struct {
			Name   string
			Value  float64
			Points float64
			Why    string
		}
	}
	Plan any
}

func TestRiskOnTheStory(t *testing.T) {
	s := gittest.Story(t)
	dir := s.Dir
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"risk", "v1.4.0..recette", "--repo", dir, "--format", "json", "--no-progress"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc riskJSONForTest
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// The story's .triage.yaml has a plan (keep the fixes): its risk comes too.
	if len(doc.Commits) == 0 || doc.Plan == nil || doc.Thresholds.High == 0 {
		t.Fatalf("json: %d commits, plan %v, thresholds %+v", len(doc.Commits), doc.Plan, doc.Thresholds)
	}
	bySHA := map[string]int{}
	for i, c := range doc.Commits {
		bySHA[c.SHA] = i
		sum := 0.0
		for _, f := range c.Factors {
			sum += f.Points
		}
		if int(math.Floor(sum+0.5+1e-9)) != c.Score && c.Score != 100 {
			t.Errorf("%s: factors sum to %.1f, score %d", c.SHA[:7], sum, c.Score)
		}
	}
	i, ok := bySHA[s.Hash("feature-exchange-cache")]
	if !ok {
		t.Fatal("feature-exchange-cache missing from the json")
	}
	found := false
	for _, f := range doc.Commits[i].Factors {
		found = found || (f.Name == "reverted_later" && f.Points == 25)
	}
	if !found {
		t.Errorf("feature-exchange-cache: no reverted_later factor: %+v", doc.Commits[i].Factors)
	}

	// The table ranks by score.
	out.Reset()
	if code := run(context.Background(), []string{"risk", "v1.4.0..recette", "--repo", dir, "--no-progress"}, &out, &errb); code != exitOK {
		t.Fatalf("table: exit %d: %s", code, errb.String())
	}
	lines := strings.Split(out.String(), "\n")
	prev := 101
	for _, l := range lines[2 : 2+len(doc.Commits)] {
		f := strings.Fields(l)
		k := 1
		if len(f) > 1 && strings.HasPrefix(f[1], "r") {
			k = 2 // short SHA and Subversion revision
		}
		var score int
		if _, err := fmtSscan(f[k], &score); err != nil {
			t.Fatalf("row %q: %v", l, err)
		}
		if score > prev {
			t.Errorf("table not sorted by score at %q", l)
		}
		prev = score
	}

	// --fail-on: the story has a commit above the high threshold.
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"risk", "v1.4.0..recette", "--repo", dir, "--no-progress", "--fail-on", "high"}, &out, &errb); code != exitFindings {
		t.Errorf("--fail-on high: exit %d, want 1 (%s)", code, errb.String())
	}
	if !strings.Contains(errb.String(), "at high risk") {
		t.Errorf("--fail-on message: %q", errb.String())
	}
	// --backtest measures instead of scoring.
	out.Reset()
	if code := run(context.Background(), []string{"risk", "v1.4.0..recette", "--repo", dir, "--no-progress", "--backtest", "--format", "json"}, &out, &errb); code != exitOK {
		t.Fatalf("--backtest: exit %d: %s", code, errb.String())
	}
	var bt struct {
		Commits, Fixes, Buggy int
		Score, Lines, Random  struct{ AUC float64 }
	}
	if err := json.Unmarshal(out.Bytes(), &bt); err != nil || bt.Commits == 0 || bt.Fixes == 0 || bt.Random.AUC == 0 {
		t.Errorf("--backtest json: %+v %v\n%s", bt, err, out.String())
	}
}

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(s, v) }
