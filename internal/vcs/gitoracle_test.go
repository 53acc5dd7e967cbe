package vcs

// Helpers that run the git binary as an oracle. Every git run is isolated
// from the machine's configuration (HOME in a temporary directory, no system
// config), so the outputs depend on git's defaults only.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found: the comparisons with git are skipped")
	}
}

var gitHome string

func gitEnv() []string {
	if gitHome == "" {
		d, err := os.MkdirTemp("", "triage-vcs-githome")
		if err != nil {
			panic(err)
		}
		gitHome = d
	}
	env := []string{"HOME=" + gitHome, "XDG_CONFIG_HOME=" + filepath.Join(gitHome, ".config"),
		"GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "TZ=UTC",
		"GIT_AUTHOR_NAME=Oracle", "GIT_AUTHOR_EMAIL=oracle@example.com", "GIT_AUTHOR_DATE=2011-01-01T00:00:00Z",
		"GIT_COMMITTER_NAME=Oracle", "GIT_COMMITTER_EMAIL=oracle@example.com", "GIT_COMMITTER_DATE=2011-01-01T00:00:00Z"}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	return env
}

// runGit runs git in dir and returns its standard output.
func runGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// gitRawChange is one record of git diff-tree --raw -z, with its numstat.
type gitRawChange struct {
	oldMode, newMode uint32
	oldHash, newHash string
	status           byte
	score            int
	oldPath, newPath string
	added, deleted   int // -1 for binary
}

// readPaths reads the paths that follow a --raw -z record from f[i:], as
// many as its status has, and returns the index after them.
func (g *gitRawChange) readPaths(f []string, i int) int {
	switch g.status {
	case 'R', 'C':
		g.oldPath, g.newPath = f[i], f[i+1]
		return i + 2
	case 'A':
		g.newPath = f[i]
	case 'D':
		g.oldPath = f[i]
	default:
		g.oldPath, g.newPath = f[i], f[i]
	}
	return i + 1
}

func (g gitRawChange) path() string {
	if g.newPath != "" {
		return g.newPath
	}
	return g.oldPath
}

// gitChanges returns git's view of the changes from parent (a commit, or the
// empty tree) to commit: raw records with numstat, in git's order.
func gitChanges(t testing.TB, dir, parent, commit string) []gitRawChange {
	t.Helper()
	raw := runGit(t, dir, "diff-tree", "-r", "-M", "-z", "--raw", "--no-abbrev", parent, commit)
	var out []gitRawChange
	f := strings.Split(raw, "\x00")
	for i := 0; i < len(f) && f[i] != ""; {
		hdr := strings.Fields(strings.TrimPrefix(f[i], ":"))
		if len(hdr) != 5 {
			t.Fatalf("unexpected raw record %q", f[i])
		}
		om, _ := strconv.ParseUint(hdr[0], 8, 32)
		nm, _ := strconv.ParseUint(hdr[1], 8, 32)
		c := gitRawChange{oldMode: uint32(om), newMode: uint32(nm), oldHash: hdr[2], newHash: hdr[3], status: hdr[4][0]}
		if len(hdr[4]) > 1 {
			c.score, _ = strconv.Atoi(hdr[4][1:])
		}
		i = c.readPaths(f, i+1)
		out = append(out, c)
	}
	num := runGit(t, dir, "diff-tree", "-r", "-M", "-z", "--numstat", parent, commit)
	f = strings.Split(num, "\x00")
	k := 0
	for i := 0; i < len(f) && f[i] != ""; k++ {
		parts := strings.SplitN(f[i], "\t", 3)
		i++
		if parts[2] == "" { // rename: paths follow
			i += 2
		}
		if k >= len(out) {
			t.Fatalf("more numstat records than raw records")
		}
		out[k].added, out[k].deleted = atoiOrMinus(parts[0]), atoiOrMinus(parts[1])
	}
	if k != len(out) {
		t.Fatalf("numstat has %d records, raw %d", k, len(out))
	}
	return out
}

func atoiOrMinus(s string) int {
	if s == "-" {
		return -1
	}
	n, _ := strconv.Atoi(s)
	return n
}

