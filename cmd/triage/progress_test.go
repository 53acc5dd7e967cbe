package main

import (
	"bytes"
	"testing"
)

func TestProgressOnlyOnATerminal(t *testing.T) {
	if p := newProgress(&bytes.Buffer{}, false, "reading"); p != nil {
		t.Fatal("a buffer is not a terminal: no bar expected")
	}
	var nilBar *progressBar
	nilBar.Update(1, 1000) // a nil bar is the "off" state and must be safe to use
	nilBar.Done()
}

func TestProgressDrawsAndErases(t *testing.T) {
	var buf bytes.Buffer
	p := &progressBar{w: &buf, label: "reading"}
	p.Update(10, 100) // small ranges never show a bar
	if buf.Len() != 0 {
		t.Fatalf("bar drawn for a 100-commit range: %q", buf.String())
	}
	p.Update(340, 732)
	p.Update(341, 732) // within 100 ms of the last draw: skipped
	p.Update(732, 732) // the last one is always drawn
	p.Done()
	want := "\rreading 340/732 commits (46%)\rreading 732/732 commits (100%)\r\033[K"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}
