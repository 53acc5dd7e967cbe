package repos

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// Person is a fixed identity for fixture commits.
type Person struct{ Name, Email string }

// Epoch is the date of the first fixture commit; each commit is one hour later
// than the previous one unless the builder's clock is set explicitly.
var Epoch = time.Date(2011, 1, 3, 9, 0, 0, 0, time.FixedZone("CET", 3600))

type entry struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

// Builder writes commits straight into a repository's object store, without a
// worktree, so fixtures are fast and deterministic.
type Builder struct {
	Repo    *git.Repository
	Dir     string
	store   storage.Storer
	clock   time.Time
	branch  string
	heads   map[string]plumbing.Hash
	trees   map[plumbing.Hash]map[string]entry // commit -> flat file map
	current map[string]entry                   // working state of the current branch
}

// New initialises a non-bare repository in dir (which must not hold one yet)
// with its HEAD on branch "main".
func New(dir string) (*Builder, error) {
	r, err := git.PlainInit(dir, false)
	if err != nil {
		return nil, fmt.Errorf("fixture: init %s: %w", dir, err)
	}
	b := &Builder{Repo: r, Dir: dir, store: r.Storer, clock: Epoch.Add(-time.Hour), branch: "main",
		heads: map[string]plumbing.Hash{}, trees: map[plumbing.Hash]map[string]entry{}, current: map[string]entry{}}
	return b, b.setHEAD("main")
}

// Change is one edit applied to the current state before a commit.
type Change func(files map[string]entry, b *Builder) error

// Write sets path to content as a regular file.
func Write(p, content string) Change { return WriteMode(p, content, filemode.Regular) }

// WriteBytes sets path to raw content (e.g. binary) as a regular file.
func WriteBytes(p string, content []byte) Change {
	return func(files map[string]entry, b *Builder) error {
		h, err := b.blob(content)
		files[p] = entry{h, filemode.Regular}
		return err
	}
}

// WriteMode sets path to content with the given mode (Executable, Symlink...).
func WriteMode(p, content string, mode filemode.FileMode) Change {
	return func(files map[string]entry, b *Builder) error {
		h, err := b.blob([]byte(content))
		files[p] = entry{h, mode}
		return err
	}
}

// Symlink makes path a symbolic link to target.
func Symlink(p, target string) Change { return WriteMode(p, target, filemode.Symlink) }

// Delete removes path.
func Delete(p string) Change {
	return func(files map[string]entry, _ *Builder) error {
		if _, ok := files[p]; !ok {
			return fmt.Errorf("fixture: delete %s: no such file", p)
		}
		delete(files, p)
		return nil
	}
}

// Rename moves oldPath to newPath, keeping content and mode.
func Rename(oldPath, newPath string) Change {
	return func(files map[string]entry, _ *Builder) error {
		e, ok := files[oldPath]
		if !ok {
			return fmt.Errorf("fixture: rename %s: no such file", oldPath)
		}
		delete(files, oldPath)
		files[newPath] = e
		return nil
	}
}

// Edit replaces the first occurrence of old by new in path.
func Edit(p, old, new string) Change {
	return rewrite(p, func(content []byte) ([]byte, error) {
		if !bytes.Contains(content, []byte(old)) {
			return nil, fmt.Errorf("fixture: edit %s: %q not found", p, old)
		}
		return bytes.Replace(content, []byte(old), []byte(new), 1), nil
	})
}

// InsertAfter inserts text right after the first occurrence of anchor in path;
// anchor must be present, so a fixture that drifts fails loudly.
func InsertAfter(p, anchor, text string) Change { return Edit(p, anchor, anchor+text) }

// InsertBefore inserts text right before the first occurrence of anchor in path.
func InsertBefore(p, anchor, text string) Change { return Edit(p, anchor, text+anchor) }

// InsertBeforeLast inserts text right before the last occurrence of anchor in
// path, e.g. before the closing brace of a class.
func InsertBeforeLast(p, anchor, text string) Change {
	return rewrite(p, func(content []byte) ([]byte, error) {
		i := bytes.LastIndex(content, []byte(anchor))
		if i < 0 {
			return nil, fmt.Errorf("fixture: edit %s: %q not found", p, anchor)
		}
		return []byte(string(content[:i]) + text + string(content[i:])), nil
	})
}

// rewrite replaces path's content by what edit makes of it, keeping its mode.
func rewrite(p string, edit func(content []byte) ([]byte, error)) Change {
	return func(files map[string]entry, b *Builder) error {
		e, ok := files[p]
		if !ok {
			return fmt.Errorf("fixture: edit %s: no such file", p)
		}
		content, err := b.readBlob(e.hash)
		if err != nil {
			return err
		}
		content, err = edit(content)
		if err != nil {
			return err
		}
		h, err := b.blob(content)
		files[p] = entry{h, e.mode}
		return err
	}
}

// Chmod changes path's mode (e.g. to filemode.Executable), keeping its content,
// so the commit is a pure mode change as `git update-index --chmod` makes it.
func Chmod(p string, mode filemode.FileMode) Change {
	return func(files map[string]entry, _ *Builder) error {
		e, ok := files[p]
		if !ok {
			return fmt.Errorf("fixture: chmod %s: no such file", p)
		}
		files[p] = entry{e.hash, mode}
		return nil
	}
}

