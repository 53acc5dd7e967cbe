package vcs

import (
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	cgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
)

// generations gives commits' generation numbers from the repository's
// commit-graph file, when git itself would use them. With them, git's
// --topo-order walk (revision.c's incremental topo walk) computes exactly
// the commits reachable from HEAD and not from BASE; without them it uses
// limit_list, whose date-based cut-off can let a few of BASE's ancestors
// through when commit dates are skewed. ReadRange follows whichever git
// would follow for the repository as it is.
type generations struct {
	idx cgraph.Index
}

// infinity is the generation of a commit outside the commit-graph
// (GENERATION_NUMBER_INFINITY): newer than everything in it.
const infinity = math.MaxUint64

// openGenerations returns nil when git would not use generation numbers:
// no commit-graph, core.commitGraph=false, a shallow repository, grafts or
// replace refs (which make git ignore the commit-graph), or a graph written
// without generations.
func (r *Repo) openGenerations() *generations {
	if len(r.shallow) > 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(r.common, "info", "grafts")); err == nil {
		return nil
	}
	if cfg, err := r.main.Config(); err == nil {
		if v := cfg.Raw.Section("core").Option("commitGraph"); strings.EqualFold(v, "false") || v == "0" || strings.EqualFold(v, "no") || strings.EqualFold(v, "off") {
			return nil
		}
	}
	if replace, _ := r.refNames("refs/replace/"); len(replace) > 0 {
		return nil
	}
	idx, err := cgraph.OpenChainOrFileIndex(r.fs)
	if err != nil {
		return nil
	}
	first, err := idx.GetCommitDataByIndex(0)
	if err != nil || first.Generation == 0 {
		idx.Close()
		return nil
	}
	return &generations{idx: idx}
}

func (g *generations) of(h plumbing.Hash) uint64 {
	i, err := g.idx.GetIndexByHash(h)
	if err != nil {
		return infinity
	}
	d, err := g.idx.GetCommitDataByIndex(i)
	if err != nil || d.Generation == 0 {
		return infinity
	}
	return d.Generation
}

func (g *generations) close() error {
	if g == nil {
		return nil
	}
	return g.idx.Close()
}
