package risk

import (
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// TreeSource is the part of *vcs.Repo that reads trees and blobs.
type TreeSource interface {
	TreeFiles(tree plumbing.Hash) (map[string]vcs.TreeEntry, error)
	ReadBlob(h plumbing.Hash) ([]byte, error)
}

// RepoTrees adapts a repository to Trees, reading each tree once.
func RepoTrees(src TreeSource) Trees {
	return &repoTrees{src: src, cache: map[plumbing.Hash]map[string]plumbing.Hash{}}
}

type repoTrees struct {
	src   TreeSource
	mu    sync.Mutex
	cache map[plumbing.Hash]map[string]plumbing.Hash
}

func (t *repoTrees) Files(tree plumbing.Hash) (map[string]plumbing.Hash, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if files, ok := t.cache[tree]; ok {
		return files, nil
	}
	entries, err := t.src.TreeFiles(tree)
	if err != nil {
		return nil, err
	}
	files := make(map[string]plumbing.Hash, len(entries))
	for p, e := range entries {
		files[p] = e.Hash
	}
	t.cache[tree] = files
	return files, nil
}

func (t *repoTrees) Blob(h plumbing.Hash) ([]byte, error) { return t.src.ReadBlob(h) }
