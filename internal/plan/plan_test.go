package plan

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// world is a hand-built range: commits with classes and tickets, and edges.
type world struct {
	t       *testing.T
	commits []*vcs.Commit
	results []classify.Result
	byName  map[string]*vcs.Commit
	names   map[plumbing.Hash]string
	edges   []deps.Edge
	present map[plumbing.Hash]Presence
}

func newWorld(t *testing.T) *world {
	return &world{t: t, byName: map[string]*vcs.Commit{}, names: map[plumbing.Hash]string{}, present: map[plumbing.Hash]Presence{}}
}

func hashOf(s string) plumbing.Hash { return plumbing.Hash(sha1.Sum([]byte(s))) }

// commit adds a commit; parents default to the previous commit.
func (w *world) commit(name, class string, tickets string, parents ...string) *vcs.Commit {
	c := &vcs.Commit{Hash: hashOf(name), Subject: name, Message: name + "\n", Author: vcs.Signature{Name: "Dev " + name, Email: name + "@example.com"}}
	if len(parents) == 0 && len(w.commits) > 0 {
		parents = []string{w.names[w.commits[len(w.commits)-1].Hash]}
	}
	for _, p := range parents {
		c.Parents = append(c.Parents, w.byName[p].Hash)
	}
	c.Merge = len(c.Parents) > 1
	c.Changes = []vcs.FileChange{{Status: vcs.Modified, OldPath: "src/" + name + ".go", NewPath: "src/" + name + ".go"}}
	if c.Merge {
		c.Changes, class = nil, "merge"
	}
	w.commits = append(w.commits, c)
	w.byName[name] = c
	w.names[c.Hash] = name
	var ts []string
	if tickets != "" {
		ts = strings.Fields(tickets)
	}
	w.results = append(w.results, classify.Result{Commit: c, Class: class, Tickets: ts})
	return c
}

func (w *world) edge(from, to string, kind deps.Kind) {
	w.edges = append(w.edges, deps.Edge{Commit: w.byName[from].Hash, DependsOn: w.byName[to].Hash, Kind: kind,
		Path: "src/" + to + ".go", Lines: []deps.LineRange{{Start: 3, Count: 1}}, Evidence: map[deps.Kind]string{deps.Symbol: "SOME_NAME", deps.File: "modifies"}[kind]})
}

