package classify

import (
	"context"
	"testing"

	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/vcs"
)

// TestStory classifies the PAY story repository end to end (vcs reads it, the
// config and Jira export beside it drive the rules), with the config and
// with the built-in rules.
func TestStory(t *testing.T) {
	s := gittest.NewStory(t)
	repo, err := vcs.Open(s.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	base, head, err := repo.ParseRange(s.Base + ".." + s.Head)
	if err != nil {
		t.Fatal(err)
	}
	rng, err := repo.ReadRange(context.Background(), base, head, vcs.ReadOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(s.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for n, h := range s.Commits {
		names[h.String()] = n
	}

	withConfig := map[string]string{
		"prod-fix-vat": "prod-fix", "prod-fix-rounding": "prod-fix", "hotfix-gateway-timeout": "prod-fix",
		"hotfix-gateway-retry": "prod-fix", "prod-fix-no-double-charge": "prod-fix", "hotfix-null-basket": "prod-fix",
		"recette-fix-sepa": "recette-fix", "recette-fix-invoice-currency": "recette-fix", "recette-fix-reduced-rate": "recette-fix",
		"recette-fix-reduced-rate-invoice": "recette-fix", "recette-fix-card-expiry": "recette-fix", "fixup-card-expiry": "recette-fix",
		"recette-fix-legacy-rates": "recette-fix", "recette-fix-booking-page": "recette-fix", "mixed-card-number": "recette-fix",
		"docs-payment-flows": "chore",
		"merge-hotfix":       "merge", "merge-export": "merge",
		"format-whitespace": "unclassified", "mode-deploy-script": "unclassified", "rename-views": "unclassified",
		"typo-readme": "unclassified", "task-upgrade-driver": "unclassified", "ticket-missing-export": "unclassified",
		"task-log4j-link": "unclassified",
	}
	// The built-in rules agree on tickets and differ where only the message or the paths speak.
	builtin := map[string]string{"revert-exchange-cache": "revert", "typo-readme": "chore"}

	for _, mode := range []string{"config", "builtin"} {
		c := cfg
		if mode == "builtin" {
			c = nil
		}
		cl, err := New(c, []Source{{Path: s.TicketsPath}})
		if err != nil {
			t.Fatal(err)
		}
		results := cl.Classify(rng.Commits)
		if len(results) != len(rng.Commits) || len(results) != 45 {
			t.Fatalf("%s: %d results for %d commits", mode, len(results), len(rng.Commits))
		}
		seen := map[string]Result{}
		for _, r := range results {
			name := names[r.Commit.Hash.String()]
			seen[name] = r
			want := withConfig[name]
			if want == "" {
				want = "feature" // every other commit of the story names a Story, Improvement or New Feature
			}
			if b, ok := builtin[name]; ok && mode == "builtin" {
				want = b
			}
			if r.Class != want {
				t.Errorf("%s: %s is %s (%s %q), want %s", mode, name, r.Class, r.Rule, r.Evidence, want)
			}
			if r.Mixed != (name == "mixed-card-number") {
				t.Errorf("%s: %s mixed = %v", mode, name, r.Mixed)
			}
		}
		if r := seen["hotfix-gateway-retry"]; r.Branch != "hotfix/PAY-111" {
			t.Errorf("%s: hotfix branch = %q", mode, r.Branch)
		}
		if r := seen["feature-export-columns"]; r.Branch != "feature/PAY-118-booking-export" {
			t.Errorf("%s: export branch = %q", mode, r.Branch)
		}
		if r := seen["ticket-missing-export"]; r.Evidence[len(r.Evidence)-1] != "PAY-121 not in the ticket exports" {
			t.Errorf("%s: missing ticket evidence = %q", mode, r.Evidence)
		}
		if r := seen["mode-deploy-script"]; len(r.Tickets) != 1 || r.Tickets[0] != "#12" {
			t.Errorf("%s: refs #12 = %q", mode, r.Tickets)
		}
	}
	// Rules are named by their line in the story's config.
	cl, _ := New(cfg, nil)
	for _, r := range cl.Classify(rng.Commits) {
		if names[r.Commit.Hash.String()] == "hotfix-null-basket" && r.Rule != "rule at .triage.yaml:16 (prod-fix)" {
			t.Errorf("hotfix-null-basket rule = %q", r.Rule)
		}
	}
}
