package apply

import (
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// This file ports git's merge-ort (merge-ort.c) for one non-recursive
// merge, the way `git cherry-pick` calls it: base = the pick's parent,
// side 1 = the branch so far (HEAD), side 2 = the pick. Function and field
// names follow git's so the two can be read side by side.

type versionInfo struct {
	oid  plumbing.Hash
	mode uint32
}

// pathInfo is git's conflict_info (which embeds merged_info). While clean
// is false the stages describe the three sides; once clean, only result,
// isNull and the directory bookkeeping matter.
type pathInfo struct {
	result         versionInfo
	isNull         bool
	clean          bool
	basenameOffset int
	dirName        string

	stages       [3]versionInfo
	pathnames    [3]string
	dfConflict   bool
	pathConflict bool
	filemask     uint8
	dirmask      uint8
	matchMask    uint8
}

// pathMessage is one path_msg: what git prints for a conflict (or info).
type pathMessage struct {
	kind     string // short type, e.g. "content", "modify/delete"
	conflict bool
	paths    []string
	text     string
}

type deferredData struct {
	possibleTrivialMerges *gitMap[uint8]
	trivialMergesOkay     bool
	targetDirs            map[string]bool
}

type mergeLabels struct {
	ancestor, branch1, branch2 string
}

type merger struct {
	st     *objStore
	merge3 fileMerger
	labels mergeLabels
	attrs  *attrSource
	env    *attrEnv

	paths      map[string]*pathInfo
	conflicted map[string]*pathInfo
	messages   map[string][]pathMessage // by primary path
	regions    map[string][]ConflictRegion

	pairs           [3][]*filepair
	dirsRemoved     [3]map[string]int
	dirRenameCount  [3]*gitMap[*gitMap[int]]
	dirRenames      [3]map[string]string
	relevantSources [3]map[string]int
	deferred        [3]deferredData
	dirRenameMask   uint8
	currentDirName  string
	// aborted is set where git's merge-ort asserts and dies: git writes
	// nothing there, so the merge is reported as a conflict.
	aborted bool
}

// mergeResult is the outcome of one three-way tree merge.
type mergeResult struct {
	tree       plumbing.Hash
	clean      bool
	conflicted map[string]*pathInfo
	messages   map[string][]pathMessage
	regions    map[string][]ConflictRegion
}

func newMerger(st *objStore, merge3 fileMerger, labels mergeLabels) *merger {
	m := &merger{st: st, merge3: merge3, labels: labels,
		paths: map[string]*pathInfo{}, conflicted: map[string]*pathInfo{},
		messages: map[string][]pathMessage{}, regions: map[string][]ConflictRegion{}}
	for i := 1; i <= 2; i++ {
		m.dirsRemoved[i] = map[string]int{}
		m.dirRenameCount[i] = newGitMap[*gitMap[int]]()
		m.dirRenames[i] = map[string]string{}
		m.relevantSources[i] = map[string]int{}
		m.deferred[i] = deferredData{possibleTrivialMerges: newGitMap[uint8](), trivialMergesOkay: true, targetDirs: map[string]bool{}}
	}
	return m
}

// mergeTrees is merge_incore_nonrecursive.
func mergeTrees(st *objStore, merge3 fileMerger, labels mergeLabels, env *attrEnv, base, side1, side2 plumbing.Hash) (res *mergeResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error merging trees %s, %s and %s: %v (please report it, with the commits)", shortHash(base), shortHash(side1), shortHash(side2), r)
		}
	}()
	m := newMerger(st, merge3, labels)
	m.attrs = env.source(st, side1)
	m.env = env
	if err := m.collectMergeInfo(base, side1, side2); err != nil {
		return nil, err
	}
	clean, err := m.detectAndProcessRenames()
	if err != nil {
		return nil, err
	}
	tree, err := m.processEntries()
	if err != nil {
		return nil, err
	}
	clean = clean && len(m.conflicted) == 0 && !m.aborted
	return &mergeResult{tree: tree, clean: clean, conflicted: m.conflicted, messages: m.messages, regions: m.regions}, nil
}

// gitAborts records a case where git's merge-ort fails an assertion.
func (m *merger) gitAborts(path, what string) {
	m.aborted = true
	m.pathMsg("unmergeable", true, path, nil, "CONFLICT (unmergeable): %s; git itself cannot merge this (it aborts)", what)
}

func (m *merger) pathMsg(kind string, conflict bool, primary string, others []string, format string, args ...any) {
	m.messages[primary] = append(m.messages[primary], pathMessage{kind: kind, conflict: conflict,
		paths: append([]string{primary}, others...), text: fmt.Sprintf(format, args...)})
}

func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

/*** collect_merge_info ***/

func (m *merger) collectMergeInfo(base, side1, side2 plumbing.Hash) error {
	m.currentDirName = ""
	if err := m.traverseTrees("", [3]plumbing.Hash{base, side1, side2}); err != nil {
		return err
	}
	return m.handleDeferredEntries()
}

