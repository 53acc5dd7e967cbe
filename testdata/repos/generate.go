package repos

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// GenOptions shape a generated history. Zero values take the defaults below.
type GenOptions struct {
	Seed        int64
	Commits     int  // commits in BASE..HEAD, merges included (default 100)
	Files       int  // files in the tree at BASE (default 200)
	Authors     int  // distinct authors (default 9)
	MergeEvery  int  // about one feature branch merged back per MergeEvery commits; 0: linear history
	BaseCommits int  // commits up to the base tag, the first one importing every file (default 5)
	Checkout    bool // check HEAD out into Dir; otherwise the repository is bare
}

func (o GenOptions) withDefaults() GenOptions {
	if o.Commits == 0 {
		o.Commits = 100
	}
	if o.Files == 0 {
		o.Files = 200
	}
	if o.Authors == 0 {
		o.Authors = 9
	}
	if o.BaseCommits == 0 {
		o.BaseCommits = 5
	}
	return o
}

// Generated describes a generated repository. BASE..HEAD (the tag "base"
// and the branch "main") holds exactly Options.Commits commits.
type Generated struct {
	Dir     string
	Options GenOptions
	Base    plumbing.Hash
	Head    plumbing.Hash
	BaseRef string // "base", a lightweight tag
	HeadRef string // "main", the branch HEAD points at
	Merges  int    // merge commits in BASE..HEAD
	Files   int    // files at HEAD
	Objects int    // objects in the pack
}

// genVersion is part of GenerateCached's key: bump it whenever the generator's
// output changes for the same options.
const genVersion = 1

// Generate writes a large, random but realistic history into dir (which must
// not hold a repository yet): files of 50 to 3000 lines of code-like text,
// commits editing 1 to 40 lines at a few places of a few files, occasional
// new, deleted, renamed (and edited) and binary files, feature branches merged
// back, some of whose merges change a line themselves. The same options give
// the same SHAs. Objects go straight into one packfile, with deltas, as after
// `git gc`.
func Generate(dir string, opts GenOptions) (*Generated, error) {
	opts = opts.withDefaults()
	if opts.Commits < 0 || opts.Files < 1 || opts.Authors < 1 || opts.BaseCommits < 1 || opts.MergeEvery < 0 {
		return nil, fmt.Errorf("generate: invalid options %+v: counts must be positive", opts)
	}
	repo, err := git.PlainInit(dir, !opts.Checkout)
	if err != nil {
		return nil, fmt.Errorf("generate: init %s: %w", dir, err)
	}
	gitDir := dir
	if opts.Checkout {
		gitDir = filepath.Join(dir, ".git")
	}
	pw, err := newPackWriter(gitDir)
	if err != nil {
		return nil, err
	}
	g := newGenerator(opts, pw)
	if err := g.run(); err != nil {
		pw.body.Close()
		os.Remove(pw.body.Name())
		return nil, err
	}
	if err := pw.finish(gitDir); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	refs := []*plumbing.Reference{
		plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), g.main.head),
		plumbing.NewHashReference(plumbing.NewTagReferenceName("base"), g.base),
		plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName("main")),
	}
	for _, r := range refs {
		if err := repo.Storer.SetReference(r); err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
	}
	out := &Generated{Dir: dir, Options: opts, Base: g.base, Head: g.main.head, BaseRef: "base", HeadRef: "main",
		Merges: g.merges, Files: len(g.main.files), Objects: len(pw.order)}
	if opts.Checkout {
		// Reopen, so the storage sees the new pack.
		r, err := git.PlainOpen(dir)
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		wt, err := r.Worktree()
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		if err := wt.Reset(&git.ResetOptions{Commit: g.main.head, Mode: git.HardReset}); err != nil {
			return nil, fmt.Errorf("generate: check out main: %w", err)
		}
	}
	return out, nil
}

