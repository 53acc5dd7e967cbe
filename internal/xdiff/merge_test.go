package xdiff

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type triple struct{ base, ours, theirs []byte }

// randomTriple makes a base and two sides edited from it, sometimes
// identically, sometimes not at all.
func randomTriple(r *rand.Rand, maxLines, maxEdits int) triple {
	alphabet := codeLines
	if r.IntN(3) == 0 {
		alphabet = tinyLines
	}
	base := randomLines(r, alphabet, r.IntN(maxLines+1))
	ours := mutate(r, alphabet, base, r.IntN(maxEdits+1))
	theirs := mutate(r, alphabet, base, r.IntN(maxEdits+1))
	switch r.IntN(12) {
	case 0:
		theirs = ours // identical changes
	case 1:
		ours = mutate(r, alphabet, theirs, 1) // nearly identical
	}
	crlf := r.IntN(6) == 0
	noEOL := func() bool { return r.IntN(6) == 0 }
	return triple{
		base:   joinLines(r, base, crlf, noEOL()),
		ours:   joinLines(r, ours, crlf, noEOL()),
		theirs: joinLines(r, theirs, crlf, noEOL()),
	}
}

// realisticTriple edits a source file with mostly distinct lines on
// both sides, sometimes in the same places.
func realisticTriple(r *rand.Rand) triple {
	base := realisticSource(r, 50+r.IntN(1000))
	ours := editScattered(r, base, 1+r.IntN(15))
	theirs := editScattered(r, base, 1+r.IntN(15))
	if r.IntN(3) == 0 {
		theirs = editScattered(r, ours, 1+r.IntN(3))
	}
	return triple{joinLines(r, base, false, false), joinLines(r, ours, false, false), joinLines(r, theirs, false, false)}
}

