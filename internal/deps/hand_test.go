package deps

import (
	"context"
	"crypto/sha1"
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/internal/xdiff"
)

// history builds commits by hand, with a fake Source behind them.
type history struct {
	t       *testing.T
	commits []*vcs.Commit
	byName  map[string]*vcs.Commit
	names   map[plumbing.Hash]string
	src     *fakeSource
	base    *vcs.Commit
}

type fakeSource struct {
	commits map[plumbing.Hash]*vcs.Commit
	diffs   map[[2]plumbing.Hash][]vcs.FileChange
	trees   map[plumbing.Hash]map[string]vcs.TreeEntry
	blobs   map[plumbing.Hash][]byte
}

func (f *fakeSource) Commit(h plumbing.Hash) (*vcs.Commit, error) {
	if c, ok := f.commits[h]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("no commit %s", h)
}

func (f *fakeSource) DiffTrees(a, b plumbing.Hash) ([]vcs.FileChange, error) {
	if d, ok := f.diffs[[2]plumbing.Hash{a, b}]; ok {
		return append([]vcs.FileChange(nil), d...), nil
	}
	return nil, fmt.Errorf("no diff %s..%s", a, b)
}

func (f *fakeSource) TreeFiles(t plumbing.Hash) (map[string]vcs.TreeEntry, error) {
	return f.trees[t], nil
}

