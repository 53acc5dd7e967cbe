package risk

import (
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

func hashes(cs ...*vcs.Commit) []plumbing.Hash {
	out := make([]plumbing.Hash, len(cs))
	for i, c := range cs {
		out[i] = c.Hash
	}
	return out
}

func assess(t *testing.T, in PlanInput) *PlanRisk {
	t.Helper()
	r, err := AssessPlan(in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// interleavedStory: a dropped feature edits line 2 of pay/rate.go, a kept fix
// then edits line 15. keptFirst swaps their order.
func interleavedStory(keptFirst bool) (*fakeRepo, PlanInput, *vcs.Commit, *vcs.Commit) {
	base := numbered(20)
	r := newFakeRepo(map[string]string{"pay/rate.go": base, "pay/other.go": "x\n"})
	onto := r.head()
	var k, d *vcs.Commit
	if keptFirst {
		k = r.commit("k", "kim", "PAY-1 fix rounding", map[string]string{"pay/rate.go": edit(base, 15, "fifteen")})
		d = r.commit("d", "dave", "PAY-2 student rate", map[string]string{"pay/rate.go": edit(edit(base, 15, "fifteen"), 2, "two")})
	} else {
		d = r.commit("d", "dave", "PAY-2 student rate", map[string]string{"pay/rate.go": edit(base, 2, "two")})
		k = r.commit("k", "kim", "PAY-1 fix rounding", map[string]string{"pay/rate.go": edit(edit(base, 2, "two"), 15, "fifteen")})
	}
	head := r.head()
	pruned := r.tree(map[string]string{"pay/rate.go": edit(base, 15, "fifteen"), "pay/other.go": "x\n"})
	in := PlanInput{Commits: r.commits, Kept: hashes(k), Dropped: hashes(d), Trees: r, OntoTree: onto, HeadTree: head, PrunedTree: pruned,
		Edges: []Edge{}, Tickets: map[plumbing.Hash][]string{k.Hash: {"PAY-1"}, d.Hash: {"PAY-2"}}}
	return r, in, k, d
}

func TestUntestedFiles(t *testing.T) {
	_, in, k, d := interleavedStory(false)
	got := assess(t, in)
	if want := []UntestedFile{{Path: "pay/rate.go", LinesDifferingFromHead: 2}}; !reflect.DeepEqual(got.UntestedFiles, want) {
		t.Errorf("untested = %+v, want %+v", got.UntestedFiles, want)
	}
	if want := []InterleavedFile{{Path: "pay/rate.go", Kept: []string{k.Hash.String()}, Dropped: []string{d.Hash.String()}}}; !reflect.DeepEqual(got.InterleavedFiles, want) {
		t.Errorf("interleaved = %+v, want %+v", got.InterleavedFiles, want)
	}
	if got.Level != Medium || len(got.Reasons) != 2 || !strings.Contains(got.Reasons[0], "1 file end") {
		t.Errorf("level %s, reasons %q", got.Level, got.Reasons)
	}
	wantRetest := Retest{
		Directories: []RetestDir{{Path: "pay", Files: []string{"pay/rate.go"}}},
		Files: []RetestFile{{Path: "pay/rate.go", Reasons: []string{"untested state", "kept and dropped changes interleave"},
			Tickets: []string{"PAY-1"}, Commits: []string{k.Hash.String()}}},
		Tickets: []RetestTicket{{ID: "PAY-1", Files: []string{"pay/rate.go"}}},
	}
	if !reflect.DeepEqual(got.Retest, wantRetest) {
		t.Errorf("retest = %+v\nwant %+v", got.Retest, wantRetest)
	}

	// Kept first: the pruned file is the version the kept commit made, which
	// recette saw on its way to HEAD: interleaved, but not untested.
	_, in, _, _ = interleavedStory(true)
	got = assess(t, in)
	if len(got.UntestedFiles) != 0 || len(got.InterleavedFiles) != 1 {
		t.Errorf("kept first: untested %+v, interleaved %+v", got.UntestedFiles, got.InterleavedFiles)
	}
}

func TestUntestedFileEqualToProductionOrHeadIsTested(t *testing.T) {
	_, in, _, _ := interleavedStory(false)
	in.PrunedTree = in.HeadTree // as if nothing were dropped from this file
	if got := assess(t, in); len(got.UntestedFiles) != 0 {
		t.Errorf("pruned = HEAD: untested %+v", got.UntestedFiles)
	}
	in.PrunedTree = in.OntoTree
	if got := assess(t, in); len(got.UntestedFiles) != 0 {
		t.Errorf("pruned = onto: untested %+v", got.UntestedFiles)
	}
}

func TestInterleavedNeedsTheSameFile(t *testing.T) {
	base := numbered(20)
	r := newFakeRepo(map[string]string{"pay/rate.go": base, "pay/other.go": "x\n"})
	onto := r.head()
	d := r.commit("d", "dave", "feature", map[string]string{"pay/other.go": "y\n"})
	k := r.commit("k", "kim", "fix", map[string]string{"pay/rate.go": edit(base, 3, "three")})
	head := r.head()
	pruned := r.tree(map[string]string{"pay/rate.go": edit(base, 3, "three"), "pay/other.go": "x\n"})
	got := assess(t, PlanInput{Commits: r.commits, Kept: hashes(k), Dropped: hashes(d), Trees: r, OntoTree: onto, HeadTree: head, PrunedTree: pruned})
	if len(got.InterleavedFiles) != 0 || len(got.UntestedFiles) != 0 || got.Level != Low {
		t.Errorf("separate files: %+v", got)
	}
	if len(got.Reasons) != 1 || got.Retest.Files == nil || len(got.Retest.Files) != 0 {
		t.Errorf("low plan: reasons %q, retest %+v", got.Reasons, got.Retest)
	}
}

// nearMissStory: a kept fix edits line 10; a dropped feature then inserts two
// lines after line `dropAt`; a kept commit inserts 5 lines at the top.
func nearMissStory(dropAt int) (PlanInput, *vcs.Commit, *vcs.Commit) {
	base := numbered(30)
	r := newFakeRepo(map[string]string{"app/form.js": base})
	onto := r.head()
	v1 := edit(base, 10, "ten")
	k := r.commit("k", "kim", "fix: form check", map[string]string{"app/form.js": v1})
	v2 := insertAfter(v1, dropAt, "new a\nnew b\n")
	d := r.commit("d", "dave", "feature: new field", map[string]string{"app/form.js": v2})
	top := "// a\n// b\n// c\n// d\n// e\n"
	k2 := r.commit("k2", "kim", "chore: header", map[string]string{"app/form.js": top + v2})
	head := r.head()
	pruned := r.tree(map[string]string{"app/form.js": top + v1})
	return PlanInput{Commits: r.commits, Kept: hashes(k, k2), Dropped: hashes(d), Trees: r, OntoTree: onto, HeadTree: head, PrunedTree: pruned}, k, d
}

func itoa(n int) string { return strings.TrimSpace(numbered(n)[len(numbered(n-1)):]) }

func insertAfter(content string, line int, text string) string {
	lines := strings.SplitAfter(content, "\n")
	return strings.Join(lines[:line], "") + text + strings.Join(lines[line:], "")
}

func TestNearMisses(t *testing.T) {
	in, k, d := nearMissStory(12) // lines 11 and 12 stand between line 10 and the insertion
	got := assess(t, in)
	want := []NearMiss{{Path: "app/form.js", Kept: k.Hash.String(), Dropped: d.Hash.String(), KeptLines: "15", DroppedLines: "18-19", Distance: 2}}
	if !reflect.DeepEqual(got.NearMisses, want) {
		t.Errorf("near misses = %+v\nwant %+v", got.NearMisses, want)
	}
	in, _, _ = nearMissStory(13) // three lines between: still a near miss
	if got := assess(t, in); len(got.NearMisses) != 1 || got.NearMisses[0].Distance != 3 {
		t.Errorf("insertion after line 13: near misses %+v", got.NearMisses)
	}
	// Right after line 10 touches it (a conflict for git, a deps edge, not a
	// near miss); after line 14, four lines stand between.
	for _, far := range []int{10, 14, 25} {
		in, _, _ := nearMissStory(far)
		if len(in.Commits[1].Changes[0].Hunks) != 1 {
			t.Fatalf("story: the dropped commit changes nothing")
		}
		if got := assess(t, in); len(got.NearMisses) != 0 {
			t.Errorf("insertion after line %d: near misses %+v", far, got.NearMisses)
		}
	}
}

func TestBuildBreaks(t *testing.T) {
	_, in, k, d := interleavedStory(false)
	in.Edges = []Edge{{Commit: k.Hash, DependsOn: d.Hash, Kind: KindSymbol, Path: "pay/rate.go", Evidence: "STUDENT_RATE"}}
	got := assess(t, in)
	want := []BuildBreak{{Commit: k.Hash.String(), DependsOn: d.Hash.String(), Evidence: "pay/rate.go uses STUDENT_RATE"}}
	if !reflect.DeepEqual(got.BuildBreaks, want) || got.Level != High {
		t.Errorf("build breaks = %+v (level %s), want %+v", got.BuildBreaks, got.Level, want)
	}
	if !strings.Contains(got.Reasons[0], "may not build") {
		t.Errorf("reasons: %q", got.Reasons)
	}
	// The other way round (a dropped commit uses a kept symbol), or a line edge: no build break.
	for _, e := range []Edge{{Commit: d.Hash, DependsOn: k.Hash, Kind: KindSymbol}, {Commit: k.Hash, DependsOn: d.Hash, Kind: KindLine}} {
		in.Edges = []Edge{e}
		if got := assess(t, in); len(got.BuildBreaks) != 0 {
			t.Errorf("edge %+v gave build breaks %+v", e, got.BuildBreaks)
		}
	}
}

func TestDroppedFollowups(t *testing.T) {
	_, in, k, d := interleavedStory(true) // k first, then d changes the file again
	d.Message, d.Subject = "PAY-3 fix: rate rounding\n", "PAY-3 fix: rate rounding"
	in.Edges = []Edge{{Commit: d.Hash, DependsOn: k.Hash, Kind: KindLine, Path: "pay/rate.go", Lines: "15"}}
	got := assess(t, in)
	want := []Followup{{Commit: k.Hash.String(), Followup: d.Hash.String(), Kind: "fix", Evidence: "the dropped fix changes its lines 15 of pay/rate.go"}}
	if !reflect.DeepEqual(got.DroppedFollowups, want) || got.Level != High {
		t.Errorf("follow-ups = %+v (level %s), want %+v", got.DroppedFollowups, got.Level, want)
	}
	in.Edges = append(in.Edges, Edge{Commit: d.Hash, DependsOn: k.Hash, Kind: KindRevert})
	if got := assess(t, in); len(got.DroppedFollowups) != 1 || got.DroppedFollowups[0].Kind != "revert" {
		t.Errorf("a revert outranks a fix: %+v", got.DroppedFollowups)
	}
	in.Edges = []Edge{{Commit: d.Hash, DependsOn: k.Hash, Kind: KindRevert, Evidence: "fixup! PAY-1 fix rounding"}}
	if got := assess(t, in); len(got.DroppedFollowups) != 1 || got.DroppedFollowups[0].Kind != "fix" ||
		got.DroppedFollowups[0].Evidence != "the dropped commit is its fixup! commit" {
		t.Errorf("a dropped fixup! is a dropped fix: %+v", got.DroppedFollowups)
	}
	in.Edges = []Edge{{Commit: d.Hash, DependsOn: k.Hash, Kind: KindLine, Path: "pay/rate.go", Lines: "15"}}
	// A dropped feature touching the kept lines is no follow-up; nor is a kept fix of a kept commit.
	in.IsFix = func(*vcs.Commit) bool { return false }
	if got := assess(t, in); len(got.DroppedFollowups) != 0 {
		t.Errorf("non-fix: %+v", got.DroppedFollowups)
	}
	in.IsFix = nil
	in.Kept, in.Dropped = hashes(k, d), nil
	if got := assess(t, in); len(got.DroppedFollowups) != 0 {
		t.Errorf("both kept: %+v", got.DroppedFollowups)
	}
}

// cochangeHistory: `total` commits change a.go, `together` of them also
// b.go, each with `extra` other files.
func cochangeHistory(total, together, extra int) []*vcs.Commit {
	h := &hist{}
	for i := range total {
		var ch []vcs.FileChange
		ch = append(ch, vcs.FileChange{Status: vcs.Modified, OldPath: "src/a.go", NewPath: "src/a.go", Added: 1})
		if i < together {
			ch = append(ch, vcs.FileChange{Status: vcs.Modified, OldPath: "web/b.js", NewPath: "web/b.js", Added: 1})
		}
		for j := range extra {
			p := "gen/f" + itoa(j+1) + ".go"
			ch = append(ch, vcs.FileChange{Status: vcs.Modified, OldPath: p, NewPath: p, Added: 1})
		}
		h.add("h"+itoa(i+1), "alice", "work", ch...)
	}
	return h.commits
}

func TestSplitCochanges(t *testing.T) {
	r := newFakeRepo(map[string]string{"src/a.go": "a\n", "web/b.js": "b\n"})
	onto := r.head()
	k := r.commit("k", "kim", "fix", map[string]string{"src/a.go": "a2\n"})
	d := r.commit("d", "dave", "feature", map[string]string{"web/b.js": "b2\n"})
	head := r.head()
	pruned := r.tree(map[string]string{"src/a.go": "a2\n", "web/b.js": "b\n"})
	in := PlanInput{Commits: r.commits, Kept: hashes(k), Dropped: hashes(d), Trees: r, OntoTree: onto, HeadTree: head, PrunedTree: pruned}

	in.History = cochangeHistory(10, 5, 0)
	got := assess(t, in)
	want := []SplitCochange{{KeptFile: "src/a.go", DroppedFile: "web/b.js", Support: 5, Confidence: 0.5,
		Kept: []string{k.Hash.String()}, Dropped: []string{d.Hash.String()}}}
	if !reflect.DeepEqual(got.SplitCochanges, want) || got.Level != Medium {
		t.Errorf("split co-changes = %+v (level %s), want %+v", got.SplitCochanges, got.Level, want)
	}
	if files := got.Retest.Files; len(files) != 2 || files[0].Path != "src/a.go" || files[1].Path != "web/b.js" {
		t.Errorf("retest files: %+v", files)
	}
	for name, h := range map[string][]*vcs.Commit{
		"support 4":           cochangeHistory(10, 4, 0),
		"confidence 0.25":     cochangeHistory(20, 5, 0),
		"commits of 31 files": cochangeHistory(10, 10, 29),
		"no history":          nil,
	} {
		in.History = h
		if got := assess(t, in); len(got.SplitCochanges) != 0 {
			t.Errorf("%s: %+v", name, got.SplitCochanges)
		}
	}
	// 30 files per commit still count.
	in.History = cochangeHistory(10, 10, 28)
	if got := assess(t, in); len(got.SplitCochanges) != 1 {
		t.Errorf("commits of 30 files: %+v", got.SplitCochanges)
	}
}

func TestPlanLevelHighWithThreeUntestedFiles(t *testing.T) {
	files := map[string]string{}
	for _, p := range []string{"a/1.go", "a/2.go", "b/3.go"} {
		files[p] = numbered(10)
	}
	r := newFakeRepo(files)
	onto := r.head()
	feat, fix := map[string]string{}, map[string]string{}
	pr := map[string]string{}
	for p := range files {
		feat[p] = edit(numbered(10), 1, "feature")
		fix[p] = edit(feat[p], 9, "fix")
		pr[p] = edit(numbered(10), 9, "fix")
	}
	d := r.commit("d", "dave", "feature", feat)
	k := r.commit("k", "kim", "fix", fix)
	got := assess(t, PlanInput{Commits: r.commits, Kept: hashes(k), Dropped: hashes(d), Trees: r, OntoTree: onto, HeadTree: r.head(), PrunedTree: r.tree(pr)})
	if len(got.UntestedFiles) != 3 || got.Level != High {
		t.Errorf("3 untested files: level %s, %+v", got.Level, got.UntestedFiles)
	}
	if dirs := got.Retest.Directories; len(dirs) != 2 || dirs[0].Path != "a" || len(dirs[0].Files) != 2 {
		t.Errorf("retest directories: %+v", dirs)
	}
}

func TestAssessPlanRejectsBadInput(t *testing.T) {
	_, in, k, _ := interleavedStory(false)
	in.Dropped = append(in.Dropped, k.Hash)
	if _, err := AssessPlan(in); err == nil || !strings.Contains(err.Error(), "both kept and dropped") {
		t.Errorf("kept and dropped: %v", err)
	}
	in.Trees = nil
	if _, err := AssessPlan(in); err == nil {
		t.Error("no trees: no error")
	}
}

func TestConflictingPlanIsHighRisk(t *testing.T) {
	_, in, _, _ := interleavedStory(false)
	in.PrunedTree = plumbing.ZeroHash
	in.Conflict = "commit 1234567 does not apply: conflict in pay/rate.go"
	got := assess(t, in)
	if got.Level != High || !strings.Contains(got.Reasons[0], "do not apply") || len(got.UntestedFiles) != 0 || len(got.InterleavedFiles) != 1 {
		t.Errorf("conflict: %+v", got)
	}
	in.Dropped = nil // nothing else to say: only the conflict
	if got := assess(t, in); got.Level != High || len(got.Reasons) != 1 {
		t.Errorf("conflict alone: %s %q", got.Level, got.Reasons)
	}
}
