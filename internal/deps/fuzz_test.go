package deps

import (
	"strings"
	"testing"
)

func FuzzScanTokens(f *testing.F) {
	for _, s := range []string{"const REDUCED_BOOK_RATE = 0.5;", "mail.confirmation.subject=Votre r\xe9servation", "a.b.", "x.\xff", "_", "isStudent() {"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		scanTokens(text, func(tok string, _ bool) {
			if len(tok) < 4 || !strings.Contains(text, tok) {
				t.Errorf("%q: token %q", text, tok)
			}
		})
		filter := newWordFilter(map[string]bool{"ABCD": true})
		filter.scan([]byte(text), func([]byte) {})
	})
}
