package apply

import (
	"fmt"
	"sort"
	"strings"

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

/*** rename detection ***/

func (m *merger) dirRenamesMode() int {
	if m.env == nil {
		return dirRenamesConflict
	}
	return m.env.dirRenames
}

func (m *merger) renameLimit() int {
	if m.env == nil || m.env.renameLimit <= 0 {
		return 7000
	}
	return m.env.renameLimit
}

func (m *merger) possibleSideRenames(side int) bool {
	return len(m.pairs[side]) > 0 && len(m.relevantSources[side]) > 0
}

func resolveDiffpairStatuses(q []*filepair) {
	for _, p := range q {
		p.status = 0
		switch {
		case !p.one.valid:
			p.status = 'A'
		case !p.two.valid:
			p.status = 'D'
		case p.renamedPair:
			p.status = 'R'
		}
	}
}

func (m *merger) detectRegularRenames(side int) error {
	if !m.possibleSideRenames(side) {
		resolveDiffpairStatuses(m.pairs[side])
		return nil
	}
	m.dirRenameCount[side] = newGitMap[*gitMap[int]]()
	q, err := detectRenames(m.st, m.pairs[side], m.relevantSources[side], m.dirsRemoved[side], m.dirRenameCount[side], m.renameLimit())
	if err != nil {
		return err
	}
	resolveDiffpairStatuses(q)
	m.pairs[side] = q
	return nil
}

func (m *merger) getProvisionalDirectoryRenames(side int) bool {
	clean := true
	m.dirRenameCount[side].Each(func(sourceDir string, counts *gitMap[int]) {
		max, badMax := 0, 0
		best := ""
		counts.Each(func(targetDir string, count int) {
			if count == max {
				badMax = max
			} else if count > max {
				max, best = count, targetDir
			}
		})
		if max == 0 {
			return
		}
		if badMax == max {
			m.pathMsg("directory rename split", true, sourceDir, nil,
				"CONFLICT (directory rename split): Unclear where to rename %s to; it was renamed to multiple other directories, with no destination getting a majority of the files.", sourceDir)
			clean = false
			return
		}
		m.dirRenames[side][sourceDir] = best
	})
	return clean
}

func (m *merger) handleDirectoryLevelConflicts() {
	for k := range m.dirRenames[1] {
		if _, ok := m.dirRenames[2][k]; ok {
			delete(m.dirRenames[1], k)
			delete(m.dirRenames[2], k)
		}
	}
}

// checkDirRenamed finds the nearest renamed ancestor directory of path.
func checkDirRenamed(path string, dirRenames map[string]string) (oldDir, newDir string, ok bool) {
	for p := path; ; {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return "", "", false
		}
		p = p[:i]
		if nd, found := dirRenames[p]; found {
			return p, nd, true
		}
	}
}

func applyDirRename(oldDir, newDir, oldPath string) string {
	oldlen := len(oldDir)
	if newDir == "" {
		oldlen++
	}
	return newDir + oldPath[oldlen:]
}

type collisionInfo struct {
	sourceFiles     []string // sorted, unique
	reportedAlready bool
}

func computeCollisions(dirRenames map[string]string, pairs []*filepair) map[string]*collisionInfo {
	collisions := map[string]*collisionInfo{}
	if len(dirRenames) == 0 {
		return collisions
	}
	for _, p := range pairs {
		if p.status != 'A' && p.status != 'R' {
			continue
		}
		od, nd, ok := checkDirRenamed(p.two.path, dirRenames)
		if !ok {
			continue
		}
		np := applyDirRename(od, nd, p.two.path)
		c := collisions[np]
		if c == nil {
			c = &collisionInfo{}
			collisions[np] = c
		}
		i := sort.SearchStrings(c.sourceFiles, p.two.path)
		if i == len(c.sourceFiles) || c.sourceFiles[i] != p.two.path {
			c.sourceFiles = append(c.sourceFiles, "")
			copy(c.sourceFiles[i+1:], c.sourceFiles[i:])
			c.sourceFiles[i] = p.two.path
		}
	}
	return collisions
}

