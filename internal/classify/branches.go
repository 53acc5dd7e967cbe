package classify

import (
	"container/heap"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/triage-dev/triage/internal/vcs"
)

// branchesOf names the branch each commit came from: for every merge of the
// range whose subject names a branch, the commits reachable from its second
// parent but not from its first. Merges are taken oldest first, so a commit
// merged twice (feature into hotfix, hotfix into recette) keeps the innermost name.
func branchesOf(commits []*vcs.Commit) map[plumbing.Hash]string {
	pos := make(map[plumbing.Hash]int, len(commits))
	for i, c := range commits {
		pos[c.Hash] = i
	}
	out := map[plumbing.Hash]string{}
	for _, m := range commits {
		if len(m.Parents) < 2 {
			continue
		}
		name, ok := MergeBranch(readable(m.Subject))
		if !ok {
			continue
		}
		for _, i := range sideOnly(commits, pos, m.Parents[0], m.Parents[1]) {
			if h := commits[i].Hash; out[h] == "" {
				out[h] = name
			}
		}
	}
	return out
}

const (
	fromFirst  = 1
	fromSecond = 2
)

// sideOnly returns the positions of the commits of the range reachable from
// second but not from first. Like git's merge-base walk, it visits commits
// newest first, painting each with the sides that reach it, and stops once
// every commit left to visit is reachable from first: nothing below them can
// be on the side branch alone.
func sideOnly(commits []*vcs.Commit, pos map[plumbing.Hash]int, first, second plumbing.Hash) []int {
	paint := map[int]int{}
	q := &maxHeap{}
	queuedSecondOnly := 0 // queued commits painted fromSecond alone
	push := func(h plumbing.Hash, side int) {
		i, ok := pos[h]
		if !ok {
			return // outside the range
		}
		old, seen := paint[i]
		if !seen {
			paint[i] = side
			heap.Push(q, i)
			if side == fromSecond {
				queuedSecondOnly++
			}
			return
		}
		if old == fromSecond && side&fromFirst != 0 {
			queuedSecondOnly--
		}
		paint[i] = old | side
	}
	push(first, fromFirst)
	push(second, fromSecond)
	var side []int
	for q.Len() > 0 && queuedSecondOnly > 0 {
		i := heap.Pop(q).(int)
		p := paint[i]
		if p == fromSecond {
			side = append(side, i)
			queuedSecondOnly--
		}
		for _, parent := range commits[i].Parents {
			push(parent, p)
		}
	}
	return side
}

type maxHeap []int

func (h maxHeap) Len() int           { return len(h) }
func (h maxHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h maxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *maxHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
