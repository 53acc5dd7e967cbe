package repos

import (
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// CommitWithEncoding records a commit whose message is stored as raw bytes
// (possibly not UTF-8) under an "encoding" header naming their charset, as
// git commit does with i18n.commitEncoding set. An empty encoding writes no
// header, so the message is stored undeclared.
func (b *Builder) CommitWithEncoding(who Person, encoding string, msg []byte, changes ...Change) (plumbing.Hash, error) {
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
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		msg = append(msg, '\n')
	}
	b.clock = b.clock.Add(time.Hour)
	sig := object.Signature{Name: who.Name, Email: who.Email, When: b.clock}
	c := &object.Commit{Author: sig, Committer: sig, Message: string(msg), TreeHash: tree,
		ParentHashes: parents, Encoding: object.MessageEncoding(encoding)}
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
