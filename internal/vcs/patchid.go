package vcs

// Patch-ids, as `git patch-id --stable` computes them: a commit already
// present on another branch under another SHA (cherry-picked, rebased,
// re-applied by hand) has the same patch-id. The hashing is a port of git's
// builtin/patch-id.c (get_one_patchid, flush_one_hunk, remove_space); the
// patch it reads is produced here the way `git show`/`git diff-tree -p -M`
// prints a commit (diff.c builtin_diff, xdiff/xemit.c with three lines of
// context), so PatchID(commit) equals
//
//	git show --format='commit %H' COMMIT | git patch-id --stable

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/xdiff"
)

// PatchIDContext is the number of context lines of the patch that is hashed:
// git's default, which `git show` and `git log -p` use.
const PatchIDContext = 3

// PatchIDAbbrev is the length of the abbreviated blob names of the "index"
// lines; git hashes them for binary files only. git's default core.abbrev is
// 7 and grows with very large object counts: binary patch-ids of a huge
// repository may then differ from git's (they stay consistent among
// themselves, which is what presence detection needs).
const PatchIDAbbrev = 7

// PatchBlobReader returns a blob's content.
type PatchBlobReader func(plumbing.Hash) ([]byte, error)

// PatchID returns the stable patch-id of a commit's changes (as c.Changes
// lists them, against its first parent), reading blobs with read.
// It returns the zero hash for a commit with no textual change at all
// (git patch-id prints nothing for those).
func PatchID(changes []FileChange, read PatchBlobReader) (plumbing.Hash, error) {
	var buf bytes.Buffer
	buf.WriteString("diff-tree 0000000000000000000000000000000000000000\n")
	if err := WriteCommitPatch(&buf, changes, read); err != nil {
		return plumbing.ZeroHash, err
	}
	ids, err := PatchIDs(&buf)
	if err != nil || len(ids) == 0 {
		return plumbing.ZeroHash, err
	}
	return ids[0].PatchID, nil
}

// PatchIDEntry is one line of `git patch-id` output.
type PatchIDEntry struct {
	PatchID plumbing.Hash
	Commit  plumbing.Hash // the commit named before the patch; zero when none
}

// PatchIDs reads patches as `git log -p` or `git format-patch` prints them
// and returns their stable patch-ids, exactly as `git patch-id --stable`
// would print them (patches with no hashed content are skipped, as git does).
func PatchIDs(r io.Reader) ([]PatchIDEntry, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []PatchIDEntry
	var commit plumbing.Hash
	for {
		next, result, patchlen, eof, err := pidOne(br)
		if err != nil {
			return out, err
		}
		if patchlen > 0 {
			out = append(out, PatchIDEntry{PatchID: result, Commit: commit})
		}
		if eof {
			return out, nil
		}
		commit = next
	}
}

