package gate

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// hash makes a readable SHA: the prefix, padded with zeros.
func hash(prefix string) plumbing.Hash {
	return plumbing.NewHash(prefix + strings.Repeat("0", 40-len(prefix)))
}

func commit(prefix, subject, path string) *vcs.Commit {
	c := &vcs.Commit{Hash: hash(prefix), Subject: subject, Message: subject + "\n"}
	if path != "" {
		c.Changes = []vcs.FileChange{{Status: vcs.Modified, OldPath: path, NewPath: path, Hunks: []vcs.Hunk{{NewStart: 12, NewLines: 1}}}}
	}
	return c
}

func classified(c *vcs.Commit, class string, tickets ...string) Commit {
	return Commit{Commit: c, Class: class, Tickets: tickets}
}

// The source (recette) of the unit tests, the PAY-109/PAY-110 story in brief:
// a feature introduces a rate, a fix changes its lines (hard) and another fix
// uses its constant (soft).
var (
	featureRate = commit("9616c5b", "PAY-109: reduced booking rate for students", "pricing/Rates.java")
	fixRate     = commit("c0ffee1", "PAY-110: the student rate must not apply to groups", "pricing/PriceCalculator.java")
	fixInvoice  = commit("c0ffee2", "PAY-110: name the student rate on the invoice", "invoice/InvoiceFormatter.java")
	prodFix     = commit("a1b2c3d", "PAY-107: round invoice totals half-up", "money/Money.java")
	featureCard = commit("f00d001", "PAY-120: new card payment form", "web/cardForm.jsp")
	featureBase = commit("ba5e001", "PAY-103: SEPA payment type", "payment/Sepa.java")
	featureMore = commit("ba5e002", "PAY-103: validate the mandate", "payment/Sepa.java")
	fixSepa     = commit("ba5e003", "PAY-104: mandate references are 35 characters at most", "payment/Sepa.java")
)

func sourceCommits() []Commit {
	return []Commit{
		classified(featureRate, "feature", "PAY-109"),
		classified(prodFix, "prod-fix", "PAY-107"),
		classified(fixRate, "recette-fix", "PAY-110"),
		classified(fixInvoice, "recette-fix", "PAY-110"),
		classified(featureCard, "feature", "PAY-120"),
		classified(featureBase, "feature", "PAY-103"),
		classified(featureMore, "feature", "PAY-103"),
		classified(fixSepa, "recette-fix", "PAY-104"),
	}
}

func sourceEdges() []deps.Edge {
	return []deps.Edge{
		{Commit: fixRate.Hash, DependsOn: featureRate.Hash, Kind: deps.Line, Path: "pricing/PriceCalculator.java", Lines: []deps.LineRange{{Start: 14, Count: 1}}},
		{Commit: fixRate.Hash, DependsOn: featureRate.Hash, Kind: deps.Symbol, Path: "pricing/PriceCalculator.java", Lines: []deps.LineRange{{Start: 14, Count: 1}}, Evidence: "isStudent"},
		{Commit: fixInvoice.Hash, DependsOn: featureRate.Hash, Kind: deps.Symbol, Path: "invoice/InvoiceFormatter.java", Lines: []deps.LineRange{{Start: 42, Count: 1}}, Evidence: "REDUCED_BOOK_RATE"},
		{Commit: featureMore.Hash, DependsOn: featureBase.Hash, Kind: deps.File, Path: "payment/Sepa.java", Evidence: "modifies"},
		{Commit: fixSepa.Hash, DependsOn: featureBase.Hash, Kind: deps.File, Path: "payment/Sepa.java", Evidence: "modifies"},
		{Commit: fixSepa.Hash, DependsOn: featureMore.Hash, Kind: deps.Line, Path: "payment/Sepa.java", Lines: []deps.LineRange{{Start: 30, Count: 1}}},
	}
}

// pick is a cherry-pick of src onto the branch: a new SHA, the same message.
func pick(prefix string, src *vcs.Commit) *vcs.Commit {
	c := *src
	c.Hash = hash(prefix)
	c.Message = src.Message + "\n(cherry picked from commit " + src.Hash.String() + ")\n"
	return &c
}

