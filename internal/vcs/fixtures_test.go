package vcs

import (
	"fmt"
	"math/rand"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/triage-dev/triage/testdata/repos"
)

var (
	alice = repos.Person{Name: "Alice Martin", Email: "alice@example.com"}
	bob   = repos.Person{Name: "Bob Durand", Email: "bob@example.com"}
	carol = repos.Person{Name: "Carol Petit", Email: "carol@example.com"}
)

// mustFor returns a checker for the (hash, error) results of the builder.
func mustFor(t testing.TB) func(plumbing.Hash, error) {
	return func(_ plumbing.Hash, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// numbered returns n lines "prefix i" (with a final newline).
func numbered(prefix string, from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "%s line %d: some text to make it realistic\n", prefix, i)
	}
	return b.String()
}

// goSource returns a plausible Go file of about n functions.
func goSource(pkg string, n int, variant int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport \"fmt\"\n\n", pkg)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "// F%d does step %d.\nfunc F%d(x int) int {\n\tif x > %d {\n\t\treturn x - %d\n\t}\n\tfmt.Println(\"step %d\")\n\treturn x + %d\n}\n\n", i, i, i, i*variant, i, i, i)
	}
	return b.String()
}

// buildEdits writes a linear history exercising every kind of file change.
func buildEdits(t testing.TB, dir string) *repos.Builder {
	t.Helper()
	b, err := repos.New(dir)
	check(t, err)
	must := mustFor(t)
	app := goSource("app", 12, 1)
	util := goSource("util", 8, 2)
	readme := "# Project\n\n" + numbered("readme", 1, 30)
	crlf := strings.ReplaceAll(numbered("crlf", 1, 10), "\n", "\r\n")
	bin := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\x01\x02binary", 40))
	must(b.Commit(alice, "Initial import\n\nThe first commit.\n\nSigned-off-by: Alice Martin <alice@example.com>",
		repos.Write("src/app.go", app),
		repos.Write("src/util.go", util),
		repos.Write("docs/readme.md", readme),
		repos.Write("empty.txt", ""),
		repos.Write("nonl.txt", "first\nsecond\nno newline at end"),
		repos.Write("crlf.txt", crlf),
		repos.WriteBytes("bin.dat", bin),
		repos.WriteMode("script.sh", "#!/bin/sh\necho hello\n", filemode.Executable),
		repos.Symlink("link", "src/app.go"),
		repos.Write("a/deep/nested/file.txt", numbered("nested", 1, 5)),
		repos.Write("x.txt", numbered("x", 1, 20)),
		repos.Write("thing/inside.txt", "inside\n"),
		repos.Write("latin1.txt", "caf\xe9\nna\xefve\nend\n"),
	))
	// Several hunks in one file, last line without newline, CRLF edit.
	must(b.Commit(bob, "Edit many places\n\nTicket: PAY-12\nReviewed-by: Carol Petit\n  <carol@example.com>",
		repos.Edit("src/app.go", "return x - 3\n", "return x - 33\n"),
		repos.Edit("src/app.go", "fmt.Println(\"step 7\")\n", "fmt.Println(\"step seven\")\n\tfmt.Println(\"again\")\n"),
		repos.Edit("src/app.go", "// F10 does step 10.\n", ""),
		repos.Edit("nonl.txt", "no newline at end", "still no newline"),
		repos.Edit("crlf.txt", "crlf line 5", "CRLF LINE FIVE"),
		repos.Edit("latin1.txt", "na\xefve", "na\xefve et fran\xe7ais"),
	))
	// Exact rename; similar rename (~80%); newline added at end of file.
	must(b.Commit(carol, "Move files around\n\ngit-svn-id: https://svn.example.com/repo/trunk@24911 0e0e0e0e-1111-2222-3333-444444444444",
		repos.Rename("src/util.go", "lib/util.go"),
		repos.Rename("docs/readme.md", "doc/README.md"),
		repos.Edit("doc/README.md", "readme line 3:", "README LINE THREE:"),
		repos.Edit("doc/README.md", "readme line 9:", "README LINE NINE:"),
		repos.Edit("doc/README.md", "readme line 20:", "README LINE TWENTY:"),
		repos.Edit("nonl.txt", "still no newline", "now with newline\n"),
	))
	// Rename below the threshold: x.txt mostly rewritten under a new name.
	must(b.Commit(alice, "Rewrite x as y",
		repos.Delete("x.txt"),
		repos.Write("y.txt", numbered("x", 1, 5)+numbered("y", 1, 15)),
	))
	// Copies are not detected by -M: a copy is an addition.
	must(b.Commit(bob, "Copy app",
		repos.Write("src/app_copy.go", app),
		repos.Write("src/app_copy2.go", goSource("app", 12, 1)+"// edited copy\n"),
	))
	// Deletions, including a whole directory and a binary file.
	must(b.Commit(carol, "Delete things",
		repos.Delete("a/deep/nested/file.txt"),
		repos.Delete("bin.dat"),
	))
	// Mode changes: mode only, then mode and content.
	must(b.Commit(alice, "Modes",
		repos.WriteMode("script.sh", "#!/bin/sh\necho hello\n", filemode.Regular),
		repos.WriteMode("lib/util.go", util, filemode.Executable),
	))
	must(b.Commit(alice, "Mode and content",
		repos.WriteMode("script.sh", "#!/bin/sh\necho hello world\n", filemode.Executable),
	))
	// Symlinks: retarget, file -> symlink, symlink -> file (type changes).
	must(b.Commit(bob, "Links",
		repos.Symlink("link", "lib/util.go"),
		repos.Symlink("crlf.txt", "nonl.txt"),
		repos.Symlink("link2", "nowhere"),
	))
	must(b.Commit(bob, "Link back to file",
		repos.Write("link2", "nowhere"),
		repos.Write("link", "a regular file now\n"),
	))
	// Binary files: added, modified, text -> binary, binary -> text.
	must(b.Commit(carol, "Binaries",
		repos.WriteBytes("img/logo.png", append([]byte{}, bin...)),
		repos.WriteBytes("y.txt", []byte("now\x00binary\n")),
		repos.WriteBytes("bin2.dat", []byte("a\x00b")),
	))
	must(b.Commit(carol, "Binaries again",
		repos.WriteBytes("img/logo.png", append(append([]byte{}, bin...), "more"...)),
		repos.Write("y.txt", "text again\n"),
		repos.Rename("bin2.dat", "bin3.dat"),
	))
	// Empty files: fill, empty out, add, rename an empty file.
	must(b.Commit(alice, "Empty files",
		repos.Write("empty.txt", "not empty anymore\n"),
		repos.Write("nonl.txt", ""),
		repos.Write("new-empty.txt", ""),
	))
	must(b.Commit(alice, "Rename empty",
		repos.Rename("new-empty.txt", "renamed-empty.txt"),
	))
	// Submodules (gitlinks): add, update, remove.
	must(b.Commit(bob, "Add submodule",
		repos.WriteMode("vendor/lib", "commit one", filemode.Submodule),
	))
	must(b.Commit(bob, "Bump submodule",
		repos.WriteMode("vendor/lib", "commit two", filemode.Submodule),
	))
	must(b.Commit(bob, "Drop submodule", repos.Delete("vendor/lib")))
	// Same basename, 80% similar, moved: git pairs it by basename before
	// looking at the more similar other.yaml.
	config := numbered("cfg", 1, 40)
	must(b.Commit(carol, "Add config", repos.Write("old/dir/config.yaml", config)))
	newConfig := strings.Replace(config, "cfg line 1:", "CFG ONE:", 1)
	for _, n := range []string{"5", "9", "13", "17", "21", "25"} {
		newConfig = strings.Replace(newConfig, "cfg line "+n+":", "changed "+n+":", 1)
	}
	must(b.Commit(carol, "Move config",
		repos.Delete("old/dir/config.yaml"),
		repos.Write("new/dir/config.yaml", newConfig),
		repos.Write("new/other.yaml", strings.Replace(config, "cfg line 40:", "cfg line forty:", 1)),
	))
	// Two identical sources, one destination: the one with the same basename wins.
	must(b.Commit(alice, "Twins",
		repos.Write("a1/x.txt", "twin\n"), repos.Write("a2/y.txt", "twin\n"), repos.Write("keep.txt", "keep\n")))
	must(b.Commit(alice, "Twin moves",
		repos.Delete("a1/x.txt"), repos.Delete("a2/y.txt"), repos.Write("b/y.txt", "twin\n")))
	// A directory replaced by a file of the same name, and back.
	must(b.Commit(bob, "Dir to file", repos.Delete("thing/inside.txt"), repos.Write("thing", "inside\n")))
	must(b.Commit(bob, "File to dir", repos.Delete("thing"), repos.Write("thing/inside.txt", "inside\n")))
	// Several similar renames competing in the matrix.
	base := numbered("common", 1, 30)
	must(b.Commit(carol, "Siblings",
		repos.Write("m/one.txt", base+"one\n"), repos.Write("m/two.txt", base+"two\ntwo\n"), repos.Write("m/three.txt", base+"three\nthree\nthree\n")))
	must(b.Commit(carol, "Shuffle siblings",
		repos.Delete("m/one.txt"), repos.Delete("m/two.txt"), repos.Delete("m/three.txt"),
		repos.Write("n/uno.txt", base+"one\nuno\n"), repos.Write("n/dos.txt", base+"two\ntwo\ndos\n"),
		repos.Write("n/tres.txt", strings.Replace(base, "common line 1:", "X", 1)+"three\nthree\nthree\ntres\n")))
	// Long lines (chunks of 64 bytes) and a rename with a mode change.
	long := strings.Repeat(strings.Repeat("0123456789", 20)+"\n", 30)
	must(b.Commit(alice, "Long lines", repos.Write("long.txt", long)))
	must(b.Commit(alice, "Move long lines",
		repos.Delete("long.txt"),
		repos.WriteMode("tools/long.sh", strings.Replace(long, "0123456789", "abcdefghij", 40), filemode.Executable)))
	// A commit that changes nothing.
	must(b.Commit(bob, "Nothing changes"))
	// A NUL past git's first 8000 bytes does not make a file binary; paths
	// with spaces and non-ASCII names.
	late := strings.Repeat("text line\n", 900) + "nul\x00here\n"
	must(b.Commit(bob, "Odd paths and late NUL",
		repos.Write("late-nul.txt", late),
		repos.Write("docs/my notes.txt", "one\ntwo\n"),
		repos.Write("docs/café.md", "crème\n"),
		repos.Write("crlf2.txt", "a\r\nb\r\nc\r\n")))
	must(b.Commit(bob, "Edit odd paths",
		repos.Edit("late-nul.txt", "text line\ntext line\n", "text line\nchanged line\n"),
		repos.Edit("docs/my notes.txt", "two", "deux"),
		repos.Rename("docs/café.md", "docs/crème.md"),
		repos.Edit("crlf2.txt", "b\r\n", "b\n")))
	// Messages: declared Latin-1, undeclared Latin-1 bytes, a cherry-pick trailer.
	must(b.CommitWithEncoding(carol, "ISO-8859-1", []byte("Corrig\xe9 le caf\xe9\n\nD\xe9tails accentu\xe9s.\n\nTicket: PAY-99\n"),
		repos.Write("fr.txt", "bonjour\n")))
	must(b.CommitWithEncoding(carol, "", []byte("Undeclared caf\xe9\n\nBug: PAY-7\n"),
		repos.Edit("fr.txt", "bonjour", "bonsoir")))
	must(b.Commit(alice, "Fix rounding\n\nSome explanation here.\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nSigned-off-by: Alice Martin <alice@example.com>",
		repos.Edit("src/app.go", "return x + 5\n", "return x + 55\n")))
	check(t, b.Tag("v1.0"))
	check(t, b.Finish("main"))
	return b
}

