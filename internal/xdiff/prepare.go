package xdiff

// Port of git's xdiff/xprepare.c (LibXDiff by Davide Libenzi, LGPL-2.1+,
// as maintained in git/git): records are classified so that equal lines
// share a class id, the common head and tail are trimmed (xdl_trim_ends),
// and lines that cannot take part in a match are discarded before the
// Myers search (xdl_cleanup_records, xdl_clean_mmatch).

import (
	"bytes"
	"hash/maphash"
)

const (
	xdlKpdisRun      = 4    // XDL_KPDIS_RUN
	xdlMaxEqLimit    = 1024 // XDL_MAX_EQLIMIT
	xdlSimscanWindow = 100  // XDL_SIMSCAN_WINDOW
)

// Values of the "dis" array of xdl_cleanup_records.
const (
	disNoMatch   = 0 // the line does not occur in the other file
	disMatch     = 1 // the line occurs a few times in the other file
	disManyMatch = 2 // the line occurs too often to be worth matching
)

// hashSeed is fixed for the process: class ids only matter for equality.
var hashSeed = maphash.MakeSeed()

// xdfile mirrors xdfile_t: one side of the diff.
type xdfile struct {
	recs [][]byte // the lines, each with its '\n' except maybe the last
	ha   []int32  // class id of each line

	// rchg is xdf->rchg with its sentinel: rchg[i+1] tells whether line
	// i changed; rchg[0] and rchg[nrec+1] stay false.
	rchg []bool

	rindex []int32 // lines kept for the Myers search (xdf->rindex)
	rha    []int32 // their class ids (xdf->ha)

	dstart, dend int // first and last line not in the common head/tail
}

func (x *xdfile) nrec() int { return len(x.recs) }

// changed is xdf->rchg[i], valid for -1 <= i <= nrec.
func (x *xdfile) changed(i int) bool { return x.rchg[i+1] }

func (x *xdfile) setChanged(i int, v bool) { x.rchg[i+1] = v }

// classifier mirrors xdlclassifier_t: an open-addressing table from line
// content to class id, counting how often each class occurs in each file.
// A slot packs the top 32 bits of the line's hash with the class id + 1,
// so most probes touch one cache line; 0 marks an empty slot.
type classifier struct {
	slots []uint64
	mask  uint64
	reps  [][]byte   // one line of each class, to confirm a hash match
	count [2][]int32 // rcrec->len1, rcrec->len2
}

func (c *classifier) reset(lines int) {
	size := 16
	for size < 2*lines {
		size <<= 1
	}
	if cap(c.slots) >= size {
		c.slots = c.slots[:size]
		clear(c.slots)
	} else {
		c.slots = make([]uint64, size)
	}
	c.mask = uint64(size - 1)
	c.reps = c.reps[:0]
	c.count[0] = c.count[0][:0]
	c.count[1] = c.count[1][:0]
}

// classify is xdl_classify_record: it returns the class id of line and
// counts it for file pass (0 or 1).
func (c *classifier) classify(line []byte, pass int) int32 {
	h := maphash.Bytes(hashSeed, line)
	tag := h &^ 0xffffffff
	for i := h & c.mask; ; i = (i + 1) & c.mask {
		s := c.slots[i]
		if s == 0 {
			id := int32(len(c.reps))
			c.slots[i] = tag | uint64(id+1)
			c.reps = append(c.reps, line)
			c.count[0] = append(c.count[0], 0)
			c.count[1] = append(c.count[1], 0)
			c.count[pass][id]++
			return id
		}
		if s&^0xffffffff == tag {
			id := int32(s&0xffffffff) - 1
			if bytes.Equal(c.reps[id], line) {
				c.count[pass][id]++
				return id
			}
		}
	}
}

// lookup returns the class id of line when some line of either file has
// it, without counting it.
func (c *classifier) lookup(line []byte) (int32, bool) {
	h := maphash.Bytes(hashSeed, line)
	tag := h &^ 0xffffffff
	for i := h & c.mask; ; i = (i + 1) & c.mask {
		s := c.slots[i]
		if s == 0 {
			return 0, false
		}
		if s&^0xffffffff == tag {
			id := int32(s&0xffffffff) - 1
			if bytes.Equal(c.reps[id], line) {
				return id, true
			}
		}
	}
}

// classifyBoth is classify for a line both files have at the same place
// at their start: counted once for each file.
func (c *classifier) classifyBoth(line []byte) int32 {
	id := c.classify(line, 0)
	c.count[1][id]++
	return id
}

