package plan_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// benchHistory is the generated history the foundation's benchmark reads
// (5,000 commits, 2,000 files, a merged branch every 20 commits or so).
var benchHistory = repos.GenOptions{Seed: 1, Commits: 5000, Files: 2000, MergeEvery: 20}

// BenchmarkDepsPlan times reading the range, then building the graph and a
// pull plan on it, and reports the dependency stages' cost next to the
// read's: the target is deps+plan at most 20% of read.
func BenchmarkDepsPlan(b *testing.B) {
	b.Run("symbols", func(b *testing.B) { benchDepsPlan(b, deps.Options{}) })
	b.Run("no-symbols", func(b *testing.B) { benchDepsPlan(b, deps.Options{NoSymbols: true}) })
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

func benchDepsPlan(b *testing.B, depsOpts deps.Options) {
	gen, err := repos.GenerateCached(benchHistory)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var read, graph, decide, readCPU, restCPU time.Duration
	var edges, picks int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
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
		g, err := deps.Build(ctx, repo, rng, depsOpts)
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
		p, err := plan.Build(plan.Input{Graph: g, Results: results}, plan.Options{Keep: []string{"class:recette-fix"}})
		if err != nil {
			b.Fatal(err)
		}
		t3, c3 := time.Now(), cpuTime()
		repo.Close()
		read, graph, decide = read+t1.Sub(t0), graph+t2.Sub(t1), decide+t3.Sub(t2)
		readCPU, restCPU = readCPU+c1-c0, restCPU+c3-c1
		edges, picks = len(g.Edges()), len(p.Picks)
	}
	n := float64(b.N)
	b.ReportMetric(float64(read.Milliseconds())/n, "read-ms")
	b.ReportMetric(float64(graph.Milliseconds())/n, "deps-ms")
	b.ReportMetric(float64(decide.Milliseconds())/n, "plan-ms")
	b.ReportMetric(100*float64(graph+decide)/float64(read), "deps+plan-%-of-read")
	b.ReportMetric(100*float64(restCPU)/float64(readCPU), "deps+plan-cpu-%-of-read")
	b.ReportMetric(float64(edges), "edges")
	b.ReportMetric(float64(picks), "picks")
}