type branch struct {
	commits []Commit
	origins map[plumbing.Hash]Origin
}

func (b *branch) pick(prefix string, src *vcs.Commit, class string, tickets ...string) *vcs.Commit {
	c := pick(prefix, src)
	b.commits = append(b.commits, classified(c, class, tickets...))
	if b.origins == nil {
		b.origins = map[plumbing.Hash]Origin{}
	}
	b.origins[c.Hash] = Origin{Source: src.Hash, Via: "cherry picked from line"}
	return c
}

func (b *branch) add(c *vcs.Commit, class string, tickets ...string) {
	b.commits = append(b.commits, classified(c, class, tickets...))
}

func fullPolicy() Policy {
	return Policy{RequireTicket: true, Allow: []string{"prod-fix", "recette-fix"}, AllowRequired: true,
		Source: "recette", DependencySafe: true, MaxRisk: "medium"}
}

func input(p Policy, b branch) Input {
	risk := map[plumbing.Hash]CommitRisk{}
	for _, c := range b.commits {
		risk[c.Commit.Hash] = CommitRisk{Score: 20, Level: "low"}
	}
	return Input{Policy: p, DefaultClass: "unclassified", Branch: b.commits, SourceCommits: sourceCommits(),
		Edges: sourceEdges(), Origins: b.origins, Risk: risk, BranchRisk: &BranchRisk{Level: "low"}}
}

func mustCheck(t *testing.T, in Input) *Result {
	t.Helper()
	res, err := Check(in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// summary renders violations as "short rule severity[ waived]" for comparisons.
func summary(res *Result) []string {
	var out []string
	for _, v := range res.Violations() {
		s := fmt.Sprintf("%s %s %s", v.Short, v.Rule, v.Severity)
		if v.Waiver != nil {
			s += " waived"
		}
		out = append(out, s)
	}
	return out
}

func assertViolations(t *testing.T, res *Result, want ...string) {
	t.Helper()
	got := summary(res)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("violations\n got %q\nwant %q", got, want)
	}
}

func TestCleanBranchPasses(t *testing.T) {
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	b.pick("1000002", featureRate, "feature", "PAY-109")
	b.pick("1000003", fixRate, "recette-fix", "PAY-110")
	b.pick("1000004", fixInvoice, "recette-fix", "PAY-110")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res)
	if !res.Passed() {
		t.Fatal("clean branch fails")
	}
	notes := res.Commits[1].Notes
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "class feature allowed (allow_required): required by 1000003 PAY-110 (recette-fix): changes line 14 of pricing/PriceCalculator.java, last written by 9616c5b PAY-109 (feature)") {
		t.Errorf("notes of the required feature: %q", notes)
	}
	if got := res.Commits[0].Status(); got != "pass" {
		t.Errorf("status %s", got)
	}
	if len(res.Rules) != 5 {
		t.Errorf("rules %v", res.Rules)
	}
}

func TestRequireTicketAlone(t *testing.T) {
	var b branch
	hotfix := commit("4070f10", "Hotfix: empty basket total on the booking page", "pricing/PriceCalculator.java")
	b.add(hotfix, "prod-fix") // classified by its message, in the source itself
	in := input(fullPolicy(), b)
	in.SourceCommits = append(in.SourceCommits, classified(hotfix, "prod-fix"))
	res := mustCheck(t, in)
	assertViolations(t, res, "4070f10 require_ticket error")
	v := res.Violations()[0]
	if v.Message != `4070f10 names no ticket: "Hotfix: empty basket total on the booking page"` {
		t.Errorf("message %q", v.Message)
	}
	if v.Path != "pricing/PriceCalculator.java" || v.Line != 12 {
		t.Errorf("location %s:%d", v.Path, v.Line)
	}
	if !strings.Contains(v.Fix, "{commit: 4070f10, reason: ...}") {
		t.Errorf("fix %q", v.Fix)
	}
}

