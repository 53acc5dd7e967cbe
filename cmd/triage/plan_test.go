package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

// parsePlan runs only the flag parsing of `triage plan`.
func parsePlan(t *testing.T, args ...string) (*planOptions, error) {
	return parseOnly(t, newPlanCmd, args...)
}

func TestPlanFlags(t *testing.T) {
	o, err := parsePlan(t, "v1.4.0..recette", "--keep", "class:recette-fix", "--keep", "ticket:PAY-110", "--drop", "class:feature",
		"--strategy", "prune", "--onto", "release/1.5", "--with", "rename,symbol", "--format", "json", "--no-symbols")
	if err != nil {
		t.Fatal(err)
	}
	if o.Range[0] != "v1.4.0..recette" || len(o.Keep) != 2 || o.Drop[0] != "class:feature" || o.Strategy != "prune" ||
		o.Onto != "release/1.5" || strings.Join(o.With, ",") != "rename,symbol" || o.Format != "json" || !o.NoSymbols {
		t.Fatalf("options not parsed: %+v", o)
	}
	if o, err = parsePlan(t); err != nil || o.Strategy != "pull" || o.Format != "table" {
		t.Fatalf("defaults: %+v %v", o, err)
	}
}

func TestPlanUsageErrors(t *testing.T) {
	for args, want := range map[string]string{
		"--keep klass:feature":  `unknown selector kind "klass" in "klass:feature": use class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT`,
		"--drop commit:zz":      `"zz" is not a commit SHA or a prefix of one`,
		"--strategy prnue":      `--strategy: unknown strategy "prnue": use pull`,
		"--with symbols":        `--with: unknown dependency kind "symbols": use one of line, adjacent, file, revert, rename, symbol`,
		"--format xml":          `--format: unknown format "xml"`,
		"a..b c..d":             "plan takes one range",
		"--keep class:x --nope": "unknown flag: --nope",
	} {
		code, _, stderr := triage(t, append([]string{"plan"}, strings.Fields(args)...)...)
		if code != exitError || !strings.Contains(stderr, want) {
			t.Errorf("triage plan %s: exit %d, stderr %q; want exit 2 and %q", args, code, stderr, want)
		}
	}
}

func TestPlanNothingSelected(t *testing.T) {
	s := gittest.Story(t)
	code, _, stderr := triage(t, "plan", "--repo", s.Dir, "--config", "/dev/null", "--no-progress", "v1.4.0..recette")
	if code != exitError || !strings.Contains(stderr, "nothing selected: pass --keep") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestPlanStoryEveryFormat(t *testing.T) {
	s := gittest.Story(t)
	for _, f := range []struct{ format, golden string }{
		{"table", "plan-story.table"},
		{"csv", "plan-story.csv"},
		{"json", "plan-story.json"},
		{"markdown", "plan-story.md"},
	} {
		code, out, stderr := triage(t, "plan", "--repo", s.Dir, "--no-progress", "--keep", "class:recette-fix", "--keep", "class:prod-fix",
			"--onto", "release/1.5", "--format", f.format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", f.format, code, stderr)
		}
		assertGolden(t, f.golden, out)
	}
}

func TestPlanStoryJSONSchema(t *testing.T) {
	s := gittest.Story(t)
	_, out, _ := triage(t, "plan", "--repo", s.Dir, "--no-progress", "--format", "json") // the config's plan: keep the fixes
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"base", "head", "onto", "strategy", "commits", "picks", "warnings", "summary"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q in the plan json", k)
		}
	}
	c := doc["commits"].([]any)[0].(map[string]any)
	for _, k := range []string{"sha", "short", "svn_rev", "subject", "class", "tickets", "decision", "reason", "requires", "required_by"} {
		if _, ok := c[k]; !ok {
			t.Errorf("no %q in a commit of the plan json", k)
		}
	}
	w := doc["warnings"].([]any)[0].(map[string]any)
	for _, k := range []string{"kind", "commit", "depends_on", "evidence"} {
		if _, ok := w[k]; !ok {
			t.Errorf("no %q in a warning of the plan json", k)
		}
	}
	if doc["strategy"] != "pull" || len(doc["picks"].([]any)) != 20 {
		t.Errorf("strategy %v, %d picks", doc["strategy"], len(doc["picks"].([]any)))
	}
}
