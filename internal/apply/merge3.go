package apply

import (
	"fmt"

	"github.com/triage-dev/triage/internal/xdiff"
)

// defaultMerge3 is git's default merge driver as merge-ort calls it:
// xdl_merge at XDL_MERGE_ZEALOUS with the histogram diff.
func defaultMerge3(base, ours, theirs []byte, l fileMergeLabels) (fileMergeOutput, error) {
	opts := xdiff.DefaultMergeOptions()
	opts.MarkerSize = l.MarkerSize
	opts.BaseLabel, opts.OursLabel, opts.TheirsLabel = l.Base, l.Ours, l.Theirs
	if l.Union {
		opts.Favor = xdiff.FavorUnion
	}
	r := xdiff.Merge3(base, ours, theirs, opts)
	if r.Err != nil {
		return fileMergeOutput{}, fmt.Errorf("internal merge failed: %w", r.Err)
	}
	out := fileMergeOutput{Content: r.Content, Clean: r.Clean}
	for _, c := range r.Conflicts {
		out.Regions = append(out.Regions, ConflictRegion{
			Base:   LineRange{Start: c.Base.Start, Count: c.Base.Count},
			Ours:   LineRange{Start: c.Ours.Start, Count: c.Ours.Count},
			Theirs: LineRange{Start: c.Theirs.Start, Count: c.Theirs.Count},
		})
	}
	return out, nil
}
