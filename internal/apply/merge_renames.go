package apply

import (
	"fmt"
	"sort"
	"strings"
)

// Rename handling of merge-ort: rename detection per side, directory
// renames, and process_renames (merge-ort.c's "regular rename detection" and
// "directory rename detection" function groups).

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
