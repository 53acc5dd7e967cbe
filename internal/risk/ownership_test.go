package risk

import (
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// TestLineEdgesFollowOwnership: the line edges risk reads (deps' graph,
// through EdgesOf) name, for every line a commit changes or deletes, the
// commit that last wrote it on that commit's own line of history.
func TestLineEdgesFollowOwnership(t *testing.T) {
	h := &hist{}
	c0 := h.add("c0", "alice", "add a", added("a.go", "0", 5))               // a.go: c0 c0 c0 c0 c0
	c1 := h.add("c1", "bob", "rework", modified("a.go", "0", "1", 2, 2, 1))  // c0 c1 c0 c0
	c2 := h.add("c2", "carol", "fix two places", withHunks("a.go", "1", "2", // c0 c2 c0 c2 c2
		vcs.Hunk{OldStart: 2, OldLines: 1, NewStart: 2, NewLines: 1},  //   line 2 was c1's
		vcs.Hunk{OldStart: 4, OldLines: 1, NewStart: 4, NewLines: 2})) //   line 4 was c0's
	c3 := h.add("c3", "dave", "side branch from c1's version", modified("a.go", "1", "3", 3, 1, 1)) // line 3 of c1's version: c0
	c3.Parents = []plumbing.Hash{c1.Hash}
	c4 := h.add("c4", "erin", "insert at the top", modified("a.go", "2", "4", 1, 0, 3)) // c4 c4 c4 c0 c2 c0 c2 c2; nothing replaced
	c4.Parents = []plumbing.Hash{c2.Hash}
	c5 := h.add("c5", "erin", "delete a", deleted("a.go", "4", 8)) // every line deleted
	var got []Edge
	for _, e := range edgesOf(t, h.commits) {
		if e.Kind == KindLine {
			got = append(got, e)
		}
	}
	line := func(c, dep *vcs.Commit, lines string) Edge {
		return Edge{Commit: c.Hash, DependsOn: dep.Hash, Kind: KindLine, Path: "a.go", Lines: lines}
	}
	want := []Edge{
		line(c1, c0, "2-3"),
		line(c2, c0, "4"), line(c2, c1, "2"),
		line(c3, c0, "3"),
		line(c5, c0, "4, 6"), line(c5, c2, "5, 7-8"), line(c5, c4, "1-3"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("line edges:\n got %+v\nwant %+v", got, want)
	}
}