func (m *merger) pathInWay(path string, sideMask uint8) bool {
	mi := m.paths[path]
	if mi == nil {
		return false
	}
	return mi.clean || sideMask&(mi.filemask|mi.dirmask) != 0
}

func (m *merger) handlePathLevelConflicts(path string, sideIndex int, oldDir, newDir string, collisions map[string]*collisionInfo) (string, bool) {
	newPath := applyDirRename(oldDir, newDir, path)
	c := collisions[newPath]
	clean := true
	switch {
	case c.reportedAlready:
		clean = false
	case m.pathInWay(newPath, 1<<sideIndex):
		c.reportedAlready = true
		m.pathMsg("implicit dir rename", true, newPath, c.sourceFiles,
			"CONFLICT (implicit dir rename): Existing file/dir at %s in the way of implicit directory rename(s) putting the following path(s) there: %s.",
			newPath, strings.Join(c.sourceFiles, ", "))
		clean = false
	case len(c.sourceFiles) > 1:
		c.reportedAlready = true
		m.pathMsg("implicit dir rename", true, newPath, c.sourceFiles,
			"CONFLICT (implicit dir rename): Cannot map more than one path to %s; implicit directory renames tried to put these paths there: %s",
			newPath, strings.Join(c.sourceFiles, ", "))
		clean = false
	}
	if !clean {
		return "", false
	}
	return newPath, true
}

// checkForDirectoryRename returns the path a directory rename on the other
// side moves path to, if any; cleanMerge is cleared when it cannot.
func (m *merger) checkForDirectoryRename(path string, sideIndex int, dirRenames, exclusions map[string]string,
	collisions [3]map[string]*collisionInfo, cleanMerge *bool) (string, bool) {
	if len(dirRenames) == 0 {
		return "", false
	}
	if _, ok := collisions[3-sideIndex][path]; ok {
		return "", false
	}
	oldDir, newDir, ok := checkDirRenamed(path, dirRenames)
	if !ok {
		return "", false
	}
	if _, ok := exclusions[newDir]; ok {
		m.pathMsg("dir rename skipped", false, oldDir, []string{path, newDir},
			"WARNING: Avoiding applying %s -> %s rename to %s, because %s itself was renamed.", oldDir, newDir, path, newDir)
		return "", false
	}
	np, ok := m.handlePathLevelConflicts(path, sideIndex, oldDir, newDir, collisions[sideIndex])
	if !ok {
		*cleanMerge = false
	}
	return np, ok
}

func (m *merger) applyDirectoryRenameModifications(p *filepair, newPath string) {
	oldPath := p.two.path
	ci := m.paths[oldPath]
	if ci == nil || ci.clean || (ci.filemask != 2 && ci.filemask != 4) || ci.dirmask != 0 {
		m.gitAborts(newPath, fmt.Sprintf("%s would move to %s with a directory rename, but it is also a directory", oldPath, newPath))
		return
	}
	var dirsToInsert []string
	parentName := ""
	cur := newPath
	for {
		i := strings.LastIndexByte(cur, '/')
		if i < 0 {
			parentName = ""
			break
		}
		parentName = cur[:i]
		if _, ok := m.paths[parentName]; ok {
			break
		}
		dirsToInsert = append(dirsToInsert, parentName)
		cur = parentName
	}
	for i := len(dirsToInsert) - 1; i >= 0; i-- {
		curDir := dirsToInsert[i]
		m.paths[curDir] = &pathInfo{dirName: parentName, basenameOffset: baseOffset(parentName), dirmask: ci.filemask}
		parentName = curDir
	}
	delete(m.paths, oldPath)
	branchWithNewPath, branchWithDirRename := m.labels.branch2, m.labels.branch1
	if ci.filemask == 2 {
		branchWithNewPath, branchWithDirRename = m.labels.branch1, m.labels.branch2
	}
	ci.dirName = parentName
	ci.basenameOffset = baseOffset(parentName)
	if newCI := m.paths[newPath]; newCI == nil {
		m.paths[newPath] = ci
	} else {
		newCI.filemask |= ci.filemask
		if newCI.dirmask != 0 {
			newCI.dfConflict = true
		}
		index := ci.filemask >> 1
		newCI.pathnames[index] = ci.pathnames[index]
		newCI.stages[index] = ci.stages[index]
		ci = newCI
	}
	if m.dirRenamesMode() == dirRenamesTrue {
		m.pathMsg("directory rename applied", false, newPath, []string{oldPath},
			"Path updated: %s moved to %s inside a directory that was renamed in %s.", oldPath, newPath, branchWithDirRename)
		p.two.path = newPath
		return
	}
	ci.pathConflict = true
	if p.status == 'A' {
		m.pathMsg("directory rename suggested", true, newPath, []string{oldPath},
			"CONFLICT (file location): %s added in %s inside a directory that was renamed in %s, suggesting it should perhaps be moved to %s.",
			oldPath, branchWithNewPath, branchWithDirRename, newPath)
	} else {
		m.pathMsg("directory rename suggested", true, newPath, []string{oldPath},
			"CONFLICT (file location): %s renamed to %s in %s, inside a directory that was renamed in %s, suggesting it should perhaps be moved to %s.",
			p.one.path, oldPath, branchWithNewPath, branchWithDirRename, newPath)
	}
	p.two.path = newPath
}

