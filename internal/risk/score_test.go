package risk

import (
	"math"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/vcs"
)

// storyHistory: alice writes the rate code, bob fixes it, alice adds a README.
func storyHistory() *hist {
	h := &hist{}
	h.add("h1", "alice", "pay: add rate computation", added("src/pay/rate.go", "1", 10))
	h.add("h2", "bob", "pay: fix rounding bug", modified("src/pay/rate.go", "1", "2", 3, 1, 2))
	h.add("h3", "alice", "docs: readme", added("README.md", "1", 5))
	return h
}

func TestScoreCommitsExactFactors(t *testing.T) {
	h := storyHistory()
	r := &hist{n: h.n}
	r1 := r.add("r1", "carol", "feature: student rate",
		modified("src/pay/rate.go", "2", "3", 2, 4, 20), added("src/pay/student.go", "1", 30))
	r2 := r.add("r2", "bob", "PAY-7: fix student rate rounding",
		modified("src/pay/student.go", "1", "2", 5, 1, 1), added("src/pay/student_test.go", "1", 10))
	r3 := r.add("r3", "dave", "Revert \"PAY-7: fix student rate rounding\"\n\nThis reverts commit "+r2.Hash.String()+".",
		modified("src/pay/student.go", "2", "3", 5, 1, 1), deleted("src/pay/student_test.go", "1", 10))
	r3.Subject = "Revert \"PAY-7: fix student rate rounding\""

	got := ScoreCommits(Input{History: h.commits, Commits: r.commits, Edges: edgesOf(t, r.commits)})
	if got.Thresholds.Source != "default" || got.Thresholds.Medium != 35 || got.Thresholds.High != 55 {
		t.Errorf("thresholds = %+v, want the defaults (3 history commits)", got.Thresholds)
	}
	want := []struct {
		commit *vcs.Commit
		score  int
		level  Level
		points map[string]float64
		values map[string]float64
	}{
		{r1, 75, High, map[string]float64{ // 54.5 predicted + 20 evidence = 74.5 -> 75
			FactorSize: 17.3, FactorFiles: 3, FactorDirectories: 0, FactorEntropy: 3, FactorPriorChanges: 3.2,
			FactorPriorFixes: 5, FactorPriorAuthors: 3, FactorAuthorFiles: 8, FactorAuthorDirs: 4, FactorUntestedChange: 8,
			FactorRevertedLater: 0, FactorFixedLater: 20,
		}, map[string]float64{FactorSize: 54, FactorFiles: 2, FactorDirectories: 1, FactorEntropy: 0.99, FactorPriorChanges: 2,
			FactorPriorFixes: 1, FactorPriorAuthors: 2, FactorAuthorFiles: 0, FactorAuthorDirs: 0, FactorUntestedChange: 2, FactorFixedLater: 1}},
		{r2, 53, Medium, map[string]float64{ // 28.1 predicted + 25 reverted = 53.1 -> 53
			FactorSize: 11.1, FactorFiles: 3, FactorDirectories: 0, FactorEntropy: 2, FactorPriorChanges: 2,
			FactorPriorFixes: 0, FactorPriorAuthors: 0, FactorAuthorFiles: 8, FactorAuthorDirs: 2, FactorUntestedChange: 0,
			FactorRevertedLater: 25, FactorFixedLater: 0,
		}, map[string]float64{FactorSize: 12, FactorPriorChanges: 1, FactorPriorAuthors: 1, FactorAuthorDirs: 1, FactorRevertedLater: 1}},
		{r3, 39, Medium, map[string]float64{ // dave, new to src/pay, undoes r2 on files r1 and r2 touched: 39.3 -> 39
			FactorSize: 11.1, FactorFiles: 3, FactorDirectories: 0, FactorEntropy: 2, FactorPriorChanges: 3.2,
			FactorPriorFixes: 5, FactorPriorAuthors: 3, FactorAuthorFiles: 8, FactorAuthorDirs: 4, FactorUntestedChange: 0,
		}, map[string]float64{FactorPriorChanges: 2, FactorPriorFixes: 1, FactorPriorAuthors: 2, FactorAuthorDirs: 0}},
	}
	if len(got.Commits) != len(want) {
		t.Fatalf("got %d commits, want %d", len(got.Commits), len(want))
	}
	for i, w := range want {
		c := got.Commits[i]
		if c.Commit != w.commit {
			t.Fatalf("commit %d is %s, want %s", i, c.Commit.Subject, w.commit.Subject)
		}
		fm := factorMap(c.Factors)
		for name, p := range w.points {
			if f, ok := fm[name]; !ok || f.Points != p {
				t.Errorf("%s: factor %s points = %v (%q), want %v", w.commit.Subject, name, f.Points, f.Why, p)
			}
		}
		for name, v := range w.values {
			if f := fm[name]; f.Value != v {
				t.Errorf("%s: factor %s value = %v, want %v", w.commit.Subject, name, f.Value, v)
			}
		}
		if c.Score != w.score || c.Level != w.level {
			t.Errorf("%s: score %d %s, want %d %s", w.commit.Subject, c.Score, c.Level, w.score, w.level)
		}
		// A reader recomputes the score from the factors alone.
		sum := 0.0
		for _, f := range c.Factors {
			sum += f.Points
			if f.Why == "" {
				t.Errorf("%s: factor %s has no explanation", w.commit.Subject, f.Name)
			}
		}
		if int(math.Floor(sum+0.5+1e-9)) != c.Score {
			t.Errorf("%s: factors sum to %.1f, score is %d", w.commit.Subject, sum, c.Score)
		}
	}
	if why := factorMap(got.Commits[0].Factors)[FactorFixedLater].Why; !strings.Contains(why, r2.Hash.String()[:7]) {
		t.Errorf("fixed_later should name the fix: %q", why)
	}
}

