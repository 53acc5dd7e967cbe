package classify

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/triage-dev/triage/internal/config"
	"github.com/triage-dev/triage/internal/vcs"
)

// history builds commits by hand: fixed hashes, parents by index.
type history struct{ commits []*vcs.Commit }

func hash(n int) plumbing.Hash { return plumbing.NewHash(fmt.Sprintf("%040x", n)) }

// add appends a commit whose parents are earlier commits (by index), or the
// range base (-1) which lies outside the range.
func (h *history) add(msg string, parents []int, paths ...string) *vcs.Commit {
	c := commit(msg)
	c.Hash = hash(len(h.commits) + 1)
	c.Author = vcs.Signature{Name: "Jean Dupont", Email: "jdupont@example.com"}
	for _, p := range parents {
		if p < 0 {
			c.Parents = append(c.Parents, hash(1000))
		} else {
			c.Parents = append(c.Parents, h.commits[p].Hash)
		}
	}
	c.Merge = len(c.Parents) > 1
	if !c.Merge {
		for _, p := range paths {
			c.Changes = append(c.Changes, vcs.FileChange{Status: vcs.Modified, OldPath: p, NewPath: p})
		}
	}
	h.commits = append(h.commits, c)
	return c
}

func loadTestConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(filepath.Join("testdata", ".triage.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type want struct {
	class, rule string
	evidence    []string
	mixed       bool
	tickets     []string
}

func check(t *testing.T, r Result, w want) {
	t.Helper()
	if r.Class != w.class || r.Rule != w.rule || !reflect.DeepEqual(r.Evidence, w.evidence) || r.Mixed != w.mixed {
		t.Errorf("%q:\n got %s | %s | %q | mixed=%v\nwant %s | %s | %q | mixed=%v",
			r.Commit.Subject, r.Class, r.Rule, r.Evidence, r.Mixed, w.class, w.rule, w.evidence, w.mixed)
	}
	if w.tickets != nil && !reflect.DeepEqual(r.Tickets, w.tickets) {
		t.Errorf("%q: tickets %q, want %q", r.Commit.Subject, r.Tickets, w.tickets)
	}
}

func TestClassifyWithRules(t *testing.T) {
	c, err := New(loadTestConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	h := &history{}
	h.add("SHOP-412: VAT on invoices", []int{-1}, "src/billing/vat.go")                 // 0
	h.add("SHOP-415 rounding in cart", []int{0}, "src/cart/round.go")                   // 1
	h.add("SHOP-398 export invoices as CSV", []int{1}, "src/export/csv.go")             // 2
	h.add("Update the guide", []int{2}, "docs/guide.md", "docs/img/a.png", "README.md") // 3
	h.add("Guide and code", []int{3}, "docs/guide.md", "src/a.go")                      // 4
	h.add("HOTFIX restart consumers", []int{4}, "etc/log4j.properties")                 // 5
	h.add("SHOP-412 SHOP-398 shared helper", []int{5}, "src/util.go")                   // 6
	renovate := h.add("Bump log4j", []int{6}, "pom.xml")                                // 7
	h.add("SHOP-999 unknown ticket", []int{7}, "src/x.go")                              // 8
	h.add("SHOP-403 labels", []int{8}, "src/ui/labels.go")                              // 9
	h.add("Mise à jour de la traduction", []int{9}, "i18n/fr.properties")               // 10
	h.add("traduction et code", []int{10}, "i18n/fr.properties", "src/ui/a.go")         // 11
	h.add("SHOP-401 SHOP-412 loyalty uses VAT", []int{11}, "src/loyalty.go")            // 12
	h.add("Empty commit", []int{12})                                                    // 13
	renovate.Author = vcs.Signature{Name: "renovate[bot]", Email: "bot@renovateapp.com"}

	results := c.Classify(h.commits)
	if len(results) != len(h.commits) {
		t.Fatalf("%d results", len(results))
	}
	pf := "rule at .triage.yaml:6 (prod-fix)"
	wants := []want{
		{"prod-fix", pf, []string{"SHOP-412 type=Bug, Environment=Production"}, false, []string{"SHOP-412"}},
		{"recette-fix", "rule at .triage.yaml:8 (recette-fix)", []string{"SHOP-415 type=Bug"}, false, nil},
		{"feature", "rule at .triage.yaml:10 (feature)", []string{"SHOP-398 type=Story"}, false, nil},
		{"chore", "rule at .triage.yaml:12 (chore)", []string{"all paths match docs/**, *.md"}, false, []string{}},
		{"unclassified", "default", []string{"no rule matched"}, false, nil},
		{"prod-fix", "rule at .triage.yaml:14 (prod-fix)", []string{"message matches (?i)^hotfix"}, false, nil},
		{"prod-fix", pf, []string{"SHOP-412 type=Bug, Environment=Production", "mixed: SHOP-412 -> prod-fix, SHOP-398 -> feature"}, true, []string{"SHOP-412", "SHOP-398"}},
		{"chore", "rule at .triage.yaml:16 (chore)", []string{`author renovate[bot] <bot@renovateapp.com> matches renovate\[bot\]`}, false, nil},
		{"unclassified", "default", []string{"no rule matched", "SHOP-999 not in the ticket exports"}, false, nil},
		{"i18n", "rule at .triage.yaml:23 (i18n)", []string{"SHOP-403 labels=i18n, Fix Version/s=2.4.0"}, false, nil},
		{"i18n", "rule at .triage.yaml:20 (i18n)", []string{"all paths match i18n/**", "message matches traduction|translation"}, false, nil},
		{"unclassified", "default", []string{"no rule matched"}, false, nil}, // paths and message must both match
		// The first ticket rule that matches decides, whatever the tickets' order.
		{"prod-fix", pf, []string{"SHOP-412 type=Bug, Environment=Production", "mixed: SHOP-401 -> feature, SHOP-412 -> prod-fix"}, true, nil},
		{"unclassified", "default", []string{"no rule matched"}, false, nil}, // no changed path: no path rule holds
	}
	for i, w := range wants {
		if w.tickets != nil && len(w.tickets) == 0 {
			w.tickets = nil
		}
		check(t, results[i], w)
		if results[i].Guessed {
			t.Errorf("%d: a config rule is not a guess", i)
		}
	}
	if got := c.Classes(); !reflect.DeepEqual(got, []string{"prod-fix", "recette-fix", "feature", "chore", "i18n", "unclassified", "merge"}) {
		t.Errorf("Classes = %v", got)
	}
	if tk, ok := c.Ticket("shop-412"); !ok || tk.Type != "Bug" {
		t.Errorf("Ticket lookup = %+v %v", tk, ok)
	}
}

func TestClassifyBranchesAndMerges(t *testing.T) {
	c, err := New(loadTestConfig(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	h := &history{}
	h.add("Start recette", []int{-1}, "src/a.go")                             // 0 mainline
	h.add("Restart consumers on missing config", []int{0}, "src/consumer.go") // 1 hotfix
	h.add("Link log4j config", []int{1}, "etc/log4j.properties")              // 2 hotfix
	h.add("Nested work", []int{1}, "src/nested.go")                           // 3 feature/nested, off the hotfix
	h.add("Merge branch 'feature/nested' into hotfix/SHOP-420", []int{2, 3})  // 4 inner merge
	h.add("Mainline work", []int{0}, "src/b.go")                              // 5 mainline
	h.add("Merge branch 'hotfix/SHOP-420' into recette", []int{5, 4})         // 6 outer merge
	h.add("Merge pull request #12 from org/feature/SHOP-402", []int{6, 5})    // 7 nothing new on side
	h.add("Later mainline", []int{7}, "src/c.go")                             // 8
	results := c.Classify(h.commits)
	branches := map[int]string{1: "hotfix/SHOP-420", 2: "hotfix/SHOP-420", 3: "feature/nested", 4: "hotfix/SHOP-420"}
	for i, r := range results {
		if r.Branch != branches[i] {
			t.Errorf("%d %q: branch %q, want %q", i, r.Commit.Subject, r.Branch, branches[i])
		}
	}
	hot := "rule at .triage.yaml:18 (prod-fix)"
	check(t, results[1], want{"prod-fix", hot, []string{"branch hotfix/SHOP-420 matches ^hotfix/"}, false, nil})
	check(t, results[2], want{"prod-fix", hot, []string{"branch hotfix/SHOP-420 matches ^hotfix/"}, false, nil})
	check(t, results[3], want{"unclassified", "default", []string{"no rule matched"}, false, nil})
	check(t, results[4], want{"merge", "merge", []string{"merge of branch feature/nested"}, false, nil})
	check(t, results[6], want{"merge", "merge", []string{"merge of branch hotfix/SHOP-420"}, false, []string{"SHOP-420"}})
	check(t, results[7], want{"merge", "merge", []string{"merge of branch feature/SHOP-402"}, false, []string{"SHOP-402"}})
	for _, i := range []int{0, 5, 8} {
		check(t, results[i], want{"unclassified", "default", []string{"no rule matched"}, false, nil})
	}
}

func TestSideOnlyLongHistory(t *testing.T) {
	// A long mainline with a short branch merged near the top: the walk stops at
	// the fork point instead of visiting the whole range.
	h := &history{}
	h.add("root", []int{-1}, "a")
	for i := 1; i < 2000; i++ {
		h.add("main", []int{i - 1}, "a")
	}
	h.add("side 1", []int{1990}, "b")
	h.add("side 2", []int{2000}, "b")
	h.add("Merge branch 'topic'", []int{1999, 2001})
	got := branchesOf(h.commits)
	if len(got) != 2 || got[hash(2001)] != "topic" || got[hash(2002)] != "topic" {
		t.Errorf("branches = %v", got)
	}
}

func TestClassifyBuiltins(t *testing.T) {
	for _, cfg := range []*config.Config{nil, mustParse(t, "default: a-trier\n")} {
		c, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		def := "unclassified"
		if cfg != nil {
			def = "a-trier"
		}
		cases := []struct{ subject, class, rule, evidence string }{
			{"feat(cart): loyalty points", "feature", "builtin: conventional commit feat", "subject starts with 'feat(cart):'"},
			{"fix: rounding in cart", "recette-fix", "builtin: conventional commit fix", "subject starts with 'fix:'"},
			{"fix(prod): consumers crash", "prod-fix", "builtin: conventional commit fix", "subject starts with 'fix(prod):'"},
			{"perf: faster search", "feature", "builtin: conventional commit perf", "subject starts with 'perf:'"},
			{"docs: install guide", "chore", "builtin: conventional commit docs", "subject starts with 'docs:'"},
			{"refactor!: split billing", "chore", "builtin: conventional commit refactor", "subject starts with 'refactor!:'"},
			{"ci: cache modules", "chore", "builtin: conventional commit ci", "subject starts with 'ci:'"},
			{"test: VAT cases", "chore", "builtin: conventional commit test", "subject starts with 'test:'"},
			{"build: bump go", "chore", "builtin: conventional commit build", "subject starts with 'build:'"},
			{"chore: tidy", "chore", "builtin: conventional commit chore", "subject starts with 'chore:'"},
			{"revert: feat(cart)", "revert", "builtin: revert", "subject starts with 'revert'"},
			{`Revert "SHOP-412: VAT"`, "revert", "builtin: revert", "subject starts with 'Revert'"},
			{"hotfix: restart consumers", "prod-fix", "builtin: hotfix keyword", "subject contains 'hotfix'"},
			{"Hot-fix VAT on invoices", "prod-fix", "builtin: hotfix keyword", "subject contains 'Hot-fix'"},
			{"Fix VAT rounding", "recette-fix", "builtin: fix keyword", "subject contains 'fix'"},
			{"Bugfix: cart", "recette-fix", "builtin: conventional commit bugfix", "subject starts with 'Bugfix:'"},
			{"Cart bugfix for coupons", "recette-fix", "builtin: fix keyword", "subject contains 'bugfix'"},
			{"Cart bug with coupons", "recette-fix", "builtin: fix keyword", "subject contains 'bug'"},
			{"Fix typo in README", "chore", "builtin: typo keyword", "subject contains 'typo'"},
			{"Correctif : arrondi du total", "recette-fix", "builtin: French keyword correctif", "subject contains 'correctif'"},
			{"Correction du libellé", "recette-fix", "builtin: French keyword correction", "subject contains 'correction'"},
			{"Anomalie 1234 sur l'export", "recette-fix", "builtin: French keyword anomalie", "subject contains 'anomalie'"},
			{"Retour de recette : libellés", "recette-fix", "builtin: French keyword recette", "subject contains 'recette'"},
			{"Correctif de production : consommateurs", "prod-fix", "builtin: French keyword correctif de production", "subject contains 'correctif de production'"},
			{"Évolution : export CSV", "feature", "builtin: French keyword evolution", "subject contains 'evolution'"},
			{"evolution export", "feature", "builtin: French keyword evolution", "subject contains 'evolution'"},
			{"Nouvelle fonctionnalité : fidélité", "feature", "builtin: French keyword fonctionnalite", "subject contains 'fonctionnalite'"},
			{"\xc9volution : export (ISO-8859-1)", "feature", "builtin: French keyword evolution", "subject contains 'evolution'"},
			{"Add loyalty feature", "feature", "builtin: feature keyword", "subject contains 'feature'"},
			{"debug logging for prefixes", def, "default", "no built-in rule matched (no config classes)"},
			{"Bump version", def, "default", "no built-in rule matched (no config classes)"},
		}
		h := &history{}
		for i, tc := range cases {
			h.add(tc.subject, []int{i - 1}, "src/x.go")
		}
		results := c.Classify(h.commits)
		for i, tc := range cases {
			r := results[i]
			check(t, r, want{tc.class, tc.rule, []string{tc.evidence}, false, nil})
			if r.Guessed != (tc.rule != "default") {
				t.Errorf("%q: Guessed = %v", tc.subject, r.Guessed)
			}
		}
		if got := c.Classes(); !reflect.DeepEqual(got, []string{"prod-fix", "recette-fix", "feature", "chore", "revert", def, "merge"}) {
			t.Errorf("Classes = %v", got)
		}
	}
}

func mustParse(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(filepath.Join("testdata", "inline.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestBuiltinsWithTicketsAndBranches(t *testing.T) {
	jira := Source{Path: filepath.Join("testdata", "jira-export.csv")} // format guessed
	redmine := Source{Path: filepath.Join("testdata", "redmine-export-fr.csv"), Format: "redmine-csv"}
	c, err := New(nil, []Source{jira, redmine})
	if err != nil {
		t.Fatal(err)
	}
	h := &history{}
	h.add("SHOP-412 VAT", []int{-1}, "a")                                                    // 0
	h.add("SHOP-415 rounding", []int{0}, "a")                                                // 1
	h.add("SHOP-402 faster search", []int{1}, "a")                                           // 2
	h.add("SHOP-415 SHOP-402 both", []int{2}, "a")                                           // 3
	h.add("refs #1234", []int{3}, "a")                                                       // 4
	h.add("Revert \"SHOP-412 VAT\"", []int{4}, "a")                                          // 5
	h.add("SHOP-403 labels, fix wording", []int{5}, "a")                                     // 6: sub-task: the message decides
	h.add("restart consumers", []int{6}, "a")                                                // 7: on a hotfix branch
	h.add("Merge branch 'hotfix/consumers'", []int{6, 7})                                    // 8
	h.add("SHOP-999 unknown", []int{8}, "a")                                                 // 9
	h.add("SHOP-402 SHOP-415 both", []int{9}, "a")                                           // 10: the fix wins whatever the order
	h.add("Explain payment flows", []int{10}, "docs/flows.md", "README.md", "api/CHANGELOG") // 11
	h.add("Explain payment flows in code", []int{11}, "docs/flows.md", "src/a.go")           // 12
	results := c.Classify(h.commits)
	check(t, results[0], want{"prod-fix", "builtin: production bug ticket", []string{"SHOP-412 type=Bug, environment=Production"}, false, nil})
	check(t, results[1], want{"recette-fix", "builtin: bug ticket", []string{"SHOP-415 type=Bug"}, false, nil})
	check(t, results[2], want{"feature", "builtin: feature ticket", []string{"SHOP-402 type=Improvement"}, false, nil})
	check(t, results[3], want{"recette-fix", "builtin: bug ticket", []string{"SHOP-415 type=Bug", "mixed: SHOP-415 -> recette-fix, SHOP-402 -> feature"}, true, nil})
	check(t, results[4], want{"prod-fix", "builtin: production bug ticket", []string{"#1234 type=Anomalie, environment=Production"}, false, []string{"#1234"}})
	check(t, results[5], want{"revert", "builtin: revert", []string{"subject starts with 'Revert'"}, false, nil})
	check(t, results[6], want{"recette-fix", "builtin: fix keyword", []string{"subject contains 'fix'"}, false, nil})
	check(t, results[7], want{"prod-fix", "builtin: hotfix branch", []string{"merged from branch hotfix/consumers"}, false, nil})
	check(t, results[8], want{"merge", "merge", []string{"merge of branch hotfix/consumers"}, false, nil})
	check(t, results[9], want{"unclassified", "default", []string{"no built-in rule matched (no config classes)", "SHOP-999 not in the ticket exports"}, false, nil})
	check(t, results[10], want{"recette-fix", "builtin: bug ticket", []string{"SHOP-415 type=Bug", "mixed: SHOP-402 -> feature, SHOP-415 -> recette-fix"}, true, nil})
	check(t, results[11], want{"chore", "builtin: documentation only", []string{"every changed path is documentation"}, false, nil})
	check(t, results[12], want{"unclassified", "default", []string{"no built-in rule matched (no config classes)"}, false, nil})
	for i, r := range results {
		if r.Guessed != (i != 8 && i != 9 && i != 12) {
			t.Errorf("%d: Guessed = %v", i, r.Guessed)
		}
	}
}

func TestClassifyNonUTF8(t *testing.T) {
	cfg := mustParse(t, "classes:\n  - name: feature\n    message: '(?i)évolution'\n  - name: chore\n    author: 'hélène'\n")
	c, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := &history{}
	h.add("PAY-3 \xc9volution des factures", []int{-1}, "a")
	other := h.add("Mise \xe0 jour", []int{0}, "a")
	other.Author.Name = "H\xe9l\xe8ne Martin"
	results := c.Classify(h.commits)
	check(t, results[0], want{"feature", "rule at inline.yaml:2 (feature)", []string{"message matches (?i)évolution"}, false, []string{"PAY-3"}})
	check(t, results[1], want{"chore", "rule at inline.yaml:4 (chore)", []string{"author Hélène Martin <jdupont@example.com> matches hélène"}, false, nil})
}

func TestNewErrors(t *testing.T) {
	// A rule on ticket fields needs an export.
	cfg := mustParse(t, "classes:\n  - name: fix\n    ticket: {type: Bug}\n")
	_, err := New(cfg, nil)
	want := "config testdata/inline.yaml line 2: class rule 'fix' tests ticket fields, but no ticket export is loaded: add tickets.exports to the config or pass --tickets FILE"
	if err == nil || err.Error() != want {
		t.Errorf("no export: %v", err)
	}
	// ... and that export must have the field: a typo would never match.
	_, err = New(cfg, []Source{{Path: filepath.Join("testdata", "jira-export.csv")}})
	if err != nil {
		t.Errorf("type is always known: %v", err)
	}
	cfg = mustParse(t, "classes:\n  - name: fix\n    ticket:\n      type: Bug\n      Environmnet: Production\n")
	_, err = New(cfg, []Source{{Path: filepath.Join("testdata", "jira-export.csv")}})
	want = "config testdata/inline.yaml line 5: ticket field 'Environmnet' is in none of the ticket exports (testdata/jira-export.csv); did you mean 'Environment'?"
	if err == nil || err.Error() != want {
		t.Errorf("typo: %v", err)
	}
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Line != 5 {
		t.Errorf("not a located config error: %#v", err)
	}
	// A bad export fails New with the export's own message.
	_, err = New(nil, []Source{{Path: filepath.Join("testdata", ".triage.yaml")}})
	if err == nil || !strings.HasPrefix(err.Error(), "tickets testdata/.triage.yaml: cannot tell which tracker wrote this file") {
		t.Errorf("bad export: %v", err)
	}
	// A config export's id_column error names the config line.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte("Ref,Kind\n1,Bug\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	cfg, err = config.Parse(path, []byte("tickets:\n  exports:\n    - {path: t.csv, format: csv, id_column: Key}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cfg, nil)
	want = fmt.Sprintf("tickets %s line 1: id column 'Key' (set by config %s line 3) not found; columns: Ref, Kind", filepath.Join(dir, "t.csv"), path)
	if err == nil || err.Error() != want {
		t.Errorf("id column:\n%v\nwant\n%s", err, want)
	}
}
