package xdiff

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tailSensitivePair returns a pair on which git's numstat (+7 -3) and its
// -U0 hunks (+8 -4) disagree, reduced from a file of a generated history.
// The -U0 diff drops the common tail (trim_common_tail): there, b's
// "\t\treturn ret;" and "\t}" occur in a fewer times than xdiff's match
// limit and take part in the search; with the tail, which holds many more
// of them, they occur too often, and xdl_cleanup_records discards them.
// pad lines make the tail long enough to be trimmed (over 1 KiB).
func tailSensitivePair(pad int) (a, b []string) {
	ret := []string{"\tif (ret < 0) {", "\t\treturn ret;", "\t}"}
	step := func(from, to int) []string {
		var s []string
		for i := from; i <= to; i++ {
			s = append(s, fmt.Sprintf("\tstep%02d(ctx);", i))
		}
		return s
	}
	var common []string
	add := func(groups ...[]string) {
		for _, g := range groups {
			common = append(common, g...)
		}
	}
	add(step(1, 5), []string{"\treturn 0;", "}"}, step(6, 7), ret, step(8, 11), []string{""},
		step(12, 17), []string{"\t}"}, step(18, 19), ret, ret, []string{"\treturn 0;", ""},
		step(20, 23), ret, step(24, 26), ret[:2])
	for i := range pad {
		common = append(common, fmt.Sprintf("\tpad%02d(ctx);", i))
	}
	a = append([]string{"\t}", "\t}", "\t}", "\t}"}, common...)
	b = append(append(step(27, 31), "\t\treturn ret;", "\t}", "\tstep32(ctx);"), common...)
	return a, b
}

func joinLF(lines []string) []byte {
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

func TestDiffNumstatUntrimmedCounts(t *testing.T) {
	la, lb := tailSensitivePair(36)
	a, b := joinLF(la), joinLF(lb)
	hunks, added, deleted := DiffNumstat(a, b, DefaultOptions())
	wantHunks := []Hunk{{1, 4, 1, 8}} // git diff -U0
	if !equalHunks(hunks, wantHunks) || !equalHunks(Diff(a, b, DefaultOptions()), wantHunks) {
		t.Errorf("hunks %v, want git diff -U0's %v", hunks, wantHunks)
	}
	if added != 7 || deleted != 3 { // git diff --numstat
		t.Errorf("numstat +%d -%d, want git's +7 -3", added, deleted)
	}
	whole := DefaultOptions()
	whole.KeepCommonTail = true
	if a, d := countHunks(Diff(a, b, whole)); a != 7 || d != 3 {
		t.Errorf("KeepCommonTail: +%d -%d, want +7 -3", a, d)
	}
	// Short of a trimmable tail, both diffs agree.
	la, lb = tailSensitivePair(0)
	_, added, deleted = DiffNumstat(joinLF(la), joinLF(lb), DefaultOptions())
	if wa, wd := countHunks(Diff(joinLF(la), joinLF(lb), DefaultOptions())); added != wa || deleted != wd {
		t.Errorf("without a tail: numstat +%d -%d, hunks +%d -%d", added, deleted, wa, wd)
	}
}

// frequentLinesPair is a file whose frequent lines occur about as often
// as xdiff's match limit, edited only in its first half, so that the
// common tail holds many of them: the corpus where trimming the tail
// matters most.
func frequentLinesPair(r *rand.Rand) filePair {
	n := 64 + r.IntN(190)
	freq := []string{"\t}", "", "\treturn ret;", "}"}
	lines := make([]string, n)
	for i := range lines {
		if r.IntN(100) < 40 {
			lines[i] = freq[r.IntN(len(freq))]
		} else {
			lines[i] = fmt.Sprintf("\tvariable_%d = compute_%d(context, x);", r.IntN(1000), i)
		}
	}
	head := n/4 + r.IntN(n/4)
	b := append(mutate(r, append(codeLines, freq...), lines[:head:head], 1+r.IntN(4)), lines[head:]...)
	return filePair{a: joinLines(r, lines, false, false), b: joinLines(r, b, false, false)}
}

// numstatCorpus mixes variants of tailSensitivePair (tails of several
// lengths, one line dropped) with random pairs.
func numstatCorpus(r *rand.Rand, random int) []filePair {
	var pairs []filePair
	for pad := 0; pad <= 60; pad++ {
		a, b := tailSensitivePair(pad)
		pairs = append(pairs, filePair{joinLF(a), joinLF(b)})
	}
	for _, pad := range []int{34, 37, 40} {
		la, lb := tailSensitivePair(pad)
		for i := range la {
			pairs = append(pairs, filePair{joinLF(append(la[:i:i], la[i+1:]...)), joinLF(lb)})
		}
		for i := range lb {
			pairs = append(pairs, filePair{joinLF(la), joinLF(append(lb[:i:i], lb[i+1:]...))})
		}
	}
	for range random / 100 {
		// Costs past exactCost: xdiff's heuristics may decide.
		pairs = append(pairs, largePair(r, 3000, 150, codeLines), largePair(r, 2000, 40, tinyLines))
	}
	for i := range random {
		switch i % 4 {
		case 0, 1:
			pairs = append(pairs, frequentLinesPair(r))
		case 2:
			pairs = append(pairs, realisticPair(r))
		default:
			pairs = append(pairs, randomPair(r, 300, 10))
		}
	}
	return pairs
}

// gitNumstat runs one `git diff --no-index --numstat` over all pairs.
func gitNumstat(t *testing.T, pairs []filePair) [][2]int {
	t.Helper()
	dir := t.TempDir()
	for i, p := range pairs {
		for side, content := range map[string][]byte{"a": p.a, "b": p.b} {
			if err := os.MkdirAll(filepath.Join(dir, side), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, side, fmt.Sprintf("%05d", i)), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, code := runGit(t, dir, "diff", "--no-index", "--no-renames", "--no-ext-diff", "--text", "--numstat", "a", "b")
	if code > 1 {
		t.Fatalf("git diff --no-index --numstat exited %d", code)
	}
	counts := make([][2]int, len(pairs))
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("unexpected numstat line %q", line)
		}
		i, err1 := strconv.Atoi(filepath.Base(f[2]))
		added, err2 := strconv.Atoi(f[0])
		deleted, err3 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("unexpected numstat line %q", line)
		}
		counts[i] = [2]int{added, deleted}
	}
	return counts
}