// genFile is one version of a file; versions are never changed once made.
type genFile struct {
	lines []string // text files, each line with its '\n'
	data  []byte   // binary files
	mode  filemode.FileMode
	hash  plumbing.Hash
	lang  *language
}

func (f *genFile) binary() bool { return f.lines == nil }

func (f *genFile) content() []byte {
	if f.binary() {
		return f.data
	}
	n := 0
	for _, l := range f.lines {
		n += len(l)
	}
	b := make([]byte, 0, n)
	for _, l := range f.lines {
		b = append(b, l...)
	}
	return b
}

// genBranch is the state of one line of development.
type genBranch struct {
	name   string
	files  map[string]*genFile
	paths  []string // sampling order: early paths are the hot ones
	index  map[string]int
	tree   *genTree
	head   plumbing.Hash
	staged map[string]bool // paths changed by the commit being made
	// feature branches only
	touched map[string]bool // paths changed since the fork
	left    int             // commits still to make before the merge
	author  int
	ticket  string
	topic   string
}

func (b *genBranch) fork(name string) *genBranch {
	nb := &genBranch{name: name, files: make(map[string]*genFile, len(b.files)), paths: slices.Clone(b.paths),
		index: make(map[string]int, len(b.index)), tree: b.tree.clone(), head: b.head, touched: map[string]bool{},
		staged: map[string]bool{}}
	for p, f := range b.files {
		nb.files[p] = f
	}
	for p, i := range b.index {
		nb.index[p] = i
	}
	return nb
}

func (b *genBranch) set(p string, f *genFile) {
	if _, ok := b.files[p]; !ok {
		b.index[p] = len(b.paths)
		b.paths = append(b.paths, p)
	}
	b.files[p] = f
	b.tree.set(p, f.mode, f.hash)
	b.staged[p] = true
	if b.touched != nil {
		b.touched[p] = true
	}
}

func (b *genBranch) remove(p string) {
	i := b.index[p]
	last := b.paths[len(b.paths)-1]
	b.paths[i], b.index[last] = last, i
	b.paths = b.paths[:len(b.paths)-1]
	delete(b.index, p)
	delete(b.files, p)
	b.tree.remove(p)
	b.staged[p] = true
	if b.touched != nil {
		b.touched[p] = true
	}
}

type generator struct {
	opts     GenOptions
	rng      *rand.Rand
	pw       *packWriter
	words    []string
	dirs     []string
	used     map[string]bool // every path ever used, so new paths never collide
	authors  []Person
	clock    time.Time
	main     *genBranch
	feature  *genBranch
	base     plumbing.Hash
	merges   int
	tickets  int
	lastTree map[string]plumbing.Hash // directory -> its last tree, the delta base of the next
	treeData map[plumbing.Hash][]byte
}

func newGenerator(opts GenOptions, pw *packWriter) *generator {
	g := &generator{opts: opts, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 0x7472696167650001)), pw: pw,
		used: map[string]bool{}, clock: time.Date(2019, 1, 7, 9, 0, 0, 0, time.FixedZone("CET", 3600)),
		lastTree: map[string]plumbing.Hash{}, treeData: map[plumbing.Hash][]byte{}, tickets: 100}
	g.words = g.vocabulary(600)
	g.authors = g.people(opts.Authors)
	g.dirs = g.directories(max(3, opts.Files/14))
	g.main = &genBranch{name: "main", files: map[string]*genFile{}, index: map[string]int{}, tree: newGenTree(),
		staged: map[string]bool{}}
	return g
}

func (g *generator) run() error {
	for i := 0; i < g.opts.Files; i++ {
		p, f := g.newFile(i < g.opts.Files/200+1)
		if err := g.writeBlob(f, nil, nil); err != nil {
			return err
		}
		g.main.set(p, f)
	}
	if err := g.commit(g.main, g.authors[0], "Initial import\n", nil); err != nil {
		return err
	}
	for i := 1; i < g.opts.BaseCommits; i++ {
		if err := g.mainCommit(); err != nil {
			return err
		}
	}
	g.base = g.main.head
	for remaining := g.opts.Commits; remaining > 0; remaining-- {
		if err := g.step(remaining); err != nil {
			return err
		}
	}
	return nil
}