func TestReadRangeEditsMatchGit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	buildEdits(t, dir)
	rg := compareRangeWithGit(t, dir, "", "HEAD")
	if len(rg.Commits) < 30 {
		t.Fatalf("only %d commits", len(rg.Commits))
	}
	// A range from the middle, by short SHA.
	mid := rg.Commits[10].Hash.String()[:8]
	compareRangeWithGit(t, dir, mid, "main")
	// The same history packed, as clones and gc'ed repositories are:
	// offset deltas, then reference deltas, then several packs.
	runGit(t, dir, "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50")
	runGit(t, dir, "prune-packed")
	compareRangeWithGit(t, dir, "", "HEAD")
	runGit(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50")
	compareRangeWithGit(t, dir, "", "HEAD")
}

func TestReadRangeSeveralPacksMatchGit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	b := buildEdits(t, dir)
	runGit(t, dir, "repack", "-a", "-d", "-q")
	must := mustFor(t)
	must(b.Commit(alice, "After the first pack", repos.Edit("src/app.go", "return x + 55\n", "return x + 56\n"),
		repos.Rename("lib/util.go", "lib/util2.go")))
	check(t, b.Finish("main"))
	runGit(t, dir, "repack", "-d", "-q") // a second pack with the new objects only
	if packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack")); len(packs) != 2 {
		t.Fatalf("%d packs, want 2", len(packs))
	}
	compareRangeWithGit(t, dir, "", "HEAD")
}

