package deps_test

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

func TestMain(m *testing.M) { gittest.Main(m) }

func storyGraph(t testing.TB) (*repos.Story, *deps.Graph, map[plumbing.Hash]string) {
	s := gittest.Story(t)
	repo, rng := gittest.ReadRange(t, s.Dir, s.Base+".."+s.Head)
	g, err := deps.Build(context.Background(), repo, rng, deps.Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[plumbing.Hash]string{}
	for n, h := range s.Commits {
		names[h] = n
	}
	return s, g, names
}

func TestStoryCases(t *testing.T) {
	s, g, names := storyGraph(t)
	for _, c := range s.Cases {
		found := false
		for _, e := range g.DependsOn(s.Commits[c.Commit], deps.Kind(c.Kind)) {
			if e.DependsOn == s.Commits[c.DependsOn] {
				found = true
				if c.Kind != "revert" && e.Path != c.Path {
					t.Errorf("case %s %s -> %s: evidence in %s, want %s", c.Kind, c.Commit, c.DependsOn, e.Path, c.Path)
				}
			}
		}
		if !found {
			var have []string
			for _, e := range g.DependsOn(s.Commits[c.Commit]) {
				have = append(have, string(e.Kind)+" -> "+names[e.DependsOn]+" "+e.Path)
			}
			t.Errorf("case %s %s -> %s (%s): no such edge; %s has %q", c.Kind, c.Commit, c.DependsOn, c.Evidence, c.Commit, have)
		}
	}
	if testing.Verbose() {
		for _, e := range g.Edges() {
			t.Logf("%-34s -> %-30s %-8s %s:%s [%s]", names[e.Commit], names[e.DependsOn], e.Kind, e.Path, e.LinesText(), e.Evidence)
		}
		t.Logf("notes: %q", g.Notes)
	}
}

// TestStoryHardEdgesMatchGit: a non-merge commit has a hard dependency
// exactly when git cannot cherry-pick it alone onto the base (it conflicts,
// or applies as an empty change), as the story records from git itself
// (internal/fixturetest checks those lists against the git binary).
func TestStoryHardEdgesMatchGit(t *testing.T) {
	s, g, names := storyGraph(t)
	var hard []string
	for _, c := range g.Commits {
		if c.Merge {
			continue
		}
		if len(g.DependsOn(c.Hash, deps.HardKinds...)) > 0 {
			hard = append(hard, names[c.Hash])
		}
	}
	want := append(slices.Clone(s.AloneConflicts), s.AloneEmpty...)
	sort.Strings(hard)
	sort.Strings(want)
	if !slices.Equal(hard, want) {
		t.Errorf("commits with a hard dependency:\n%s\ngit fails to cherry-pick alone:\n%s", strings.Join(hard, " "), strings.Join(want, " "))
	}
}

// TestDependenciesByIndex: Dependencies gives, for every commit, the edges
// DependsOn gives, in the same order, each with its target's range index.
func TestDependenciesByIndex(t *testing.T) {
	s := gittest.Story(t)
	repo, rng := gittest.ReadRange(t, s.Dir, s.Base+".."+s.Head)
	g, err := deps.Build(context.Background(), repo, rng, deps.Options{CacheDir: "off"})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, kinds := range [][]deps.Kind{nil, {deps.Line, deps.Symbol}} {
		for i, c := range g.Commits {
			want := g.DependsOn(c.Hash, kinds...)
			var got []deps.Edge
			for j, e := range g.Dependencies(i, kinds...) {
				if k, _ := g.Index(e.DependsOn); k != j {
					t.Errorf("%s -> %s: index %d, want %d", c.Short(), e.DependsOn, j, k)
				}
				got = append(got, *e)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: Dependencies %v, DependsOn %v", c.Short(), got, want)
			}
			seen += len(got)
		}
	}
	if seen == 0 {
		t.Fatal("no edge: the test checks nothing")
	}
}