func (m *merger) collectRenames(sideIndex int, collisions [3]map[string]*collisionInfo,
	dirRenamesForSide, renameExclusions map[string]string, result *[]*filepair) bool {
	clean := true
	for _, p := range m.pairs[sideIndex] {
		if p.status != 'A' && p.status != 'R' {
			continue
		}
		newPath, moved := m.checkForDirectoryRename(p.two.path, sideIndex, dirRenamesForSide, renameExclusions, collisions, &clean)
		if p.status != 'R' && !moved {
			continue
		}
		if moved {
			m.applyDirectoryRenameModifications(p, newPath)
		}
		p.score = sideIndex
		*result = append(*result, p)
	}
	return clean
}

func (m *merger) detectAndProcessRenames() (bool, error) {
	clean := true
	if !m.possibleSideRenames(1) && !m.possibleSideRenames(2) {
		return true, nil
	}
	for side := 1; side <= 2; side++ {
		if err := m.detectRegularRenames(side); err != nil {
			return false, err
		}
	}
	// Directory renames: merge.directoryRenames defaults to "conflict".
	if m.dirRenamesMode() != dirRenamesNone {
		clean = m.getProvisionalDirectoryRenames(1) && clean
		clean = m.getProvisionalDirectoryRenames(2) && clean
		m.handleDirectoryLevelConflicts()
	}

	var collisions [3]map[string]*collisionInfo
	for i := 1; i <= 2; i++ {
		collisions[i] = computeCollisions(m.dirRenames[3-i], m.pairs[i])
	}
	var combined []*filepair
	clean = m.collectRenames(1, collisions, m.dirRenames[2], m.dirRenames[1], &combined) && clean
	clean = m.collectRenames(2, collisions, m.dirRenames[1], m.dirRenames[2], &combined) && clean
	sort.SliceStable(combined, func(i, j int) bool { return combined[i].one.path < combined[j].one.path })
	ok, err := m.processRenames(combined)
	if err != nil {
		return false, err
	}
	return clean && ok, nil
}

