package deps

import (
	"context"
	"maps"
	"math/rand/v2"
	"slices"
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

// TestSymbolBaseMissingBlob: a base file that cannot be read (a partial
// clone, a broken repository) stops the build with an error naming the
// file and the way around it, not a bare object id.
func TestSymbolBaseMissingBlob(t *testing.T) {
	h := newHistory(t, map[string]string{"rates.go": "func price() {}\n", "legacy/old.go": "var x = 1\n"})
	h.commit("A", "", "", mod("rates.go", hk(1, 0, 2, 1, "const REDUCED_BOOK_RATE = 0.5")))
	h.commit("B", "A", "", add("cart.go", "total := price() * REDUCED_BOOK_RATE"))
	delete(h.src.blobs, hashOf("blob:var x = 1\n"))
	rng := &vcs.Range{Base: h.base.Hash, Head: h.commits[len(h.commits)-1].Hash, Commits: h.commits}
	_, err := Build(context.Background(), h.src, rng, Options{CacheDir: "off"})
	if err == nil || !strings.Contains(err.Error(), "searching the tree at BASE for new identifiers: legacy/old.go: ") ||
		!strings.Contains(err.Error(), "--no-symbols") {
		t.Errorf("missing base blob: %v", err)
	}
	if _, err := Build(context.Background(), h.src, rng, Options{NoSymbols: true}); err != nil {
		t.Errorf("without symbol edges the base tree is not read: %v", err)
	}
}

// TestSymbolBaseProse: a name the base tree's documentation mentions is not
// yet in the code; the commit that defines it in code introduces it, as
// for added lines, where prose does not count either.
func TestSymbolBaseProse(t *testing.T) {
	h := newHistory(t, map[string]string{"rates.go": "func price() {}\n",
		"docs/RATES.md": "Set REDUCED_BOOK_RATE to lower the price.\n", "NOTES.txt": "isStudent() will come.\n"})
	h.commit("A", "", "", mod("rates.go", hk(1, 0, 2, 2, "const REDUCED_BOOK_RATE = 0.5", "func isStudent() bool { return true }")))
	h.commit("B", "A", "", add("cart.go", "if isStudent() { total := price() * REDUCED_BOOK_RATE }"))
	h.expect(h.build(Options{CacheDir: "off"}), `B->A symbol cart.go:1 [REDUCED_BOOK_RATE, isStudent]`, Symbol)
}

// referenceScan is wordFilter.scan as first written, byte by byte, without
// the filter: the words, dotted segments and dotted prefixes of content.
func referenceScan(content []byte, emit func([]byte)) {
	n := len(content)
	for i := 0; i < n; {
		if !isWordByte(content[i]) {
			i++
			continue
		}
		start := i
		ascii := true
		for i < n && isWordByte(content[i]) {
			ascii = ascii && content[i] < 0x80
			i++
		}
		if !ascii || !isIdentStart(content[start]) {
			continue
		}
		emit(content[start:i])
		for i+1 < n && content[i] == '.' && isIdentStart(content[i+1]) {
			seg := i + 1
			j := seg
			for j < n && isIdentByte(content[j]) {
				j++
			}
			if j < n && content[j] >= 0x80 {
				break
			}
			emit(content[seg:j])
			emit(content[start:j])
			i = j
		}
	}
}

// TestWordFilterScan: the filter passes every word of the reference cut
// that is a candidate, on random text made of candidates and separators,
// short and long, whether or not some candidate is a dotted key (which
// decides which words scan may skip unvisited) and whatever the shortest
// candidate's length.
func TestWordFilterScan(t *testing.T) {
	sets := []map[string]bool{
		{"REDUCED_BOOK_RATE": true, "isStudent": true, "mail.confirmation.subject": true,
			"confirmation.subject": true, "café_rate": true, "x1234": true, "Pattern": true},
		{"REDUCED_BOOK_RATE": true, "isStudent": true, "subject": true, "x1234": true, "Pattern": true},
		{"REDUCED_BOOK_RATE": true, "confirmation": true},
		{"mail.confirmation.subject": true, "mail.subject": true},
		{"REDUCED_BOOK_RATE_FOR_STUDENTS_WHO_ARE_ENROLLED_IN_A_LONG_PROGRAMME_OF_STUDY": true, "mail.subject": true},
	}
	pieces := []string{"REDUCED_BOOK_RATE", "isStudent", "mail", "confirmation", "subject", "café_rate", "x1234", "Pattern",
		"_FOR_STUDENTS_WHO_ARE_ENROLLED_IN_A_LONG_PROGRAMME_OF_STUDY",
		".", ".", " ", "é", "_", "1", "a", "\n", "(", "\x80", "\xff", "\x7f", "@", "[", "`", "{", "/", ":", "9"}
	r := rand.New(rand.NewPCG(11, 12))
	for _, candidates := range sets {
		f := newWordFilter(candidates)
		for round := range 10000 {
			var b []byte
			length := 30
			if round%4 == 0 {
				length = 300 // words across the scan's 64-byte blocks
			}
			for range r.IntN(length) {
				b = append(b, pieces[r.IntN(len(pieces))]...)
			}
			want := map[string]bool{}
			referenceScan(b, func(w []byte) {
				if candidates[string(w)] {
					want[string(w)] = true
				}
			})
			got := map[string]bool{}
			f.scan(b, func(w []byte) {
				if candidates[string(w)] {
					got[string(w)] = true
				}
			})
			if !maps.Equal(got, want) {
				t.Fatalf("candidates %v, scan of %q: %v, want %v", slices.Sorted(maps.Keys(candidates)), b, got, want)
			}
		}
	}
}

// TestWordBitmap: the eight-bytes-at-once classification agrees with
// isWordByte on every byte value, at every position of a block.
func TestWordBitmap(t *testing.T) {
	content := make([]byte, 0, 256*67)
	for rep := 0; rep < 67; rep++ {
		for c := range 256 {
			content = append(content, byte(c*7+rep))
		}
	}
	words := wordBitmap(content, nil)
	for k, c := range content {
		if got := words[k/64]>>(k%64)&1 == 1; got != isWordByte(c) {
			t.Fatalf("byte %#x at %d: word %v, want %v", c, k, got, isWordByte(c))
		}
	}
}

// referenceScanTokens is scanTokens as first written: each word looked at
// by codeShaped, stopWord and lowerKey in turn.
func referenceScanTokens(text string, emit func(tok string, def bool)) {
	i := 0
	for i < len(text) {
		if !isIdentStart(text[i]) || (i > 0 && isWordByte(text[i-1])) {
			i++
			continue
		}
		start, end, segments := i, i, 0
		keyShaped := true
		for {
			j := end
			for j < len(text) && isIdentByte(text[j]) {
				j++
			}
			if j < len(text) && text[j] >= 0x80 {
				break // part of a non-ASCII word: not an identifier
			}
			w := text[end:j]
			if codeShaped(w) && len(w) >= 4 && !stopWord(w) && !hexLike(w) {
				emit(w, looksDefined(text, end, j))
			}
			keyShaped = keyShaped && lowerKey(w)
			segments++
			end = j
			if end+1 < len(text) && text[end] == '.' && isIdentStart(text[end+1]) {
				end++
				continue
			}
			break
		}
		if segments >= 2 && keyShaped && text[end-1] != '.' && end-start >= minKeyLen {
			emit(text[start:end], looksDefined(text, start, end))
		}
		if end == start {
			end++
		}
		for end < len(text) && isWordByte(text[end]) {
			end++ // skip the rest of a non-ASCII word
		}
		i = end
	}
}

// codeShaped tells an identifier from a word of prose: it has an underscore,
// a digit, or a capital letter after its first character.
func codeShaped(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '_' || c >= '0' && c <= '9' || i > 0 && c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// lowerKey tells whether a segment fits a dotted i18n key: lower case, digits, underscores.
func lowerKey(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// TestScanTokensReference: scanTokens, which reads each byte of a word once
// for its shape, emits what the plain cut emits, on random code-like text.
func TestScanTokensReference(t *testing.T) {
	pieces := []string{"REDUCED_BOOK_RATE", "isStudent", "mail", "confirmation", "subject", "café_rate", "x1234", "Pattern",
		"TRUE", "NULL", "New_", "class", "const", "def", "return", "deadbeef12", "DEADBEEF", "abc", "_x9", "Init", "SELF",
		".", ".", " ", "  ", "\t", "é", "_", "1", "a", "Z", "(", ")", "=", "==", ":", "::", "\"", "'", "\x80", "\xff", "@", "9", ","}
	r := rand.New(rand.NewPCG(21, 22))
	type tok struct {
		s   string
		def bool
	}
	for round := range 30000 {
		var b strings.Builder
		length := 12
		if round%5 == 0 {
			length = 150
		}
		for range r.IntN(length) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		var got, want []tok
		scanTokens(text, func(s string, def bool) { got = append(got, tok{s, def}) })
		referenceScanTokens(text, func(s string, def bool) { want = append(want, tok{s, def}) })
		if !slices.Equal(got, want) {
			t.Fatalf("scanTokens(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestStopWordsAreLetters: scanTokens relies on it to skip the stop-word
// lookup for words with an underscore or a digit.
func TestStopWordsAreLetters(t *testing.T) {
	for w := range stopWords {
		for _, c := range w {
			if c < 'a' || c > 'z' {
				t.Errorf("stop word %q: not only lower-case letters", w)
			}
		}
	}
}
