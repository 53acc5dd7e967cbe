package vcs

import "github.com/go-git/go-git/v5/plumbing"

// TreeChanges lists the paths that differ between two trees (either may be
// the zero hash) without reading any file: statuses, paths, modes and
// hashes as DiffTrees gives them, in the same order, but no rename pairing,
// no binary test, no hunks. When the list has no addition or no deletion,
// DiffTrees would pair no rename either, and FileDiff completes each entry
// exactly as DiffTrees would have: callers that need the lines of a few
// paths only skip the reading and diffing of all the others.
func (r *Repo) TreeChanges(oldTree, newTree plumbing.Hash) ([]FileChange, error) {
	rd := r.reader()
	defer r.release(rd)
	d := r.newDiffer(rd)
	var q []pair
	if err := d.walk(oldTree, newTree, "", &q); err != nil {
		return nil, err
	}
	out := make([]FileChange, len(q))
	for i, p := range q {
		fc := FileChange{OldPath: p.oldPath, NewPath: p.newPath, OldMode: p.oldMode, NewMode: p.newMode,
			OldHash: p.oldHash, NewHash: p.newHash, Status: Modified}
		switch {
		case p.oldMode == 0:
			fc.Status, fc.OldPath = Added, ""
		case p.newMode == 0:
			fc.Status, fc.NewPath = Deleted, ""
		}
		out[i] = fc
	}
	return out, nil
}

// FileDiff completes one entry of TreeChanges (not a rename) with what
// DiffTrees computes for it: the binary flag, numstat and -U0 hunks.
func (r *Repo) FileDiff(fc FileChange) (FileChange, error) {
	rd := r.reader()
	defer r.release(rd)
	d := r.newDiffer(rd)
	p := pair{oldPath: fc.OldPath, newPath: fc.NewPath, oldMode: fc.OldMode, newMode: fc.NewMode,
		oldHash: fc.OldHash, newHash: fc.NewHash}
	return d.fileChange(&p)
}