// step makes one commit of BASE..HEAD: on main, on the open feature branch,
// or the merge closing it, keeping room for the branch to finish.
func (g *generator) step(remaining int) error {
	f := g.feature
	switch {
	case f == nil && g.opts.MergeEvery > 0 && remaining >= 3 && g.rng.IntN(g.opts.MergeEvery) == 0:
		g.openFeature(remaining)
		return g.featureCommit()
	case f == nil:
		return g.mainCommit()
	case f.left == 0 && (remaining == 1 || g.rng.IntN(2) == 0):
		return g.mergeFeature()
	case f.left > 0 && (remaining <= f.left+1 || g.rng.IntN(2) == 0):
		return g.featureCommit()
	default:
		return g.mainCommit()
	}
}

func (g *generator) openFeature(remaining int) {
	g.tickets++
	f := g.main.fork("feature")
	g.main.touched = map[string]bool{}
	f.left = 1 + g.rng.IntN(min(6, remaining-2))
	f.author = g.rng.IntN(len(g.authors))
	f.ticket = "GEN-" + strconv.Itoa(g.tickets)
	f.topic = g.words[g.rng.IntN(len(g.words))] + "-" + g.words[g.rng.IntN(len(g.words))]
	f.left-- // the first commit is made right away
	g.feature = f
}

// reserved reports whether main must leave p alone: the open feature branch
// changes it, and merges never need a manual resolution.
func (g *generator) reserved(p string) bool {
	return g.feature != nil && g.feature.touched[p]
}

func (g *generator) mainCommit() error {
	who := g.authors[g.skewed(len(g.authors))]
	return g.change(g.main, who, g.message(""), g.reserved)
}

func (g *generator) featureCommit() error {
	f := g.feature
	if f.left > 0 && len(f.touched) > 0 {
		f.left--
	}
	// A feature branch sticks to its own files once it has some, so main's
	// work never collides with it.
	own := func(p string) bool { return len(f.touched) > 0 && !f.touched[p] }
	avoid := func(p string) bool { return own(p) || g.main.touched[p] }
	return g.change(f, g.authors[f.author], g.message(f.ticket), avoid)
}

func (g *generator) mergeFeature() error {
	f := g.feature
	paths := make([]string, 0, len(f.touched))
	for p := range f.touched {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if v, ok := f.files[p]; ok {
			g.main.set(p, v)
		} else if _, ok := g.main.files[p]; ok {
			g.main.remove(p)
		}
	}
	// One merge in four fixes a line on the way, as a resolution would.
	if g.rng.IntN(4) == 0 {
		for _, p := range paths {
			if v, ok := g.main.files[p]; ok && !v.binary() && len(v.lines) > 2 {
				at := g.rng.IntN(len(v.lines) - 1)
				nf, segs := g.edited(v, []site{{at, 1, v.lang.lines(g, 1, indentOf(v.lines[at]))}})
				if err := g.writeBlob(nf, v, segs); err != nil {
					return err
				}
				g.main.set(p, nf)
				break
			}
		}
	}
	g.main.touched = nil
	g.feature = nil
	g.merges++
	msg := fmt.Sprintf("Merge branch 'feature/%s-%s'\n", f.ticket, f.topic)
	return g.commit(g.main, g.authors[f.author], msg, []plumbing.Hash{f.head})
}