func TestAllowAlone(t *testing.T) {
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	b.pick("2000001", featureCard, "feature", "PAY-120")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res, "2000001 allow error")
	v := res.Violations()[0]
	if v.Message != "2000001 PAY-120 is classed feature, which the branch does not allow" {
		t.Errorf("message %q", v.Message)
	}
	wantEvidence := []string{"class feature; the branch allows prod-fix, recette-fix", "no allowed commit of the branch depends on it (allow_required)"}
	if !reflect.DeepEqual(v.Evidence, wantEvidence) {
		t.Errorf("evidence %q", v.Evidence)
	}
	if !strings.HasPrefix(v.Fix, "drop it (git revert 2000001)") {
		t.Errorf("fix %q", v.Fix)
	}
}

func TestAllowWithoutAllowRequired(t *testing.T) {
	var b branch
	b.pick("1000002", featureRate, "feature", "PAY-109")
	b.pick("1000003", fixRate, "recette-fix", "PAY-110")
	p := fullPolicy()
	p.AllowRequired = false
	res := mustCheck(t, input(p, b))
	assertViolations(t, res, "1000002 allow error")
	// Dropping the feature means dropping the fix that needs it: the fix says so.
	if fix := res.Violations()[0].Fix; !strings.Contains(fix, "drop it (git revert 1000002), with what needs it on the branch: 1000003") {
		t.Errorf("fix %q", fix)
	}
}

func TestAllowRequiredIsTransitive(t *testing.T) {
	var b branch
	b.pick("3000001", featureBase, "feature", "PAY-103")
	b.pick("3000002", featureMore, "feature", "PAY-103")
	b.pick("3000003", fixSepa, "recette-fix", "PAY-104")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res)
	for _, c := range res.Commits[:2] {
		if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "required by 3000003 PAY-104 (recette-fix)") {
			t.Errorf("%s notes %q", c.Commit.Short(), c.Notes)
		}
	}
}

func TestSourceAlone(t *testing.T) {
	var b branch
	direct := commit("d17ec71", "PAY-107: round totals, written on the release branch", "money/Money.java")
	direct.Message += "\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n"
	b.add(direct, "prod-fix", "PAY-107")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res, "d17ec71 source error")
	v := res.Violations()[0]
	want := []string{
		"its message says (cherry picked from commit 0123456789abcdef0123456789abcdef01234567), but that commit is not on recette since the branch's base",
		"no commit of recette since the branch's base is the same commit or has the same patch-id",
	}
	if v.Message != "d17ec71 PAY-107 was not taken from recette" || !reflect.DeepEqual(v.Evidence, want) {
		t.Errorf("message %q evidence %q", v.Message, v.Evidence)
	}
}

func TestDependencySafeAlone(t *testing.T) {
	var b branch
	b.pick("1000003", fixRate, "recette-fix", "PAY-110")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res, "1000003 dependency_safe error")
	v := res.Violations()[0]
	if v.Message != "1000003 PAY-110 changes line 14 of pricing/PriceCalculator.java, last written by 9616c5b PAY-109 (feature), which is not on the branch" {
		t.Errorf("message %q", v.Message)
	}
	wantEvidence := []string{
		"line edge (hard: git cannot apply the change, or it means nothing, without it): changes line 14 of pricing/PriceCalculator.java, last written by 9616c5b PAY-109 (feature)",
		"symbol edge (soft: likely needed, not proven): uses isStudent (in pricing/PriceCalculator.java:14), introduced by 9616c5b PAY-109 (feature)",
	}
	if !reflect.DeepEqual(v.Evidence, wantEvidence) {
		t.Errorf("evidence %q", v.Evidence)
	}
	if v.Fix != "cherry-pick 9616c5b (git cherry-pick -x 9616c5b), or drop 1000003 (git revert 1000003)" {
		t.Errorf("fix %q", v.Fix)
	}
	if v.DependsOn != featureRate.Hash || v.Path != "pricing/PriceCalculator.java" || v.Line != 14 {
		t.Errorf("depends on %s at %s:%d", v.DependsOn, v.Path, v.Line)
	}
}