// gitMergeFile runs git merge-file -p and returns the output and the
// number of conflicts it reported.
func gitMergeFile(t *testing.T, dir string, tr triple, extra ...string) ([]byte, int) {
	t.Helper()
	for name, data := range map[string][]byte{"base": tr.base, "ours": tr.ours, "theirs": tr.theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := append([]string{"merge-file", "-p"}, extra...)
	args = append(args, "-L", "ours", "-L", "base", "-L", "theirs", "ours", "base", "theirs")
	out, code := runGit(t, dir, args...)
	if code < 0 || code >= 127 {
		t.Fatalf("git merge-file exited %d", code)
	}
	return out, code
}

func TestMerge3MatchesGitMergeFile(t *testing.T) {
	gitBinary(t)
	r := rand.New(rand.NewPCG(21, 22))
	dir := t.TempDir()
	n := 300
	if testing.Short() {
		n = 60
	}
	opts := MergeFileOptions()
	opts.OursLabel, opts.BaseLabel, opts.TheirsLabel = "ours", "base", "theirs"
	conflicted := 0
	for i := range n {
		tr := randomTriple(r, 40, 6)
		switch i % 10 {
		case 0:
			tr = randomTriple(r, 300, 30)
		case 1:
			tr = realisticTriple(r)
		}
		want, conflicts := gitMergeFile(t, dir, tr)
		got := Merge3(tr.base, tr.ours, tr.theirs, opts)
		if conflicts > 0 {
			conflicted++
		}
		checkMerge(t, i, tr, got, want, conflicts)
	}
	if conflicted < n/5 || conflicted > n*4/5 {
		t.Errorf("corpus not balanced: %d of %d merges conflict", conflicted, n)
	}
}

func TestMerge3StylesMatchGitMergeFile(t *testing.T) {
	gitBinary(t)
	r := rand.New(rand.NewPCG(23, 24))
	dir := t.TempDir()
	styles := []struct {
		flag  string
		style MergeStyle
	}{{"--diff3", StyleDiff3}, {"--zdiff3", StyleZealousDiff3}}
	for _, s := range styles {
		opts := MergeFileOptions()
		opts.Style = s.style
		opts.OursLabel, opts.BaseLabel, opts.TheirsLabel = "ours", "base", "theirs"
		for i := range 60 {
			tr := randomTriple(r, 40, 6)
			want, conflicts := gitMergeFile(t, dir, tr, s.flag)
			checkMerge(t, i, tr, Merge3(tr.base, tr.ours, tr.theirs, opts), want, conflicts)
		}
	}
	for _, f := range []struct {
		flag  string
		favor MergeFavor
	}{{"--ours", FavorOurs}, {"--theirs", FavorTheirs}, {"--union", FavorUnion}} {
		opts := MergeFileOptions()
		opts.Favor = f.favor
		for i := range 40 {
			tr := randomTriple(r, 40, 6)
			want, conflicts := gitMergeFile(t, dir, tr, f.flag)
			checkMerge(t, i, tr, Merge3(tr.base, tr.ours, tr.theirs, opts), want, conflicts)
		}
	}
}

func checkMerge(t *testing.T, i int, tr triple, got MergeResult, want []byte, conflicts int) {
	t.Helper()
	if got.Err != nil {
		t.Fatalf("triple %d: %v", i, got.Err)
	}
	if !bytes.Equal(got.Content, want) || got.Clean != (conflicts == 0) || len(got.Conflicts) != conflicts {
		t.Fatalf("triple %d differs from git (git: %d conflicts, ours: clean=%v %d conflicts)\n"+
			"base=%q\nours=%q\ntheirs=%q\n got=%q\nwant=%q",
			i, conflicts, got.Clean, len(got.Conflicts), tr.base, tr.ours, tr.theirs, got.Content, want)
	}
}

// TestMerge3MatchesGitMergeOrt compares DefaultMergeOptions with the
// content merges of merge-ort (what cherry-pick uses): one repository
// where each path is one random triple, merged by git merge-tree.
func TestMerge3MatchesGitMergeOrt(t *testing.T) {
	gitBinary(t)
	n := 300
	if testing.Short() {
		n = 80
	}
	r := rand.New(rand.NewPCG(25, 26))
	triples := make([]triple, n)
	for i := range triples {
		switch i % 10 {
		case 0:
			triples[i] = randomTriple(r, 400, 40)
		case 1, 2:
			triples[i] = realisticTriple(r)
		default:
			triples[i] = randomTriple(r, 50, 7)
		}
	}
	merged, conflicted := gitMergeOrt(t, triples)

	opts := DefaultMergeOptions()
	opts.OursLabel, opts.TheirsLabel = "ours", "theirs"
	nconf := 0
	for i, tr := range triples {
		got := Merge3(tr.base, tr.ours, tr.theirs, opts)
		if got.Err != nil {
			t.Fatalf("triple %d: %v", i, got.Err)
		}
		if conflicted[i] {
			nconf++
		}
		if !bytes.Equal(got.Content, merged[i]) || got.Clean == conflicted[i] {
			t.Fatalf("triple %d differs from merge-ort (git conflicted=%v, ours clean=%v)\n"+
				"base=%q\nours=%q\ntheirs=%q\n got=%q\nwant=%q",
				i, conflicted[i], got.Clean, tr.base, tr.ours, tr.theirs, got.Content, merged[i])
		}
	}
	if nconf < n/5 || nconf > n*4/5 {
		t.Errorf("corpus not balanced: %d of %d merges conflict", nconf, n)
	}
}

// gitMergeOrt commits the bases, ours and theirs of all triples as files
// 00000, 00001, ... on three commits and merges them with
// `git merge-tree --write-tree ours theirs`.
func gitMergeOrt(t *testing.T, triples []triple) (merged [][]byte, conflicted []bool) {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) []byte {
		out, code := runGit(t, dir, args...)
		if code != 0 {
			t.Fatalf("git %v exited %d", args, code)
		}
		return out
	}
	writeAll := func(pick func(triple) []byte) {
		for i, tr := range triples {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d", i)), pick(tr), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git("add", "-A")
	}
	git("init", "-q", "-b", "main")
	writeAll(func(tr triple) []byte { return tr.base })
	git("commit", "-q", "-m", "base")
	git("checkout", "-q", "-b", "ours")
	writeAll(func(tr triple) []byte { return tr.ours })
	git("commit", "-q", "--allow-empty", "-m", "ours")
	git("checkout", "-q", "-b", "theirs", "main")
	writeAll(func(tr triple) []byte { return tr.theirs })
	git("commit", "-q", "--allow-empty", "-m", "theirs")

	out, code := runGit(t, dir, "merge-tree", "--write-tree", "ours", "theirs")
	if code > 1 {
		t.Fatalf("git merge-tree exited %d:\n%s", code, out)
	}
	lines := strings.Split(string(out), "\n")
	tree := lines[0]
	conflicted = make([]bool, len(triples))
	for _, l := range lines[1:] {
		if l == "" {
			break
		}
		// <mode> <object> <stage>\t<path>
		_, path, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("unexpected merge-tree line %q", l)
		}
		i, err := strconv.Atoi(path)
		if err != nil {
			t.Fatalf("unexpected merge-tree path %q", path)
		}
		conflicted[i] = true
	}

	var req bytes.Buffer
	for i := range triples {
		fmt.Fprintf(&req, "%s:%05d\n", tree, i)
	}
	cmd := gitCommand(t, dir, "cat-file", "--batch")
	cmd.Stdin = &req
	blobs, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file --batch: %v", err)
	}
	br := bufio.NewReader(bytes.NewReader(blobs))
	merged = make([][]byte, len(triples))
	for i := range triples {
		header, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(header)
		if len(f) != 3 {
			t.Fatalf("unexpected cat-file header %q", header)
		}
		size, _ := strconv.Atoi(f[2])
		merged[i] = make([]byte, size+1)
		if _, err := io.ReadFull(br, merged[i]); err != nil {
			t.Fatal(err)
		}
		merged[i] = merged[i][:size]
	}
	return merged, conflicted
}