// pidOne is git's get_one_patchid in stable mode: it hashes lines up to
// the next commit header or the end of the patch, returning that header's
// object name (zero when none) and whether the input is exhausted.
func pidOne(br *bufio.Reader) (next, result plumbing.Hash, patchlen int, eof bool, err error) {
	before, after := -1, -1
	binary := false
	var preOID, postOID string
	ctx := sha1.New()
	for {
		line, rerr := br.ReadBytes('\n')
		if len(line) == 0 && rerr != nil {
			if rerr != io.EOF {
				return next, result, patchlen, true, rerr
			}
			eof = true
			break
		}
		// C strings end at the first NUL, and git reads them as such.
		if i := bytes.IndexByte(line, 0); i >= 0 {
			line = line[:i]
		}
		p := line
		switch {
		case bytes.HasPrefix(line, []byte("commit ")):
			p = line[len("commit "):]
		case bytes.HasPrefix(line, []byte("From ")):
			p = line[len("From "):]
		case bytes.HasPrefix(line, []byte(`\ `)) && len(line) > 12:
			continue // "\ No newline at end of file"
		}
		if h, ok := pidParseOID(p); ok {
			next = h
			break
		}
		// Ignore commit comments.
		if patchlen == 0 && !bytes.HasPrefix(line, []byte("diff ")) {
			continue
		}
		// Parsing a diff header?
		if before == -1 {
			switch {
			case bytes.HasPrefix(line, []byte("GIT binary patch")) || bytes.HasPrefix(line, []byte("Binary files")):
				binary = true
				before = 0
				ctx.Write([]byte(preOID))
				ctx.Write([]byte(postOID))
				pidFlush(&result, ctx)
				continue
			case bytes.HasPrefix(line, []byte("index ")):
				if pre, post, ok := pidIndexOIDs(line); ok {
					preOID, postOID = pre, post
				}
				continue
			case bytes.HasPrefix(line, []byte("--- ")):
				before, after = 1, 1
			case len(line) == 0 || !pidIsAlpha(line[0]):
				goto done
			}
		}
		if binary {
			if bytes.HasPrefix(line, []byte("diff ")) {
				binary = false
				before = -1
			}
			continue
		}
		// Looking for a valid hunk header?
		if before == 0 && after == 0 {
			if bytes.HasPrefix(line, []byte("@@ -")) {
				// Parse the next hunk, ignoring line numbers.
				pidScanHunkHeader(line, &before, &after)
				continue
			}
			// Split at the end of the patch.
			if !bytes.HasPrefix(line, []byte("diff ")) {
				goto done
			}
			// Else we are parsing another header.
			pidFlush(&result, ctx)
			before, after = -1, -1
		}
		// Inside a hunk.
		sign := byte(0)
		if len(line) > 0 {
			sign = line[0]
		}
		if sign == '-' || sign == ' ' {
			before--
		}
		if sign == '+' || sign == ' ' {
			after--
		}
		stripped := pidRemoveSpace(line)
		patchlen += len(stripped)
		ctx.Write(stripped)
	}
done:
	pidFlush(&result, ctx)
	if !eof {
		_, perr := br.Peek(1)
		eof = perr != nil
	}
	return next, result, patchlen, eof, nil
}

// pidFlush adds the SHA-1 of one file's patch to result, as a 160-bit
// little-endian sum with carry, so the order of the files does not matter.
func pidFlush(result *plumbing.Hash, ctx hash.Hash) {
	sum := ctx.Sum(nil)
	ctx.Reset()
	carry := uint16(0)
	for i := range result {
		carry += uint16(result[i]) + uint16(sum[i])
		result[i] = byte(carry)
		carry >>= 8
	}
}

// pidRemoveSpace drops every byte C's isspace accepts.
func pidRemoveSpace(line []byte) []byte {
	out := make([]byte, 0, len(line))
	for _, c := range line {
		switch c {
		case ' ', '\t', '\n', '\v', '\f', '\r':
		default:
			out = append(out, c)
		}
	}
	return out
}

func pidIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// pidParseOID is git's get_oid_hex: 40 hex digits at the start of p.
func pidParseOID(p []byte) (plumbing.Hash, bool) {
	var h plumbing.Hash
	if len(p) < 40 {
		return h, false
	}
	for i := 0; i < 40; i++ {
		v, ok := pidHexVal(p[i])
		if !ok {
			return h, false
		}
		if i%2 == 0 {
			h[i/2] = v << 4
		} else {
			h[i/2] |= v
		}
	}
	return h, true
}

func pidHexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pidIndexOIDs takes the two object names of an "index A..B [MODE]" line; like
// git, a line without ".." leaves the previous names in place.
func pidIndexOIDs(line []byte) (pre, post string, ok bool) {
	s := string(line)
	dots := strings.Index(s, "..")
	if dots < 0 {
		return "", "", false
	}
	rest := s[dots+2:]
	end := strings.IndexByte(rest, ' ')
	if end < 0 {
		end = max(len(rest)-1, 0) // git cuts the last character: the newline
	}
	return pidClip(s[len("index "):dots], 40), pidClip(rest[:end], 40), true
}