// TestChangesDecisions pins down the representation choices the oracle
// cannot see directly.
func TestChangesDecisions(t *testing.T) {
	dir := t.TempDir()
	buildEdits(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	h, err := r.Resolve("HEAD")
	check(t, err)
	rg, err := r.ReadRange(t.Context(), plumbing.ZeroHash, h, ReadOptions{Workers: 3})
	check(t, err)
	bySubject := map[string]*Commit{}
	for _, c := range rg.Commits {
		bySubject[c.Subject] = c
	}
	find := func(subject, path string) FileChange {
		t.Helper()
		c := bySubject[subject]
		if c == nil {
			t.Fatalf("no commit %q", subject)
		}
		for _, fc := range c.Changes {
			if fc.Path() == path {
				return fc
			}
		}
		t.Fatalf("%q: no change to %s in %s", subject, path, describeChanges(c.Changes))
		return FileChange{}
	}
	// A file becoming a symlink: Modified, TypeChange, counts of the content diff.
	fc := find("Links", "crlf.txt")
	if fc.Status != Modified || !fc.TypeChange() || fc.NewMode != 0o120000 {
		t.Errorf("type change: %+v", fc)
	}
	// Mode only: M, 0/0, no hunks.
	fc = find("Modes", "script.sh")
	if fc.Status != Modified || fc.Added != 0 || fc.Deleted != 0 || fc.Hunks != nil || fc.OldMode != 0o100755 || fc.NewMode != 0o100644 {
		t.Errorf("mode change: %+v", fc)
	}
	// Gitlink bump: git counts the "Subproject commit" line.
	fc = find("Bump submodule", "vendor/lib")
	if fc.Status != Modified || fc.Added != 1 || fc.Deleted != 1 || len(fc.Hunks) != 1 || !strings.HasPrefix(fc.Hunks[0].Lines[0], "Subproject commit ") {
		t.Errorf("gitlink: %+v", fc)
	}
	// Basename wins over a better-scoring other file.
	fc = find("Move config", "new/dir/config.yaml")
	if fc.Status != Renamed || fc.OldPath != "old/dir/config.yaml" {
		t.Errorf("basename rename: %+v", fc)
	}
	c := bySubject["Nothing changes"]
	if c.Changes == nil || len(c.Changes) != 0 {
		t.Errorf("empty commit: changes %v", c.Changes)
	}
	// Messages.
	c = bySubject["Corrigé le café"]
	if c == nil || !c.Transcoded || c.Encoding != "ISO-8859-1" || c.Trailers[0].Value != "PAY-99" {
		t.Errorf("latin-1 commit: %+v", c)
	}
	c = bySubject["Move files around"]
	if c.SvnRev != 24911 {
		t.Errorf("svn revision %d", c.SvnRev)
	}
	var undeclared *Commit
	for _, c := range rg.Commits {
		if strings.HasPrefix(c.Subject, "Undeclared") {
			undeclared = c
		}
	}
	if undeclared == nil || undeclared.Subject != "Undeclared caf\xe9" || undeclared.Transcoded || undeclared.Trailers[0].Key != "Bug" {
		t.Errorf("undeclared latin-1 commit: %+v", undeclared)
	}
}

// buildMerges writes a merge-heavy history whose commit dates interleave
// across branches, with equal dates and a clock running backwards.
func buildMerges(t testing.TB, dir string) *repos.Builder {
	t.Helper()
	b, err := repos.New(dir)
	check(t, err)
	must := mustFor(t)
	at := func(h int) { b.SetClock(repos.Epoch.Add(time.Duration(h) * time.Hour)) }
	n := 0
	commit := func(who repos.Person, msg string) {
		n++
		must(b.Commit(who, msg, repos.Write(fmt.Sprintf("f/%02d.txt", n), msg+"\n")))
	}
	at(0)
	commit(alice, "root")
	commit(alice, "m1")
	check(t, b.Tag("v1"))
	check(t, b.Checkout("feature-a", "main"))
	at(3)
	commit(bob, "a1")
	check(t, b.Checkout("feature-b", "main"))
	at(2)
	commit(carol, "b1")
	check(t, b.Checkout("main", ""))
	at(4)
	commit(alice, "m2")
	check(t, b.Checkout("feature-a", ""))
	at(5)
	commit(bob, "a2")
	check(t, b.Checkout("feature-b", ""))
	at(5) // same date as a2
	commit(carol, "b2")
	check(t, b.Checkout("main", ""))
	at(7)
	must(b.Merge(alice, "Merge branch 'feature-b'", "feature-b"))
	check(t, b.Checkout("feature-a", ""))
	at(6)
	commit(bob, "a3")
	check(t, b.Checkout("feature-c", "feature-a"))
	at(1) // clock skew: older than its parent
	commit(carol, "c1")
	at(9)
	commit(carol, "c2")
	check(t, b.Checkout("feature-a", ""))
	at(8)
	must(b.Merge(bob, "Merge main into feature-a", "main"))
	check(t, b.Checkout("main", ""))
	at(10)
	commit(alice, "m3")
	at(11)
	must(b.Merge(alice, "Merge branch 'feature-a'", "feature-a"))
	check(t, b.Checkout("hotfix/PAY-111", "v1"))
	at(3)
	commit(bob, "hotfix")
	check(t, b.Checkout("main", ""))
	at(12)
	must(b.Merge(alice, "Merge branch 'hotfix/PAY-111'", "hotfix/PAY-111"))
	at(12)
	must(b.Merge(alice, "Merge branch 'feature-c'", "feature-c"))
	commit(alice, "m4")
	check(t, b.Checkout("feature-b", ""))
	at(13)
	commit(carol, "b3")
	check(t, b.Checkout("main", ""))
	at(13)
	must(b.Merge(alice, "Merge branch 'feature-b' again", "feature-b"))
	check(t, b.Finish("main"))
	return b
}

func TestRevListOrderMatchesGit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	buildMerges(t, dir)
	for _, rng := range [][2]string{{"", "HEAD"}, {"v1", "main"}, {"feature-b", "main"}, {"feature-a", "feature-c"},
		{"main~3", "main"}, {"hotfix/PAY-111", "feature-a"}, {"main", "feature-b"}, {"v1", "feature-c"}} {
		compareRangeWithGit(t, dir, rng[0], rng[1])
	}
}

