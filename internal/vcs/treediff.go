package vcs

import (
	"bytes"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/triage-dev/triage/internal/xdiff"
)

// pair is one entry of the diff queue, as git's diff_filepair: a path that
// exists on the old side (oldMode != 0), the new side (newMode != 0), or both.
type pair struct {
	oldPath, newPath string
	oldMode, newMode uint32
	oldHash, newHash plumbing.Hash
	renamed          bool
	score            int // rename score, out of maxScore
}

// differ computes the changes between trees for one goroutine.
type differ struct {
	rd          *objectReader
	renameLimit int // diff.renameLimit; 0 or less: unlimited
	// bigFileThreshold is core.bigFileThreshold: bigger files are binary.
	bigFileThreshold int64
	blobs            map[plumbing.Hash][]byte // contents read during one diff
	// Trees parsed by this diff and the previous one: a commit's old side is
	// usually the new side of the commit diffed just before.
	trees, prevTrees map[plumbing.Hash][]treeEntry
}

func (r *Repo) newDiffer(rd *objectReader) *differ {
	return &differ{rd: rd, renameLimit: r.renameLimit, bigFileThreshold: r.bigFileThreshold, blobs: map[plumbing.Hash][]byte{},
		trees: map[plumbing.Hash][]treeEntry{}, prevTrees: map[plumbing.Hash][]treeEntry{}}
}

func (d *differ) tree(h plumbing.Hash) ([]treeEntry, error) {
	if t, ok := d.trees[h]; ok {
		return t, nil
	}
	if t, ok := d.prevTrees[h]; ok {
		d.trees[h] = t
		return t, nil
	}
	t, err := d.rd.tree(h)
	if err != nil {
		return nil, err
	}
	d.trees[h] = t
	return t, nil
}

// DiffTrees returns the changes from oldTree to newTree (either may be the
// zero hash for an empty tree), exactly as ReadRange computes a commit's
// changes: statuses, renames as git diff -M, numstat and -U0 hunks.
func (r *Repo) DiffTrees(oldTree, newTree plumbing.Hash) ([]FileChange, error) {
	rd := r.reader()
	defer r.release(rd)
	return r.newDiffer(rd).diff(oldTree, newTree)
}

func (d *differ) diff(oldTree, newTree plumbing.Hash) ([]FileChange, error) {
	clear(d.blobs)
	d.prevTrees, d.trees = d.trees, d.prevTrees
	clear(d.trees)
	var q []pair
	if err := d.walk(oldTree, newTree, "", &q); err != nil {
		return nil, err
	}
	q, err := d.detectRenames(q)
	if err != nil {
		return nil, err
	}
	out := make([]FileChange, 0, len(q))
	for i := range q {
		fc, err := d.fileChange(&q[i])
		if err != nil {
			return nil, err
		}
		out = append(out, fc)
	}
	clear(d.blobs)
	return out, nil
}

// walk compares two trees entry by entry in git's order, descending only
// into subtrees whose hashes differ (tree-diff.c), and queues the changes.
func (d *differ) walk(oldTree, newTree plumbing.Hash, prefix string, q *[]pair) error {
	if oldTree == newTree {
		return nil
	}
	a, err := d.tree(oldTree)
	if err != nil {
		return err
	}
	b, err := d.tree(newTree)
	if err != nil {
		return err
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var c int
		switch {
		case i == len(a):
			c = 1
		case j == len(b):
			c = -1
		default:
			c = BaseNameCompare(a[i].name, a[i].mode, b[j].name, b[j].mode)
		}
		switch {
		case c < 0:
			if err := d.side(a[i], prefix, true, q); err != nil {
				return err
			}
			i++
		case c > 0:
			if err := d.side(b[j], prefix, false, q); err != nil {
				return err
			}
			j++
		default:
			ea, eb := a[i], b[j]
			i++
			j++
			if ea.hash == eb.hash && ea.mode == eb.mode {
				continue
			}
			p := prefix + ea.name
			if isTree(ea.mode) { // both trees: same name and kind compare equal
				if err := d.walk(ea.hash, eb.hash, p+"/", q); err != nil {
					return err
				}
				continue
			}
			*q = append(*q, pair{oldPath: p, newPath: p, oldMode: ea.mode, newMode: eb.mode, oldHash: ea.hash, newHash: eb.hash})
		}
	}
	return nil
}

// side queues an entry present on one side only (a whole subtree for a tree).
func (d *differ) side(e treeEntry, prefix string, old bool, q *[]pair) error {
	p := prefix + e.name
	if isTree(e.mode) {
		if old {
			return d.walk(e.hash, plumbing.ZeroHash, p+"/", q)
		}
		return d.walk(plumbing.ZeroHash, e.hash, p+"/", q)
	}
	if old {
		*q = append(*q, pair{oldPath: p, oldMode: e.mode, oldHash: e.hash})
	} else {
		*q = append(*q, pair{newPath: p, newMode: e.mode, newHash: e.hash})
	}
	return nil
}

// BaseNameCompare orders tree entries as git does (base_name_compare): by
// name, a directory comparing as if its name ended with '/'. Trees written
// in another order are not the trees git writes.
func BaseNameCompare(n1 string, m1 uint32, n2 string, m2 uint32) int {
	l := min(len(n1), len(n2))
	for k := 0; k < l; k++ {
		if n1[k] != n2[k] {
			if n1[k] < n2[k] {
				return -1
			}
			return 1
		}
	}
	c1, c2 := nameEnd(n1, l, m1), nameEnd(n2, l, m2)
	switch {
	case c1 < c2:
		return -1
	case c1 > c2:
		return 1
	}
	return 0
}

