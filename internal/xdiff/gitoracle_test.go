package xdiff

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gitBinary returns the git executable or skips the test.
func gitBinary(t testing.TB) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git binary not found; comparison with git skipped")
	}
	return git
}

// gitCommand prepares git isolated from the user's and system
// configuration, with fixed identities and dates.
func gitCommand(t testing.TB, dir string, args ...string) *exec.Cmd {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(gitBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
		"GIT_AUTHOR_NAME=A U Thor", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_AUTHOR_DATE=2005-04-07T22:13:13Z",
		"GIT_COMMITTER_NAME=C O Mitter", "GIT_COMMITTER_EMAIL=committer@example.com",
		"GIT_COMMITTER_DATE=2005-04-07T22:13:13Z",
		"LC_ALL=C",
	)
	return cmd
}

// runGit runs git and returns its output and exit code; only a failure
// to run it at all is fatal (diff --no-index, merge-file and merge-tree
// report their findings through the exit code).
func runGit(t testing.TB, dir string, args ...string) (out []byte, code int) {
	t.Helper()
	cmd := gitCommand(t, dir, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out, exitErr.ExitCode()
	}
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.Bytes())
	}
	return out, 0
}

type filePair struct{ a, b []byte }

// gitHunks diffs every pair with a single `git diff --no-index -U0` over
// two directories and returns the hunks git printed for each pair.
func gitHunks(t testing.TB, pairs []filePair, extraArgs ...string) [][]Hunk {
	t.Helper()
	dir := t.TempDir()
	for _, side := range []string{"a", "b"} {
		if err := os.Mkdir(filepath.Join(dir, side), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range pairs {
		name := fmt.Sprintf("%05d", i)
		if err := os.WriteFile(filepath.Join(dir, "a", name), p.a, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "b", name), p.b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"-c", "core.quotepath=false", "diff", "--no-index", "--no-color",
		"--no-renames", "--no-ext-diff", "--text", "-U0"}
	args = append(args, extraArgs...)
	out, code := runGit(t, dir, append(args, "a", "b")...)
	if code > 1 {
		t.Fatalf("git diff --no-index exited %d", code)
	}
	result := make([][]Hunk, len(pairs))
	cur := -1
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "diff --git "):
			f := strings.Fields(line)
			n, err := strconv.Atoi(filepath.Base(f[len(f)-1]))
			if err != nil {
				t.Fatalf("unexpected diff header %q", line)
			}
			cur = n
		case strings.HasPrefix(line, "@@ -"):
			h, err := parseHunkHeader(line)
			if err != nil {
				t.Fatal(err)
			}
			result[cur] = append(result[cur], h)
		}
	}
	return result
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@".
func parseHunkHeader(line string) (Hunk, error) {
	f := strings.Fields(line)
	if len(f) < 4 || f[0] != "@@" || f[3] != "@@" {
		return Hunk{}, fmt.Errorf("bad hunk header %q", line)
	}
	var h Hunk
	var err error
	if h.OldStart, h.OldLines, err = parseRange(strings.TrimPrefix(f[1], "-")); err != nil {
		return h, fmt.Errorf("bad hunk header %q: %v", line, err)
	}
	if h.NewStart, h.NewLines, err = parseRange(strings.TrimPrefix(f[2], "+")); err != nil {
		return h, fmt.Errorf("bad hunk header %q: %v", line, err)
	}
	return h, nil
}

func parseRange(s string) (start, count int, err error) {
	count = 1
	if i := strings.IndexByte(s, ','); i >= 0 {
		if count, err = strconv.Atoi(s[i+1:]); err != nil {
			return
		}
		s = s[:i]
	}
	start, err = strconv.Atoi(s)
	return
}

// Line alphabets: few distinct lines so that many repeat, with blank and
// brace-only lines and indentation for the indent heuristic.
var (
	codeLines = []string{
		"{", "}", "", "", "\t}", "\t{", "  }", "    }",
		"func f() {", "\treturn nil", "\tif err != nil {", "\t\treturn err",
		"    x := 1", "    y := 2", "        z()", "int main(void)",
		"// comment", "\t// comment", "  ", "\t", "a", "b", "c",
		"else {", "\t} else {", "import foo", "    pass", "try:",
		"\v", "\f x", " \r",
	}
	tinyLines = []string{"a", "b", "c", "", "}"}
)