// change makes one ordinary commit on b: mostly edits of existing files,
// sometimes a new, deleted, renamed or binary file. avoid excludes paths.
// Every commit changes something.
func (g *generator) change(b *genBranch, who Person, msg string, avoid func(string) bool) error {
	budget := 1 + g.rng.IntN(40) // lines changed by the commit
	nfiles := 1 + int(math.Min(7, g.rng.ExpFloat64()*1.2))
	changed := false
	// A file changes once per commit: an intermediate version would be an
	// object no tree refers to.
	once := func(p string) bool { return b.staged[p] || avoid(p) }
	for i := 0; (i < nfiles && budget > 0) || !changed; i++ {
		done, err := g.changeOne(b, once, &budget, i > 50)
		if err != nil {
			return err
		}
		changed = changed || done
		budget = max(budget, 1)
	}
	return g.commit(b, who, msg, nil)
}

// changeOne makes one change on b and reports whether it did; force asks for
// a new file whatever avoid says (new paths never collide).
func (g *generator) changeOne(b *genBranch, avoid func(string) bool, budget *int, force bool) (bool, error) {
	r := g.rng.IntN(1000)
	switch {
	case r < 15 || force: // new file
		p, f := g.newFile(false)
		if avoid(p) && !force {
			return false, nil
		}
		*budget = 0
		return true, g.setNew(b, p, f, nil, nil)
	case r < 20: // deletion
		p, ok := g.pick(b, avoid)
		if !ok || len(b.files) <= 10 {
			return false, nil
		}
		b.remove(p)
		return true, nil
	case r < 27: // rename, usually with a small edit
		p, ok := g.pick(b, avoid)
		if !ok {
			return false, nil
		}
		old := b.files[p]
		np := g.renamedPath(p)
		b.remove(p)
		nf := old
		var segs []segment
		if !old.binary() && g.rng.IntN(3) > 0 {
			nf, segs = g.edited(old, g.sites(old, 1+g.rng.IntN(4), 1))
		}
		if nf == old {
			b.set(np, nf)
			return true, nil
		}
		return true, g.setNew(b, np, nf, old, segs)
	case r < 32: // a binary file changes
		for _, p := range b.paths[:min(len(b.paths), 400)] {
			if f := b.files[p]; f.binary() && !avoid(p) {
				nf := &genFile{data: g.binaryContent(len(f.data)), mode: f.mode}
				return true, g.setNew(b, p, nf, f, nil)
			}
		}
		return false, nil
	}
	p, ok := g.pick(b, avoid)
	if !ok || b.files[p].binary() {
		return false, nil
	}
	f := b.files[p]
	lines := min(*budget, 1+g.rng.IntN(20))
	*budget -= lines
	nf, segs := g.edited(f, g.sites(f, lines, 1+g.rng.IntN(3)))
	if slices.Equal(nf.lines, f.lines) {
		return false, nil
	}
	return true, g.setNew(b, p, nf, f, segs)
}

// setNew stores a new version of a file, then puts it in b's tree.
func (g *generator) setNew(b *genBranch, p string, f, old *genFile, segs []segment) error {
	if err := g.writeBlob(f, old, segs); err != nil {
		return err
	}
	b.set(p, f)
	return nil
}

// pick chooses a file of b, hot files (early in b.paths) far more often.
func (g *generator) pick(b *genBranch, avoid func(string) bool) (string, bool) {
	for try := 0; try < 20; try++ {
		u := g.rng.Float64()
		p := b.paths[int(float64(len(b.paths))*u*u*u)]
		if !avoid(p) {
			return p, true
		}
	}
	return "", false
}

// skewed returns an index below n, small ones more often.
func (g *generator) skewed(n int) int {
	u := g.rng.Float64()
	return int(float64(n) * u * u)
}

// site is one edit: del lines at line at are replaced by ins.
type site struct {
	at, del int
	ins     []string
}

// segment is one piece of a new version: lines [from, from+n) of the old one,
// or inserted lines.
type segment struct {
	from, n int
	ins     []string
}

