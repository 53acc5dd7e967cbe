package risk

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// openStory opens a story repository for the test.
func openStory(t testing.TB, s *repos.Story) *vcs.Repo {
	t.Helper()
	r, err := vcs.Open(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func resolve(t testing.TB, r *vcs.Repo, rev string) plumbing.Hash {
	t.Helper()
	h, err := r.Resolve(rev)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// blameOwners returns, per line (1-based) of path at rev, the commit git blame names.
func blameOwners(t testing.TB, dir, rev, path string) map[int]string {
	out := gittest.Git(t, dir, "blame", "--porcelain", rev, "--", path)
	owners := map[int]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 3 && len(f[0]) == 40 && !strings.HasPrefix(sc.Text(), "\t") {
			if n, err := strconv.Atoi(f[2]); err == nil {
				owners[n] = f[0]
			}
		}
	}
	return owners
}

// TestOwnershipAgreesWithGitBlame: for every line a commit of the story
// changes or deletes, the owner its line edge names (deps' graph, through
// EdgesOf, as risk reads it) is the commit git blame names on the parent.
func TestOwnershipAgreesWithGitBlame(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.Story(t)
	r := openStory(t, s)
	rg, err := r.ReadRange(context.Background(), plumbing.ZeroHash, resolve(t, r, s.Head), vcs.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	edges := EdgesOf(buildGraph(t, r, rg))
	byHash := map[plumbing.Hash]*vcs.Commit{}
	for _, c := range rg.Commits {
		byHash[c.Hash] = c
	}
	blames := map[string]map[int]string{}
	checked := 0
	for _, e := range edges {
		c := byHash[e.Commit]
		if e.Kind != KindLine || e.Lines == "" || c.Merge {
			continue // a binary file has no lines; a merge's own lines are not its first parent's
		}
		key := c.Parents[0].String() + ":" + e.Path
		if blames[key] == nil {
			blames[key] = blameOwners(t, s.Dir, c.Parents[0].String(), e.Path)
		}
		for _, line := range linesOf(t, e.Lines) {
			checked++
			if got, want := e.DependsOn.String(), blames[key][line]; got != want {
				t.Errorf("%s (%s) changes %s line %d: edge says %s, git blame %s", c.Short(), c.Subject, e.Path, line, got[:7], want)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no line checked")
	}
	t.Logf("%d changed lines checked against git blame", checked)
}

// linesOf reads an edge's lines ("2-3, 7") back as line numbers.
func linesOf(t testing.TB, text string) []int {
	var out []int
	for _, part := range strings.Split(text, ", ") {
		from, to, _ := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(from)
		b, err2 := a, error(nil)
		if to != "" {
			b, err2 = strconv.Atoi(to)
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("edge lines %q", text)
		}
		for l := a; l <= b; l++ {
			out = append(out, l)
		}
	}
	return out
}

func TestScoreStory(t *testing.T) {
	s := gittest.Story(t)
	r := openStory(t, s)
	ctx := context.Background()
	base, head := resolve(t, r, s.Base), resolve(t, r, s.Head)
	history, info, err := ReadHistory(ctx, r, base, HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(history) == 0 || history[len(history)-1].Hash != base || info.Commits != len(history) || info.Capped {
		t.Fatalf("history: %d commits, info %+v", len(history), info)
	}
	rg, err := r.ReadRange(ctx, base, head, vcs.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	edges := EdgesOf(buildGraph(t, r, rg))
	got := ScoreCommits(Input{History: history, Commits: rg.Commits, Edges: edges})
	if len(got.Commits) != len(rg.Commits) {
		t.Fatalf("%d scores for %d commits", len(got.Commits), len(rg.Commits))
	}
	byName := map[string]CommitRisk{}
	for name, h := range s.Commits {
		for _, c := range got.Commits {
			if c.Commit.Hash == h {
				byName[name] = c
			}
		}
	}
	// The story reverts exchange-cache: the evidence must show.
	reverted := byName["feature-exchange-cache"]
	if f := factorMap(reverted.Factors)[FactorRevertedLater]; f.Points != revertedPoints {
		t.Errorf("feature-exchange-cache: reverted_later = %+v", f)
	}
	for _, c := range got.Commits {
		if c.Score < 0 || c.Score > 100 || (c.Level != Low && c.Level != Medium && c.Level != High) {
			t.Errorf("%s: score %d level %q", c.Commit.Short(), c.Score, c.Level)
		}
	}
	// A tiny cap still gives a consistent history.
	capped, info, err := ReadHistory(ctx, r, base, HistoryOptions{MaxCommits: 3})
	if err != nil || len(capped) != 3 || !info.Capped || capped[2].Hash != base {
		t.Errorf("capped history: %d commits, %+v, %v", len(capped), info, err)
	}
}

// TestHistoryOfAShallowClone: a clone cut short gives a shorter past, not an error.
func TestHistoryOfAShallowClone(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.NewStory(t) // tagged below
	clone := t.TempDir()
	gittest.Git(t, s.Dir, "tag", "cut", "v1.4.0~5")
	gittest.Git(t, clone, "clone", "--quiet", "--no-local", "--shallow-exclude=cut", "--branch", "recette", "file://"+s.Dir, "c")
	r, err := vcs.Open(clone + "/c")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.IsShallow() {
		t.Skip("the clone is not shallow")
	}
	history, info, err := ReadHistory(context.Background(), r, resolve(t, r, "v1.4.0"), HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !info.Shallow || len(history) == 0 || len(history) > 5 || len(history) != info.Commits {
		t.Errorf("shallow history: %d commits, %+v", len(history), info)
	}
}
