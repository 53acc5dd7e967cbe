package vcs

import (
	"bytes"
	"compress/flate"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// The read path for packed objects. go-git's storage is correct but slow on
// a hot path: every object it decodes is SHA-1 hashed (with collision
// detection) to key its cache, objects over 16 KiB reopen the pack file on
// each read, and a storage cannot be shared between goroutines. Reading a
// range is mostly reading packed blobs and trees, so here packs are mapped
// into memory once, indexes are decoded by go-git's idxfile and searched
// without locks, deltas are applied into buffers of their exact size, and
// decoded objects are kept in an LRU keyed by pack offset (as git's
// delta_base_cache is), shared by every goroutine. Loose objects, and
// anything this path does not handle, go through go-git's storage.

type packFile struct {
	name string
	data []byte // the whole pack, mapped read-only
	idx  *idxfile.MemoryIndex
	id   int
	done func() error // unmaps data
}

type packSet struct {
	packs []*packFile
	cache *shardedLRU
}

var errNotPacked = errors.New("not in a pack")

func newPackSet() *packSet {
	ps := &packSet{cache: &shardedLRU{}}
	for i := range ps.cache {
		ps.cache[i] = newObjectLRU(deltaCacheSize / len(ps.cache))
	}
	return ps
}

// openPacks maps every pack of objects/pack (in the common directory).
// A pack that cannot be read is skipped: go-git's storage still serves it.
func openPacks(common string) *packSet {
	ps := newPackSet()
	idxs, _ := filepath.Glob(filepath.Join(common, "objects", "pack", "pack-*.idx"))
	sort.Strings(idxs)
	for _, ip := range idxs {
		p, err := openPack(ip, strings.TrimSuffix(ip, ".idx")+".pack")
		if err != nil {
			continue
		}
		p.id = len(ps.packs)
		ps.packs = append(ps.packs, p)
	}
	return ps
}

func openPack(idxPath, packPath string) (*packFile, error) {
	f, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	idx := idxfile.NewMemoryIndex()
	err = idxfile.NewDecoder(f).Decode(idx)
	f.Close()
	if err != nil {
		return nil, err
	}
	data, done, err := mapFile(packPath)
	if err != nil {
		return nil, err
	}
	if len(data) < 32 || string(data[:4]) != "PACK" || !bytes.Equal(data[len(data)-20:], idx.PackfileChecksum[:]) {
		done()
		return nil, fmt.Errorf("%s does not match its index", packPath)
	}
	return &packFile{name: packPath, data: data, idx: idx, done: done}, nil
}

func (ps *packSet) close() error {
	var first error
	for _, p := range ps.packs {
		if err := p.done(); err != nil && first == nil {
			first = err
		}
	}
	ps.packs = nil
	return first
}

// offset finds an object in the pack's index (binary search, no locks).
func (p *packFile) offset(h plumbing.Hash) (int64, bool) {
	idx := p.idx
	k := idx.FanoutMapping[h[0]]
	if k < 0 || k >= len(idx.Names) {
		return 0, false
	}
	names := idx.Names[k]
	lo, hi := 0, len(names)/20
	for lo < hi {
		mid := (lo + hi) / 2
		switch c := bytes.Compare(h[:], names[mid*20:mid*20+20]); {
		case c == 0:
			ofs := binary.BigEndian.Uint32(idx.Offset32[k][mid*4:])
			if ofs&0x80000000 == 0 {
				return int64(ofs), true
			}
			i := int(ofs&0x7fffffff) * 8
			if i+8 > len(idx.Offset64) {
				return 0, false
			}
			return int64(binary.BigEndian.Uint64(idx.Offset64[i:])), true
		case c < 0:
			hi = mid
		default:
			lo = mid + 1
		}
	}
	return 0, false
}

// read returns a packed object's type and content. The content is shared
// (cached): callers must not modify it.
func (ps *packSet) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	for _, p := range ps.packs {
		if ofs, ok := p.offset(h); ok {
			return ps.readAt(p, ofs)
		}
	}
	return plumbing.InvalidObject, nil, errNotPacked
}

