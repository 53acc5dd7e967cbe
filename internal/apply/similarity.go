package apply

// Content similarity for inexact rename detection, as git's diffcore-delta.c
// computes it: content is cut into chunks ending at '\n' or after 64 bytes,
// chunks are hashed, and the bytes of chunks present on both sides are
// counted. A trailing chunk that ends neither way is not counted, as in git.

const (
	spanHashBase = 107927 // HASHBASE
	maxScore     = 60000  // MAX_SCORE
	defaultScore = 30000  // DEFAULT_RENAME_SCORE (50%)
)

// spanCounts maps chunk hash to the number of bytes in chunks with that hash.
type spanCounts map[uint32]uint32

func hashChunks(buf []byte) spanCounts {
	isText := !isBinary(buf)
	out := spanCounts{}
	var accum1, accum2 uint32
	n := uint32(0)
	for i := 0; i < len(buf); i++ {
		c := uint32(buf[i])
		old1 := accum1
		if isText && c == '\r' && i+1 < len(buf) && buf[i+1] == '\n' {
			continue
		}
		accum1 = (accum1 << 7) ^ (accum2 >> 25)
		accum2 = (accum2 << 7) ^ (old1 >> 25)
		accum1 += c
		n++
		if n < 64 && c != '\n' {
			continue
		}
		out[(accum1+accum2*0x61)%spanHashBase] += n
		n, accum1, accum2 = 0, 0, 0
	}
	return out
}

// copiedBytes is diffcore_count_changes' src_copied.
func copiedBytes(src, dst spanCounts) uint64 {
	var sc uint64
	for h, s := range src {
		if d := dst[h]; s < d {
			sc += uint64(s)
		} else {
			sc += uint64(d)
		}
	}
	return sc
}

// isBinary is git's buffer_is_binary: a NUL in the first 8000 bytes.
func isBinary(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	return false
}
