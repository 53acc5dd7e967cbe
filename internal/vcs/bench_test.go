package vcs

// BenchmarkReadRange reads a generated history of 5,000+ commits (or the
// repository and range named by TRIAGE_BENCH_REPO and TRIAGE_BENCH_RANGE),
// from opening the repository to the last hunk, as scripts/bench-vs-git.sh
// times it against `git log -p -U0 --no-renames` on the same range.
//
// The generated repository is cached under os.TempDir(), keyed by its
// parameters, so repeated runs do not rebuild it; it is packed with
// `git repack -adf` (git's default delta depth and window) when git is
// installed, as a clone or a gc'ed repository would be.

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triage-dev/triage/testdata/repos"
)

// benchParams describe the generated history.
type benchParams struct {
	Commits int // commits after the initial import (merges included)
	Files   int // files of the initial import
	Seed    int64
}

var defaultBench = benchParams{Commits: 5000, Files: 800, Seed: 1}

func (p benchParams) dir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("triage-bench-c%d-f%d-s%d-v1", p.Commits, p.Files, p.Seed))
}

// benchRepo returns the repository and range to benchmark.
func benchRepo(tb testing.TB) (dir, rng string) {
	tb.Helper()
	if d := os.Getenv("TRIAGE_BENCH_REPO"); d != "" {
		rng = os.Getenv("TRIAGE_BENCH_RANGE")
		if rng == "" {
			rng = "bench-base..HEAD"
		}
		return d, rng
	}
	p := defaultBench
	dir = p.dir()
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return dir, "bench-base..main"
	}
	tmp := dir + fmt.Sprintf(".tmp%d", os.Getpid())
	os.RemoveAll(tmp)
	if err := generateHistory(tmp, p); err != nil {
		tb.Fatal(err)
	}
	if _, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command("git", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=10")
		cmd.Dir, cmd.Env = tmp, gitEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git repack: %v\n%s", err, out)
		}
		cmd = exec.Command("git", "prune-packed")
		cmd.Dir, cmd.Env = tmp, gitEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git prune-packed: %v\n%s", err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "ready"), nil, 0o644); err != nil {
		tb.Fatal(err)
	}
	os.RemoveAll(dir)
	if err := os.Rename(tmp, dir); err != nil {
		tb.Fatal(err)
	}
	return dir, "bench-base..main"
}

// genFile is one file of the generated tree, as lines.
type genFile struct {
	lines []string
}

func (f *genFile) content() string { return strings.Join(f.lines, "") }

