package repos

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// packWriter writes objects straight into one packfile, as `git gc` would
// leave a repository: zlib-compressed objects, new versions of a file or a
// directory stored as OFS_DELTA against the previous one (chains at most
// maxDeltaDepth long, git's default), and a version 2 .idx beside it.
// Loose objects would make reading unrealistically slow and writing them
// (hundreds of thousands of files) would dominate the generator's time.
type packWriter struct {
	body    *os.File // the pack without its 12-byte header, written first
	w       *bufio.Writer
	offset  int64 // offset of the next object in the final pack
	objects map[plumbing.Hash]*packedObject
	order   []*packedObject
	zbuf    bytes.Buffer
	zw      *zlib.Writer
	hdr     []byte
}

type packedObject struct {
	hash   plumbing.Hash
	offset int64
	crc    uint32
	depth  int // delta chain length; 0 for a whole object
}

const maxDeltaDepth = 50

func newPackWriter(tmpDir string) (*packWriter, error) {
	f, err := os.CreateTemp(tmpDir, "pack-body-")
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	zw, _ := zlib.NewWriterLevel(nil, zlib.DefaultCompression)
	return &packWriter{body: f, w: bufio.NewWriterSize(f, 1<<20), offset: 12,
		objects: map[plumbing.Hash]*packedObject{}, zw: zw}, nil
}

// objectHash is git's object name: SHA-1 of "<type> <size>\0<content>".
func objectHash(t plumbing.ObjectType, content []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte(t.String()))
	h.Write([]byte{' '})
	h.Write([]byte(strconv.Itoa(len(content))))
	h.Write([]byte{0})
	h.Write(content)
	var out plumbing.Hash
	copy(out[:], h.Sum(nil))
	return out
}

// put stores an object unless the pack has it already. When base names an
// object of the pack and delta (the instructions turning base into content)
// is worth it, the object is stored as a delta.
func (p *packWriter) put(t plumbing.ObjectType, content []byte, base plumbing.Hash, delta func() []byte) (plumbing.Hash, error) {
	h := objectHash(t, content)
	if _, ok := p.objects[h]; ok {
		return h, nil
	}
	if b, ok := p.objects[base]; ok && delta != nil && b.depth < maxDeltaDepth {
		if d := delta(); len(d) < len(content)/2 {
			return h, p.write(h, 6, d, b)
		}
	}
	return h, p.write(h, typeCode(t), content, nil)
}

func typeCode(t plumbing.ObjectType) byte {
	switch t {
	case plumbing.CommitObject:
		return 1
	case plumbing.TreeObject:
		return 2
	case plumbing.BlobObject:
		return 3
	}
	return 4
}

func (p *packWriter) write(h plumbing.Hash, code byte, data []byte, base *packedObject) error {
	hdr := p.hdr[:0]
	size := len(data)
	c := code<<4 | byte(size&15)
	size >>= 4
	for size > 0 {
		hdr = append(hdr, c|0x80)
		c = byte(size & 0x7f)
		size >>= 7
	}
	hdr = append(hdr, c)
	obj := &packedObject{hash: h, offset: p.offset}
	if base != nil {
		hdr = appendOfsDeltaOffset(hdr, p.offset-base.offset)
		obj.depth = base.depth + 1
	}
	p.hdr = hdr
	p.zbuf.Reset()
	p.zw.Reset(&p.zbuf)
	if _, err := p.zw.Write(data); err != nil {
		return err
	}
	if err := p.zw.Close(); err != nil {
		return err
	}
	crc := crc32.NewIEEE()
	crc.Write(hdr)
	crc.Write(p.zbuf.Bytes())
	obj.crc = crc.Sum32()
	if _, err := p.w.Write(hdr); err != nil {
		return fmt.Errorf("generate: write pack: %w", err)
	}
	if _, err := p.w.Write(p.zbuf.Bytes()); err != nil {
		return fmt.Errorf("generate: write pack: %w", err)
	}
	p.offset += int64(len(hdr) + p.zbuf.Len())
	p.objects[h] = obj
	p.order = append(p.order, obj)
	return nil
}

// appendOfsDeltaOffset encodes the distance back to the base object as git's
// OFS_DELTA does (big-endian groups of 7 bits, each but the last minus one).
func appendOfsDeltaOffset(dst []byte, ofs int64) []byte {
	var buf [10]byte
	i := len(buf) - 1
	buf[i] = byte(ofs & 0x7f)
	for ofs >>= 7; ofs > 0; ofs >>= 7 {
		ofs--
		i--
		buf[i] = 0x80 | byte(ofs&0x7f)
	}
	return append(dst, buf[i:]...)
}

