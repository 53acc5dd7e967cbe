package vcs

import (
	"slices"
	"testing"
)

func TestCherryPickedFrom(t *testing.T) {
	msg := "PAY-107: round half-up\n\n(cherry picked from commit F89FCF895F2F2BF433D7F994B7A7B91BE3AA76EC)\n" +
		"(cherry picked from commit ae1cbf6)\n(cherry picked from commit xyz)\n(cherry picked from commit ab12)\n"
	got := CherryPickedFrom(msg)
	want := []string{"f89fcf895f2f2bf433d7f994b7a7b91be3aa76ec", "ae1cbf6"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q (not hex, or shorter than 7 digits, is no commit)", got, want)
	}
	if got := CherryPickedFrom("no such line"); got != nil {
		t.Fatalf("got %q for a message without -x line", got)
	}
}
