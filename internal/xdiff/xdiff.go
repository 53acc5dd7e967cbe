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
	// KeepCommonTail diffs the files whole. By default the common tail is
	// dropped first (trimCommonTail), as git does for a diff without
	// context (-U0, so the hunks vcs reports). Git diffs the whole files
	// for everything else: --numstat and --stat (which diff with the
	// default context of 3) and patches with context. The two can differ,
	// rarely, since xdiff's line classes and cost limits see the tail.
	KeepCommonTail bool
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
// applies only when the context is zero (xdi_diff): --numstat and --stat
// diff with context 3, untrimmed, so their counts can differ from these
// hunks' (see DiffNumstat and Options.KeepCommonTail).
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
	if !opts.KeepCommonTail {
		a, b = trimCommonTail(a, b)
	}
	e := getEnv()
	defer putEnv(e)
	changes, err := e.diff(a, b, opts.Algorithm, opts.IndentHeuristic)
	return toHunks(changes), err
}

func toHunks(changes []change) []Hunk {
	if len(changes) == 0 {
		return nil
	}
	hunks := make([]Hunk, len(changes))
	for i, c := range changes {
		hunks[i] = c.hunk()
	}
	return hunks
}

// DiffNumstat returns Diff's hunks (git diff -U0) together with the line
// counts git diff --numstat prints for the same pair, which come from a
// diff of the whole files (see Options.KeepCommonTail). The counts are
// the hunks' own unless putting the trimmed tail back could change
// xdiff's choices; only then does it diff a second time, untrimmed.
func DiffNumstat(a, b []byte, opts Options) (hunks []Hunk, added, deleted int) {
	if opts.KeepCommonTail {
		hunks = Diff(a, b, opts)
		added, deleted = countHunks(hunks)
		return hunks, added, deleted
	}
	hunks, err := numstatHunks(a, b, opts, &added, &deleted)
	if err != nil {
		// As Diff: Myers where xhistogram gives up, for both.
		opts.Algorithm = Myers
		hunks, _ = numstatHunks(a, b, opts, &added, &deleted)
	}
	return hunks, added, deleted
}

func numstatHunks(a, b []byte, opts Options, added, deleted *int) ([]Hunk, error) {
	*added, *deleted = 0, 0
	if bytes.Equal(a, b) {
		return nil, nil
	}
	ta, tb := trimCommonTail(a, b)
	e := getEnv()
	defer putEnv(e)
	changes, err := e.diff(ta, tb, opts.Algorithm, opts.IndentHeuristic)
	if err != nil {
		return nil, err
	}
	hunks := toHunks(changes)
	*added, *deleted = countHunks(hunks)
	if len(ta) == len(a) || (opts.Algorithm == Myers && e.tailNeutral(a[len(ta):], *added, *deleted)) {
		return hunks, nil
	}
	whole, err := e.diff(a, b, opts.Algorithm, opts.IndentHeuristic)
	if err != nil {
		return nil, err
	}
	*added, *deleted = 0, 0
	for _, c := range whole {
		*added += c.chg2
		*deleted += c.chg1
	}
	return hunks, nil
}

func countHunks(hunks []Hunk) (added, deleted int) {
	for _, h := range hunks {
		added += h.NewLines
		deleted += h.OldLines
	}
	return added, deleted
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

	// tailNeutral's state: the lines of no match and the exposed lines of
	// each file, the count of each class in the tail, the kinds of lines
	// with the tail, and the class last found for a key of lineFilter.
	nomatch [2][]int32
	exposed [2][]span
	inc     []int32
	ndis    []byte
	recent  [64]struct {
		line []byte
		id   int32
	}
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