func (m *merger) processRenames(renames []*filepair) (bool, error) {
	cleanMerge := true
	for i := 0; i < len(renames); i++ {
		pair := renames[i]
		oldpath := pair.one.path
		oldinfo := m.paths[oldpath]
		newpath := pair.two.path
		newinfo := m.paths[newpath]
		if oldinfo == nil || oldinfo.clean {
			continue
		}
		if i+1 < len(renames) && oldpath == renames[i+1].one.path {
			pathnames := [3]string{oldpath, newpath, renames[i+1].two.path}
			base, side1, side2 := m.paths[pathnames[0]], m.paths[pathnames[1]], m.paths[pathnames[2]]
			if !unresolved(base, side1, side2) {
				m.gitAborts(oldpath, "renamed on both sides, onto paths already resolved")
				i++
				continue
			}
			if pathnames[1] == pathnames[2] {
				// Both sides renamed the same way.
				side1.stages[0] = base.stages[0]
				side1.filemask |= 1
				base.isNull = true
				base.clean = true
				i++
				continue
			}
			// rename/rename(1to2)
			c, merged, err := m.handleContentMerge(pair.one.path, base.stages[0], side1.stages[1], side2.stages[2], pathnames, 1)
			if err != nil {
				return false, err
			}
			cleanMerge = c
			wasBinaryBlob := !c && merged == side1.stages[1]
			side1.stages[1] = merged
			if wasBinaryBlob {
				merged = side2.stages[2]
			}
			side2.stages[2] = merged
			side1.pathConflict = true
			side2.pathConflict = true
			base.pathConflict = true
			m.pathMsg("rename/rename", true, pathnames[0], []string{pathnames[1], pathnames[2]},
				"CONFLICT (rename/rename): %s renamed to %s in %s and to %s in %s.",
				pathnames[0], pathnames[1], m.labels.branch1, pathnames[2], m.labels.branch2)
			i++
			continue
		}
		if !unresolved(newinfo) {
			m.gitAborts(newpath, "renamed from "+oldpath+" onto a path already resolved")
			continue
		}
		targetIndex := pair.score
		otherSourceIndex := 3 - targetIndex
		oldSidemask := uint8(1) << otherSourceIndex
		sourceDeleted := oldinfo.filemask == 1
		collision := newinfo.filemask&oldSidemask != 0
		typeChanged := !sourceDeleted && isReg(oldinfo.stages[otherSourceIndex].mode) != isReg(newinfo.stages[targetIndex].mode)
		if typeChanged && collision {
			collision = false
		}
		var renameBranch, deleteBranch string
		if sourceDeleted {
			if targetIndex == 1 {
				renameBranch, deleteBranch = m.labels.branch1, m.labels.branch2
			} else {
				renameBranch, deleteBranch = m.labels.branch2, m.labels.branch1
			}
		}
		switch {
		case collision && !sourceDeleted:
			// rename/add or rename/rename(2to1)
			var pathnames [3]string
			pathnames[0] = oldpath
			pathnames[otherSourceIndex] = oldpath
			pathnames[targetIndex] = newpath
			base, side1, side2 := m.paths[pathnames[0]], m.paths[pathnames[1]], m.paths[pathnames[2]]
			if !unresolved(base, side1, side2) {
				m.gitAborts(newpath, "rename of "+oldpath+" collides with a path already resolved")
				continue
			}
			c, merged, err := m.handleContentMerge(pair.one.path, base.stages[0], side1.stages[1], side2.stages[2], pathnames, 1)
			if err != nil {
				return false, err
			}
			newinfo.stages[targetIndex] = merged
			if !c {
				m.pathMsg("rename involved in collision", true, newpath, []string{oldpath},
					"CONFLICT (rename involved in collision): rename of %s -> %s has content conflicts AND collides with another path; this may result in nested conflict markers.",
					oldpath, newpath)
			}
		case collision && sourceDeleted:
			newinfo.pathConflict = true
			m.pathMsg("rename/delete", true, newpath, []string{oldpath},
				"CONFLICT (rename/delete): %s renamed to %s in %s, but deleted in %s.", oldpath, newpath, renameBranch, deleteBranch)
		default:
			newinfo.stages[0] = oldinfo.stages[0]
			newinfo.filemask |= 1
			newinfo.pathnames[0] = oldpath
			switch {
			case typeChanged:
				oldinfo.stages[0] = versionInfo{}
				oldinfo.filemask &= 6
			case sourceDeleted:
				newinfo.pathConflict = true
				m.pathMsg("rename/delete", true, newpath, []string{oldpath},
					"CONFLICT (rename/delete): %s renamed to %s in %s, but deleted in %s.", oldpath, newpath, renameBranch, deleteBranch)
			default:
				newinfo.stages[otherSourceIndex] = oldinfo.stages[otherSourceIndex]
				newinfo.filemask |= oldSidemask
				newinfo.pathnames[otherSourceIndex] = oldpath
			}
		}
		if !typeChanged {
			oldinfo.isNull = true
			oldinfo.clean = true
		}
	}
	return cleanMerge, nil
}

