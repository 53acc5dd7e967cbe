package vcs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/triage-dev/triage/testdata/repos"
)

// buildRecette is a small repository with the names of the story: a
// production tag (annotated), a recette branch, a remote-tracking branch.
func buildRecette(t testing.TB, dir string) (*repos.Builder, map[string]plumbing.Hash) {
	t.Helper()
	b, err := repos.New(dir)
	check(t, err)
	h := map[string]plumbing.Hash{}
	commit := func(name string) {
		c, err := b.Commit(alice, name, repos.Write(name+".txt", name+"\n"))
		check(t, err)
		h[name] = c
	}
	commit("root")
	commit("prod")
	check(t, b.Tag("v1.4.0-light"))
	writeAnnotatedTag(t, b, "v1.4.0", h["prod"])
	check(t, b.Checkout("recette", "main"))
	commit("r1")
	commit("r2")
	check(t, b.Checkout("main", ""))
	commit("m1")
	check(t, b.Checkout("recette", ""))
	m, err := b.Merge(bob, "Merge branch 'main' into recette", "main")
	check(t, err)
	h["merge"] = m
	commit("r3")
	check(t, b.Repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", h["m1"])))
	check(t, b.Repo.Storer.SetReference(plumbing.NewSymbolicReference("refs/remotes/origin/HEAD", "refs/remotes/origin/main")))
	check(t, b.Finish("recette"))
	return b, h
}

// writeAnnotatedTag writes an annotated tag object (and a tag of that tag).
func writeAnnotatedTag(t testing.TB, b *repos.Builder, name string, target plumbing.Hash) {
	t.Helper()
	st := b.Repo.Storer
	write := func(tag *object.Tag) plumbing.Hash {
		obj := st.NewEncodedObject()
		check(t, tag.Encode(obj))
		h, err := st.SetEncodedObject(obj)
		check(t, err)
		return h
	}
	who := object.Signature{Name: alice.Name, Email: alice.Email, When: repos.Epoch}
	th := write(&object.Tag{Name: name, Tagger: who, Message: "Release " + name + "\n", TargetType: plumbing.CommitObject, Target: target})
	check(t, st.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), th)))
	nested := write(&object.Tag{Name: name + "-signed-off", Tagger: who, Message: "tag of a tag\n", TargetType: plumbing.TagObject, Target: th})
	check(t, st.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name+"-nested"), nested)))
}

