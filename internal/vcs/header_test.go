package vcs

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/text/encoding/charmap"
)

// TestParseCommitHeaderKeepsIdentsVerbatim: apply copies the author line of
// a pick byte for byte, so the header parser must hand it over untouched.
func TestParseCommitHeaderKeepsIdentsVerbatim(t *testing.T) {
	raw := []byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"parent 0123456789abcdef0123456789abcdef01234567\n" +
		"author  Odd  <a@b>  1300000000 +0100\n" +
		"author Second <s@b> 1 +0000\n" +
		"committer C <c@d> 1300000001 -0230\n" +
		"encoding ISO-8859-1\n" +
		"gpgsig -----BEGIN\n tree 0000000000000000000000000000000000000000\n -----END\n" +
		"\nsubject\n")
	hdr, msg, err := ParseCommitHeader(plumbing.ZeroHash, raw)
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Tree.String() != "4b825dc642cb6eb9a060e54bf8d69288fbee4904" || len(hdr.Parents) != 1 ||
		string(hdr.Author) != " Odd  <a@b>  1300000000 +0100" || string(hdr.Committer) != "C <c@d> 1300000001 -0230" ||
		hdr.Encoding != "ISO-8859-1" || string(msg) != "subject\n" {
		t.Errorf("got %+v, message %q", hdr, msg)
	}
	if _, _, err := ParseCommitHeader(plumbing.ZeroHash, []byte("parent zz\n\n")); err == nil {
		t.Error("a commit without a tree parses")
	}
}

func TestMessageEncoding(t *testing.T) {
	for name, want := range map[string]bool{"": false, "UTF-8": false, "utf8": false, "ISO-8859-1": true, "iso8859-1": true,
		"cp1251": true, "Shift_JIS": true, "no-such-charset": false} {
		if _, ok := MessageEncoding(name); ok != want {
			t.Errorf("MessageEncoding(%q): %v, want %v", name, ok, want)
		}
	}
	if enc, _ := MessageEncoding("iso8859-1"); enc != charmap.ISO8859_1 {
		t.Errorf("iso8859-1 is %v, want true Latin-1", enc)
	}
}

func TestEndsWithTrailers(t *testing.T) {
	for msg, want := range map[string]bool{
		"Subject\n":                                    false,
		"Subject\n\nBody text.\n":                      false,
		"Subject\n\nSigned-off-by: A <a@b>\n":          true,
		"Subject\n\nBody.\n\nKey: value\nOther: v\n\n": true,
		"Key: value\n":                                 false, // the title is never trailers
		"Subject\n\nKey: value\n# ------------------------ >8 ------------------------\n\nplain text\n": true, // below the scissors is cut
	} {
		if got := EndsWithTrailers(msg); got != want {
			t.Errorf("EndsWithTrailers(%q) = %v, want %v", msg, got, want)
		}
	}
}
