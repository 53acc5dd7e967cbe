package vcs

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Rename detection, ported from git's diffcore-rename.c as `git diff -M` and
// `git log -M` run it (no copies, no break detection, no directory-rename
// hints): exact renames first, then sources and destinations with the same
// unique basename at a higher bar, then the best-first similarity matrix,
// each stage with git's order and tie-breaking, so the same pairs win.
//
// Package apply has its own port of the pairing, on purpose: merge-ort runs
// diffcore_rename_extended, which only looks for the sources a merge needs
// (relevant sources), and counts and guesses directory renames as it goes.
// Both score a pair with this package's Similarity.

const (
	maxScore           = MaxSimilarity
	defaultRenameScore = RenameSimilarity
	minBasenameScore   = BasenameSimilarity
	// defaultRenameLimit is git's default diff.renameLimit: beyond limit²
	// candidate pairs, inexact detection is skipped (exact renames are
	// still found). A repository's own diff.renameLimit is honoured.
	defaultRenameLimit = 1000
	// candidatesPerDst is NUM_CANDIDATE_PER_DST.
	candidatesPerDst = 4
)

type renameState struct {
	d       *differ
	q       []pair
	srcs    []int  // queue indices of deletions (rename sources), in queue order
	dsts    []int  // queue indices of additions (rename destinations)
	used    []bool // per source: already renamed
	matched []int  // per destination: source index, or -1
	scores  []int  // per destination: rename score
	count   int
	prints  map[plumbing.Hash]Fingerprint
	sizes   map[plumbing.Hash]int64
}

func (d *differ) detectRenames(q []pair) ([]pair, error) {
	st := &renameState{d: d, q: q}
	for i, p := range q {
		switch {
		case p.oldMode == 0 && p.newMode != 0:
			st.dsts = append(st.dsts, i)
		case p.oldMode != 0 && p.newMode == 0:
			st.srcs = append(st.srcs, i)
		}
	}
	if len(st.srcs) == 0 || len(st.dsts) == 0 {
		return q, nil
	}
	st.used = make([]bool, len(st.srcs))
	st.matched = make([]int, len(st.dsts))
	st.scores = make([]int, len(st.dsts))
	for i := range st.matched {
		st.matched[i] = -1
	}
	st.exact()
	if err := st.byBasename(); err != nil {
		return nil, err
	}
	if err := st.inexact(); err != nil {
		return nil, err
	}
	return st.result(), nil
}

func (st *renameState) src(si int) *pair { return &st.q[st.srcs[si]] }
func (st *renameState) dst(di int) *pair { return &st.q[st.dsts[di]] }

func (st *renameState) record(di, si, score int) {
	st.matched[di], st.scores[di] = si, score
	st.used[si] = true
	st.count++
}

// exact pairs each destination with an identical source (find_exact_renames):
// sources are tried in queue order, preferring one with the same basename.
func (st *renameState) exact() {
	byHash := map[plumbing.Hash][]int{}
	for si := range st.srcs {
		h := st.src(si).oldHash
		byHash[h] = append(byHash[h], si)
	}
	for di := range st.dsts {
		target := st.dst(di)
		best, bestScore, tries := -1, -1, 100
		for _, si := range byHash[target.newHash] {
			source := st.src(si)
			if (!isRegular(source.oldMode) || !isRegular(target.newMode)) && source.oldMode != target.newMode {
				continue
			}
			if st.used[si] {
				continue
			}
			score := 1 + basenameSame(source.oldPath, target.newPath)
			if score > bestScore {
				best, bestScore = si, score
				if score == 2 {
					break
				}
			}
			if tries--; tries == 0 {
				break
			}
		}
		if best >= 0 {
			st.record(di, best, maxScore)
		}
	}
}

// remainingSources lists the sources not renamed yet (remove_unneeded_paths_from_src).
func (st *renameState) remainingSources() []int {
	var out []int
	for si := range st.srcs {
		if !st.used[si] {
			out = append(out, si)
		}
	}
	return out
}

// byBasename pairs a source and a destination that are the only ones left
// with their basename, when they are similar enough (find_basename_matches).
func (st *renameState) byBasename() error {
	srcs := st.remainingSources()
	sources := map[string]int{}
	for _, si := range srcs {
		b := baseName(st.src(si).oldPath)
		if _, dup := sources[b]; dup {
			sources[b] = -1
		} else {
			sources[b] = si
		}
	}
	dests := map[string]int{}
	for di := range st.dsts {
		if st.matched[di] >= 0 {
			continue
		}
		b := baseName(st.dst(di).newPath)
		if _, dup := dests[b]; dup {
			dests[b] = -1
		} else {
			dests[b] = di
		}
	}
	for _, si := range srcs {
		b := baseName(st.src(si).oldPath)
		di, ok := dests[b]
		if !ok || sources[b] < 0 || di < 0 || st.matched[di] >= 0 {
			continue
		}
		score, err := st.similarity(si, di, minBasenameScore)
		if err != nil {
			return err
		}
		if score < minBasenameScore {
			continue
		}
		st.record(di, si, score)
	}
	return nil
}

type candidate struct {
	src, dst  int // dst < 0: unused slot
	score     int
	nameScore int
}

