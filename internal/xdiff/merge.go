package xdiff

// Port of git's xdiff/xmerge.c (LibXDiff, Copyright (C) 2003-2006 Davide
// Libenzi, Johannes E. Schindelin, LGPL-2.1+) and of the parts of
// ll-merge.c (ll_xdl_merge, ll_binary_merge) that choose how git's
// default merge driver calls it.

import "bytes"

// MergeLevel is xdiff's XDL_MERGE_* level: how hard it tries to shrink
// conflicts.
type MergeLevel uint8

const (
	// MergeMinimal marks all overlapping changes as conflicts.
	MergeMinimal MergeLevel = iota
	// MergeEager does not conflict on identical changes.
	MergeEager
	// MergeZealous also reduces conflicts to the lines that really
	// differ (git's merge driver: cherry-pick, merge, rebase).
	MergeZealous
	// MergeZealousAlnum also merges conflicts separated by lines without
	// letters or digits (git merge-file).
	MergeZealousAlnum
)

// MergeStyle is merge.conflictStyle.
type MergeStyle uint8

const (
	// StyleMerge shows ours and theirs (git's default).
	StyleMerge MergeStyle = iota
	// StyleDiff3 also shows the base, and never refines conflicts.
	StyleDiff3
	// StyleZealousDiff3 shows the base but moves common lines out.
	StyleZealousDiff3
)

// MergeFavor resolves conflicts to one side (-X ours, -X theirs, union).
type MergeFavor uint8

const (
	FavorNone MergeFavor = iota
	FavorOurs
	FavorTheirs
	FavorUnion
)

// MergeOptions mirrors xmparam_t.
type MergeOptions struct {
	Algorithm  Algorithm
	Level      MergeLevel
	Style      MergeStyle
	Favor      MergeFavor
	MarkerSize int // conflict marker length; 0 means 7

	// Labels written after the markers; empty means no label.
	OursLabel, TheirsLabel, BaseLabel string
}

// DefaultMergeOptions are those of git's default merge driver as
// merge-ort calls it for cherry-pick, rebase and merge: histogram diff
// (hard-coded by merge-ort), XDL_MERGE_ZEALOUS, "merge" markers of 7.
func DefaultMergeOptions() MergeOptions {
	return MergeOptions{Algorithm: Histogram, Level: MergeZealous}
}

// MergeFileOptions are those of `git merge-file`: Myers diff and
// XDL_MERGE_ZEALOUS_ALNUM.
func MergeFileOptions() MergeOptions {
	return MergeOptions{Algorithm: Myers, Level: MergeZealousAlnum}
}

// LineRange is a run of lines: Start is the first line (1-based); an
// empty range starts at the line before it, as in Hunk.
type LineRange struct{ Start, Count int }

// Conflict is one conflicting region of a merge.
type Conflict struct {
	Ours, Theirs LineRange
	// Base is the part of the base both sides changed. When git reduces
	// a conflict to the lines that differ (MergeZealous), it is the base
	// range of the conflict before that reduction.
	Base LineRange
}

// MergeResult is the outcome of Merge3.
type MergeResult struct {
	// Content is the merged file, with conflict markers if not Clean.
	Content []byte
	Clean   bool
	// Conflicts lists the conflicting regions, in file order.
	Conflicts []Conflict
	// Binary is set when git would not merge the contents: one of them
	// is binary (or over 1 GiB). Content is then ours (or the favored
	// side) and Conflicts is empty.
	Binary bool
	// Err is set when xdiff itself fails (histogram diff on
	// pathological input), where git reports an error too.
	Err error
}

// maxXdiffSize is MAX_XDIFF_SIZE of xdiff-interface.h.
const maxXdiffSize = 1024 * 1024 * 1023

// Merge3 merges the changes from base to ours and from base to theirs,
// as git's default merge driver does (ll_xdl_merge calling xdl_merge).
func Merge3(base, ours, theirs []byte, opts MergeOptions) MergeResult {
	if len(base) > maxXdiffSize || len(ours) > maxXdiffSize || len(theirs) > maxXdiffSize ||
		IsBinary(base) || IsBinary(ours) || IsBinary(theirs) {
		return binaryMerge(ours, theirs, opts.Favor)
	}
	return xdlMerge(base, ours, theirs, &opts)
}