func TestMerge3Basics(t *testing.T) {
	opts := DefaultMergeOptions()
	opts.OursLabel, opts.TheirsLabel = "HEAD", "pick"
	base := []byte("a\nb\nc\nd\ne\n")

	res := Merge3(base, []byte("a\nB\nc\nd\ne\n"), []byte("a\nb\nc\nd\nE\n"), opts)
	if !res.Clean || string(res.Content) != "a\nB\nc\nd\nE\n" || len(res.Conflicts) != 0 {
		t.Errorf("separate edits: %+v", res)
	}

	res = Merge3(base, []byte("a\nX\nc\nd\ne\n"), []byte("a\nY\nc\nd\ne\n"), opts)
	want := "a\n<<<<<<< HEAD\nX\n=======\nY\n>>>>>>> pick\nc\nd\ne\n"
	if res.Clean || string(res.Content) != want {
		t.Errorf("same line edited: clean=%v\n%s", res.Clean, res.Content)
	}
	wantConflict := Conflict{Ours: LineRange{2, 1}, Theirs: LineRange{2, 1}, Base: LineRange{2, 1}}
	if len(res.Conflicts) != 1 || res.Conflicts[0] != wantConflict {
		t.Errorf("conflicts = %+v, want %+v", res.Conflicts, wantConflict)
	}

	res = Merge3(base, []byte("a\nX\nc\nd\ne\n"), []byte("a\nX\nc\nd\ne\n"), opts)
	if !res.Clean || string(res.Content) != "a\nX\nc\nd\ne\n" {
		t.Errorf("identical edits: %+v", res)
	}

	res = Merge3(base, []byte("a\x00b"), base, opts)
	if !res.Binary || res.Clean || string(res.Content) != "a\x00b" {
		t.Errorf("binary: %+v", res)
	}
}

func FuzzMerge3(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), []byte("a\nb\nC\n"), uint8(0))
	f.Add([]byte("a\nb\nc\n"), []byte("a\nX\nc\n"), []byte("a\nY\nc\n"), uint8(1))
	f.Add([]byte(""), []byte("x"), []byte("y\n"), uint8(2))
	f.Add([]byte("a\r\nb\r\n"), []byte("a\r\nc\r\n"), []byte("a\r\nd"), uint8(3))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte, mode uint8) {
		opts := DefaultMergeOptions()
		if mode&1 != 0 {
			opts = MergeFileOptions()
		}
		opts.Style = MergeStyle(mode >> 1 % 3)
		res := Merge3(base, ours, theirs, opts)
		if res.Err != nil {
			return
		}
		if res.Binary {
			return
		}
		if res.Clean != (len(res.Conflicts) == 0) {
			t.Fatalf("clean=%v with %d conflicts", res.Clean, len(res.Conflicts))
		}
		// One side unchanged: the merge is the other side.
		if bytes.Equal(base, ours) && !bytes.Equal(res.Content, theirs) ||
			bytes.Equal(base, theirs) && !bytes.Equal(res.Content, ours) {
			t.Fatalf("one-sided merge must take the other side: %q", res.Content)
		}
		if bytes.Equal(ours, theirs) && (!res.Clean || !bytes.Equal(res.Content, ours)) {
			t.Fatalf("identical sides must merge cleanly to themselves: %q", res.Content)
		}
		nOurs, nTheirs, nBase := len(SplitLines(ours)), len(SplitLines(theirs)), len(SplitLines(base))
		for _, c := range res.Conflicts {
			if !inRange(c.Ours, nOurs) || !inRange(c.Theirs, nTheirs) || !inRange(c.Base, nBase) {
				t.Fatalf("conflict %+v out of range (%d/%d/%d lines)", c, nOurs, nTheirs, nBase)
			}
		}
	})
}

func inRange(r LineRange, n int) bool {
	if r.Count == 0 {
		return r.Start >= 0 && r.Start <= n
	}
	return r.Start >= 1 && r.Start+r.Count-1 <= n
}