func (w *world) plan(opts Options) *Plan {
	w.t.Helper()
	g, err := deps.NewGraph(w.commits[0].Hash, w.commits[len(w.commits)-1].Hash, w.commits, w.edges)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := Build(Input{Graph: g, Results: w.results, Present: w.present}, opts)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// decisions renders "name=decision" for every commit.
func (w *world) decisions(p *Plan) string {
	var out []string
	for _, c := range p.Commits {
		out = append(out, w.names[c.Result.Commit.Hash]+"="+string(c.Decision))
	}
	return strings.Join(out, " ")
}

func (w *world) picks(p *Plan) string {
	var out []string
	for _, h := range p.Picks {
		out = append(out, w.names[h])
	}
	return strings.Join(out, " ")
}

func (w *world) reason(p *Plan, name string) string {
	for _, c := range p.Commits {
		if c.Result.Commit.Hash == w.byName[name].Hash {
			return c.Reason
		}
	}
	return ""
}

func (w *world) hashesOf(hs []plumbing.Hash) string {
	var out []string
	for _, h := range hs {
		out = append(out, w.names[h])
	}
	return strings.Join(out, " ")
}

func (w *world) find(p *Plan, name string) *Commit {
	for i := range p.Commits {
		if p.Commits[i].Result.Commit.Hash == w.byName[name].Hash {
			return &p.Commits[i]
		}
	}
	return nil
}

// story: F1 (feature PAY-1) <- F2 (feature PAY-1, on F1's lines) <- X (fix
// PAY-2, on F2's lines); Y (fix PAY-3) independent; S (fix PAY-4) uses a
// symbol of F3 (feature PAY-5).
func storyWorld(t *testing.T) *world {
	w := newWorld(t)
	w.commit("F1", "feature", "PAY-1")
	w.commit("F2", "feature", "PAY-1")
	w.commit("X", "recette-fix", "PAY-2")
	w.commit("Y", "recette-fix", "PAY-3")
	w.commit("F3", "feature", "PAY-5")
	w.commit("S", "prod-fix", "PAY-4")
	w.commit("D", "chore", "")
	w.edge("F2", "F1", deps.Line)
	w.edge("X", "F2", deps.Adjacent)
	w.edge("S", "F3", deps.Symbol)
	return w
}

func TestPullBringsWhatKeptCommitsNeed(t *testing.T) {
	w := storyWorld(t)
	p := w.plan(Options{Keep: []string{"class:recette-fix", "class:prod-fix"}})
	if got := w.decisions(p); got != "F1=pull F2=pull X=keep Y=keep F3=drop S=keep D=drop" {
		t.Errorf("decisions: %s", got)
	}
	if got := w.picks(p); got != "F1 F2 X Y S" {
		t.Errorf("picks: %s", got)
	}
	f1 := w.find(p, "F1")
	if got := w.hashesOf(f1.RequiredBy); got != "X" {
		t.Errorf("F1 required by %s", got)
	}
	if len(f1.Chain) != 2 || f1.Chain[0].Commit != w.byName["X"].Hash || f1.Chain[1].DependsOn != w.byName["F1"].Hash {
		t.Errorf("F1 chain %+v", f1.Chain)
	}
	want := fmt.Sprintf("pulled: needed by %s (PAY-2): %s -adjacent-> %s -line-> %s (%s changes line 3 of src/F1.go, last written by %s (PAY-1))",
		w.byName["X"].Short(), w.byName["X"].Short(), w.byName["F2"].Short(), w.byName["F1"].Short(), w.byName["F2"].Short(), w.byName["F1"].Short())
	if got := w.reason(p, "F1"); got != want {
		t.Errorf("F1 reason:\n%s\nwant\n%s", got, want)
	}
	if got := w.hashesOf(w.find(p, "X").Requires); got != "F2" {
		t.Errorf("X requires %s", got)
	}
	// The soft edge crosses the cut: a warning, never silence.
	if len(p.Warnings) != 1 || p.Warnings[0].Kind != "symbol" || p.Warnings[0].Commit != w.byName["S"].Hash || p.Warnings[0].DependsOn != w.byName["F3"].Hash {
		t.Fatalf("warnings: %+v", p.Warnings)
	}
	if !strings.Contains(p.Warnings[0].Evidence, "uses SOME_NAME") {
		t.Errorf("warning evidence: %s", p.Warnings[0].Evidence)
	}
	// With symbol edges followed, F3 comes along and the warning goes.
	p = w.plan(Options{Keep: []string{"class:recette-fix", "class:prod-fix"}, With: []deps.Kind{deps.Symbol}})
	if got := w.decisions(p); got != "F1=pull F2=pull X=keep Y=keep F3=pull S=keep D=drop" || len(p.Warnings) != 0 {
		t.Errorf("with symbol: %s, warnings %+v", got, p.Warnings)
	}
}

func TestPullDespiteDrop(t *testing.T) {
	w := storyWorld(t)
	p := w.plan(Options{Keep: []string{"class:recette-fix"}, Drop: []string{"class:feature"}})
	if got := w.decisions(p); got != "F1=pull F2=pull X=keep Y=keep F3=drop S=drop D=drop" {
		t.Errorf("decisions: %s", got)
	}
	if r := w.reason(p, "F2"); !strings.HasSuffix(r, "(despite --drop class:feature)") {
		t.Errorf("F2 reason: %s", r)
	}
	if r := w.reason(p, "F3"); r != "dropped by class:feature" {
		t.Errorf("F3 reason: %s", r)
	}
	if r := w.reason(p, "D"); r != "not selected" {
		t.Errorf("D reason: %s", r)
	}
}

func TestPruneDropsWhatCannotStand(t *testing.T) {
	w := storyWorld(t)
	w.commit("Z", "recette-fix", "PAY-6")
	w.edge("Z", "X", deps.File) // Z needs X, which needs F2
	p := w.plan(Options{Keep: []string{"class:recette-fix", "class:prod-fix"}, Strategy: StrategyPrune})
	if got := w.decisions(p); got != "F1=drop F2=drop X=drop Y=keep F3=drop S=keep D=drop Z=drop" {
		t.Errorf("decisions: %s", got)
	}
	x, z := w.find(p, "X"), w.find(p, "Z")
	if !strings.HasPrefix(x.Reason, "pruned: it needs "+w.byName["F2"].Short()+" (PAY-1), which is not kept") {
		t.Errorf("X reason: %s", x.Reason)
	}
	if !strings.HasPrefix(z.Reason, "pruned: it needs "+w.byName["X"].Short()+" (PAY-2), which is pruned itself") || len(z.Chain) != 2 {
		t.Errorf("Z reason: %s, chain %d", z.Reason, len(z.Chain))
	}
	if got := w.picks(p); got != "Y S" {
		t.Errorf("picks: %s", got)
	}
}

func TestExactWarnsOfEveryCrossingEdge(t *testing.T) {
	w := storyWorld(t)
	p := w.plan(Options{Keep: []string{"class:recette-fix", "class:prod-fix"}, Strategy: StrategyExact})
	if got := w.decisions(p); got != "F1=drop F2=drop X=keep Y=keep F3=drop S=keep D=drop" {
		t.Errorf("decisions: %s", got)
	}
	var kinds []string
	for _, wn := range p.Warnings {
		kinds = append(kinds, w.names[wn.Commit]+"->"+w.names[wn.DependsOn]+":"+wn.Kind)
	}
	if got := strings.Join(kinds, " "); got != "X->F2:adjacent S->F3:symbol" {
		t.Errorf("warnings: %s", got)
	}
}

func TestSpecificSelectorsWin(t *testing.T) {
	w := storyWorld(t)
	p := w.plan(Options{Keep: []string{"class:recette-fix", "commit:" + w.byName["F3"].Hash.String()[:8]}, Drop: []string{"class:feature", "ticket:PAY-3"}})
	if got := w.decisions(p); got != "F1=pull F2=pull X=keep Y=drop F3=keep S=drop D=drop" {
		t.Errorf("decisions: %s", got)
	}
	if r := w.reason(p, "F3"); r != "kept by commit:"+w.byName["F3"].Hash.String()[:8]+" (more specific than class:feature)" {
		t.Errorf("F3: %s", r)
	}
	if r := w.reason(p, "Y"); r != "dropped by ticket:PAY-3 (it also matches class:recette-fix)" {
		t.Errorf("Y: %s", r)
	}
}

func TestDropOnly(t *testing.T) {
	w := storyWorld(t)
	p := w.plan(Options{Drop: []string{"ticket:PAY-1"}, Strategy: StrategyPrune})
	if got := w.decisions(p); got != "F1=drop F2=drop X=drop Y=keep F3=keep S=keep D=keep" {
		t.Errorf("decisions: %s", got)
	}
}

func TestPresentCommitsAreNotPickedAgain(t *testing.T) {
	w := storyWorld(t)
	w.present[w.byName["F2"].Hash] = Presence{How: "patch-id", Evidence: "abc1234 has the same patch"}
	w.present[w.byName["Y"].Hash] = Presence{How: "cherry-pick", Evidence: "def5678 says (cherry picked from commit ...)"}
	p := w.plan(Options{Keep: []string{"class:recette-fix"}, Onto: "release/1.5"})
	// F2 is there already: F1, which only F2 needed, stays out.
	if got := w.decisions(p); got != "F1=drop F2=present X=keep Y=present F3=drop S=drop D=drop" {
		t.Errorf("decisions: %s", got)
	}
	if r := w.reason(p, "Y"); r != "already on release/1.5: def5678 says (cherry picked from commit ...)" {
		t.Errorf("Y: %s", r)
	}
	if got := w.picks(p); got != "X" {
		t.Errorf("picks: %s", got)
	}
}

func TestMergesAreNeverPicked(t *testing.T) {
	w := newWorld(t)
	w.commit("A", "feature", "PAY-1")
	w.commit("H", "prod-fix", "PAY-9", "A")
	w.commit("B", "feature", "PAY-1", "A")
	w.commit("M", "", "", "B", "H") // merges H into B's line
	w.commit("C", "recette-fix", "PAY-2", "M")
	w.commit("E", "recette-fix", "PAY-3", "C")
	w.edge("C", "H", deps.Line)
	w.edge("M", "B", deps.Line) // the merge resolved a conflict over B's and A's lines
	w.edge("M", "A", deps.Line)
	w.edge("E", "M", deps.Line) // E edits the resolution
	p := w.plan(Options{Keep: []string{"class:recette-fix"}})
	if got := w.decisions(p); got != "A=pull H=pull B=pull M=keep C=keep E=keep" {
		t.Errorf("decisions: %s", got)
	}
	if got := w.picks(p); got != "A H B C E" {
		t.Errorf("picks (no merge): %s", got)
	}
	if r := w.reason(p, "M"); r != "merge, not picked itself: 1 of the 1 commits it merged are picked or present, and bring its changes" {
		t.Errorf("M: %s", r)
	}
	if got := w.hashesOf(w.find(p, "E").Requires); got != "A B" {
		t.Errorf("E requires (through the merge): %s", got)
	}
	if len(p.Warnings) != 1 || p.Warnings[0].Kind != "merge-resolution" || p.Warnings[0].Commit != w.byName["E"].Hash {
		t.Errorf("warnings: %+v", p.Warnings)
	}
	// Nothing of the merged branch picked: the merge is dropped.
	p = w.plan(Options{Keep: []string{"ticket:PAY-1"}})
	if got := w.decisions(p); got != "A=keep H=drop B=keep M=drop C=drop E=drop" {
		t.Errorf("decisions: %s", got)
	}
}

func TestTicketsAndSummary(t *testing.T) {
	w := storyWorld(t)
	w.commit("F4", "feature", "PAY-1") // a third commit of PAY-1 nobody needs
	p := w.plan(Options{Keep: []string{"class:recette-fix", "class:prod-fix"}})
	var tickets []string
	for _, tk := range p.Tickets {
		tickets = append(tickets, fmt.Sprintf("%s:%s(%d in, %d out)", tk.ID, tk.Status, len(tk.In), len(tk.Out)))
	}
	if got := strings.Join(tickets, " "); got != "PAY-1:partly kept(2 in, 1 out) PAY-2:kept(1 in, 0 out) PAY-3:kept(1 in, 0 out) PAY-4:kept(1 in, 0 out) PAY-5:dropped(0 in, 1 out)" {
		t.Errorf("tickets: %s", got)
	}
	if r := w.reason(p, "F1"); !strings.HasSuffix(r, "; ticket PAY-1 stays partly out: "+w.byName["F4"].Short()+" not picked") {
		t.Errorf("F1 reason: %s", r)
	}
	s := p.Summary
	if s.Total != 8 || s.ByDecision[Keep] != 3 || s.ByDecision[Pull] != 2 || s.ByDecision[Drop] != 3 || s.ByClass["feature"][Pull] != 2 || s.ByClass["feature"][Drop] != 2 {
		t.Errorf("summary: %+v", s)
	}
	if strings.Join(s.TicketsPartly, ",") != "PAY-1" || strings.Join(s.TicketsDropped, ",") != "PAY-5" || len(s.TicketsKept) != 3 {
		t.Errorf("ticket summary: %+v", s)
	}
}

func TestSelectorErrors(t *testing.T) {
	for in, want := range map[string]string{
		"klass:feature": `unknown selector kind "klass" in "klass:feature": use class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT (e.g. --keep class:recette-fix --keep ticket:PAY-110)`,
		"feature":       `selector "feature" has no kind: use class:NAME`,
		"class:":        `selector "class:" has no value`,
		"commit:xyz":    `"xyz" is not a commit SHA or a prefix of one`,
		"rev:abc":       `"abc" is not a Subversion revision (e.g. rev:24911 or rev:r24911)`,
		"path:src/[a":   `"src/[a" is not a valid glob`,
	} {
		_, err := ParseSelector(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
	w := storyWorld(t)
	g, _ := deps.NewGraph(w.commits[0].Hash, w.commits[len(w.commits)-1].Hash, w.commits, w.edges)
	if _, err := Build(Input{Graph: g, Results: w.results}, Options{}); err == nil || !strings.Contains(err.Error(), "nothing selected") {
		t.Errorf("empty selection: %v", err)
	}
	if _, err := Build(Input{Graph: g, Results: w.results}, Options{Keep: []string{"tiket:1"}}); err == nil || !strings.HasPrefix(err.Error(), "--keep: unknown selector kind") {
		t.Errorf("bad keep: %v", err)
	}
	p, err := Build(Input{Graph: g, Results: w.results}, Options{Keep: []string{"class:recete-fix"}})
	if err != nil || len(p.Notes) != 1 || p.Notes[0] != "selector class:recete-fix matches no commit of the range (classes here: chore, feature, prod-fix, recette-fix)" {
		t.Errorf("notes: %q %v", p.Notes, err)
	}
	if _, err := ParseStrategy("prnue"); err == nil || !strings.Contains(err.Error(), "use pull") {
		t.Errorf("strategy: %v", err)
	}
}

func TestSelectorsMatch(t *testing.T) {
	c := &vcs.Commit{Hash: hashOf("x"), SvnRev: 24911, Author: vcs.Signature{Name: "Jérôme Dupont", Email: "jerome.dupont@pay.example.com"},
		Changes: []vcs.FileChange{{Status: vcs.Renamed, OldPath: "src/main/webapp/booking.jsp", NewPath: "src/main/webapp/WEB-INF/views/booking.jsp"}}}
	r := &classify.Result{Commit: c, Class: "Recette-Fix", Tickets: []string{"PAY-110", "PAY-111"}}
	for sel, want := range map[string]bool{
		"class:recette-fix": true, "class:feature": false, "ticket:pay-111": true, "ticket:PAY-11": false,
		"commit:" + c.Hash.String()[:7]: true, "commit:" + c.Hash.String(): true, "commit:0000000": false,
		"rev:24911": true, "rev:r24911": true, "rev:24912": false,
		"path:**/*.jsp": true, "path:src/main/webapp/*.jsp": true, "path:docs/**": false,
		"author:jérôme": true, "author:DUPONT@pay": true, "author:camille": false,
	} {
		s, err := ParseSelector(sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Match(r); got != want {
			t.Errorf("%s: %v, want %v", sel, got, want)
		}
	}
}

func TestMergedRevisions(t *testing.T) {
	for msg, want := range map[string]string{
		"Merged r24913 from trunk":                                   "24913",
		"Merged r24911, r24915-r24917 and r24920 from trunk\n\nbody": "24911 24915 24916 24917 24920",
		"merging r100:102 into release":                              "100 101 102",
		"Fix the regression of r24911":                               "",
		"PAY-12: see r24911":                                         "",
		"Merge branch 'hotfix/PAY-111'":                              "",
		"Merge of release\n\nsvn:mergeinfo /trunk:24911,24915-24916": "24911 24915 24916",
		"Merged r1-r999999 from trunk":                               "1",
		"Merged r99999999999999999999 and r5":                        "5",
	} {
		var got []string
		for _, r := range MergedRevisions(msg) {
			got = append(got, fmt.Sprint(r))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: %v, want %s", msg, got, want)
		}
	}
}
