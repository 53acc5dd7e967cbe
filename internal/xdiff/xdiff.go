package xdiff

import (
	"bytes"
	"sync"
)

// Hunk is one changed region as git diff -U0 reports it. A side with zero
// lines starts at the line before the change (git's convention).
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
}

// Options mirrors the git diff options that change hunk boundaries.
type Options struct {
	// IndentHeuristic is git's default since 2.14 (diff.indentHeuristic=true).
	IndentHeuristic bool
	// Algorithm is Myers (git's default) or Histogram (--histogram,
	// diff.algorithm=histogram).
	Algorithm Algorithm
}

// Algorithm selects xdiff's line matching algorithm.
type Algorithm uint8

const (
	// Myers is xdiff's default algorithm (xdiffi.c).
	Myers Algorithm = iota
	// Histogram is xhistogram.c, which git's merge-ort (and so
	// cherry-pick, rebase and merge) uses for its content merges.
	Histogram
)

func (a Algorithm) String() string {
	if a == Histogram {
		return "histogram"
	}
	return "myers"
}

// DefaultOptions are the options git diff uses when nothing is configured.
func DefaultOptions() Options { return Options{IndentHeuristic: true} }

// Diff returns the hunks that turn a into b, line by line, exactly as
// `git diff -U0` (Myers, the default algorithm) prints them: xdiff's
// line classification, discarding of unmatched lines, cost-limited Myers
// search and group sliding, after git's trim_common_tail, which git
// applies whenever the context is zero (so also for --numstat).
// Lines compare byte for byte: "x" without '\n' differs from "x\n".
//
// Git stops with an error in the one case xhistogram gives up (64
// distinct lines in one bucket of its line table, which takes crafted
// input); Diff then answers with the Myers diff instead.
func Diff(a, b []byte, opts Options) []Hunk {
	hunks, err := diffHunks(a, b, opts)
	if err != nil {
		opts.Algorithm = Myers
		hunks, _ = diffHunks(a, b, opts)
	}
	return hunks
}

func diffHunks(a, b []byte, opts Options) ([]Hunk, error) {
	if bytes.Equal(a, b) {
		return nil, nil
	}
	a, b = trimCommonTail(a, b)
	e := getEnv()
	defer putEnv(e)
	changes, err := e.diff(a, b, opts.Algorithm, opts.IndentHeuristic)
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	hunks := make([]Hunk, len(changes))
	for i, c := range changes {
		hunks[i] = c.hunk()
	}
	return hunks, nil
}

// hunk numbers a change as xdl_emit_hunk_hdr does with no context.
func (c change) hunk() Hunk {
	h := Hunk{OldStart: c.i1 + 1, OldLines: c.chg1, NewStart: c.i2 + 1, NewLines: c.chg2}
	if c.chg1 == 0 {
		h.OldStart--
	}
	if c.chg2 == 0 {
		h.NewStart--
	}
	return h
}

// trimCommonTail is trim_common_tail of git's xdiff-interface.c: drop
// whole 1 KiB blocks both files end with, then give back bytes up to the
// first line end so that the cut falls after a '\n'. Git does this before
// every diff without context; it can change the result, since xdiff's
// limits depend on the number of lines.
func trimCommonTail(a, b []byte) ([]byte, []byte) {
	const blk = 1024
	trimmed := 0
	smaller := min(len(a), len(b))
	for blk+trimmed <= smaller &&
		bytes.Equal(a[len(a)-trimmed-blk:len(a)-trimmed], b[len(b)-trimmed-blk:len(b)-trimmed]) {
		trimmed += blk
	}
	recovered := 0
	ap := len(a) - trimmed
	for recovered < trimmed {
		c := a[ap+recovered]
		recovered++
		if c == '\n' {
			break
		}
	}
	return a[:len(a)-trimmed+recovered], b[:len(b)-trimmed+recovered]
}

// env holds the reusable state of one diff (xdfenv_t and friends).
type env struct {
	cf      classifier
	x1, x2  xdfile
	dis     []byte
	kvd     []int
	hist    histindex
	changes []change
}

var envPool = sync.Pool{New: func() any { return new(env) }}

func getEnv() *env { return envPool.Get().(*env) }

func putEnv(e *env) {
	// Do not keep references to the caller's data alive in the pool.
	clear(e.x1.recs)
	clear(e.x2.recs)
	clear(e.cf.reps)
	envPool.Put(e)
}

// diff is xdl_do_diff + xdl_change_compact + xdl_build_script. The
// changes stay valid until the next use of e.
func (e *env) diff(a, b []byte, algo Algorithm, indentHeuristic bool) ([]change, error) {
	if err := e.doDiff(a, b, algo); err != nil {
		return nil, err
	}
	changeCompact(&e.x1, &e.x2, indentHeuristic)
	changeCompact(&e.x2, &e.x1, indentHeuristic)
	e.changes = buildScript(&e.x1, &e.x2, e.changes)
	return e.changes, nil
}

// doDiff is xdl_do_diff: prepare both files and mark changed lines.
func (e *env) doDiff(a, b []byte, algo Algorithm) error {
	e.prepare(a, b, algo)
	if algo == Histogram {
		return e.histogramDiff()
	}
	e.myers()
	return nil
}

// prepare is xdl_prepare_env. Only Myers trims the ends and discards
// unmatched lines (xdl_optimize_ctxs); histogram sees every line.
func (e *env) prepare(a, b []byte, algo Algorithm) {
	e.cf.reset(countLines(a) + countLines(b) + 1)
	headLines := e.x1.prepareHead(a, &e.cf, commonHead(a, b))
	e.x2.prepare(b, &e.cf, 1, &e.x1, headLines)
	if algo == Myers {
		trimEnds(&e.x1, &e.x2)
		e.dis = cleanupRecords(&e.cf, &e.x1, &e.x2, e.dis)
	}
}

// myers is the Myers part of xdl_do_diff.
func (e *env) myers() {
	n1, n2 := len(e.x1.rindex), len(e.x2.rindex)
	ndiags := n1 + n2 + 3
	if cap(e.kvd) >= 2*ndiags {
		e.kvd = e.kvd[:2*ndiags]
	} else {
		e.kvd = make([]int, 2*ndiags)
	}
	ae := algoEnv{
		mxcost:   max(bogosqrt(ndiags), xdlMaxCostMin),
		snakeCnt: xdlSnakeCnt,
		heurMin:  xdlHeurMinCost,
		kvdf:     e.kvd[:ndiags],
		kvdb:     e.kvd[ndiags:],
		koff:     n2 + 1,
	}
	ae.recsCmp(&e.x1, 0, n1, &e.x2, 0, n2, false)
}

// SplitLines splits content into lines as xdiff does: each line keeps its
// trailing '\n'; the last line may lack one.
func SplitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		} else {
			i++
		}
		lines = append(lines, string(b[:i]))
		b = b[i:]
	}
	return lines
}

// IsBinary tells whether git considers content binary (buffer_is_binary
// in git's xdiff-interface.c): a NUL byte within the first 8000 bytes.
func IsBinary(content []byte) bool {
	const firstFewBytes = 8000
	if len(content) > firstFewBytes {
		content = content[:firstFewBytes]
	}
	return bytes.IndexByte(content, 0) >= 0
}
