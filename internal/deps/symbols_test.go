package deps

import (
	"context"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// sizedSource is a fakeSource that tells blob sizes without reading them,
// and counts the blobs it reads.
type sizedSource struct {
	*fakeSource
	read map[plumbing.Hash]int
}

func (s *sizedSource) BlobSize(h plumbing.Hash) (int64, error) {
	return int64(len(s.blobs[h])), nil
}

func (s *sizedSource) ReadBlob(h plumbing.Hash) ([]byte, error) {
	s.read[h]++
	return s.fakeSource.ReadBlob(h)
}

// TestSymbolBaseSizeLimit: a base file over MaxIndexedFile is not searched
// (the identifier it holds counts as new), and is not even read when the
// source can tell its size.
func TestSymbolBaseSizeLimit(t *testing.T) {
	big := strings.Repeat("// padding\n", 20) + "const REDUCED_BOOK_RATE = 0.4\n"
	h := newHistory(t, map[string]string{"rates.go": "func price() {}\n", "legacy/big.go": big})
	h.commit("A", "", "", mod("rates.go", hk(1, 0, 2, 1, "const REDUCED_BOOK_RATE = 0.5")))
	h.commit("B", "A", "", add("cart.go", "total := price() * REDUCED_BOOK_RATE"))

	// Searched: the name exists at BASE, A did not introduce it.
	h.expect(h.build(Options{CacheDir: "off"}), ``, Symbol)

	limited := Options{CacheDir: "off", MaxIndexedFile: int64(len(big) - 1)}
	h.expect(h.build(limited), `B->A symbol cart.go:1 [REDUCED_BOOK_RATE]`, Symbol)

	sized := &sizedSource{fakeSource: h.src, read: map[plumbing.Hash]int{}}
	rng := &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	g, err := Build(context.Background(), sized, rng, limited)
	if err != nil {
		t.Fatal(err)
	}
	h.expect(g, `B->A symbol cart.go:1 [REDUCED_BOOK_RATE]`, Symbol)
	if n := sized.read[hashOf("blob:"+big)]; n != 0 {
		t.Errorf("the file over the limit was read %d times", n)
	}
}