// sites spreads about total changed lines over n places of f.
func (g *generator) sites(f *genFile, total, n int) []site {
	lines := len(f.lines)
	var out []site
	for i := 0; i < n && total > 0; i++ {
		size := total
		if i < n-1 {
			size = 1 + g.rng.IntN(total)
		}
		total -= size
		at := g.rng.IntN(lines + 1)
		del, add := 0, 0
		switch r := g.rng.IntN(10); {
		case r < 4 || lines > 2500: // replace
			del = min(lines-at, max(1, size/2))
			add = size - del
		case r < 8: // add
			add = size
		default: // delete
			del = min(lines-at, size)
		}
		if lines < 60 {
			del = 0
			add = max(add, 1)
		}
		indent := ""
		if at < lines {
			indent = indentOf(f.lines[at])
		}
		out = append(out, site{at, del, f.lang.lines(g, add, indent)})
	}
	slices.SortFunc(out, func(a, b site) int { return a.at - b.at })
	// Overlapping sites merge into their predecessor's end.
	for i := 1; i < len(out); i++ {
		if end := out[i-1].at + out[i-1].del; out[i].at < end {
			out[i].del = max(0, out[i].del-(end-out[i].at))
			out[i].at = end
		}
	}
	return out
}

// edited applies sites to f; segs say how the new version is made of the old.
func (g *generator) edited(f *genFile, sites []site) (*genFile, []segment) {
	var segs []segment
	var lines []string
	prev := 0
	for _, s := range sites {
		if s.at > prev {
			segs = append(segs, segment{from: prev, n: s.at - prev})
			lines = append(lines, f.lines[prev:s.at]...)
		}
		if len(s.ins) > 0 {
			segs = append(segs, segment{ins: s.ins})
			lines = append(lines, s.ins...)
		}
		prev = s.at + s.del
	}
	if prev < len(f.lines) {
		segs = append(segs, segment{from: prev, n: len(f.lines) - prev})
		lines = append(lines, f.lines[prev:]...)
	}
	return &genFile{lines: lines, mode: f.mode, lang: f.lang}, segs
}

// writeBlob hashes and stores f's content; when f was made from old by segs,
// as a delta against old built from them (no diff needed: we know the edits).
func (g *generator) writeBlob(f, old *genFile, segs []segment) error {
	content := f.content()
	base := plumbing.ZeroHash
	var delta func() []byte
	if old != nil {
		base = old.hash
		if segs != nil {
			delta = func() []byte { return lineDelta(old, segs, len(content)) }
		}
	}
	h, err := g.pw.put(plumbing.BlobObject, content, base, delta)
	f.hash = h
	return err
}

// lineDelta is the delta turning old into the version segs describe.
func lineDelta(old *genFile, segs []segment, size int) []byte {
	offsets := make([]int, len(old.lines)+1)
	for i, l := range old.lines {
		offsets[i+1] = offsets[i] + len(l)
	}
	d := newDelta(offsets[len(old.lines)], size)
	var ins []byte
	for _, s := range segs {
		if s.ins != nil {
			ins = ins[:0]
			for _, l := range s.ins {
				ins = append(ins, l...)
			}
			d.insert(ins)
			continue
		}
		d.copyFrom(offsets[s.from], offsets[s.from+s.n]-offsets[s.from])
	}
	return d.buf
}

func (g *generator) commit(b *genBranch, who Person, msg string, extraParents []plumbing.Hash) error {
	root, err := g.flushTree(b)
	if err != nil {
		return err
	}
	g.clock = g.clock.Add(time.Duration(5+g.rng.IntN(115)) * time.Minute)
	// Office hours, Monday to Friday.
	for g.clock.Hour() >= 19 || g.clock.Hour() < 9 || g.clock.Weekday() == time.Saturday || g.clock.Weekday() == time.Sunday {
		g.clock = time.Date(g.clock.Year(), g.clock.Month(), g.clock.Day()+1, 9, g.rng.IntN(60), 0, 0, g.clock.Location())
	}
	clear(b.staged)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "tree %s\n", root)
	if !b.head.IsZero() {
		fmt.Fprintf(&buf, "parent %s\n", b.head)
	}
	for _, p := range extraParents {
		fmt.Fprintf(&buf, "parent %s\n", p)
	}
	stamp := fmt.Sprintf("%d %s", g.clock.Unix(), g.clock.Format("-0700"))
	fmt.Fprintf(&buf, "author %s <%s> %s\ncommitter %s <%s> %s\n\n%s", who.Name, who.Email, stamp, who.Name, who.Email, stamp, msg)
	h, err := g.pw.put(plumbing.CommitObject, buf.Bytes(), plumbing.ZeroHash, nil)
	b.head = h
	return err
}

