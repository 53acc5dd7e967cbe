package risk

import (
	"testing"

	"github.com/triage-dev/triage/internal/vcs"
)

func TestNewPos(t *testing.T) {
	replace := []vcs.Hunk{{OldStart: 3, OldLines: 2, NewStart: 3, NewLines: 5}} // old lines [2,4) -> new [2,7)
	insert := []vcs.Hunk{{OldStart: 4, OldLines: 0, NewStart: 5, NewLines: 2}}  // 2 lines after old line 4: boundary 4 -> [4,6)
	remove := []vcs.Hunk{{OldStart: 2, OldLines: 3, NewStart: 1, NewLines: 0}}  // old lines [1,4) removed
	cases := []struct {
		hunks []vcs.Hunk
		p     int
		end   bool
		want  int
	}{
		{replace, 1, false, 1}, {replace, 2, false, 2}, {replace, 2, true, 2}, {replace, 3, false, 2}, {replace, 3, true, 7},
		{replace, 4, false, 7}, {replace, 4, true, 7}, {replace, 9, true, 12},
		{insert, 3, true, 3}, {insert, 4, false, 6}, {insert, 4, true, 4}, {insert, 5, false, 7},
		{remove, 1, false, 1}, {remove, 2, false, 1}, {remove, 2, true, 1}, {remove, 4, false, 1}, {remove, 6, true, 3},
	}
	for _, c := range cases {
		if got := newPos(c.p, c.hunks, c.end); got != c.want {
			t.Errorf("newPos(%d, %+v, end=%v) = %d, want %d", c.p, c.hunks, c.end, got, c.want)
		}
	}
}