// binaryMerge is ll_binary_merge: keep one side whole.
func binaryMerge(ours, theirs []byte, favor MergeFavor) MergeResult {
	switch favor {
	case FavorOurs:
		return MergeResult{Content: clone(ours), Clean: true, Binary: true}
	case FavorTheirs:
		return MergeResult{Content: clone(theirs), Clean: true, Binary: true}
	}
	return MergeResult{Content: clone(ours), Binary: true}
}

func clone(b []byte) []byte { return append([]byte{}, b...) }

// xdmerge is xdmerge_t. mode: 0 conflict, 1 take ours, 2 take theirs,
// 3 take both, 4 identical after refinement.
type xdmerge struct {
	next   *xdmerge
	mode   int
	i1, i2 int
	chg1   int
	chg2   int
	i0     int
	chg0   int
	// base0, baseChg are the base range reported for a conflict; unlike
	// i0/chg0 they survive refinement and simplification.
	base0, baseChg int
}

// appendMerge is xdl_append_merge.
func appendMerge(merge **xdmerge, mode, i0, chg0, i1, chg1, i2, chg2 int) {
	m := *merge
	if m != nil && (i1 <= m.i1+m.chg1 || i2 <= m.i2+m.chg2) {
		if mode != m.mode {
			m.mode = 0
		}
		m.chg0 = i0 + chg0 - m.i0
		m.chg1 = i1 + chg1 - m.i1
		m.chg2 = i2 + chg2 - m.i2
		return
	}
	m = &xdmerge{mode: mode, i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, chg2: chg2}
	if *merge != nil {
		(*merge).next = m
	}
	*merge = m
}

// mergeEnv holds the two diffs of a merge: xe1 is base->ours, xe2 is
// base->theirs (xdf1 is the base in both, xdf2 the side).
type mergeEnv struct {
	xe1, xe2 *env
	opts     *MergeOptions
}

// xdlMerge is xdl_merge.
func xdlMerge(base, ours, theirs []byte, opts *MergeOptions) MergeResult {
	me := mergeEnv{xe1: getEnv(), xe2: getEnv(), opts: opts}
	defer putEnv(me.xe1)
	defer putEnv(me.xe2)

	xscr1, err := me.xe1.diff(base, ours, opts.Algorithm, false)
	if err != nil {
		return MergeResult{Err: err}
	}
	xscr2, err := me.xe2.diff(base, theirs, opts.Algorithm, false)
	if err != nil {
		return MergeResult{Err: err}
	}
	if len(xscr1) == 0 {
		return MergeResult{Content: clone(theirs), Clean: true}
	}
	if len(xscr2) == 0 {
		return MergeResult{Content: clone(ours), Clean: true}
	}
	return me.doMerge(xscr1, xscr2)
}

// cmpLines is xdl_merge_cmp_lines: are count lines of ours at i1 equal
// to those of theirs at i2?
func (me *mergeEnv) cmpLines(i1, i2, count int) bool {
	r1, r2 := me.xe1.x2.recs[i1:i1+count], me.xe2.x2.recs[i2:i2+count]
	for i := range r1 {
		if !bytes.Equal(r1[i], r2[i]) {
			return false
		}
	}
	return true
}