type traverseEntry struct {
	names   [3]treeEntry
	mask    uint8
	dirmask uint8
}

// traverseTrees is traverse_trees over three trees: entries are visited by
// name (a file and a directory of the same name together), and when
// dir_rename_mask is 2 or 4 every entry is seen once first, as
// traverse_trees_wrapper does, so an added file can raise the mask to 7
// before any of its siblings is processed.
func (m *merger) traverseTrees(dir string, t [3]plumbing.Hash) error {
	var lists [3][]treeEntry
	for i := range t {
		l, err := m.st.tree(t[i])
		if err != nil {
			return err
		}
		lists[i] = l
	}
	byName := map[string]*traverseEntry{}
	var names []string
	for i, l := range lists {
		for _, e := range l {
			te := byName[e.name]
			if te == nil {
				te = &traverseEntry{}
				byName[e.name] = te
				names = append(names, e.name)
			}
			te.names[i] = e
			te.mask |= 1 << i
			if isDir(e.mode) {
				te.dirmask |= 1 << i
			}
		}
	}
	sort.Strings(names)
	if m.dirRenameMask == 2 || m.dirRenameMask == 4 {
		for _, n := range names {
			te := byName[n]
			filemask := te.mask &^ te.dirmask
			if filemask != 0 && filemask == m.dirRenameMask {
				m.dirRenameMask = 7
			}
		}
	}
	for _, n := range names {
		te := byName[n]
		if err := m.collectMergeInfoCallback(dir, te.names, te.mask, te.dirmask); err != nil {
			return err
		}
	}
	return nil
}

func sameEntry(a, b treeEntry) bool { return a.mode == b.mode && a.hash == b.hash }

func (m *merger) collectMergeInfoCallback(dirname string, names [3]treeEntry, mask, dirmask uint8) error {
	prevDirRenameMask := m.dirRenameMask
	filemask := mask &^ dirmask
	var matchMask uint8
	mbaseNull, side1Null, side2Null := mask&1 == 0, mask&2 == 0, mask&4 == 0
	side1MatchesMbase := !side1Null && !mbaseNull && sameEntry(names[0], names[1])
	side2MatchesMbase := !side2Null && !mbaseNull && sameEntry(names[0], names[2])
	sidesMatch := !side1Null && !side2Null && sameEntry(names[1], names[2])
	dfConflict := filemask != 0 && dirmask != 0

	switch {
	case side1MatchesMbase && side2MatchesMbase:
		matchMask = 7
	case side1MatchesMbase:
		matchMask = 3
	case side2MatchesMbase:
		matchMask = 5
	case sidesMatch:
		matchMask = 6
	}
	var name string
	for i := range names {
		if names[i].mode != 0 {
			name = names[i].name
			break
		}
	}
	fullpath := joinPath(dirname, name)

	switch {
	case side1MatchesMbase && side2MatchesMbase:
		m.setupResolved(fullpath, dirname, names[0], mbaseNull)
		return nil
	case sidesMatch && filemask == 7:
		m.setupResolved(fullpath, dirname, names[1], side1Null)
		return nil
	case side1MatchesMbase && filemask == 7:
		m.setupResolved(fullpath, dirname, names[2], side2Null)
		return nil
	case side2MatchesMbase && filemask == 7:
		m.setupResolved(fullpath, dirname, names[1], side1Null)
		return nil
	}

	m.collectRenameInfo(names, dirname, fullpath, filemask, dirmask, matchMask)

	ci := &pathInfo{dirName: dirname, basenameOffset: baseOffset(dirname)}
	for i := 0; i < 3; i++ {
		ci.pathnames[i] = fullpath
		ci.stages[i] = versionInfo{oid: names[i].hash, mode: names[i].mode}
	}
	ci.filemask, ci.dirmask, ci.dfConflict = filemask, dirmask, dfConflict
	if dirmask != 0 {
		ci.isNull = true
	}
	ci.matchMask = matchMask
	m.paths[fullpath] = ci

	if dirmask == 0 {
		return nil
	}
	side := 0
	if side1MatchesMbase {
		side = 2
	} else if side2MatchesMbase {
		side = 1
	}
	if filemask == 0 && (dirmask == 2 || dirmask == 4) {
		ci.matchMask = 7 - dirmask
		side = int(dirmask / 2)
	}
	if m.dirRenameMask != 7 && side != 0 && m.deferred[side].trivialMergesOkay && !m.deferred[side].targetDirs[fullpath] {
		m.deferred[side].possibleTrivialMerges.Set(fullpath, m.dirRenameMask)
		m.dirRenameMask = prevDirRenameMask
		return nil
	}
	ci.matchMask &= filemask
	var t [3]plumbing.Hash
	dm := dirmask
	for i := 0; i < 3; i++ {
		switch {
		case i == 1 && side1MatchesMbase:
			t[1] = t[0]
		case i == 2 && side2MatchesMbase:
			t[2] = t[0]
		case i == 2 && sidesMatch:
			t[2] = t[1]
		case dm&1 != 0:
			t[i] = names[i].hash
		}
		dm >>= 1
	}
	orig := m.currentDirName
	m.currentDirName = fullpath
	err := m.traverseTrees(fullpath, t)
	m.currentDirName = orig
	m.dirRenameMask = prevDirRenameMask
	return err
}