// buildRandomHistory writes a random DAG of about 60 commits with random
// (often equal, sometimes backwards) dates; it returns every commit.
func buildRandomHistory(t testing.TB, dir string, seed int64) []plumbing.Hash {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	b, err := repos.New(dir)
	check(t, err)
	branches := []string{"main"}
	root, err := b.Commit(alice, "root", repos.Write("root", "x\n"))
	check(t, err)
	all := []plumbing.Hash{root}
	for i := 0; i < 60; i++ {
		b.SetClock(repos.Epoch.Add(time.Duration(rng.Intn(40)) * time.Hour))
		switch k := rng.Intn(10); {
		case k < 2 && i > 3: // new branch from a random commit
			name := fmt.Sprintf("br%d", i)
			check(t, b.Checkout(name, all[rng.Intn(len(all))].String()))
			branches = append(branches, name)
		case k < 4 && len(branches) > 1: // merge another branch
			other := branches[rng.Intn(len(branches))]
			if other != b.Branch() {
				if _, err := b.Merge(alice, "merge "+other, other); err == nil {
					all = append(all, b.Head())
					continue
				}
			}
		default:
			check(t, b.Checkout(branches[rng.Intn(len(branches))], ""))
		}
		h, err := b.Commit(bob, fmt.Sprintf("c%d", i), repos.Write(fmt.Sprintf("f%d", i), "x\n"))
		check(t, err)
		all = append(all, h)
	}
	check(t, b.Finish("main"))
	return all
}

