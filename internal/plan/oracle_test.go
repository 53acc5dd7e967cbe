package plan_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

var dev = repos.Person{Name: "Dana Dev", Email: "dana@example.com"}

// lines returns "prefix 01\n" ... "prefix NN\n".
func lines(prefix string, n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%s %02d\n", prefix, i)
	}
	return sb.String()
}

func edit(path, prefix string, line int, by string) repos.Change {
	old := fmt.Sprintf("%s %02d\n", prefix, line)
	return repos.Edit(path, old, strings.TrimSuffix(old, "\n")+" edited by "+by+"\n")
}

// dedicated is a fixture with one case of each kind the story lacks or has
// only once: a long chain of adjacent edits, a binary file changed twice, a
// deleted file re-created, a created file edited, a rename with edits, a
// merge resolving a conflict with a commit after it on its lines, a revert,
// a fixup!, a symbol used far from where it is defined.
type dedicated struct {
	dir   string
	names map[plumbing.Hash]string
	byN   map[string]plumbing.Hash
}

func buildDedicated(t *testing.T) *dedicated {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dedicated")
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := &dedicated{dir: dir, names: map[plumbing.Hash]string{}, byN: map[string]plumbing.Hash{}}
	must := func(name string, h plumbing.Hash, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		d.names[h], d.byN[name] = name, h
	}
	commit := func(name, msg string, changes ...repos.Change) {
		t.Helper()
		if msg == "" {
			msg = name
		}
		h, err := b.Commit(dev, msg, changes...)
		must(name, h, err)
	}
	commit("base", "base",
		repos.Write("chain.txt", lines("chain", 40)), repos.Write("other.txt", lines("other", 40)),
		repos.WriteBytes("logo.bin", []byte("\x89BIN\x00\x01\x02")), repos.Write("gone.txt", "to be deleted\n"),
		repos.Write("mv.txt", lines("mv", 30)))
	if err := b.Tag("base"); err != nil {
		t.Fatal(err)
	}
	// A long chain: each commit edits the line right after the previous one's.
	for i := 1; i <= 3; i++ {
		commit(fmt.Sprintf("chain%02d", i), "", edit("chain.txt", "chain", 4+i, fmt.Sprintf("chain%02d", i)))
	}
	if err := b.Checkout("side", "main"); err != nil {
		t.Fatal(err)
	}
	commit("side1", "", edit("chain.txt", "chain", 30, "side1"), edit("other.txt", "other", 5, "side1"))
	if err := b.Checkout("main", ""); err != nil {
		t.Fatal(err)
	}
	for i := 4; i <= 12; i++ {
		commit(fmt.Sprintf("chain%02d", i), "", edit("chain.txt", "chain", 4+i, fmt.Sprintf("chain%02d", i)))
	}
	commit("other5", "", edit("other.txt", "other", 5, "other5"))
	commit("indep", "indep: a change nobody touches again", edit("other.txt", "other", 30, "indep"))
	commit("bin1", "", repos.WriteBytes("logo.bin", []byte("\x89BIN\x00\x03")))
	commit("bin2", "", repos.WriteBytes("logo.bin", []byte("\x89BIN\x00\x04\x05")))
	commit("del", "", repos.Delete("gone.txt"))
	commit("recreate", "", repos.Write("gone.txt", "back again, different\n"))
	commit("new1", "", repos.Write("new.txt", lines("new", 5)))
	commit("new2", "", edit("new.txt", "new", 2, "new2"))
	commit("ren", "", repos.Rename("mv.txt", "moved/mv.txt"), edit("moved/mv.txt", "mv", 3, "ren"))
	commit("renfar", "", edit("moved/mv.txt", "mv", 20, "renfar"))
	commit("renline", "", repos.Edit("moved/mv.txt", "mv 03 edited by ren\n", "mv 03 edited by ren and renline\n"))
	resolved := strings.Replace(lines("other", 40), "other 05\n", "other 05 resolved by merge\n", 1)
	resolved = strings.Replace(resolved, "other 30\n", "other 30 edited by indep\n", 1)
	h, err := b.Merge(dev, "Merge branch 'side'", "side", repos.Write("other.txt", resolved))
	must("merge", h, err)
	commit("after", "", repos.Edit("other.txt", "other 05 resolved by merge\n", "other 05 after the merge\n"))
	hIndep := d.byN["indep"]
	commit("revert", fmt.Sprintf("Revert \"indep: a change nobody touches again\"\n\nThis reverts commit %s.", hIndep),
		repos.Edit("other.txt", "other 30 edited by indep\n", "other 30\n"))
	commit("fixup", "fixup! chain05", repos.Edit("chain.txt", "chain 09 edited by chain05\n", "chain 09 edited by chain05 and fixed\n"))
	commit("sym1", "", repos.Write("limits.go", "package main\n\nconst MAGIC_LIMIT_42 = 42\n"))
	commit("sym2", "", repos.Write("main.go", "package main\n\nfunc main() { println(MAGIC_LIMIT_42) }\n"))
	if err := b.Finish("main"); err != nil {
		t.Fatal(err)
	}
	return d
}

