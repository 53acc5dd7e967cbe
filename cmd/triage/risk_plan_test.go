package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

// objectFiles counts the loose objects and packs of a repository, to prove
// triage risk writes nothing.
func objectFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.Walk(filepath.Join(dir, ".git", "objects"), func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRiskOfAPlanOnTheStory(t *testing.T) {
	dir := gittest.NewStory(t).Dir // the test checks nothing is written to it
	before := objectFiles(t, dir)
	refsBefore, _ := os.ReadDir(filepath.Join(dir, ".git", "refs", "heads"))
	runRiskJSON := func(args ...string) (int, map[string]any, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"risk", "v1.4.0..recette", "--repo", dir, "--no-progress", "--format", "json"}, args...), &out, &errb)
		var doc map[string]any
		if code != exitError {
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("%q: %v\n%s", args, err, out.String())
			}
		}
		return code, doc, errb.String()
	}

	// Keeping the fixes, with their dependencies pulled in: the branch builds.
	code, doc, stderr := runRiskJSON("--keep", "class:recette-fix", "--keep", "class:prod-fix")
	if code != exitOK {
		t.Fatalf("pull plan: exit %d: %s", code, stderr)
	}
	plan, ok := doc["plan"].(map[string]any)
	if !ok {
		t.Fatalf("no plan in the json: %v", doc["plan"])
	}
	for _, k := range []string{"level", "reasons", "untested_files", "interleaved_files", "near_misses", "build_breaks", "dropped_followups", "split_cochanges", "retest"} {
		if _, ok := plan[k]; !ok {
			t.Errorf("plan json lacks %q", k)
		}
	}
	if reasons := plan["reasons"].([]any); len(reasons) == 0 || strings.Contains(reasons[0].(string), "do not apply") {
		t.Errorf("pull plan reasons: %v", reasons)
	}

	// The same selection taken exactly: kept fixes need what dropped features introduced.
	code, doc, stderr = runRiskJSON("--keep", "class:recette-fix", "--keep", "class:prod-fix", "--strategy", "exact", "--fail-on", "high")
	if code != exitFindings || !strings.Contains(stderr, "the pruned branch is at high risk") {
		t.Fatalf("exact plan with --fail-on high: exit %d, %q", code, stderr)
	}
	plan = doc["plan"].(map[string]any)
	if plan["level"] != "high" || len(plan["build_breaks"].([]any)) == 0 || !strings.Contains(plan["reasons"].([]any)[0].(string), "do not apply") {
		t.Errorf("exact plan: level %v, build breaks %v, reasons %v", plan["level"], plan["build_breaks"], plan["reasons"])
	}

	// Usage errors are caught before any work.
	if code, _, stderr := runRiskJSON("--keep", "class:recette-fix", "--strategy", "greedy"); code != exitError || !strings.Contains(stderr, "strategy") {
		t.Errorf("--strategy greedy: exit %d, %q", code, stderr)
	}
	if code, _, _ := runRiskJSON("--keep", "class:recette-fix", "--onto", "no-such-branch"); code != exitError {
		t.Errorf("--onto unknown: exit %d", code)
	}
	if code, _, _ := runRiskJSON("--keep", "class:recette-fix", "--backtest"); code != exitError {
		t.Errorf("--backtest with a selection: exit %d", code)
	}

	// Nothing was written to the repository: no object, no branch.
	if after := objectFiles(t, dir); after != before {
		t.Errorf("triage risk wrote %d object files", after-before)
	}
	if refsAfter, _ := os.ReadDir(filepath.Join(dir, ".git", "refs", "heads")); len(refsAfter) != len(refsBefore) {
		t.Errorf("branches before %d, after %d", len(refsBefore), len(refsAfter))
	}
}
