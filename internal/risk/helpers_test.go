package risk

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// Hand-built histories: commits and changes as vcs would report them, with
// fake but consistent blob hashes, so expected scores can be worked out by hand.

var t0 = time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)

func hashOf(s string) plumbing.Hash {
	var h plumbing.Hash
	copy(h[:], fmt.Sprintf("%-20s", s))
	return h
}

type hist struct {
	commits []*vcs.Commit
	n       int
}

func (h *hist) add(id, author, msg string, changes ...vcs.FileChange) *vcs.Commit {
	h.n++
	c := &vcs.Commit{Hash: hashOf(id), Message: msg + "\n", Subject: msg, Changes: changes,
		Author: vcs.Signature{Name: author, Email: author + "@example.com", When: t0.Add(time.Duration(h.n) * time.Hour)}}
	c.Committer = c.Author
	if len(h.commits) > 0 {
		c.Parents = []plumbing.Hash{h.commits[len(h.commits)-1].Hash}
	}
	h.commits = append(h.commits, c)
	return c
}

// added creates path with n lines, as blob "path@version".
func added(path, version string, n int) vcs.FileChange {
	return vcs.FileChange{Status: vcs.Added, NewPath: path, NewMode: 0o100644, NewHash: hashOf(path + "@" + version),
		Added: n, Hunks: []vcs.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: n}}}
}

// modified replaces del lines at line `at` by add lines, from version from to version to.
func modified(path, from, to string, at, del, add int) vcs.FileChange {
	h := vcs.Hunk{OldStart: at, OldLines: del, NewStart: at, NewLines: add}
	if del == 0 {
		h.OldStart = at - 1
	}
	if add == 0 {
		h.NewStart = at - 1
	}
	return vcs.FileChange{Status: vcs.Modified, OldPath: path, NewPath: path, OldMode: 0o100644, NewMode: 0o100644,
		OldHash: hashOf(path + "@" + from), NewHash: hashOf(path + "@" + to), Added: add, Deleted: del, Hunks: []vcs.Hunk{h}}
}

// withHunks builds a modification made of several hunks.
func withHunks(path, from, to string, hunks ...vcs.Hunk) vcs.FileChange {
	f := vcs.FileChange{Status: vcs.Modified, OldPath: path, NewPath: path, OldMode: 0o100644, NewMode: 0o100644,
		OldHash: hashOf(path + "@" + from), NewHash: hashOf(path + "@" + to), Hunks: hunks}
	for _, h := range hunks {
		f.Added += h.NewLines
		f.Deleted += h.OldLines
	}
	return f
}

func deleted(path, from string, n int) vcs.FileChange {
	return vcs.FileChange{Status: vcs.Deleted, OldPath: path, OldMode: 0o100644, OldHash: hashOf(path + "@" + from),
		Deleted: n, Hunks: []vcs.Hunk{{OldStart: 1, OldLines: n, NewStart: 0, NewLines: 0}}}
}

// noRepo stands for the repository of a hand-built history: deps reads
// nothing for text changes of commits whose parents are in the range.
type noRepo struct{}

var errNoRepo = errors.New("hand-built history: no repository to read")

func (noRepo) Commit(plumbing.Hash) (*vcs.Commit, error)                 { return nil, errNoRepo }
func (noRepo) DiffTrees(_, _ plumbing.Hash) ([]vcs.FileChange, error)    { return nil, errNoRepo }
func (noRepo) TreeFiles(plumbing.Hash) (map[string]vcs.TreeEntry, error) { return nil, errNoRepo }
func (noRepo) ReadBlob(plumbing.Hash) ([]byte, error)                    { return nil, errNoRepo }

// graphOf is deps' graph over a hand-built history, without symbol edges.
func graphOf(t testing.TB, commits []*vcs.Commit) *deps.Graph {
	t.Helper()
	return buildGraph(t, noRepo{}, &vcs.Range{Commits: commits})
}

// buildGraph is deps' graph without symbol edges, which risk does not read.
func buildGraph(t testing.TB, src deps.Source, rng *vcs.Range) *deps.Graph {
	t.Helper()
	g, err := deps.Build(context.Background(), src, rng, deps.Options{NoSymbols: true})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// edgesOf is deps' edges over a hand-built history, as risk reads them.
func edgesOf(t testing.TB, commits []*vcs.Commit) []Edge {
	t.Helper()
	return EdgesOf(graphOf(t, commits))
}

func factorMap(fs []Factor) map[string]Factor {
	m := map[string]Factor{}
	for _, f := range fs {
		m[f.Name] = f
	}
	return m
}
