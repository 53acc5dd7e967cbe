package apply

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/triage-dev/triage/internal/gittest"
)

func textOf(lines ...string) fentry {
	return fentry{[]byte(strings.Join(lines, "\n") + "\n"), filemode.Regular}
}

func numbered(prefix string, n int) []string {
	var l []string
	for i := 1; i <= n; i++ {
		l = append(l, fmt.Sprintf("%s line %02d with some words to weigh it", prefix, i))
	}
	return l
}

func replaced(lines []string, at map[int]string) []string {
	out := append([]string(nil), lines...)
	for i, s := range at {
		out[i] = s
	}
	return out
}

// runCase checks a hand-made scenario against git and returns git's verdict.
func runCase(t *testing.T, base, pre, ours, pick fstate) (gitOutcome, *Result) {
	t.Helper()
	gittest.NeedGit(t)
	sc := &scenario{base: base, pre: pre, ours: ours, picks: []fstate{pick}, pickIdx: []int{0}, messages: []string{"The pick"}}
	var stats corpusStats
	checkAgainstGit(t, sc, &stats)
	dir := t.TempDir()
	bs := sc.build(t, dir)
	want := gitCherryPick(t, bs)
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Apply(context.Background(), r.Storer, bs.ours, bs.picks, testOptions())
	var ce *ConflictError
	if err != nil && !errors.As(err, &ce) {
		t.Fatal(err)
	}
	return want, res
}

func expect(t *testing.T, want gitOutcome, res *Result, outcome string) {
	t.Helper()
	if want.stop != outcome {
		t.Fatalf("git's outcome is %q, the case expects %q:\n%s", want.stop, outcome, want.output)
	}
	switch outcome {
	case "":
		if res.Conflict != nil || len(res.Applied) != 1 {
			t.Fatalf("Apply: conflict=%v applied=%d", res.Conflict != nil, len(res.Applied))
		}
	case "conflict":
		if res.Conflict == nil {
			t.Fatal("Apply reports no conflict")
		}
	case "empty":
		if len(res.Skipped) != 1 {
			t.Fatal("Apply did not skip the pick")
		}
	}
}

