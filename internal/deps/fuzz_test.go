package deps

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func FuzzScanTokens(f *testing.F) {
	for _, s := range []string{"const REDUCED_BOOK_RATE = 0.5;", "mail.confirmation.subject=Votre r\xe9servation", "a.b.", "x.\xff", "_", "isStudent() {",
		strings.Repeat("abcd_", 13) + ".efgh.ijkl \xc3\xa9t\xc3\xa9.mnop " + strings.Repeat("x", 70) + ".qrst"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var cut, refCut []string
		scanTokens(text, func(tok string, def bool) {
			if len(tok) < 4 || !strings.Contains(text, tok) {
				t.Errorf("%q: token %q", text, tok)
			}
			cut = append(cut, fmt.Sprint(tok, def))
		})
		referenceScanTokens(text, func(tok string, def bool) { refCut = append(refCut, fmt.Sprint(tok, def)) })
		if !slices.Equal(cut, refCut) {
			t.Errorf("%q: scanTokens %q, the plain cut %q", text, cut, refCut)
		}
		// The filtered scan finds every word of the reference cut that is wanted.
		want := map[string]bool{}
		referenceScan([]byte(text), func(w []byte) {
			if len(w) >= 4 {
				want[string(w)] = true
			}
		})
		filter := newWordFilter(want)
		got := map[string]bool{}
		filter.scan([]byte(text), func(w []byte) {
			if want[string(w)] {
				got[string(w)] = true
			}
		})
		if !maps.Equal(got, want) {
			t.Errorf("%q: scan found %v, want %v", text, got, want)
		}
		// With only long, dot-free candidates, scan skips the short words
		// unvisited and still finds every one.
		long := map[string]bool{}
		for w := range want {
			if len(w) >= 7 && !strings.Contains(w, ".") {
				long[w] = true
			}
		}
		got = map[string]bool{}
		newWordFilter(long).scan([]byte(text), func(w []byte) {
			if long[string(w)] {
				got[string(w)] = true
			}
		})
		if !maps.Equal(got, long) {
			t.Errorf("%q: scan for the long words found %v, want %v", text, got, long)
		}
	})
}