// size returns a packed object's size without decoding it: from its header,
// or for a delta from the start of the delta (its target size).
func (ps *packSet) size(h plumbing.Hash) (int64, error) {
	for _, p := range ps.packs {
		ofs, ok := p.offset(h)
		if !ok {
			continue
		}
		if e, ok := ps.cache.get(p.id, ofs); ok {
			return int64(len(e.data)), nil
		}
		hd, err := p.header(ofs)
		if err != nil {
			return 0, err
		}
		if hd.typ != plumbing.OFSDeltaObject && hd.typ != plumbing.REFDeltaObject {
			return hd.size, nil
		}
		head, err := p.inflatePrefix(hd.data, min(hd.size, 20))
		if err != nil {
			return 0, err
		}
		_, rest, ok := deltaVarint(head)
		if !ok {
			return 0, errBadDelta
		}
		target, _, ok := deltaVarint(rest)
		if !ok {
			return 0, errBadDelta
		}
		return int64(target), nil
	}
	return 0, errNotPacked
}

type objHeader struct {
	typ     plumbing.ObjectType
	size    int64
	data    int64 // where the zlib stream starts
	baseOfs int64 // OFS_DELTA
	baseRef plumbing.Hash
}

func (p *packFile) header(ofs int64) (objHeader, error) {
	d := p.data
	bad := func() (objHeader, error) {
		return objHeader{}, fmt.Errorf("pack %s is corrupt at offset %d; run git fsck", filepath.Base(p.name), ofs)
	}
	if ofs < 12 || ofs >= int64(len(d))-20 {
		return bad()
	}
	i := ofs
	c := d[i]
	i++
	h := objHeader{typ: plumbing.ObjectType((c >> 4) & 7), size: int64(c & 15)}
	for shift := 4; c&0x80 != 0; shift += 7 {
		if i >= int64(len(d)) || shift > 56 {
			return bad()
		}
		c = d[i]
		i++
		h.size |= int64(c&0x7f) << shift
	}
	switch h.typ {
	case plumbing.OFSDeltaObject:
		if i >= int64(len(d)) {
			return bad()
		}
		c = d[i]
		i++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if i >= int64(len(d)) || rel > 1<<55 {
				return bad()
			}
			c = d[i]
			i++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		h.baseOfs = ofs - rel
		if h.baseOfs < 12 || rel == 0 {
			return bad()
		}
	case plumbing.REFDeltaObject:
		if i+20 > int64(len(d)) {
			return bad()
		}
		copy(h.baseRef[:], d[i:i+20])
		i += 20
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return bad()
	}
	h.data = i
	return h, nil
}

var flatePool sync.Pool

func getFlate(src *bytes.Reader) io.ReadCloser {
	if v := flatePool.Get(); v != nil {
		fr := v.(io.ReadCloser)
		fr.(flate.Resetter).Reset(src, nil)
		return fr
	}
	return flate.NewReader(src)
}

// inflate decompresses exactly size bytes of the zlib stream at ofs.
func (p *packFile) inflate(ofs, size int64) ([]byte, error) {
	if err := p.checkInflate(ofs, size); err != nil {
		return nil, err
	}
	out := make([]byte, size)
	return out, p.inflateInto(ofs, out)
}

func (p *packFile) checkInflate(ofs, size int64) error {
	if ofs+2 > int64(len(p.data)) || size < 0 || size > int64(len(p.data))*1032 {
		return fmt.Errorf("pack %s is corrupt at offset %d; run git fsck", filepath.Base(p.name), ofs)
	}
	return nil
}

// inflateInto decompresses exactly len(out) bytes of the zlib stream at ofs
// into out.
func (p *packFile) inflateInto(ofs int64, out []byte) error {
	// Skip the 2-byte zlib header: the raw deflate stream follows.
	fr := getFlate(bytes.NewReader(p.data[ofs+2:]))
	_, err := io.ReadFull(fr, out)
	flatePool.Put(fr)
	if err != nil {
		return fmt.Errorf("pack %s: inflate object at offset %d: %v; run git fsck", filepath.Base(p.name), ofs, err)
	}
	return nil
}

