package apply

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/xdiff"
)

// Content merges and process_entries of merge-ort: every path gets its
// merged version, and the trees are written bottom-up.

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
		xdiff.IsBinary(orig) || xdiff.IsBinary(src1) || xdiff.IsBinary(src2) {
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
