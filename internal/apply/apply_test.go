package apply

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

var ann = repos.Person{Name: "Ann Dev", Email: "ann@example.com"}

// fixture: main has a file; "feature" adds two commits on top, the second
// of which conflicts with main's last change when picked alone.
type fixture struct {
	dir                string
	repo               *git.Repository
	base, main         plumbing.Hash
	pickClean, pickBad plumbing.Hash
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir}
	lines := "one\ntwo\nthree\nfour\nfive\nsix\nseven\n"
	if f.base, err = b.Commit(ann, "base", repos.Write("a.txt", lines), repos.Write("b.txt", "b\n"),
		repos.WriteMode("run.sh", "#!/bin/sh\necho ok\n", filemode.Executable), repos.Symlink("link", "a.txt"),
		repos.Write("sub/deep.txt", "deep\n")); err != nil {
		t.Fatal(err)
	}
	if err := b.Checkout("feature", "main"); err != nil {
		t.Fatal(err)
	}
	if f.pickClean, err = b.Commit(ann, "Add c", repos.Write("c.txt", "c\n")); err != nil {
		t.Fatal(err)
	}
	if f.pickBad, err = b.Commit(ann, "Change three", repos.Edit("a.txt", "three", "THREE (feature)")); err != nil {
		t.Fatal(err)
	}
	if err := b.Checkout("main", "main"); err != nil {
		t.Fatal(err)
	}
	if f.main, err = b.Commit(ann, "Change three on main", repos.Edit("a.txt", "three", "3 (main)")); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish("main"); err != nil {
		t.Fatal(err)
	}
	f.repo = b.Repo
	return f
}

func (f *fixture) branch(t *testing.T, name string) (plumbing.Hash, bool) {
	t.Helper()
	r, err := git.PlainOpen(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName(name), true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return ref.Hash(), true
}

// snapshot is what Apply must never change: HEAD, the index and the
// working tree.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	s := map[string]string{}
	for _, p := range []string{".git/HEAD", ".git/index"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		s[p] = string(b)
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == ".git" {
			return filepath.SkipDir
		}
		if info, err := os.Lstat(p); err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			s[rel] = info.Mode().String() + ":" + string(b) + ":" + info.ModTime().String()
		}
		return nil
	})
	return s
}

func TestApplyWritesBranchAndLeavesWorktreeAlone(t *testing.T) {
	f := newFixture(t)
	before := snapshot(t, f.dir)
	opts := testOptions()
	opts.Branch = "pruned"
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := f.branch(t, "pruned"); !ok || got != res.Head || !res.RefWritten {
		t.Fatalf("branch pruned = %s (exists %v), want %s", got, ok, res.Head)
	}
	c, err := f.repo.CommitObject(res.Head)
	if err != nil {
		t.Fatalf("the new commit is not in the repository: %v", err)
	}
	if want := "Add c\n\n(cherry picked from commit " + f.pickClean.String() + ")\n"; c.Message != want {
		t.Fatalf("message %q, want %q", c.Message, want)
	}
	if c.Committer.Name != gittest.CommitterName || !c.Committer.When.Equal(testNow) || c.Author.Name != ann.Name {
		t.Fatalf("author %v committer %v", c.Author, c.Committer)
	}
	after := snapshot(t, f.dir)
	if len(before) != len(after) {
		t.Fatalf("the worktree changed: %d entries before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("%s changed", k)
		}
	}
}

func TestApplyRefusesExistingBranchWithoutForce(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.Branch = "feature"
	old, _ := f.branch(t, "feature")
	_, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	want := "branch 'feature' exists at " + old.String()[:7] + "; pass --force to replace it, or choose another --branch"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	if got, _ := f.branch(t, "feature"); got != old {
		t.Fatal("the branch moved")
	}
	opts.Force = true
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.branch(t, "feature"); got != res.Head || res.Replaced != old {
		t.Fatalf("with --force the branch is %s, want %s (replaced %s)", got, res.Head, res.Replaced)
	}
}

