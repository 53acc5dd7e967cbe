package risk

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// HistoryReader is the part of *vcs.Repo that reads the history before BASE.
type HistoryReader interface {
	Commit(h plumbing.Hash) (*vcs.Commit, error)
	ReadRange(ctx context.Context, base, head plumbing.Hash, opts vcs.ReadOptions) (*vcs.Range, error)
}

// HistoryOptions bound the history read before BASE.
type HistoryOptions struct {
	// Window is how far back from BASE's commit date to read; 0 means
	// DefaultHistory (a year).
	Window time.Duration
	// MaxCommits caps the commits read (the newest are kept); 0 means
	// DefaultMaxHistory (20,000).
	MaxCommits int
	Progress   func(done, total int)
}

// HistoryInfo says what history the scores stand on, for the report.
type HistoryInfo struct {
	Since   time.Time `json:"since"`   // commits dated (committer date) from here to BASE
	Commits int       `json:"commits"` // commits read, merges included
	Capped  bool      `json:"capped"`  // MaxCommits cut the window short
	Shallow bool      `json:"shallow"` // a shallow clone cut the history short
}

// shallowRepo is implemented by *vcs.Repo: a shallow clone's history stops
// early, which shortens the past the scores learn from but breaks nothing.
type shallowRepo interface{ IsShallow() bool }

func isShallow(r HistoryReader) bool {
	s, ok := r.(shallowRepo)
	return ok && s.IsShallow()
}

// ReadHistory reads the commits before BASE (BASE included: it is the last
// commit production has) within the window, oldest first, with their changes,
// through the same fast range reader as the range itself. It walks BASE's
// first parents back to the first commit older than the window (or
// MaxCommits steps), reads that..BASE in one go, then keeps the commits dated
// inside the window, at most MaxCommits of them, the newest.
func ReadHistory(ctx context.Context, r HistoryReader, base plumbing.Hash, opts HistoryOptions) ([]*vcs.Commit, HistoryInfo, error) {
	window, maxCommits := opts.Window, opts.MaxCommits
	if window <= 0 {
		window = DefaultHistory
	}
	if maxCommits <= 0 {
		maxCommits = DefaultMaxHistory
	}
	tip, err := r.Commit(base)
	if err != nil {
		return nil, HistoryInfo{}, fmt.Errorf("risk: reading BASE %s for its history: %w", base, err)
	}
	since := tip.Committer.When.Add(-window)
	info := HistoryInfo{Since: since}
	boundary := plumbing.ZeroHash // zero: read to the root
	for c, steps := tip, 0; len(c.Parents) > 0; steps++ {
		if steps >= maxCommits {
			boundary, info.Capped = c.Hash, true
			break
		}
		p, err := r.Commit(c.Parents[0])
		if err != nil {
			if isShallow(r) {
				boundary, info.Shallow = c.Hash, true // the history the clone has starts after c
				break
			}
			return nil, info, fmt.Errorf("risk: walking the history before BASE (commit %s): %w", c.Parents[0], err)
		}
		if p.Committer.When.Before(since) {
			boundary = p.Hash
			break
		}
		c = p
	}
	rg, err := r.ReadRange(ctx, boundary, base, vcs.ReadOptions{Progress: opts.Progress})
	if err != nil {
		if isShallow(r) && ctx.Err() == nil {
			// A side branch reaches past the cut: score without a past rather than not at all.
			info.Shallow = true
			return nil, info, nil
		}
		return nil, info, fmt.Errorf("risk: reading the history before BASE: %w", err)
	}
	kept := make([]*vcs.Commit, 0, len(rg.Commits))
	for _, c := range rg.Commits {
		if !c.Committer.When.Before(since) {
			kept = append(kept, c)
		}
	}
	if len(kept) > maxCommits {
		kept, info.Capped = kept[len(kept)-maxCommits:], true
	}
	info.Commits = len(kept)
	return kept, info, nil
}