func TestSoftDependencyIsAWarning(t *testing.T) {
	var b branch
	b.pick("1000004", fixInvoice, "recette-fix", "PAY-110")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res, "1000004 dependency_safe warning")
	if !res.Passed() {
		t.Error("a warning fails the gate")
	}
	v := res.Violations()[0]
	if v.Message != "1000004 PAY-110 uses REDUCED_BOOK_RATE (in invoice/InvoiceFormatter.java:42), introduced by 9616c5b PAY-109 (feature), which is not on the branch" {
		t.Errorf("message %q", v.Message)
	}
	if !strings.HasPrefix(v.Fix, "check that 1000004 builds and works without it; if not, cherry-pick 9616c5b") {
		t.Errorf("fix %q", v.Fix)
	}
	p := fullPolicy()
	p.SoftAsErrors = true
	assertViolations(t, mustCheck(t, input(p, b)), "1000004 dependency_safe error")
}

func TestDependencyFixNamesTheWholeMissingChain(t *testing.T) {
	var b branch
	b.pick("3000003", fixSepa, "recette-fix", "PAY-104")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res, "3000003 dependency_safe error", "3000003 dependency_safe error")
	vs := res.Violations()
	if vs[0].DependsOn != featureBase.Hash || vs[1].DependsOn != featureMore.Hash {
		t.Fatalf("depends on %s, %s", vs[0].DependsOn, vs[1].DependsOn)
	}
	if want := "cherry-pick ba5e001, ba5e002 in this order, as ba5e002 needs the others (git cherry-pick -x ba5e001 ba5e002), or drop 3000003 (git revert 3000003)"; vs[1].Fix != want {
		t.Errorf("fix\n got %q\nwant %q", vs[1].Fix, want)
	}
}

func TestMaxRiskAlone(t *testing.T) {
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	in := input(fullPolicy(), b)
	in.Risk[hash("1000001")] = CommitRisk{Score: 91, Level: "high", Why: []string{"120 lines in 9 files", "no test changed"}}
	res := mustCheck(t, in)
	assertViolations(t, res, "1000001 max_risk error")
	v := res.Violations()[0]
	if v.Message != "1000001 PAY-107 is high risk (score 91), above max_risk medium" || !reflect.DeepEqual(v.Evidence, []string{"120 lines in 9 files", "no test changed"}) {
		t.Errorf("%q %q", v.Message, v.Evidence)
	}
	in.Risk[hash("1000001")] = CommitRisk{Score: 60, Level: "medium"}
	assertViolations(t, mustCheck(t, in))
}

func TestBranchRisk(t *testing.T) {
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	in := input(fullPolicy(), b)
	in.BranchRisk = &BranchRisk{Level: "high", Reasons: []string{"3 files in states nobody tested"}}
	p := fullPolicy()
	p.Waivers = []Waiver{{Commit: "1000001", Reason: "release board"}}
	in.Policy = p
	res := mustCheck(t, in)
	assertViolations(t, res, "branch max_risk error")
	v := res.Branch[0]
	if v.Message != "the branch as a whole is high risk, above max_risk medium" || !v.Commit.IsZero() || v.Waiver != nil {
		t.Errorf("%+v", v)
	}
}

func TestEveryViolationAtOnce(t *testing.T) {
	var b branch
	noTicket := commit("e0e0e01", "Remove trailing whitespace", "Booking.java")
	b.add(noTicket, "unclassified")
	b.pick("2000001", featureCard, "feature", "PAY-120")
	b.pick("1000003", fixRate, "recette-fix", "PAY-110")
	in := input(fullPolicy(), b)
	in.Risk[hash("1000003")] = CommitRisk{Score: 97, Level: "high"}
	res := mustCheck(t, in)
	assertViolations(t, res,
		"e0e0e01 require_ticket error", "e0e0e01 allow error", "e0e0e01 source error",
		"2000001 allow error",
		"1000003 dependency_safe error", "1000003 max_risk error")
	if n := res.Counts(); n != (Counts{Errors: 6}) || res.Passed() {
		t.Errorf("counts %+v", n)
	}
	if !strings.Contains(res.Violations()[1].Fix, ", or link it to a ticket so that it gets a class") {
		t.Errorf("fix of an unclassified commit: %q", res.Violations()[1].Fix)
	}
}

