package vcs

import (
	"slices"

	"github.com/triage-dev/triage/internal/xdiff"
)

// Similarity estimate between two blobs, ported from git's diffcore-delta.c
// and estimate_similarity (diffcore-rename.c): content is cut into chunks
// ending at '\n' or after 64 bytes, each chunk is hashed, and the bytes of
// equal chunks are counted on both sides. `git diff -M` (this package) and
// merge-ort's rename detection (package apply) score pairs this same way;
// they differ in which pairs they try and in what order (see rename.go).

// Similarity scores, as git counts them (diffcore.h).
const (
	// MaxSimilarity is a score of 100%: identical content (MAX_SCORE).
	MaxSimilarity = 60000
	// RenameSimilarity is the 50% a pair needs to be a rename when no -M<n>
	// says otherwise (DEFAULT_RENAME_SCORE).
	RenameSimilarity = 30000
	// BasenameSimilarity is the bar for a source and a destination that are
	// the only ones left with their file name: halfway between
	// RenameSimilarity and 100% (git's default basename factor of 50).
	BasenameSimilarity = RenameSimilarity + (MaxSimilarity-RenameSimilarity)/2
)

// hashBase is the prime the chunk hashes are reduced by (HASHBASE).
const hashBase = 107927

// spanCount is the byte count of the chunks with one hash value.
type spanCount struct {
	hash uint32
	cnt  uint32
}

// Fingerprint is what similarity compares of a blob: its chunks' hashes with
// the bytes each accounts for, sorted by hash (git's hash_chars).
type Fingerprint struct{ spans []spanCount }

// FingerprintOf cuts content into chunks and hashes them. As in git, CR of a
// CRLF is ignored in text, and a final chunk that ends neither with '\n' nor
// at 64 bytes is not counted.
func FingerprintOf(content []byte) Fingerprint {
	return Fingerprint{spans: spanHashes(content)}
}

// SimilarityReachable tells whether blobs of these sizes can be minScore
// similar at all: git compares no content when their sizes differ too much.
func SimilarityReachable(srcSize, dstSize int64, minScore int) bool {
	maxSize, baseSize := max(srcSize, dstSize), min(srcSize, dstSize)
	return float64(maxSize)*(MaxSimilarity-float64(minScore)) >= float64(maxSize-baseSize)*MaxSimilarity
}

// Similarity is estimate_similarity's score of dst as a copy of src: the
// bytes of dst copied from src, out of the larger size, scaled to
// MaxSimilarity. An empty dst scores 0.
func Similarity(src, dst Fingerprint, srcSize, dstSize int64) int {
	if dstSize == 0 {
		return 0
	}
	copied, _ := countChanges(src.spans, dst.spans)
	return int(float64(copied) * MaxSimilarity / float64(max(srcSize, dstSize)))
}

// spanHashes returns the chunk counts of content, sorted by hash (hash_chars).
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
