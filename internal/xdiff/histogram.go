package xdiff

// Port of git's xdiff/xhistogram.c (histogram diff, from JGit, Copyright
// (C) 2010 Google Inc., Eclipse Distribution License 1.0) and of
// xdl_fall_back_diff from xdiff/xutils.c. Lines are 1-based here, as in
// the C source. Git's merge-ort uses this algorithm for content merges.

import "errors"

// errHistogramChain is find_lcs giving up: a bucket of its line table
// holds max_chain_length distinct lines. Git fails the diff then.
var errHistogramChain = errors.New("xdiff: histogram line table chain too long")

const histMaxChainLength = 64

// hashLong is XDL_HASHLONG(v, b) of xmacros.h, with a 64-bit unsigned
// long: fold the high bits onto the low ones and keep b bits.
func hashLong(v int32, bits uint) uint64 {
	u := uint64(uint32(v))
	return (u + (u >> bits)) & (1<<bits - 1)
}

// hashBits is xdl_hashbits.
func hashBits(size uint32) uint {
	val, bits := uint32(1), uint(0)
	for val < size && bits < 32 {
		val <<= 1
		bits++
	}
	if bits == 0 {
		return 1
	}
	return bits
}

type histRecord struct {
	ptr, cnt uint32
	next     int32 // index+1 into histindex.pool; 0 ends the chain
}

// histindex is struct histindex.
type histindex struct {
	records   []int32 // bucket heads (pool index+1)
	pool      []histRecord
	lineMap   []int32  // line - ptrShift -> pool index
	nextPtrs  []uint32 // line - ptrShift -> next occurrence, 0 if none
	tableBits uint
	ptrShift  uint32
	cnt       uint32
	hasCommon bool
	ha1, ha2  []int32
}

type region struct {
	begin1, end1 uint32
	begin2, end2 uint32
}

func (ix *histindex) nextPtr(ptr uint32) *uint32 { return &ix.nextPtrs[ptr-ix.ptrShift] }

func (ix *histindex) cntOf(ptr uint32) uint32 { return ix.pool[ix.lineMap[ptr-ix.ptrShift]].cnt }

// scanA indexes the lines of the first range, last to first, so that
// each chain lists a line's occurrences in file order.
func (ix *histindex) scanA(line1, count1 int) error {
	for ptr := uint32(line1 + count1 - 1); uint32(line1) <= ptr; ptr-- {
		h := ix.ha1[ptr-1]
		tbl := hashLong(h, ix.tableBits)
		chainLen := 0
		found := false
		for r := ix.records[tbl]; r != 0; r = ix.pool[r-1].next {
			rec := &ix.pool[r-1]
			if ix.ha1[rec.ptr-1] == h {
				*ix.nextPtr(ptr) = rec.ptr
				rec.ptr = ptr
				if rec.cnt < ^uint32(0) {
					rec.cnt++
				}
				ix.lineMap[ptr-ix.ptrShift] = r - 1
				found = true
				break
			}
			chainLen++
		}
		if found {
			continue
		}
		if chainLen == histMaxChainLength {
			return errHistogramChain
		}
		ix.pool = append(ix.pool, histRecord{ptr: ptr, cnt: 1, next: ix.records[tbl]})
		ix.records[tbl] = int32(len(ix.pool))
		ix.lineMap[ptr-ix.ptrShift] = int32(len(ix.pool) - 1)
	}
	return nil
}

// tryLcs is try_lcs: extend every match of line bPtr of the second range
// into a common region, keeping the longest one made of the rarest lines.
func (ix *histindex) tryLcs(lcs *region, bPtr, line1, count1, line2, count2 int) int {
	bNext := uint32(bPtr + 1)
	end1, end2 := uint32(line1+count1-1), uint32(line2+count2-1)
	hb := ix.ha2[bPtr-1]
	for r := ix.records[hashLong(hb, ix.tableBits)]; r != 0; r = ix.pool[r-1].next {
		rec := &ix.pool[r-1]
		if rec.cnt > ix.cnt {
			if !ix.hasCommon {
				ix.hasCommon = ix.ha1[rec.ptr-1] == hb
			}
			continue
		}
		as := rec.ptr
		if ix.ha1[as-1] != hb {
			continue
		}
		ix.hasCommon = true
		for {
			np := *ix.nextPtr(as)
			bs := uint32(bPtr)
			ae, be := as, bs
			rc := rec.cnt

			for uint32(line1) < as && uint32(line2) < bs && ix.ha1[as-2] == ix.ha2[bs-2] {
				as--
				bs--
				if 1 < rc {
					rc = min(rc, ix.cntOf(as))
				}
			}
			for ae < end1 && be < end2 && ix.ha1[ae] == ix.ha2[be] {
				ae++
				be++
				if 1 < rc {
					rc = min(rc, ix.cntOf(ae))
				}
			}

			if bNext <= be {
				bNext = be + 1
			}
			if lcs.end1-lcs.begin1 < ae-as || rc < ix.cnt {
				*lcs = region{begin1: as, begin2: bs, end1: ae, end2: be}
				ix.cnt = rc
			}

			if np == 0 {
				break
			}
			for np <= ae {
				np = *ix.nextPtr(np)
				if np == 0 {
					break
				}
			}
			if np == 0 {
				break
			}
			as = np
		}
	}
	return int(bNext)
}