// gitRepo runs git in a throwaway clone, isolated from the user's config.
type gitRepo struct {
	t   *testing.T
	dir string
}

func cloneForPicks(t *testing.T, src string) *gitRepo {
	t.Helper()
	gittest.NeedGit(t)
	g := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "work")}
	g.must("", "clone", "-q", "--no-checkout", src, g.dir)
	return g
}

func (g *gitRepo) must(dir string, args ...string) string {
	g.t.Helper()
	return strings.TrimSpace(gittest.Git(g.t, dir, args...))
}

// outcome of cherry-picking onto base.
type outcome string

const (
	clean    outcome = "clean"
	conflict outcome = "conflict"
	empty    outcome = "empty"
)

// pick resets the clone to base and cherry-picks commits in order.
func (g *gitRepo) pick(base string, commits []plumbing.Hash) (outcome, string) {
	g.t.Helper()
	gittest.TryGit(g.t, g.dir, "cherry-pick", "--abort")
	g.must(g.dir, "checkout", "-q", "-f", "--detach", base)
	g.must(g.dir, "clean", "-q", "-fdx")
	for _, h := range commits {
		out, code := gittest.TryGit(g.t, g.dir, "cherry-pick", "--allow-empty", h.String())
		if code == 0 {
			continue
		}
		if strings.Contains(out, "is now empty") || strings.Contains(out, "nothing to commit") {
			return empty, h.String()
		}
		return conflict, h.String() + ": " + out
	}
	return clean, ""
}