// scanBlob reads a packed blob for a caller that looks at it once: a whole
// blob is inflated into buf (grown as needed) instead of new memory, and
// not cached; a delta is resolved as read does. tooBig is set, and nothing
// read, when the blob is over maxSize.
func (ps *packSet) scanBlob(h plumbing.Hash, buf []byte, maxSize int64) (content, grown []byte, tooBig bool, err error) {
	for _, p := range ps.packs {
		ofs, ok := p.offset(h)
		if !ok {
			continue
		}
		if e, ok := ps.cache.get(p.id, ofs); ok {
			if e.typ != plumbing.BlobObject {
				return nil, buf, false, fmt.Errorf("object %s is a %s, not a blob", h, e.typ)
			}
			return e.data, buf, int64(len(e.data)) > maxSize, nil
		}
		hd, err := p.header(ofs)
		if err != nil {
			return nil, buf, false, err
		}
		if hd.typ != plumbing.OFSDeltaObject && hd.typ != plumbing.REFDeltaObject {
			switch {
			case hd.typ != plumbing.BlobObject:
				return nil, buf, false, fmt.Errorf("object %s is a %s, not a blob", h, hd.typ)
			case hd.size > maxSize:
				return nil, buf, true, nil
			}
			if err := p.checkInflate(hd.data, hd.size); err != nil {
				return nil, buf, false, err
			}
			buf = slices.Grow(buf[:0], int(hd.size))[:hd.size]
			return buf, buf, false, p.inflateInto(hd.data, buf)
		}
		if n, err := ps.size(h); err != nil || n > maxSize {
			return nil, buf, err == nil, err
		}
		typ, data, err := ps.readAt(p, ofs)
		if err == nil && typ != plumbing.BlobObject {
			err = fmt.Errorf("object %s is a %s, not a blob", h, typ)
		}
		return data, buf, false, err
	}
	return nil, buf, false, errNotPacked
}

// inflatePrefix decompresses the first n bytes of the zlib stream at ofs.
func (p *packFile) inflatePrefix(ofs, n int64) ([]byte, error) {
	if ofs+2 > int64(len(p.data)) {
		return nil, fmt.Errorf("pack %s is corrupt at offset %d; run git fsck", filepath.Base(p.name), ofs)
	}
	fr := getFlate(bytes.NewReader(p.data[ofs+2:]))
	out := make([]byte, n)
	_, err := io.ReadFull(fr, out)
	flatePool.Put(fr)
	if err != nil {
		return nil, fmt.Errorf("pack %s: inflate object at offset %d: %v; run git fsck", filepath.Base(p.name), ofs, err)
	}
	return out, nil
}

type deltaStep struct {
	ofs   int64
	delta []byte
}

// readAt resolves the object at ofs, applying its delta chain from the
// nearest cached or whole base.
func (ps *packSet) readAt(p *packFile, ofs int64) (plumbing.ObjectType, []byte, error) {
	if e, ok := ps.cache.get(p.id, ofs); ok {
		return e.typ, e.data, nil
	}
	var chain []deltaStep
	var typ plumbing.ObjectType
	var data []byte
	cur := ofs
	for depth := 0; ; depth++ {
		if depth > 10000 {
			return plumbing.InvalidObject, nil, fmt.Errorf("pack %s: delta chain too long at offset %d; run git fsck", filepath.Base(p.name), ofs)
		}
		if depth > 0 {
			if e, ok := ps.cache.get(p.id, cur); ok {
				typ, data = e.typ, e.data
				break
			}
		}
		h, err := p.header(cur)
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		if h.typ != plumbing.OFSDeltaObject && h.typ != plumbing.REFDeltaObject {
			if data, err = p.inflate(h.data, h.size); err != nil {
				return plumbing.InvalidObject, nil, err
			}
			typ = h.typ
			if depth > 0 {
				ps.cache.put(p.id, cur, typ, data)
			}
			break
		}
		delta, err := p.inflate(h.data, h.size)
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		chain = append(chain, deltaStep{cur, delta})
		if h.typ == plumbing.OFSDeltaObject {
			cur = h.baseOfs
			continue
		}
		if bo, ok := p.offset(h.baseRef); ok {
			cur = bo
			continue
		}
		// A thin-pack style base in another pack: resolve it there.
		if typ, data, err = ps.read(h.baseRef); err != nil {
			return plumbing.InvalidObject, nil, err
		}
		break
	}
	for i := len(chain) - 1; i >= 0; i-- {
		out, err := patchDelta(data, chain[i].delta)
		if err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("pack %s: bad delta at offset %d: %v; run git fsck", filepath.Base(p.name), chain[i].ofs, err)
		}
		data = out
		ps.cache.put(p.id, chain[i].ofs, typ, data)
	}
	return typ, data, nil
}