// generateHistory writes a repository shaped like a busy application: source
// files of a few hundred lines (some of thousands), commits editing one to
// four files in one to three places, a few additions, deletions and
// renames, and feature branches merged back every few dozen commits.
func generateHistory(dir string, p benchParams) error {
	rng := rand.New(rand.NewSource(p.Seed))
	b, err := repos.New(dir)
	if err != nil {
		return err
	}
	people := []repos.Person{alice, bob, carol, {Name: "Dan Roux", Email: "dan@example.com"}, {Name: "Eve Blanc", Email: "eve@example.com"}}
	word := func() string {
		words := []string{"amount", "invoice", "customer", "total", "rate", "index", "config", "payment", "order", "item", "value", "result", "err", "ctx", "request"}
		return words[rng.Intn(len(words))]
	}
	line := func() string {
		switch rng.Intn(6) {
		case 0:
			return "\n"
		case 1:
			return fmt.Sprintf("\tif %s > %d {\n", word(), rng.Intn(1000))
		case 2:
			return "\t}\n"
		case 3:
			return fmt.Sprintf("\t%s := compute%s(%s, %d)\n", word(), strings.Title(word()), word(), rng.Intn(100))
		case 4:
			return fmt.Sprintf("// %s handles the %s of the %s.\n", word(), word(), word())
		}
		return fmt.Sprintf("\treturn %s.%s(%s)\n", word(), strings.Title(word()), word())
	}
	size := func() int {
		n := 40 + int(rng.ExpFloat64()*250)
		if rng.Intn(50) == 0 {
			n += 2000
		}
		return n
	}
	files := map[string]*genFile{}
	var paths []string
	newFile := func(path string) repos.Change {
		f := &genFile{}
		for i := size(); i > 0; i-- {
			f.lines = append(f.lines, line())
		}
		files[path] = f
		paths = append(paths, path)
		return repos.Write(path, f.content())
	}
	dirs := p.Files / 20
	var initial []repos.Change
	for i := 0; i < p.Files; i++ {
		initial = append(initial, newFile(fmt.Sprintf("src/pkg%02d/file%03d.go", rng.Intn(dirs), i)))
	}
	if _, err := b.Commit(people[0], "Initial import", initial...); err != nil {
		return err
	}
	if err := b.Tag("bench-base"); err != nil {
		return err
	}
	edit := func(path string) repos.Change {
		f := files[path]
		for h := 1 + rng.Intn(3); h > 0; h-- {
			at := rng.Intn(len(f.lines) + 1)
			del := min(rng.Intn(4), len(f.lines)-at)
			var ins []string
			for k := rng.Intn(6); k > 0; k-- {
				ins = append(ins, line())
			}
			f.lines = append(f.lines[:at], append(ins, f.lines[at+del:]...)...)
		}
		return repos.Write(path, f.content())
	}
	removePath := func(path string) {
		delete(files, path)
		for i, q := range paths {
			if q == path {
				paths = append(paths[:i], paths[i+1:]...)
				break
			}
		}
	}
	commit := func(n int) error {
		var changes []repos.Change
		touched := map[string]bool{}
		for k := 1 + rng.Intn(4); k > 0; k-- {
			path := paths[rng.Intn(len(paths))]
			if touched[path] {
				continue
			}
			touched[path] = true
			changes = append(changes, edit(path))
		}
		switch r := rng.Intn(100); {
		case r < 3:
			changes = append(changes, newFile(fmt.Sprintf("src/pkg%02d/new%05d.go", rng.Intn(dirs), n)))
		case r < 4:
			path := paths[rng.Intn(len(paths))]
			if !touched[path] {
				removePath(path)
				changes = append(changes, repos.Delete(path))
			}
		case r < 5:
			path := paths[rng.Intn(len(paths))]
			if !touched[path] {
				to := fmt.Sprintf("src/pkg%02d/moved%05d.go", rng.Intn(dirs), n)
				files[to] = files[path]
				removePath(path)
				paths = append(paths, to)
				changes = append(changes, repos.Rename(path, to), edit(to))
			}
		}
		_, err := b.Commit(people[rng.Intn(len(people))], fmt.Sprintf("PAY-%d: change %d\n\nDetails of change %d.\n", 100+rng.Intn(900), n, n), changes...)
		return err
	}
	for n := 0; n < p.Commits; {
		if rng.Intn(30) == 0 && n+10 < p.Commits {
			// A feature branch of a few commits, merged back.
			name := fmt.Sprintf("feature/%d", n)
			if err := b.Checkout(name, "main"); err != nil {
				return err
			}
			for k := 2 + rng.Intn(6); k > 0; k-- {
				if err := commit(n); err != nil {
					return err
				}
				n++
			}
			if err := b.Checkout("main", ""); err != nil {
				return err
			}
			if _, err := b.Merge(people[0], "Merge branch '"+name+"'", name); err != nil {
				return err
			}
			n++
			continue
		}
		if err := commit(n); err != nil {
			return err
		}
		n++
	}
	return b.Finish("main")
}

