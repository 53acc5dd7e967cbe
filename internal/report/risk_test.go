package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/risk"
	"github.com/triage-dev/triage/internal/vcs"
)

func riskSample() RiskInput {
	when := time.Date(2011, 2, 7, 16, 35, 0, 0, time.FixedZone("CET", 3600))
	feature := &vcs.Commit{Hash: plumbing.NewHash("6478da3c0ffee000000000000000000000000001"), Subject: "PAY-116: cache exchange rates",
		Author: vcs.Signature{Name: "Nicolas Moreau", When: when}, SvnRev: 24911}
	fix := &vcs.Commit{Hash: plumbing.NewHash("b04a7d8c0ffee000000000000000000000000002"), Subject: "PAY-119: refuse cards | expiring",
		Author: vcs.Signature{Name: "Élodie Fournier", When: when.Add(time.Hour)}}
	merge := &vcs.Commit{Hash: plumbing.NewHash("817ab6ec0ffee000000000000000000000000003"), Subject: "Merge branch 'hotfix/PAY-111'",
		Author: vcs.Signature{Name: "Sophie Bernard", When: when.Add(2 * time.Hour)}, Merge: true}
	scores := &risk.Scores{
		Thresholds: risk.Thresholds{Medium: 35, High: 55, Source: "default", Method: "fewer than 30 commits of history (10): fixed thresholds, medium above 35, high above 55", HistoryCommits: 10},
		Commits: []risk.CommitRisk{
			{Commit: feature, Score: 31, Level: risk.Low, Factors: []risk.Factor{
				{Name: risk.FactorSize, Value: 30, Points: 14.9, Why: "30 lines changed"},
				{Name: risk.FactorUntestedChange, Value: 1, Points: 8, Why: "1 product file changed and no test file"},
				{Name: risk.FactorRevertedLater, Value: 1, Points: 8.1, Why: "reverted later"},
			}},
			{Commit: fix, Score: 61, Level: risk.High, Factors: []risk.Factor{
				{Name: risk.FactorSize, Value: 12, Points: 11.1, Why: "12 lines changed"},
				{Name: risk.FactorPriorFixes, Value: 3, Points: 10, Why: "3 of them were fixes"},
				{Name: risk.FactorFixedLater, Value: 1, Points: 20, Why: "a later fix changed its lines"},
				{Name: risk.FactorAuthorFiles, Value: 0, Points: 8, Why: "the author made 0 of those earlier commits"},
				{Name: risk.FactorAuthorDirs, Value: 0, Points: 4, Why: "no earlier commit in these directories"},
				{Name: risk.FactorPriorAuthors, Value: 4, Points: 6, Why: "4 authors"},
			}},
			{Commit: merge, Score: 0, Level: risk.Low, Factors: []risk.Factor{{Name: risk.FactorMerge, Value: 1, Why: "merge commit"}}},
		},
	}
	plan := &risk.PlanRisk{
		Level:            risk.High,
		Reasons:          []string{"1 kept commit uses a symbol only a dropped commit introduces", "1 file ends in an untested state"},
		UntestedFiles:    []risk.UntestedFile{{Path: "src/pay/Rates.java", LinesDifferingFromHead: 4}},
		InterleavedFiles: []risk.InterleavedFile{{Path: "src/pay/Rates.java", Kept: []string{fix.Hash.String()}, Dropped: []string{feature.Hash.String()}}},
		NearMisses: []risk.NearMiss{{Path: "src/pay/Rates.java", Kept: fix.Hash.String(), Dropped: feature.Hash.String(),
			KeptLines: "12", DroppedLines: "15-16", Distance: 2}},
		BuildBreaks:      []risk.BuildBreak{{Commit: fix.Hash.String(), DependsOn: feature.Hash.String(), Evidence: "src/pay/Card.java uses EXPIRY_GRACE"}},
		DroppedFollowups: []risk.Followup{},
		SplitCochanges: []risk.SplitCochange{{KeptFile: "src/pay/Rates.java", DroppedFile: "web/rates.jsp", Support: 6, Confidence: 0.5,
			Kept: []string{fix.Hash.String()}, Dropped: []string{feature.Hash.String()}}},
		Retest: risk.Retest{
			Directories: []risk.RetestDir{{Path: ".", Files: []string{"pom.xml"}}, {Path: "src/pay", Files: []string{"src/pay/Rates.java"}}},
			Files: []risk.RetestFile{{Path: "pom.xml", Reasons: []string{"untested state"}, Tickets: []string{}, Commits: []string{fix.Hash.String()}},
				{Path: "src/pay/Rates.java", Reasons: []string{"untested state", "near miss"}, Tickets: []string{"PAY-119"}, Commits: []string{fix.Hash.String()}}},
			Tickets: []risk.RetestTicket{{ID: "PAY-119", Files: []string{"src/pay/Rates.java"}}},
		},
	}
	return RiskInput{Base: "base", Head: "head", Scores: scores, Plan: plan,
		History: risk.HistoryInfo{Since: time.Date(2010, 1, 28, 0, 0, 0, 0, time.UTC), Commits: 10},
		Classes: []classify.Result{{Commit: fix, Class: "recette-fix", Tickets: []string{"PAY-119"}}, {Commit: feature, Class: "feature", Tickets: []string{"PAY-116"}}}}
}