func TestResolveForms(t *testing.T) {
	dir := t.TempDir()
	_, h := buildRecette(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	cases := map[string]plumbing.Hash{
		"recette":                              h["r3"],
		"refs/heads/recette":                   h["r3"],
		"main":                                 h["m1"],
		"origin/main":                          h["m1"],
		"origin":                               h["m1"], // refs/remotes/origin/HEAD
		"v1.4.0":                               h["prod"],
		"v1.4.0-light":                         h["prod"],
		"v1.4.0-nested":                        h["prod"],
		"v1.4.0^{}":                            h["prod"],
		"v1.4.0^{commit}":                      h["prod"],
		"v1.4.0^":                              h["root"],
		"HEAD":                                 h["r3"],
		"@":                                    h["r3"],
		"@~1":                                  h["merge"],
		"HEAD~1":                               h["merge"],
		"HEAD~2":                               h["r2"],
		"HEAD~3":                               h["r1"],
		"HEAD^1":                               h["merge"],
		"HEAD~1^2":                             h["m1"],
		"HEAD^0":                               h["r3"],
		h["r2"].String():                       h["r2"],
		h["r2"].String()[:7]:                   h["r2"],
		strings.ToUpper(h["r2"].String()[:10]): h["r2"],
		h["r3"].String() + "~5":                h["root"],
		"main~1~1":                             h["root"],
	}
	cases["HEAD^^"] = h["r2"]
	cases["HEAD^1^1"] = h["r2"]
	for rev, want := range cases {
		got, err := r.Resolve(rev)
		if err != nil {
			t.Errorf("Resolve(%q): %v", rev, err)
			continue
		}
		if got != want {
			t.Errorf("Resolve(%q) = %s, want %s", rev, got.String()[:7], want.String()[:7])
		}
	}
	if _, err := os.Stat(dir); err == nil && gitPresent() {
		for rev := range cases {
			if strings.HasSuffix(rev, "^{}") || strings.HasSuffix(rev, "^{commit}") || rev == "@~1" {
				continue
			}
			want := strings.TrimSpace(runGit(t, dir, "rev-parse", "--verify", "--end-of-options", rev+"^{commit}"))
			got, _ := r.Resolve(rev)
			if got.String() != want {
				t.Errorf("Resolve(%q) = %s, git rev-parse says %s", rev, got, want)
			}
		}
	}
}

func gitPresent() bool {
	_, err := exec.LookPath("git")
	return err == nil
}

func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	_, h := buildRecette(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	root, r3 := h["root"].String()[:7], h["r3"].String()[:7]
	tree, err := r.Commit(h["r3"])
	check(t, err)
	cases := map[string]string{
		"recete":           "unknown revision 'recete': no branch, tag or commit has that name; did you mean 'recette'? (branches: main, recette; remote branches: origin/main; tags: v1.4.0, v1.4.0-light, v1.4.0-nested)",
		"mian~2":           "unknown revision 'mian': no branch, tag or commit has that name; did you mean 'main'? (branches: main, recette; remote branches: origin/main; tags: v1.4.0, v1.4.0-light, v1.4.0-nested)",
		"zzzzzzzzzzzz":     "unknown revision 'zzzzzzzzzzzz': no branch, tag or commit has that name (branches: main, recette; remote branches: origin/main; tags: v1.4.0, v1.4.0-light, v1.4.0-nested)",
		"deadbeef":         "unknown revision 'deadbeef': no branch, tag or commit has that name (branches: main, recette; remote branches: origin/main; tags: v1.4.0, v1.4.0-light, v1.4.0-nested)",
		"":                 "empty revision: name a branch, tag or commit (e.g. HEAD)",
		"HEAD~9":           "revision 'HEAD~9': HEAD has only 5 commit(s) before it along first parents (" + root + " is a root commit)",
		"HEAD^2":           "revision 'HEAD^2': HEAD (" + r3 + ") has 1 parent(s), so it has no parent 2",
		"HEAD~1^3":         "revision 'HEAD~1^3': HEAD~1 (" + h["merge"].String()[:7] + ") has 2 parent(s), so it has no parent 3",
		"HEAD@{1}":         "revision 'HEAD@{1}': reflog forms (@{...}) are not supported; use a branch, tag or commit SHA",
		"~2":               "revision '~2': nothing before '~'; write e.g. HEAD~2",
		"HEAD~x":           "revision 'HEAD~x': unexpected \"x\" after ~; write e.g. HEAD~2 or HEAD^2",
		tree.Tree.String(): "revision '" + tree.Tree.String() + "' names a tree, not a commit; give a branch, tag or commit",
	}
	for rev, want := range cases {
		_, err := r.Resolve(rev)
		if err == nil {
			t.Errorf("Resolve(%q): no error", rev)
			continue
		}
		if err.Error() != want {
			t.Errorf("Resolve(%q):\n got %s\nwant %s", rev, err, want)
		}
	}
}

func TestResolveUnbornHead(t *testing.T) {
	dir := t.TempDir()
	_, err := repos.New(dir)
	check(t, err)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	_, err = r.Resolve("HEAD")
	if want := "HEAD points to branch 'main', which has no commit yet; commit something first, or name a revision that exists"; err == nil || err.Error() != want {
		t.Errorf("Resolve(HEAD) in an empty repository: %v", err)
	}
	_, _, err = r.ParseRange("main..")
	if want := "unknown revision 'main': no branch, tag or commit has that name (the repository has no branches or tags)"; err == nil || err.Error() != want {
		t.Errorf("ParseRange in an empty repository: %v", err)
	}
}

func TestResolveAmbiguousShortSHA(t *testing.T) {
	dir := t.TempDir()
	b, err := repos.New(dir)
	check(t, err)
	seen := map[string]plumbing.Hash{}
	var a, c plumbing.Hash
	for i := 0; a.IsZero(); i++ {
		h, err := b.Commit(carol, fmt.Sprintf("commit %d", i))
		check(t, err)
		p := h.String()[:4]
		if o, ok := seen[p]; ok {
			a, c = o, h
		}
		seen[p] = h
	}
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	prefix := a.String()[:4]
	_, err = r.Resolve(prefix)
	if err == nil {
		t.Fatalf("Resolve(%s): no error for an ambiguous prefix", prefix)
	}
	first, second := a, c
	if second.String() < first.String() {
		first, second = second, first
	}
	describe := func(h plumbing.Hash) string {
		cm, err := r.Commit(h)
		check(t, err)
		return "  " + h.String()[:12] + " commit " + cm.Committer.When.Format("2006-01-02") + " " + cm.Subject
	}
	want := "short SHA '" + prefix + "' is ambiguous: 2 commits start with it; give more characters:\n" + describe(first) + "\n" + describe(second)
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	// One more character (when it differs) resolves it.
	if got, err := r.Resolve(a.String()[:12]); err != nil || got != a {
		t.Errorf("Resolve(12 chars) = %s, %v", got, err)
	}
}

func TestParseRange(t *testing.T) {
	dir := t.TempDir()
	_, h := buildRecette(t, dir)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	ok := []struct {
		spec       string
		base, head plumbing.Hash
	}{
		{"v1.4.0..recette", h["prod"], h["r3"]},
		{" v1.4.0..recette ", h["prod"], h["r3"]},
		{"..main", h["r3"], h["m1"]},
		{"main..", h["m1"], h["r3"]},
		{"v1.4.0..HEAD~1", h["prod"], h["merge"]},
	}
	for _, c := range ok {
		b, hd, err := r.ParseRange(c.spec)
		if err != nil || b != c.base || hd != c.head {
			t.Errorf("ParseRange(%q) = %s..%s, %v", c.spec, b, hd, err)
		}
	}
	bad := map[string]string{
		"v1.4.0...recette": "range 'v1.4.0...recette' uses '...', a symmetric difference (the commits of either side since they diverged); triage reads the commits one branch adds over a base: write BASE..HEAD, e.g. 'v1.4.0..recette'",
		"recette":          "'recette' is a single revision, but a range BASE..HEAD is needed: e.g. 'v1.4.0..recette' for the commits of recette that are not in v1.4.0",
		"v1.4.0..recete":   "unknown revision 'recete': no branch, tag or commit has that name; did you mean 'recette'? (branches: main, recette; remote branches: origin/main; tags: v1.4.0, v1.4.0-light, v1.4.0-nested)",
	}
	for spec, want := range bad {
		_, _, err := r.ParseRange(spec)
		if err == nil || err.Error() != want {
			t.Errorf("ParseRange(%q):\n got %v\nwant %s", spec, err, want)
		}
	}
}

func TestOpenForms(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main")
	_, h := buildRecette(t, main)
	check(t, os.MkdirAll(filepath.Join(main, "sub", "deeper"), 0o755))

	open := func(d string) *Repo {
		t.Helper()
		r, err := Open(d)
		if err != nil {
			t.Fatalf("Open(%s): %v", d, err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	head := func(r *Repo) plumbing.Hash {
		t.Helper()
		got, err := r.Resolve("HEAD")
		check(t, err)
		return got
	}
	// The worktree root and any directory below it.
	for _, d := range []string{main, filepath.Join(main, "sub", "deeper"), filepath.Join(main, "sub")} {
		r := open(d)
		if r.Root() != main || head(r) != h["r3"] || r.IsShallow() {
			t.Errorf("Open(%s): root %s, head %s", d, r.Root(), head(r))
		}
	}
	// A bare repository: the git directory's content at the top.
	bare := filepath.Join(dir, "bare.git")
	check(t, os.CopyFS(bare, os.DirFS(filepath.Join(main, ".git"))))
	if r := open(bare); r.Root() != "" || head(r) != h["r3"] {
		t.Errorf("bare: root %q, head %s", r.Root(), head(r))
	}
	// A submodule-style checkout: .git is a file naming the git directory.
	sub := filepath.Join(dir, "checkout")
	check(t, os.MkdirAll(filepath.Join(sub, "x"), 0o755))
	check(t, os.WriteFile(filepath.Join(sub, ".git"), []byte("gitdir: ../bare.git\n"), 0o644))
	if r := open(filepath.Join(sub, "x")); r.Root() != sub || head(r) != h["r3"] {
		t.Errorf("gitdir file: root %q, head %s", r.Root(), head(r))
	}
	// A linked worktree: its own HEAD, objects and refs from the common dir.
	wtGit := filepath.Join(main, ".git", "worktrees", "wt")
	check(t, os.MkdirAll(wtGit, 0o755))
	wt := filepath.Join(dir, "wt")
	check(t, os.MkdirAll(wt, 0o755))
	check(t, os.WriteFile(filepath.Join(wtGit, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644))
	check(t, os.WriteFile(filepath.Join(wtGit, "commondir"), []byte("../..\n"), 0o644))
	check(t, os.WriteFile(filepath.Join(wtGit, "gitdir"), []byte(filepath.Join(wt, ".git")+"\n"), 0o644))
	check(t, os.WriteFile(filepath.Join(wt, ".git"), []byte("gitdir: "+wtGit+"\n"), 0o644))
	r := open(wt)
	if r.Root() != wt || head(r) != h["m1"] {
		t.Errorf("worktree: root %q, head %s", r.Root(), head(r))
	}
	if got, err := r.Resolve("recette"); err != nil || got != h["r3"] {
		t.Errorf("worktree: recette = %s, %v", got, err)
	}
	if gitPresent() {
		if got := strings.TrimSpace(runGit(t, wt, "rev-parse", "HEAD")); got != h["m1"].String() {
			t.Errorf("git sees the worktree's HEAD at %s", got)
		}
	}

	// Not a repository.
	none := t.TempDir()
	if _, err := Open(none); err == nil || err.Error() != "not a git repository: "+none+" (or any parent); run triage inside a clone or pass --repo" {
		t.Errorf("Open(non-repo): %v", err)
	}
	if _, err := Open(filepath.Join(none, "missing")); err == nil || !strings.Contains(err.Error(), "no such file or directory; pass an existing directory with --repo") {
		t.Errorf("Open(missing): %v", err)
	}
	check(t, os.WriteFile(filepath.Join(none, ".git"), []byte("garbage\n"), 0o644))
	if _, err := Open(none); err == nil || err.Error() != filepath.Join(none, ".git")+" is a file but does not start with 'gitdir:'; fix or remove it" {
		t.Errorf("Open(bad .git file): %v", err)
	}
}

func TestShallow(t *testing.T) {
	dir := t.TempDir()
	_, h := buildRecette(t, dir)
	check(t, os.WriteFile(filepath.Join(dir, ".git", "shallow"), []byte(h["r1"].String()+"\n"), 0o644))
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	if !r.IsShallow() {
		t.Fatal("IsShallow() = false with a .git/shallow file")
	}
	_, err = r.ReadRange(t.Context(), h["prod"], h["r3"], ReadOptions{})
	want := "history is shallow: commit " + h["r1"].String()[:12] + " has its parents cut off (.git/shallow), so the range cannot be read whole; fetch it whole, e.g. `git fetch --unshallow`, or `fetch-depth: 0` in CI"
	if err == nil || err.Error() != want {
		t.Errorf("ReadRange across the shallow boundary:\n got %v\nwant %s", err, want)
	}
	// Above the boundary the range is whole.
	rg, err := r.ReadRange(t.Context(), h["r1"], h["r2"], ReadOptions{})
	if err != nil || len(rg.Commits) != 1 || rg.Commits[0].Hash != h["r2"] {
		t.Errorf("ReadRange above the boundary: %v", err)
	}
}

// FuzzResolve feeds arbitrary revisions and ranges: errors are fine, panics
// are not, and whatever resolves must be a commit.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"HEAD", "@", "HEAD~2^2", "v1.4.0^{}", "main..recette", "..main", "a...b", "HEAD^{tree}",
		"recete", "~", "^", "HEAD~99999999999999999999", "HEAD^-1", "@{1}", "deadbeef", "v1.4.0-nested^0~1"} {
		f.Add(s)
	}
	dir := f.TempDir()
	buildRecette(f, dir)
	r, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { r.Close() })
	f.Fuzz(func(t *testing.T, rev string) {
		if h, err := r.Resolve(rev); err == nil {
			if _, err := r.Commit(h); err != nil {
				t.Fatalf("Resolve(%q) = %s, not a commit: %v", rev, h, err)
			}
		}
		r.ParseRange(rev)
	})
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 a.txt\x00aaaaaaaaaaaaaaaaaaaa40000 dir\x00bbbbbbbbbbbbbbbbbbbb"))
	f.Add([]byte("120000 link\x00cccccccccccccccccccc"))
	f.Add([]byte("100644 \x00"))
	f.Add([]byte("99 x\x00dddddddddddddddddddd"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		entries, err := parseTree(plumbing.ZeroHash, raw)
		if err != nil {
			return
		}
		n := 0
		for _, e := range entries {
			n += len(e.name) + 22
		}
		if n > len(raw)+len(entries)*8 {
			t.Fatalf("%d entries from %d bytes", len(entries), len(raw))
		}
	})
}