// countLines is the number of records xdiff makes of data.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// prepare is xdl_prepare_ctx: split data into records and classify them.
// The first headLines records are those of head, the other file, which
// data starts with (commonHead): they take head's classes without being
// hashed again, as they were counted for both files already.
func (x *xdfile) prepare(data []byte, c *classifier, pass int, head *xdfile, headLines int) {
	x.recs = x.recs[:0]
	x.ha = x.ha[:0]
	off := 0
	for _, r := range head.recs[:headLines] {
		x.recs = append(x.recs, data[off:off+len(r)]) // full capacity, as below
		off += len(r)
	}
	x.ha = append(x.ha, head.ha[:headLines]...)
	data = data[off:]
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		} else {
			i++
		}
		line := data[:i] // full capacity: subfile() extends a record over its successors
		x.recs = append(x.recs, line)
		x.ha = append(x.ha, c.classify(line, pass))
		data = data[i:]
	}
	x.ready()
}

// prepareHead is prepare for the first file, whose first head bytes are
// whole lines the second file starts with too: they are counted for both
// files at once. It returns how many lines head holds.
func (x *xdfile) prepareHead(data []byte, c *classifier, head int) (headLines int) {
	x.recs = x.recs[:0]
	x.ha = x.ha[:0]
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data)
		} else {
			i++
		}
		line := data[:i] // full capacity: subfile() extends a record over its successors
		x.recs = append(x.recs, line)
		if head > 0 {
			x.ha = append(x.ha, c.classifyBoth(line))
			head -= i
			headLines++
		} else {
			x.ha = append(x.ha, c.classify(line, 0))
		}
		data = data[i:]
	}
	x.ready()
	return headLines
}

func (x *xdfile) ready() {
	n := len(x.recs)
	x.rchg = resizeBools(x.rchg, n+2)
	x.rindex = x.rindex[:0]
	x.rha = x.rha[:0]
	x.dstart, x.dend = 0, n-1
}

// commonHead returns the length of the whole lines a and b both start
// with. Comparing bytes is much cheaper than classifying the lines twice.
func commonHead(a, b []byte) int {
	const blk = 1024
	n := 0
	for lim := min(len(a), len(b)); n+blk <= lim && bytes.Equal(a[n:n+blk], b[n:n+blk]); {
		n += blk
	}
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return bytes.LastIndexByte(a[:n], '\n') + 1
}

func resizeBools(b []bool, n int) []bool {
	if cap(b) >= n {
		b = b[:n]
		clear(b)
		return b
	}
	return make([]bool, n)
}

// trimEnds is xdl_trim_ends: skip the common head and tail.
func trimEnds(x1, x2 *xdfile) {
	lim := min(x1.nrec(), x2.nrec())
	i := 0
	for i < lim && x1.ha[i] == x2.ha[i] {
		i++
	}
	x1.dstart, x2.dstart = i, i
	lim -= i
	n1, n2 := x1.nrec(), x2.nrec()
	i = 0
	for i < lim && x1.ha[n1-1-i] == x2.ha[n2-1-i] {
		i++
	}
	x1.dend = n1 - i - 1
	x2.dend = n2 - i - 1
}

// bogosqrt is xdl_bogosqrt, xdiff's rough integer square root.
func bogosqrt(n int) int {
	i := 1
	for ; n > 0; n >>= 2 {
		i <<= 1
	}
	return i
}

// cleanMmatch is xdl_clean_mmatch: a line matching too many others is
// discarded only when it sits in a run of mostly unmatched lines.
func cleanMmatch(dis []byte, i, s, e int) bool {
	if i-s > xdlSimscanWindow {
		s = i - xdlSimscanWindow
	}
	if e-i > xdlSimscanWindow {
		e = i + xdlSimscanWindow
	}
	rdis0, rpdis0 := 0, 1
	for r := 1; i-r >= s; r++ {
		if dis[i-r] == disNoMatch {
			rdis0++
		} else if dis[i-r] == disManyMatch {
			rpdis0++
		} else {
			break
		}
	}
	if rdis0 == 0 {
		return false
	}
	rdis1, rpdis1 := 0, 1
	for r := 1; i+r <= e; r++ {
		if dis[i+r] == disNoMatch {
			rdis1++
		} else if dis[i+r] == disManyMatch {
			rpdis1++
		} else {
			break
		}
	}
	if rdis1 == 0 {
		return false
	}
	rdis1 += rdis0
	rpdis1 += rpdis0
	return rpdis1*xdlKpdisRun < rpdis1+rdis1
}