// doMerge is xdl_do_merge.
func (me *mergeEnv) doMerge(xscr1, xscr2 []change) MergeResult {
	opts := me.opts
	level, style := opts.Level, opts.Style
	if style == StyleDiff3 || style == StyleZealousDiff3 {
		// "diff3 -m" output does not make sense for anything more
		// aggressive than XDL_MERGE_EAGER.
		level = min(level, MergeEager)
	}

	var changes, c *xdmerge
	n1, n2 := me.xe1.x2.nrec()-me.xe1.x1.nrec(), me.xe2.x2.nrec()-me.xe2.x1.nrec()
	for len(xscr1) > 0 && len(xscr2) > 0 {
		if changes == nil {
			changes = c
		}
		s1, s2 := &xscr1[0], &xscr2[0]
		if s1.i1+s1.chg1 < s2.i1 {
			appendMerge(&c, 1, s1.i1, s1.chg1, s1.i2, s1.chg2, s2.i2-s2.i1+s1.i1, s1.chg1)
			xscr1 = xscr1[1:]
			continue
		}
		if s2.i1+s2.chg1 < s1.i1 {
			appendMerge(&c, 2, s2.i1, s2.chg1, s1.i2-s1.i1+s2.i1, s2.chg1, s2.i2, s2.chg2)
			xscr2 = xscr2[1:]
			continue
		}
		if level == MergeMinimal || s1.i1 != s2.i1 || s1.chg1 != s2.chg1 ||
			s1.chg2 != s2.chg2 || !me.cmpLines(s1.i2, s2.i2, s1.chg2) {
			// conflict
			off := s1.i1 - s2.i1
			ffo := off + s1.chg1 - s2.chg1
			i0, i1, i2 := s1.i1, s1.i2, s2.i2
			if off > 0 {
				i0 -= off
				i1 -= off
			} else {
				i2 += off
			}
			chg0 := s1.i1 + s1.chg1 - i0
			chg1 := s1.i2 + s1.chg2 - i1
			chg2 := s2.i2 + s2.chg2 - i2
			if ffo < 0 {
				chg0 -= ffo
				chg1 -= ffo
			} else {
				chg2 += ffo
			}
			appendMerge(&c, 0, i0, chg0, i1, chg1, i2, chg2)
		}

		e1 := s1.i1 + s1.chg1
		e2 := s2.i1 + s2.chg1
		if e1 >= e2 {
			xscr2 = xscr2[1:]
		}
		if e2 >= e1 {
			xscr1 = xscr1[1:]
		}
	}
	for _, s1 := range xscr1 {
		if changes == nil {
			changes = c
		}
		appendMerge(&c, 1, s1.i1, s1.chg1, s1.i2, s1.chg2, s1.i1+n2, s1.chg1)
	}
	for _, s2 := range xscr2 {
		if changes == nil {
			changes = c
		}
		appendMerge(&c, 2, s2.i1, s2.chg1, s2.i1+n1, s2.chg1, s2.i2, s2.chg2)
	}
	if changes == nil {
		changes = c
	}
	for m := changes; m != nil; m = m.next {
		m.base0, m.baseChg = m.i0, m.chg0
	}

	switch {
	case style == StyleZealousDiff3:
		me.refineZdiff3Conflicts(changes)
	case level >= MergeZealous:
		if err := me.refineConflicts(changes); err != nil {
			return MergeResult{Err: err}
		}
		me.simplifyNonConflicts(changes, level > MergeZealous)
	}

	var out bytes.Buffer
	out.Grow(max(me.xe1.x2.size(), me.xe2.x2.size()) + 256)
	me.fillMergeBuffer(changes, &out)
	res := MergeResult{Content: out.Bytes(), Clean: true}
	for m := changes; m != nil; m = m.next {
		if m.mode == 0 {
			res.Clean = false
			res.Conflicts = append(res.Conflicts, Conflict{
				Ours:   lineRange(m.i1, m.chg1),
				Theirs: lineRange(m.i2, m.chg2),
				Base:   lineRange(m.base0, m.baseChg),
			})
		}
	}
	return res
}

func lineRange(i, count int) LineRange {
	if count == 0 {
		return LineRange{Start: i, Count: 0}
	}
	return LineRange{Start: i + 1, Count: count}
}

// refineZdiff3Conflicts is xdl_refine_zdiff3_conflicts: move the lines
// both sides share at the start and end of a conflict out of it.
func (me *mergeEnv) refineZdiff3Conflicts(m *xdmerge) {
	rec1, rec2 := me.xe1.x2.recs, me.xe2.x2.recs
	for ; m != nil; m = m.next {
		if m.mode != 0 {
			continue
		}
		for m.chg1 > 0 && m.chg2 > 0 && bytes.Equal(rec1[m.i1], rec2[m.i2]) {
			m.chg1--
			m.chg2--
			m.i1++
			m.i2++
		}
		for m.chg1 > 0 && m.chg2 > 0 && bytes.Equal(rec1[m.i1+m.chg1-1], rec2[m.i2+m.chg2-1]) {
			m.chg1--
			m.chg2--
		}
	}
}