// randomRanges picks ranges of a random history: the whole of it, then
// random BASE..HEAD pairs (related or not).
func randomRanges(seed int64, all []plumbing.Hash) [][2]plumbing.Hash {
	rng := rand.New(rand.NewSource(seed * 7919))
	out := [][2]plumbing.Hash{{plumbing.ZeroHash, all[len(all)-1]}}
	for k := 0; k < 8; k++ {
		out = append(out, [2]plumbing.Hash{all[rng.Intn(len(all))], all[rng.Intn(len(all))]})
	}
	return out
}

func rangeSpec(base, head plumbing.Hash) string {
	if base.IsZero() {
		return head.String()
	}
	return base.String() + ".." + head.String()
}

// TestRevListOrderRandomHistories compares the order with git on random
// DAGs with random dates, clock skew included (where git's walk without a
// commit-graph stops early and still lists commits an older base can
// reach), then again with a partial and a full commit-graph, with which git
// computes the exact set.
func TestRevListOrderRandomHistories(t *testing.T) {
	needGit(t)
	seeds := int64(12)
	if testing.Short() {
		seeds = 3
	}
	for seed := int64(1); seed <= seeds; seed++ {
		dir := filepath.Join(t.TempDir(), "r")
		all := buildRandomHistory(t, dir, seed)
		compare := func(mode string) {
			r, err := Open(dir)
			check(t, err)
			defer r.Close()
			if (r.gens != nil) != (mode != "no commit-graph") {
				t.Fatalf("%s: generations %v", mode, r.gens != nil)
			}
			for _, rg := range randomRanges(seed, all) {
				nodes, err := r.revList(rg[0], rg[1])
				check(t, err)
				spec := rangeSpec(rg[0], rg[1])
				want := strings.Fields(runGit(t, dir, "rev-list", "--topo-order", "--reverse", spec))
				var got []string
				for _, n := range nodes {
					got = append(got, n.hash.String())
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Fatalf("seed %d, %s, %s:\n got %s\nwant %s", seed, mode, spec, shorts(got), shorts(want))
				}
			}
		}
		compare("no commit-graph")
		cmd := exec.Command("git", "commit-graph", "write", "--stdin-commits")
		cmd.Dir, cmd.Env = dir, gitEnv()
		cmd.Stdin = strings.NewReader(all[len(all)/3].String() + "\n" + all[len(all)/2].String() + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git commit-graph write: %v\n%s", err, out)
		}
		compare("partial commit-graph")
		runGit(t, dir, "commit-graph", "write", "--reachable")
		compare("full commit-graph")
	}
}