// randomFile makes n lines from alphabet, with CRLF endings sometimes and
// a missing final newline sometimes.
func randomLines(r *rand.Rand, alphabet []string, n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = alphabet[r.IntN(len(alphabet))]
	}
	return lines
}

func joinLines(r *rand.Rand, lines []string, crlf, noEOL bool) []byte {
	var buf bytes.Buffer
	for i, l := range lines {
		buf.WriteString(l)
		if i == len(lines)-1 && noEOL {
			break
		}
		if crlf && r.IntN(4) != 0 {
			buf.WriteString("\r\n")
		} else {
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}

// mutate applies random insertions, deletions, replacements and moves.
func mutate(r *rand.Rand, alphabet []string, lines []string, edits int) []string {
	out := append([]string(nil), lines...)
	for range edits {
		pos := 0
		if len(out) > 0 {
			pos = r.IntN(len(out) + 1)
		}
		n := 1 + r.IntN(4)
		switch r.IntN(5) {
		case 0, 1: // insert
			ins := randomLines(r, alphabet, n)
			out = append(out[:pos], append(ins, out[pos:]...)...)
		case 2: // delete
			end := min(pos+n, len(out))
			out = append(out[:pos], out[end:]...)
		case 3: // replace
			for i := pos; i < min(pos+n, len(out)); i++ {
				out[i] = alphabet[r.IntN(len(alphabet))]
			}
		case 4: // move a block
			end := min(pos+n, len(out))
			block := append([]string(nil), out[pos:end]...)
			out = append(out[:pos], out[end:]...)
			to := 0
			if len(out) > 0 {
				to = r.IntN(len(out) + 1)
			}
			out = append(out[:to], append(block, out[to:]...)...)
		}
	}
	return out
}

func randomPair(r *rand.Rand, maxLines, maxEdits int) filePair {
	alphabet := codeLines
	if r.IntN(3) == 0 {
		alphabet = tinyLines
	}
	a := randomLines(r, alphabet, r.IntN(maxLines+1))
	b := mutate(r, alphabet, a, r.IntN(maxEdits+1))
	crlf := r.IntN(6) == 0
	return filePair{
		a: joinLines(r, a, crlf, r.IntN(5) == 0),
		b: joinLines(r, b, crlf, r.IntN(5) == 0),
	}
}

// largePair is a long file with scattered edits and a long common tail,
// to exercise trim_common_tail, the match limits and the cost limits.
func largePair(r *rand.Rand, lines, edits int, alphabet []string) filePair {
	a := randomLines(r, alphabet, lines)
	b := mutate(r, alphabet, a, edits)
	return filePair{a: joinLines(r, a, false, false), b: joinLines(r, b, false, false)}
}

// realisticPair is a source file with mostly distinct lines, edited in
// scattered places, with a block moved sometimes.
func realisticPair(r *rand.Rand) filePair {
	a := realisticSource(r, 50+r.IntN(1500))
	b := editScattered(r, a, 1+r.IntN(30))
	if r.IntN(3) == 0 {
		b = mutate(r, a, b, 2)
	}
	return filePair{a: joinLines(r, a, false, r.IntN(8) == 0), b: joinLines(r, b, false, false)}
}

func compareWithGit(t *testing.T, pairs []filePair, opts Options) {
	t.Helper()
	var extra []string
	if !opts.IndentHeuristic {
		extra = append(extra, "--no-indent-heuristic")
	}
	if opts.Algorithm == Histogram {
		extra = append(extra, "--histogram")
	}
	want := gitHunks(t, pairs, extra...)
	failures := 0
	for i, p := range pairs {
		got, err := diffHunks(p.a, p.b, opts)
		if err != nil {
			t.Fatalf("pair %d: %v", i, err)
		}
		if !equalHunks(got, want[i]) {
			failures++
			if failures <= 5 {
				t.Errorf("pair %d: hunks differ from git\n got: %v\nwant: %v\na=%q\nb=%q",
					i, got, want[i], clip(p.a), clip(p.b))
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d pairs differ from git", failures, len(pairs))
	}
}

func clip(b []byte) []byte {
	if len(b) > 2000 {
		return b[:2000]
	}
	return b
}

func equalHunks(a, b []Hunk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDiffMatchesGitRandomSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var pairs []filePair
	for range 600 {
		pairs = append(pairs, randomPair(r, 40, 8))
	}
	compareWithGit(t, pairs, DefaultOptions())
}

func TestDiffMatchesGitRandomMedium(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var pairs []filePair
	for range 60 {
		pairs = append(pairs, randomPair(r, 400, 40))
	}
	for range 10 {
		pairs = append(pairs, largePair(r, 2000, 20, codeLines))
	}
	for range 30 {
		pairs = append(pairs, realisticPair(r))
	}
	compareWithGit(t, pairs, DefaultOptions())
}

func TestDiffMatchesGitNoIndentHeuristic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var pairs []filePair
	for range 200 {
		pairs = append(pairs, randomPair(r, 40, 8))
	}
	compareWithGit(t, pairs, Options{})
}

func TestDiffHistogramMatchesGit(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	var pairs []filePair
	for range 400 {
		pairs = append(pairs, randomPair(r, 60, 10))
	}
	for range 20 {
		pairs = append(pairs, randomPair(r, 600, 60))
	}
	for range 30 {
		pairs = append(pairs, realisticPair(r))
	}
	// Every common line occurs more than 64 times: histogram falls back
	// to Myers (xdl_fall_back_diff).
	for range 10 {
		a := randomLines(r, tinyLines, 400+r.IntN(400))
		b := mutate(r, tinyLines, a, 30)
		pairs = append(pairs, filePair{joinLines(r, a, false, false), joinLines(r, b, false, false)})
	}
	compareWithGit(t, pairs, Options{Algorithm: Histogram, IndentHeuristic: true})
	compareWithGit(t, pairs[:100], Options{Algorithm: Histogram})
}

// stressPairs runs a much larger random corpus: go test -run Stress -xdiff.stress=20000
var stressPairs = flag.Int("xdiff.stress", 0, "number of random pairs for TestDiffMatchesGitStress")

func TestDiffMatchesGitStress(t *testing.T) {
	if *stressPairs == 0 {
		t.Skip("enable with -xdiff.stress=N")
	}
	r := rand.New(rand.NewPCG(uint64(*stressPairs), 99))
	var pairs []filePair
	for i := range *stressPairs {
		switch i % 10 {
		case 0:
			pairs = append(pairs, randomPair(r, 1500, 150))
		case 1, 2:
			pairs = append(pairs, randomPair(r, 200, 30))
		default:
			pairs = append(pairs, randomPair(r, 30, 6))
		}
	}
	compareWithGit(t, pairs, DefaultOptions())
	compareWithGit(t, pairs, Options{Algorithm: Histogram, IndentHeuristic: true})
}

func TestDiffMatchesGitLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large corpus skipped in -short mode")
	}
	r := rand.New(rand.NewPCG(5, 6))
	var pairs []filePair
	for range 6 {
		pairs = append(pairs, largePair(r, 20000, 300, codeLines))
	}
	for range 4 {
		// Unrelated files from a tiny alphabet: the cost limit and the
		// snake heuristics of xdl_split decide.
		a := randomLines(r, tinyLines, 8000)
		b := randomLines(r, tinyLines, 8000)
		pairs = append(pairs, filePair{joinLines(r, a, false, false), joinLines(r, b, false, false)})
	}
	for range 4 {
		// Many distinct lines with some frequent ones: discarding.
		alphabet := make([]string, 3000)
		for i := range alphabet {
			alphabet[i] = fmt.Sprintf("line %d", i)
		}
		alphabet = append(alphabet, slicesRepeat("}", 2000)...)
		pairs = append(pairs, largePair(r, 10000, 2000, alphabet))
	}
	for range 2 {
		// Over 32k lines a side, xdl_split's cost limit rises above
		// XDL_HEUR_MIN_COST and its snake heuristics come into play.
		alphabet := make([]string, 5000)
		for i := range alphabet {
			alphabet[i] = fmt.Sprintf("l%d", i)
		}
		pairs = append(pairs, largePair(r, 40000, 3000, alphabet))
	}
	compareWithGit(t, pairs, DefaultOptions())
}

func slicesRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