// refineConflicts is xdl_refine_conflicts: diff the two sides of each
// conflict and keep only the lines that differ as conflicts.
func (me *mergeEnv) refineConflicts(m *xdmerge) error {
	xe := getEnv()
	defer putEnv(xe)
	for ; m != nil; m = m.next {
		i1, i2 := m.i1, m.i2
		if m.mode != 0 {
			continue
		}
		// no sense refining a conflict when one side is empty
		if m.chg1 == 0 || m.chg2 == 0 {
			continue
		}
		t1 := me.xe1.x2.subfile(m.i1+1, m.chg1)
		t2 := me.xe2.x2.subfile(m.i2+1, m.chg2)
		xscr, err := xe.diff(t1, t2, me.opts.Algorithm, false)
		if err != nil {
			return err
		}
		if len(xscr) == 0 {
			// the changes are identical
			m.mode = 4
			continue
		}
		m.i1 = xscr[0].i1 + i1
		m.chg1 = xscr[0].chg1
		m.i2 = xscr[0].i2 + i2
		m.chg2 = xscr[0].chg2
		for _, x := range xscr[1:] {
			m2 := &xdmerge{
				next: m.next, mode: 0,
				i1: x.i1 + i1, chg1: x.chg1,
				i2: x.i2 + i2, chg2: x.chg2,
				base0: m.base0, baseChg: m.baseChg,
			}
			m.next = m2
			m = m2
		}
	}
	return nil
}

// lineContainsAlnum is line_contains_alnum (git's ASCII isalnum).
func lineContainsAlnum(line []byte) bool {
	for _, c := range line {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			return true
		}
	}
	return false
}

func (me *mergeEnv) linesContainAlnum(i, chg int) bool {
	for _, r := range me.xe1.x2.recs[i : i+chg] {
		if lineContainsAlnum(r) {
			return true
		}
	}
	return false
}

// mergeTwoConflicts is xdl_merge_two_conflicts: m absorbs m.next and the
// lines between them.
func mergeTwoConflicts(m *xdmerge) {
	next := m.next
	m.chg1 = next.i1 + next.chg1 - m.i1
	m.chg2 = next.i2 + next.chg2 - m.i2
	end := max(m.base0+m.baseChg, next.base0+next.baseChg)
	m.base0 = min(m.base0, next.base0)
	m.baseChg = end - m.base0
	m.next = next.next
}

// simplifyNonConflicts is xdl_simplify_non_conflicts: conflicts at most
// three lines apart (or separated only by lines without letters and
// digits, for MergeZealousAlnum) become one.
func (me *mergeEnv) simplifyNonConflicts(m *xdmerge, simplifyIfNoAlnum bool) {
	if m == nil {
		return
	}
	for {
		next := m.next
		if next == nil {
			return
		}
		begin := m.i1 + m.chg1
		end := next.i1
		if m.mode != 0 || next.mode != 0 ||
			(end-begin > 3 && (!simplifyIfNoAlnum || me.linesContainAlnum(begin, end-begin))) {
			m = next
		} else {
			mergeTwoConflicts(m)
		}
	}
}