func TestWaiversSuppressExactlyWhatTheyName(t *testing.T) {
	var b branch
	b.pick("2000001", featureCard, "feature", "PAY-120")
	b.pick("1000003", fixRate, "recette-fix", "PAY-110")
	b.pick("3000003", fixSepa, "recette-fix", "PAY-104")
	p := fullPolicy()
	p.Waivers = []Waiver{
		{Ticket: "pay-120", Reason: "security fix"},           // by ticket, case-insensitively
		{Commit: "c0ffee1", Reason: "approved by the board"},  // by the source commit's SHA
		{Commit: "9616c5b", Reason: "names the missing dep"},  // not on the branch: waives nothing
		{Commit: "1000001", Reason: "stale"},                  // names no commit
		{Ticket: "PAY-107", Reason: "nothing to waive there"}, // no such commit either
	}
	res := mustCheck(t, input(p, b))
	assertViolations(t, res,
		"2000001 allow error waived",
		"1000003 dependency_safe error waived",
		"3000003 dependency_safe error", "3000003 dependency_safe error")
	if got := res.Violations()[0].Waiver.Reason; got != "security fix" {
		t.Errorf("reason %q", got)
	}
	if res.Passed() {
		t.Error("unwaived errors pass")
	}
	if got := res.Commits[0].Status(); got != "waived" {
		t.Errorf("status %s", got)
	}
	var unused []string
	for _, u := range res.UnusedWaivers {
		unused = append(unused, u.Waiver.Subject()+": "+u.Why)
	}
	want := []string{
		"commit 9616c5b: names no commit of the branch (commit 9616c5b)",
		"commit 1000001: names no commit of the branch (commit 1000001)",
		"ticket PAY-107: names no commit of the branch (ticket PAY-107)",
	}
	if !reflect.DeepEqual(unused, want) {
		t.Errorf("unused\n got %q\nwant %q", unused, want)
	}
	if n := res.Counts(); n != (Counts{Errors: 2, Waived: 2}) {
		t.Errorf("counts %+v", n)
	}
}

func TestWaiverOfAPassingCommitIsReportedUnused(t *testing.T) {
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	p := fullPolicy()
	p.Waivers = []Waiver{{Commit: "1000001", Reason: "just in case"}}
	res := mustCheck(t, input(p, b))
	if len(res.UnusedWaivers) != 1 || res.UnusedWaivers[0].Why != "the 1 commit(s) it names pass without it: remove it" {
		t.Errorf("%+v", res.UnusedWaivers)
	}
}

func TestMergeCommitsAreNotCheckedThemselves(t *testing.T) {
	var b branch
	m := commit("3e46e01", "Merge branch 'hotfix/PAY-111' into release/1.5", "")
	m.Merge = true
	b.add(m, "merge")
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res)
	if len(res.Commits[0].Notes) != 1 {
		t.Errorf("notes %q", res.Commits[0].Notes)
	}
}

func TestTicketsAndClassFromTheSourceCommit(t *testing.T) {
	var b branch
	svn := commit("5e1e001", "Merged r24913 from trunk", "money/Money.java")
	b.commits = append(b.commits, classified(svn, "unclassified"))
	b.origins = map[plumbing.Hash]Origin{svn.Hash: {Source: prodFix.Hash, Via: "svn merge record r24913"}}
	res := mustCheck(t, input(fullPolicy(), b))
	assertViolations(t, res)
	c := res.Commits[0]
	if c.Class != "prod-fix" || !reflect.DeepEqual(c.Tickets, []string{"PAY-107"}) ||
		c.Inherited != "tickets and class from a1b2c3d, which it was taken from (svn merge record r24913)" {
		t.Errorf("%+v", c)
	}
}

