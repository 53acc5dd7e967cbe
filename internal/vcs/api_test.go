package vcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/triage-dev/triage/testdata/repos"
)

// TestStoryMatchesGit reads the story repository's range, and its release
// branch, and compares everything with git.
func TestStoryMatchesGit(t *testing.T) {
	needGit(t)
	dir := filepath.Join(t.TempDir(), "story")
	s, err := repos.BuildStory(dir)
	check(t, err)
	rg := compareRangeWithGit(t, dir, s.Base, s.Head)
	if len(rg.Commits) != 45 {
		t.Errorf("%d commits in %s..%s, the story has 45", len(rg.Commits), s.Base, s.Head)
	}
	compareRangeWithGit(t, dir, s.Base, s.Release)
	compareRangeWithGit(t, dir, "", s.Head)
	// Packed, as a clone would be.
	runGit(t, dir, "repack", "-a", "-d", "-q")
	runGit(t, dir, "commit-graph", "write", "--reachable")
	compareRangeWithGit(t, dir, s.Base, s.Head)
}

// TestDiffTreesOfMerges diffs each merge of the story against each parent,
// as deps does, and compares with git diff-tree -M.
func TestDiffTreesOfMerges(t *testing.T) {
	needGit(t)
	dir := filepath.Join(t.TempDir(), "story")
	s, err := repos.BuildStory(dir)
	check(t, err)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	base, head, err := r.ParseRange(s.Base + ".." + s.Head)
	check(t, err)
	rg, err := r.ReadRange(t.Context(), base, head, ReadOptions{})
	check(t, err)
	merges := 0
	for _, c := range rg.Commits {
		if !c.Merge {
			continue
		}
		merges++
		for _, p := range c.Parents {
			pc, err := r.Commit(p)
			check(t, err)
			changes, err := r.DiffTrees(pc.Tree, c.Tree)
			check(t, err)
			compareChanges(t, dir, p.String(), c.Hash.String(), changes)
		}
	}
	if merges < 2 {
		t.Errorf("only %d merges in the story range", merges)
	}
	// The zero hash is the empty tree, on either side.
	root := rg.Commits[0]
	all, err := r.DiffTrees(plumbing.ZeroHash, root.Tree)
	check(t, err)
	compareChanges(t, dir, emptyTree.String(), root.Hash.String(), all)
	gone, err := r.DiffTrees(root.Tree, plumbing.ZeroHash)
	check(t, err)
	if len(gone) != len(all) || gone[0].Status != Deleted {
		t.Errorf("diff to the empty tree: %d changes, first %v", len(gone), gone[0].Status)
	}
}