// flushTree writes the trees of b's changed directories, deepest first, each
// as a delta against the directory's previous tree.
func (g *generator) flushTree(b *genBranch) (plumbing.Hash, error) {
	t := b.tree
	dirty := make([]string, 0, len(t.dirty))
	for d := range t.dirty {
		dirty = append(dirty, d)
	}
	slices.SortFunc(dirty, func(x, y string) int {
		if dx, dy := depth(x), depth(y); dx != dy {
			return dy - dx
		}
		return strings.Compare(x, y)
	})
	for _, d := range dirty {
		node := t.dirs[d]
		parent, name := splitDir(d)
		if len(node.entries) == 0 && d != "" {
			delete(t.dirs, d)
			if pn := t.dirs[parent]; pn != nil {
				delete(pn.entries, name)
			}
			continue
		}
		data := node.encode()
		base := g.lastTree[d]
		h, err := g.pw.put(plumbing.TreeObject, data, base, func() []byte { return prefixSuffixDelta(g.treeData[base], data) })
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if h != base {
			delete(g.treeData, base)
			g.lastTree[d], g.treeData[h] = h, data
		}
		node.hash = h
		if d != "" {
			t.dirs[parent].entries[name] = treeEnt{filemode.Dir, h}
		}
	}
	clear(t.dirty)
	return t.dirs[""].hash, nil
}

func depth(d string) int {
	if d == "" {
		return 0
	}
	return strings.Count(d, "/") + 1
}

func splitDir(d string) (parent, name string) {
	i := strings.LastIndexByte(d, '/')
	if i < 0 {
		return "", d
	}
	return d[:i], d[i+1:]
}

// genTree is a branch's tree as directories of entries, rewritten only where
// something changed.
type genTree struct {
	dirs  map[string]*genDir
	dirty map[string]bool
}

type genDir struct {
	entries map[string]treeEnt
	hash    plumbing.Hash
}

type treeEnt struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

func newGenTree() *genTree {
	return &genTree{dirs: map[string]*genDir{"": {entries: map[string]treeEnt{}}}, dirty: map[string]bool{"": true}}
}

func (t *genTree) clone() *genTree {
	c := &genTree{dirs: make(map[string]*genDir, len(t.dirs)), dirty: map[string]bool{}}
	for d, n := range t.dirs {
		c.dirs[d] = &genDir{entries: make(map[string]treeEnt, len(n.entries)), hash: n.hash}
		for k, v := range n.entries {
			c.dirs[d].entries[k] = v
		}
	}
	for d := range t.dirty {
		c.dirty[d] = true
	}
	return c
}

func (t *genTree) set(p string, mode filemode.FileMode, h plumbing.Hash) {
	dir, name := splitDir(p)
	t.touch(dir)
	t.dirs[dir].entries[name] = treeEnt{mode, h}
}

func (t *genTree) remove(p string) {
	dir, name := splitDir(p)
	t.touch(dir)
	delete(t.dirs[dir].entries, name)
}

// touch marks dir and its ancestors dirty, creating missing ones.
func (t *genTree) touch(dir string) {
	for {
		if t.dirs[dir] == nil {
			t.dirs[dir] = &genDir{entries: map[string]treeEnt{}}
		}
		t.dirty[dir] = true
		if dir == "" {
			return
		}
		parent, name := splitDir(dir)
		if t.dirs[parent] == nil || t.dirs[parent].entries[name].mode != filemode.Dir {
			t.touch(parent)
			t.dirs[parent].entries[name] = treeEnt{mode: filemode.Dir}
		}
		dir = parent
	}
}

