package vcs

// BenchmarkReadRange reads a generated history of 5,000 commits
// (repos.GenerateCached: one delta-compressed pack, cached under
// os.TempDir() keyed by its options), or the repository and range named by
// TRIAGE_BENCH_REPO and TRIAGE_BENCH_RANGE, from opening the repository to
// the last hunk, as scripts/bench-vs-git.sh times it against
// `git log -p -U0 --no-renames` on the same range. TRIAGE_BENCH_WORKERS sets
// ReadOptions.Workers (default: one per CPU).

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/testdata/repos"
)

// benchOptions shape the generated history: 5,000 commits over 800 files,
// a feature branch merged back about every 30 commits.
var benchOptions = repos.GenOptions{Seed: 1, Commits: 5000, Files: 800, MergeEvery: 30}

// benchRepo returns the repository and range to benchmark: TRIAGE_BENCH_REPO
// and TRIAGE_BENCH_RANGE when set, else the generated history (cached).
func benchRepo(tb testing.TB) (dir, rng string) {
	tb.Helper()
	if d := os.Getenv("TRIAGE_BENCH_REPO"); d != "" {
		rng = os.Getenv("TRIAGE_BENCH_RANGE")
		if rng == "" {
			tb.Fatal("TRIAGE_BENCH_RANGE must name the range to read in TRIAGE_BENCH_REPO, e.g. v1.4.0..main")
		}
		return d, rng
	}
	g, err := repos.GenerateCached(benchOptions)
	if err != nil {
		tb.Fatal(err)
	}
	return g.Dir, g.BaseRef + ".." + g.HeadRef
}

// TestPrintBenchRepo prints the benchmark's repository and range, for
// scripts/bench-vs-git.sh (which sets TRIAGE_BENCH_PRINT).
func TestPrintBenchRepo(t *testing.T) {
	if os.Getenv("TRIAGE_BENCH_PRINT") == "" {
		t.Skip("set TRIAGE_BENCH_PRINT=1 to generate (or find) the benchmark repository and print it")
	}
	dir, rng := benchRepo(t)
	fmt.Printf("BENCH_REPO=%s\nBENCH_RANGE=%s\n", dir, rng)
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
// TestGeneratedHistoryMatchesGit runs the same comparison on small
// histories by default.
func TestLargeHistoryMatchesGit(t *testing.T) {
	if os.Getenv("TRIAGE_BENCH_VERIFY") == "" {
		t.Skip("set TRIAGE_BENCH_VERIFY=1 to compare the benchmark history with git")
	}
	needGit(t)
	dir, spec := benchRepo(t)
	n := compareLogWithGit(t, dir, spec)
	t.Logf("%d file changes where git's numstat disagrees with its own -U0 hunks (trim_common_tail); Added/Deleted follow numstat, Hunks -U0", n)
}

// TestGeneratedHistoryMatchesGit compares small generated histories with
// git. Their seeds were picked because each holds a file change on which
// git's numstat and its own -U0 hunks disagree (about one in a thousand
// file changes), so that FileChange's counts are checked to follow numstat
// while its hunks follow -U0.
func TestGeneratedHistoryMatchesGit(t *testing.T) {
	needGit(t)
	for _, seed := range []int64{5, 6} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			g, err := repos.Generate(filepath.Join(t.TempDir(), "repo"), repos.GenOptions{Seed: seed, Commits: 200, Files: 60})
			check(t, err)
			if n := compareLogWithGit(t, g.Dir, g.BaseRef+".."+g.HeadRef); n == 0 {
				t.Errorf("no file change of this history has git's numstat and -U0 hunks disagree any more (the generator changed?): pick another seed that has one, so the case stays covered")
			}
		})
	}
}

// compareLogWithGit reads the range spec of the repository dir and
// compares it with git log: commits in order, changes, statuses, renames,
// numstat and -U0 hunks. It returns how many file changes have git's
// numstat disagree with the sum of its -U0 hunks.
func compareLogWithGit(t *testing.T, dir, spec string) (selfDisagree int) {
	t.Helper()
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
			if gitSelfDisagrees(w, hunks[w.path()]) {
				selfDisagree++
			}
			g := c.Changes[k]
			if w.added < 0 { // binary for git
				if !g.Binary || g.Added != 0 || g.Deleted != 0 || g.Hunks != nil {
					t.Errorf("%s %s: git says binary, got binary=%v +%d -%d", c.Short(), g.Path(), g.Binary, g.Added, g.Deleted)
				}
				w.added, w.deleted = 0, 0
			} else if g.Binary {
				t.Errorf("%s %s: binary, git says text", c.Short(), g.Path())
			}
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
	comparePatchIDsWithGit(t, r, rg, dir, spec)
	return selfDisagree
}

// comparePatchIDsWithGit compares the patch-id of every non-merge commit of
// rg with `git log -p | git patch-id --stable` (git diffs with context, so
// without trim_common_tail: the patch differs from the -U0 hunks where
// numstat does).
func comparePatchIDsWithGit(t *testing.T, r *Repo, rg *Range, dir, spec string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", "git log -p -M --no-merges --format='commit %H' \"$0\" | git patch-id --stable", spec)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	check(t, err)
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			want[f[1]] = f[0]
		}
	}
	// git abbreviates the blob names it hashes for binary files to more
	// than PatchIDAbbrev digits in a repository with many objects.
	abbrevDiffers := len(strings.TrimSpace(runGit(t, dir, "rev-parse", "--short", "HEAD"))) != PatchIDAbbrev
	rd := r.reader()
	defer r.release(rd)
	read := func(h plumbing.Hash) ([]byte, error) { return rd.read(h, plumbing.BlobObject) }
	for _, c := range rg.Commits {
		if c.Merge || abbrevDiffers && slices.ContainsFunc(c.Changes, func(f FileChange) bool { return f.Binary }) {
			continue
		}
		got, err := PatchID(c.Changes, read)
		check(t, err)
		if w := want[c.Hash.String()]; w != got.String() && (w != "" || !got.IsZero()) {
			t.Errorf("%s: patch-id %s, git says %q", c.Short(), got, w)
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
			i = c.readPaths(f, i)
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