func TestTreeFilesBlobsMergeBase(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	buildMerges(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	head, err := r.Resolve("HEAD")
	check(t, err)
	c, err := r.Commit(head)
	check(t, err)
	files, err := r.TreeFiles(c.Tree)
	check(t, err)
	var got []string
	for p, e := range files {
		got = append(got, fmt.Sprintf("%06o blob %s\t%s", e.Mode, e.Hash, p))
	}
	sort.Strings(got)
	want := strings.Split(strings.TrimSpace(runGit(t, dir, "ls-tree", "-r", c.Tree.String())), "\n")
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("TreeFiles differs from git ls-tree -r:\n%s\n---\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for p, e := range files {
		b, err := r.ReadBlob(e.Hash)
		check(t, err)
		if want := runGit(t, dir, "cat-file", "blob", e.Hash.String()); string(b) != want {
			t.Errorf("ReadBlob(%s) = %q, want %q", p, b, want)
		}
		b[0] = 'X' // a copy: the cache must not change
		if again, _ := r.ReadBlob(e.Hash); string(again) != runGit(t, dir, "cat-file", "blob", e.Hash.String()) {
			t.Errorf("ReadBlob returned shared memory")
		}
		break
	}
	co, err := r.CommitObject(head)
	check(t, err)
	if co.TreeHash != c.Tree || len(co.ParentHashes) != 2 {
		t.Errorf("CommitObject: tree %s, %d parents", co.TreeHash, len(co.ParentHashes))
	}
	for _, pair := range [][2]string{{"feature-a", "feature-b"}, {"main", "hotfix/PAY-111"}, {"feature-c", "v1"}, {"main", "main"}} {
		a, err := r.Resolve(pair[0])
		check(t, err)
		b, err := r.Resolve(pair[1])
		check(t, err)
		mb, err := r.MergeBase(a, b)
		check(t, err)
		if want := strings.TrimSpace(runGit(t, dir, "merge-base", pair[0], pair[1])); mb.String() != want {
			t.Errorf("MergeBase(%s, %s) = %s, git says %s", pair[0], pair[1], mb, want)
		}
	}
	branches, err := r.Branches()
	check(t, err)
	tags, err := r.Tags()
	check(t, err)
	if strings.Join(branches, " ") != "feature-a feature-b feature-c hotfix/PAY-111 main" || strings.Join(tags, " ") != "v1" {
		t.Errorf("branches %v, tags %v", branches, tags)
	}
}

// TestRenameLimit sets diff.renameLimit low: git then gives up inexact
// detection in commits with many candidates, and so must ReadRange.
func TestRenameLimit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	b, err := repos.New(dir)
	check(t, err)
	must := mustFor(t)
	var add, move []repos.Change
	for i := 0; i < 4; i++ {
		add = append(add, repos.Write(fmt.Sprintf("a/f%d.txt", i), numbered(fmt.Sprintf("file%d", i), 1, 20)))
		move = append(move, repos.Delete(fmt.Sprintf("a/f%d.txt", i)),
			repos.Write(fmt.Sprintf("b/g%d.txt", i), numbered(fmt.Sprintf("file%d", i), 1, 19)+"edited\n"))
	}
	must(b.Commit(alice, "add", add...))
	must(b.Commit(alice, "move with edits", move...))
	must(b.Commit(alice, "exact move", repos.Rename("b/g0.txt", "c/g0.txt"), repos.Rename("b/g1.txt", "c/g1.txt"),
		repos.Rename("b/g2.txt", "c/g2.txt")))
	check(t, b.Finish("main"))
	rg := compareRangeWithGit(t, dir, "", "HEAD")
	if rg.Commits[1].Changes[0].Status != Renamed {
		t.Fatalf("without a limit the moves are renames: %s", describeChanges(rg.Commits[1].Changes))
	}
	runGit(t, dir, "config", "diff.renameLimit", "2")
	rg = compareRangeWithGit(t, dir, "", "HEAD")
	if rg.Commits[1].Changes[0].Status == Renamed || rg.Commits[2].Changes[0].Status != Renamed {
		t.Errorf("with diff.renameLimit=2: %s / %s", describeChanges(rg.Commits[1].Changes), describeChanges(rg.Commits[2].Changes))
	}
}