// unresolved is git's VERIFY_CI: every entry exists and is not resolved yet.
func unresolved(cis ...*pathInfo) bool {
	for _, ci := range cis {
		if ci == nil || ci.clean {
			return false
		}
	}
	return true
}

/*** content merges ***/

// handleContentMerge is handle_content_merge: a and b have the same type.
func (m *merger) handleContentMerge(path string, o, a, b versionInfo, pathnames [3]string, extraMarkerSize int) (bool, versionInfo, error) {
	clean := true
	var result versionInfo
	if a.mode&modeFmt != b.mode&modeFmt {
		// git asserts the opposite and aborts (a rename colliding with an
		// addition of another type, e.g. a file renamed onto a new
		// symlink): it writes nothing, so this is a conflict here.
		m.gitAborts(path, fmt.Sprintf("%s is a %s on one side and a %s on the other", path, kindName(a.mode), kindName(b.mode)))
		return false, a, nil
	}
	if a.mode == b.mode || a.mode == o.mode {
		result.mode = b.mode
	} else {
		result.mode = a.mode
		clean = b.mode == o.mode
	}
	switch {
	case a.oid == b.oid || a.oid == o.oid:
		result.oid = b.oid
	case b.oid == o.oid:
		result.oid = a.oid
	case isReg(a.mode):
		twoWay := o.mode&modeFmt != a.mode&modeFmt
		base := o.oid
		if twoWay {
			base = plumbing.ZeroHash
		}
		oid, ok, err := m.merge3way(path, base, a.oid, b.oid, pathnames, extraMarkerSize)
		if err != nil {
			return false, result, err
		}
		result.oid = oid
		clean = clean && ok
		m.pathMsg("auto-merging", false, path, nil, "Auto-merging %s", path)
	case isGitlink(a.mode):
		// merge_submodule needs the submodule's history, which a bare
		// in-memory replay does not have: git reports the same conflict
		// when the submodule is not checked out.
		m.pathMsg("submodule", true, path, nil, "Failed to merge submodule %s (not checked out)", path)
		result.oid = a.oid
		clean = false
	case isLink(a.mode):
		// Symlinks are never content-merged.
		result.oid = a.oid
		clean = false
	default:
		return false, result, fmt.Errorf("unsupported object type in the tree: %06o for %s", a.mode, path)
	}
	return clean, result, nil
}

func kindName(mode uint32) string {
	switch {
	case isLink(mode):
		return "symbolic link"
	case isGitlink(mode):
		return "submodule"
	case isDir(mode):
		return "directory"
	}
	return "file"
}