var errBadDelta = errors.New("corrupt delta")

// patchDelta applies a git delta (source size, target size, then copy and
// insert instructions) to src, into a buffer of exactly the target size.
// It is go-git's packfile.PatchDelta without the buffer growth.
func patchDelta(src, delta []byte) ([]byte, error) {
	srcSize, delta, ok := deltaVarint(delta)
	if !ok || srcSize != uint64(len(src)) {
		return nil, errBadDelta
	}
	dstSize, delta, ok := deltaVarint(delta)
	if !ok || dstSize > 1<<40 {
		return nil, errBadDelta
	}
	dst := make([]byte, dstSize)
	n := uint64(0)
	for len(delta) > 0 {
		cmd := delta[0]
		delta = delta[1:]
		switch {
		case cmd&0x80 != 0:
			var off, size uint64
			for k := uint(0); k < 4; k++ {
				if cmd&(1<<k) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					off |= uint64(delta[0]) << (8 * k)
					delta = delta[1:]
				}
			}
			for k := uint(0); k < 3; k++ {
				if cmd&(0x10<<k) != 0 {
					if len(delta) == 0 {
						return nil, errBadDelta
					}
					size |= uint64(delta[0]) << (8 * k)
					delta = delta[1:]
				}
			}
			if size == 0 {
				size = 0x10000
			}
			if off+size > uint64(len(src)) || n+size > dstSize {
				return nil, errBadDelta
			}
			copy(dst[n:], src[off:off+size])
			n += size
		case cmd != 0:
			size := uint64(cmd)
			if uint64(len(delta)) < size || n+size > dstSize {
				return nil, errBadDelta
			}
			copy(dst[n:], delta[:size])
			delta = delta[size:]
			n += size
		default:
			return nil, errBadDelta
		}
	}
	if n != dstSize {
		return nil, errBadDelta
	}
	return dst, nil
}

func deltaVarint(b []byte) (uint64, []byte, bool) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if len(b) == 0 {
			return 0, nil, false
		}
		c := b[0]
		b = b[1:]
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, b, true
		}
	}
	return 0, nil, false
}

// deltaCacheSize bounds the decoded objects kept for reuse, as git's
// core.deltaBaseCacheLimit does (git's default is 96 MiB; a range reader
// reuses each file version twice, as new then old side, so more helps).
const deltaCacheSize = 192 << 20

// shardedLRU spreads objects over independent LRUs so that concurrent
// readers rarely wait for each other.
type shardedLRU [16]*objectLRU

func (s *shardedLRU) shard(ofs int64) *objectLRU { return s[(ofs>>4)&15] }

func (s *shardedLRU) get(pack int, ofs int64) (*cacheEntry, bool) {
	return s.shard(ofs).get(pack, ofs)
}

func (s *shardedLRU) put(pack int, ofs int64, typ plumbing.ObjectType, data []byte) {
	s.shard(ofs).put(pack, ofs, typ, data)
}

type cacheKey struct {
	pack int
	ofs  int64
}

type cacheEntry struct {
	key  cacheKey
	typ  plumbing.ObjectType
	data []byte
}

// objectLRU is a size-bounded LRU of decoded objects, safe for concurrent use.
type objectLRU struct {
	mu    sync.Mutex
	max   int
	size  int
	ll    list.List
	items map[cacheKey]*list.Element
}

func newObjectLRU(max int) *objectLRU {
	return &objectLRU{max: max, items: map[cacheKey]*list.Element{}}
}

func (c *objectLRU) get(pack int, ofs int64) (*cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[cacheKey{pack, ofs}]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*cacheEntry), true
}

func (c *objectLRU) put(pack int, ofs int64, typ plumbing.ObjectType, data []byte) {
	if len(data) > c.max/2 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{pack, ofs}
	if e, ok := c.items[k]; ok {
		c.ll.MoveToFront(e)
		return
	}
	c.items[k] = c.ll.PushFront(&cacheEntry{key: k, typ: typ, data: data})
	c.size += len(data) + 64
	for c.size > c.max {
		last := c.ll.Back()
		ent := last.Value.(*cacheEntry)
		c.ll.Remove(last)
		delete(c.items, ent.key)
		c.size -= len(ent.data) + 64
	}
}
