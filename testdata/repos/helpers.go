package repos

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

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

// InsertAfter inserts text right after the first occurrence of anchor in path;
// anchor must be present, so a fixture that drifts fails loudly.
func InsertAfter(p, anchor, text string) Change { return Edit(p, anchor, anchor+text) }

// InsertBefore inserts text right before the first occurrence of anchor in path.
func InsertBefore(p, anchor, text string) Change { return Edit(p, anchor, text+anchor) }

// CommitAs records a commit whose author differs from its committer, as
// `git cherry-pick` makes them (the original author and date are kept, the
// person picking commits later). The builder's clock is left at committed.
func (b *Builder) CommitAs(author Person, authored time.Time, committer Person, committed time.Time,
	msg string, changes ...Change) (plumbing.Hash, error) {
	files := copyFiles(b.current)
	for _, c := range changes {
		if err := c(files, b); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	tree, err := b.writeTree(files)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var parents []plumbing.Hash
	if h, ok := b.heads[b.branch]; ok {
		parents = append(parents, h)
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	c := &object.Commit{
		Author:       object.Signature{Name: author.Name, Email: author.Email, When: authored},
		Committer:    object.Signature{Name: committer.Name, Email: committer.Email, When: committed},
		Message:      msg,
		TreeHash:     tree,
		ParentHashes: parents,
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
	b.clock = committed
	b.heads[b.branch], b.trees[h], b.current = h, files, copyFiles(files)
	return h, nil
}

// Branch is the name of the builder's current branch.
func (b *Builder) Branch() string { return b.branch }

// InsertBeforeLast inserts text right before the last occurrence of anchor in
// path, e.g. before the closing brace of a class.
func InsertBeforeLast(p, anchor, text string) Change {
	return func(files map[string]entry, b *Builder) error {
		e, ok := files[p]
		if !ok {
			return fmt.Errorf("fixture: edit %s: no such file", p)
		}
		content, err := b.readBlob(e.hash)
		if err != nil {
			return err
		}
		i := strings.LastIndex(string(content), anchor)
		if i < 0 {
			return fmt.Errorf("fixture: edit %s: %q not found", p, anchor)
		}
		h, err := b.blob([]byte(string(content[:i]) + text + string(content[i:])))
		files[p] = entry{h, e.mode}
		return err
	}
}