func pidClip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// pidScanHunkHeader is git's scan_hunk_header: the line counts of "@@ -a,b +c,d @@",
// a missing count meaning 1. Like git, it may set one count and then give up
// on a malformed header, leaving the other as it was.
func pidScanHunkHeader(line []byte, before, after *int) {
	q := line[4:]
	n := pidSpanDigits(q)
	if n < len(q) && q[n] == ',' {
		q = q[n+1:]
		v, used, ok := pidStrtoi(q)
		if !ok {
			return
		}
		*before, n = v, used
	} else {
		*before = 1
	}
	if n == 0 || n+1 >= len(q) || q[n] != ' ' || q[n+1] != '+' {
		return
	}
	r := q[n+2:]
	n = pidSpanDigits(r)
	if n < len(r) && r[n] == ',' {
		r = r[n+1:]
		v, used, ok := pidStrtoi(r)
		if !ok {
			return
		}
		*after = v
		_ = used
	} else {
		*after = 1
	}
}

// pidStrtoi is git's strtoi_with_tail in base 10: strtol's leading blanks and
// sign, at least one digit, and a value that fits an int.
func pidStrtoi(b []byte) (v, used int, ok bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if v > (1<<31-1)/10 {
			return 0, 0, false
		}
		v = v*10 + int(b[i]-'0')
		i++
	}
	if i == start || v > 1<<31-1 {
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, i, true
}

func pidSpanDigits(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	return n
}

// WriteCommitPatch writes changes as `git show` prints them with renames detected
// (diff --git headers, mode and rename lines, index lines, hunks with three
// lines of context, "\ No newline at end of file" markers).
func WriteCommitPatch(w io.Writer, changes []FileChange, read PatchBlobReader) error {
	bw := bufio.NewWriter(w)
	for i := range changes {
		if err := pidWriteFile(bw, &changes[i], read); err != nil {
			return err
		}
	}
	return bw.Flush()
}

const (
	pidModeTypeMask = 0170000
	pidModeGitlink  = 0160000
)

