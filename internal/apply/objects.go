package apply

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/triage-dev/triage/internal/vcs"
)

// Git file modes, as stored in trees (after git's canon_mode).
const (
	modeFmt     = 0170000
	modeDir     = 0040000
	modeRegular = 0100644
	modeExec    = 0100755
	modeSymlink = 0120000
	modeGitlink = 0160000
	kindReg     = 0100000
)

func isDir(m uint32) bool     { return m&modeFmt == modeDir }
func isReg(m uint32) bool     { return m&modeFmt == kindReg }
func isLink(m uint32) bool    { return m&modeFmt == modeSymlink }
func isGitlink(m uint32) bool { return m&modeFmt == modeGitlink }

// canonMode is git's canon_mode: trees may hold odd historical modes
// (100664, 040000...), git reads them as the nearest canonical one.
func canonMode(m uint32) uint32 {
	switch {
	case isReg(m):
		if m&0100 != 0 {
			return modeExec
		}
		return modeRegular
	case isLink(m):
		return modeSymlink
	case isDir(m):
		return modeDir
	}
	return modeGitlink
}

// treeEntry is one entry of a tree object.
type treeEntry struct {
	name string
	mode uint32
	hash plumbing.Hash
}

// emptyBlob and emptyTree are git's well-known hashes.
var (
	emptyBlob = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
	emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
)

// objStore reads objects from the repository and keeps the objects apply
// creates in memory until they are flushed, so a failed apply leaves
// nothing behind and unchanged objects are never rewritten.
type objStore struct {
	st      storer.EncodedObjectStorer
	created map[plumbing.Hash]newObject
	order   []plumbing.Hash
	trees   map[plumbing.Hash][]treeEntry
	blobs   map[plumbing.Hash][]byte
	blobMem int
}

type newObject struct {
	typ  plumbing.ObjectType
	data []byte
}

// blobCacheLimit bounds the memory kept for blobs read more than once
// (rename similarity, content merges).
const blobCacheLimit = 64 << 20

func newObjStore(st storer.EncodedObjectStorer) *objStore {
	return &objStore{st: st, created: map[plumbing.Hash]newObject{},
		trees: map[plumbing.Hash][]treeEntry{}, blobs: map[plumbing.Hash][]byte{}}
}

// read returns an object's content, checking its type.
func (s *objStore) read(h plumbing.Hash, want plumbing.ObjectType) ([]byte, error) {
	if o, ok := s.created[h]; ok {
		if o.typ != want {
			return nil, fmt.Errorf("object %s is a %s, not a %s", h, o.typ, want)
		}
		return o.data, nil
	}
	obj, err := s.st.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return nil, fmt.Errorf("read object %s: %w (is the repository complete? try git fsck)", h, err)
	}
	if obj.Type() != want {
		return nil, fmt.Errorf("object %s is a %s, not a %s", h, obj.Type(), want)
	}
	r, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read object %s: %w", h, err)
	}
	defer r.Close()
	buf := make([]byte, 0, obj.Size())
	w := bytes.NewBuffer(buf)
	if _, err := io.Copy(w, r); err != nil {
		return nil, fmt.Errorf("read object %s: %w", h, err)
	}
	return w.Bytes(), nil
}

// blob returns a blob's content.
func (s *objStore) blob(h plumbing.Hash) ([]byte, error) {
	if h == emptyBlob {
		return nil, nil
	}
	if b, ok := s.blobs[h]; ok {
		return b, nil
	}
	b, err := s.read(h, plumbing.BlobObject)
	if err != nil {
		return nil, err
	}
	if s.blobMem+len(b) > blobCacheLimit {
		clear(s.blobs)
		s.blobMem = 0
	}
	s.blobs[h] = b
	s.blobMem += len(b)
	return b, nil
}

// tree returns a tree's entries in stored order, modes canonicalised.
func (s *objStore) tree(h plumbing.Hash) ([]treeEntry, error) {
	if h.IsZero() || h == emptyTree {
		return nil, nil
	}
	if t, ok := s.trees[h]; ok {
		return t, nil
	}
	raw, err := s.read(h, plumbing.TreeObject)
	if err != nil {
		return nil, err
	}
	t, err := parseTree(h, raw)
	if err != nil {
		return nil, err
	}
	if len(s.trees) > 1<<16 {
		clear(s.trees)
	}
	s.trees[h] = t
	return t, nil
}

func parseTree(h plumbing.Hash, raw []byte) ([]treeEntry, error) {
	var out []treeEntry
	for len(raw) > 0 {
		sp := bytes.IndexByte(raw, ' ')
		nul := bytes.IndexByte(raw, 0)
		if sp <= 0 || nul < sp || len(raw) < nul+21 {
			return nil, fmt.Errorf("tree %s is corrupt (run git fsck)", h)
		}
		var mode uint32
		for _, c := range raw[:sp] {
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("tree %s has a bad mode %q (run git fsck)", h, raw[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		var e treeEntry
		e.name = string(raw[sp+1 : nul])
		e.mode = canonMode(mode)
		copy(e.hash[:], raw[nul+1:nul+21])
		out = append(out, e)
		raw = raw[nul+21:]
	}
	return out, nil
}

// put records a new object and returns its hash.
func (s *objStore) put(typ plumbing.ObjectType, data []byte) plumbing.Hash {
	h := plumbing.ComputeHash(typ, data)
	if _, ok := s.created[h]; !ok {
		s.created[h] = newObject{typ, data}
		s.order = append(s.order, h)
	}
	return h
}

// writeTree encodes entries (any order) as a git tree, sorted the way git
// sorts them: a directory compares as its name followed by '/'.
func (s *objStore) writeTree(entries []treeEntry) plumbing.Hash {
	sort.Slice(entries, func(i, j int) bool {
		return vcs.BaseNameCompare(entries[i].name, entries[i].mode, entries[j].name, entries[j].mode) < 0
	})
	var buf bytes.Buffer
	for _, e := range entries {
		fmt.Fprintf(&buf, "%o %s", e.mode, e.name)
		buf.WriteByte(0)
		buf.Write(e.hash[:])
	}
	h := s.put(plumbing.TreeObject, buf.Bytes())
	if _, ok := s.trees[h]; !ok {
		s.trees[h] = append([]treeEntry(nil), entries...)
	}
	return h
}

// flush writes the created objects to the repository, oldest first, so a
// commit is never stored before the trees and blobs it names.
func (s *objStore) flush() error {
	for _, h := range s.order {
		o := s.created[h]
		if _, err := s.st.EncodedObject(o.typ, h); err == nil {
			continue
		}
		obj := s.st.NewEncodedObject()
		obj.SetType(o.typ)
		obj.SetSize(int64(len(o.data)))
		w, err := obj.Writer()
		if err != nil {
			return fmt.Errorf("write object %s: %w", h, err)
		}
		if _, err := w.Write(o.data); err != nil {
			w.Close()
			return fmt.Errorf("write object %s: %w", h, err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("write object %s: %w", h, err)
		}
		got, err := s.st.SetEncodedObject(obj)
		if err != nil {
			return fmt.Errorf("write object %s: %w (is the repository writable?)", h, err)
		}
		if got != h {
			return fmt.Errorf("write object: stored as %s, expected %s", got, h)
		}
	}
	s.order = s.order[:0]
	return nil
}

func shortHash(h plumbing.Hash) string { return hex.EncodeToString(h[:])[:7] }
