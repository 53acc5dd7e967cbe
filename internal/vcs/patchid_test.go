package vcs_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	. "github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// pidGit runs the git binary in dir, isolated from the user's configuration.
func pidGit(t testing.TB, dir string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"),
		"LC_ALL=C", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func pidNeedGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found: the patch-id oracle test needs it")
	}
}

var pidAlice = repos.Person{Name: "Alice", Email: "alice@example.com"}

// pidFixture builds commits covering every shape of patch git prints.
func pidFixture(t *testing.T) (string, []plumbing.Hash) {
	t.Helper()
	dir := t.TempDir()
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := 1; i <= 40; i++ {
		lines = append(lines, "line "+strconv.Itoa(i))
	}
	long := strings.Join(lines, "\n") + "\n"
	bin := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	steps := []struct {
		msg     string
		changes []repos.Change
	}{
		{"base", []repos.Change{repos.Write("a.txt", long), repos.Write("b.txt", "one\ntwo\nthree\n"), repos.Write("gone.txt", "bye\n"),
			repos.Write("moved.txt", long), repos.Write("script.sh", "echo hi\n")}},
		{"one-line change", []repos.Change{repos.Edit("a.txt", "line 20\n", "line twenty\n")}},
		{"changes close and far", []repos.Change{repos.Edit("a.txt", "line 2\n", "line two\n"), repos.Edit("a.txt", "line 8\n", "line eight\n"),
			repos.Edit("a.txt", "line 30\n", "")}},
		{"adjacent hunks merge", []repos.Change{repos.Edit("a.txt", "line 3\n", "line three\n"), repos.Edit("a.txt", "line 10\n", "line ten\n")}},
		{"insertion at top and end", []repos.Change{repos.Edit("b.txt", "one\n", "zero\none\n"), repos.Edit("b.txt", "three\n", "three\nfour")}},
		{"no newline at end changed", []repos.Change{repos.Edit("b.txt", "four", "four\n")}},
		{"new, deleted, empty files", []repos.Change{repos.Write("new.txt", "fresh\ncontent\n"), repos.Delete("gone.txt"), repos.Write("empty.txt", "")}},
		{"rename with edit", []repos.Change{repos.Rename("moved.txt", "dir/moved.txt"), repos.Edit("dir/moved.txt", "line 5\n", "line five\n")}},
		{"pure rename", []repos.Change{repos.Rename("new.txt", "renamed.txt")}},
		{"mode change", []repos.Change{repos.WriteMode("script.sh", "echo hi\n", filemode.Executable)}},
		{"mode and content", []repos.Change{repos.WriteMode("script.sh", "echo hello\n", filemode.Regular)}},
		{"binary added", []repos.Change{repos.WriteBytes("logo.png", bin)}},
		{"binary modified", []repos.Change{repos.WriteBytes("logo.png", append(append([]byte{}, bin...), 1, 2, 3))}},
		{"symlink", []repos.Change{repos.Symlink("link", "a.txt")}},
		{"symlink retargeted", []repos.Change{repos.Symlink("link", "b.txt")}},
		{"type change", []repos.Change{repos.Write("link", "now a file\n")}},
		{"odd names", []repos.Change{repos.Write("with space.txt", "x\n"), repos.Write("été.txt", "y\n"), repos.Write(`q"uote.txt`, "z\n")}},
		{"whitespace only", []repos.Change{repos.Edit("b.txt", "two\n", "t w o\n")}},
		{"binary deleted", []repos.Change{repos.Delete("logo.png")}},
	}
	var shas []plumbing.Hash
	for _, s := range steps {
		h, err := b.Commit(pidAlice, s.msg, s.changes...)
		if err != nil {
			t.Fatalf("%s: %v", s.msg, err)
		}
		shas = append(shas, h)
	}
	return dir, shas
}

