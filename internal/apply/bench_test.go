package apply

import (
	"context"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// memStorer keeps new objects in memory, so the benchmark never writes
// into the shared cached repository.
type memStorer struct {
	storage.Storer
	mu   sync.Mutex
	objs map[plumbing.Hash]plumbing.EncodedObject
}

func (m *memStorer) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[o.Hash()] = o
	return o.Hash(), nil
}

func (m *memStorer) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	m.mu.Lock()
	o, ok := m.objs[h]
	m.mu.Unlock()
	if ok {
		return o, nil
	}
	return m.Storer.EncodedObject(t, h)
}

// benchPicks chooses n picks out of the generated range. The commits left
// out are ones no later commit builds on (each is the last to touch its
// files), spread over the range, so every pick applies, yet the branch being
// built differs from most picks' parents, as in real use.
func benchPicks(b testing.TB, repo *vcs.Repo, g *repos.Generated, n int) []plumbing.Hash {
	rng, err := repo.ReadRange(context.Background(), g.Base, g.Head, vcs.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	last := map[string]int{}
	for i, c := range rng.Commits {
		for _, ch := range c.Changes {
			last[ch.OldPath], last[ch.NewPath] = i, i
		}
	}
	var droppable []int
	for i, c := range rng.Commits {
		ok := !c.Merge
		for _, ch := range c.Changes {
			if last[ch.OldPath] != i || last[ch.NewPath] != i {
				ok = false
			}
		}
		if ok {
			droppable = append(droppable, i)
		}
	}
	drop := len(rng.Commits) - n
	if len(droppable) < drop {
		b.Fatalf("only %d of %d commits can be left out; need %d", len(droppable), len(rng.Commits), drop)
	}
	dropped := map[int]bool{}
	for k := 0; k < drop; k++ {
		dropped[droppable[k*len(droppable)/drop]] = true
	}
	var picks []plumbing.Hash
	for i, c := range rng.Commits {
		if !dropped[i] {
			picks = append(picks, c.Hash)
		}
	}
	return picks
}

// BenchmarkApply500Picks replays 500 picks onto a 3,000-file repository.
func BenchmarkApply500Picks(b *testing.B) {
	g, err := repos.GenerateCached(repos.GenOptions{Seed: 42, Commits: 650, Files: 3000})
	if err != nil {
		b.Fatal(err)
	}
	repo, err := vcs.Open(g.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer repo.Close()
	picks := benchPicks(b, repo, g, 500)
	opts := testOptions()
	opts.DryRun = true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st := &memStorer{Storer: repo.Storer(), objs: map[plumbing.Hash]plumbing.EncodedObject{}}
		res, err := Apply(context.Background(), st, g.Base, picks, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Applied)+len(res.Skipped) != len(picks) {
			b.Fatalf("%d applied, %d skipped", len(res.Applied), len(res.Skipped))
		}
	}
	b.ReportMetric(float64(len(picks)*b.N)/b.Elapsed().Seconds(), "picks/s")
}