// compareCandidates is git's score_compare: best first, unused slots last.
func compareCandidates(a, b *candidate) int {
	if a.dst < 0 {
		if b.dst >= 0 {
			return 1
		}
		return 0
	}
	if b.dst < 0 {
		return -1
	}
	if a.score == b.score {
		return b.nameScore - a.nameScore
	}
	return b.score - a.score
}

// recordIfBetter keeps the best candidatesPerDst sources of a destination.
func recordIfBetter(m []candidate, o candidate) {
	worst := 0
	for i := 1; i < len(m); i++ {
		if compareCandidates(&m[i], &m[worst]) > 0 {
			worst = i
		}
	}
	if compareCandidates(&m[worst], &o) > 0 {
		m[worst] = o
	}
}

// inexact scores every remaining (destination, source) pair, keeps each
// destination's best candidates, and takes pairs best first.
func (st *renameState) inexact() error {
	srcs := st.remainingSources()
	numDst := len(st.dsts) - st.count
	if numDst == 0 || len(srcs) == 0 {
		return nil
	}
	limit := st.d.renameLimit
	if limit > 0 && uint64(numDst)*uint64(len(srcs)) > uint64(limit)*uint64(limit) {
		return nil
	}
	mx := make([]candidate, 0, numDst*candidatesPerDst)
	for di := range st.dsts {
		if st.matched[di] >= 0 {
			continue
		}
		m := make([]candidate, candidatesPerDst)
		for k := range m {
			m[k].dst = -1
		}
		for _, si := range srcs {
			score, err := st.similarity(si, di, defaultRenameScore)
			if err != nil {
				return err
			}
			recordIfBetter(m, candidate{src: si, dst: di, score: score,
				nameScore: basenameSame(st.src(si).oldPath, st.dst(di).newPath)})
		}
		mx = append(mx, m...)
	}
	slices.SortStableFunc(mx, func(a, b candidate) int { return compareCandidates(&a, &b) })
	for _, c := range mx {
		if c.dst < 0 || c.score < defaultRenameScore {
			break
		}
		if st.matched[c.dst] >= 0 || st.used[c.src] {
			continue
		}
		st.record(c.dst, c.src, c.score)
	}
	return nil
}

// similarity is git's estimate_similarity: the share of the larger file made
// of content copied from the source, out of maxScore; 0 for anything but
// regular files, or when the sizes differ too much for minScore.
func (st *renameState) similarity(si, di int, minScore int) (int, error) {
	src, dst := st.src(si), st.dst(di)
	if !isRegular(src.oldMode) || !isRegular(dst.newMode) {
		return 0, nil
	}
	srcSize, err := st.size(src.oldHash)
	if err != nil {
		return 0, err
	}
	dstSize, err := st.size(dst.newHash)
	if err != nil {
		return 0, err
	}
	if !SimilarityReachable(srcSize, dstSize, minScore) {
		return 0, nil
	}
	srcPrint, err := st.fingerprint(src.oldHash)
	if err != nil {
		return 0, err
	}
	dstPrint, err := st.fingerprint(dst.newHash)
	if err != nil {
		return 0, err
	}
	return Similarity(srcPrint, dstPrint, srcSize, dstSize), nil
}

func (st *renameState) size(h plumbing.Hash) (int64, error) {
	if b, ok := st.d.blobs[h]; ok {
		return int64(len(b)), nil
	}
	if n, ok := st.sizes[h]; ok {
		return n, nil
	}
	n, err := st.d.rd.blobSize(h)
	if err != nil {
		return 0, err
	}
	if st.sizes == nil {
		st.sizes = map[plumbing.Hash]int64{}
	}
	st.sizes[h] = n
	return n, nil
}

func (st *renameState) fingerprint(h plumbing.Hash) (Fingerprint, error) {
	if f, ok := st.prints[h]; ok {
		return f, nil
	}
	b, err := st.d.content(modeRegularFile, h)
	if err != nil {
		return Fingerprint{}, err
	}
	f := FingerprintOf(b)
	if st.prints == nil {
		st.prints = map[plumbing.Hash]Fingerprint{}
	}
	st.prints[h] = f
	return f, nil
}

const modeRegularFile = 0o100644

// result rewrites the queue: a renamed destination becomes the rename pair
// (at the destination's place), its source's deletion disappears.
func (st *renameState) result() []pair {
	if st.count == 0 {
		return st.q
	}
	renamedFrom := map[int]bool{}
	asDst := map[int]int{}
	for di, si := range st.matched {
		if si >= 0 {
			renamedFrom[st.srcs[si]] = true
			asDst[st.dsts[di]] = di
		}
	}
	out := make([]pair, 0, len(st.q)-st.count)
	for i, p := range st.q {
		if renamedFrom[i] {
			continue
		}
		if di, ok := asDst[i]; ok {
			src := st.src(st.matched[di])
			p.oldPath, p.oldMode, p.oldHash = src.oldPath, src.oldMode, src.oldHash
			p.renamed, p.score = true, st.scores[di]
		}
		out = append(out, p)
	}
	return out
}

// basenameSame is 1 when both paths end with the same file name.
func basenameSame(src, dst string) int {
	i, j := len(src), len(dst)
	for i > 0 && j > 0 {
		i--
		j--
		c1, c2 := src[i], dst[j]
		if c1 != c2 {
			return 0
		}
		if c1 == '/' {
			return 1
		}
	}
	if (i == 0 || src[i-1] == '/') && (j == 0 || dst[j-1] == '/') {
		return 1
	}
	return 0
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