// trickyMessages are commit messages whose subject and trailers git parses
// in less obvious ways.
var trickyMessages = []string{
	"Subject only",
	"Ticket: PAY-1",
	"Subject\n\nTicket: PAY-1",
	"Subject\n\nBody text.\n\nKey: value\nOther-Key: v2\n",
	"Subject\n\nBody.\n\nReviewed-by: Someone\n  continued here\n\tand here\nTicket: PAY-2\n",
	"Subject\n\nThis: is\nnot a trailer block\nbecause most lines\nare prose\n",
	"Subject\n\nSigned-off-by: A <a@b>\nsome prose line\nmore prose\nand more\n",
	"Subject\n\nSigned-off-by: A <a@b>\nsome prose line\nmore prose\nand more\nand even more\n",
	"Subject\n\nBody\n\nTicket: PAY-3\n\n\n# a comment\n# another\n",
	"Subject\n\nBody\n---\nnot a divider for commits\n\nRefs: #42\n",
	"Subject\n\nKey : spaced separator\nBug #43: odd\n",
	"Subject\n\nBody\n\nTicket: PAY-4\n\nConflicts:\n\tsrc/a.go\n",
	"Subject\r\n\r\nBody\r\n\r\nTicket: PAY-5\r\n",
	"\n\nSubject after blank lines\n\nFixes: 0123456\n",
	"Subject\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n",
	"Subject\n\nBody\n\nKey: value\n# ------------------------ >8 ------------------------\nIgnored: below scissors\n",
	"Subject\n\nBody\n\nNot-A-Trailer:\n",
	"Subject\n\n: starts with colon\nKey: v\n",
	"Merge branch 'hotfix/PAY-111'\n\n* hotfix/PAY-111:\n  Fix rounding\n",
	"Subject\n\ngit-svn-id: https://svn.example.com/r/trunk@100 0e0e0e0e-1111-2222-3333-444444444444\n",
}

