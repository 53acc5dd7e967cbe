package deps_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// benchHistory is the generated history internal/plan's benchmark reads
// (5,000 commits, 2,000 files, a merged branch every 20 commits or so).
var benchHistory = repos.GenOptions{Seed: 1, Commits: 5000, Files: 2000, MergeEvery: 20}

// BenchmarkDepsPlan times reading the range, then building the graph and a
// pull plan on it, and reports the dependency stages' cost as a share of
// the read's (the target: at most 20%), in wall and CPU time:
//
//   - symbols-cold: symbol edges, nothing cached: the base tree is read
//     whole to prove the new identifiers absent from it;
//   - symbols-warm: the same with the base-tree cache filled by an earlier
//     run (the usual case: the base is a release tag, runs repeat);
//   - no-symbols: without symbol edges (deps --with omits symbol).
//
// go test -run '^$' -bench DepsPlan -benchtime 5x ./internal/deps
func BenchmarkDepsPlan(b *testing.B) {
	gen, err := repos.GenerateCached(benchHistory)
	if err != nil {
		b.Fatal(err)
	}
	var coldEdges []string
	b.Run("symbols-cold", func(b *testing.B) {
		dirs := b.TempDir()
		n := 0
		coldEdges = benchDepsPlan(b, gen, func() deps.Options {
			n++ // a new, empty cache each time
			return deps.Options{CacheDir: filepath.Join(dirs, fmt.Sprint(n))}
		})
	})
	b.Run("symbols-warm", func(b *testing.B) {
		dir := b.TempDir()
		primed := false
		edges := benchDepsPlan(b, gen, func() deps.Options {
			if !primed {
				primeCache(b, gen, dir)
				primed = true
			}
			return deps.Options{CacheDir: dir}
		})
		if coldEdges != nil && !slices.Equal(edges, coldEdges) {
			b.Error("the warm cache gives other edges than the cold scan")
		}
	})
	b.Run("no-symbols", func(b *testing.B) {
		benchDepsPlan(b, gen, func() deps.Options { return deps.Options{NoSymbols: true} })
	})
	// The same history as a clone would have it: packed by git itself, the
	// newest versions whole and the older ones deltas against them. The
	// read is faster there, so the share is larger.
	b.Run("symbols-cold-repacked", func(b *testing.B) {
		repacked, err := repackedCopy(gen)
		if err != nil {
			b.Skip(err)
		}
		dirs := b.TempDir()
		n := 0
		benchDepsPlan(b, repacked, func() deps.Options {
			n++
			return deps.Options{CacheDir: filepath.Join(dirs, fmt.Sprint(n))}
		})
	})
}

// repackedCopy returns a copy of gen's repository repacked by git
// (git repack -a -d -f), made once and kept beside the generated one.
func repackedCopy(gen *repos.Generated) (*repos.Generated, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git not found: the repacked case is skipped")
	}
	dir := gen.Dir + "-repacked"
	out := *gen
	out.Dir = dir
	if _, err := os.Stat(filepath.Join(dir, "repacked")); err == nil {
		return &out, nil
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if err := os.CopyFS(tmp, os.DirFS(gen.Dir)); err != nil {
		return nil, err
	}
	cmd := exec.Command("git", "repack", "-a", "-d", "-f", "-q")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GIT_DIR="+tmp)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("git repack: %v: %s", err, msg)
	}
	if err := os.WriteFile(filepath.Join(tmp, "repacked"), nil, 0o644); err != nil {
		return nil, err
	}
	os.RemoveAll(dir)
	return &out, os.Rename(tmp, dir)
}

// primeCache runs the graph once, untimed, so that the cache holds the answers.
func primeCache(b *testing.B, gen *repos.Generated, dir string) {
	b.StopTimer()
	defer b.StartTimer()
	repo, err := vcs.Open(gen.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer repo.Close()
	rng, err := repo.ReadRange(context.Background(), gen.Base, gen.Head, vcs.ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := deps.Build(context.Background(), repo, rng, deps.Options{CacheDir: dir}); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the process's CPU time so far (user and system): wall time is
// unreliable on a shared machine, CPU time much less so.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the process's peak resident memory in MiB.
func maxRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}

// liveHeap is the heap in use after a collection, in MiB.
func liveHeap() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

func benchDepsPlan(b *testing.B, gen *repos.Generated, options func() deps.Options) (edges []string) {
	ctx := context.Background()
	var read, graph, decide, readCPU, restCPU time.Duration
	var lastRange *vcs.Range
	var lastGraph *deps.Graph
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opts := options()
		t0, c0 := time.Now(), cpuTime()
		repo, err := vcs.Open(gen.Dir)
		if err != nil {
			b.Fatal(err)
		}
		rng, err := repo.ReadRange(ctx, gen.Base, gen.Head, vcs.ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		t1, c1 := time.Now(), cpuTime()
		g, err := deps.Build(ctx, repo, rng, opts)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		results := make([]classify.Result, len(rng.Commits))
		for j, c := range rng.Commits {
			class := "feature"
			if j%5 == 0 {
				class = "recette-fix"
			}
			results[j] = classify.Result{Commit: c, Class: class}
		}
		if _, err := plan.Build(plan.Input{Graph: g, Results: results}, plan.Options{Keep: []string{"class:recette-fix"}}); err != nil {
			b.Fatal(err)
		}
		t3, c3 := time.Now(), cpuTime()
		repo.Close()
		read, graph, decide = read+t1.Sub(t0), graph+t2.Sub(t1), decide+t3.Sub(t2)
		readCPU, restCPU = readCPU+c1-c0, restCPU+c3-c1
		edges = edgeList(g)
		lastRange, lastGraph = rng, g
	}
	b.StopTimer()
	withGraph := liveHeap()
	runtime.KeepAlive(lastGraph)
	lastGraph = nil
	rangeOnly := liveHeap()
	runtime.KeepAlive(lastRange)
	b.ReportMetric(rangeOnly, "range-heap-MiB")
	b.ReportMetric(withGraph-rangeOnly, "graph-heap-MiB")
	n := float64(b.N)
	b.ReportMetric(float64(read.Milliseconds())/n, "read-ms")
	b.ReportMetric(float64(graph.Milliseconds())/n, "deps-ms")
	b.ReportMetric(float64(decide.Milliseconds())/n, "plan-ms")
	b.ReportMetric(100*float64(graph+decide)/float64(read), "deps+plan-%-of-read")
	b.ReportMetric(100*float64(restCPU)/float64(readCPU), "deps+plan-cpu-%-of-read")
	b.ReportMetric(float64(readCPU.Milliseconds())/n, "readcpu-ms")
	b.ReportMetric(float64(restCPU.Milliseconds())/n, "restcpu-ms")
	b.ReportMetric(float64(len(edges)), "edges")
	b.ReportMetric(maxRSS(), "peak-RSS-MiB")
	return edges
}