func TestCasesMatchGit(t *testing.T) {
	body := numbered("body", 12)
	other := numbered("other", 12)
	cases := []struct {
		name                  string
		base, pre, ours, pick fstate
		outcome               string
	}{
		{name: "change to a file renamed on ours lands on the new path",
			base: fstate{"src/a.go": textOf(body...)},
			ours: fstate{"lib/a.go": textOf(body...)},
			pick: fstate{"src/a.go": textOf(replaced(body, map[int]string{3: "changed"})...)}},
		{name: "rename on the pick, edit on ours",
			base: fstate{"a.txt": textOf(body...)},
			ours: fstate{"a.txt": textOf(replaced(body, map[int]string{1: "ours"})...)},
			pick: fstate{"b.txt": textOf(replaced(body, map[int]string{9: "theirs"})...)}},
		{name: "identical changes on both sides merge cleanly",
			base: fstate{"a": textOf(body...), "b": textOf(other...)},
			ours: fstate{"a": textOf(replaced(body, map[int]string{2: "same"})...), "b": textOf(other...)},
			pick: fstate{"a": textOf(replaced(body, map[int]string{2: "same"})...), "b": textOf(replaced(other, map[int]string{5: "x"})...)}},
		{name: "already applied is skipped",
			base: fstate{"a": textOf(body...)},
			ours: fstate{"a": textOf(replaced(body, map[int]string{2: "same"})...)},
			pick: fstate{"a": textOf(replaced(body, map[int]string{2: "same"})...)}, outcome: "empty"},
		{name: "adjacent edits conflict",
			base: fstate{"a": textOf(body...)},
			ours: fstate{"a": textOf(replaced(body, map[int]string{4: "ours"})...)},
			pick: fstate{"a": textOf(replaced(body, map[int]string{5: "theirs"})...)}, outcome: "conflict"},
		{name: "mode change on ours, content change on the pick",
			base: fstate{"run.sh": textOf(body...)},
			ours: fstate{"run.sh": {textOf(body...).data, filemode.Executable}},
			pick: fstate{"run.sh": textOf(replaced(body, map[int]string{0: "#!/bin/sh"})...)}},
		{name: "symlink retargeted on both sides conflicts",
			base: fstate{"l": {[]byte("a"), filemode.Symlink}},
			ours: fstate{"l": {[]byte("b"), filemode.Symlink}},
			pick: fstate{"l": {[]byte("c"), filemode.Symlink}}, outcome: "conflict"},
		{name: "binary changed on both sides conflicts",
			base: fstate{"img": {[]byte("\x00\x01base"), filemode.Regular}},
			ours: fstate{"img": {[]byte("\x00\x01ours"), filemode.Regular}},
			pick: fstate{"img": {[]byte("\x00\x01theirs"), filemode.Regular}}, outcome: "conflict"},
		{name: "modify/delete conflicts",
			base: fstate{"a": textOf(body...), "b": textOf(other...)},
			ours: fstate{"b": textOf(other...)},
			pick: fstate{"a": textOf(replaced(body, map[int]string{2: "x"})...), "b": textOf(other...)}, outcome: "conflict"},
		{name: "add/add with different contents conflicts",
			base: fstate{"b": textOf(other...)},
			ours: fstate{"b": textOf(other...), "new": textOf("ours")},
			pick: fstate{"b": textOf(other...), "new": textOf("theirs")}, outcome: "conflict"},
		{name: "file on one side, directory on the other",
			base: fstate{"b": textOf(other...)},
			ours: fstate{"b": textOf(other...), "d/x": textOf("in dir")},
			pick: fstate{"b": textOf(other...), "d": textOf("a file")}, outcome: "conflict"},
		{name: "file added in a directory the other side renamed",
			base: fstate{"old/a": textOf(body...), "old/b": textOf(other...)},
			ours: fstate{"new/a": textOf(body...), "new/b": textOf(other...)},
			pick: fstate{"old/a": textOf(body...), "old/b": textOf(other...), "old/c": textOf("new file")}, outcome: "conflict"},
		{name: "exact rename prefers the source with the same basename",
			base: fstate{"a/f": textOf(body...), "a/g": textOf(body...)},
			ours: fstate{"c/g": textOf(body...)},
			pick: fstate{"a/f": textOf(body...), "a/g": textOf(replaced(body, map[int]string{4: "theirs"})...)}},
		{name: "basename match needs 75% similarity, else the best match wins",
			base: fstate{"s.txt": textOf(body...)},
			ours: fstate{"x/s.txt": textOf(replaced(body, map[int]string{0: "a", 2: "b", 4: "c", 6: "d", 8: "e"})...),
				"y/other": textOf(replaced(body, map[int]string{0: "a"})...)},
			pick: fstate{"s.txt": textOf(replaced(body, map[int]string{11: "theirs"})...)}},
		{name: "deferred directories are explored in git's hashmap order",
			base: fstate{"s.txt": textOf(body...), "pa/keep": textOf("p"), "qa/keep": textOf("q")},
			ours: fstate{"pa/keep": textOf("p2"), "qa/keep": textOf("q2"), "pa/s.txt": textOf(body...), "qa/s.txt": textOf(body...)},
			pick: fstate{"s.txt": textOf(replaced(body, map[int]string{7: "theirs"})...), "pa/keep": textOf("p"), "qa/keep": textOf("q")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pre := c.pre
			if pre == nil {
				pre = c.base
			}
			want, res := runCase(t, c.base, pre, c.ours, c.pick)
			expect(t, want, res, c.outcome)
		})
	}
}

// The hashmap-order case above only discriminates if git's order differs
// from the sorted one for its two directories.
func TestDeferredOrderCaseDiscriminates(t *testing.T) {
	m := newGitMap[uint8]()
	m.Set("pa", 0)
	m.Set("qa", 0)
	var order []string
	m.Each(func(k string, _ uint8) { order = append(order, k) })
	if order[0] != "qa" {
		t.Fatalf("git iterates %v; pick two names it iterates out of sorted order", order)
	}
}

// Seeds where git 2.39 aborts (an assertion in handle_content_merge): Apply
// reports a conflict, so nothing is written either.
func TestCorpusSeedsWhereGitAborts(t *testing.T) {
	gittest.NeedGit(t)
	for _, seed := range []int64{763, 4749} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			var stats corpusStats
			checkAgainstGit(t, newScenario(rand.New(rand.NewSource(seed))), &stats)
		})
	}
}

func TestDirectoryRenameSettingsMatchGit(t *testing.T) {
	body, other := numbered("body", 12), numbered("other", 12)
	base := fstate{"old/a": textOf(body...), "old/b": textOf(other...)}
	ours := fstate{"new/a": textOf(body...), "new/b": textOf(other...)}
	pick := fstate{"old/a": textOf(body...), "old/b": textOf(other...), "old/c": textOf("new file")}
	for _, tc := range []struct{ value, outcome string }{{"true", ""}, {"false", ""}, {"conflict", "conflict"}} {
		t.Run(tc.value, func(t *testing.T) {
			gittest.NeedGit(t)
			sc := &scenario{base: base, pre: base, ours: ours, picks: []fstate{pick}, pickIdx: []int{0},
				messages: []string{"Add c"}, config: map[string]string{"merge.directoryRenames": tc.value}}
			var stats corpusStats
			checkAgainstGit(t, sc, &stats)
			if (tc.outcome == "conflict") != (stats.conflict == 1) {
				t.Fatalf("stats %+v, want outcome %q", stats, tc.outcome)
			}
		})
	}
}
