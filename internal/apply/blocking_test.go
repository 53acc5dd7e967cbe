package apply

import (
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

func h(n byte) plumbing.Hash { return plumbing.Hash{n} }

func blockingGraph(t *testing.T, edges ...deps.Edge) *deps.Graph {
	t.Helper()
	var commits []*vcs.Commit
	for i := byte(1); i <= 6; i++ {
		commits = append(commits, &vcs.Commit{Hash: h(i)})
	}
	g, err := deps.NewGraph(h(0), h(6), commits, edges)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestFindBlockers(t *testing.T) {
	pick := h(6)
	g := blockingGraph(t,
		deps.Edge{Commit: pick, DependsOn: h(1), Kind: deps.Line, Path: "x", Lines: []deps.LineRange{{Start: 3, Count: 2}}},
		deps.Edge{Commit: pick, DependsOn: h(2), Kind: deps.Line, Path: "x", Lines: []deps.LineRange{{Start: 20, Count: 1}}},
		deps.Edge{Commit: pick, DependsOn: h(3), Kind: deps.Adjacent, Path: "x", Lines: []deps.LineRange{{Start: 6, Count: 1}}},
		deps.Edge{Commit: pick, DependsOn: h(4), Kind: deps.Line, Path: "x", Lines: []deps.LineRange{{Start: 4, Count: 1}}},
		deps.Edge{Commit: pick, DependsOn: h(5), Kind: deps.File, Path: "gone", Evidence: "modifies"},
		deps.Edge{Commit: pick, DependsOn: h(2), Kind: deps.Symbol, Path: "gone", Evidence: "Foo"},
	)
	onBranch := func(c plumbing.Hash) bool { return c == h(4) } // picked before the conflict
	c := &Conflict{Commit: pick, Paths: []ConflictPath{
		{Path: "x", BasePath: "x", Kind: "content", Regions: []ConflictRegion{{Base: LineRange{4, 2}}}},
		{Path: "gone", BasePath: "gone", Kind: "modify/delete", WholeFile: true},
	}}
	b := FindBlockers(g, c, onBranch)
	// h(1) wrote lines 3-4 (overlap), h(3) line 6 (touching), h(2) line 20
	// is elsewhere, h(4) is on the branch; h(5) created the deleted file.
	if want := []plumbing.Hash{h(1), h(3), h(5)}; !reflect.DeepEqual(b.Commits, want) {
		t.Fatalf("blocking %v, want %v", b.Commits, want)
	}
	if want := []plumbing.Hash{h(1), h(3)}; !reflect.DeepEqual(b.ByPath["x"], want) {
		t.Fatalf("x: %v", b.ByPath["x"])
	}
	// A conflict no edge's lines explain names every dependency on the path.
	c.Paths = []ConflictPath{{Path: "x", BasePath: "x", Regions: []ConflictRegion{{Base: LineRange{50, 1}}}}}
	if want := []plumbing.Hash{h(1), h(2), h(3)}; !reflect.DeepEqual(FindBlockers(g, c, onBranch).Commits, want) {
		t.Fatalf("fallback: %v", FindBlockers(g, c, onBranch).Commits)
	}
}

func TestTouch(t *testing.T) {
	for _, tc := range []struct {
		s1, c1, s2, c2 int
		want           bool
	}{
		{5, 1, 5, 1, true}, {5, 1, 6, 1, true}, {5, 1, 7, 1, false}, {5, 0, 6, 1, true},
		{5, 0, 7, 1, false}, {5, 3, 8, 1, true}, {5, 3, 9, 1, false}, {5, 0, 5, 0, true}, {2, 0, 6, 0, false},
	} {
		if got := touch(tc.s1, tc.c1, tc.s2, tc.c2); got != tc.want {
			t.Errorf("touch(%d,%d / %d,%d) = %v", tc.s1, tc.c1, tc.s2, tc.c2, got)
		}
	}
}