func (m *merger) merge3way(path string, o, a, b plumbing.Hash, pathnames [3]string, extraMarkerSize int) (plumbing.Hash, bool, error) {
	var base, name1, name2 string
	if pathnames[0] == pathnames[1] && pathnames[1] == pathnames[2] {
		base, name1, name2 = m.labels.ancestor, m.labels.branch1, m.labels.branch2
	} else {
		base = m.labels.ancestor + ":" + pathnames[0]
		name1 = m.labels.branch1 + ":" + pathnames[1]
		name2 = m.labels.branch2 + ":" + pathnames[2]
	}
	var orig []byte
	var err error
	if !o.IsZero() {
		if orig, err = m.st.blob(o); err != nil {
			return plumbing.ZeroHash, false, err
		}
	}
	src1, err := m.st.blob(a)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	src2, err := m.st.blob(b)
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	driver := "text"
	if m.attrs != nil {
		driver = m.attrs.mergeDriver(path)
	}
	switch driver {
	case "text", "union", "binary":
	default:
		// git would run the driver the config names; triage runs none.
		m.pathMsg("merge driver", true, path, nil,
			"CONFLICT (merge driver): %s uses the merge driver '%s' (.gitattributes and merge.%s.driver); triage does not run merge drivers: pick this commit with git", path, driver, driver)
		return a, false, nil
	}
	const maxXdiffSize = 1024 * 1024 * 1023 // MAX_XDIFF_SIZE
	if driver == "binary" || len(orig) > maxXdiffSize || len(src1) > maxXdiffSize || len(src2) > maxXdiffSize ||
		isBinary(orig) || isBinary(src1) || isBinary(src2) {
		// ll_binary_merge: keep ours, report a conflict.
		m.pathMsg("binary", true, path, nil, "warning: Cannot merge binary files: %s (%s vs. %s)", path, name1, name2)
		return a, false, nil
	}
	res, err := m.merge3(orig, src1, src2, fileMergeLabels{Base: base, Ours: name1, Theirs: name2, MarkerSize: 7 + extraMarkerSize, Union: driver == "union"})
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("merge %s: %w", path, err)
	}
	if !res.Clean {
		m.regions[path] = append(m.regions[path], res.Regions...)
	}
	return m.st.put(plumbing.BlobObject, res.Content), res.Clean, nil
}

/*** process_entries ***/

// sortDirsNextToTheirChildren orders paths as if each ended in '/'.
func sortDirsNextToTheirChildren(one, two string) bool {
	i := 0
	for i < len(one) && i < len(two) && one[i] == two[i] {
		i++
	}
	c1, c2 := byte('/'), byte('/')
	if i < len(one) {
		c1 = one[i]
	}
	if i < len(two) {
		c2 = two[i]
	}
	if c1 == c2 {
		return i >= len(one) // one is a leading directory of two
	}
	return c1 < c2
}

type versionEntry struct {
	name string
	mi   *pathInfo
}

type directoryVersions struct {
	versions      []versionEntry
	offsets       []dirOffset
	lastDirectory *string
}

type dirOffset struct {
	dir    string
	offset int
}

func (m *merger) recordEntryForTree(dm *directoryVersions, path string, mi *pathInfo) {
	if mi.isNull {
		return
	}
	dm.versions = append(dm.versions, versionEntry{name: path[mi.basenameOffset:], mi: mi})
}

func (m *merger) writeTree(versions []versionEntry) plumbing.Hash {
	entries := make([]treeEntry, len(versions))
	for i, v := range versions {
		entries[i] = treeEntry{name: v.name, mode: v.mi.result.mode, hash: v.mi.result.oid}
	}
	return m.st.writeTree(entries)
}

func (m *merger) writeCompletedDirectory(newDir string, info *directoryVersions) {
	if info.lastDirectory != nil && newDir == *info.lastDirectory {
		return
	}
	if info.lastDirectory == nil || strings.HasPrefix(newDir, *info.lastDirectory) {
		d := newDir
		info.lastDirectory = &d
		info.offsets = append(info.offsets, dirOffset{dir: newDir, offset: len(info.versions)})
		return
	}
	dirInfo := m.paths[*info.lastDirectory]
	offset := info.offsets[len(info.offsets)-1].offset
	if dirInfo == nil {
		// Only after a case git aborts on; never write a tree for it.
		m.gitAborts(*info.lastDirectory, "directory "+*info.lastDirectory+" lost its entry")
		dirInfo = &pathInfo{}
	}
	if offset == len(info.versions) {
		dirInfo.isNull = true
	} else {
		dirInfo.isNull = false
		dirInfo.result = versionInfo{oid: m.writeTree(info.versions[offset:]), mode: modeDir}
	}
	info.offsets = info.offsets[:len(info.offsets)-1]
	info.versions = info.versions[:offset]
	if len(info.offsets) == 0 || info.offsets[len(info.offsets)-1].dir != newDir {
		info.offsets = append(info.offsets, dirOffset{dir: newDir, offset: len(info.versions)})
	}
	d := newDir
	info.lastDirectory = &d
}