// cleanupRecords is xdl_cleanup_records: lines without a match in the
// other file are marked changed right away and left out of the search.
func cleanupRecords(c *classifier, x1, x2 *xdfile, dis []byte) []byte {
	n := x1.nrec() + x2.nrec() + 2
	if cap(dis) >= n {
		dis = dis[:n]
		clear(dis)
	} else {
		dis = make([]byte, n)
	}
	dis1 := dis[:x1.nrec()+1]
	dis2 := dis[x1.nrec()+1:]

	classifyMatches(dis1, x1, c.count[1])
	classifyMatches(dis2, x2, c.count[0])
	keepRecords(dis1, x1)
	keepRecords(dis2, x2)
	return dis
}

// classifyMatches fills dis for the lines of x from other, the number of
// times each class occurs in the other file.
func classifyMatches(dis []byte, x *xdfile, other []int32) {
	mlim := min(bogosqrt(x.nrec()), xdlMaxEqLimit)
	for i := x.dstart; i <= x.dend; i++ {
		dis[i] = matchKind(int(other[x.ha[i]]), mlim)
	}
}

// matchKind classifies a line that occurs nm times in the other file,
// whose own file has a match limit of mlim.
func matchKind(nm, mlim int) byte {
	switch {
	case nm == 0:
		return disNoMatch
	case nm >= mlim:
		return disManyMatch
	default:
		return disMatch
	}
}

// exactCost bounds the edit cost (changed lines kept for the search, both
// sides) below which xdl_split always finds a minimal diff: it meets the
// middle snake by the cost's half, before xdiff's heuristics, which need
// a cost of XDL_HEUR_MIN_COST or XDL_MAX_COST_MIN (both 256), can start.
const exactCost = xdlHeurMinCost

// tailNeutral tells, after a Myers diff of two files whose common tail
// was trimmed, whether diffing them with that tail put back would mark
// as many lines changed on each side (added and deleted being this
// diff's counts). It answers without reading the tail when it can.
//
// The tail is whole lines equal on both sides, so with it back
// xdl_trim_ends stops at the same lines, unless one side's middle is
// empty (a pure insertion or deletion, which stays one of the same size).
// What can change is which middle lines xdl_cleanup_records leaves to the
// Myers search: a line's kind depends on how often it occurs in the other
// file, tail included, and on the file's match limit, which grows with
// its lines. Counts only grow with the tail, so a line of no match may
// get matches, never the reverse; and xdl_clean_mmatch drops a line with
// many matches only between lines of no match, at most xdlSimscanWindow
// away on each side. So only such "exposed" lines can enter or leave the
// search, besides lines of no match, which may enter it but have no
// equal in the other file's middle. If the search sees the same lines, it
// gives the same result. If it also sees some lines without an equal, the
// longest common subsequence stays the same, and so do the counts when
// both searches are minimal, which a small edit cost guarantees. Sliding
// groups (xdl_change_compact) moves changed lines, never changes how many.
func (e *env) tailNeutral(tail []byte, added, deleted int) bool {
	x1, x2 := &e.x1, &e.x2
	if x1.dstart > x1.dend || x2.dstart > x2.dend {
		return true
	}
	n1 := x1.nrec() + 1
	dis1, dis2 := e.dis[:n1], e.dis[n1:]
	e.nomatch[0], e.exposed[0] = exposure(dis1, x1, e.nomatch[0][:0], e.exposed[0][:0])
	e.nomatch[1], e.exposed[1] = exposure(dis2, x2, e.nomatch[1][:0], e.exposed[1][:0])
	// Without exposed lines no discarded line has matches, so the cost is
	// added+deleted less the lines of no match, which may all join.
	if len(e.exposed[0])+len(e.exposed[1]) == 0 && added+deleted <= exactCost {
		return true
	}

	// Count, in the tail, the lines of the classes whose kind matters: the
	// lines of no match and those in reach of an exposed line.
	var maybe lineFilter
	for f, x := range []*xdfile{x1, x2} {
		for _, i := range e.nomatch[f] {
			maybe.add(x.recs[i])
		}
		for _, z := range e.exposed[f] {
			lo, hi := reach(z, x)
			for i := lo; i <= hi; i++ {
				maybe.add(x.recs[i])
			}
		}
	}
	e.inc = resizeInt32(e.inc, len(e.cf.reps))
	clear(e.inc)
	clear(e.recent[:])
	lines := 0
	for len(tail) > 0 {
		i := bytes.IndexByte(tail, '\n')
		if i < 0 {
			i = len(tail)
		} else {
			i++
		}
		if line := tail[:i]; maybe.has(line) {
			// Braces and blank lines come back often: remember the class
			// last found for each key.
			r := &e.recent[lineKey(line)%uint(len(e.recent))]
			if r.line != nil && bytes.Equal(r.line, line) {
				e.inc[r.id]++
			} else if id, ok := e.cf.lookup(line); ok {
				e.inc[id]++
				r.line, r.id = line, id
			}
		}
		lines++
		tail = tail[i:]
	}
	clear(e.recent[:]) // do not keep the caller's data alive

	e.ndis = resizeBytes(e.ndis, len(e.dis))
	joined := 0
	for f, x := range []*xdfile{x1, x2} {
		dis, ndis, other := dis1, e.ndis[:n1], e.cf.count[1]
		if f == 1 {
			dis, ndis, other = dis2, e.ndis[n1:], e.cf.count[0]
		}
		mlim := min(bogosqrt(x.nrec()+lines), xdlMaxEqLimit)
		for _, z := range e.exposed[f] {
			lo, hi := reach(z, x)
			for i := lo; i <= hi; i++ {
				c := x.ha[i]
				ndis[i] = matchKind(int(other[c]+e.inc[c]), mlim)
			}
			for i := z.lo; i <= z.hi; i++ {
				// An exposed line has matches: it must stay in or out.
				if searched(dis, i, x.dstart, x.dend) != searched(ndis, i, x.dstart, x.dend) {
					return false
				}
			}
		}
		for _, i := range e.nomatch[f] {
			if e.inc[x.ha[i]] > 0 {
				joined++ // maybe: it gets matches, in the tail only
			}
		}
	}
	if joined == 0 {
		return true
	}
	discarded := (x1.dend - x1.dstart + 1 - len(x1.rindex)) + (x2.dend - x2.dstart + 1 - len(x2.rindex))
	cost := added + deleted - discarded
	return cost+joined <= exactCost
}

