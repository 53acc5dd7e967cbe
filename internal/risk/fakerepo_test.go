package risk

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/internal/xdiff"
)

// fakeRepo is an in-memory history of text files: each commit's changes and
// hunks are computed from the contents, trees are path -> blob maps. It
// implements Trees.
type fakeRepo struct {
	trees   map[plumbing.Hash]map[string]plumbing.Hash
	blobs   map[plumbing.Hash][]byte
	state   map[string]string
	commits []*vcs.Commit
	ntree   int
}

func newFakeRepo(files map[string]string) *fakeRepo {
	r := &fakeRepo{trees: map[plumbing.Hash]map[string]plumbing.Hash{}, blobs: map[plumbing.Hash][]byte{}, state: map[string]string{}}
	for p, c := range files {
		r.state[p] = c
	}
	return r
}

func (r *fakeRepo) Files(tree plumbing.Hash) (map[string]plumbing.Hash, error) {
	t, ok := r.trees[tree]
	if !ok {
		return nil, fmt.Errorf("no tree %s", tree)
	}
	return t, nil
}

func (r *fakeRepo) Blob(h plumbing.Hash) ([]byte, error) {
	b, ok := r.blobs[h]
	if !ok {
		return nil, fmt.Errorf("no blob %s", h)
	}
	return b, nil
}

func (r *fakeRepo) blob(content string) plumbing.Hash {
	h := plumbing.ComputeHash(plumbing.BlobObject, []byte(content))
	r.blobs[h] = []byte(content)
	return h
}

// tree stores a snapshot of files and returns its hash.
func (r *fakeRepo) tree(files map[string]string) plumbing.Hash {
	r.ntree++
	h := hashOf(fmt.Sprintf("tree%d", r.ntree))
	t := map[string]plumbing.Hash{}
	for p, c := range files {
		t[p] = r.blob(c)
	}
	r.trees[h] = t
	return h
}

func (r *fakeRepo) head() plumbing.Hash { return r.tree(r.state) }

// commit sets files (a "" value deletes the file) and records the change.
func (r *fakeRepo) commit(id, author, msg string, files map[string]string) *vcs.Commit {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var changes []vcs.FileChange
	for _, p := range paths {
		old, had := r.state[p]
		now := files[p]
		f := vcs.FileChange{OldPath: p, NewPath: p, Status: vcs.Modified}
		switch {
		case !had:
			f.Status, f.OldPath = vcs.Added, ""
		case now == "":
			f.Status, f.NewPath = vcs.Deleted, ""
		}
		if had {
			f.OldHash = r.blob(old)
		}
		if now != "" {
			f.NewHash = r.blob(now)
			r.state[p] = now
		} else {
			delete(r.state, p)
		}
		for _, h := range xdiff.Diff([]byte(old), []byte(now), xdiff.DefaultOptions()) {
			f.Hunks = append(f.Hunks, vcs.Hunk{OldStart: h.OldStart, OldLines: h.OldLines, NewStart: h.NewStart, NewLines: h.NewLines})
			f.Added += h.NewLines
			f.Deleted += h.OldLines
		}
		changes = append(changes, f)
	}
	c := &vcs.Commit{Hash: hashOf(id), Message: msg + "\n", Subject: strings.SplitN(msg, "\n", 2)[0], Changes: changes,
		Author: vcs.Signature{Name: author, Email: author + "@example.com", When: t0.Add(time.Duration(len(r.commits)) * time.Hour)}}
	r.commits = append(r.commits, c)
	return c
}

// numbered is a file of n lines "1".."n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// edit replaces line `at` (1-based) of content by text.
func edit(content string, at int, text string) string {
	lines := strings.SplitAfter(content, "\n")
	lines[at-1] = text + "\n"
	return strings.Join(lines, "")
}