// finish writes objects/pack/pack-<sum>.pack and .idx under gitDir.
func (p *packWriter) finish(gitDir string) error {
	defer os.Remove(p.body.Name())
	defer p.body.Close()
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("generate: write pack: %w", err)
	}
	if _, err := p.body.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dir := filepath.Join(gitDir, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "tmp-pack-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	sum := sha1.New()
	out := io.MultiWriter(tmp, sum)
	header := []byte{'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(header[8:], uint32(len(p.order)))
	out.Write(header)
	if _, err := io.Copy(out, p.body); err != nil {
		tmp.Close()
		return fmt.Errorf("generate: write pack: %w", err)
	}
	packSum := sum.Sum(nil)
	if _, err := tmp.Write(packSum); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	name := filepath.Join(dir, "pack-"+hex.EncodeToString(packSum))
	if err := os.WriteFile(name+".idx", p.index(packSum), 0o444); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name+".pack")
}

// index is the pack's version 2 .idx: fan-out, sorted names, CRC-32s, offsets.
func (p *packWriter) index(packSum []byte) []byte {
	objs := slices.Clone(p.order)
	slices.SortFunc(objs, func(a, b *packedObject) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	var idx bytes.Buffer
	idx.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	var fanout [256]uint32
	for _, o := range objs {
		fanout[o.hash[0]]++
	}
	var total uint32
	for i := range fanout {
		total += fanout[i]
		idx.Write(binary.BigEndian.AppendUint32(nil, total))
	}
	for _, o := range objs {
		idx.Write(o.hash[:])
	}
	for _, o := range objs {
		idx.Write(binary.BigEndian.AppendUint32(nil, o.crc))
	}
	var large []uint64
	for _, o := range objs {
		if o.offset < 1<<31 {
			idx.Write(binary.BigEndian.AppendUint32(nil, uint32(o.offset)))
			continue
		}
		idx.Write(binary.BigEndian.AppendUint32(nil, 1<<31|uint32(len(large))))
		large = append(large, uint64(o.offset))
	}
	for _, off := range large {
		idx.Write(binary.BigEndian.AppendUint64(nil, off))
	}
	idx.Write(packSum)
	var h hash.Hash = sha1.New()
	h.Write(idx.Bytes())
	idx.Write(h.Sum(nil))
	return idx.Bytes()
}

// deltaBuilder writes git delta instructions (see git's patch-delta.c).
type deltaBuilder struct{ buf []byte }

func newDelta(srcSize, dstSize int) *deltaBuilder {
	d := &deltaBuilder{}
	d.buf = appendDeltaSize(d.buf, srcSize)
	d.buf = appendDeltaSize(d.buf, dstSize)
	return d
}

func appendDeltaSize(dst []byte, n int) []byte {
	for n >= 0x80 {
		dst = append(dst, byte(n)|0x80)
		n >>= 7
	}
	return append(dst, byte(n))
}

// copyFrom copies n bytes of the base starting at off, in 64 KiB pieces as git does.
func (d *deltaBuilder) copyFrom(off, n int) {
	for n > 0 {
		size := min(n, 0x10000)
		op := byte(0x80)
		var args []byte
		for i := 0; i < 4; i++ {
			if b := byte(off >> (8 * i)); b != 0 {
				op |= 1 << i
				args = append(args, b)
			}
		}
		if size != 0x10000 { // a size of zero means 0x10000
			for i := 0; i < 3; i++ {
				if b := byte(size >> (8 * i)); b != 0 {
					op |= 0x10 << i
					args = append(args, b)
				}
			}
		}
		d.buf = append(append(d.buf, op), args...)
		off += size
		n -= size
	}
}

// insert adds literal bytes, at most 127 per instruction.
func (d *deltaBuilder) insert(data []byte) {
	for len(data) > 0 {
		n := min(len(data), 0x7f)
		d.buf = append(append(d.buf, byte(n)), data[:n]...)
		data = data[n:]
	}
}

// prefixSuffixDelta turns src into dst by copying their common prefix and
// suffix: ideal for trees, where one entry changes at a time.
func prefixSuffixDelta(src, dst []byte) []byte {
	p := 0
	for p < len(src) && p < len(dst) && src[p] == dst[p] {
		p++
	}
	s := 0
	for s < len(src)-p && s < len(dst)-p && src[len(src)-1-s] == dst[len(dst)-1-s] {
		s++
	}
	d := newDelta(len(src), len(dst))
	d.copyFrom(0, p)
	d.insert(dst[p : len(dst)-s])
	d.copyFrom(len(src)-s, s)
	return d.buf
}