func nameEnd(n string, l int, mode uint32) byte {
	if l < len(n) {
		return n[l]
	}
	if isTree(mode) {
		return '/'
	}
	return 0
}

// content returns what git diffs for one side of a pair: the blob, the link
// target for a symlink, and "Subproject commit HASH\n" for a gitlink.
func (d *differ) content(mode uint32, h plumbing.Hash) ([]byte, error) {
	if mode == 0 {
		return nil, nil
	}
	if mode&gitKindMask == gitKindGitlink {
		return []byte("Subproject commit " + h.String() + "\n"), nil
	}
	if b, ok := d.blobs[h]; ok {
		return b, nil
	}
	b, err := d.rd.read(h, plumbing.BlobObject)
	if err != nil {
		return nil, err
	}
	d.blobs[h] = b
	return b, nil
}

// fileChange fills one FileChange from a queue entry: status, numstat, hunks.
func (d *differ) fileChange(p *pair) (FileChange, error) {
	fc := FileChange{OldPath: p.oldPath, NewPath: p.newPath, OldMode: p.oldMode, NewMode: p.newMode,
		OldHash: p.oldHash, NewHash: p.newHash}
	switch {
	case p.renamed:
		fc.Status = Renamed
		fc.Similarity = int(float64(p.score) * 100 / maxScore)
	case p.oldMode == 0:
		fc.Status, fc.OldPath = Added, ""
	case p.newMode == 0:
		fc.Status, fc.NewPath = Deleted, ""
	default:
		fc.Status = Modified
	}
	// As git: a file over core.bigFileThreshold is binary, unread.
	for _, side := range []struct {
		mode uint32
		h    plumbing.Hash
	}{{p.oldMode, p.oldHash}, {p.newMode, p.newHash}} {
		if side.mode == 0 || side.mode&gitKindMask == gitKindGitlink {
			continue
		}
		if _, cached := d.blobs[side.h]; cached {
			continue
		}
		n, err := d.rd.blobSize(side.h)
		if err != nil {
			return fc, fmt.Errorf("%s: %w", fc.Path(), err)
		}
		if n > d.bigFileThreshold {
			fc.Binary = true
			return fc, nil
		}
	}
	a, err := d.content(p.oldMode, p.oldHash)
	if err != nil {
		return fc, fmt.Errorf("%s: %w", fc.Path(), err)
	}
	b, err := d.content(p.newMode, p.newHash)
	if err != nil {
		return fc, fmt.Errorf("%s: %w", fc.Path(), err)
	}
	// As git's builtin_diffstat: binary when either side is, even when the
	// content did not change (a renamed binary file shows "-\t-").
	if xdiff.IsBinary(a) || xdiff.IsBinary(b) {
		fc.Binary = true
		return fc, nil
	}
	sameContent := p.oldMode != 0 && p.newMode != 0 && p.oldHash == p.newHash
	if sameContent {
		return fc, nil
	}
	fc.Hunks, fc.Added, fc.Deleted = lineDiff(a, b)
	return fc, nil
}

// lineDiff diffs two contents with git's xdiff and keeps each hunk's added
// lines. The hunks are git diff -U0's; the counts are git diff --numstat's,
// which the hunks' sum misses in rare cases (xdiff.DiffNumstat).
func lineDiff(a, b []byte) (hunks []Hunk, added, deleted int) {
	xh, added, deleted := xdiff.DiffNumstat(a, b, xdiff.DefaultOptions())
	if len(xh) == 0 {
		return nil, added, deleted
	}
	hunks = make([]Hunk, len(xh))
	// Hunks come in order: walk b's lines once, only as far as needed.
	line, pos := 1, 0
	for i, h := range xh {
		hunks[i] = Hunk{OldStart: h.OldStart, OldLines: h.OldLines, NewStart: h.NewStart, NewLines: h.NewLines}
		if h.NewLines == 0 {
			continue
		}
		pos = skipLines(b, pos, h.NewStart-line)
		line = h.NewStart
		lines := make([]string, 0, h.NewLines)
		for k := 0; k < h.NewLines && pos < len(b); k++ {
			end := nextLineStart(b, pos)
			text := b[pos:end]
			if text[len(text)-1] == '\n' {
				text = text[:len(text)-1]
			}
			lines = append(lines, string(text))
			pos = end
			line++
		}
		hunks[i].Lines = lines
	}
	return hunks, added, deleted
}

// skipLines returns the offset n lines after pos, counting newlines a block
// at a time rather than a line at a time.
func skipLines(b []byte, pos, n int) int {
	const block = 512
	for n > 0 && pos < len(b) {
		end := min(pos+block, len(b))
		if c := bytes.Count(b[pos:end], []byte{'\n'}); c < n {
			n -= c
			pos = end
			continue
		}
		for ; n > 0; n-- {
			pos = nextLineStart(b, pos)
		}
	}
	return pos
}

// nextLineStart returns the offset just after the line starting at pos.
func nextLineStart(b []byte, pos int) int {
	if j := bytes.IndexByte(b[pos:], '\n'); j >= 0 {
		return pos + j + 1
	}
	return len(b)
}