// isEOLCRLF is is_eol_crlf: 1 if line i ends in CRLF (for a last line
// without end of line, the line before), 0 if LF, -1 if unknown.
func isEOLCRLF(x *xdfile, i int) int {
	n := x.nrec()
	if i < n-1 {
		r := x.recs[i]
		return b2i(len(r) > 1 && r[len(r)-2] == '\r')
	}
	if n == 0 {
		return -1
	}
	if r := x.recs[i]; len(r) > 0 && r[len(r)-1] == '\n' {
		return b2i(len(r) > 1 && r[len(r)-2] == '\r')
	}
	if i == 0 {
		return -1
	}
	r := x.recs[i-1]
	return b2i(len(r) > 1 && r[len(r)-2] == '\r')
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isCRNeeded is is_cr_needed: do the markers of m end in CRLF?
func (me *mergeEnv) isCRNeeded(m *xdmerge) bool {
	at := func(i int) int {
		if i > 0 {
			return i - 1
		}
		return 0
	}
	needsCR := isEOLCRLF(&me.xe1.x2, at(m.i1))
	if needsCR != 0 {
		needsCR = isEOLCRLF(&me.xe2.x2, at(m.i2))
	}
	if needsCR != 0 {
		needsCR = isEOLCRLF(&me.xe1.x1, 0)
	}
	return needsCR > 0
}

// recsCopy is xdl_recs_copy_0: count lines from i, adding a line end to
// the last one if addNL and it has none.
func recsCopy(out *bytes.Buffer, x *xdfile, i, count int, needsCR, addNL bool) {
	if count < 1 {
		return
	}
	for _, r := range x.recs[i : i+count] {
		out.Write(r)
	}
	if addNL {
		last := x.recs[i+count-1]
		if len(last) == 0 || last[len(last)-1] != '\n' {
			if needsCR {
				out.WriteByte('\r')
			}
			out.WriteByte('\n')
		}
	}
}

func writeMarker(out *bytes.Buffer, c byte, size int, label string, needsCR bool) {
	for range size {
		out.WriteByte(c)
	}
	if label != "" {
		out.WriteByte(' ')
		out.WriteString(label)
	}
	if needsCR {
		out.WriteByte('\r')
	}
	out.WriteByte('\n')
}

// size is the number of bytes of x's records.
func (x *xdfile) size() int {
	if x.nrec() == 0 {
		return 0
	}
	return len(x.subfile(1, x.nrec()))
}

// fillConflictHunk is fill_conflict_hunk.
func (me *mergeEnv) fillConflictHunk(out *bytes.Buffer, i int, m *xdmerge) {
	opts := me.opts
	markerSize := opts.MarkerSize
	if markerSize <= 0 {
		markerSize = 7 // DEFAULT_CONFLICT_MARKER_SIZE
	}
	needsCR := me.isCRNeeded(m)

	recsCopy(out, &me.xe1.x2, i, m.i1-i, false, false)
	writeMarker(out, '<', markerSize, opts.OursLabel, needsCR)
	recsCopy(out, &me.xe1.x2, m.i1, m.chg1, needsCR, true)
	if opts.Style == StyleDiff3 || opts.Style == StyleZealousDiff3 {
		writeMarker(out, '|', markerSize, opts.BaseLabel, needsCR)
		recsCopy(out, &me.xe1.x1, m.i0, m.chg0, needsCR, true)
	}
	writeMarker(out, '=', markerSize, "", needsCR)
	recsCopy(out, &me.xe2.x2, m.i2, m.chg2, needsCR, true)
	writeMarker(out, '>', markerSize, opts.TheirsLabel, needsCR)
}

// fillMergeBuffer is xdl_fill_merge_buffer.
func (me *mergeEnv) fillMergeBuffer(m *xdmerge, out *bytes.Buffer) {
	favor := int(me.opts.Favor)
	i := 0
	for ; m != nil; m = m.next {
		if favor != 0 && m.mode == 0 {
			m.mode = favor
		}
		switch {
		case m.mode == 0:
			me.fillConflictHunk(out, i, m)
		case m.mode&3 != 0:
			recsCopy(out, &me.xe1.x2, i, m.i1-i, false, false)
			if m.mode&1 != 0 {
				recsCopy(out, &me.xe1.x2, m.i1, m.chg1, me.isCRNeeded(m), m.mode&2 != 0)
			}
			if m.mode&2 != 0 {
				recsCopy(out, &me.xe2.x2, m.i2, m.chg2, false, false)
			}
		default:
			continue
		}
		i = m.i1 + m.chg1
	}
	recsCopy(out, &me.xe1.x2, i, me.xe1.x2.nrec()-i, false, false)
}