func TestApplyRefusesCheckedOutBranch(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.Branch, opts.Force = "main", true
	_, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err == nil || !strings.Contains(err.Error(), "is checked out") {
		t.Fatalf("error %v", err)
	}
}

func TestApplyBranchNameIsChecked(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"a..b", "-x", "has space", "x.lock", "a/", "@"} {
		opts := testOptions()
		opts.Branch = name
		if _, err := Apply(context.Background(), f.repo.Storer, f.main, nil, opts); err == nil || !strings.Contains(err.Error(), "not a valid branch name") {
			t.Errorf("%q: error %v", name, err)
		}
	}
}

func countObjects(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(filepath.Join(dir, ".git", "objects"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestDryRunWritesObjectsButNoRef(t *testing.T) {
	f := newFixture(t)
	opts := testOptions()
	opts.Branch, opts.DryRun = "pruned", true
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.branch(t, "pruned"); ok || res.RefWritten {
		t.Fatal("a dry run wrote the branch")
	}
	if _, err := f.repo.CommitObject(res.Head); err != nil {
		t.Fatalf("a dry run must still write the objects: %v", err)
	}
}

func TestConflictWritesNothing(t *testing.T) {
	f := newFixture(t)
	objects := countObjects(t, f.dir)
	opts := testOptions()
	opts.Branch = "pruned"
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean, f.pickBad}, opts)
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a conflict", err)
	}
	if _, ok := f.branch(t, "pruned"); ok || res.RefWritten {
		t.Fatal("a conflict wrote the branch")
	}
	if n := countObjects(t, f.dir); n != objects {
		t.Fatalf("a conflict wrote %d objects", n-objects)
	}
	c := res.Conflict
	if c.Commit != f.pickBad || c.Index != 1 || len(res.Applied) != 1 || !res.Head.IsZero() {
		t.Fatalf("conflict %+v, applied %d", c, len(res.Applied))
	}
	if len(c.Paths) != 1 || c.Paths[0].Path != "a.txt" || c.Paths[0].Kind != "content" {
		t.Fatalf("paths %+v", c.Paths)
	}
	// Line 3 ("three") of the pick's parent is what both sides changed.
	want := []ConflictRegion{{Base: LineRange{3, 1}, Ours: LineRange{3, 1}, Theirs: LineRange{3, 1}}}
	if got := c.Paths[0].Regions; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("regions %+v, want %+v", got, want)
	}
	if !strings.Contains(c.Paths[0].Message, "CONFLICT (content): Merge conflict in a.txt") {
		t.Fatalf("message %q", c.Paths[0].Message)
	}
	if ce.Error() != "commit "+f.pickBad.String()[:7]+" does not apply: conflict in a.txt" {
		t.Fatalf("error text %q", ce.Error())
	}
}

func TestModifyDeleteConflictCoversTheWholeFile(t *testing.T) {
	dir := t.TempDir()
	b, _ := repos.New(dir)
	base, _ := b.Commit(ann, "base", repos.Write("gone.txt", "1\n2\n3\n"), repos.Write("keep", "k\n"))
	b.Checkout("side", "main")
	pick, _ := b.Commit(ann, "edit", repos.Edit("gone.txt", "2", "two"))
	b.Checkout("main", "main")
	ours, _ := b.Commit(ann, "delete", repos.Delete("gone.txt"))
	_ = base
	res, err := Apply(context.Background(), b.Repo.Storer, ours, []plumbing.Hash{pick}, testOptions())
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v", err)
	}
	p := res.Conflict.Paths[0]
	if p.Kind != "modify/delete" || p.Path != "gone.txt" || !p.WholeFile || len(p.Regions) != 1 || p.Regions[0].Base != (LineRange{1, 3}) {
		t.Fatalf("%+v", p)
	}
}

func TestReproducibleGivesTheSameSHAs(t *testing.T) {
	f := newFixture(t)
	var heads []plumbing.Hash
	for i := 0; i < 2; i++ {
		opts := testOptions()
		opts.Reproducible = true
		opts.Now = func() time.Time { return time.Now().Add(time.Duration(i) * time.Hour) }
		res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
		if err != nil {
			t.Fatal(err)
		}
		heads = append(heads, res.Head)
		c, _ := f.repo.CommitObject(res.Head)
		if !c.Committer.When.Equal(c.Author.When) {
			t.Fatalf("committer date %v, author date %v", c.Committer.When, c.Author.When)
		}
	}
	if heads[0] != heads[1] {
		t.Fatalf("two reproducible runs gave %s and %s", heads[0], heads[1])
	}
}

