package risk

import (
	"fmt"
	"strings"

	"github.com/triage-dev/triage/internal/vcs"
)

// DeriveEdges computes, without deps, the edges risk's evidence needs: line
// edges (a commit changed or deleted lines an earlier commit of the range
// last wrote, from the line-ownership pass) and revert edges ("This reverts
// commit <sha>" naming an earlier commit of the range). The command uses
// deps' graph when it has one; this keeps risk usable and testable alone.
func DeriveEdges(commits []*vcs.Commit, _ FixFunc) []Edge {
	touches := ownershipPass(commits)
	var out []Edge
	for i, c := range commits {
		type key struct {
			owner int32
			path  string
		}
		ranges := map[key][]string{}
		var order []key
		for _, t := range touches[i] {
			if t.owner < 0 || int(t.owner) == i {
				continue
			}
			k := key{t.owner, t.path}
			if _, ok := ranges[k]; !ok {
				order = append(order, k)
			}
			ranges[k] = append(ranges[k], lineRange(t.start, t.n))
		}
		for _, k := range order {
			out = append(out, Edge{Commit: c.Hash, DependsOn: commits[k.owner].Hash, Kind: KindLine, Path: k.path,
				Lines: strings.Join(ranges[k], ","), Evidence: fmt.Sprintf("changes lines %s of %s", strings.Join(ranges[k], ","), k.path)})
		}
		for _, prefix := range revertTargets(c.Message) {
			for _, earlier := range commits[:i] {
				if strings.HasPrefix(earlier.Hash.String(), prefix) {
					out = append(out, Edge{Commit: c.Hash, DependsOn: earlier.Hash, Kind: KindRevert,
						Evidence: "This reverts commit " + prefix})
					break
				}
			}
		}
	}
	return out
}

func lineRange(start, n int32) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d-%d", start, start+n-1)
}
