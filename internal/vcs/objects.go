package vcs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectReader reads objects for one goroutine at a time. go-git's filesystem
// storage keeps per-pack scanners and lazily built maps that are not safe for
// concurrent use, so each concurrent reader has its own storage; they share
// the Repo's object cache (a mutex-guarded LRU), so a delta base decoded by
// one is reused by the others.
type objectReader struct {
	packs *packSet
	newSt func() *filesystem.Storage
	st    *filesystem.Storage // opened on first need (loose objects, odd packs)
}

func (rd *objectReader) storage() *filesystem.Storage {
	if rd.st == nil {
		rd.st = rd.newSt()
	}
	return rd.st
}

func (rd *objectReader) close() error {
	if rd.st == nil {
		return nil
	}
	return rd.st.Close()
}

// reader takes an idle reader, or opens a new one.
func (r *Repo) reader() *objectReader {
	select {
	case rd := <-r.readers:
		return rd
	default:
	}
	rd := &objectReader{packs: r.packs, newSt: r.newStorage}
	r.mu.Lock()
	r.all = append(r.all, rd)
	r.mu.Unlock()
	return rd
}

// release gives a reader back; extra readers beyond the pool size stay open
// (closed by Close) but idle.
func (r *Repo) release(rd *objectReader) {
	select {
	case r.readers <- rd:
	default:
	}
}

// errMissing tells the reader that an object is absent (as opposed to unreadable).
var errMissing = errors.New("object not found")

// read returns an object's content, checking its type. The content may be
// shared with the object cache: callers must not modify it.
func (rd *objectReader) read(h plumbing.Hash, want plumbing.ObjectType) ([]byte, error) {
	typ, data, err := rd.packs.read(h)
	if err == nil {
		if want != plumbing.AnyObject && typ != want {
			return nil, fmt.Errorf("object %s is a %s, not a %s", h, typ, want)
		}
		return data, nil
	}
	if !errors.Is(err, errNotPacked) {
		return nil, err
	}
	obj, err := rd.storage().EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return nil, objectError(want, h, err)
	}
	if want != plumbing.AnyObject && obj.Type() != want {
		return nil, fmt.Errorf("object %s is a %s, not a %s", h, obj.Type(), want)
	}
	rc, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	defer rc.Close()
	buf := make([]byte, obj.Size())
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	return buf, nil
}

// objectError explains why an object could not be read.
func objectError(want plumbing.ObjectType, h plumbing.Hash, err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("%s %s: %w; the repository is incomplete (run git fsck, or fetch again)", want, h, errMissing)
	}
	return fmt.Errorf("read %s %s: %w", want, h, err)
}

// objectType returns an object's type without caring about its content.
func (rd *objectReader) objectType(h plumbing.Hash) (plumbing.ObjectType, error) {
	if typ, _, err := rd.packs.read(h); err == nil {
		return typ, nil
	}
	obj, err := rd.storage().EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return plumbing.InvalidObject, err
	}
	return obj.Type(), nil
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	name string
	mode uint32
	hash plumbing.Hash
}

// Git file modes, by kind (mode & gitKindMask).
const (
	gitKindMask    = 0o170000
	gitKindTree    = 0o040000
	gitKindRegular = 0o100000
	gitKindSymlink = 0o120000
	gitKindGitlink = 0o160000
)

func isTree(mode uint32) bool    { return mode&gitKindMask == gitKindTree }
func isRegular(mode uint32) bool { return mode&gitKindMask == gitKindRegular }

// parseTree decodes a tree object ("MODE NAME\0HASH" entries), in stored
// order. Names share raw's memory (raw is never modified once read).
func parseTree(h plumbing.Hash, raw []byte) ([]treeEntry, error) {
	entries := make([]treeEntry, 0, bytes.Count(raw, []byte{0})) // an upper bound: hashes may hold NULs too
	for len(raw) > 0 {
		var mode uint32
		i := 0
		for ; i < len(raw) && raw[i] != ' '; i++ {
			c := raw[i]
			if c < '0' || c > '7' || i > 7 {
				return nil, fmt.Errorf("tree %s is corrupt (mode %q); run git fsck", h, raw[:min(i+1, len(raw))])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		if i == 0 || i == len(raw) {
			return nil, fmt.Errorf("tree %s is corrupt (entry without mode); run git fsck", h)
		}
		raw = raw[i+1:]
		nul := bytes.IndexByte(raw, 0)
		if nul < 0 || len(raw) < nul+1+20 {
			return nil, fmt.Errorf("tree %s is corrupt (truncated entry); run git fsck", h)
		}
		e := treeEntry{name: unsafe.String(unsafe.SliceData(raw), nul), mode: mode}
		copy(e.hash[:], raw[nul+1:nul+21])
		entries = append(entries, e)
		raw = raw[nul+21:]
	}
	return entries, nil
}

func (rd *objectReader) tree(h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() || h == emptyTree {
		return nil, nil
	}
	raw, err := rd.read(h, plumbing.TreeObject)
	if err != nil {
		return nil, err
	}
	return parseTree(h, raw)
}

// walkTree calls f for every non-tree entry below tree, depth first in git order.
func (rd *objectReader) walkTree(tree plumbing.Hash, prefix string, f func(path string, e treeEntry)) error {
	entries, err := rd.tree(tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := prefix + e.name
		if isTree(e.mode) {
			if err := rd.walkTree(e.hash, p+"/", f); err != nil {
				return err
			}
			continue
		}
		f(p, e)
	}
	return nil
}

// emptyTree is the hash of the tree with no entries.
var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

// blobSize returns an object's size without necessarily reading its content.
func (rd *objectReader) blobSize(h plumbing.Hash) (int64, error) {
	if n, err := rd.packs.size(h); err == nil {
		return n, nil
	}
	n, err := rd.storage().EncodedObjectSize(h)
	if err != nil {
		return 0, objectError(plumbing.BlobObject, h, err)
	}
	return n, nil
}