// pidGitChanges reads a commit's changes from the git binary (raw -M and -U0
// output), independently of this package's reader.
func pidGitChanges(t *testing.T, dir string, sha plumbing.Hash) []FileChange {
	t.Helper()
	raw := pidGit(t, dir, nil, "diff-tree", "-r", "-M", "--no-commit-id", "-z", sha.String())
	fields := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")
	var out []FileChange
	for i := 0; i < len(fields); i++ {
		meta := strings.Fields(strings.TrimPrefix(fields[i], ":"))
		if len(meta) < 5 {
			continue
		}
		om, _ := strconv.ParseUint(meta[0], 8, 32)
		nm, _ := strconv.ParseUint(meta[1], 8, 32)
		fc := FileChange{OldMode: uint32(om), NewMode: uint32(nm), OldHash: plumbing.NewHash(meta[2]), NewHash: plumbing.NewHash(meta[3])}
		switch st := meta[4]; st[0] {
		case 'A':
			fc.Status, fc.NewPath = Added, fields[i+1]
			i++
		case 'D':
			fc.Status, fc.OldPath = Deleted, fields[i+1]
			i++
		case 'M', 'T':
			fc.Status, fc.OldPath, fc.NewPath = Modified, fields[i+1], fields[i+1]
			i++
		case 'R':
			fc.Status, fc.OldPath, fc.NewPath = Renamed, fields[i+1], fields[i+2]
			fc.Similarity, _ = strconv.Atoi(st[1:])
			i += 2
		}
		args := []string{"diff", "-U0", "--no-color", "-M", "--no-ext-diff", sha.String() + "^", sha.String(), "--"}
		if fc.OldPath != "" {
			args = append(args, fc.OldPath)
		}
		if fc.NewPath != "" && fc.NewPath != fc.OldPath {
			args = append(args, fc.NewPath)
		}
		patch := string(pidGit(t, dir, nil, args...))
		if strings.Contains(patch, "\nBinary files ") {
			fc.Binary = true
		}
		for _, l := range strings.Split(patch, "\n") {
			if strings.HasPrefix(l, "@@ -") {
				var h Hunk
				hdr := strings.Fields(l)
				h.OldStart, h.OldLines = pidTestRange(hdr[1][1:])
				h.NewStart, h.NewLines = pidTestRange(hdr[2][1:])
				fc.Hunks = append(fc.Hunks, h)
			}
		}
		if fc.OldMode&0170000 != fc.NewMode&0170000 && fc.Status == Modified {
			fc.Hunks = nil // git prints a deletion and a creation; WriteCommitPatch rebuilds both
		}
		out = append(out, fc)
	}
	return out
}

func pidTestRange(s string) (start, n int) {
	parts := strings.SplitN(s, ",", 2)
	start, _ = strconv.Atoi(parts[0])
	n = 1
	if len(parts) == 2 {
		n, _ = strconv.Atoi(parts[1])
	}
	return start, n
}

func TestPatchIDMatchesGit(t *testing.T) {
	pidNeedGit(t)
	dir, shas := pidFixture(t)
	read := func(h plumbing.Hash) ([]byte, error) {
		return pidGit(t, dir, nil, "cat-file", "blob", h.String()), nil
	}
	for i, sha := range shas[1:] {
		show := pidGit(t, dir, nil, "show", "--no-color", "-M", "--format=commit %H", sha.String())
		want := strings.Fields(string(pidGit(t, dir, show, "patch-id", "--stable")))
		got, err := PatchID(pidGitChanges(t, dir, sha), read)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			if !got.IsZero() {
				t.Errorf("commit %d: git prints no patch-id, got %s", i+1, got)
			}
			continue
		}
		if got.String() != want[0] {
			var mine bytes.Buffer
			_ = WriteCommitPatch(&mine, pidGitChanges(t, dir, sha), read)
			t.Errorf("commit %d %s: patch-id %s, git says %s\n--- git show\n%s\n--- ours\n%s", i+1, sha, got, want[0], show, mine.String())
		}
	}
}