func TestAlreadyAppliedIsSkipped(t *testing.T) {
	f := newFixture(t)
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean, f.pickClean}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 1 || len(res.Skipped) != 1 || res.Skipped[0].Reason != "already applied" {
		t.Fatalf("applied %v skipped %v", res.Applied, res.Skipped)
	}
}

func TestNoPicksLeavesOnto(t *testing.T) {
	f := newFixture(t)
	res, err := Apply(context.Background(), f.repo.Storer, f.main, nil, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.repo.CommitObject(f.main)
	if res.Head != f.main || res.Tree != c.TreeHash {
		t.Fatalf("head %s tree %s", res.Head, res.Tree)
	}
}

func TestMergeCommitsAreRefused(t *testing.T) {
	dir := t.TempDir()
	b, _ := repos.New(dir)
	b.Commit(ann, "base", repos.Write("a", "a\n"))
	b.Checkout("side", "main")
	b.Commit(ann, "side", repos.Write("b", "b\n"))
	b.Checkout("main", "main")
	b.Commit(ann, "main", repos.Write("c", "c\n"))
	m, err := b.Merge(ann, "merge", "side")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Apply(context.Background(), b.Repo.Storer, m, []plumbing.Hash{m}, testOptions())
	if err == nil || !strings.Contains(err.Error(), "is a merge commit") {
		t.Fatalf("error %v", err)
	}
}

func TestUnknownCommitsAreReported(t *testing.T) {
	f := newFixture(t)
	bogus := plumbing.NewHash("1234567890123456789012345678901234567890")
	if _, err := Apply(context.Background(), f.repo.Storer, bogus, nil, testOptions()); err == nil || !strings.Contains(err.Error(), "--onto 1234567") {
		t.Fatalf("error %v", err)
	}
	if _, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{bogus}, testOptions()); err == nil || !strings.Contains(err.Error(), "pick 1234567") {
		t.Fatalf("error %v", err)
	}
}

func TestBranchMovedDuringApplyIsDetected(t *testing.T) {
	f := newFixture(t)
	name := plumbing.NewBranchReferenceName("feature")
	before, err := f.repo.Storer.Reference(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference(name, f.base)); err != nil {
		t.Fatal(err)
	}
	err = updateBranch(f.repo.Storer, name, before, f.main)
	if err == nil || !strings.Contains(err.Error(), "moved while triage was applying") {
		t.Fatalf("error %v", err)
	}
	if got, _ := f.branch(t, "feature"); got != f.base {
		t.Fatal("the concurrent value was overwritten")
	}
	created := plumbing.NewBranchReferenceName("created")
	f.repo.Storer.SetReference(plumbing.NewHashReference(created, f.base))
	if err := updateBranch(f.repo.Storer, created, nil, f.main); err == nil || !strings.Contains(err.Error(), "was created") {
		t.Fatalf("error %v", err)
	}
}