func pidWriteFile(w *bufio.Writer, fc *FileChange, read PatchBlobReader) error {
	// git splits a change between file kinds (regular, symlink, submodule)
	// into a deletion and a creation.
	if fc.Status == Modified && fc.OldMode != 0 && fc.NewMode != 0 && fc.OldMode&pidModeTypeMask != fc.NewMode&pidModeTypeMask {
		del := FileChange{Status: Deleted, OldPath: fc.OldPath, OldMode: fc.OldMode, OldHash: fc.OldHash}
		add := FileChange{Status: Added, NewPath: fc.NewPath, NewMode: fc.NewMode, NewHash: fc.NewHash}
		if fc.Binary { // only one side may be binary: look, as git does
			for _, half := range []*FileChange{&del, &add} {
				h := half.OldHash
				if half.Status == Added {
					h = half.NewHash
				}
				content, err := pidSide(h, half.OldMode|half.NewMode, false, read)
				if err != nil {
					return err
				}
				half.Binary = pidIsBinary(content)
			}
		}
		if err := pidWriteFile(w, &del, read); err != nil {
			return err
		}
		return pidWriteFile(w, &add, read)
	}
	oldPath, newPath := fc.OldPath, fc.NewPath
	if oldPath == "" {
		oldPath = newPath
	}
	if newPath == "" {
		newPath = oldPath
	}
	fmt.Fprintf(w, "diff --git %s %s\n", pidQuotePath("a/"+oldPath), pidQuotePath("b/"+newPath))
	switch {
	case fc.Status == Added:
		fmt.Fprintf(w, "new file mode %06o\n", fc.NewMode)
	case fc.Status == Deleted:
		fmt.Fprintf(w, "deleted file mode %06o\n", fc.OldMode)
	case fc.OldMode != fc.NewMode:
		fmt.Fprintf(w, "old mode %06o\nnew mode %06o\n", fc.OldMode, fc.NewMode)
	}
	if fc.Status == Renamed {
		fmt.Fprintf(w, "similarity index %d%%\nrename from %s\nrename to %s\n", fc.Similarity, pidQuotePath(fc.OldPath), pidQuotePath(fc.NewPath))
	}
	if fc.OldHash == fc.NewHash && fc.Status != Added && fc.Status != Deleted {
		return nil // a pure rename or mode change: headers only
	}
	abbrev := func(h plumbing.Hash) string { return h.String()[:PatchIDAbbrev] }
	if fc.Status == Added || fc.Status == Deleted || fc.OldMode != fc.NewMode {
		fmt.Fprintf(w, "index %s..%s\n", abbrev(fc.OldHash), abbrev(fc.NewHash))
	} else {
		fmt.Fprintf(w, "index %s..%s %06o\n", abbrev(fc.OldHash), abbrev(fc.NewHash), fc.NewMode)
	}
	aName, bName := pidQuotePath("a/"+oldPath), pidQuotePath("b/"+newPath)
	if fc.Status == Added {
		aName = "/dev/null"
	}
	if fc.Status == Deleted {
		bName = "/dev/null"
	}
	if fc.Binary {
		fmt.Fprintf(w, "Binary files %s and %s differ\n", aName, bName)
		return nil
	}
	oldText, err := pidSide(fc.OldHash, fc.OldMode, fc.Status == Added, read)
	if err != nil {
		return err
	}
	newText, err := pidSide(fc.NewHash, fc.NewMode, fc.Status == Deleted, read)
	if err != nil {
		return err
	}
	oldLines, newLines := pidSplitLines(oldText), pidSplitLines(newText)
	hunks := fc.Hunks
	switch {
	case hunks == nil || fc.OldMode == pidModeGitlink || fc.NewMode == pidModeGitlink:
		hunks = pidWholeHunks(fc, len(oldLines), len(newLines))
	case len(oldText) > 0 && len(newText) > 0:
		// fc.Hunks are -U0's, diffed after git's trim_common_tail; git
		// show diffs with context, the whole files, which in rare cases
		// gives other hunks (see xdiff.DiffNumstat).
		opts := xdiff.DefaultOptions()
		opts.KeepCommonTail = true
		hunks = hunks[:0:0]
		for _, h := range xdiff.Diff(oldText, newText, opts) {
			hunks = append(hunks, Hunk{OldStart: h.OldStart, OldLines: h.OldLines, NewStart: h.NewStart, NewLines: h.NewLines})
		}
	}
	if len(hunks) == 0 {
		return nil
	}
	fmt.Fprintf(w, "--- %s%s\n+++ %s%s\n", aName, pidNameTab(aName), bName, pidNameTab(bName))
	pidEmitHunks(w, oldLines, newLines, hunks, PatchIDContext)
	return nil
}

// pidNameTab is the tab git appends to ---/+++ names containing a space.
func pidNameTab(name string) string {
	if strings.Contains(name, " ") {
		return "\t"
	}
	return ""
}

// pidSide is one side's text: nothing when absent, "Subproject commit"
// for a submodule, the blob otherwise.
func pidSide(h plumbing.Hash, mode uint32, absent bool, read PatchBlobReader) ([]byte, error) {
	switch {
	case absent || h.IsZero():
		return nil, nil
	case mode == pidModeGitlink:
		return []byte("Subproject commit " + h.String() + "\n"), nil
	}
	b, err := read(h)
	if err != nil {
		return nil, fmt.Errorf("patch-id: reading blob %s: %w", h, err)
	}
	return b, nil
}

// pidWholeHunks stands for the hunks of a change whose sides are replaced
// entirely (additions, deletions, submodules) when the reader gave none.
func pidWholeHunks(fc *FileChange, nOld, nNew int) []Hunk {
	if nOld == 0 && nNew == 0 {
		return nil
	}
	if fc.Status != Added && fc.Status != Deleted && fc.OldHash == fc.NewHash {
		return nil
	}
	h := Hunk{OldStart: 1, OldLines: nOld, NewStart: 1, NewLines: nNew}
	if nOld == 0 {
		h.OldStart = 0
	}
	if nNew == 0 {
		h.NewStart = 0
	}
	return []Hunk{h}
}