// span is a range of lines, both ends included.
type span struct{ lo, hi int }

// exposure appends to nomatch the middle lines of x that have no match
// (dis), and to exposed the ranges of the other middle lines that have
// one no further than xdlSimscanWindow lines on each side: the lines
// xdl_clean_mmatch may drop, with the tail back or not.
func exposure(dis []byte, x *xdfile, nomatch []int32, exposed []span) ([]int32, []span) {
	prev := -1
	for i := x.dstart; i <= x.dend; i++ {
		if dis[i] != disNoMatch {
			continue
		}
		nomatch = append(nomatch, int32(i))
		if prev >= 0 && i-prev >= 2 {
			if z := (span{max(prev+1, i-xdlSimscanWindow), min(i-1, prev+xdlSimscanWindow)}); z.lo <= z.hi {
				exposed = append(exposed, z)
			}
		}
		prev = i
	}
	return nomatch, exposed
}

// reach returns the lines xdl_clean_mmatch looks at for the lines of z.
func reach(z span, x *xdfile) (lo, hi int) {
	return max(z.lo-xdlSimscanWindow, x.dstart), min(z.hi+xdlSimscanWindow, x.dend)
}

// lineFilter is a set of lines that may answer yes for lines not in it,
// keyed by length and middle byte: a cheap test before hashing.
type lineFilter [16]uint64

func lineKey(line []byte) uint {
	return (uint(len(line))*8 + uint(line[len(line)/2])) % 1024
}

func (f *lineFilter) add(line []byte) {
	k := lineKey(line)
	f[k/64] |= 1 << (k % 64)
}

func (f *lineFilter) has(line []byte) bool {
	k := lineKey(line)
	return f[k/64]&(1<<(k%64)) != 0
}

func resizeBytes(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n)
}

func keepRecords(dis []byte, x *xdfile) {
	n := max(x.dend-x.dstart+1, 0)
	x.rindex = resizeInt32(x.rindex, n)
	x.rha = resizeInt32(x.rha, n)
	nreff := 0
	for i := x.dstart; i <= x.dend; i++ {
		if searched(dis, i, x.dstart, x.dend) {
			x.rindex[nreff] = int32(i)
			x.rha[nreff] = x.ha[i]
			nreff++
		} else {
			x.setChanged(i, true)
		}
	}
	x.rindex = x.rindex[:nreff]
	x.rha = x.rha[:nreff]
}

// searched tells whether line i, of kind dis[i], takes part in the Myers
// search or is marked changed right away.
func searched(dis []byte, i, s, e int) bool {
	return dis[i] == disMatch || (dis[i] == disManyMatch && !cleanMmatch(dis, i, s, e))
}

func resizeInt32(s []int32, n int) []int32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]int32, n)
}
