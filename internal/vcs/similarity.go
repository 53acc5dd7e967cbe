package vcs

import (
	"slices"

	"github.com/triage-dev/triage/internal/xdiff"
)

// Similarity estimate between two blobs, ported from git's diffcore-delta.c:
// content is cut into chunks ending at '\n' or after 64 bytes, each chunk is
// hashed, and the bytes of equal chunks are counted on both sides.

// hashBase is the prime the chunk hashes are reduced by (HASHBASE).
const hashBase = 107927

// spanCount is the byte count of the chunks with one hash value.
type spanCount struct {
	hash uint32
	cnt  uint32
}

// spanHashes returns the chunk counts of content, sorted by hash (hash_chars).
// As in git, CR of a CRLF is ignored in text, and a final chunk that ends
// neither with '\n' nor at 64 bytes is not counted.
func spanHashes(buf []byte) []spanCount {
	isText := !xdiff.IsBinary(buf)
	var spans []spanCount
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
		spans = append(spans, spanCount{hash: (accum1 + accum2*0x61) % hashBase, cnt: n})
		n, accum1, accum2 = 0, 0, 0
	}
	slices.SortFunc(spans, func(a, b spanCount) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return 0
	})
	// Merge equal hashes, as git's hash table accumulates them.
	out := spans[:0]
	for _, s := range spans {
		if len(out) > 0 && out[len(out)-1].hash == s.hash {
			out[len(out)-1].cnt += s.cnt
			continue
		}
		out = append(out, s)
	}
	return out
}

// countChanges returns how many bytes of dst were copied from src and how
// many were added (diffcore_count_changes).
func countChanges(src, dst []spanCount) (copied, added uint64) {
	d := 0
	for _, s := range src {
		for d < len(dst) && dst[d].hash < s.hash {
			added += uint64(dst[d].cnt)
			d++
		}
		var dcnt uint32
		if d < len(dst) && dst[d].hash == s.hash {
			dcnt = dst[d].cnt
			d++
		}
		if s.cnt < dcnt {
			added += uint64(dcnt - s.cnt)
			copied += uint64(s.cnt)
		} else {
			copied += uint64(dcnt)
		}
	}
	for ; d < len(dst); d++ {
		added += uint64(dst[d].cnt)
	}
	return copied, added
}