// SetClock makes the next commit carry date t (later ones follow hourly).
func (b *Builder) SetClock(t time.Time) { b.clock = t.Add(-time.Hour) }

// Checkout switches the current branch, creating it at from (a branch, tag or
// SHA) when it does not exist yet.
func (b *Builder) Checkout(branch, from string) error {
	if h, ok := b.heads[branch]; ok {
		b.branch, b.current = branch, copyFiles(b.trees[h])
		return b.setHEAD(branch)
	}
	h, err := b.Resolve(from)
	if err != nil {
		return err
	}
	if err := b.store.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(branch), h)); err != nil {
		return err
	}
	b.heads[branch], b.branch, b.current = h, branch, copyFiles(b.trees[h])
	return b.setHEAD(branch)
}

// Resolve returns the commit a branch, tag or SHA names.
func (b *Builder) Resolve(rev string) (plumbing.Hash, error) {
	if h, ok := b.heads[rev]; ok {
		return h, nil
	}
	h, err := b.Repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fixture: resolve %s: %w", rev, err)
	}
	return *h, nil
}

// Commit records the changes on the current branch as one commit.
func (b *Builder) Commit(who Person, msg string, changes ...Change) (plumbing.Hash, error) {
	files, err := b.changed(changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return b.write(who, msg, files, b.parents())
}

// CommitAs records a commit whose author differs from its committer, as
// `git cherry-pick` makes them (the original author and date are kept, the
// person picking commits later). The builder's clock is left at committed.
func (b *Builder) CommitAs(author Person, authored time.Time, committer Person, committed time.Time,
	msg string, changes ...Change) (plumbing.Hash, error) {
	files, tree, err := b.changedTree(changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := b.storeCommit(&object.Commit{Author: author.at(authored), Committer: committer.at(committed), Message: msg,
		TreeHash: tree, ParentHashes: b.parents()}, files)
	if err == nil {
		b.clock = committed
	}
	return h, err
}

// CommitWithEncoding records a commit whose message is stored as raw bytes
// (possibly not UTF-8) under an "encoding" header naming their charset, as
// git commit does with i18n.commitEncoding set. An empty encoding writes no
// header, so the message is stored undeclared.
func (b *Builder) CommitWithEncoding(who Person, encoding string, msg []byte, changes ...Change) (plumbing.Hash, error) {
	files, tree, err := b.changedTree(changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b.clock = b.clock.Add(time.Hour)
	return b.storeCommit(&object.Commit{Author: who.at(b.clock), Committer: who.at(b.clock), Message: string(msg),
		TreeHash: tree, ParentHashes: b.parents(), Encoding: object.MessageEncoding(encoding)}, files)
}

// changed is the current branch's files with changes applied.
func (b *Builder) changed(changes []Change) (map[string]entry, error) {
	files := copyFiles(b.current)
	for _, c := range changes {
		if err := c(files, b); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// changedTree is changed, with its tree written.
func (b *Builder) changedTree(changes []Change) (map[string]entry, plumbing.Hash, error) {
	files, err := b.changed(changes)
	if err != nil {
		return nil, plumbing.ZeroHash, err
	}
	tree, err := b.writeTree(files)
	return files, tree, err
}

// parents is what a commit on the current branch has: its head, if any.
func (b *Builder) parents() []plumbing.Hash {
	if h, ok := b.heads[b.branch]; ok {
		return []plumbing.Hash{h}
	}
	return nil
}

// Merge records a merge of branch `other` into the current branch. Files changed
// on one side only since the merge base are taken from that side; files changed
// on both sides must be resolved by the given changes, applied last.
func (b *Builder) Merge(who Person, msg, other string, resolution ...Change) (plumbing.Hash, error) {
	ours, theirs := b.heads[b.branch], b.heads[other]
	if theirs.IsZero() {
		return plumbing.ZeroHash, fmt.Errorf("fixture: merge: unknown branch %s", other)
	}
	base, err := b.mergeBase(ours, theirs)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	bf, of, tf := b.trees[base], b.trees[ours], b.trees[theirs]
	files := copyFiles(of)
	var conflicts []string
	for _, p := range unionKeys(bf, of, tf) {
		be, bok := bf[p]
		oe, ook := of[p]
		te, tok := tf[p]
		switch {
		case oe == te && ook == tok:
		case oe == be && ook == bok:
			if tok {
				files[p] = te
			} else {
				delete(files, p)
			}
		case te == be && tok == bok:
		default:
			conflicts = append(conflicts, p)
		}
	}
	for _, c := range resolution {
		if err := c(files, b); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if len(conflicts) > 0 && len(resolution) == 0 {
		return plumbing.ZeroHash, fmt.Errorf("fixture: merge %s: %s changed on both sides; pass a resolution", other, strings.Join(conflicts, ", "))
	}
	return b.write(who, msg, files, []plumbing.Hash{ours, theirs})
}

// Tag creates a lightweight tag on the current branch head.
func (b *Builder) Tag(name string) error {
	return b.store.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), b.heads[b.branch]))
}

// Head is the current branch's last commit.
func (b *Builder) Head() plumbing.Hash { return b.heads[b.branch] }

// Branch is the name of the builder's current branch.
func (b *Builder) Branch() string { return b.branch }

// Finish points HEAD at branch and checks it out, so the directory looks like
// a normal clone.
func (b *Builder) Finish(branch string) error {
	if err := b.setHEAD(branch); err != nil {
		return err
	}
	wt, err := b.Repo.Worktree()
	if err != nil {
		return err
	}
	return wt.Reset(&git.ResetOptions{Commit: b.heads[branch], Mode: git.HardReset})
}

// write records files as a commit by who, an hour after the previous one.
func (b *Builder) write(who Person, msg string, files map[string]entry, parents []plumbing.Hash) (plumbing.Hash, error) {
	tree, err := b.writeTree(files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	b.clock = b.clock.Add(time.Hour)
	return b.storeCommit(&object.Commit{Author: who.at(b.clock), Committer: who.at(b.clock), Message: msg,
		TreeHash: tree, ParentHashes: parents}, files)
}

// storeCommit writes c (its message ended by a newline, as git commit does)
// and moves the current branch to it; files are its tree's, flat.
func (b *Builder) storeCommit(c *object.Commit, files map[string]entry) (plumbing.Hash, error) {
	if !strings.HasSuffix(c.Message, "\n") {
		c.Message += "\n"
	}
	obj := b.store.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := b.store.SetEncodedObject(obj)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := b.store.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(b.branch), h)); err != nil {
		return plumbing.ZeroHash, err
	}
	b.heads[b.branch], b.trees[h], b.current = h, files, copyFiles(files)
	return h, nil
}

func (p Person) at(when time.Time) object.Signature {
	return object.Signature{Name: p.Name, Email: p.Email, When: when}
}

func (b *Builder) setHEAD(branch string) error {
	return b.store.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(branch)))
}