// pidIsBinary is git's buffer_is_binary: a NUL byte in the first 8000 bytes.
func pidIsBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), 8000)], 0) >= 0
}

// pidSplitLines splits content into lines, each keeping its '\n' except maybe the last.
func pidSplitLines(b []byte) [][]byte {
	var lines [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:i+1])
		b = b[i+1:]
	}
	return lines
}

// pidChange is a -U0 hunk in xdiff's terms: 0-based first line (or insertion
// point) and line count on each side.
type pidChange struct{ i1, chg1, i2, chg2 int }

func pidToChange(h Hunk) pidChange {
	c := pidChange{i1: h.OldStart - 1, chg1: h.OldLines, i2: h.NewStart - 1, chg2: h.NewLines}
	if h.OldLines == 0 {
		c.i1 = h.OldStart
	}
	if h.NewLines == 0 {
		c.i2 = h.NewStart
	}
	return c
}

// pidEmitHunks is xdl_emit_diff for the default options: changes closer than
// twice the context are printed as one hunk.
func pidEmitHunks(w *bufio.Writer, a, b [][]byte, hunks []Hunk, ctxLen int) {
	changes := make([]pidChange, len(hunks))
	for i, h := range hunks {
		changes[i] = pidToChange(h)
	}
	for first := 0; first < len(changes); {
		last := first
		for last+1 < len(changes) && changes[last+1].i1-(changes[last].i1+changes[last].chg1) <= 2*ctxLen {
			last++
		}
		xch, xche := changes[first], changes[last]
		s1, s2 := max(xch.i1-ctxLen, 0), max(xch.i2-ctxLen, 0)
		lctx := min(ctxLen, len(a)-(xche.i1+xche.chg1), len(b)-(xche.i2+xche.chg2))
		e1, e2 := xche.i1+xche.chg1+lctx, xche.i2+xche.chg2+lctx
		fmt.Fprintf(w, "@@ -%s +%s @@\n", pidHunkRange(s1, e1-s1), pidHunkRange(s2, e2-s2))
		pos := s1
		for k := first; k <= last; k++ {
			c := changes[k]
			for ; pos < c.i1; pos++ {
				pidEmitLine(w, ' ', a[pos])
			}
			for i := c.i1; i < c.i1+c.chg1; i++ {
				pidEmitLine(w, '-', a[i])
			}
			for i := c.i2; i < c.i2+c.chg2; i++ {
				pidEmitLine(w, '+', b[i])
			}
			pos = c.i1 + c.chg1
		}
		for ; pos < e1; pos++ {
			pidEmitLine(w, ' ', a[pos])
		}
		first = last + 1
	}
}

// pidHunkRange prints one side of a hunk header as xdl_emit_hunk_hdr does.
func pidHunkRange(start, count int) string {
	switch count {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(count)
}

func pidEmitLine(w *bufio.Writer, sign byte, line []byte) {
	w.WriteByte(sign)
	w.Write(line)
	if len(line) == 0 || line[len(line)-1] != '\n' {
		w.WriteString("\n\\ No newline at end of file\n")
	}
}

// pidQuotePath is git's quote_c_style with core.pidQuotePath on: a name with
// control characters, '"', '\\' or bytes >= 0x80 is printed in double quotes
// with C escapes.
func pidQuotePath(name string) string {
	needs := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			needs = true
			break
		}
	}
	if !needs {
		return name
	}
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '\a':
			sb.WriteString(`\a`)
		case '\b':
			sb.WriteString(`\b`)
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\v':
			sb.WriteString(`\v`)
		case '\f':
			sb.WriteString(`\f`)
		case '\r':
			sb.WriteString(`\r`)
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&sb, `\%03o`, c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