func readFixture(t *testing.T, dir, spec string) (*vcs.Repo, *vcs.Range, *deps.Graph) {
	t.Helper()
	repo, rng := gittest.ReadRange(t, dir, spec)
	g, err := deps.Build(context.Background(), repo, rng, deps.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return repo, rng, g
}

// unclassified gives every commit a class of its own name, so selectors can
// pick single commits.
func unclassified(rng *vcs.Range, names map[plumbing.Hash]string) []classify.Result {
	out := make([]classify.Result, len(rng.Commits))
	for i, c := range rng.Commits {
		out[i] = classify.Result{Commit: c, Class: names[c.Hash]}
		if c.Merge {
			out[i].Class = "merge"
		}
	}
	return out
}

// TestDedicatedFixtureAgainstGit is the oracle of both stages on a fixture
// with every case: each commit alone onto the base conflicts (or applies as
// nothing) exactly when the graph gives it a hard dependency; and for every
// commit, the pull plan keeping it alone cherry-picks cleanly in order,
// unless the plan warned that picks cross a conflict a merge resolved.
func TestDedicatedFixtureAgainstGit(t *testing.T) {
	d := buildDedicated(t)
	_, rng, g := readFixture(t, d.dir, "base..main")
	git := cloneForPicks(t, d.dir)
	results := unclassified(rng, d.names)

	expectEdges := map[string]string{
		"chain12->chain11": "adjacent", "bin2->bin1": "line", "recreate->del": "file", "new2->new1": "line",
		"renfar->ren": "rename", "renline->ren": "line", "after->merge": "line", "merge->other5": "line", "merge->side1": "line",
		"revert->indep": "revert", "fixup->chain05": "revert", "sym2->sym1": "symbol",
	}
	have := map[string]bool{}
	for _, e := range g.Edges() {
		have[d.names[e.Commit]+"->"+d.names[e.DependsOn]+":"+string(e.Kind)] = true
	}
	for pair, kind := range expectEdges {
		if !have[pair+":"+kind] {
			t.Errorf("missing edge %s (%s)", pair, kind)
		}
	}

	var mismatches []string
	for _, c := range rng.Commits {
		if c.Merge {
			continue
		}
		got, _ := git.pick("base", []plumbing.Hash{c.Hash})
		hard := len(g.DependsOn(c.Hash, deps.HardKinds...)) > 0
		if (got != clean) != hard {
			mismatches = append(mismatches, fmt.Sprintf("%s alone: git says %s, graph says hard dependency %v (%v)", d.names[c.Hash], got, hard, g.DependsOn(c.Hash)))
		}
	}
	for _, m := range mismatches {
		t.Error(m)
	}

	for _, c := range rng.Commits {
		if c.Merge {
			continue
		}
		name := d.names[c.Hash]
		p, err := plan.Build(plan.Input{Graph: g, Results: results}, plan.Options{Keep: []string{"class:" + name}})
		if err != nil {
			t.Fatal(err)
		}
		got, detail := git.pick("base", p.Picks)
		warned := false
		for _, w := range p.Warnings {
			if w.Kind == "merge-conflict" || w.Kind == "merge-resolution" {
				warned = true
			}
		}
		var picked []string
		for _, h := range p.Picks {
			picked = append(picked, d.names[h])
		}
		switch {
		case got != clean && !warned:
			t.Errorf("keep %s: picks %v do not apply (%s: %s) and the plan did not warn", name, picked, got, detail)
		case got == clean && warned && testing.Verbose():
			t.Logf("keep %s: warned of a merge conflict, but the picks applied", name)
		}
	}
}

// TestStoryPlansApply: on the story, the plans a tech lead would ask for
// cherry-pick cleanly onto v1.4.0 in the order given.
func TestStoryPlansApply(t *testing.T) {
	s := gittest.Story(t)
	_, rng, g := readFixture(t, s.Dir, s.Base+".."+s.Head)
	results := storyResults(t, s, rng)
	git := cloneForPicks(t, s.Dir)
	names := storyNames(s)
	for _, opts := range []plan.Options{
		{Keep: []string{"class:recette-fix", "class:prod-fix"}},
		{Keep: []string{"class:recette-fix", "class:prod-fix"}, With: []deps.Kind{deps.Rename, deps.Symbol}},
		{Keep: []string{"class:recette-fix", "class:prod-fix"}, Strategy: plan.StrategyPrune},
		{Keep: []string{"class:prod-fix"}},
		{Drop: []string{"class:feature"}, Strategy: plan.StrategyPrune},
		{Keep: []string{"ticket:PAY-110"}},
	} {
		p, err := plan.Build(plan.Input{Graph: g, Results: results}, opts)
		if err != nil {
			t.Fatal(err)
		}
		got, detail := git.pick(s.Base, p.Picks)
		var picked []string
		for _, h := range p.Picks {
			picked = append(picked, names[h])
		}
		if got != clean {
			t.Errorf("%+v: picks %v: %s at %s", opts, picked, got, detail)
		}
	}
}

func storyNames(s *repos.Story) map[plumbing.Hash]string {
	names := map[plumbing.Hash]string{}
	for n, h := range s.Commits {
		names[h] = n
	}
	return names
}

func sortedNames(names map[plumbing.Hash]string, hs []plumbing.Hash) []string {
	var out []string
	for _, h := range hs {
		out = append(out, names[h])
	}
	sort.Strings(out)
	return out
}