func (b *Builder) blob(content []byte) (plumbing.Hash, error) {
	obj := b.store.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return b.store.SetEncodedObject(obj)
}

// ReadFile returns a file's content at a commit of this builder.
func (b *Builder) ReadFile(commit plumbing.Hash, p string) ([]byte, bool, error) {
	e, ok := b.trees[commit][p]
	if !ok {
		return nil, false, nil
	}
	c, err := b.readBlob(e.hash)
	return c, true, err
}

func (b *Builder) readBlob(h plumbing.Hash) ([]byte, error) {
	blob, err := object.GetBlob(b.store, h)
	if err != nil {
		return nil, err
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(r)
	return buf.Bytes(), err
}

// writeTree writes the nested trees of a flat path -> entry map.
func (b *Builder) writeTree(files map[string]entry) (plumbing.Hash, error) {
	children := map[string]map[string]entry{} // dir -> name -> entry (subtrees filled bottom-up)
	dirs := map[string]bool{"": true}
	for p := range files {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var order []string
	for d := range dirs {
		order = append(order, d)
	}
	// Deepest directories first, so each subtree exists before its parent.
	sort.Slice(order, func(i, j int) bool {
		di, dj := strings.Count(order[i], "/"), strings.Count(order[j], "/")
		if order[i] == "" || order[j] == "" {
			return order[j] == ""
		}
		if di != dj {
			return di > dj
		}
		return order[i] < order[j]
	})
	for p, e := range files {
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		addChild(children, dir, path.Base(p), e)
	}
	var root plumbing.Hash
	for _, d := range order {
		h, err := b.writeOneTree(children[d])
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if d == "" {
			root = h
			continue
		}
		parent := path.Dir(d)
		if parent == "." {
			parent = ""
		}
		addChild(children, parent, path.Base(d), entry{h, filemode.Dir})
	}
	return root, nil
}

func addChild(children map[string]map[string]entry, dir, name string, e entry) {
	if children[dir] == nil {
		children[dir] = map[string]entry{}
	}
	children[dir][name] = e
}

func (b *Builder) writeOneTree(entries map[string]entry) (plumbing.Hash, error) {
	t := &object.Tree{}
	for name, e := range entries {
		t.Entries = append(t.Entries, object.TreeEntry{Name: name, Mode: e.mode, Hash: e.hash})
	}
	// git orders entries by name, comparing a directory as if it ended in '/'.
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(t.Entries, func(i, j int) bool { return key(t.Entries[i]) < key(t.Entries[j]) })
	obj := b.store.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return b.store.SetEncodedObject(obj)
}

func (b *Builder) mergeBase(x, y plumbing.Hash) (plumbing.Hash, error) {
	cx, err := object.GetCommit(b.store, x)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	cy, err := object.GetCommit(b.store, y)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	bases, err := cx.MergeBase(cy)
	if err != nil || len(bases) == 0 {
		return plumbing.ZeroHash, fmt.Errorf("fixture: no merge base between %s and %s", x, y)
	}
	return bases[0].Hash, nil
}

func copyFiles(m map[string]entry) map[string]entry {
	c := make(map[string]entry, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func unionKeys(ms ...map[string]entry) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
