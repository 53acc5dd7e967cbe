package plan_test

import (
	"context"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// storyResults classifies the story's range with its config and Jira export.
func storyResults(t testing.TB, s *repos.Story, rng *vcs.Range) []classify.Result {
	t.Helper()
	cfg, err := config.Load(s.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := classify.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cl.Classify(rng.Commits)
}

func TestStoryPullPlan(t *testing.T) {
	s := gittest.Story(t)
	_, rng, g := readFixture(t, s.Dir, s.Base+".."+s.Head)
	p, err := plan.Build(plan.Input{Graph: g, Results: storyResults(t, s, rng)}, plan.Options{Keep: []string{"class:recette-fix", "class:prod-fix"}})
	if err != nil {
		t.Fatal(err)
	}
	names := storyNames(s)
	decision := map[string]*plan.Commit{}
	for i := range p.Commits {
		decision[names[p.Commits[i].Result.Commit.Hash]] = &p.Commits[i]
	}
	for name, want := range map[string]plan.Decision{
		"feature-reduced-rate": plan.Pull, "feature-sepa": plan.Pull, "feature-sepa-mandate": plan.Pull,
		"feature-invoice-footer": plan.Pull, "feature-drop-legacy-rates": plan.Pull, "hotfix-gateway-retry": plan.Keep,
		"recette-fix-reduced-rate": plan.Keep, "feature-loyalty-backend": plan.Drop, "rename-views": plan.Drop,
		"merge-hotfix": plan.Keep, "typo-readme": plan.Drop,
	} {
		c := decision[name]
		if c == nil {
			t.Errorf("%s: not in the plan", name)
			continue
		}
		if c.Decision != want {
			t.Errorf("%s: %s (%s), want %s", name, c.Decision, c.Reason, want)
		}
	}
	if got := sortedNames(names, decision["feature-reduced-rate"].RequiredBy); strings.Join(got, " ") != "recette-fix-reduced-rate" {
		t.Errorf("feature-reduced-rate required by %v", got)
	}
	if got := sortedNames(names, decision["feature-sepa"].RequiredBy); strings.Join(got, " ") != "recette-fix-sepa" {
		t.Errorf("feature-sepa required by %v", got)
	}
	// Soft edges crossing the cut are warnings: the recette fix of the
	// booking page changes a file rename-views (dropped) moved.
	found := false
	for _, w := range p.Warnings {
		if w.Kind == "rename" && names[w.Commit] == "recette-fix-booking-page" && names[w.DependsOn] == "rename-views" {
			found = true
		}
	}
	if !found {
		t.Errorf("no rename warning for recette-fix-booking-page; warnings: %+v", p.Warnings)
	}
	for i, h := range p.Picks {
		if i > 0 {
			a, _ := g.Index(p.Picks[i-1])
			b, _ := g.Index(h)
			if a >= b {
				t.Errorf("picks out of range order at %d", i)
			}
		}
		if g.Commit(h).Merge {
			t.Errorf("a merge is picked: %s", names[h])
		}
	}
}

// TestStoryOnto: release/1.5 already holds some of the range, each found
// its own way.
func TestStoryOnto(t *testing.T) {
	s := gittest.Story(t)
	repo, rng, g := readFixture(t, s.Dir, s.Base+".."+s.Head)
	onto, err := repo.Resolve(s.Release)
	if err != nil {
		t.Fatal(err)
	}
	present, err := plan.FindPresent(context.Background(), repo, rng, onto)
	if err != nil {
		t.Fatal(err)
	}
	names := storyNames(s)
	got := map[string]string{}
	for h, pr := range present {
		got[names[h]] = pr.How
	}
	want := map[string]string{
		"prod-fix-vat": "svn-merge", "prod-fix-rounding": "cherry-pick", "recette-fix-card-expiry": "cherry-pick",
		"prod-fix-no-double-charge": "patch-id", "hotfix-gateway-timeout": "same-commit", "hotfix-gateway-retry": "same-commit",
	}
	for name, how := range want {
		if got[name] != how {
			t.Errorf("%s: present by %q, want %q (%+v)", name, got[name], how, present[s.Commits[name]])
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s found present (%+v), unexpectedly", name, present[s.Commits[name]])
		}
	}
	p, err := plan.Build(plan.Input{Graph: g, Results: storyResults(t, s, rng), Present: present},
		plan.Options{Keep: []string{"class:recette-fix", "class:prod-fix"}, Onto: s.Release})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range p.Picks {
		if _, ok := present[h]; ok {
			t.Errorf("%s is picked though present", names[h])
		}
	}
	// Picking onto the release branch applies cleanly too.
	git := cloneForPicks(t, s.Dir)
	if out, detail := git.pick("origin/"+s.Release, p.Picks); out != clean {
		t.Errorf("picks onto %s: %s at %s", s.Release, out, detail)
	}
	_ = plumbing.ZeroHash
}
