package deps_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// countingSource counts the base blobs the symbol scan reads (it reads them
// through ScanBlob; merges read theirs through ReadBlob).
type countingSource struct {
	*vcs.Repo
	scanned atomic.Int64
}

func (s *countingSource) ScanBlob(h plumbing.Hash, buf []byte, maxSize int64) ([]byte, []byte, error) {
	s.scanned.Add(1)
	return s.Repo.ScanBlob(h, buf, maxSize)
}

func edgeList(g *deps.Graph) []string {
	var out []string
	for _, e := range g.Edges() {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", e.Commit, e.DependsOn, e.Kind, e.Path, e.LinesText(), e.Evidence))
	}
	slices.Sort(out)
	return out
}

func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	return files
}

// TestBaseCacheSameEdges builds the graphs of the story and of a generated
// history without the cache, with an empty one (which it fills), with the
// filled one (which answers everything: no base blob is read), with half of
// it, and with a corrupt one: the edges are the same every time.
func TestBaseCacheSameEdges(t *testing.T) {
	gen, err := repos.Generate(filepath.Join(t.TempDir(), "gen"), repos.GenOptions{Seed: 4, Commits: 600, Files: 120, MergeEvery: 20})
	if err != nil {
		t.Fatal(err)
	}
	s := gittest.Story(t)
	for _, c := range []struct{ name, dir, spec string }{
		{"story", s.Dir, s.Base + ".." + s.Head},
		{"generated", gen.Dir, gen.BaseRef + ".." + gen.HeadRef},
	} {
		t.Run(c.name, func(t *testing.T) {
			repo, rng := gittest.ReadRange(t, c.dir, c.spec)
			src := &countingSource{Repo: repo}
			build := func(cacheDir string) []string {
				t.Helper()
				g, err := deps.Build(context.Background(), src, rng, deps.Options{CacheDir: cacheDir})
				if err != nil {
					t.Fatal(err)
				}
				return edgeList(g)
			}
			want := build("off")
			symbols := 0
			for _, e := range want {
				if strings.Contains(e, " symbol ") {
					symbols++
				}
			}
			if symbols == 0 {
				t.Fatal("no symbol edge: the case tests nothing")
			}
			coldScans := src.scanned.Load()
			if coldScans == 0 {
				t.Fatal("the base tree was not read without the cache")
			}

			dir := t.TempDir()
			// What an earlier version left is dropped; nothing else is.
			stale, other := filepath.Join(dir, "base-tokens-v1"), filepath.Join(dir, "notes.txt")
			if err := os.MkdirAll(stale, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(stale, "old"), []byte("+x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(other, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if got := build(dir); !slices.Equal(got, want) {
				t.Fatalf("with an empty cache: edges differ\n got %q\nwant %q", got, want)
			}
			if _, err := os.Stat(stale); !os.IsNotExist(err) {
				t.Errorf("the answers of an earlier version are still there: %v", err)
			}
			if _, err := os.Stat(other); err != nil {
				t.Errorf("a file that is not the cache's was touched: %v", err)
			}
			files := cacheFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("cache files %q, want one", files)
			}
			src.scanned.Store(0)
			if got := build(dir); !slices.Equal(got, want) {
				t.Fatalf("with the filled cache: edges differ\n got %q\nwant %q", got, want)
			}
			if n := src.scanned.Load(); n != 0 {
				t.Errorf("with the filled cache, %d base blobs were read", n)
			}

			// Half the answers: the others are looked for again, and kept.
			data, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(data), "\n")
			half := strings.Join(lines[:1+(len(lines)-1)/2], "")
			if err := os.WriteFile(files[0], []byte(half), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := build(dir); !slices.Equal(got, want) {
				t.Fatalf("with half the cache: edges differ\n got %q\nwant %q", got, want)
			}
			if again, _ := os.ReadFile(files[0]); string(again) != string(data) {
				t.Errorf("the cache was not completed again")
			}

			// Corrupt or foreign content is ignored, then replaced.
			for _, bad := range []string{"", "garbage", strings.Replace(string(data), "\n+", "\n?", 1), string(data[:len(data)-3])} {
				if err := os.WriteFile(files[0], []byte(bad), 0o644); err != nil {
					t.Fatal(err)
				}
				if got := build(dir); !slices.Equal(got, want) {
					t.Fatalf("with a corrupt cache %.30q: edges differ", bad)
				}
			}

			// TRIAGE_CACHE=off: nothing is read or written.
			off := t.TempDir()
			t.Setenv("TRIAGE_CACHE", "off")
			if got := build(off); !slices.Equal(got, want) {
				t.Fatal("with TRIAGE_CACHE=off: edges differ")
			}
			if files := cacheFiles(t, off); len(files) != 0 {
				t.Errorf("TRIAGE_CACHE=off wrote %q", files)
			}
		})
	}
}

// TestBaseCacheUnwritable: a cache directory that cannot be created costs
// nothing but the scan.
func TestBaseCacheUnwritable(t *testing.T) {
	s := gittest.Story(t)
	repo, rng := gittest.ReadRange(t, s.Dir, s.Base+".."+s.Head)
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := deps.Build(context.Background(), repo, rng, deps.Options{CacheDir: "off"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := deps.Build(context.Background(), repo, rng, deps.Options{CacheDir: filepath.Join(blocker, "sub")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(edgeList(got), edgeList(want)) {
		t.Error("edges differ when the cache cannot be written")
	}
}