func TestMessagesMatchGit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	b, err := repos.New(dir)
	check(t, err)
	for i, msg := range trickyMessages {
		_, err := b.CommitWithEncoding(alice, "", []byte(msg), repos.Write(fmt.Sprintf("m%d", i), msg))
		check(t, err)
	}
	check(t, b.Finish("main"))
	compareRangeWithGit(t, dir, "", "HEAD")
}

func FuzzParseCommit(f *testing.F) {
	for _, m := range trickyMessages {
		f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1300000000 +0100\ncommitter B <b@c> 1300000000 -0230\n\n" + m))
	}
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent zz\n\n"))
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor <> x y\nencoding ISO-8859-1\n\ncaf\xe9\n"))
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ngpgsig -----BEGIN\n line\n -----END\n\nmsg"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := parseCommit(plumbing.ZeroHash, raw)
		if err != nil {
			return
		}
		for _, tr := range c.Trailers {
			if tr.Key == "" || strings.ContainsAny(tr.Key, ":\n") {
				t.Fatalf("bad trailer key %q", tr.Key)
			}
		}
		if strings.Contains(c.Subject, "\n") {
			t.Fatalf("subject with a newline: %q", c.Subject)
		}
		if _, err := parseCommitHeader(plumbing.ZeroHash, raw); err != nil {
			t.Fatalf("header parse fails where full parse succeeds: %v", err)
		}
	})
}
