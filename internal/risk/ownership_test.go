package risk

import (
	"reflect"
	"testing"

	"github.com/triage-dev/triage/internal/vcs"
)

func TestOwnershipPass(t *testing.T) {
	h := &hist{}
	h.add("c0", "alice", "add a", added("a.go", "0", 5))               // a.go: c0 c0 c0 c0 c0
	h.add("c1", "bob", "rework", modified("a.go", "0", "1", 2, 2, 1))  // c0 c1 c0 c0
	h.add("c2", "carol", "fix two places", withHunks("a.go", "1", "2", // c0 c2 c0 c2 c2
		vcs.Hunk{OldStart: 2, OldLines: 1, NewStart: 2, NewLines: 1},  //   line 2 was c1's
		vcs.Hunk{OldStart: 4, OldLines: 1, NewStart: 4, NewLines: 2})) //   line 4 was c0's
	h.add("c3", "dave", "side branch from c1's version", modified("a.go", "1", "3", 3, 1, 1)) // line 3 of c1's version: c0
	h.add("c4", "erin", "insert at the top", modified("a.go", "2", "4", 1, 0, 3))             // c4 c4 c4 c0 c2 c0 c2 c2; nothing replaced
	h.add("c5", "erin", "delete a", deleted("a.go", "4", 8))                                  // every line deleted
	got := ownershipPass(h.commits)
	want := [][]touch{
		nil,
		{{owner: 0, path: "a.go", start: 2, n: 2}},
		{{owner: 1, path: "a.go", start: 2, n: 1}, {owner: 0, path: "a.go", start: 4, n: 1}},
		{{owner: 0, path: "a.go", start: 3, n: 1}},
		nil,
		{{owner: 4, path: "a.go", start: 1, n: 3}, {owner: 0, path: "a.go", start: 4, n: 1}, {owner: 2, path: "a.go", start: 5, n: 1},
			{owner: 0, path: "a.go", start: 6, n: 1}, {owner: 2, path: "a.go", start: 7, n: 2}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("touches:\n got %+v\nwant %+v", got, want)
	}
}