// encode is the tree object's content, entries in git's order (a directory
// sorts as if its name ended in '/').
func (n *genDir) encode() []byte {
	names := make([]string, 0, len(n.entries))
	for name := range n.entries {
		names = append(names, name)
	}
	key := func(name string) string {
		if n.entries[name].mode == filemode.Dir {
			return name + "/"
		}
		return name
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(key(a), key(b)) })
	var buf bytes.Buffer
	for _, name := range names {
		e := n.entries[name]
		buf.WriteString(strings.TrimLeft(strconv.FormatUint(uint64(e.mode), 8), "0"))
		buf.WriteByte(' ')
		buf.WriteString(name)
		buf.WriteByte(0)
		buf.Write(e.hash[:])
	}
	return buf.Bytes()
}

// newFile makes a new file at a path never used before.
func (g *generator) newFile(binary bool) (string, *genFile) {
	dir := g.dirs[g.skewed(len(g.dirs))]
	if binary {
		p := g.uniquePath(dir, ".png")
		return p, &genFile{data: g.binaryContent(1024 + g.rng.IntN(20*1024)), mode: filemode.Regular}
	}
	lang := pickLanguage(g.rng.IntN(100))
	if strings.HasPrefix(dir, "docs") {
		lang = langMarkdown
	}
	p := g.uniquePath(dir, lang.ext)
	// Sizes are log-uniform between 50 and 3000 lines.
	n := int(50 * math.Exp(g.rng.Float64()*math.Log(60)))
	mode := filemode.Regular
	if lang.ext == ".sh" {
		mode = filemode.Executable
	}
	return p, &genFile{lines: lang.file(g, n), mode: mode, lang: lang}
}

func (g *generator) uniquePath(dir, ext string) string {
	for {
		name := g.words[g.rng.IntN(len(g.words))]
		if g.rng.IntN(2) == 0 {
			name += "_" + g.words[g.rng.IntN(len(g.words))]
		}
		p := path.Join(dir, name+ext)
		if !g.used[p] {
			g.used[p] = true
			return p
		}
	}
}

func (g *generator) renamedPath(p string) string {
	dir, name := path.Split(p)
	ext := path.Ext(name)
	if g.rng.IntN(2) == 0 {
		dir = g.dirs[g.rng.IntN(len(g.dirs))]
		if n := path.Join(dir, name); !g.used[n] {
			g.used[n] = true
			return n
		}
	}
	return g.uniquePath(strings.TrimSuffix(dir, "/"), ext)
}

// binaryContent is n bytes that git sees as binary (they hold NULs).
func (g *generator) binaryContent(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		if g.rng.IntN(4) == 0 {
			continue
		}
		b[i] = byte(g.rng.IntN(256))
	}
	copy(b, "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	return b
}

func (g *generator) message(ticket string) string {
	verbs := []string{"fix", "add", "handle", "refactor", "speed up", "clean up", "check", "log", "support", "remove"}
	subject := verbs[g.rng.IntN(len(verbs))] + " " + g.words[g.rng.IntN(len(g.words))] + " " +
		g.words[g.rng.IntN(len(g.words))]
	switch {
	case ticket != "":
		subject = ticket + ": " + subject
	case g.rng.IntN(5) > 0:
		g.tickets += g.rng.IntN(2)
		subject = "GEN-" + strconv.Itoa(g.tickets-g.rng.IntN(min(g.tickets, 40))) + ": " + subject
	}
	if g.rng.IntN(3) == 0 {
		return subject + "\n\n" + strings.Join(g.sentence(8+g.rng.IntN(20)), " ") + ".\n"
	}
	return subject + "\n"
}

func (g *generator) sentence(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.words[g.rng.IntN(len(g.words))]
	}
	return out
}

