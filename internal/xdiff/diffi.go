package xdiff

// Port of git's xdiff/xdiffi.c (LibXDiff by Davide Libenzi, LGPL-2.1+;
// indent heuristic by Michael Haggerty): the Myers divide-and-conquer
// search with xdiff's cost limits (xdl_split, xdl_recs_cmp), the sliding
// of change groups (xdl_change_compact) and the edit script
// (xdl_build_script). Names follow the C source so the two can be read
// side by side.

import "math"

const (
	xdlMaxCostMin  = 256 // XDL_MAX_COST_MIN
	xdlHeurMinCost = 256 // XDL_HEUR_MIN_COST
	xdlLineMax     = math.MaxInt
	xdlSnakeCnt    = 20 // XDL_SNAKE_CNT
	xdlKHeur       = 4  // XDL_K_HEUR
)

// xdpsplit mirrors xdpsplit_t.
type xdpsplit struct {
	i1, i2       int
	minLo, minHi bool
}

// algoEnv holds xdalgoenv_t and the K vectors of the search. kvdf[d+koff]
// is the C kvdf[d] (diagonals may be negative).
type algoEnv struct {
	mxcost, snakeCnt, heurMin int
	kvdf, kvdb                []int
	koff                      int
}

// split is xdl_split: find the middle snake of the box (off1, off2,
// lim1, lim2), or give up on optimality once the cost grows too high.
func (e *algoEnv) split(ha1, ha2 []int32, off1, lim1, off2, lim2 int, needMin bool, spl *xdpsplit) {
	kvdf, kvdb, ko := e.kvdf, e.kvdb, e.koff
	dmin, dmax := off1-lim2, lim1-off2
	fmid, bmid := off1-off2, lim1-lim2
	odd := (fmid-bmid)&1 != 0
	fmin, fmax := fmid, fmid
	bmin, bmax := bmid, bmid

	kvdf[fmid+ko] = off1
	kvdb[bmid+ko] = lim1

	for ec := 1; ; ec++ {
		gotSnake := false

		// Extend the diagonal domain by one, or shrink it back when it
		// would leave the box; outer K values are sentinels.
		if fmin > dmin {
			fmin--
			kvdf[fmin-1+ko] = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			kvdf[fmax+1+ko] = -1
		} else {
			fmax--
		}

		for d := fmax; d >= fmin; d -= 2 {
			var i1 int
			if kvdf[d-1+ko] >= kvdf[d+1+ko] {
				i1 = kvdf[d-1+ko] + 1
			} else {
				i1 = kvdf[d+1+ko]
			}
			prev1 := i1
			i2 := i1 - d
			for i1 < lim1 && i2 < lim2 && ha1[i1] == ha2[i2] {
				i1++
				i2++
			}
			if i1-prev1 > e.snakeCnt {
				gotSnake = true
			}
			kvdf[d+ko] = i1
			if odd && bmin <= d && d <= bmax && kvdb[d+ko] <= i1 {
				spl.i1, spl.i2 = i1, i2
				spl.minLo, spl.minHi = true, true
				return
			}
		}

		if bmin > dmin {
			bmin--
			kvdb[bmin-1+ko] = xdlLineMax
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			kvdb[bmax+1+ko] = xdlLineMax
		} else {
			bmax--
		}

		for d := bmax; d >= bmin; d -= 2 {
			var i1 int
			if kvdb[d-1+ko] < kvdb[d+1+ko] {
				i1 = kvdb[d-1+ko]
			} else {
				i1 = kvdb[d+1+ko] - 1
			}
			prev1 := i1
			i2 := i1 - d
			for i1 > off1 && i2 > off2 && ha1[i1-1] == ha2[i2-1] {
				i1--
				i2--
			}
			if prev1-i1 > e.snakeCnt {
				gotSnake = true
			}
			kvdb[d+ko] = i1
			if !odd && fmin <= d && d <= fmax && i1 <= kvdf[d+ko] {
				spl.i1, spl.i2 = i1, i2
				spl.minLo, spl.minHi = true, true
				return
			}
		}

		if needMin {
			continue
		}

		// If the edit cost is above the heuristic trigger and we got a
		// good snake, look for a diagonal that reached an "interesting"
		// path: far from the corner, not too far from the middle.
		if gotSnake && ec > e.heurMin {
			best := 0
			for d := fmax; d >= fmin; d -= 2 {
				dd := d - fmid
				if d <= fmid {
					dd = fmid - d
				}
				i1 := kvdf[d+ko]
				i2 := i1 - d
				v := (i1 - off1) + (i2 - off2) - dd
				if v > xdlKHeur*ec && v > best &&
					off1+e.snakeCnt <= i1 && i1 < lim1 &&
					off2+e.snakeCnt <= i2 && i2 < lim2 {
					for k := 1; ha1[i1-k] == ha2[i2-k]; k++ {
						if k == e.snakeCnt {
							best = v
							spl.i1, spl.i2 = i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				spl.minLo, spl.minHi = true, false
				return
			}

			best = 0
			for d := bmax; d >= bmin; d -= 2 {
				dd := d - bmid
				if d <= bmid {
					dd = bmid - d
				}
				i1 := kvdb[d+ko]
				i2 := i1 - d
				v := (lim1 - i1) + (lim2 - i2) - dd
				if v > xdlKHeur*ec && v > best &&
					off1 < i1 && i1 <= lim1-e.snakeCnt &&
					off2 < i2 && i2 <= lim2-e.snakeCnt {
					for k := 0; ha1[i1+k] == ha2[i2+k]; k++ {
						if k == e.snakeCnt-1 {
							best = v
							spl.i1, spl.i2 = i1, i2
							break
						}
					}
				}
			}
			if best > 0 {
				spl.minLo, spl.minHi = false, true
				return
			}
		}

		// Enough is enough: take the furthest reaching path.
		if ec >= e.mxcost {
			fbest, fbest1 := -1, -1
			for d := fmax; d >= fmin; d -= 2 {
				i1 := min(kvdf[d+ko], lim1)
				i2 := i1 - d
				if lim2 < i2 {
					i1 = lim2 + d
					i2 = lim2
				}
				if fbest < i1+i2 {
					fbest = i1 + i2
					fbest1 = i1
				}
			}
			bbest, bbest1 := xdlLineMax, xdlLineMax
			for d := bmax; d >= bmin; d -= 2 {
				i1 := max(off1, kvdb[d+ko])
				i2 := i1 - d
				if i2 < off2 {
					i1 = off2 + d
					i2 = off2
				}
				if i1+i2 < bbest {
					bbest = i1 + i2
					bbest1 = i1
				}
			}
			if (lim1+lim2)-bbest < fbest-(off1+off2) {
				spl.i1, spl.i2 = fbest1, fbest-fbest1
				spl.minLo, spl.minHi = true, false
			} else {
				spl.i1, spl.i2 = bbest1, bbest-bbest1
				spl.minLo, spl.minHi = false, true
			}
			return
		}
	}
}

// recsCmp is xdl_recs_cmp: divide et impera. Offsets index the kept
// records (rindex); changed lines are marked in the full files.
func (e *algoEnv) recsCmp(x1 *xdfile, off1, lim1 int, x2 *xdfile, off2, lim2 int, needMin bool) {
	ha1, ha2 := x1.rha, x2.rha
	for off1 < lim1 && off2 < lim2 && ha1[off1] == ha2[off2] {
		off1++
		off2++
	}
	for off1 < lim1 && off2 < lim2 && ha1[lim1-1] == ha2[lim2-1] {
		lim1--
		lim2--
	}

	switch {
	case off1 == lim1:
		for ; off2 < lim2; off2++ {
			x2.setChanged(int(x2.rindex[off2]), true)
		}
	case off2 == lim2:
		for ; off1 < lim1; off1++ {
			x1.setChanged(int(x1.rindex[off1]), true)
		}
	default:
		var spl xdpsplit
		e.split(ha1, ha2, off1, lim1, off2, lim2, needMin, &spl)
		e.recsCmp(x1, off1, spl.i1, x2, off2, spl.i2, spl.minLo)
		e.recsCmp(x1, spl.i1, lim1, x2, spl.i2, lim2, spl.minHi)
	}
}

// Indent heuristic (measure_split, score_add_split, score_cmp).
const (
	maxIndent = 200 // MAX_INDENT
	maxBlanks = 20  // MAX_BLANKS

	startOfFilePenalty              = 1
	endOfFilePenalty                = 21
	totalBlankWeight                = -30
	postBlankWeight                 = 6
	relativeIndentPenalty           = -4
	relativeIndentWithBlankPenalty  = 10
	relativeOutdentPenalty          = 24
	relativeOutdentWithBlankPenalty = 17
	relativeDedentPenalty           = 23
	relativeDedentWithBlankPenalty  = 17
	indentWeight                    = 60
	indentHeuristicMaxSliding       = 100
)

// getIndent is get_indent: the indentation of a line with TAB as 8
// columns, -1 for a blank line, clamped at maxIndent. Spaces are git's
// isspace: ' ', '\t', '\n' and '\r' only.
func getIndent(rec []byte) int {
	ret := 0
	for _, c := range rec {
		switch c {
		case ' ':
			ret++
		case '\t':
			ret += 8 - ret%8
		case '\n', '\r':
			// other whitespace is ignored
		default:
			return ret
		}
		if ret >= maxIndent {
			return maxIndent
		}
	}
	return -1
}

type splitMeasurement struct {
	endOfFile  bool
	indent     int
	preBlank   int
	preIndent  int
	postBlank  int
	postIndent int
}

type splitScore struct {
	effectiveIndent int
	penalty         int
}

// measureSplit is measure_split: describe a split of x above line split.
func measureSplit(x *xdfile, split int, m *splitMeasurement) {
	n := x.nrec()
	if split >= n {
		m.endOfFile = true
		m.indent = -1
	} else {
		m.endOfFile = false
		m.indent = getIndent(x.recs[split])
	}

	m.preBlank = 0
	m.preIndent = -1
	for i := split - 1; i >= 0; i-- {
		m.preIndent = getIndent(x.recs[i])
		if m.preIndent != -1 {
			break
		}
		m.preBlank++
		if m.preBlank == maxBlanks {
			m.preIndent = 0
			break
		}
	}

	m.postBlank = 0
	m.postIndent = -1
	for i := split + 1; i < n; i++ {
		m.postIndent = getIndent(x.recs[i])
		if m.postIndent != -1 {
			break
		}
		m.postBlank++
		if m.postBlank == maxBlanks {
			m.postIndent = 0
			break
		}
	}
}

// scoreAddSplit is score_add_split.
func scoreAddSplit(m *splitMeasurement, s *splitScore) {
	if m.preIndent == -1 && m.preBlank == 0 {
		s.penalty += startOfFilePenalty
	}
	if m.endOfFile {
		s.penalty += endOfFilePenalty
	}

	postBlank := 0
	if m.indent == -1 {
		postBlank = 1 + m.postBlank
	}
	totalBlank := m.preBlank + postBlank

	s.penalty += totalBlankWeight * totalBlank
	s.penalty += postBlankWeight * postBlank

	indent := m.indent
	if indent == -1 {
		indent = m.postIndent
	}
	anyBlanks := totalBlank != 0

	s.effectiveIndent += indent

	switch {
	case indent == -1, m.preIndent == -1:
	case indent > m.preIndent:
		if anyBlanks {
			s.penalty += relativeIndentWithBlankPenalty
		} else {
			s.penalty += relativeIndentPenalty
		}
	case indent == m.preIndent:
	default:
		if m.postIndent != -1 && m.postIndent > indent {
			if anyBlanks {
				s.penalty += relativeOutdentWithBlankPenalty
			} else {
				s.penalty += relativeOutdentPenalty
			}
		} else {
			if anyBlanks {
				s.penalty += relativeDedentWithBlankPenalty
			} else {
				s.penalty += relativeDedentPenalty
			}
		}
	}
}

// scoreCmp is score_cmp.
func scoreCmp(s1, s2 *splitScore) int {
	cmpIndents := 0
	if s1.effectiveIndent > s2.effectiveIndent {
		cmpIndents = 1
	} else if s1.effectiveIndent < s2.effectiveIndent {
		cmpIndents = -1
	}
	return indentWeight*cmpIndents + (s1.penalty - s2.penalty)
}

// xdlgroup is struct xdlgroup: a run of changed lines [start, end).
type xdlgroup struct{ start, end int }

func groupInit(x *xdfile, g *xdlgroup) {
	g.start, g.end = 0, 0
	for x.changed(g.end) {
		g.end++
	}
}

func groupNext(x *xdfile, g *xdlgroup) bool {
	if g.end == x.nrec() {
		return false
	}
	g.start = g.end + 1
	for g.end = g.start; x.changed(g.end); g.end++ {
	}
	return true
}

func groupPrevious(x *xdfile, g *xdlgroup) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	for g.start = g.end; x.changed(g.start - 1); g.start-- {
	}
	return true
}

func groupSlideDown(x *xdfile, g *xdlgroup) bool {
	if g.end < x.nrec() && x.ha[g.start] == x.ha[g.end] {
		x.setChanged(g.start, false)
		g.start++
		x.setChanged(g.end, true)
		g.end++
		for x.changed(g.end) {
			g.end++
		}
		return true
	}
	return false
}

func groupSlideUp(x *xdfile, g *xdlgroup) bool {
	if g.start > 0 && x.ha[g.start-1] == x.ha[g.end-1] {
		g.start--
		x.setChanged(g.start, true)
		g.end--
		x.setChanged(g.end, false)
		for x.changed(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// changeCompact is xdl_change_compact: slide each group of changes in x
// (with xo the other file) up and down, merge groups that touch, align
// with changes of the other file, or else place it where the indent
// heuristic prefers.
func changeCompact(x, xo *xdfile, indentHeuristic bool) {
	var g, og xdlgroup
	groupInit(x, &g)
	groupInit(xo, &og)

	for {
		if g.end != g.start {
			compactGroup(x, xo, &g, &og, indentHeuristic)
		}
		if !groupNext(x, &g) {
			break
		}
		if !groupNext(xo, &og) {
			panic("xdiff: group sync broken moving to next group")
		}
	}
	if groupNext(xo, &og) {
		panic("xdiff: group sync broken at end of file")
	}
}

func compactGroup(x, xo *xdfile, g, og *xdlgroup, indentHeuristic bool) {
	var groupsize, earliestEnd, endMatchingOther int
	for {
		groupsize = g.end - g.start
		endMatchingOther = -1

		for groupSlideUp(x, g) {
			if !groupPrevious(xo, og) {
				panic("xdiff: group sync broken sliding up")
			}
		}
		earliestEnd = g.end
		if og.end > og.start {
			endMatchingOther = g.end
		}
		for groupSlideDown(x, g) {
			if !groupNext(xo, og) {
				panic("xdiff: group sync broken sliding down")
			}
			if og.end > og.start {
				endMatchingOther = g.end
			}
		}
		if groupsize == g.end-g.start {
			break
		}
	}

	switch {
	case g.end == earliestEnd:
		// no shifting was possible
	case endMatchingOther != -1:
		for og.end == og.start {
			if !groupSlideUp(x, g) {
				panic("xdiff: match disappeared")
			}
			if !groupPrevious(xo, og) {
				panic("xdiff: group sync broken sliding to match")
			}
		}
	case indentHeuristic:
		bestShift := -1
		var bestScore splitScore
		shift := earliestEnd
		if g.end-groupsize-1 > shift {
			shift = g.end - groupsize - 1
		}
		if g.end-indentHeuristicMaxSliding > shift {
			shift = g.end - indentHeuristicMaxSliding
		}
		for ; shift <= g.end; shift++ {
			var m splitMeasurement
			var score splitScore
			measureSplit(x, shift, &m)
			scoreAddSplit(&m, &score)
			measureSplit(x, shift-groupsize, &m)
			scoreAddSplit(&m, &score)
			if bestShift == -1 || scoreCmp(&score, &bestScore) <= 0 {
				bestScore = score
				bestShift = shift
			}
		}
		for g.end > bestShift {
			if !groupSlideUp(x, g) {
				panic("xdiff: best shift unreached")
			}
			if !groupPrevious(xo, og) {
				panic("xdiff: group sync broken sliding to blank line")
			}
		}
	}
}

// change mirrors xdchange_t: chg1 lines at i1 in the first file became
// chg2 lines at i2 in the second (0-based).
type change struct {
	i1, i2, chg1, chg2 int
}

// buildScript is xdl_build_script; it returns the changes in file order.
func buildScript(x1, x2 *xdfile, out []change) []change {
	out = out[:0]
	for i1, i2 := x1.nrec(), x2.nrec(); i1 >= 0 || i2 >= 0; i1, i2 = i1-1, i2-1 {
		if x1.changedSafe(i1-1) || x2.changedSafe(i2-1) {
			l1, l2 := i1, i2
			for x1.changedSafe(i1 - 1) {
				i1--
			}
			for x2.changedSafe(i2 - 1) {
				i2--
			}
			out = append(out, change{i1: i1, i2: i2, chg1: l1 - i1, chg2: l2 - i2})
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// changedSafe is changed for any index; out of range lines are unchanged.
func (x *xdfile) changedSafe(i int) bool {
	return i >= -1 && i <= x.nrec() && x.rchg[i+1]
}