func TestReadRangeProgressWorkersCancel(t *testing.T) {
	dir := t.TempDir()
	buildEdits(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	head, err := r.Resolve("HEAD")
	check(t, err)
	var calls, last atomic.Int64
	one, err := r.ReadRange(t.Context(), plumbing.ZeroHash, head, ReadOptions{Workers: 1, Progress: func(done, total int) {
		calls.Add(1)
		if int64(done) <= last.Load() || done > total {
			t.Errorf("progress %d/%d after %d", done, total, last.Load())
		}
		last.Store(int64(done))
	}})
	check(t, err)
	if calls.Load() != int64(len(one.Commits)) || last.Load() != int64(len(one.Commits)) {
		t.Errorf("progress called %d times, last %d, for %d commits", calls.Load(), last.Load(), len(one.Commits))
	}
	many, err := r.ReadRange(t.Context(), plumbing.ZeroHash, head, ReadOptions{Workers: 7})
	check(t, err)
	if fmt.Sprint(describeRange(one)) != fmt.Sprint(describeRange(many)) {
		t.Errorf("7 workers give another result than 1")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.ReadRange(ctx, plumbing.ZeroHash, head, ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
	// An empty range.
	empty, err := r.ReadRange(t.Context(), head, head, ReadOptions{})
	if err != nil || len(empty.Commits) != 0 || empty.Base != head || empty.Head != head {
		t.Errorf("empty range: %v, %d commits", err, len(empty.Commits))
	}
}

func describeRange(rg *Range) []string {
	var out []string
	for _, c := range rg.Commits {
		out = append(out, c.Hash.String()+" "+describeChanges(c.Changes)+" "+strconv.Itoa(len(c.Trailers)))
		for _, fc := range c.Changes {
			out = append(out, fmt.Sprint(fc.Hunks))
		}
	}
	return out
}

// TestCorruptObjects checks that damage gives errors that say so, not panics.
func TestCorruptObjects(t *testing.T) {
	dir := t.TempDir()
	_, h := buildRecette(t, dir)
	// Delete a blob the range needs.
	r, err := Open(dir)
	check(t, err)
	c, err := r.Commit(h["r2"])
	check(t, err)
	files, err := r.TreeFiles(c.Tree)
	check(t, err)
	r.Close()
	blob := files["r2.txt"].Hash.String()
	check(t, os.Remove(filepath.Join(dir, ".git", "objects", blob[:2], blob[2:])))
	r, err = Open(dir)
	check(t, err)
	defer r.Close()
	_, err = r.ReadRange(t.Context(), h["prod"], h["r3"], ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "r2.txt: blob "+blob+": object not found; the repository is incomplete (run git fsck, or fetch again)") {
		t.Errorf("missing blob: %v", err)
	}
	// A missing parent commit.
	p := h["r1"].String()
	check(t, os.Remove(filepath.Join(dir, ".git", "objects", p[:2], p[2:])))
	_, err = r.ReadRange(t.Context(), h["prod"], h["r3"], ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "parent "+p[:12]+" is missing; the repository is incomplete") {
		t.Errorf("missing commit: %v", err)
	}
}

// TestBigFileThreshold: files over core.bigFileThreshold are binary to git
// (numstat "-\t-"), and are not read; unless rename detection had to read
// them anyway (then git, and ReadRange, diff them as text).
func TestBigFileThreshold(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	b, err := repos.New(dir)
	check(t, err)
	must := mustFor(t)
	big := numbered("big", 1, 10)
	must(b.Commit(alice, "add", repos.Write("big.txt", big), repos.Write("small.txt", "small\n"), repos.Write("move.txt", big)))
	must(b.Commit(alice, "edit", repos.Edit("big.txt", "big line 3:", "BIG LINE 3:"), repos.Edit("small.txt", "small", "tiny"),
		repos.Rename("move.txt", "moved.txt"), repos.Edit("moved.txt", "big line 9:", "BIG LINE 9:")))
	check(t, b.Finish("main"))
	runGit(t, dir, "config", "core.bigFileThreshold", "100")
	rg := compareRangeWithGit(t, dir, "", "HEAD")
	for _, fc := range rg.Commits[1].Changes {
		if fc.Binary != (fc.Path() == "big.txt") {
			t.Errorf("%s: binary %v", fc.Path(), fc.Binary)
		}
	}
}

// TestScanBlob: ScanBlob reads every blob of a history as git cat-file
// does, packed whole or as a delta, or loose, reusing one buffer; a blob
// over maxSize comes back nil.
func TestScanBlob(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	gen, err := repos.Generate(dir, repos.GenOptions{Seed: 5, Commits: 60, Files: 12, MergeEvery: 6})
	check(t, err)
	// A loose object too, besides the generated pack.
	looseFile := filepath.Join(t.TempDir(), "loose.txt")
	check(t, os.WriteFile(looseFile, []byte("loose blob\n"), 0o644))
	loose := strings.TrimSpace(runGit(t, dir, "hash-object", "-w", looseFile))
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	rng, err := r.ReadRange(t.Context(), gen.Base, gen.Head, ReadOptions{})
	check(t, err)
	blobs := map[plumbing.Hash]bool{plumbing.NewHash(loose): true}
	for _, c := range rng.Commits {
		for _, fc := range c.Changes {
			blobs[fc.NewHash] = !fc.NewHash.IsZero()
		}
	}
	var buf []byte
	deltas := 0
	for h, ok := range blobs {
		if !ok {
			continue
		}
		want := runGit(t, dir, "cat-file", "blob", h.String())
		got, grown, err := r.ScanBlob(h, buf, int64(len(want)))
		check(t, err)
		buf = grown
		if string(got) != want {
			t.Fatalf("ScanBlob(%s) = %q, want %q", h, got, want)
		}
		if len(want) > 0 {
			if tooBig, _, err := r.ScanBlob(h, buf, int64(len(want)-1)); err != nil || tooBig != nil {
				t.Errorf("ScanBlob(%s) over maxSize: %q, %v", h, tooBig, err)
			}
		}
		if len(got) > 0 && (len(buf) == 0 || &got[0] != &buf[0]) {
			deltas++ // resolved from a delta, found in the cache, or loose: not in buf
		}
	}
	if deltas == 0 || deltas == len(blobs) {
		t.Errorf("%d of %d blobs read outside the buffer: the test should see both kinds", deltas, len(blobs))
	}
	if _, _, err := r.ScanBlob(plumbing.NewHash(loose[:39]+"0"), nil, 100); err == nil {
		t.Error("ScanBlob of a missing blob: no error")
	}
}
