package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage"

	"github.com/triage-dev/triage/internal/apply"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/risk"
	"github.com/triage-dev/triage/internal/vcs"
)

// assessPlan replays the plan's picks onto --onto in memory (as triage apply
// --dry-run, but writing nothing to the repository), and measures the pruned branch.
func assessPlan(ctx context.Context, s *session, p *plan.Plan, onto plumbing.Hash,
	history []*vcs.Commit, edges []risk.Edge, isFix risk.FixFunc) (*risk.PlanRisk, error) {
	var err error
	in := risk.PlanInput{Commits: s.rng.Commits, Kept: p.Picks, Edges: edges, IsFix: isFix, History: history,
		Tickets: map[plumbing.Hash][]string{}}
	for _, c := range p.Commits {
		if c.Decision == plan.Drop {
			in.Dropped = append(in.Dropped, c.Result.Commit.Hash)
		}
		in.Tickets[c.Result.Commit.Hash] = c.Result.Tickets
	}
	treeOf := func(h plumbing.Hash) (plumbing.Hash, error) {
		c, err := s.repo.Commit(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return c.Tree, nil
	}
	if in.OntoTree, err = treeOf(onto); err != nil {
		return nil, err
	}
	if in.HeadTree, err = treeOf(s.rng.Head); err != nil {
		return nil, err
	}
	if onto != s.rng.Base {
		if in.BaseTree, err = treeOf(s.rng.Base); err != nil {
			return nil, err
		}
	}
	mem := newMemOverlay(s.repo.Storer())
	res, err := apply.Apply(ctx, mem, onto, p.Picks, apply.Options{DryRun: true, Reproducible: true,
		Committer: &apply.Identity{Name: "triage risk", Email: "triage@localhost"}})
	var conflict *apply.ConflictError
	switch {
	case errors.As(err, &conflict):
		in.Conflict = conflict.Error()
	case err != nil:
		return nil, fmt.Errorf("risk: replaying the plan's picks onto %s: %w", onto.String()[:7], err)
	default:
		in.PrunedTree = res.Tree
		if len(p.Picks) == 0 {
			in.PrunedTree = in.OntoTree
		}
	}
	in.Trees = &prunedTrees{repo: risk.RepoTrees(s.repo), mem: mem, pruned: in.PrunedTree}
	return risk.AssessPlan(in)
}

// memOverlay lets apply write the pruned branch's objects in memory: reads
// fall through to the repository, writes never reach it, refs are refused.
type memOverlay struct {
	storage.Storer
	mu   sync.RWMutex
	objs map[plumbing.Hash]plumbing.EncodedObject
}

func newMemOverlay(st storage.Storer) *memOverlay {
	return &memOverlay{Storer: st, objs: map[plumbing.Hash]plumbing.EncodedObject{}}
}

func (m *memOverlay) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	h := o.Hash()
	m.mu.Lock()
	m.objs[h] = o
	m.mu.Unlock()
	return h, nil
}

func (m *memOverlay) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	m.mu.RLock()
	o, ok := m.objs[h]
	m.mu.RUnlock()
	if ok {
		if t != plumbing.AnyObject && o.Type() != t {
			return nil, plumbing.ErrObjectNotFound
		}
		return o, nil
	}
	return m.Storer.EncodedObject(t, h)
}

func (m *memOverlay) HasEncodedObject(h plumbing.Hash) error {
	m.mu.RLock()
	_, ok := m.objs[h]
	m.mu.RUnlock()
	if ok {
		return nil
	}
	return m.Storer.HasEncodedObject(h)
}

func (m *memOverlay) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	m.mu.RLock()
	o, ok := m.objs[h]
	m.mu.RUnlock()
	if ok {
		return o.Size(), nil
	}
	return m.Storer.EncodedObjectSize(h)
}

var errRiskWritesNoRef = errors.New("triage risk never writes references")

func (m *memOverlay) SetReference(*plumbing.Reference) error { return errRiskWritesNoRef }
func (m *memOverlay) CheckAndSetReference(*plumbing.Reference, *plumbing.Reference) error {
	return errRiskWritesNoRef
}
func (m *memOverlay) RemoveReference(plumbing.ReferenceName) error { return errRiskWritesNoRef }

// prunedTrees reads the repository's trees through vcs, and the pruned
// tree, which exists only in memory, through the overlay.
type prunedTrees struct {
	repo   risk.Trees
	mem    *memOverlay
	pruned plumbing.Hash
}

func (t *prunedTrees) Files(tree plumbing.Hash) (map[string]plumbing.Hash, error) {
	if tree != t.pruned {
		return t.repo.Files(tree)
	}
	root, err := object.GetTree(t.mem, tree)
	if err != nil {
		return nil, err
	}
	files := map[string]plumbing.Hash{}
	w := object.NewTreeWalker(root, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return files, nil
			}
			return nil, err
		}
		if e.Mode != filemode.Dir {
			files[name] = e.Hash
		}
	}
}

func (t *prunedTrees) Blob(h plumbing.Hash) ([]byte, error) {
	t.mem.mu.RLock()
	_, ok := t.mem.objs[h]
	t.mem.mu.RUnlock()
	if !ok {
		return t.repo.Blob(h)
	}
	b, err := object.GetBlob(t.mem, h)
	if err != nil {
		return nil, err
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

var _ storer.EncodedObjectStorer = (*memOverlay)(nil)
