package vcs

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// Range is a commit range read whole: the commits of BASE..HEAD, oldest
// first, in the order of git rev-list --topo-order --reverse.
type Range struct {
	Base, Head plumbing.Hash
	Commits    []*Commit
}

// ReadOptions tunes ReadRange.
type ReadOptions struct {
	// Progress, when set, is called as commits are read (done of total),
	// from worker goroutines, one call at a time.
	Progress func(done, total int)
	// Workers is the number of goroutines diffing commits; 0 means one per CPU.
	Workers int
}

// batchSize is how many consecutive commits a worker takes at once: enough to
// keep the blobs one commit leaves in the object cache useful to the next.
const batchSize = 8

// ReadRange reads the commits of base..head (every commit reachable from head
// when base is zero) with their metadata, and each non-merge commit's changes
// against its first parent (a root commit against the empty tree).
func (r *Repo) ReadRange(ctx context.Context, base, head plumbing.Hash, opts ReadOptions) (*Range, error) {
	nodes, err := r.revList(base, head)
	if err != nil {
		return nil, err
	}
	rg := &Range{Base: base, Head: head, Commits: make([]*Commit, len(nodes))}
	if len(nodes) == 0 {
		return rg, nil
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, (len(nodes)+batchSize-1)/batchSize)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		done     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := r.reader()
			defer r.release(rd)
			d := r.newDiffer(rd)
			for {
				start := int(next.Add(batchSize)) - batchSize
				if start >= len(nodes) {
					return
				}
				for i := start; i < min(start+batchSize, len(nodes)); i++ {
					if ctx.Err() != nil {
						return
					}
					c, err := readCommit(d, nodes[i])
					if err != nil {
						fail(err)
						return
					}
					rg.Commits[i] = c
					n := int(done.Add(1))
					if opts.Progress != nil {
						mu.Lock()
						opts.Progress(n, len(nodes))
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rg, nil
}

// readCommit parses one commit and, unless it is a merge, diffs it against
// its first parent.
func readCommit(d *differ, n *walkNode) (*Commit, error) {
	raw, err := d.rd.read(n.hash, plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	c, err := parseCommit(n.hash, raw)
	if err != nil {
		return nil, err
	}
	if c.Merge {
		return c, nil
	}
	parentTree := plumbing.ZeroHash
	if len(c.Parents) == 1 {
		if parentTree, err = d.commitTree(n, c.Parents[0]); err != nil {
			return nil, err
		}
	}
	if c.Changes, err = d.diff(parentTree, c.Tree); err != nil {
		return nil, fmt.Errorf("commit %s: %w", c.Short(), err)
	}
	if c.Changes == nil {
		c.Changes = []FileChange{}
	}
	return c, nil
}

// commitTree returns the tree of n's parent p, from the walk when it parsed it.
func (d *differ) commitTree(n *walkNode, p plumbing.Hash) (plumbing.Hash, error) {
	if len(n.parents) > 0 && n.parents[0].hash == p && n.parents[0].parsed {
		return n.parents[0].tree, nil
	}
	raw, err := d.rd.read(p, plumbing.CommitObject)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: parent: %w", n.hash.String()[:7], err)
	}
	pc, err := parseCommitHeader(p, raw)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return pc.tree, nil
}
