package deps_test

import (
	"reflect"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// TestTreeChangesCompleteAsDiffTrees: for every merge of a generated history
// and each of its parents, the paths TreeChanges lists, completed one by one
// with FileDiff, are DiffTrees' changes whenever no rename can be paired
// (the case Build relies on; otherwise it diffs the trees whole).
func TestTreeChangesCompleteAsDiffTrees(t *testing.T) {
	gen, err := repos.GenerateCached(repos.GenOptions{Seed: 3, Commits: 400, Files: 80, MergeEvery: 4})
	if err != nil {
		t.Fatal(err)
	}
	repo, rng := gittest.ReadRange(t, gen.Dir, gen.Base.String()+".."+gen.Head.String())
	checked := 0
	for _, m := range rng.Commits {
		if len(m.Parents) < 2 {
			continue
		}
		for _, p := range m.Parents {
			pc, err := repo.Commit(p)
			if err != nil {
				t.Fatal(err)
			}
			listed, err := repo.TreeChanges(pc.Tree, m.Tree)
			if err != nil {
				t.Fatal(err)
			}
			added, deleted := false, false
			for _, fc := range listed {
				added = added || fc.Status == vcs.Added
				deleted = deleted || fc.Status == vcs.Deleted
			}
			if added && deleted {
				continue
			}
			want, err := repo.DiffTrees(pc.Tree, m.Tree)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]vcs.FileChange, len(listed))
			for i, fc := range listed {
				if got[i], err = repo.FileDiff(fc); err != nil {
					t.Fatal(err)
				}
			}
			if len(got) == 0 && len(want) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("merge %s against %s: completed %+v, DiffTrees %+v", m.Short(), p.String()[:7], got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no merge diff compared")
	}
	t.Logf("%d merge diffs compared", checked)
}