func TestCommitterIdentity(t *testing.T) {
	f := newFixture(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("GIT_COMMITTER_NAME", "")
	t.Setenv("GIT_COMMITTER_EMAIL", "")
	t.Setenv("TRIAGE_COMMITTER", "")
	if _, err := CommitterIdentity(f.repo.Storer); err == nil || !strings.Contains(err.Error(), "git config user.name") {
		t.Fatalf("without any identity: %v", err)
	}
	cfg, _ := f.repo.Config()
	cfg.User.Name, cfg.User.Email = "Repo User", "repo@example.com"
	if err := f.repo.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	if id, err := CommitterIdentity(f.repo.Storer); err != nil || id.String() != "Repo User <repo@example.com>" {
		t.Fatalf("from the repository config: %v %v", id, err)
	}
	t.Setenv("TRIAGE_COMMITTER", "Triage Bot <bot@example.com>")
	if id, err := CommitterIdentity(f.repo.Storer); err != nil || id.String() != "Triage Bot <bot@example.com>" {
		t.Fatalf("from TRIAGE_COMMITTER: %v %v", id, err)
	}
	t.Setenv("TRIAGE_COMMITTER", "nobody")
	if _, err := CommitterIdentity(f.repo.Storer); err == nil || !strings.Contains(err.Error(), "TRIAGE_COMMITTER") {
		t.Fatalf("bad TRIAGE_COMMITTER: %v", err)
	}
}

func TestVerifyChecksOutAndRuns(t *testing.T) {
	f := newFixture(t)
	c, _ := f.repo.CommitObject(f.main)
	out := filepath.Join(t.TempDir(), "pwd")
	t.Setenv("TMPDIR_OUT", out)
	res, err := Verify(context.Background(), f.repo.Storer, c.TreeHash,
		`pwd > "$TMPDIR_OUT"; test -x run.sh && test -L link && test "$(readlink link)" = a.txt && cat sub/deep.txt && ./run.sh && seq 1 100 && exit 3`)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(res.OutputTail, "\n"), "\n")
	if res.ExitCode != 3 || len(lines) != verifyTailLines || lines[0] != "61" || lines[len(lines)-1] != "100" {
		t.Fatalf("exit %d, tail %q", res.ExitCode, res.OutputTail)
	}
	pwd, _ := os.ReadFile(out)
	if d := strings.TrimSpace(string(pwd)); d == "" {
		t.Fatal("the command did not run")
	} else if _, err := os.Stat(d); !os.IsNotExist(err) {
		t.Fatalf("the checkout %s was not removed", d)
	}
	res, err = Verify(context.Background(), f.repo.Storer, c.TreeHash, "cat a.txt | head -1")
	if err != nil || res.ExitCode != 0 || res.OutputTail != "one\n" {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestTailWriterKeepsLastLines(t *testing.T) {
	w := &tailWriter{max: 2}
	w.Write([]byte("a\nb"))
	w.Write([]byte("c\nd\ne"))
	if got := w.String(); got != "d\ne" {
		t.Fatalf("%q", got)
	}
}

func TestDryRunDoesNotRefuseAnExistingBranch(t *testing.T) {
	f := newFixture(t)
	old, _ := f.branch(t, "feature")
	opts := testOptions()
	opts.Branch, opts.DryRun = "feature", true
	res, err := Apply(context.Background(), f.repo.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.branch(t, "feature"); got != old || res.RefWritten || res.Existing != old {
		t.Fatalf("branch %s, written %v, existing %s", got, res.RefWritten, res.Existing)
	}
}

func TestDeletingEverythingStoresTheEmptyTree(t *testing.T) {
	dir := t.TempDir()
	b, _ := repos.New(dir)
	b.Commit(ann, "base", repos.Write("a", "a\n"))
	b.Checkout("side", "main")
	pick, _ := b.Commit(ann, "delete all", repos.Delete("a"))
	main, _ := b.Resolve("main")
	res, err := Apply(context.Background(), b.Repo.Storer, main, []plumbing.Hash{pick}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if res.Tree != emptyTree {
		t.Fatalf("tree %s", res.Tree)
	}
	if _, err := b.Repo.TreeObject(emptyTree); err != nil {
		t.Fatalf("the empty tree is not stored: %v", err)
	}
}

func TestApplyRefusesBranchOfALinkedWorktree(t *testing.T) {
	gittest.NeedGit(t)
	f := newFixture(t)
	wt := filepath.Join(t.TempDir(), "wt")
	gittest.Git(t, f.dir, "worktree", "add", "-q", wt, "feature")
	r, err := git.PlainOpen(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.Branch, opts.Force = "feature", true
	_, err = Apply(context.Background(), r.Storer, f.main, []plumbing.Hash{f.pickClean}, opts)
	if err == nil || !strings.Contains(err.Error(), "is checked out in the worktree "+wt) {
		t.Fatalf("error %v", err)
	}
}