func (f *fakeSource) ReadBlob(h plumbing.Hash) ([]byte, error) {
	if b, ok := f.blobs[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("no blob %s", h)
}

func hashOf(s string) plumbing.Hash { return plumbing.Hash(sha1.Sum([]byte(s))) }

func newHistory(t *testing.T, baseFiles map[string]string) *history {
	h := &history{t: t, byName: map[string]*vcs.Commit{}, names: map[plumbing.Hash]string{},
		src: &fakeSource{commits: map[plumbing.Hash]*vcs.Commit{}, diffs: map[[2]plumbing.Hash][]vcs.FileChange{},
			trees: map[plumbing.Hash]map[string]vcs.TreeEntry{}, blobs: map[plumbing.Hash][]byte{}}}
	h.base = &vcs.Commit{Hash: hashOf("commit:BASE"), Tree: hashOf("tree:BASE"), Subject: "base"}
	h.src.commits[h.base.Hash] = h.base
	h.names[h.base.Hash] = "BASE"
	h.byName["BASE"] = h.base
	files := map[string]vcs.TreeEntry{}
	for p, content := range baseFiles {
		bh := hashOf("blob:" + content)
		files[p] = vcs.TreeEntry{Mode: 0o100644, Hash: bh}
		h.src.blobs[bh] = []byte(content)
	}
	h.src.trees[h.base.Tree] = files
	return h
}

// commit adds a non-merge commit on parent (a name; "" = the base).
func (h *history) commit(name, parent, msg string, changes ...vcs.FileChange) *vcs.Commit {
	if parent == "" {
		parent = "BASE"
	}
	p := h.byName[parent]
	if p == nil {
		h.t.Fatalf("unknown parent %s", parent)
	}
	if msg == "" {
		msg = name
	}
	c := &vcs.Commit{Hash: hashOf("commit:" + name), Tree: hashOf("tree:" + name), Parents: []plumbing.Hash{p.Hash},
		Message: msg + "\n", Subject: strings.SplitN(msg, "\n", 2)[0], Changes: changes}
	h.add(name, c)
	return c
}

// merge adds a merge commit with its diff against each parent.
func (h *history) merge(name string, parents []string, diffs ...[]vcs.FileChange) *vcs.Commit {
	c := &vcs.Commit{Hash: hashOf("commit:" + name), Tree: hashOf("tree:" + name), Merge: true, Message: name + "\n", Subject: name}
	for i, pn := range parents {
		p := h.byName[pn]
		c.Parents = append(c.Parents, p.Hash)
		h.src.diffs[[2]plumbing.Hash{p.Tree, c.Tree}] = diffs[i]
	}
	h.add(name, c)
	return c
}

func (h *history) add(name string, c *vcs.Commit) {
	h.commits = append(h.commits, c)
	h.byName[name] = c
	h.names[c.Hash] = name
	h.src.commits[c.Hash] = c
}

func (h *history) build(opts Options) *Graph {
	h.t.Helper()
	rng := &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	g, err := Build(context.Background(), h.src, rng, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	return g
}

// edges renders a graph's edges as "B->A kind path lines [evidence]" lines.
func (h *history) edges(g *Graph, kinds ...Kind) string {
	var lines []string
	for _, e := range g.Edges(kinds...) {
		s := fmt.Sprintf("%s->%s %s", h.names[e.Commit], h.names[e.DependsOn], e.Kind)
		if e.Path != "" {
			s += " " + e.Path
		}
		if len(e.Lines) > 0 {
			s += ":" + e.LinesText()
		}
		if e.Evidence != "" {
			s += " [" + e.Evidence + "]"
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

func (h *history) expect(g *Graph, want string, kinds ...Kind) {
	h.t.Helper()
	got := h.edges(g, kinds...)
	want = strings.TrimSpace(dedent(want))
	if got != want {
		h.t.Errorf("edges:\n%s\nwant:\n%s", got, want)
	}
}

func dedent(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Change constructors. hk is a -U0 hunk; its added lines are "+" + text.
func hk(oldStart, oldLines, newStart, newLines int, added ...string) vcs.Hunk {
	for len(added) < newLines {
		added = append(added, fmt.Sprintf("%d = %d", newStart+len(added), len(added)))
	}
	return vcs.Hunk{OldStart: oldStart, OldLines: oldLines, NewStart: newStart, NewLines: newLines, Lines: added}
}

func mod(path string, hunks ...vcs.Hunk) vcs.FileChange {
	return vcs.FileChange{Status: vcs.Modified, OldPath: path, NewPath: path, OldMode: 0o100644, NewMode: 0o100644,
		OldHash: hashOf("old:" + path + fmt.Sprint(hunks)), NewHash: hashOf("new:" + path + fmt.Sprint(hunks)), Hunks: hunks}
}

func add(path string, lines ...string) vcs.FileChange {
	fc := vcs.FileChange{Status: vcs.Added, NewPath: path, NewMode: 0o100644, NewHash: hashOf("new:" + path + strings.Join(lines, "\n")), Added: len(lines)}
	if len(lines) > 0 {
		fc.Hunks = []vcs.Hunk{{OldStart: 0, OldLines: 0, NewStart: 1, NewLines: len(lines), Lines: lines}}
	}
	return fc
}

func addN(path string, n int) vcs.FileChange {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("%d", i+1)
	}
	return add(path, lines...)
}

func del(path string, n int) vcs.FileChange {
	fc := vcs.FileChange{Status: vcs.Deleted, OldPath: path, OldMode: 0o100644, OldHash: hashOf("old:" + path), Deleted: n}
	if n > 0 {
		fc.Hunks = []vcs.Hunk{{OldStart: 1, OldLines: n, NewStart: 0, NewLines: 0}}
	}
	return fc
}

func ren(from, to string, hunks ...vcs.Hunk) vcs.FileChange {
	fc := mod(from, hunks...)
	fc.Status, fc.NewPath, fc.Similarity = vcs.Renamed, to, 90
	if len(hunks) == 0 {
		fc.NewHash, fc.Similarity = fc.OldHash, 100
	}
	return fc
}

func binary(fc vcs.FileChange, src *fakeSource, content string) vcs.FileChange {
	fc.Binary, fc.Hunks, fc.Added, fc.Deleted = true, nil, 0, 0
	fc.NewHash = hashOf("bin:" + content)
	src.blobs[fc.NewHash] = []byte(content)
	return fc
}

func TestLineEdge(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", mod("f", hk(5, 1, 5, 1)))
	h.commit("B", "A", "", mod("f", hk(5, 1, 5, 2)))
	h.commit("C", "B", "", mod("f", hk(4, 3, 4, 1))) // rewrites 4-6: B's 5-6 and base's 4
	h.expect(h.build(Options{}), `
		B->A line f:5
		C->B line f:5-6
	`)
}

func TestAdjacentEdges(t *testing.T) {
	for _, c := range []struct {
		name string
		hunk vcs.Hunk
		want string
	}{
		{"modify the line after", hk(6, 1, 6, 1), "B->A adjacent f:5"},
		{"modify the line before", hk(4, 1, 4, 1), "B->A adjacent f:5"},
		{"insert right after", hk(5, 0, 6, 1), "B->A adjacent f:5"},
		{"insert right before", hk(4, 0, 5, 1), "B->A adjacent f:5"},
		{"one unchanged line between", hk(7, 1, 7, 1), ""},
		{"insert one line away", hk(3, 0, 4, 1), ""},
		{"delete the line after", hk(6, 1, 5, 0), "B->A adjacent f:5"},
		{"overlap", hk(4, 3, 4, 3), "B->A line f:5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHistory(t, nil)
			h.commit("A", "", "", mod("f", hk(5, 1, 5, 1)))
			h.commit("B", "A", "", mod("f", c.hunk))
			h.expect(h.build(Options{}), c.want)
		})
	}
}

func TestDeletionPoint(t *testing.T) {
	// A deletes line 5: a change touching the place it was conflicts with
	// undoing A, as git's merge sees it.
	for _, c := range []struct {
		name string
		hunk vcs.Hunk
		want string
	}{
		{"modify the line that followed", hk(5, 1, 5, 1), "B->A adjacent f:after 4"},
		{"modify the line that preceded", hk(4, 1, 4, 1), "B->A adjacent f:after 4"},
		{"insert at the place", hk(4, 0, 5, 1), "B->A adjacent f:after 4"},
		{"two lines away", hk(6, 1, 6, 1), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHistory(t, nil)
			h.commit("A", "", "", mod("f", hk(5, 1, 4, 0)))
			h.commit("B", "A", "", mod("f", c.hunk))
			h.expect(h.build(Options{}), c.want)
		})
	}
}

func TestOwnershipShifts(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", mod("f", hk(10, 1, 10, 1)))
	h.commit("C", "A", "", mod("f", hk(0, 0, 1, 3)))                   // three lines on top: A's line is now 13
	h.commit("D", "C", "", mod("f", hk(2, 2, 2, 0), hk(20, 0, 19, 2))) // two lines out above (now 11), two added far below
	h.commit("B", "D", "", mod("f", hk(11, 1, 11, 1)))
	h.commit("E", "B", "", mod("f", hk(10, 0, 11, 1))) // right before B's line 11
	h.expect(h.build(Options{}), `
		D->C line f:2-3
		B->A line f:11
		E->B adjacent f:11
	`)
}

// An adjacent edge is left out when the same commits already share a line
// edge on the file (B's insertion between A's lines 19 and 20, D's edit next
// to A's line 14).
func TestSeveralHunksAgainstOneRun(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", mod("f", hk(10, 0, 11, 10)))                                     // lines 11-20
	h.commit("B", "A", "", mod("f", hk(12, 1, 12, 1), hk(15, 2, 15, 0), hk(19, 0, 18, 1))) // cuts A's run three times
	h.commit("C", "B", "", mod("f", hk(11, 1, 11, 1), hk(13, 1, 13, 1)))                   // A's 11, A's 13
	h.commit("D", "C", "", mod("f", hk(15, 1, 15, 1)))                                     // deletion point of B at 15 (before A's old 17)
	h.expect(h.build(Options{}), `
		B->A line f:12, 15-16
		C->A line f:11, 13
		C->B adjacent f:12
		D->A line f:15
		D->B adjacent f:after 14
	`)
}

func TestFileEdges(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", addN("g", 3))
	h.commit("B", "A", "", mod("g", hk(3, 0, 4, 1)))
	h.commit("C", "B", "", del("h", 5))
	h.commit("D", "C", "", add("h", "again"))
	h.commit("E", "D", "", del("g", 4))
	h.expect(h.build(Options{}), `
		B->A adjacent g:3
		B->A file g [modifies]
		D->C file h [re-creates]
		E->A line g:1-3
		E->A file g [deletes]
		E->B line g:4
	`)
}

func TestRenameEdges(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", ren("old.go", "new.go", hk(3, 1, 3, 1)))
	h.commit("B", "A", "", mod("new.go", hk(8, 1, 8, 1)))
	h.commit("C", "B", "", mod("new.go", hk(3, 1, 3, 1)))
	h.commit("D", "C", "", add("old.go", "a new file where the old one was"))
	h.expect(h.build(Options{}), `
		B->A rename new.go [old.go]
		C->A line new.go:3
		C->A rename new.go [old.go]
		D->A file old.go [re-creates]
	`)
}

func TestRenameCarriesCreator(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", addN("a.txt", 4))
	h.commit("R", "A", "", ren("a.txt", "b.txt"))
	h.commit("B", "R", "", mod("b.txt", hk(2, 1, 2, 1)))
	h.expect(h.build(Options{}), `
		R->A file a.txt [renames]
		B->A line b.txt:2
		B->A file b.txt [modifies]
		B->R rename b.txt [a.txt]
	`)
}

func TestRevertAndFixup(t *testing.T) {
	h := newHistory(t, nil)
	a := h.commit("A", "", "PAY-109: reduced book rate", mod("f", hk(1, 1, 1, 1)))
	h.commit("X", "A", "", mod("g", hk(1, 1, 1, 1)))
	h.commit("R", "X", fmt.Sprintf("Revert \"PAY-109: reduced book rate\"\n\nThis reverts commit %s.", a.Hash), mod("f", hk(1, 1, 1, 1)))
	h.commit("F", "R", "fixup! PAY-109: reduced", mod("g", hk(9, 1, 9, 1)))
	h.commit("S", "F", "squash! fixup! X", mod("h", hk(9, 1, 9, 1)))
	h.commit("Q", "S", "Revert \"nothing like it\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.", mod("q", hk(1, 1, 1, 1)))
	g := h.build(Options{})
	h.expect(g, fmt.Sprintf(`
		R->A revert [This reverts commit %s.]
		F->A revert [fixup! PAY-109: reduced]
		S->X revert [squash! fixup! X]
	`, a.Hash), Revert)
	if len(g.Notes) != 1 || !strings.Contains(g.Notes[0], "0123456789abcdef") {
		t.Errorf("notes: %q", g.Notes)
	}
}

func TestSymbolEdges(t *testing.T) {
	h := newHistory(t, map[string]string{"rates.go": "const BOOK_RATE = 1.0 // existing payment\nfunc price() {}\n"})
	h.commit("A", "", "", mod("rates.go", hk(1, 0, 2, 1, "const REDUCED_BOOK_RATE = 0.5 * BOOK_RATE")))
	h.commit("B", "A", "", add("cart.go", "total := price() * REDUCED_BOOK_RATE // uses BOOK_RATE too"))
	h.commit("C", "B", "", add("i18n/fr.properties", "payment.reduced_rate.label=Tarif réduit"))
	h.commit("D", "C", "", mod("view.html", hk(4, 0, 5, 1, `{{ t("payment.reduced_rate.label") }}`)))
	g := h.build(Options{})
	h.expect(g, `
		B->A symbol cart.go:1 [REDUCED_BOOK_RATE]
		D->C symbol view.html:5 [payment.reduced_rate.label]
	`, Symbol)
	if e := h.edges(h.build(Options{NoSymbols: true}), Symbol); e != "" {
		t.Errorf("NoSymbols still found %s", e)
	}
}

// content registers a named file content as a blob of the fake source.
func (h *history) content(name, text string) {
	h.src.blobs[hashOf("blob:"+name)] = []byte(text)
}

// change diffs two named contents ("" for none) as the reader would.
func (h *history) change(path, from, to string) vcs.FileChange {
	fc := vcs.FileChange{Status: vcs.Modified, OldPath: path, NewPath: path, OldMode: 0o100644, NewMode: 0o100644,
		OldHash: hashOf("blob:" + from), NewHash: hashOf("blob:" + to)}
	switch {
	case from == "":
		fc.Status, fc.OldPath, fc.OldMode, fc.OldHash = vcs.Added, "", 0, plumbing.ZeroHash
	case to == "":
		fc.Status, fc.NewPath, fc.NewMode, fc.NewHash = vcs.Deleted, "", 0, plumbing.ZeroHash
	}
	a, b := h.src.blobs[fc.OldHash], h.src.blobs[fc.NewHash]
	newLines := strings.SplitAfter(string(b), "\n")
	for _, x := range xdiff.Diff(a, b, xdiff.DefaultOptions()) {
		hunk := vcs.Hunk{OldStart: x.OldStart, OldLines: x.OldLines, NewStart: x.NewStart, NewLines: x.NewLines}
		for i := 0; i < x.NewLines; i++ {
			hunk.Lines = append(hunk.Lines, strings.TrimSuffix(newLines[x.NewStart-1+i], "\n"))
		}
		fc.Hunks = append(fc.Hunks, hunk)
	}
	return fc
}

// numbered is "L1\n" ... "Ln\n", with some lines replaced (or followed by others).
func numbered(n int, replace map[int]string) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		if r, ok := replace[i]; ok {
			sb.WriteString(r)
			continue
		}
		fmt.Fprintf(&sb, "L%d\n", i)
	}
	return sb.String()
}

func TestSymbolNeedsAncestry(t *testing.T) {
	// Two branches introduce the same name independently: a use binds to
	// the introduction its own history has.
	h := newHistory(t, nil)
	h.content("a1", "var SHARED_LIMIT = 1\n")
	h.content("a2", "var SHARED_LIMIT = 1\ny := SHARED_LIMIT\n")
	h.content("b1", "var SHARED_LIMIT = 2\n")
	h.content("b2", "var SHARED_LIMIT = 2\nx := SHARED_LIMIT\n")
	h.commit("A1", "", "", h.change("a.go", "", "a1"))
	h.commit("B1", "", "", h.change("b.go", "", "b1"))
	h.commit("B2", "B1", "", h.change("b.go", "b1", "b2"))
	h.commit("A2", "A1", "", h.change("a.go", "a1", "a2"))
	h.merge("M", []string{"A2", "B2"}, []vcs.FileChange{h.change("b.go", "", "b2")}, []vcs.FileChange{h.change("a.go", "", "a2")})
	h.expect(h.build(Options{}), `
		B2->B1 symbol b.go:2 [SHARED_LIMIT]
		A2->A1 symbol a.go:2 [SHARED_LIMIT]
	`, Symbol)
}

func TestMergeTakesOwnersFromEachParent(t *testing.T) {
	h := newHistory(t, nil)
	h.content("f", numbered(30, nil))
	h.content("f@R1", numbered(30, map[int]string{20: "R20\n"}))
	h.content("f@H", numbered(30, map[int]string{5: "H5\n"}))
	h.content("f@M", numbered(30, map[int]string{5: "H5\n", 20: "R20\n"}))
	h.content("n@H", "n1\nn2\nn3\n")
	h.commit("R1", "", "", h.change("f", "f", "f@R1"))
	h.commit("H", "", "", h.change("f", "f", "f@H"), h.change("n.txt", "", "n@H"))
	h.merge("M", []string{"R1", "H"},
		[]vcs.FileChange{h.change("f", "f@R1", "f@M"), h.change("n.txt", "", "n@H")}, // against R1: H's changes come in
		[]vcs.FileChange{h.change("f", "f@H", "f@M")})                                // against H: R1's
	h.commit("R2", "M", "", mod("f", hk(5, 1, 5, 1), hk(20, 1, 20, 1)), mod("n.txt", hk(2, 1, 2, 1)))
	h.expect(h.build(Options{}), `
		R2->R1 line f:20
		R2->H line f:5
		R2->H line n.txt:2
		R2->H file n.txt [modifies]
	`)
}

func TestMergeResolvingAConflict(t *testing.T) {
	h := newHistory(t, nil)
	h.content("f", numbered(40, nil))
	h.content("f@R1", numbered(40, map[int]string{5: "R5\n", 30: "R30\n"}))
	h.content("f@H", numbered(40, map[int]string{5: "H5\n", 10: "L10\nH10a\nH10b\n"}))
	// M keeps R1's line 30, H's two new lines (now 11-12), and writes its own line 5.
	h.content("f@M", numbered(40, map[int]string{5: "M5\n", 10: "L10\nH10a\nH10b\n", 30: "R30\n"}))
	h.commit("R1", "", "", h.change("f", "f", "f@R1"))
	h.commit("H", "", "", h.change("f", "f", "f@H"))
	h.merge("M", []string{"R1", "H"}, []vcs.FileChange{h.change("f", "f@R1", "f@M")}, []vcs.FileChange{h.change("f", "f@H", "f@M")})
	// Only the diff against the first parent is needed: the second file is diffed alone.
	delete(h.src.diffs, [2]plumbing.Hash{h.byName["H"].Tree, h.byName["M"].Tree})
	h.commit("B", "M", "", mod("f", hk(5, 1, 5, 1), hk(12, 1, 12, 1), hk(32, 1, 32, 1)))
	h.expect(h.build(Options{}), `
		M->R1 line f:5
		M->H line f:5
		B->R1 line f:32
		B->H line f:12
		B->M line f:5
	`)
}

func TestMergeKeepsTheOtherParentsVersion(t *testing.T) {
	// The merge took H's whole file (a "theirs" resolution): lines come from
	// H, and its view says so without diffing the merge against H.
	h := newHistory(t, nil)
	h.content("f", numbered(10, nil))
	h.content("f@R1", numbered(10, map[int]string{2: "R2\n"}))
	h.content("f@H", numbered(10, map[int]string{8: "H8\n"}))
	h.commit("R1", "", "", h.change("f", "f", "f@R1"))
	h.commit("H", "", "", h.change("f", "f", "f@H"))
	h.merge("M", []string{"R1", "H"}, []vcs.FileChange{h.change("f", "f@R1", "f@H")}, nil)
	delete(h.src.diffs, [2]plumbing.Hash{h.byName["H"].Tree, h.byName["M"].Tree})
	h.commit("B", "M", "", mod("f", hk(2, 1, 2, 1), hk(8, 1, 8, 1)))
	h.expect(h.build(Options{}), `
		B->H line f:8
	`)
}

func TestBinaryFiles(t *testing.T) {
	h := newHistory(t, nil)
	h.commit("A", "", "", binary(add("logo.png"), h.src, "\x89PNG\x00\x01"))
	h.commit("B", "A", "", binary(mod("logo.png"), h.src, "\x89PNG\x00\x02"))
	h.commit("C", "B", "", binary(mod("logo.png"), h.src, "now text\nof two lines\n"))
	h.commit("D", "C", "", mod("logo.png", hk(2, 1, 2, 1)))
	h.expect(h.build(Options{}), `
		B->A line logo.png [binary]
		B->A file logo.png [modifies]
		C->A file logo.png [modifies]
		C->B line logo.png [binary]
		D->A file logo.png [modifies]
		D->C line logo.png:2
	`)
}

func TestBothDirections(t *testing.T) {
	h := newHistory(t, nil)
	a := h.commit("A", "", "", addN("g", 3))
	b := h.commit("B", "A", "", mod("g", hk(2, 1, 2, 1)))
	c := h.commit("C", "B", "", mod("g", hk(2, 1, 2, 1)))
	g := h.build(Options{})
	render := func(es []Edge) string {
		var out []string
		for _, e := range es {
			out = append(out, h.names[e.Commit]+"->"+h.names[e.DependsOn]+" "+string(e.Kind))
		}
		return strings.Join(out, ", ")
	}
	if got := render(g.DependsOn(c.Hash)); got != "C->A adjacent, C->A file, C->B line" {
		t.Errorf("C depends on %s", got)
	}
	if got := render(g.RequiredBy(a.Hash)); got != "B->A line, B->A file, C->A adjacent, C->A file" {
		t.Errorf("A is required by %s", got)
	}
	if got := render(g.RequiredBy(a.Hash, File)); got != "B->A file, C->A file" {
		t.Errorf("A is required through file edges by %s", got)
	}
	if got := render(g.RequiredBy(b.Hash)); got != "C->B line" {
		t.Errorf("B is required by %s", got)
	}
	if got := g.DependsOn(hashOf("nope")); got != nil {
		t.Errorf("unknown commit: %v", got)
	}
}

func TestViewsAreFreed(t *testing.T) {
	// A long chain keeps one view alive at a time; two parallel branches two.
	h := newHistory(t, nil)
	prev := ""
	for i := 0; i < 200; i++ {
		name := fmt.Sprintf("C%d", i)
		h.commit(name, prev, "", mod("f", hk(i+1, 1, i+1, 1)))
		prev = name
	}
	rng := &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	b := &builder{ctx: context.Background(), src: h.src, g: newGraph(rng.Base, rng.Head, rng.Commits), edges: map[edgeKey]*Edge{}}
	if err := b.pass(b.prefetchMerges(), nil); err != nil {
		t.Fatal(err)
	}
	if b.peakViews != 1 || len(b.edges) != 199 {
		t.Fatalf("a chain of 200: %d views alive at most, %d edges; want 1 and 199", b.peakViews, len(b.edges))
	}
	h = newHistory(t, nil)
	h.commit("A0", "", "", mod("a", hk(1, 1, 1, 1)))
	h.commit("B0", "", "", mod("b", hk(1, 1, 1, 1)))
	for i := 1; i < 50; i++ {
		h.commit(fmt.Sprintf("A%d", i), fmt.Sprintf("A%d", i-1), "", mod("a", hk(i+1, 1, i+1, 1)))
		h.commit(fmt.Sprintf("B%d", i), fmt.Sprintf("B%d", i-1), "", mod("b", hk(i+1, 1, i+1, 1)))
	}
	rng = &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	b = &builder{ctx: context.Background(), src: h.src, g: newGraph(rng.Base, rng.Head, rng.Commits), edges: map[edgeKey]*Edge{}}
	if err := b.pass(b.prefetchMerges(), nil); err != nil {
		t.Fatal(err)
	}
	if b.peakViews != 2 {
		t.Fatalf("two interleaved branches: %d views alive at most, want 2", b.peakViews)
	}
}

func TestScanTokens(t *testing.T) {
	var got []string
	scanTokens(`if (rate == REDUCED_BOOK_RATE) { t('payment.reduced_rate.label'); self.total = café_rate + x1234 + deadbeef1 + Pattern.compile(LoyaltyService) }`, func(s string, def bool) {
		if def {
			s += "(def)"
		}
		got = append(got, s)
	})
	want := "REDUCED_BOOK_RATE reduced_rate payment.reduced_rate.label self.total(def) x1234 LoyaltyService"
	if strings.Join(got, " ") != want {
		t.Errorf("tokens: %q\nwant %q", strings.Join(got, " "), want)
	}
	for line, want := range map[string]string{
		"public static final BigDecimal REDUCED_BOOK_RATE = new BigDecimal(1);": "BigDecimal REDUCED_BOOK_RATE(def) BigDecimal",
		"    public boolean isStudent() {":                                      "isStudent(def)",
		"        if (booking.isStudent()) {":                                    "isStudent",
		"public class LoyaltyService {":                                         "LoyaltyService(def)",
		"mail.confirmation.subject=Votre réservation":                           "mail.confirmation.subject(def)",
		`  "loyalty.points_label": "Points",`:                                   "points_label(def) loyalty.points_label(def)",
		"return computeTotal(x) == MAX_RATE;":                                   "computeTotal MAX_RATE",
		"import java.util.HashMap;":                                             "HashMap",
		"def reduced_rate(self):":                                               "reduced_rate(def)",
	} {
		var got []string
		scanTokens(line, func(s string, def bool) {
			if def {
				s += "(def)"
			}
			got = append(got, s)
		})
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %q, want %q", line, strings.Join(got, " "), want)
		}
	}
}