func (m *merger) processEntries() (plumbing.Hash, error) {
	if len(m.paths) == 0 {
		return m.st.writeTree(nil), nil // stored: not every reader knows git's empty tree
	}
	plist := make([]string, 0, len(m.paths))
	for p := range m.paths {
		plist = append(plist, p)
	}
	sort.Slice(plist, func(i, j int) bool { return sortDirsNextToTheirChildren(plist[i], plist[j]) })
	dm := &directoryVersions{}
	for k := len(plist) - 1; k >= 0; k-- {
		path := plist[k]
		mi := m.paths[path]
		m.writeCompletedDirectory(mi.dirName, dm)
		if mi.clean {
			m.recordEntryForTree(dm, path, mi)
			continue
		}
		if err := m.processEntry(path, mi, dm); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if len(dm.offsets) != 1 || dm.offsets[0].offset != 0 {
		return plumbing.ZeroHash, fmt.Errorf("internal error: merge directory accounting is off (%d open directories)", len(dm.offsets))
	}
	return m.writeTree(dm.versions), nil
}

// uniquePath is unique_path: path~branch, made unique among known paths.
func (m *merger) uniquePath(path, branch string) string {
	base := path + "~" + strings.ReplaceAll(branch, "/", "_")
	np := base
	for suffix := 0; ; suffix++ {
		if _, ok := m.paths[np]; !ok {
			return np
		}
		np = fmt.Sprintf("%s_%d", base, suffix)
	}
}

func (m *merger) processEntry(path string, ci *pathInfo, dm *directoryVersions) error {
	dfFileIndex := 0
	if ci.dirmask != 0 {
		m.recordEntryForTree(dm, path, ci)
		if ci.filemask == 0 {
			return nil
		}
	}
	if ci.dfConflict && ci.result.mode == 0 {
		// The directory went away; the file can stay here.
		ci.dfConflict = false
		ci.clean = false
		ci.isNull = false
		ci.matchMask &^= ci.dirmask
		ci.dirmask = 0
		for i := 0; i < 3; i++ {
			if ci.filemask&(1<<i) == 0 {
				ci.stages[i] = versionInfo{}
			}
		}
	} else if ci.dfConflict && ci.result.mode != 0 {
		// The directory stays: move the file out of its way.
		if ci.filemask == 1 {
			ci.filemask = 0
			return nil
		}
		newCI := *ci
		newCI.matchMask &^= newCI.dirmask
		for i := 0; i < 3; i++ {
			if newCI.filemask&(1<<i) == 0 {
				newCI.stages[i] = versionInfo{}
			}
		}
		dfFileIndex = 1
		if ci.dirmask&2 != 0 {
			dfFileIndex = 2
		}
		newCI.dirmask = 0
		branch := m.labels.branch1
		if dfFileIndex == 2 {
			branch = m.labels.branch2
		}
		oldPath := path
		path = m.uniquePath(path, branch)
		m.paths[path] = &newCI
		m.pathMsg("file/directory", true, path, []string{oldPath},
			"CONFLICT (file/directory): directory in the way of %s from %s; moving it to %s instead.", oldPath, branch, path)
		ci.filemask = 0
		ci = &newCI
	}

	switch {
	case ci.matchMask != 0:
		ci.clean = !ci.dfConflict && !ci.pathConflict
		if ci.matchMask == 6 {
			ci.result = ci.stages[1]
		} else {
			othermask := 7 &^ ci.matchMask
			side := 1
			if othermask == 4 {
				side = 2
			}
			ci.result = ci.stages[side]
			ci.isNull = ci.result.mode == 0
			if ci.isNull {
				ci.clean = true
			}
		}
	case ci.filemask >= 6 && ci.stages[1].mode&modeFmt != ci.stages[2].mode&modeFmt:
		// Two different kinds of item (file, submodule, symlink).
		oMode, aMode, bMode := ci.stages[0].mode, ci.stages[1].mode, ci.stages[2].mode
		renameA, renameB := false, false
		switch {
		case isReg(aMode):
			renameA = true
		case isReg(bMode):
			renameB = true
		default:
			renameA, renameB = true, true
		}
		var aPath, bPath string
		if renameA {
			aPath = m.uniquePath(path, m.labels.branch1)
		}
		if renameB {
			bPath = m.uniquePath(path, m.labels.branch2)
		}
		if renameA && renameB {
			m.pathMsg("distinct types", true, path, []string{aPath, bPath},
				"CONFLICT (distinct types): %s had different types on each side; renamed both of them so each can be recorded somewhere.", path)
		} else {
			other := aPath
			if !renameA {
				other = bPath
			}
			m.pathMsg("distinct types", true, path, []string{other},
				"CONFLICT (distinct types): %s had different types on each side; renamed one of them so each can be recorded somewhere.", path)
		}
		ci.clean = false
		newCI := *ci
		newCI.result = ci.stages[2]
		newCI.stages[1] = versionInfo{}
		newCI.filemask = 5
		if bMode&modeFmt != oMode&modeFmt {
			newCI.stages[0] = versionInfo{}
			newCI.filemask = 4
		}
		ci.result = ci.stages[1]
		ci.stages[2] = versionInfo{}
		ci.filemask = 3
		if aMode&modeFmt != oMode&modeFmt {
			ci.stages[0] = versionInfo{}
			ci.filemask = 2
		}
		if renameA {
			m.paths[aPath] = ci
		}
		if !renameB {
			bPath = path
		}
		m.paths[bPath] = &newCI
		if renameA && renameB {
			delete(m.paths, path)
		}
		m.conflicted[bPath] = &newCI
		m.recordEntryForTree(dm, bPath, &newCI)
		if aPath != "" {
			path = aPath
		}
	case ci.filemask >= 6:
		clean, merged, err := m.handleContentMerge(path, ci.stages[0], ci.stages[1], ci.stages[2], ci.pathnames, 0)
		if err != nil {
			return err
		}
		ci.clean = clean && !ci.dfConflict && !ci.pathConflict
		ci.result = merged
		ci.isNull = merged.mode == 0
		if clean && ci.dfConflict {
			ci.filemask = 1 << dfFileIndex
			ci.stages[dfFileIndex] = merged
		}
		if !clean {
			reason := "content"
			if ci.filemask == 6 {
				reason = "add/add"
			}
			if isGitlink(merged.mode) {
				reason = "submodule"
			}
			m.pathMsg(reason, true, path, nil, "CONFLICT (%s): Merge conflict in %s", reason, path)
		}
	case ci.filemask == 3 || ci.filemask == 5:
		side := 1
		if ci.filemask == 5 {
			side = 2
		}
		ci.result = ci.stages[side]
		ci.clean = false
		modifyBranch, deleteBranch := m.labels.branch1, m.labels.branch2
		if side == 2 {
			modifyBranch, deleteBranch = m.labels.branch2, m.labels.branch1
		}
		if !(ci.pathConflict && ci.stages[0].oid == ci.stages[side].oid) {
			m.pathMsg("modify/delete", true, path, nil,
				"CONFLICT (modify/delete): %s deleted in %s and modified in %s.  Version %s of %s left in tree.",
				path, deleteBranch, modifyBranch, modifyBranch, path)
		}
	case ci.filemask == 2 || ci.filemask == 4:
		side := 1
		if ci.filemask == 4 {
			side = 2
		}
		ci.result = ci.stages[side]
		ci.clean = !ci.dfConflict && !ci.pathConflict
	case ci.filemask == 1:
		ci.isNull = true
		ci.result = versionInfo{}
		ci.clean = !ci.pathConflict
	}
	if !ci.clean {
		m.conflicted[path] = ci
	}
	m.recordEntryForTree(dm, path, ci)
	return nil
}