// TestPatchIDsParsesGitLog feeds git's own log output to the port of the
// parser and compares every line with `git patch-id --stable`.
func TestPatchIDsParsesGitLog(t *testing.T) {
	pidNeedGit(t)
	dir, _ := pidFixture(t)
	for _, args := range [][]string{
		{"log", "-p", "--no-color", "-M", "main"},
		{"log", "-p", "--no-color", "--no-renames", "--binary", "main"},
		{"log", "-p", "--no-color", "-U1", "--format=email", "main"},
		{"log", "-p", "--no-color", "-U0", "--format=raw", "main"},
	} {
		text := pidGit(t, dir, nil, args...)
		want := string(pidGit(t, dir, text, "patch-id", "--stable"))
		ids, err := PatchIDs(bytes.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for _, id := range ids {
			got.WriteString(id.PatchID.String() + " " + id.Commit.String() + "\n")
		}
		if got.String() != want {
			t.Errorf("git %s | git patch-id --stable:\ngot\n%s\nwant\n%s", strings.Join(args, " "), got.String(), want)
		}
	}
}

func TestPatchIDSameChangeElsewhere(t *testing.T) {
	// The same edit at other line numbers, with other blob names, has the same id.
	one := []FileChange{{Status: Modified, OldPath: "f", NewPath: "f", OldMode: 0100644, NewMode: 0100644,
		OldHash: plumbing.NewHash("1111111111111111111111111111111111111111"), NewHash: plumbing.NewHash("2222222222222222222222222222222222222222"),
		Hunks: []Hunk{{OldStart: 2, OldLines: 1, NewStart: 2, NewLines: 1}}}}
	two := []FileChange{one[0]}
	two[0].OldHash, two[0].NewHash = plumbing.NewHash("3333333333333333333333333333333333333333"), plumbing.NewHash("4444444444444444444444444444444444444444")
	two[0].Hunks = []Hunk{{OldStart: 5, OldLines: 1, NewStart: 5, NewLines: 1}}
	blobs := map[plumbing.Hash]string{
		one[0].OldHash: "a\nold\nb\n", one[0].NewHash: "a\nnew\nb\n",
		two[0].OldHash: "x\ny\nz\na\nold\nb\n", two[0].NewHash: "x\ny\nz\na\nnew\nb\n",
	}
	read := func(h plumbing.Hash) ([]byte, error) { return []byte(blobs[h]), nil }
	a, err := PatchID(one, read)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PatchID(two, read)
	if err != nil {
		t.Fatal(err)
	}
	// The context differs ("x y z" above), so git's ids differ too: context is hashed.
	if a == b {
		t.Fatalf("context lines are part of a patch-id, yet %s == %s", a, b)
	}
	blobs[two[0].OldHash], blobs[two[0].NewHash] = "x\ny\nz\nw\na\nold\nb\n", "x\ny\nz\nw\na\nnew\nb\n"
	two[0].Hunks = []Hunk{{OldStart: 6, OldLines: 1, NewStart: 6, NewLines: 1}}
	blobs[one[0].OldHash], blobs[one[0].NewHash] = "y\nz\nw\na\nold\nb\n", "y\nz\nw\na\nnew\nb\n"
	one[0].Hunks = []Hunk{{OldStart: 5, OldLines: 1, NewStart: 5, NewLines: 1}}
	a, _ = PatchID(one, read)
	b, _ = PatchID(two, read)
	if a != b {
		t.Fatalf("same change, same context, other line numbers: %s != %s", a, b)
	}
}

func FuzzPatchIDs(f *testing.F) {
	f.Add([]byte("commit 0123456789012345678901234567890123456789\n\ndiff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"))
	f.Add([]byte("diff --git a/x b/x\nindex 0000000..1234567\nBinary files /dev/null and b/x differ\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1,2 +1, @@\n"))
	f.Add([]byte("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,-5 +1,99999999999 @@\n \x00\n\\ No newline at end of file\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = PatchIDs(bytes.NewReader(data))
	})
}

// TestPatchIDOfStoryMatchesGit computes the patch-id of every commit of the
// story's branches from the range reader's changes, and compares with
// git log -p | git patch-id --stable.
func TestPatchIDOfStoryMatchesGit(t *testing.T) {
	pidNeedGit(t)
	dir := filepath.Join(t.TempDir(), "pay")
	s, err := repos.BuildStory(dir)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := Open(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	for _, spec := range []string{s.Base + ".." + s.Head, s.Base + ".." + s.Release} {
		base, head, err := repo.ParseRange(spec)
		if err != nil {
			t.Fatal(err)
		}
		rng, err := repo.ReadRange(context.Background(), base, head, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		log := pidGit(t, s.Dir, nil, "log", "-p", "-M", "--no-color", "--format=commit %H", spec)
		want := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(pidGit(t, s.Dir, log, "patch-id", "--stable"))), "\n") {
			if f := strings.Fields(l); len(f) == 2 {
				want[f[1]] = f[0]
			}
		}
		checked := 0
		for _, c := range rng.Commits {
			if c.Merge {
				continue
			}
			got, err := PatchID(c.Changes, repo.ReadBlob)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[c.Hash.String()]
			if !ok {
				w = plumbing.ZeroHash.String()
			}
			if got.String() != w {
				t.Errorf("%s %s: patch-id %s, git says %s", c.Short(), c.Subject, got, w)
			}
			checked++
		}
		if checked < 5 {
			t.Errorf("%s: only %d commits checked", spec, checked)
		}
	}
}
