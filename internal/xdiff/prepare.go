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
		nm := int(other[x.ha[i]])
		switch {
		case nm == 0:
			dis[i] = disNoMatch
		case nm >= mlim:
			dis[i] = disManyMatch
		default:
			dis[i] = disMatch
		}
	}
}

func keepRecords(dis []byte, x *xdfile) {
	n := max(x.dend-x.dstart+1, 0)
	x.rindex = resizeInt32(x.rindex, n)
	x.rha = resizeInt32(x.rha, n)
	nreff := 0
	for i := x.dstart; i <= x.dend; i++ {
		if dis[i] == disMatch ||
			(dis[i] == disManyMatch && !cleanMmatch(dis, i, x.dstart, x.dend)) {
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

func resizeInt32(s []int32, n int) []int32 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]int32, n)
}