// TestDiffNumstatMatchesGit checks DiffNumstat against git on a corpus
// where the trimmed tail often matters: the counts against
// `git diff --no-index --numstat`, the hunks against its -U0.
func TestDiffNumstatMatchesGit(t *testing.T) {
	pairs := numstatCorpus(rand.New(rand.NewPCG(21, 22)), 400)
	want := gitNumstat(t, pairs)
	wantHunks := gitHunks(t, pairs)
	disagree := 0
	for i, p := range pairs {
		hunks, added, deleted := DiffNumstat(p.a, p.b, DefaultOptions())
		if added != want[i][0] || deleted != want[i][1] {
			t.Errorf("pair %d: numstat +%d -%d, git has +%d -%d", i, added, deleted, want[i][0], want[i][1])
		}
		if !equalHunks(hunks, wantHunks[i]) {
			t.Errorf("pair %d: hunks %v, git diff -U0 has %v", i, hunks, wantHunks[i])
		}
		if ha, hd := countHunks(wantHunks[i]); ha != want[i][0] || hd != want[i][1] {
			disagree++
		}
	}
	t.Logf("%d of %d pairs have git's numstat disagree with its -U0 hunks", disagree, len(pairs))
	if disagree < 10 {
		t.Errorf("only %d pairs where numstat and -U0 disagree: the corpus no longer covers the case", disagree)
	}
}

// TestDiffNumstatEqualsUntrimmedDiff checks, without git, that the counts
// DiffNumstat reports (which skip the second diff whenever tailNeutral
// proves it useless) are always those of the untrimmed diff.
func TestDiffNumstatEqualsUntrimmedDiff(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	n := 3000
	if testing.Short() {
		n = 600
	}
	whole := DefaultOptions()
	whole.KeepCommonTail = true
	for i, p := range numstatCorpus(r, n) {
		hunks, added, deleted := DiffNumstat(p.a, p.b, DefaultOptions())
		if wa, wd := countHunks(Diff(p.a, p.b, whole)); added != wa || deleted != wd {
			t.Fatalf("pair %d: +%d -%d, the untrimmed diff has +%d -%d\na=%q\nb=%q", i, added, deleted, wa, wd, clip(p.a), clip(p.b))
		}
		if !equalHunks(hunks, Diff(p.a, p.b, DefaultOptions())) {
			t.Fatalf("pair %d: hunks differ from Diff's", i)
		}
	}
}
