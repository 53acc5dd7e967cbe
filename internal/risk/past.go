package risk

import "strings"

// past indexes the commits a forward pass has seen so far: which commits
// touched each file, who wrote them, which were fixes, and who worked in
// each directory. Commits are numbered in pass order.
type past struct {
	authors   []int32             // per commit: author id
	fixes     []bool              // per commit
	byFile    map[string][]int    // path -> commits that touched it (renames carry the list over)
	byDir     map[dirAuthor][]int // directory and author -> the author's commits touching a file directly in it
	stamp     []int               // per commit: last query that counted it (dedup without maps)
	query     int                 // current query number
	authorIDs map[string]int32    // lowercased e-mail -> id
	seenAut   []int               // per author id: last query that counted it
}

type dirAuthor struct {
	dir    string
	author int32
}

func newPast() *past {
	return &past{byFile: map[string][]int{}, byDir: map[dirAuthor][]int{}, authorIDs: map[string]int32{}}
}

// author returns the id of an author key, making one for a newcomer.
func (p *past) author(key string) int32 {
	id, ok := p.authorIDs[key]
	if !ok {
		id = int32(len(p.seenAut))
		p.authorIDs[key] = id
		p.seenAut = append(p.seenAut, 0)
	}
	return id
}

func authorKey(email, name string) string {
	if email != "" {
		return strings.ToLower(email)
	}
	return strings.ToLower(name)
}

// fileStats are the touched files' past as one commit sees it.
type fileStats struct {
	commits, fixes, authors int
	authorCommits           int  // earlier commits by this commit's author on these files
	anyPast                 bool // at least one touched file was touched before
}

// files counts the distinct earlier commits that touched any of paths.
func (p *past) files(paths []string, author int32) fileStats {
	p.query++
	var s fileStats
	for _, path := range paths {
		for _, i := range p.byFile[path] {
			s.anyPast = true
			if p.stamp[i] == p.query {
				continue
			}
			p.stamp[i] = p.query
			s.commits++
			if p.fixes[i] {
				s.fixes++
			}
			if p.authors[i] == author {
				s.authorCommits++
			}
			if a := p.authors[i]; p.seenAut[a] != p.query {
				p.seenAut[a] = p.query
				s.authors++
			}
		}
	}
	return s
}

// authorInDirs counts the author's distinct earlier commits in dirs.
func (p *past) authorInDirs(dirs []string, author int32) int {
	p.query++
	n := 0
	for _, d := range dirs {
		for _, i := range p.byDir[dirAuthor{d, author}] {
			if p.stamp[i] != p.query {
				p.stamp[i] = p.query
				n++
			}
		}
	}
	return n
}

// record adds a commit: its changes as (old path, new path) pairs.
func (p *past) record(author int32, fix bool, changes [][2]string) {
	i := len(p.authors)
	p.authors = append(p.authors, author)
	p.fixes = append(p.fixes, fix)
	p.stamp = append(p.stamp, 0)
	dirs := map[string]bool{}
	for _, ch := range changes {
		oldPath, newPath := ch[0], ch[1]
		if oldPath != "" && newPath != "" && oldPath != newPath {
			// A renamed file keeps its past under its new name.
			p.byFile[newPath] = append(append([]int(nil), p.byFile[oldPath]...), p.byFile[newPath]...)
		}
		for _, path := range []string{oldPath, newPath} {
			if path == "" {
				continue
			}
			if l := p.byFile[path]; len(l) == 0 || l[len(l)-1] != i {
				p.byFile[path] = append(l, i)
			}
			dirs[dirOf(path)] = true
		}
	}
	for d := range dirs {
		k := dirAuthor{d, author}
		p.byDir[k] = append(p.byDir[k], i)
	}
}
