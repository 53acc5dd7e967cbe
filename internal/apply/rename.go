package apply

import (
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// This file ports the parts of git's diffcore-rename.c that merge-ort uses
// (diffcore_rename_extended with relevant sources, removed directories and
// directory rename counts). Pairing order, tie-breaking and the basename
// heuristic all follow git, because which file a change lands on must be
// exactly the file git picks.
//
// Package vcs ports the same file for `git diff -M`; the pairing is not
// shared, on purpose: merge-ort looks only for the sources the merge needs
// and counts and guesses directory renames as it pairs, diff -M does
// neither. A pair's score is the same: vcs.Similarity.

// Relevance of a removed directory for directory rename detection.
const (
	notRelevant         = 0
	relevantForAncestor = 1
	relevantForSelf     = 2
)

// Relevance of a deleted path as a rename source.
const (
	relevantNoMore   = 0
	relevantContent  = 1
	relevantLocation = 2
)

// unknownDir stands for "renamed to a directory not known yet".
const unknownDir = "/"

type filespec struct {
	path       string
	oid        plumbing.Hash
	mode       uint32
	valid      bool
	renameUsed int
	print      *vcs.Fingerprint // nil until a similarity needs it
	size       int64
	sizeKnown  bool
}

type filepair struct {
	one, two    *filespec
	renamedPair bool
	score       int
	status      byte
}

// renameDetector holds one diffcore_rename_extended run.
type renameDetector struct {
	st              *objStore
	src             []*filepair // rename_src
	dst             []*filepair // rename_dst
	isRename        []bool      // rename_dst[i].is_rename
	relevantSources map[string]int
	dirsRemoved     map[string]int
	dirRenameCount  *gitMap[*gitMap[int]]
	renameLimit     int
	// dir_rename_info
	setup           bool
	idxMap          map[string]int
	dirRenameGuess  map[string]string
	relevantSrcDirs map[string]int
}

// detectRenames runs rename detection on one side's add/delete pairs and
// returns the queue with renames paired, as diffcore_rename_extended leaves
// diff_queued_diff.
func detectRenames(st *objStore, q []*filepair, relevant map[string]int, dirsRemoved map[string]int,
	dirRenameCount *gitMap[*gitMap[int]], renameLimit int) ([]*filepair, error) {
	d := &renameDetector{st: st, relevantSources: relevant, dirsRemoved: dirsRemoved, dirRenameCount: dirRenameCount, renameLimit: renameLimit}
	for _, p := range q {
		switch {
		case !p.one.valid:
			if !p.two.valid || p.two.oid == emptyBlob {
				continue
			}
			d.dst = append(d.dst, p)
		case p.one.oid == emptyBlob:
			continue
		case !p.two.valid:
			d.src = append(d.src, p)
		}
	}
	d.isRename = make([]bool, len(d.dst))
	if len(d.dst) > 0 && len(d.src) > 0 {
		if err := d.run(); err != nil {
			return nil, err
		}
	}
	d.cleanupDirRenameInfo()
	// Write back: deletions whose source was used disappear; renamed
	// creations stay where the creation was, now as rename pairs.
	out := q[:0:0]
	for _, p := range q {
		if p.one.valid && !p.two.valid && p.one.renameUsed > 0 {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

func (d *renameDetector) run() error {
	renameCount := d.findExactRenames()
	minScore, minBasenameScore := vcs.RenameSimilarity, vcs.BasenameSimilarity
	d.removeUnneededSources(false)
	d.initializeDirRenameInfo()
	n, err := d.findBasenameMatches(minBasenameScore)
	if err != nil {
		return err
	}
	renameCount += n
	d.removeUnneededSources(true)
	d.handleEarlyKnownDirRenames()

	numDst := len(d.dst) - renameCount
	numSrc := len(d.src)
	if numDst == 0 || numSrc == 0 {
		return nil
	}
	if limit := uint64(d.renameLimit); limit > 0 && uint64(numDst)*uint64(numSrc) > limit*limit {
		return nil // git warns and skips inexact detection
	}
	type score struct {
		src, dst  int
		score     int
		nameScore int
	}
	const perDst = 4
	cmp := func(a, b *score) int {
		if a.dst < 0 {
			if 0 <= b.dst {
				return 1
			}
			return 0
		} else if b.dst < 0 {
			return -1
		}
		if a.score == b.score {
			return b.nameScore - a.nameScore
		}
		return b.score - a.score
	}
	mx := make([]score, 0, perDst*numDst)
	for i, p := range d.dst {
		if d.isRename[i] {
			continue
		}
		m := [perDst]score{}
		for j := range m {
			m[j].dst = -1
		}
		for j, sp := range d.src {
			s, err := d.estimateSimilarity(sp.one, p.two, minScore)
			if err != nil {
				return err
			}
			o := score{src: j, dst: i, score: s, nameScore: basenameSame(sp.one.path, p.two.path)}
			worst := 0
			for k := 1; k < perDst; k++ {
				if cmp(&m[k], &m[worst]) > 0 {
					worst = k
				}
			}
			if cmp(&m[worst], &o) > 0 {
				m[worst] = o
			}
		}
		mx = append(mx, m[:]...)
	}
	sort.SliceStable(mx, func(a, b int) bool { return cmp(&mx[a], &mx[b]) < 0 })
	for i := range mx {
		if mx[i].dst < 0 || mx[i].score < minScore {
			break
		}
		if d.isRename[mx[i].dst] || d.src[mx[i].src].one.renameUsed > 0 {
			continue
		}
		d.record(mx[i].dst, mx[i].src, mx[i].score)
		d.updateDirRenameCounts(d.src[mx[i].src].one.path, d.dst[mx[i].dst].two.path)
	}
	return nil
}

// record is record_rename_pair.
func (d *renameDetector) record(di, si, score int) {
	src, dst := d.src[si], d.dst[di]
	src.one.renameUsed++
	d.isRename[di] = true
	dst.one = src.one
	dst.renamedPair = true
	if dst.one.path == dst.two.path {
		dst.score = src.score
	} else {
		dst.score = score
	}
}

// findExactRenames pairs destinations with sources of identical content,
// in git's order: destinations in queue order, candidate sources in queue
// order, an unused source with the same basename first.
func (d *renameDetector) findExactRenames() int {
	bySrc := map[plumbing.Hash][]int{}
	for i, p := range d.src {
		bySrc[p.one.oid] = append(bySrc[p.one.oid], i)
	}
	renames := 0
	for di, p := range d.dst {
		target := p.two
		best, bestScore, budget := -1, -1, 100
		for _, si := range bySrc[target.oid] {
			source := d.src[si].one
			if (!isReg(source.mode) || !isReg(target.mode)) && source.mode != target.mode {
				continue
			}
			if source.renameUsed > 0 {
				continue
			}
			score := 1 + basenameSame(source.path, target.path)
			if score > bestScore {
				best, bestScore = si, score
				if score == 2 {
					break
				}
			}
			if budget--; budget == 0 {
				break
			}
		}
		if best >= 0 {
			d.record(di, best, vcs.MaxSimilarity)
			renames++
		}
	}
	return renames
}

// removeUnneededSources is remove_unneeded_paths_from_src: drop sources
// already renamed and, once basename matching is done, irrelevant ones.
func (d *renameDetector) removeUnneededSources(onlyRelevant bool) {
	out := d.src[:0]
	for _, p := range d.src {
		if p.one.renameUsed > 0 {
			continue
		}
		if onlyRelevant && d.relevantSources != nil {
			if _, ok := d.relevantSources[p.one.path]; !ok {
				continue
			}
		}
		out = append(out, p)
	}
	d.src = out
}

func (d *renameDetector) size(f *filespec) (int64, error) {
	if !f.sizeKnown {
		b, err := d.st.blob(f.oid)
		if err != nil {
			return 0, err
		}
		f.size, f.sizeKnown = int64(len(b)), true
	}
	return f.size, nil
}

// estimateSimilarity is estimate_similarity.
func (d *renameDetector) estimateSimilarity(src, dst *filespec, minScore int) (int, error) {
	if !isReg(src.mode) || !isReg(dst.mode) {
		return 0, nil
	}
	ss, err := d.size(src)
	if err != nil {
		return 0, err
	}
	ds, err := d.size(dst)
	if err != nil {
		return 0, err
	}
	if !vcs.SimilarityReachable(ss, ds, minScore) {
		return 0, nil
	}
	for _, f := range []*filespec{src, dst} {
		if f.print == nil {
			b, err := d.st.blob(f.oid)
			if err != nil {
				return 0, err
			}
			fp := vcs.FingerprintOf(b)
			f.print = &fp
		}
	}
	return vcs.Similarity(*src.print, *dst.print, ss, ds), nil
}

func basenameSame(src, dst string) int {
	i, j := len(src), len(dst)
	for i > 0 && j > 0 {
		i--
		j--
		if src[i] != dst[j] {
			return 0
		}
		if src[i] == '/' {
			return 1
		}
	}
	if (i == 0 || src[i-1] == '/') && (j == 0 || dst[j-1] == '/') {
		return 1
	}
	return 0
}

func dirname(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

func basename(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// splitLast is dirname_munge: the directory and the component it drops.
func splitLast(p string) (string, string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

func (d *renameDetector) incrementCount(oldDir, newDir string) {
	counts, ok := d.dirRenameCount.Get(oldDir)
	if !ok {
		counts = newGitMap[int]()
		d.dirRenameCount.Set(oldDir, counts)
	}
	n, _ := counts.Get(newDir)
	counts.Set(newDir, n+1)
}

// updateDirRenameCounts is update_dir_rename_counts: a rename of
// a/b/c/d/e/foo.c to a/b/x/y/e/foo.c counts as a/b/c/d/e -> a/b/x/y/e and
// a/b/c/d -> a/b/x/y, as far as the trailing components agree.
func (d *renameDetector) updateDirRenameCounts(oldName, newName string) {
	if !d.setup {
		return
	}
	oldDir, newDir := oldName, newName
	first := true
	for {
		var oldComp, newComp string
		oldDir, oldComp = splitLast(oldDir)
		if d.relevantSrcDirs != nil {
			if _, ok := d.relevantSrcDirs[oldDir]; !ok {
				break
			}
		}
		newDir, newComp = splitLast(newDir)
		if !first && oldComp != newComp {
			break
		}
		drd := notRelevant
		if d.dirsRemoved != nil {
			drd = d.dirsRemoved[oldDir]
		}
		if drd == relevantForSelf || first {
			d.incrementCount(oldDir, newDir)
		}
		first = false
		if drd == notRelevant {
			break
		}
		if oldDir == "" || newDir == "" {
			break
		}
	}
}

// initializeDirRenameInfo is initialize_dir_rename_info.
func (d *renameDetector) initializeDirRenameInfo() {
	if d.dirsRemoved == nil && d.relevantSources == nil {
		return
	}
	d.setup = true
	d.idxMap = map[string]int{}
	d.dirRenameGuess = map[string]string{}
	if d.dirsRemoved != nil || d.relevantSources == nil {
		d.relevantSrcDirs = d.dirsRemoved
	} else {
		d.relevantSrcDirs = map[string]int{}
		for k := range d.relevantSources {
			d.relevantSrcDirs[dirname(k)] = 0
		}
	}
	for i, p := range d.dst {
		if !d.isRename[i] {
			d.idxMap[p.two.path] = i
			continue
		}
		d.updateDirRenameCounts(p.one.path, p.two.path)
	}
	d.dirRenameCount.Each(func(srcDir string, counts *gitMap[int]) {
		best, bestCount := "", 0
		found := false
		counts.Each(func(dir string, n int) {
			if n > bestCount {
				best, bestCount, found = dir, n, true
			}
		})
		if found {
			d.dirRenameGuess[srcDir] = best
		}
	})
}

// idxPossibleRename guesses a destination for filename from where the
// exact renames moved its directory.
func (d *renameDetector) idxPossibleRename(filename string) int {
	if !d.setup {
		return -1
	}
	newDir, ok := d.dirRenameGuess[dirname(filename)]
	if !ok {
		return -1
	}
	if i, ok := d.idxMap[newDir+"/"+basename(filename)]; ok {
		return i
	}
	return -1
}

// findBasenameMatches is find_basename_matches: a relevant source whose
// basename is unique among sources is compared with the unique destination
// of the same basename, at a higher similarity threshold.
func (d *renameDetector) findBasenameMatches(minScore int) (int, error) {
	sources, dests := map[string]int{}, map[string]int{}
	for i, p := range d.src {
		b := basename(p.one.path)
		if _, ok := sources[b]; ok {
			sources[b] = -1
		} else {
			sources[b] = i
		}
	}
	for i, p := range d.dst {
		if d.isRename[i] {
			continue
		}
		b := basename(p.two.path)
		if _, ok := dests[b]; ok {
			dests[b] = -1
		} else {
			dests[b] = i
		}
	}
	renames := 0
	for i, p := range d.src {
		filename := p.one.path
		if d.relevantSources != nil {
			if _, ok := d.relevantSources[filename]; !ok {
				continue
			}
		}
		b := basename(filename)
		srcIndex := sources[b]
		dstIndex, ok := dests[b]
		if !ok {
			continue
		}
		if srcIndex == -1 || dstIndex == -1 {
			srcIndex = i
			dstIndex = d.idxPossibleRename(filename)
		}
		if dstIndex == -1 || d.isRename[dstIndex] {
			continue
		}
		one, two := d.src[srcIndex].one, d.dst[dstIndex].two
		score, err := d.estimateSimilarity(one, two, minScore)
		if err != nil {
			return 0, err
		}
		if score < minScore {
			continue
		}
		d.record(dstIndex, srcIndex, score)
		renames++
		d.updateDirRenameCounts(one.path, two.path)
	}
	return renames, nil
}

// dirRenameAlreadyDeterminable: the majority is decided whatever the
// renames not detected yet turn out to be.
func dirRenameAlreadyDeterminable(counts *gitMap[int]) bool {
	first, second, unknown := 0, 0, 0
	counts.Each(func(dir string, n int) {
		switch {
		case dir == unknownDir:
			unknown = n
		case n >= first:
			second, first = first, n
		case n >= second:
			second = n
		}
	})
	return first > second+unknown
}

// handleEarlyKnownDirRenames is handle_early_known_dir_renames: sources
// needed only to locate a directory rename that is already decided are
// dropped (marked relevantNoMore).
func (d *renameDetector) handleEarlyKnownDirRenames() {
	if d.dirsRemoved == nil || d.relevantSources == nil {
		return
	}
	for _, p := range d.src {
		oldDir := dirname(p.one.path)
		for oldDir != "" && d.dirsRemoved[oldDir] != notRelevant {
			d.incrementCount(oldDir, unknownDir)
			oldDir = dirname(oldDir)
		}
	}
	d.dirRenameCount.Each(func(dir string, counts *gitMap[int]) {
		if d.dirsRemoved[dir] == relevantForSelf && dirRenameAlreadyDeterminable(counts) {
			d.dirsRemoved[dir] = relevantForAncestor
		}
	})
	out := d.src[:0]
	for _, p := range d.src {
		if d.relevantSources[p.one.path] == relevantLocation {
			removable := true
			for dir := dirname(p.one.path); ; dir = dirname(dir) {
				res := d.dirsRemoved[dir]
				if res == notRelevant {
					break
				}
				if res == relevantForSelf {
					removable = false
					break
				}
			}
			if removable {
				d.relevantSources[p.one.path] = relevantNoMore
				continue
			}
		}
		out = append(out, p)
	}
	d.src = out
}

// cleanupDirRenameInfo keeps only the counts of removed, relevant
// directories, without the placeholder for unknown destinations.
func (d *renameDetector) cleanupDirRenameInfo() {
	if !d.setup {
		return
	}
	var remove []string
	d.dirRenameCount.Each(func(dir string, counts *gitMap[int]) {
		if d.dirsRemoved[dir] == notRelevant {
			remove = append(remove, dir)
			return
		}
		counts.Remove(unknownDir)
	})
	for _, dir := range remove {
		d.dirRenameCount.Remove(dir)
	}
}