func BenchmarkReadRange(b *testing.B) {
	dir, rng := benchRepo(b)
	workers := 0 // one per CPU
	if w := os.Getenv("TRIAGE_BENCH_WORKERS"); w != "" {
		workers, _ = strconv.Atoi(w)
	}
	b.ResetTimer()
	var commits, files int
	for i := 0; i < b.N; i++ {
		r, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		base, head, err := r.ParseRange(rng)
		if err != nil {
			b.Fatal(err)
		}
		rg, err := r.ReadRange(context.Background(), base, head, ReadOptions{Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		commits, files = len(rg.Commits), 0
		for _, c := range rg.Commits {
			files += len(c.Changes)
		}
		r.Close()
	}
	b.ReportMetric(float64(commits), "commits")
	b.ReportMetric(float64(files), "files")
}

// TestLargeHistoryMatchesGit compares the whole benchmark range with git
// (order, statuses, renames, numstat, hunks). It is heavy: it runs only when
// TRIAGE_BENCH_VERIFY is set (and uses TRIAGE_BENCH_REPO when given).
func TestLargeHistoryMatchesGit(t *testing.T) {
	if os.Getenv("TRIAGE_BENCH_VERIFY") == "" {
		t.Skip("set TRIAGE_BENCH_VERIFY=1 to compare the benchmark history with git")
	}
	needGit(t)
	dir, spec := benchRepo(t)
	r, err := Open(dir)
	check(t, err)
	defer r.Close()
	base, head, err := r.ParseRange(spec)
	check(t, err)
	rg, err := r.ReadRange(context.Background(), base, head, ReadOptions{})
	check(t, err)

	logOut := runGit(t, dir, "log", "--topo-order", "--reverse", "-M", "--raw", "--numstat", "-z", "--no-abbrev", "--format=%x01%H", spec)
	chunks := strings.Split(logOut, "\x01")[1:]
	if len(chunks) != len(rg.Commits) {
		t.Fatalf("%d commits, git has %d", len(rg.Commits), len(chunks))
	}
	patch := runGit(t, dir, "-c", "core.quotePath=false", "log", "--topo-order", "--reverse", "-p", "-U0", "-M", "--no-color", "--format=%x01%H", spec)
	patches := strings.Split(patch, "\x01")[1:]
	for i, chunk := range chunks {
		c := rg.Commits[i]
		hash, body, _ := strings.Cut(chunk, "\x00")
		if hash != c.Hash.String() {
			t.Fatalf("commit %d: %s, git has %s", i, c.Short(), hash[:7])
		}
		want := parseLogChanges(t, strings.TrimPrefix(body, "\n"))
		if c.Merge {
			continue
		}
		if len(want) != len(c.Changes) {
			t.Errorf("%s: %d changes, git has %d: %s / %s", c.Short(), len(c.Changes), len(want), describeChanges(c.Changes), describeGit(want))
			continue
		}
		hunks := parsePatchHunks(t, patches[i])
		for k, w := range want {
			g := c.Changes[k]
			if byte(g.Status) != w.status || g.OldPath != w.oldPath || g.NewPath != w.newPath || g.Added != w.added || g.Deleted != w.deleted ||
				(w.status == 'R' && g.Similarity != w.score) {
				t.Errorf("%s: got %c%d %s>%s +%d -%d, git has %c%d %s>%s +%d -%d", c.Short(), g.Status, g.Similarity, g.OldPath, g.NewPath, g.Added, g.Deleted,
					w.status, w.score, w.oldPath, w.newPath, w.added, w.deleted)
			}
			if fmt.Sprint(g.Hunks) != fmt.Sprint(hunks[g.Path()]) {
				t.Errorf("%s %s: hunks differ from git's", c.Short(), g.Path())
			}
		}
	}
}

// parseLogChanges reads the --raw --numstat -z records of one commit.
func parseLogChanges(t *testing.T, s string) []gitRawChange {
	f := strings.Split(s, "\x00")
	var out []gitRawChange
	k := 0
	for i := 0; i < len(f); {
		tok := f[i]
		i++
		switch {
		case tok == "" || tok == "\n":
		case strings.HasPrefix(tok, ":"):
			hdr := strings.Fields(tok[1:])
			c := gitRawChange{status: hdr[4][0]}
			if len(hdr[4]) > 1 {
				c.score, _ = strconv.Atoi(hdr[4][1:])
			}
			switch c.status {
			case 'R', 'C':
				c.oldPath, c.newPath = f[i], f[i+1]
				i += 2
			case 'A':
				c.newPath = f[i]
				i++
			case 'D':
				c.oldPath = f[i]
				i++
			default:
				c.oldPath, c.newPath = f[i], f[i]
				i++
			}
			out = append(out, c)
		default:
			parts := strings.SplitN(tok, "\t", 3)
			if len(parts) != 3 {
				t.Fatalf("unexpected numstat %q", tok)
			}
			if parts[2] == "" {
				i += 2
			}
			out[k].added, out[k].deleted = atoiOrMinus(parts[0]), atoiOrMinus(parts[1])
			k++
		}
	}
	return out
}

// parsePatchHunks reads the -U0 hunks of one commit's patch, by new path.
func parsePatchHunks(t *testing.T, patch string) map[string][]Hunk {
	hunks := map[string][]Hunk{}
	var cur string
	var h *Hunk
	for _, line := range strings.Split(patch, "\n") {
		switch {
		case strings.HasPrefix(line, "diff --git "):
			cur = line[strings.LastIndex(line, " b/")+3:]
			h = nil
		case strings.HasPrefix(line, "@@ "):
			var hk Hunk
			fields := strings.Fields(line)
			hk.OldStart, hk.OldLines = parseRangeField(t, fields[1])
			hk.NewStart, hk.NewLines = parseRangeField(t, fields[2])
			hunks[cur] = append(hunks[cur], hk)
			h = &hunks[cur][len(hunks[cur])-1]
		case h != nil && strings.HasPrefix(line, "+"):
			h.Lines = append(h.Lines, line[1:])
		}
	}
	return hunks
}
