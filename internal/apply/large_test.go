package apply

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// TestLargeReplayMatchesGit replays the benchmark's 500 picks with git
// cherry-pick -x and with Apply, and compares the final commit (so every
// tree, message and identity along the way). It takes a minute; -long runs it.
func TestLargeReplayMatchesGit(t *testing.T) {
	if !*long {
		t.Skip("run with -long")
	}
	gittest.NeedGit(t)
	g, err := repos.GenerateCached(repos.GenOptions{Seed: 42, Commits: 650, Files: 3000})
	if err != nil {
		t.Fatal(err)
	}
	repo, err := vcs.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	picks := benchPicks(t, repo, g, 500)
	st := &memStorer{Storer: repo.Storer(), objs: map[plumbing.Hash]plumbing.EncodedObject{}}
	res, err := Apply(context.Background(), st, g.Base, picks, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Git(t, filepath.Dir(clone), "clone", "-q", "--no-checkout", g.Dir, clone)
	gittest.Git(t, clone, "checkout", "-q", "-b", "pruned", g.Base.String())
	args := []string{"cherry-pick", "-x"}
	for _, p := range picks {
		args = append(args, p.String())
	}
	gittest.Git(t, clone, args...)
	head := strings.TrimSpace(gittest.Git(t, clone, "rev-parse", "HEAD"))
	if head != res.Head.String() {
		t.Fatalf("git ends at %s, Apply at %s", head, res.Head)
	}
}