// gitHunks returns git diff -U0 -M's hunks per path (the new path), with
// the added lines' text; paths git splits into two sections (type changes)
// are reported in split.
func gitHunks(t testing.TB, dir, parent, commit string) (hunks map[string][]Hunk, split map[string]bool) {
	t.Helper()
	out := runGit(t, dir, "-c", "core.quotePath=false", "diff", "-U0", "-M", "--no-color", parent, commit)
	hunks, split = map[string][]Hunk{}, map[string]bool{}
	var cur string
	var h *Hunk
	seen := map[string]bool{}
	for _, line := range strings.SplitAfter(out, "\n") {
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "diff --git "):
			i := strings.LastIndex(line, " b/")
			cur = line[i+3:]
			if seen[cur] {
				split[cur] = true
			}
			seen[cur] = true
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
	return hunks, split
}

func parseRangeField(t testing.TB, f string) (start, n int) {
	t.Helper()
	f = f[1:]
	a, b, ok := strings.Cut(f, ",")
	start, err := strconv.Atoi(a)
	if err != nil {
		t.Fatalf("bad hunk range %q", f)
	}
	n = 1
	if ok {
		n, _ = strconv.Atoi(b)
	}
	return start, n
}

// compareRangeWithGit reads base..head with ReadRange and checks, against
// the git binary, the commit order, each commit's metadata, and each
// non-merge commit's changes, numstat and -U0 hunks.
func compareRangeWithGit(t *testing.T, dir, base, head string) *Range {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b plumbing.Hash
	spec := head
	if base != "" {
		spec = base + ".." + head
		if b, err = r.Resolve(base); err != nil {
			t.Fatal(err)
		}
	}
	h, err := r.Resolve(head)
	if err != nil {
		t.Fatal(err)
	}
	rg, err := r.ReadRange(context.Background(), b, h, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(runGit(t, dir, "rev-list", "--topo-order", "--reverse", spec))
	var got []string
	for _, c := range rg.Commits {
		got = append(got, c.Hash.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: order differs from git rev-list --topo-order --reverse:\n got %s\nwant %s", spec, shorts(got), shorts(want))
	}
	for _, c := range rg.Commits {
		compareMetadata(t, dir, c)
		if c.Merge {
			if c.Changes != nil {
				t.Errorf("%s: merge commit has changes", c.Short())
			}
			continue
		}
		parent := emptyTree.String()
		if len(c.Parents) > 0 {
			parent = c.Parents[0].String()
		}
		compareChanges(t, dir, parent, c.Hash.String(), c.Changes)
	}
	return rg
}

func shorts(hs []string) string {
	var s []string
	for _, h := range hs {
		s = append(s, h[:7])
	}
	return strings.Join(s, " ")
}

func compareMetadata(t *testing.T, dir string, c *Commit) {
	t.Helper()
	out := runGit(t, dir, "log", "-1", "--format=%P%x00%T%x00%an%x00%ae%x00%at%x00%ai%x00%cn%x00%ce%x00%ct%x00%ci%x00%(trailers:only,unfold)%x00%B", c.Hash.String())
	f := strings.SplitN(out, "\x00", 12)
	check := func(what, got, want string) {
		if got != want {
			t.Errorf("%s %s: got %q, git says %q", c.Short(), what, got, want)
		}
	}
	var parents []string
	for _, p := range c.Parents {
		parents = append(parents, p.String())
	}
	check("parents", strings.Join(parents, " "), f[0])
	check("tree", c.Tree.String(), f[1])
	check("author name", c.Author.Name, f[2])
	check("author email", c.Author.Email, f[3])
	check("author time", strconv.FormatInt(c.Author.When.Unix(), 10), f[4])
	check("author date", c.Author.When.Format("2006-01-02 15:04:05 -0700"), f[5])
	check("committer name", c.Committer.Name, f[6])
	check("committer email", c.Committer.Email, f[7])
	check("committer time", strconv.FormatInt(c.Committer.When.Unix(), 10), f[8])
	check("committer date", c.Committer.When.Format("2006-01-02 15:04:05 -0700"), f[9])
	var tr []string
	for _, x := range c.Trailers {
		tr = append(tr, x.Key+": "+x.Value+"\n")
	}
	check("trailers", strings.Join(tr, ""), f[10])
	body := strings.TrimSuffix(f[11], "\n")
	check("message", strings.TrimRight(c.Message, "\n"), strings.TrimRight(body, "\n"))
	check("subject", c.Subject, subjectOf(body))
	if c.Merge != (len(c.Parents) > 1) {
		t.Errorf("%s: merge flag %v with %d parents", c.Short(), c.Merge, len(c.Parents))
	}
}

func compareChanges(t *testing.T, dir, parent, commit string, changes []FileChange) {
	t.Helper()
	want := gitChanges(t, dir, parent, commit)
	hunks, split := gitHunks(t, dir, parent, commit)
	short := commit[:7]
	if len(changes) != len(want) {
		t.Errorf("%s: %d changes, git has %d:\n got %s\nwant %s", short, len(changes), len(want), describeChanges(changes), describeGit(want))
		return
	}
	for i, w := range want {
		g := changes[i]
		status := byte(g.Status)
		if g.TypeChange() {
			status = 'T'
		}
		if status != w.status || g.OldPath != w.oldPath || g.NewPath != w.newPath {
			t.Errorf("%s change %d: got %c %s -> %s, git has %c %s -> %s", short, i, status, g.OldPath, g.NewPath, w.status, w.oldPath, w.newPath)
			continue
		}
		if g.OldMode != w.oldMode || g.NewMode != w.newMode {
			t.Errorf("%s %s: modes %o -> %o, git has %o -> %o", short, g.Path(), g.OldMode, g.NewMode, w.oldMode, w.newMode)
		}
		if hashOrZero(g.OldHash) != w.oldHash || hashOrZero(g.NewHash) != w.newHash {
			t.Errorf("%s %s: hashes %s -> %s, git has %s -> %s", short, g.Path(), g.OldHash, g.NewHash, w.oldHash, w.newHash)
		}
		if w.status == 'R' && g.Similarity != w.score {
			t.Errorf("%s %s: similarity %d%%, git has %d%%", short, g.Path(), g.Similarity, w.score)
		}
		if w.added < 0 {
			if !g.Binary || g.Added != 0 || g.Deleted != 0 || g.Hunks != nil {
				t.Errorf("%s %s: git says binary, got binary=%v +%d -%d %d hunks", short, g.Path(), g.Binary, g.Added, g.Deleted, len(g.Hunks))
			}
			continue
		}
		if g.Binary || g.Added != w.added || g.Deleted != w.deleted {
			t.Errorf("%s %s: numstat binary=%v +%d -%d, git has +%d -%d", short, g.Path(), g.Binary, g.Added, g.Deleted, w.added, w.deleted)
		}
		if split[g.Path()] {
			continue // git -p splits a type change in two; see FileChange.TypeChange
		}
		if fmt.Sprint(g.Hunks) != fmt.Sprint(hunks[g.Path()]) {
			t.Errorf("%s %s: hunks\n got %v\nwant %v", short, g.Path(), g.Hunks, hunks[g.Path()])
		}
	}
}

// gitSelfDisagrees tells whether git's numstat for a file differs from the
// line counts of git's own -U0 hunks for it. git trims a common tail of
// whole KiB blocks before a diff without context (xdiff-interface.c's
// trim_common_tail), which can change xdiff's choices; numstat diffs with
// the default context, untrimmed. FileChange follows both: Hunks are
// -U0's, Added and Deleted numstat's.
func gitSelfDisagrees(w gitRawChange, hunks []Hunk) bool {
	if w.added < 0 {
		return false
	}
	a, d := sumHunks(hunks)
	return a != w.added || d != w.deleted
}

func sumHunks(hunks []Hunk) (added, deleted int) {
	for _, h := range hunks {
		added += h.NewLines
		deleted += h.OldLines
	}
	return added, deleted
}

func hashOrZero(h plumbing.Hash) string { return h.String() }

func describeChanges(cs []FileChange) string {
	var s []string
	for _, c := range cs {
		st := c.Status.String()
		if c.TypeChange() {
			st = "T"
		}
		s = append(s, fmt.Sprintf("%s%d %s>%s", st, c.Similarity, c.OldPath, c.NewPath))
	}
	return strings.Join(s, ", ")
}

func describeGit(cs []gitRawChange) string {
	var s []string
	for _, c := range cs {
		s = append(s, fmt.Sprintf("%c%d %s>%s", c.status, c.score, c.oldPath, c.newPath))
	}
	return strings.Join(s, ", ")
}