func TestScoreCommitsUsesGivenEdgesAndClassifier(t *testing.T) {
	r := &hist{}
	a := r.add("a", "alice", "feature", added("lib/a.go", "1", 3))
	b := r.add("b", "bob", "PAY-1 small change", modified("lib/a.go", "1", "2", 1, 1, 1))
	isFix := func(c *vcs.Commit) bool { return c == b } // the classifier knows PAY-1 is a bug
	edges := []Edge{{Commit: b.Hash, DependsOn: a.Hash, Kind: KindLine, Path: "lib/a.go", Lines: "1"}}
	got := ScoreCommits(Input{Commits: r.commits, Edges: edges, IsFix: isFix})
	if f := factorMap(got.Commits[0].Factors)[FactorFixedLater]; f.Points != 20 {
		t.Errorf("with a line edge from a classified fix, fixed_later = %+v", f)
	}
	// An edge from a commit that is not a fix is no evidence.
	got = ScoreCommits(Input{Commits: r.commits, Edges: edges, IsFix: func(*vcs.Commit) bool { return false }})
	if f := factorMap(got.Commits[0].Factors)[FactorFixedLater]; f.Points != 0 {
		t.Errorf("line edge from a non-fix counted: %+v", f)
	}
	// deps binds a fixup! commit to its target with a revert edge: that is a later fix, not a revert.
	fixup := []Edge{{Commit: b.Hash, DependsOn: a.Hash, Kind: KindRevert, Evidence: "fixup! feature"}}
	got = ScoreCommits(Input{Commits: r.commits, Edges: fixup, IsFix: func(*vcs.Commit) bool { return false }})
	if fm := factorMap(got.Commits[0].Factors); fm[FactorFixedLater].Points != 20 || fm[FactorRevertedLater].Points != 0 {
		t.Errorf("fixup edge: fixed_later %+v, reverted_later %+v", fm[FactorFixedLater], fm[FactorRevertedLater])
	}
	// No edges: the caller says there are none; nothing is derived behind its back.
	got = ScoreCommits(Input{Commits: r.commits, Edges: []Edge{}, IsFix: isFix})
	if f := factorMap(got.Commits[0].Factors)[FactorFixedLater]; f.Points != 0 {
		t.Errorf("derived edges despite given ones: %+v", f)
	}
}

func TestMergeCommitsAreListedNotScored(t *testing.T) {
	r := &hist{}
	r.add("a", "alice", "feature", added("lib/a.go", "1", 3))
	m := r.add("m", "alice", "Merge branch 'hotfix/PAY-111'")
	m.Merge = true
	got := ScoreCommits(Input{Commits: r.commits})
	if len(got.Commits) != 2 || got.Commits[1].Score != 0 || got.Commits[1].Level != Low {
		t.Fatalf("merge: %+v", got.Commits)
	}
	if fm := factorMap(got.Commits[1].Factors); fm[FactorMerge].Value != 1 {
		t.Errorf("merge factor missing: %+v", got.Commits[1].Factors)
	}
}