func TestPolicyValidation(t *testing.T) {
	cases := []struct {
		p    Policy
		want string
	}{
		{Policy{}, "turns no rule on"},
		{Policy{DependencySafe: true}, "sets dependency_safe but no source"},
		{Policy{AllowRequired: true, RequireTicket: true}, "sets allow_required but no allow list"},
		{Policy{MaxRisk: "extreme"}, `max_risk "extreme" is not a level`},
	}
	for _, c := range cases {
		_, err := Check(Input{Policy: c.p, Risk: map[plumbing.Hash]CommitRisk{}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.p, err, c.want)
		}
	}
	if _, err := Check(Input{Policy: Policy{MaxRisk: "low"}}); err == nil || !strings.Contains(err.Error(), "no risk was assessed") {
		t.Errorf("max_risk without risk: %v", err)
	}
}

func TestFollowupsLeftOnTheSourceAreWarnings(t *testing.T) {
	fixup := commit("f1c5001", "fixup! PAY-107: round invoice totals half-up", "money/Money.java")
	revert := commit("2e2e001", "Revert \"PAY-120: new card payment form\"", "web/cardForm.jsp")
	var b branch
	b.pick("1000001", prodFix, "prod-fix", "PAY-107")
	b.pick("2000001", featureCard, "feature", "PAY-120")
	p := fullPolicy()
	p.Allow = append(p.Allow, "feature")
	in := input(p, b)
	in.SourceCommits = append(in.SourceCommits, classified(fixup, "prod-fix", "PAY-107"), classified(revert, "unclassified"))
	in.Edges = append(in.Edges,
		deps.Edge{Commit: fixup.Hash, DependsOn: prodFix.Hash, Kind: deps.Revert, Evidence: fixup.Subject},
		deps.Edge{Commit: revert.Hash, DependsOn: featureCard.Hash, Kind: deps.Revert, Evidence: "This reverts commit f00d001000000000000000000000000000000000."})
	res := mustCheck(t, in)
	assertViolations(t, res, "1000001 dependency_safe warning", "2000001 dependency_safe warning")
	vs := res.Violations()
	if vs[0].Message != "1000001 PAY-107 has a later correction on recette, f1c5001 PAY-107 (prod-fix), which is not on the branch" ||
		vs[0].Fix != "cherry-pick f1c5001 (git cherry-pick -x f1c5001), or drop 1000001 (git revert 1000001)" {
		t.Errorf("fixup: %q / %q", vs[0].Message, vs[0].Fix)
	}
	if vs[1].Message != "2000001 PAY-120 was reverted on recette by 2e2e001 (unclassified), which is not on the branch" ||
		!strings.HasPrefix(vs[1].Fix, "drop 2000001 as recette did (git revert 2000001)") || vs[1].DependsOn != revert.Hash {
		t.Errorf("revert: %q / %q", vs[1].Message, vs[1].Fix)
	}
	// Taken along, they raise nothing.
	b.pick("1000002", fixup, "prod-fix", "PAY-107")
	b.pick("2000002", revert, "unclassified")
	in.Branch, in.Origins = b.commits, b.origins
	p.Allow = append(p.Allow, "unclassified")
	p.RequireTicket = false // the revert names no ticket
	in.Policy = p
	assertViolations(t, mustCheck(t, in))
}

func TestASquashCarriesEveryCommitItHolds(t *testing.T) {
	var b branch
	squash := b.pick("5a05001", fixSepa, "recette-fix", "PAY-104") // feature-base and -more squashed into the fix
	in := input(fullPolicy(), b)
	assertViolations(t, mustCheck(t, in), "5a05001 dependency_safe error", "5a05001 dependency_safe error")
	in.Carried = map[plumbing.Hash]plumbing.Hash{featureBase.Hash: squash.Hash, featureMore.Hash: squash.Hash, fixSepa.Hash: squash.Hash}
	assertViolations(t, mustCheck(t, in))
}
