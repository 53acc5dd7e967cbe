package risk

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/apply"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

func javaLines(name string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    // %s line %d\n", name, i)
	}
	return b.String()
}

// TestAssessPlanOnARepository builds a real repository where every plan
// signal fires once, with the pruned branch made by hand (the kept changes
// re-done on the base, as apply would), and reads it through vcs.
func TestAssessPlanOnARepository(t *testing.T) {
	dir := t.TempDir()
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ann := repos.Person{Name: "Ann", Email: "ann@example.com"}
	bob := repos.Person{Name: "Bob", Email: "bob@example.com"}
	must := func(_ plumbing.Hash, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	rates, card, invoice := javaLines("Rates", 30), javaLines("Card", 20), javaLines("Invoice", 20)
	must(b.Commit(ann, "initial", repos.Write("src/pay/Rates.java", rates), repos.Write("src/pay/Card.java", card),
		repos.Write("src/pay/Invoice.java", invoice), repos.Write("web/rates.jsp", "<p>rates</p>\n")))
	// History: Rates.java and web/rates.jsp change together 7 times out of 9 (the initial commit too).
	for i := 1; i <= 8; i++ {
		ch := []repos.Change{repos.Edit("src/pay/Rates.java", fmt.Sprintf("line %d\n", i+20), fmt.Sprintf("line %d v%d\n", i+20, i))}
		if i <= 6 {
			ch = append(ch, repos.Write("web/rates.jsp", fmt.Sprintf("<p>rates %d</p>\n", i)))
		}
		must(b.Commit(ann, fmt.Sprintf("rates %d", i), ch...))
	}
	if err := b.Tag("v1"); err != nil {
		t.Fatal(err)
	}
	if err := b.Checkout("recette", "v1"); err != nil {
		t.Fatal(err)
	}
	must(b.Commit(bob, "PAY-1 student rate", repos.Edit("src/pay/Rates.java", "Rates line 5\n", "Rates line 5 STUDENT_RATE\n"),
		repos.Write("web/rates.jsp", "<p>student</p>\n")))
	must(b.Commit(ann, "PAY-2 refuse expired cards", repos.Edit("src/pay/Rates.java", "Rates line 15\n", "Rates line 15 fixed\n"),
		repos.Edit("src/pay/Card.java", "Card line 3\n", "Card line 3 uses STUDENT_RATE\n")))
	must(b.Commit(ann, "PAY-3 invoice rounding", repos.Edit("src/pay/Invoice.java", "Invoice line 10\n", "Invoice line 10 rounded\n")))
	must(b.Commit(bob, "PAY-4 invoice footer", repos.InsertAfter("src/pay/Invoice.java", "Invoice line 12\n", "    footer();\n    legal();\n")))
	must(b.Commit(bob, "PAY-5 fix: rounding of negative totals", repos.Edit("src/pay/Invoice.java", "line 10 rounded\n", "line 10 rounded, signed\n")))
	// The pruned branch: the kept PAY-2 and PAY-3 re-done on v1.
	if err := b.Checkout("pruned", "v1"); err != nil {
		t.Fatal(err)
	}
	must(b.Commit(ann, "PAY-2 refuse expired cards", repos.Edit("src/pay/Rates.java", "Rates line 15\n", "Rates line 15 fixed\n"),
		repos.Edit("src/pay/Card.java", "Card line 3\n", "Card line 3 uses STUDENT_RATE\n")))
	must(b.Commit(ann, "PAY-3 invoice rounding", repos.Edit("src/pay/Invoice.java", "Invoice line 10\n", "Invoice line 10 rounded\n")))
	if err := b.Finish("recette"); err != nil {
		t.Fatal(err)
	}

	r, err := vcs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	base, head, pruned := resolve(t, r, "v1"), resolve(t, r, "recette"), resolve(t, r, "pruned")
	rg, err := r.ReadRange(ctx, base, head, vcs.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	history, _, err := ReadHistory(ctx, r, base, HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := rg.Commits
	f1, k1, k2, f2, d3 := c[0], c[1], c[2], c[3], c[4]
	tree := func(h plumbing.Hash) plumbing.Hash {
		cm, err := r.Commit(h)
		if err != nil {
			t.Fatal(err)
		}
		return cm.Tree
	}
	// The hand-made pruned branch is what apply builds from the picks.
	applied, err := apply.Apply(ctx, r.Storer(), base, hashes(k1, k2), apply.Options{DryRun: true, Reproducible: true,
		Committer: &apply.Identity{Name: "t", Email: "t@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if applied.Tree != tree(pruned) {
		t.Fatalf("apply's tree %s differs from the fixture's pruned tree %s", applied.Tree, tree(pruned))
	}
	edges := EdgesOf(buildGraph(t, r, rg))
	edges = append(edges, Edge{Commit: k1.Hash, DependsOn: f1.Hash, Kind: KindSymbol, Path: "src/pay/Card.java", Evidence: "STUDENT_RATE"})
	got, err := AssessPlan(PlanInput{Commits: c, Kept: hashes(k1, k2), Dropped: hashes(f1, f2, d3), Edges: edges, History: history,
		Tickets: map[plumbing.Hash][]string{k1.Hash: {"PAY-2"}, k2.Hash: {"PAY-3"}},
		Trees:   RepoTrees(r), OntoTree: tree(base), HeadTree: tree(head), PrunedTree: tree(pruned)})
	if err != nil {
		t.Fatal(err)
	}
	s := func(cs ...*vcs.Commit) []string {
		out := []string{}
		for _, x := range cs {
			out = append(out, x.Hash.String())
		}
		return out
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	check("untested", got.UntestedFiles, []UntestedFile{{Path: "src/pay/Rates.java", LinesDifferingFromHead: 2}})
	check("interleaved", got.InterleavedFiles, []InterleavedFile{
		{Path: "src/pay/Invoice.java", Kept: s(k2), Dropped: s(f2, d3)},
		{Path: "src/pay/Rates.java", Kept: s(k1), Dropped: s(f1)}})
	check("near misses", got.NearMisses, []NearMiss{{Path: "src/pay/Invoice.java", Kept: k2.Hash.String(), Dropped: f2.Hash.String(),
		KeptLines: "10", DroppedLines: "13-14", Distance: 2}})
	check("build breaks", got.BuildBreaks, []BuildBreak{{Commit: k1.Hash.String(), DependsOn: f1.Hash.String(), Evidence: "src/pay/Card.java uses STUDENT_RATE"}})
	check("follow-ups", got.DroppedFollowups, []Followup{{Commit: k2.Hash.String(), Followup: d3.Hash.String(), Kind: "fix",
		Evidence: "the dropped fix changes its lines 10 of src/pay/Invoice.java"}})
	check("split co-changes", got.SplitCochanges, []SplitCochange{{KeptFile: "src/pay/Rates.java", DroppedFile: "web/rates.jsp",
		Support: 7, Confidence: 0.78, Kept: s(k1), Dropped: s(f1)}})
	if got.Level != High || len(got.Reasons) != 6 {
		t.Errorf("level %s, reasons %q", got.Level, got.Reasons)
	}
	var files []string
	for _, f := range got.Retest.Files {
		files = append(files, f.Path)
	}
	check("retest files", files, []string{"src/pay/Card.java", "src/pay/Invoice.java", "src/pay/Rates.java", "web/rates.jsp"})
	check("retest tickets", got.Retest.Tickets, []RetestTicket{{ID: "PAY-2", Files: []string{"src/pay/Card.java", "src/pay/Rates.java"}},
		{ID: "PAY-3", Files: []string{"src/pay/Invoice.java"}}})
}