func TestLevelThresholdsFromHistory(t *testing.T) {
	hist := make([]int, 100)
	for i := range hist {
		hist[i] = 100 - i // 1..100, unsorted
	}
	th := levelThresholds(hist)
	if th.Source != "history" || th.Medium != 80 || th.High != 95 || th.HistoryCommits != 100 {
		t.Errorf("1..100: %+v, want medium above 80, high above 95", th)
	}
	if th.level(80) != Low || th.level(81) != Medium || th.level(95) != Medium || th.level(96) != High {
		t.Errorf("levels are strictly above the thresholds")
	}
	th = levelThresholds([]int{5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 5, 1, 9, 3, 7, 2, 8, 4, 6, 10})
	// 30 scores, three of each 1..10: the 24th smallest is 8, the 29th is 10.
	if th.Medium != 8 || th.High != 10 {
		t.Errorf("30 scores: %+v", th)
	}
	if th := levelThresholds(hist[:29]); th.Source != "default" {
		t.Errorf("29 history commits should fall back to the defaults: %+v", th)
	}
}

func TestLevelsComeFromTheRepositorysDistribution(t *testing.T) {
	// The same commit is high in a repository of tiny commits and low in one of huge commits.
	build := func(lines int) []*vcs.Commit {
		h := &hist{}
		for i := range 40 {
			p := "src/f" + string(rune('a'+i%26)) + ".go"
			h.add("h"+string(rune('A'+i)), "alice", "work", vcs.FileChange{Status: vcs.Modified, OldPath: p, NewPath: p,
				Added: lines, Deleted: lines})
		}
		return h.commits
	}
	probe := &hist{n: 100}
	probe.add("p", "alice", "change", vcs.FileChange{Status: vcs.Modified, OldPath: "src/fa.go", NewPath: "src/fa.go", Added: 20, Deleted: 20})
	small := ScoreCommits(Input{History: build(1), Commits: probe.commits, Edges: []Edge{}})
	large := ScoreCommits(Input{History: build(500), Commits: probe.commits, Edges: []Edge{}})
	if small.Commits[0].Level != High || large.Commits[0].Level != Low {
		t.Errorf("same level %s with thresholds %+v and %+v", small.Commits[0].Level, small.Thresholds, large.Thresholds)
	}
}

func TestPathHeuristics(t *testing.T) {
	tests := map[string]bool{
		"src/test/java/FooTest.java": true, "pay/rate_test.go": true, "tests/test_rate.py": true, "test_rate.py": true,
		"web/rate.spec.ts": true, "web/rate.test.js": true, "spec/rate_spec.rb": true, "src/FooIT.java": true,
		"src/__tests__/a.js": true, "pkg/testdata/x.txt": true,
		"src/main/java/Foo.java": false, "pay/rate.go": false, "contest/score.go": false, "src/Testing.java": false,
		"latest.go": false, "attestation/a.go": false,
	}
	for p, want := range tests {
		if got := IsTestPath(p); got != want {
			t.Errorf("IsTestPath(%q) = %v, want %v", p, got, want)
		}
	}
	docs := map[string]bool{"README.md": true, "docs/guide.html": true, "LICENSE": true, "CHANGELOG.md": true,
		"src/notes.txt": true, "doc.go": false, "docs.go": false, "src/docs/x.go": false}
	for p, want := range docs {
		if got := IsDocPath(p); got != want {
			t.Errorf("IsDocPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestKeywordFix(t *testing.T) {
	cases := map[string]bool{
		"fix: rounding": true, "PAY-12 Fixed the rate": true, "hotfix/PAY-111": true, "Correctif anomalie recette": true,
		"régression sur le taux": true, "bug 123": true, "add prefix option": false, "feature: debugger view": false,
		"Revert \"fix: rounding\"": false, "affixes table": false,
	}
	for msg, want := range cases {
		c := &vcs.Commit{Message: msg, Subject: msg}
		if got := KeywordFix(c); got != want {
			t.Errorf("KeywordFix(%q) = %v, want %v", msg, got, want)
		}
	}
}