func TestParseKinds(t *testing.T) {
	ks, err := ParseKinds([]string{"rename,symbol", " line "})
	if err != nil || len(ks) != 3 || ks[0] != Rename || ks[2] != Line {
		t.Fatalf("%v %v", ks, err)
	}
	if _, err := ParseKinds([]string{"symbols"}); err == nil || !strings.Contains(err.Error(), "use one of line, adjacent, file, revert, rename, symbol") {
		t.Fatalf("error: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	h := newHistory(t, nil)
	h.content("f", numbered(10, nil))
	h.content("f@A", numbered(10, map[int]string{2: "A\n"}))
	h.content("f@B", numbered(10, map[int]string{8: "B\n"}))
	h.content("f@M", numbered(10, map[int]string{2: "A\n", 8: "B\n"}))
	h.commit("A", "", "", h.change("f", "f", "f@A"))
	h.commit("B", "", "", h.change("f", "f", "f@B"))
	for i := 0; i < 20; i++ {
		h.merge(fmt.Sprintf("M%d", i), []string{"A", "B"}, []vcs.FileChange{h.change("f", "f@A", "f@M")}, []vcs.FileChange{h.change("f", "f@B", "f@M")})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rng := &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	if _, err := Build(ctx, h.src, rng, Options{}); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("cancelled build: %v", err)
	}
}
