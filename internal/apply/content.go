package apply

import "bytes"

// fileMergeLabels are the conflict marker labels and size ll_merge passes
// to xdl_merge.
type fileMergeLabels struct {
	Base, Ours, Theirs string
	MarkerSize         int
	Union              bool // the union driver: keep both sides' lines
}

// fileMergeOutput is a three-way file merge: the merged content (with
// conflict markers when not clean) and where the conflicts are.
type fileMergeOutput struct {
	Content []byte
	Clean   bool
	Regions []ConflictRegion
}

// fileMerger is the three-way content merge git's merge-ort delegates to
// ll_merge: xdl_merge at level XDL_MERGE_ZEALOUS with the histogram diff.
type fileMerger func(base, ours, theirs []byte, labels fileMergeLabels) (fileMergeOutput, error)

// LineRange is a run of lines, 1-based; Count 0 marks the position between
// line Start and Start+1 (git's convention for empty ranges).
type LineRange struct {
	Start int `json:"start"`
	Count int `json:"count"`
}

// ConflictRegion is one conflicting hunk, in the lines of the pick's parent
// (Base), of the branch being built (Ours) and of the pick (Theirs).
type ConflictRegion struct {
	Base   LineRange `json:"base"`
	Ours   LineRange `json:"ours"`
	Theirs LineRange `json:"theirs"`
}

func lineCount(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// wholeFileRegion is the region of a conflict that is not line based
// (binary files, modify/delete...): every line of each side.
func wholeFileRegion(base, ours, theirs []byte) ConflictRegion {
	r := func(b []byte) LineRange {
		n := lineCount(b)
		if n == 0 {
			return LineRange{Start: 0, Count: 0}
		}
		return LineRange{Start: 1, Count: n}
	}
	return ConflictRegion{Base: r(base), Ours: r(ours), Theirs: r(theirs)}
}