// findLcs is find_lcs: 1 means "fall back to Myers" (common lines exist
// but all are too frequent), 0 means lcs holds the answer (empty when
// the ranges share nothing).
func (e *env) findLcs(lcs *region, line1, count1, line2, count2 int) (int, error) {
	ix := &e.hist
	ix.ha1, ix.ha2 = e.x1.ha, e.x2.ha
	ix.tableBits = hashBits(uint32(count1))
	ix.records = resizeInt32(ix.records, 1<<ix.tableBits)
	clear(ix.records)
	ix.pool = ix.pool[:0]
	ix.lineMap = resizeInt32(ix.lineMap, count1)
	if cap(ix.nextPtrs) >= count1 {
		ix.nextPtrs = ix.nextPtrs[:count1]
		clear(ix.nextPtrs)
	} else {
		ix.nextPtrs = make([]uint32, count1)
	}
	ix.ptrShift = uint32(line1)
	ix.hasCommon = false

	if err := ix.scanA(line1, count1); err != nil {
		return 0, err
	}
	ix.cnt = histMaxChainLength + 1
	for bPtr := line2; bPtr <= line2+count2-1; {
		bPtr = ix.tryLcs(lcs, bPtr, line1, count1, line2, count2)
	}
	if ix.hasCommon && histMaxChainLength < ix.cnt {
		return 1, nil
	}
	return 0, nil
}

// histogramDiff is xdl_do_histogram_diff.
func (e *env) histogramDiff() error {
	return e.histogram(e.x1.dstart+1, e.x1.dend-e.x1.dstart+1,
		e.x2.dstart+1, e.x2.dend-e.x2.dstart+1)
}

// histogram is histogram_diff: split on the LCS and recurse on the left
// part, loop on the right part.
func (e *env) histogram(line1, count1, line2, count2 int) error {
	for {
		if count1 <= 0 && count2 <= 0 {
			return nil
		}
		if count1 == 0 {
			for ; count2 > 0; count2-- {
				e.x2.setChanged(line2-1, true)
				line2++
			}
			return nil
		}
		if count2 == 0 {
			for ; count1 > 0; count1-- {
				e.x1.setChanged(line1-1, true)
				line1++
			}
			return nil
		}

		var lcs region
		found, err := e.findLcs(&lcs, line1, count1, line2, count2)
		if err != nil {
			return err
		}
		if found == 1 {
			return e.fallBackDiff(line1, count1, line2, count2)
		}
		if lcs.begin1 == 0 && lcs.begin2 == 0 {
			for ; count1 > 0; count1-- {
				e.x1.setChanged(line1-1, true)
				line1++
			}
			for ; count2 > 0; count2-- {
				e.x2.setChanged(line2-1, true)
				line2++
			}
			return nil
		}
		if err := e.histogram(line1, int(lcs.begin1)-line1, line2, int(lcs.begin2)-line2); err != nil {
			return err
		}
		end1, end2 := line1+count1-1, line2+count2-1
		count1 = end1 - int(lcs.end1)
		line1 = int(lcs.end1) + 1
		count2 = end2 - int(lcs.end2)
		line2 = int(lcs.end2) + 1
	}
}

// subfile is the bytes of count records from line (1-based), which are
// contiguous in the original buffer.
func (x *xdfile) subfile(line, count int) []byte {
	total := 0
	for _, r := range x.recs[line-1 : line-1+count] {
		total += len(r)
	}
	return x.recs[line-1][:total]
}

// fallBackDiff is xdl_fall_back_diff: a Myers diff of the two ranges as
// files of their own, whose changed lines are copied back.
func (e *env) fallBackDiff(line1, count1, line2, count2 int) error {
	sub := getEnv()
	defer putEnv(sub)
	if err := sub.doDiff(e.x1.subfile(line1, count1), e.x2.subfile(line2, count2), Myers); err != nil {
		return err
	}
	copy(e.x1.rchg[line1:line1+count1], sub.x1.rchg[1:1+count1])
	copy(e.x2.rchg[line2:line2+count2], sub.x2.rchg[1:1+count2])
	return nil
}
