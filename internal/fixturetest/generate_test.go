package fixturetest

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"testing"

	git2 "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

// Small enough for every test run, large enough for delta chains at their
// depth limit, renames, deletions, binary files and merges.
var smallGen = repos.GenOptions{Seed: 7, Commits: 300, Files: 60, Authors: 5, MergeEvery: 8}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := repos.Generate(filepath.Join(t.TempDir(), "a"), smallGen)
	if err != nil {
		t.Fatal(err)
	}
	b, err := repos.Generate(filepath.Join(t.TempDir(), "b"), smallGen)
	if err != nil {
		t.Fatal(err)
	}
	if a.Base != b.Base || a.Head != b.Head || a.Objects != b.Objects {
		t.Errorf("same options, different repositories: %+v\n%+v", a, b)
	}
	other := smallGen
	other.Seed++
	c, err := repos.Generate(filepath.Join(t.TempDir(), "c"), other)
	if err != nil {
		t.Fatal(err)
	}
	if c.Head == a.Head {
		t.Error("another seed gave the same history")
	}
	if a.Merges == 0 {
		t.Error("MergeEvery gave no merge")
	}
}

func TestGenerateMatchesGit(t *testing.T) {
	gittest.NeedGit(t)
	g, err := repos.Generate(filepath.Join(t.TempDir(), "gen"), smallGen)
	if err != nil {
		t.Fatal(err)
	}
	if out, code := gittest.TryGit(t, g.Dir, "fsck", "--strict", "--no-dangling"); code != 0 || out != "" {
		t.Fatalf("git fsck --strict: exit %d\n%s", code, out)
	}
	if got := git(t, g.Dir, "rev-list", "--count", "base..main"); got != strconv.Itoa(smallGen.Commits) {
		t.Errorf("base..main has %s commits, want %d", got, smallGen.Commits)
	}
	if got := git(t, g.Dir, "rev-list", "--count", "--merges", "base..main"); got != strconv.Itoa(g.Merges) {
		t.Errorf("base..main has %s merges, Generated says %d", got, g.Merges)
	}
	if got := git(t, g.Dir, "rev-parse", "base", "main"); got != g.Base.String()+"\n"+g.Head.String() {
		t.Errorf("refs: %s", got)
	}
	if got := git(t, g.Dir, "ls-tree", "-r", "main"); len(bytes.Split([]byte(got), []byte("\n"))) != g.Files {
		t.Errorf("Generated.Files = %d, git lists:\n%s", g.Files, got)
	}
	kinds := git(t, g.Dir, "log", "-M", "--format=", "--name-status", "base..main")
	for _, want := range []string{"\nA\t", "\nD\t", "\nR"} {
		if !bytes.Contains([]byte("\n"+kinds), []byte(want)) {
			t.Errorf("no %q change in base..main", want[1:])
		}
	}
	if numstat := git(t, g.Dir, "log", "--format=", "--numstat", "base..main"); !bytes.Contains([]byte("\n"+numstat), []byte("\n-\t-\t")) {
		t.Error("no binary change in base..main")
	}
	idx, err := filepath.Glob(filepath.Join(g.Dir, "objects", "pack", "pack-*.idx"))
	if err != nil || len(idx) != 1 {
		t.Fatalf("want one pack, found %v (%v)", idx, err)
	}
	stats := git(t, g.Dir, "verify-pack", "-s", idx[0])
	if !bytes.Contains([]byte(stats), []byte("chain length = 50:")) {
		t.Errorf("delta chains never reach git's depth limit:\n%s", stats)
	}
}

// TestGenerateReadableByGoGit reads every blob at HEAD through go-git (the
// reader triage uses), resolving delta chains, and checks the object names.
func TestGenerateReadableByGoGit(t *testing.T) {
	g, err := repos.Generate(filepath.Join(t.TempDir(), "gen"), smallGen)
	if err != nil {
		t.Fatal(err)
	}
	r, err := git2.PlainOpen(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.CommitObject(g.Head)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := head.Tree()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = tree.Files().ForEach(func(f *object.File) error {
		rd, err := f.Reader()
		if err != nil {
			return err
		}
		defer rd.Close()
		data, err := io.ReadAll(rd)
		if err != nil {
			return err
		}
		h := sha1.New()
		fmt.Fprintf(h, "blob %d\x00", len(data))
		h.Write(data)
		if got := fmt.Sprintf("%x", h.Sum(nil)); got != f.Hash.String() {
			return fmt.Errorf("%s: content hashes to %s, tree says %s", f.Name, got, f.Hash)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != g.Files {
		t.Errorf("read %d files, want %d", n, g.Files)
	}
	commits := 0
	iter, err := r.Log(&git2.LogOptions{From: g.Head})
	if err != nil {
		t.Fatal(err)
	}
	if err := iter.ForEach(func(*object.Commit) error { commits++; return nil }); err != nil {
		t.Fatal(err)
	}
	if commits != smallGen.Commits+5 {
		t.Errorf("go-git walks %d commits, want %d", commits, smallGen.Commits+5)
	}
}

func TestGenerateCheckout(t *testing.T) {
	gittest.NeedGit(t)
	opts := smallGen
	opts.Commits, opts.Checkout = 20, true
	g, err := repos.Generate(filepath.Join(t.TempDir(), "gen"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if out := git(t, g.Dir, "status", "--porcelain"); out != "" {
		t.Errorf("checked-out repository not clean:\n%s", out)
	}
}

func TestGenerateCached(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	opts := smallGen
	opts.Commits = 30
	a, err := repos.GenerateCached(opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := repos.GenerateCached(opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir != b.Dir || a.Head != b.Head || a.Base != b.Base {
		t.Errorf("cache returned another repository: %+v\n%+v", a, b)
	}
	fresh, err := repos.Generate(filepath.Join(t.TempDir(), "fresh"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Head != a.Head {
		t.Errorf("cached head %s, fresh head %s", a.Head, fresh.Head)
	}
	if _, err := git2.PlainOpen(a.Dir); err != nil {
		t.Errorf("cached repository does not open: %v", err)
	}
}

// BenchmarkGenerate measures the generator at the size of the foundation
// issue's reading benchmark: go test -bench Generate ./internal/fixturetest/
func BenchmarkGenerate(b *testing.B) {
	opts := repos.GenOptions{Seed: 1, Commits: 5000, Files: 2000, MergeEvery: 20}
	for i := 0; i < b.N; i++ {
		if _, err := repos.Generate(filepath.Join(b.TempDir(), strconv.Itoa(i)), opts); err != nil {
			b.Fatal(err)
		}
	}
}
