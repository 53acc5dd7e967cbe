package report

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/vcs"
)

// tinyRange is two commits, the second depending on the first, with a
// subject that needs escaping everywhere.
func tinyRange(t *testing.T) (*deps.Graph, []classify.Result) {
	t.Helper()
	a := &vcs.Commit{Hash: plumbing.Hash(sha1.Sum([]byte("a"))), Subject: `PAY-1: "quoted" \ back|slash <b>`, SvnRev: 24911}
	b := &vcs.Commit{Hash: plumbing.Hash(sha1.Sum([]byte("b"))), Subject: "PAY-2: fix", Parents: []plumbing.Hash{a.Hash}}
	a.Changes = []vcs.FileChange{{Status: vcs.Added, NewPath: "f.go"}}
	b.Changes = []vcs.FileChange{{Status: vcs.Modified, OldPath: "f.go", NewPath: "f.go"}}
	edges := []deps.Edge{
		{Commit: b.Hash, DependsOn: a.Hash, Kind: deps.Line, Path: "f.go", Lines: []deps.LineRange{{Start: 3, Count: 2}}},
		{Commit: b.Hash, DependsOn: a.Hash, Kind: deps.Symbol, Path: "f.go", Lines: []deps.LineRange{{Start: 9, Count: 1}}, Evidence: "MAX_RATE"},
	}
	g, err := deps.NewGraph(plumbing.ZeroHash, b.Hash, []*vcs.Commit{a, b}, edges)
	if err != nil {
		t.Fatal(err)
	}
	return g, []classify.Result{{Commit: a, Class: "feature", Tickets: []string{"PAY-1"}}, {Commit: b, Class: "recette-fix", Tickets: []string{"PAY-2"}}}
}

func TestDepsDocument(t *testing.T) {
	g, results := tinyRange(t)
	doc := Deps(DepsInput{Graph: g, Results: results})
	var dot bytes.Buffer
	if err := doc.Extra["dot"](&dot); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"` + g.Commits[0].Short() + `" [label="` + g.Commits[0].Short() + ` r24911\nPAY-1\nfeature", fillcolor="#9ecae1", tooltip="PAY-1: \"quoted\" \\ back|slash <b>"];`,
		`"` + g.Commits[1].Short() + `" -> "` + g.Commits[0].Short() + `" [label="symbol", style=dashed];`,
	} {
		if !strings.Contains(dot.String(), want) {
			t.Errorf("dot lacks %s\n%s", want, dot.String())
		}
	}
	js := doc.JSON.(DepsJSON)
	if len(js.Edges) != 2 || js.Edges[0].Lines != "3-4" || !js.Edges[0].Hard || js.Edges[1].Hard || js.Edges[1].Evidence != "MAX_RATE" {
		t.Errorf("json edges: %+v", js.Edges)
	}
	if doc.Main.Rows[1][2] != "symbol (soft)" || doc.Main.Rows[0][3] != "f.go:3-4" {
		t.Errorf("table rows: %q", doc.Main.Rows)
	}
	empty, _ := deps.NewGraph(plumbing.ZeroHash, g.Head, g.Commits, nil)
	if d := Deps(DepsInput{Graph: empty, Results: results}); len(d.JSON.(DepsJSON).Edges) != 0 || !strings.Contains(strings.Join(d.Notes, " "), "No dependency") {
		t.Errorf("empty graph: %+v", d.Notes)
	}
}

func TestPlanDocumentJSONNeverNull(t *testing.T) {
	g, results := tinyRange(t)
	p, err := plan.Build(plan.Input{Graph: g, Results: results}, plan.Options{Keep: []string{"class:nothing"}})
	if err != nil {
		t.Fatal(err)
	}
	doc := Plan(PlanInput{Plan: p, Onto: g.Commits[0].Hash})
	var buf bytes.Buffer
	if err := (jsonPrinter{}).Print(&buf, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"picks": []`, `"warnings": []`, `"requires": []`, `"required_by": []`, `"partly_kept": []`, `"svn_rev": 24911`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("json lacks %s:\n%s", want, buf.String())
		}
	}
	var back PlanJSON
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back.Summary.ByDecision["drop"] != 2 {
		t.Errorf("round trip: %+v %v", back.Summary, err)
	}
}

func TestExplainDocument(t *testing.T) {
	g, results := tinyRange(t)
	doc := Explain(ExplainInput{Graph: g, Results: results, Commit: g.Commits[0].Hash})
	js := doc.JSON.(ExplainJSON)
	if len(js.RequiredBy) != 2 || len(js.DependsOn) != 0 || len(js.DropTakes) != 1 || len(js.KeepBrings) != 0 {
		t.Fatalf("explain: %+v", js)
	}
	want := g.Commits[0].Short() + " is a feature (PAY-1). It can be cherry-picked alone: nothing in the range must come with it. " +
		"Dropping it forces 1 commit out too: " + g.Commits[1].Short() + " (PAY-2)."
	if js.Summary != want {
		t.Errorf("summary:\n%s\nwant\n%s", js.Summary, want)
	}
}
