package xdiff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestDiffEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []Hunk
	}{
		{"both empty", "", "", nil},
		{"equal", "a\nb\n", "a\nb\n", nil},
		{"from empty", "", "a\nb\n", []Hunk{{0, 0, 1, 2}}},
		{"to empty", "a\nb\n", "", []Hunk{{1, 2, 0, 0}}},
		{"missing final newline added", "a\nb", "a\nb\n", []Hunk{{2, 1, 2, 1}}},
		{"missing final newline removed", "a\nb\n", "a\nb", []Hunk{{2, 1, 2, 1}}},
		{"append after line without newline", "a", "a\nb", []Hunk{{1, 1, 1, 2}}},
		{"crlf differs from lf", "a\r\nb\r\n", "a\r\nb\n", []Hunk{{2, 1, 2, 1}}},
		{"insert in middle", "a\nc\n", "a\nb\nc\n", []Hunk{{1, 0, 2, 1}}},
		{"delete in middle", "a\nb\nc\n", "a\nc\n", []Hunk{{2, 1, 1, 0}}},
		{"insert at top", "b\n", "a\nb\n", []Hunk{{0, 0, 1, 1}}},
		{"two hunks", "a\nb\nc\nd\ne\n", "a\nB\nc\nd\nE\n", []Hunk{{2, 1, 2, 1}, {5, 1, 5, 1}}},
		{
			"inserted function",
			"func a() {\n}\n\nfunc c() {\n}\n",
			"func a() {\n}\n\nfunc b() {\n}\n\nfunc c() {\n}\n",
			[]Hunk{{3, 0, 4, 3}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff([]byte(tt.a), []byte(tt.b), DefaultOptions())
			if !equalHunks(got, tt.want) {
				t.Errorf("Diff(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			checkReconstructs(t, []byte(tt.a), []byte(tt.b), got)
		})
	}
}

func TestDiffIndentHeuristicOption(t *testing.T) {
	// Values checked with git 2.39: git diff --no-index -U0 [--no-indent-heuristic].
	a := []byte("1\n2\na\n\nb\n3\n4\n")
	b := []byte("1\n2\na\n\nb\na\n\nb\n3\n4\n")
	if got, want := Diff(a, b, Options{}), []Hunk{{5, 0, 6, 3}}; !equalHunks(got, want) {
		t.Errorf("without heuristic: got %v, want %v", got, want)
	}
	if got, want := Diff(a, b, DefaultOptions()), []Hunk{{4, 0, 5, 3}}; !equalHunks(got, want) {
		t.Errorf("with heuristic: got %v, want %v", got, want)
	}
}

func TestTrimCommonTail(t *testing.T) {
	tail := strings.Repeat("common line\n", 300) // 3600 bytes
	a := []byte("head a\n" + tail)
	b := []byte("head b\nmore\n" + tail)
	ta, tb := trimCommonTail(a, b)
	if !bytes.HasSuffix(ta, []byte("\n")) || !bytes.HasSuffix(tb, []byte("\n")) {
		t.Fatalf("cut not on a line end: %q / %q", ta[len(ta)-5:], tb[len(tb)-5:])
	}
	if len(a)-len(ta) != len(b)-len(tb) || len(a)-len(ta) < 2048 || len(a)-len(ta) > 3072 {
		t.Fatalf("trimmed %d and %d bytes", len(a)-len(ta), len(b)-len(tb))
	}
	if !bytes.HasPrefix(a, ta) || !bytes.HasPrefix(b, tb) {
		t.Fatal("trimmed files are not prefixes")
	}
	got := Diff(a, b, DefaultOptions())
	want := []Hunk{{1, 1, 1, 2}}
	if !equalHunks(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestIsBinary(t *testing.T) {
	if IsBinary([]byte("plain text\n")) || IsBinary(nil) {
		t.Error("text reported binary")
	}
	if !IsBinary([]byte("a\x00b")) {
		t.Error("NUL not reported binary")
	}
	late := append(bytes.Repeat([]byte("x"), 8000), 0)
	if IsBinary(late) {
		t.Error("NUL after 8000 bytes must not count, as in git")
	}
	if !IsBinary(late[1:]) {
		t.Error("NUL at byte 8000 (index 7999) must count")
	}
}

func TestSplitLines(t *testing.T) {
	got := SplitLines([]byte("a\nb\r\n\nc"))
	want := []string{"a\n", "b\r\n", "\n", "c"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if SplitLines(nil) != nil {
		t.Error("no lines expected for empty input")
	}
}

// checkReconstructs checks the invariants of a hunk list: ordered,
// within bounds, numbered as git does, and a patched with the new lines
// of b gives b back.
func checkReconstructs(t testing.TB, a, b []byte, hunks []Hunk) {
	t.Helper()
	la, lb := SplitLines(a), SplitLines(b)
	var out []string
	next := 0 // next line of a (0-based) to copy
	prevEndB := 0
	for i, h := range hunks {
		if h.OldLines < 0 || h.NewLines < 0 || (h.OldLines == 0 && h.NewLines == 0) {
			t.Fatalf("hunk %d %v: bad counts", i, h)
		}
		start := h.OldStart - 1 // 0-based first changed line of a
		if h.OldLines == 0 {
			start = h.OldStart
		}
		startB := h.NewStart - 1
		if h.NewLines == 0 {
			startB = h.NewStart
		}
		if start < next || start+h.OldLines > len(la) || startB < prevEndB || startB+h.NewLines > len(lb) {
			t.Fatalf("hunk %d %v out of order or bounds (a has %d lines, b %d)", i, h, len(la), len(lb))
		}
		if i > 0 && start == next {
			t.Fatalf("hunk %d %v touches the previous hunk; git would have merged them", i, h)
		}
		out = append(out, la[next:start]...)
		out = append(out, lb[startB:startB+h.NewLines]...)
		next = start + h.OldLines
		prevEndB = startB + h.NewLines
	}
	out = append(out, la[next:]...)
	if got := strings.Join(out, ""); got != string(b) {
		t.Fatalf("patching a with the hunks gives\n%q\nwant\n%q\nhunks %v", got, b, hunks)
	}
}

func TestDiffReconstructsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 2000 {
		p := randomPair(r, 60, 10)
		checkReconstructs(t, p.a, p.b, Diff(p.a, p.b, DefaultOptions()))
	}
}

func FuzzDiff(f *testing.F) {
	f.Add([]byte(""), []byte(""), true)
	f.Add([]byte("a\nb\nc\n"), []byte("a\nc\n"), true)
	f.Add([]byte("a\nb"), []byte("a\nb\n"), false)
	f.Add([]byte("{\n}\n\n{\n}\n"), []byte("{\n}\n\n{\n}\n\n{\n}\n"), true)
	f.Add([]byte("x\r\ny\r\n"), []byte("x\ny\r\n\r\n"), true)
	f.Add([]byte("\x00\n\n\n"), []byte("\n\x00\n"), true)
	f.Fuzz(func(t *testing.T, a, b []byte, indent bool) {
		hunks := Diff(a, b, Options{IndentHeuristic: indent})
		checkReconstructs(t, a, b, hunks)
		if bytes.Equal(a, b) != (len(hunks) == 0) {
			t.Fatalf("equal inputs must give no hunks and only they: %v", hunks)
		}
		// Reversing the diff swaps the sides of the same line counts.
		added, deleted := 0, 0
		for _, h := range hunks {
			added += h.NewLines
			deleted += h.OldLines
		}
		if added < 0 || deleted < 0 {
			t.Fatal("negative counts")
		}
		// DiffNumstat keeps Diff's hunks and counts as the untrimmed diff.
		opts := Options{IndentHeuristic: indent}
		nh, na, nd := DiffNumstat(a, b, opts)
		opts.KeepCommonTail = true
		if wa, wd := countHunks(Diff(a, b, opts)); na != wa || nd != wd || !equalHunks(nh, hunks) {
			t.Fatalf("DiffNumstat: +%d -%d %v, want +%d -%d %v", na, nd, nh, wa, wd, hunks)
		}
	})
}

func TestCommonHead(t *testing.T) {
	long := strings.Repeat("same line\n", 300)
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a\nb\n", "a\nc\n", 2},
		{"ab", "ab", 0},       // no whole line
		{"a\nb", "a\nb", 2},   // the last line has no '\n'
		{"a\nb\n", "a\nb", 2}, // "b\n" and "b" differ
		{"a\n", "a\nb\n", 2},
		{long + "x\n", long + "y\n", len(long)},
		{long, long + "more\n", len(long)},
	} {
		if got := commonHead([]byte(c.a), []byte(c.b)); got != c.want {
			t.Errorf("commonHead(%.20q, %.20q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	// Sharing the head's classes changes nothing: the same lines get
	// the same classes and counts as when each file is read alone.
	a, b := []byte(long+"x\n}\n"+long), []byte(long+"}\ny\n"+long)
	e := getEnv()
	defer putEnv(e)
	e.prepare(a, b, Histogram)
	var alone classifier
	alone.reset(2000)
	var x1, x2 xdfile
	x1.prepareHead(a, &alone, 0)
	x2.prepare(b, &alone, 1, &x1, 0)
	if !slices.Equal(e.x1.ha, x1.ha) || !slices.Equal(e.x2.ha, x2.ha) ||
		!slices.Equal(e.cf.count[0], alone.count[0]) || !slices.Equal(e.cf.count[1], alone.count[1]) {
		t.Error("classes or counts differ when the common head is classified once")
	}
}