func (g *generator) vocabulary(n int) []string {
	common := []string{"user", "order", "price", "rate", "item", "account", "cache", "config", "request", "response",
		"value", "count", "index", "buffer", "result", "error", "context", "client", "server", "session", "token",
		"amount", "total", "line", "file", "path", "name", "key", "data", "list", "state", "event", "queue", "store"}
	syllables := []string{"ka", "lo", "mi", "ra", "to", "ne", "su", "pi", "da", "ve", "zo", "ri", "an", "el", "or",
		"us", "be", "co", "fa", "gu", "hi", "ja", "mo", "nu", "pe", "qui", "sa", "ti", "vo", "xe"}
	seen := map[string]bool{}
	words := slices.Clone(common)
	for _, w := range words {
		seen[w] = true
	}
	for len(words) < n {
		var sb strings.Builder
		for i := 2 + g.rng.IntN(2); i > 0; i-- {
			sb.WriteString(syllables[g.rng.IntN(len(syllables))])
		}
		if w := sb.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

func (g *generator) people(n int) []Person {
	first := []string{"Alice", "Bruno", "Chloé", "David", "Emma", "François", "Gaëlle", "Hugo", "Inès", "Jules",
		"Karim", "Léa", "Marc", "Nina", "Olivier", "Paula", "Quentin", "Rose", "Samir", "Théo"}
	last := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
		"Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier"}
	out := make([]Person, n)
	for i := range out {
		f, l := first[i%len(first)], last[(i/len(first)+i*7)%len(last)]
		login := strings.ToLower(asciiFold(f) + "." + asciiFold(l))
		if i >= len(first) {
			login += strconv.Itoa(i / len(first))
		}
		out[i] = Person{f + " " + l, login + "@example.com"}
	}
	return out
}

func asciiFold(s string) string {
	return strings.NewReplacer("é", "e", "ë", "e", "è", "e", "ç", "c", "ï", "i", "î", "i").Replace(s)
}

func (g *generator) directories(n int) []string {
	tops := []string{"src", "src", "src", "lib", "test", "docs", "scripts", "web"}
	var out []string
	seen := map[string]bool{}
	for len(out) < n {
		d := tops[g.rng.IntN(len(tops))]
		for i := 1 + g.rng.IntN(3); i > 0; i-- {
			d += "/" + g.words[g.rng.IntN(len(g.words))]
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func indentOf(line string) string {
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

// GenerateCached returns a generated repository for opts from a cache under
// os.TempDir(), generating it on first use, so benchmarks do not pay for it
// on every run. The cached repository must be treated as read-only.
func GenerateCached(opts GenOptions) (*Generated, error) {
	opts = opts.withDefaults()
	key := sha1.Sum([]byte(fmt.Sprintf("%d %+v", genVersion, opts)))
	dir := filepath.Join(os.TempDir(), "triage-gen-"+hex.EncodeToString(key[:8]))
	if g, err := readGenerated(dir); err == nil {
		return g, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "triage-gen-tmp-")
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	defer os.RemoveAll(tmp)
	g, err := Generate(filepath.Join(tmp, "repo"), opts)
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	// The marker is written last: a directory without it is incomplete.
	if err := os.WriteFile(filepath.Join(tmp, "repo", cacheMarker), meta, 0o644); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if err := os.Rename(filepath.Join(tmp, "repo"), dir); err != nil {
		// Another process may have won the race; its copy is as good as ours.
		if g, rerr := readGenerated(dir); rerr == nil {
			return g, nil
		}
		return nil, fmt.Errorf("generate: cache %s: %w (remove it and retry)", dir, err)
	}
	g.Dir = dir
	return g, nil
}

const cacheMarker = "triage-generated.json"

func readGenerated(dir string) (*Generated, error) {
	raw, err := os.ReadFile(filepath.Join(dir, cacheMarker))
	if err != nil {
		return nil, err
	}
	var g Generated
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	g.Dir = dir
	return &g, nil
}
