package xdiff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// realisticSource makes a source-like file: functions with indented
// bodies, blank lines between them, many repeated brace and return lines.
func realisticSource(r *rand.Rand, lines int) []string {
	out := make([]string, 0, lines)
	fn := 0
	for len(out) < lines {
		fn++
		out = append(out, fmt.Sprintf("func handler%d(ctx context.Context, req *Request) (*Response, error) {", fn))
		for range 3 + r.IntN(20) {
			switch r.IntN(6) {
			case 0:
				out = append(out, "\tif err != nil {", "\t\treturn nil, err", "\t}")
			case 1:
				out = append(out, fmt.Sprintf("\tv%d := compute(req.Field%d, %d)", r.IntN(50), r.IntN(20), r.IntN(1000)))
			case 2:
				out = append(out, fmt.Sprintf("\tlog.Printf(\"step %%d: %%v\", %d, v%d)", r.IntN(100), r.IntN(50)))
			case 3:
				out = append(out, "", fmt.Sprintf("\t// handle case %d", r.IntN(300)))
			default:
				out = append(out, fmt.Sprintf("\tresult.Items = append(result.Items, item%d)", r.IntN(500)))
			}
		}
		out = append(out, "\treturn result, nil", "}", "")
	}
	return out[:lines]
}

func editScattered(r *rand.Rand, lines []string, edits int) []string {
	out := append([]string(nil), lines...)
	for range edits {
		pos := r.IntN(len(out))
		switch r.IntN(3) {
		case 0:
			out[pos] = fmt.Sprintf("\tchanged := %d // edited", r.IntN(1e6))
		case 1:
			ins := []string{"\tif extra {", fmt.Sprintf("\t\tcount%d++", r.IntN(100)), "\t}"}
			out = append(out[:pos], append(ins, out[pos:]...)...)
		case 2:
			end := min(pos+1+r.IntN(3), len(out))
			out = append(out[:pos], out[end:]...)
		}
	}
	return out
}

func benchPair(lines, edits int) (a, b []byte) {
	r := rand.New(rand.NewPCG(42, 43))
	la := realisticSource(r, lines)
	lb := editScattered(r, la, edits)
	join := func(ls []string) []byte {
		var buf bytes.Buffer
		for _, l := range ls {
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
		return buf.Bytes()
	}
	return join(la), join(lb)
}

// BenchmarkDiff: a 2,000-line source file with 20 scattered edits.
func BenchmarkDiff(b *testing.B) {
	x, y := benchPair(2000, 20)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y, DefaultOptions())
	}
}

// BenchmarkDiffLarge: a 50,000-line file with 500 scattered edits.
func BenchmarkDiffLarge(b *testing.B) {
	x, y := benchPair(50000, 500)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y, DefaultOptions())
	}
}

// BenchmarkDiffHistogram: BenchmarkDiff with --histogram.
func BenchmarkDiffHistogram(b *testing.B) {
	x, y := benchPair(2000, 20)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y, Options{Algorithm: Histogram, IndentHeuristic: true})
	}
}

// BenchmarkDiffOneLine: the common case of a commit touching one line
// of a 2,000-line file.
func BenchmarkDiffOneLine(b *testing.B) {
	x, y := benchPair(2000, 1)
	b.SetBytes(int64(len(x) + len(y)))
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y, DefaultOptions())
	}
}

// BenchmarkMerge3: a 2,000-line file edited in 20 places on each side,
// merged as cherry-pick does (histogram, zealous).
func BenchmarkMerge3(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	base := realisticSource(r, 2000)
	join := func(ls []string) []byte {
		var buf bytes.Buffer
		for _, l := range ls {
			buf.WriteString(l)
			buf.WriteByte('\n')
		}
		return buf.Bytes()
	}
	o, t, x := join(editScattered(r, base, 20)), join(editScattered(r, base, 20)), join(base)
	b.SetBytes(int64(len(x) + len(o) + len(t)))
	b.ReportAllocs()
	if res := Merge3(x, o, t, DefaultMergeOptions()); res.Err != nil || len(res.Content) < len(x)/2 {
		b.Fatalf("unexpected merge result: %v, %d bytes", res.Err, len(res.Content))
	}
	for b.Loop() {
		Merge3(x, o, t, DefaultMergeOptions())
	}
}