func TestRiskGolden(t *testing.T) {
	for _, c := range []struct{ format, golden string }{
		{"table", "risk.table"}, {"csv", "risk.csv"}, {"json", "risk.json"}, {"markdown", "risk.md"},
	} {
		t.Run(c.golden, func(t *testing.T) {
			p, err := New(c.format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := p.Print(&buf, Risk(riskSample())); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, c.golden, buf.Bytes())
		})
	}
}

func keysOf(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// TestRiskJSONSchema pins the keys the issue documents.
func TestRiskJSONSchema(t *testing.T) {
	in := riskSample()
	raw, err := json.Marshal(Risk(in).JSON)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := keysOf(doc), []string{"base", "commits", "head", "history", "plan", "thresholds"}; !reflect.DeepEqual(got, want) {
		t.Errorf("top-level keys %v, want %v", got, want)
	}
	commit := doc["commits"].([]any)[0].(map[string]any)
	if got, want := keysOf(commit), []string{"factors", "level", "score", "sha"}; !reflect.DeepEqual(got, want) {
		t.Errorf("commit keys %v, want %v", got, want)
	}
	factor := commit["factors"].([]any)[0].(map[string]any)
	if got, want := keysOf(factor), []string{"name", "points", "value", "why"}; !reflect.DeepEqual(got, want) {
		t.Errorf("factor keys %v, want %v", got, want)
	}
	plan := doc["plan"].(map[string]any)
	want := []string{"build_breaks", "dropped_followups", "interleaved_files", "level", "near_misses", "reasons", "retest", "split_cochanges", "untested_files"}
	if got := keysOf(plan); !reflect.DeepEqual(got, want) {
		t.Errorf("plan keys %v, want %v", got, want)
	}
	if got, want := keysOf(plan["retest"].(map[string]any)), []string{"directories", "files", "tickets"}; !reflect.DeepEqual(got, want) {
		t.Errorf("retest keys %v, want %v", got, want)
	}
	if got, want := keysOf(plan["untested_files"].([]any)[0].(map[string]any)), []string{"lines_differing_from_head", "path"}; !reflect.DeepEqual(got, want) {
		t.Errorf("untested file keys %v, want %v", got, want)
	}
	if got, want := keysOf(plan["build_breaks"].([]any)[0].(map[string]any)), []string{"commit", "depends_on", "evidence"}; !reflect.DeepEqual(got, want) {
		t.Errorf("build break keys %v, want %v", got, want)
	}
	// Without a selection, plan is null.
	in.Plan = nil
	raw, _ = json.Marshal(Risk(in).JSON)
	doc = nil
	json.Unmarshal(raw, &doc)
	if v, ok := doc["plan"]; !ok || v != nil {
		t.Errorf("plan without selection: %v", v)
	}
}

func TestBacktestGolden(t *testing.T) {
	res := risk.BacktestResult{Commits: 1269, Fixes: 148, Buggy: 64, Score: risk.Metrics{AUC: 0.6466, Top20Lines: 0.15625},
		Lines: risk.Metrics{AUC: 0.6862}, Random: risk.Metrics{AUC: 0.4957, Top20Lines: 0.2032}}
	for _, c := range []struct{ format, golden string }{{"table", "risk-backtest.table"}, {"json", "risk-backtest.json"}} {
		p, err := New(c.format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := p.Print(&buf, Backtest("base", "head", res)); err != nil {
			t.Fatal(err)
		}
		assertGolden(t, c.golden, buf.Bytes())
	}
}

func TestRiskNotesAShallowHistory(t *testing.T) {
	in := riskSample()
	in.History.Shallow = true
	notes := strings.Join(Risk(in).Notes, "\n")
	if !strings.Contains(notes, "git fetch --unshallow") {
		t.Errorf("notes: %s", notes)
	}
}