func baseOffset(dirname string) int {
	if dirname == "" {
		return 0
	}
	return len(dirname) + 1
}

func (m *merger) setupResolved(fullpath, dirname string, v treeEntry, isNull bool) {
	m.paths[fullpath] = &pathInfo{dirName: dirname, basenameOffset: baseOffset(dirname), clean: true,
		result: versionInfo{oid: v.hash, mode: v.mode}, isNull: isNull}
}

func (m *merger) collectRenameInfo(names [3]treeEntry, dirname, fullname string, filemask, dirmask, matchMask uint8) {
	if m.dirRenameMask != 7 && (dirmask == 3 || dirmask == 5) {
		m.dirRenameMask = dirmask &^ 1
	}
	if dirmask == 1 || dirmask == 3 || dirmask == 5 {
		sides := (7 - dirmask) / 2
		relevance := notRelevant
		if m.dirRenameMask == 7 {
			relevance = relevantForAncestor
		}
		if sides&1 != 0 {
			m.dirsRemoved[1][fullname] = relevance
		}
		if sides&2 != 0 {
			m.dirsRemoved[2][fullname] = relevance
		}
	}
	if m.dirRenameMask == 7 && (filemask == 2 || filemask == 4) {
		side := 3 - int(filemask>>1)
		m.dirsRemoved[side][dirname] = relevantForSelf
	}
	if filemask == 0 || filemask == 7 {
		return
	}
	for side := 1; side <= 2; side++ {
		sideMask := uint8(1) << side
		if filemask&1 != 0 && filemask&sideMask == 0 {
			m.addPair(names, fullname, side, false, matchMask&filemask)
		}
		if filemask&1 == 0 && filemask&sideMask != 0 {
			m.addPair(names, fullname, side, true, matchMask&filemask)
		}
	}
}

func (m *merger) addPair(names [3]treeEntry, pathname string, side int, isAdd bool, matchMask uint8) {
	idx := 0
	if isAdd {
		idx = side
	} else {
		contentRelevant := matchMask == 0
		locationRelevant := m.dirRenameMask == 7
		if contentRelevant {
			m.relevantSources[side][pathname] = relevantContent
		} else if locationRelevant {
			m.relevantSources[side][pathname] = relevantLocation
		}
	}
	one, two := &filespec{path: pathname}, &filespec{path: pathname}
	f := one
	if isAdd {
		f = two
	}
	f.oid, f.mode, f.valid = names[idx].hash, names[idx].mode, names[idx].mode != 0
	m.pairs[side] = append(m.pairs[side], &filepair{one: one, two: two})
}

func (m *merger) resolveTrivialDirectoryMerge(ci *pathInfo, side int) {
	ci.result = ci.stages[side]
	ci.isNull = ci.stages[side].oid.IsZero()
	ci.matchMask = 0
	ci.clean = true
}

// handleDeferredEntries explores the directories left aside as possibly
// trivial, in git's hashmap order, unless no rename can reach into them.
// Without remembered renames (git keeps none between cherry-picks run by
// the sequencer) the optimisation holds exactly when the side has no
// relevant rename source.
func (m *merger) handleDeferredEntries() error {
	for side := 1; side <= 2; side++ {
		okay := len(m.relevantSources[side]) == 0
		m.deferred[side].trivialMergesOkay = okay
		cp := m.deferred[side].possibleTrivialMerges
		m.deferred[side].possibleTrivialMerges = newGitMap[uint8]()
		var err error
		cp.Each(func(path string, drm uint8) {
			if err != nil {
				return
			}
			ci := m.paths[path]
			if okay && !m.deferred[side].targetDirs[path] {
				m.resolveTrivialDirectoryMerge(ci, side)
				return
			}
			var t [3]plumbing.Hash
			dirmask := ci.dirmask
			for i := 0; i < 3; i++ {
				switch {
				case i == 1 && ci.matchMask == 3:
					t[1] = t[0]
				case i == 2 && ci.matchMask == 5:
					t[2] = t[0]
				case i == 2 && ci.matchMask == 6:
					t[2] = t[1]
				case dirmask&1 != 0:
					t[i] = ci.stages[i].oid
				}
				dirmask >>= 1
			}
			ci.matchMask &= ci.filemask
			m.currentDirName = path
			m.dirRenameMask = drm
			err = m.traverseTrees(path, t)
		})
		if err != nil {
			return err
		}
		m.deferred[side].possibleTrivialMerges.Each(func(path string, _ uint8) {
			m.resolveTrivialDirectoryMerge(m.paths[path], side)
		})
	}
	return nil
}
