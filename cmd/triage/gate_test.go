package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

// The gate fixture: the PAY story in brief, with one release branch per case.
// recette holds a feature (PAY-109) that introduces REDUCED_BOOK_RATE, a fix
// on its lines (PAY-110, hard dependency), a fix using its constant in another
// file (PAY-110, soft), a production fix (PAY-107), a big production fix
// (PAY-130), a feature nobody needs (PAY-120) and a ticketless hotfix.
const (
	gRates   = "src/pricing/Rates.java"
	gPrice   = "src/pricing/PriceCalculator.java"
	gInvoice = "src/invoice/InvoiceFormatter.java"
	gMoney   = "src/money/Money.java"
	gBasket  = "src/basket/Basket.java"
	gCard    = "src/web/cardForm.jsp"
)

const gRatesJava = `package pay.pricing;

import java.math.BigDecimal;

public final class Rates {
    /** Rate applied to a group booking. */
    public static final BigDecimal GROUP_BOOK_RATE = new BigDecimal("0.90");

    private Rates() {
    }
}
`

const gPriceJava = `package pay.pricing;

import java.math.BigDecimal;

public class PriceCalculator {
    public BigDecimal priceOf(Booking booking) {
        BigDecimal price = booking.getBasePrice();
        if (booking.isGroup()) {
            price = price.multiply(Rates.GROUP_BOOK_RATE);
        }
        return price;
    }
}
`

const gInvoiceJava = `package pay.invoice;

import pay.pricing.Rates;

public class InvoiceFormatter {
    String discountLabel(InvoiceLine line) {
        String label = "Discount ";
        return label + line.getLabel();
    }
}
`

const gMoneyJava = `package pay.money;

import java.math.RoundingMode;

public final class Money {
    static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
}
`

const gBasketJava = `package pay.basket;

import java.math.BigDecimal;
import java.util.List;

public class Basket {
    public BigDecimal total(List<BigDecimal> prices) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal p : prices) {
            sum = sum.add(p);
        }
        return sum;
    }
}
`

const gateFixtureConfig = `range: v1.4.0..recette
classes:
  - name: prod-fix
    message: '^PAY-(107|130)\b'
  - name: prod-fix
    message: '(?i)^hotfix'
  - name: recette-fix
    message: '^PAY-110\b'
  - name: feature
    message: '^PAY-(109|120)\b'
default: unclassified
gate:
  require_ticket: true
  allow: [prod-fix, recette-fix]
  allow_required: true
  source: recette
  dependency_safe: true
  max_risk: high
`

var (
	gSophie = repos.Person{Name: "Sophie Bernard", Email: "sophie.bernard@pay.example.com"}
	gJerome = repos.Person{Name: "Jérôme Dupont", Email: "jerome.dupont@pay.example.com"}
	gMark   = repos.Person{Name: "Mark Evans", Email: "mark.evans@pay.example.com"}
	gLead   = repos.Person{Name: "Release Lead", Email: "lead@pay.example.com"}
)

type gateFixture struct {
	dir     string
	config  string
	commits map[string]plumbing.Hash
}

func (f *gateFixture) short(name string) string { return f.commits[name].String()[:7] }

// gateFixtureBuilder keeps each recette commit's changes, message and author,
// to replay them as `git cherry-pick -x` does.
type gateFixtureBuilder struct {
	b       *repos.Builder
	f       *gateFixture
	changes map[string][]repos.Change
	msgs    map[string]string
	who     map[string]repos.Person
	when    map[string]time.Time
	clock   time.Time
	err     error
}

func (g *gateFixtureBuilder) commit(name string, who repos.Person, msg string, changes ...repos.Change) {
	if g.err != nil {
		return
	}
	g.clock = g.clock.Add(time.Hour)
	g.b.SetClock(g.clock)
	h, err := g.b.Commit(who, msg, changes...)
	g.record(name, h, err)
	g.changes[name], g.msgs[name], g.who[name], g.when[name] = changes, msg, who, g.clock
}

// pick replays src on the current branch with its -x line; changes, when
// given, replace src's (a conflict resolved by hand).
func (g *gateFixtureBuilder) pick(name, src string, changes ...repos.Change) {
	if g.err != nil {
		return
	}
	if changes == nil {
		changes = g.changes[src]
	}
	g.clock = g.clock.Add(time.Hour)
	msg := g.msgs[src] + "\n\n(cherry picked from commit " + g.f.commits[src].String() + ")\n"
	h, err := g.b.CommitAs(g.who[src], g.when[src], gLead, g.clock, msg, changes...)
	g.record(name, h, err)
}

func (g *gateFixtureBuilder) record(name string, h plumbing.Hash, err error) {
	if err != nil {
		g.err = fmt.Errorf("gate fixture %s: %w", name, err)
	}
	g.f.commits[name] = h
}

func (g *gateFixtureBuilder) checkout(branch, from string) {
	if g.err == nil {
		g.err = g.b.Checkout(branch, from)
	}
}

// buildGateFixture writes the fixture in a temporary directory, with its
// config beside it (outside the repository).
func buildGateFixture(t *testing.T) *gateFixture {
	t.Helper()
	root := t.TempDir()
	b, err := repos.New(filepath.Join(root, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	f := &gateFixture{dir: filepath.Join(root, "repo"), config: filepath.Join(root, "triage.yaml"), commits: map[string]plumbing.Hash{}}
	g := &gateFixtureBuilder{b: b, f: f, changes: map[string][]repos.Change{}, msgs: map[string]string{},
		who: map[string]repos.Person{}, when: map[string]time.Time{}, clock: time.Date(2011, 1, 28, 9, 0, 0, 0, time.FixedZone("CET", 3600))}

	g.commit("initial", gSophie, "Initial import of the booking application",
		repos.Write("README.md", "# PAY\n"), repos.Write(gRates, gRatesJava), repos.Write(gPrice, gPriceJava),
		repos.Write(gInvoice, gInvoiceJava), repos.Write(gMoney, gMoneyJava), repos.Write(gBasket, gBasketJava))
	if g.err == nil {
		g.err = b.Tag("v1.4.0")
	}

	g.checkout("recette", "v1.4.0")
	studentBlock := "        if (booking.isStudent()) {\n            price = price.multiply(Rates.REDUCED_BOOK_RATE);\n        }\n"
	g.commit("feature-rate", gSophie, "PAY-109: reduced booking rate for students",
		repos.InsertAfter(gRates, "GROUP_BOOK_RATE = new BigDecimal(\"0.90\");\n",
			"\n    /** Rate applied to students (PAY-109). */\n    public static final BigDecimal REDUCED_BOOK_RATE = new BigDecimal(\"0.80\");\n"),
		repos.InsertAfter(gPrice, "            price = price.multiply(Rates.GROUP_BOOK_RATE);\n        }\n", studentBlock))
	g.commit("prod-fix-rounding", gJerome, "PAY-107: round invoice totals half-up, as the tax office does",
		repos.Edit(gMoney, "RoundingMode.HALF_EVEN", "RoundingMode.HALF_UP"))
	g.commit("fix-rate", gJerome, "PAY-110: the student rate must not apply to group bookings",
		repos.Edit(gPrice, "        if (booking.isStudent()) {\n", "        if (booking.isStudent() && !booking.isGroup()) {\n"))
	g.commit("fix-invoice", gJerome, "PAY-110: name the student rate on the invoice",
		repos.Edit(gInvoice, "        String label = \"Discount \";\n",
			"        String label = Rates.REDUCED_BOOK_RATE.equals(line.getRate()) ? \"Student rate \" : \"Discount \";\n"))
	g.commit("feature-card", gMark, "PAY-120: new card payment form",
		repos.Write(gCard, "<form id=\"card\">\n  <input name=\"number\"/>\n</form>\n"))
	g.commit("hotfix-basket", gJerome, "Hotfix: empty basket total on the booking page",
		repos.InsertAfter(gBasket, "    public BigDecimal total(List<BigDecimal> prices) {\n",
			"        if (prices == null) {\n            return BigDecimal.ZERO;\n        }\n"))
	g.commit("big-prod-fix", gJerome, "PAY-130: rewrite the payment reconciliation batch", bigChange()...)

	// release/clean: the fixes, and the feature the rate fix needs.
	g.checkout("release/clean", "v1.4.0")
	g.pick("clean-rounding", "prod-fix-rounding")
	g.pick("clean-feature-rate", "feature-rate")
	g.pick("clean-fix-rate", "fix-rate")
	// Each of the others breaks one rule.
	g.checkout("release/no-ticket", "v1.4.0")
	g.pick("no-ticket-rounding", "prod-fix-rounding")
	g.pick("no-ticket-hotfix", "hotfix-basket")
	g.checkout("release/feature", "v1.4.0")
	g.pick("feature-rounding", "prod-fix-rounding")
	g.pick("feature-card-pick", "feature-card")
	g.checkout("release/foreign", "v1.4.0")
	g.pick("foreign-rounding", "prod-fix-rounding")
	g.commit("foreign-direct", gLead, "PAY-107: also round the VAT line", // written on the branch, not on recette
		repos.InsertAfter(gMoney, "RoundingMode.HALF_UP;\n", "    static final RoundingMode VAT_ROUNDING = RoundingMode.HALF_UP;\n"))
	g.checkout("release/missing-dep", "v1.4.0")
	g.pick("missing-rounding", "prod-fix-rounding")
	// The conflict resolved by writing the fixed block whole: it builds on nothing.
	g.pick("missing-fix-rate", "fix-rate", repos.InsertAfter(gPrice, "            price = price.multiply(Rates.GROUP_BOOK_RATE);\n        }\n",
		"        if (booking.isStudent() && !booking.isGroup()) {\n            price = price.multiply(Rates.REDUCED_BOOK_RATE);\n        }\n"))
	g.checkout("release/soft-dep", "v1.4.0")
	g.pick("soft-rounding", "prod-fix-rounding")
	g.pick("soft-fix-invoice", "fix-invoice")
	g.checkout("release/risky", "v1.4.0")
	g.pick("risky-big", "big-prod-fix")
	// release/all: every mistake at once, for waivers and the CI formats.
	g.checkout("release/all", "v1.4.0")
	g.pick("all-rounding", "prod-fix-rounding")
	g.pick("all-hotfix", "hotfix-basket")
	g.pick("all-card", "feature-card")
	g.pick("all-fix-rate", "fix-rate", repos.InsertAfter(gPrice, "            price = price.multiply(Rates.GROUP_BOOK_RATE);\n        }\n",
		"        if (booking.isStudent() && !booking.isGroup()) {\n            price = price.multiply(Rates.REDUCED_BOOK_RATE);\n        }\n"))
	g.pick("all-fix-invoice", "fix-invoice")
	if g.err != nil {
		t.Fatal(g.err)
	}
	if err := b.Finish("release/clean"); err != nil {
		t.Fatal(err)
	}
	f.writeConfig(t, gateFixtureConfig)
	return f
}

// bigChange is a wide change with no test: 8 files in 4 directories.
func bigChange() []repos.Change {
	var out []repos.Change
	for i := range 8 {
		var sb strings.Builder
		fmt.Fprintf(&sb, "package pay.batch%d;\n\npublic class Reconcile%d {\n", i%4, i)
		for j := range 40 {
			fmt.Fprintf(&sb, "    int step%d(int x) { return x * %d + %d; }\n", j, i+2, j)
		}
		sb.WriteString("}\n")
		out = append(out, repos.Write(fmt.Sprintf("src/batch%d/Reconcile%d.java", i%4, i), sb.String()))
	}
	return out
}

func (f *gateFixture) writeConfig(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(f.config, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gate runs triage gate on a release branch of the fixture.
func (f *gateFixture) gate(t *testing.T, branch string, args ...string) (int, string, string) {
	t.Helper()
	all := append([]string{"gate", "--repo", f.dir, "--config", f.config, "--no-progress"}, args...)
	if branch != "" {
		all = append(all, "v1.4.0.."+branch)
	}
	return triage(t, all...)
}

// gateJSON runs the gate in json and decodes the violations as "short rule severity".
func (f *gateFixture) gateJSON(t *testing.T, branch string) (int, []string, map[string]any) {
	t.Helper()
	code, out, stderr := f.gate(t, branch, "--format", "json")
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, v := range doc["violations"].([]any) {
		m := v.(map[string]any)
		s := fmt.Sprintf("%s %s %s", m["short"], m["rule"], m["severity"])
		if m["waived"] != nil {
			s += " waived"
		}
		got = append(got, s)
	}
	return code, got, doc
}

func TestGateCleanPrunedBranchPasses(t *testing.T) {
	f := buildGateFixture(t)
	code, out, stderr := f.gate(t, "release/clean")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"ok      " + f.short("clean-feature-rate") + " PAY-109 [feature]  PAY-109: reduced booking rate for students",
		"        from recette: " + f.short("feature-rate") + " (cherry-pick -x line)",
		"        note: class feature allowed (allow_required): required by " + f.short("clean-fix-rate") + " PAY-110 (recette-fix): changes line 11 of " + gPrice + ", last written by " + f.short("feature-rate") + " PAY-109 (feature)",
		"PASSED: 0 errors, 0 warnings, 0 waived, in 3 commits of v1.4.0..release/clean (source recette)",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestGateStoryReleaseBranchPasses(t *testing.T) {
	s := gittest.Story(t)
	code, out, stderr := triage(t, "gate", "--repo", s.Dir, "--no-progress", "v1.4.0..release/1.5")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	short := func(name string) string { return s.Hash(name)[:7] }
	for _, want := range []string{
		short("release-svn-merge-vat") + " r24915 PAY-117 [prod-fix]",
		"from recette: " + short("prod-fix-vat") + " (svn merge record)",
		"from recette: " + short("prod-fix-rounding") + " (cherry-pick -x line)",
		"from recette: " + short("recette-fix-card-expiry") + " (cherry-pick -x line)",
		"from recette: " + short("prod-fix-no-double-charge") + " (same patch-id)",
		// The card expiry fix was taken without its fixup!: a warning, not a failure.
		"warning dependency_safe: " + short("release-pick-card-expiry") + " PAY-119 has a later correction on recette, " +
			short("fixup-card-expiry") + " PAY-119 (recette-fix), which is not on the branch",
		"PASSED: 0 errors, 1 warning, 0 waived, in 7 commits",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// Each rule has a branch that violates it alone, reported with its evidence.
func TestGateEachRuleAlone(t *testing.T) {
	f := buildGateFixture(t)
	cases := []struct {
		branch  string
		config  string // replaces the fixture's config when set
		code    int
		want    []string // violations, "short rule severity"
		message string
		fix     string
	}{
		{branch: "release/no-ticket", code: 1, want: []string{f.short("no-ticket-hotfix") + " require_ticket error"},
			message: f.short("no-ticket-hotfix") + ` names no ticket: "Hotfix: empty basket total on the booking page"`,
			fix:     "name the ticket in the message"},
		{branch: "release/feature", code: 1, want: []string{f.short("feature-card-pick") + " allow error"},
			message: f.short("feature-card-pick") + " PAY-120 is classed feature, which the branch does not allow",
			fix:     "drop it (git revert " + f.short("feature-card-pick") + ")"},
		{branch: "release/foreign", code: 1, want: []string{f.short("foreign-direct") + " source error"},
			message: f.short("foreign-direct") + " PAY-107 was not taken from recette",
			fix:     "land the change on recette first"},
		{branch: "release/missing-dep", code: 1, want: []string{f.short("missing-fix-rate") + " dependency_safe error"},
			message: f.short("missing-fix-rate") + " PAY-110 changes line 11 of " + gPrice + ", last written by " + f.short("feature-rate") + " PAY-109 (feature), which is not on the branch",
			fix:     "cherry-pick " + f.short("feature-rate") + " (git cherry-pick -x " + f.short("feature-rate") + "), or drop " + f.short("missing-fix-rate") + " (git revert " + f.short("missing-fix-rate") + ")"},
		{branch: "release/soft-dep", code: 0, want: []string{f.short("soft-fix-invoice") + " dependency_safe warning"},
			message: f.short("soft-fix-invoice") + " PAY-110 uses REDUCED_BOOK_RATE (in " + gInvoice + ":7), introduced by " + f.short("feature-rate") + " PAY-109 (feature), which is not on the branch",
			fix:     "check that " + f.short("soft-fix-invoice") + " builds and works without it; if not, cherry-pick " + f.short("feature-rate")},
		{branch: "release/risky", config: strings.Replace(gateFixtureConfig, "max_risk: high", "max_risk: low", 1), code: 1,
			want:    []string{f.short("risky-big") + " max_risk error"},
			message: f.short("risky-big") + " PAY-130 is ",
			fix:     "have it reviewed and its area re-tested"},
	}
	for _, c := range cases {
		t.Run(c.branch, func(t *testing.T) {
			cfg := gateFixtureConfig
			if c.config != "" {
				cfg = c.config
			}
			f.writeConfig(t, cfg)
			code, got, doc := f.gateJSON(t, c.branch)
			if code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("violations\n got %q\nwant %q", got, c.want)
			}
			v := doc["violations"].([]any)[0].(map[string]any)
			if msg := v["message"].(string); !strings.HasPrefix(msg, c.message) {
				t.Errorf("message\n got %q\nwant %q", msg, c.message)
			}
			if fix := v["fix"].(string); !strings.HasPrefix(fix, c.fix) {
				t.Errorf("fix\n got %q\nwant %q", fix, c.fix)
			}
			if len(v["evidence"].([]any)) == 0 {
				t.Error("no evidence")
			}
		})
	}
}

func TestGateMissingDependencyEvidence(t *testing.T) {
	f := buildGateFixture(t)
	_, _, doc := f.gateJSON(t, "release/missing-dep")
	v := doc["violations"].([]any)[0].(map[string]any)
	var evidence []string
	for _, e := range v["evidence"].([]any) {
		evidence = append(evidence, e.(string))
	}
	feature := f.short("feature-rate") + " PAY-109 (feature)"
	want := []string{
		"line edge (hard: git cannot apply the change, or it means nothing, without it): changes line 11 of " + gPrice + ", last written by " + feature,
	}
	if strings.Join(evidence, "|") != strings.Join(want, "|") {
		t.Errorf("evidence\n got %q\nwant %q", evidence, want)
	}
	if v["depends_on"] != f.commits["feature-rate"].String() || v["path"] != gPrice || v["line"].(float64) != 11 {
		t.Errorf("depends_on %v at %v:%v", v["depends_on"], v["path"], v["line"])
	}
}

func TestGateReportsEveryViolationAtOnce(t *testing.T) {
	f := buildGateFixture(t)
	code, got, _ := f.gateJSON(t, "release/all")
	want := []string{
		f.short("all-hotfix") + " require_ticket error",
		f.short("all-card") + " allow error",
		f.short("all-fix-rate") + " dependency_safe error",
		f.short("all-fix-invoice") + " dependency_safe warning",
	}
	if code != 1 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("exit %d, violations\n got %q\nwant %q", code, got, want)
	}
}

func TestGateWaiversSuppressExactlyWhatTheyName(t *testing.T) {
	f := buildGateFixture(t)
	f.writeConfig(t, gateFixtureConfig+`  waivers:
    - {ticket: PAY-120, reason: "approved by release board 2011-02-18"}
    - {commit: `+f.short("fix-rate")+`, reason: "the student block was rewritten by hand"}
    - {commit: `+f.short("feature-rate")+`, reason: "names the missing feature, not a branch commit"}
`)
	code, got, doc := f.gateJSON(t, "release/all")
	want := []string{
		f.short("all-hotfix") + " require_ticket error",
		f.short("all-card") + " allow error waived",
		f.short("all-fix-rate") + " dependency_safe error waived", // named by its recette SHA
		f.short("all-fix-invoice") + " dependency_safe warning",   // needs the same feature, not waived
	}
	if code != 1 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("exit %d, violations\n got %q\nwant %q", code, got, want)
	}
	v := doc["violations"].([]any)[1].(map[string]any)
	if w := v["waived"].(map[string]any); w["reason"] != "approved by release board 2011-02-18" || w["ticket"] != "PAY-120" {
		t.Errorf("waived %v", w)
	}
	unused := doc["unused_waivers"].([]any)
	if len(unused) != 1 || unused[0].(map[string]any)["commit"] != f.short("feature-rate") {
		t.Errorf("unused %v", unused)
	}
	// Text shows the reason with the waived violation.
	_, out, _ := f.gate(t, "release/all")
	if !strings.Contains(out, "          waived by ticket PAY-120: approved by release board 2011-02-18\n") {
		t.Errorf("text output:\n%s", out)
	}
	// Waiving the hotfix too leaves only a warning: the gate passes.
	f.writeConfig(t, gateFixtureConfig+`  waivers:
    - {ticket: PAY-120, reason: "approved by release board 2011-02-18"}
    - {commit: `+f.short("fix-rate")+`, reason: "the student block was rewritten by hand"}
    - {commit: `+f.short("all-hotfix")+`, reason: "hotfix ticket to be created"}
`)
	if code, got, _ := f.gateJSON(t, "release/all"); code != 0 {
		t.Errorf("exit %d with %q", code, got)
	}
}

func TestGateJUnitIsValidXMLWithOneCasePerCommit(t *testing.T) {
	f := buildGateFixture(t)
	path := filepath.Join(t.TempDir(), "gate.xml")
	code, out, _ := f.gate(t, "release/all", "--format", "junit", "-o", path)
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Type string `xml:"type,attr"`
					Text string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	s := doc.Suites[0]
	// 5 commits and the branch as a whole; 3 commits fail (the invoice fix only warns).
	if s.Tests != 6 || s.Failures != 3 {
		t.Errorf("%d tests, %d failures\n%s", s.Tests, s.Failures, data)
	}
	var failing []string
	for _, c := range s.Cases {
		if c.Failure != nil {
			failing = append(failing, c.Name[:7]+" "+c.Failure.Type)
		}
	}
	want := []string{f.short("all-hotfix") + " require_ticket", f.short("all-card") + " allow", f.short("all-fix-rate") + " dependency_safe"}
	if strings.Join(failing, "|") != strings.Join(want, "|") {
		t.Errorf("failing %q, want %q", failing, want)
	}
}

var ghCommand = regexp.MustCompile(`^::(error|warning|notice)(?: ((?:file|line|title)=[^:,]*(?:,(?:file|line|title)=[^:,]*)*))?::[^\r\n]*$`)

func TestGateGitHubAnnotationsAndStepSummary(t *testing.T) {
	f := buildGateFixture(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("previous step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	code, out, stderr := f.gate(t, "release/all", "--format", "github")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var kinds []string
	for _, l := range lines[:len(lines)-1] {
		m := ghCommand.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a workflow command: %q", l)
		}
		kinds = append(kinds, m[1])
	}
	if strings.Join(kinds, " ") != "error error error warning" {
		t.Errorf("commands %v", kinds)
	}
	wantFirst := "::error file=" + gBasket + ",line=8,title=triage gate%3A require_ticket (" + f.short("all-hotfix") + ")::" + f.short("all-hotfix") + " names no ticket"
	if !strings.HasPrefix(lines[0], wantFirst) {
		t.Errorf("first annotation\n got %q\nwant %q...", lines[0], wantFirst)
	}
	if !strings.HasPrefix(lines[len(lines)-1], "FAILED: 3 errors, 1 warning, 0 waived, in 5 commits") {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	data, _ := os.ReadFile(summary)
	if !strings.HasPrefix(string(data), "previous step\n## triage gate v1.4.0..release/all: failed\n\n| Commit | Rule |") {
		t.Errorf("step summary:\n%s", data)
	}
	// Without the variable, nothing is written anywhere else.
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	if code, _, _ := f.gate(t, "release/clean", "--format", "github"); code != 0 {
		t.Errorf("clean branch exit %d", code)
	}
}

func TestGateGitLabCodeQuality(t *testing.T) {
	f := buildGateFixture(t)
	code, out, _ := f.gate(t, "release/all", "--format", "gitlab")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var issues []struct {
		Description string `json:"description"`
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range issues {
		got = append(got, fmt.Sprintf("%s %s %s:%d", is.CheckName, is.Severity, is.Location.Path, is.Location.Lines.Begin))
		if len(is.Fingerprint) != 32 || is.Description == "" {
			t.Errorf("%+v", is)
		}
	}
	want := []string{
		"triage-gate/require_ticket major " + gBasket + ":8",
		"triage-gate/allow major " + gCard + ":1",
		"triage-gate/dependency_safe major " + gPrice + ":11",
		"triage-gate/dependency_safe minor " + gInvoice + ":7",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("issues\n got %q\nwant %q", got, want)
	}
}

func TestGateTextGolden(t *testing.T) {
	f := buildGateFixture(t)
	_, out, _ := f.gate(t, "release/all")
	assertGolden(t, "gate-all.txt", out)
}

func TestGateShallowCloneExitsTwoWithTheFix(t *testing.T) {
	f := buildGateFixture(t)
	// A shallow clone is a repository whose .git/shallow lists the commits
	// whose parents were cut off.
	head, err := os.ReadFile(filepath.Join(f.dir, ".git", "refs", "heads", "release", "clean"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, ".git", "shallow"), head, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := f.gate(t, "release/clean")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"history is shallow", "git fetch --unshallow", "fetch-depth: 0", "GIT_DEPTH: 0"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// The same with a real shallow clone made by git, when git is installed.
func TestGateRealShallowClone(t *testing.T) {
	gittest.NeedGit(t)
	f := buildGateFixture(t)
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Git(t, "", "clone", "-q", "--depth", "1", "--no-single-branch", "file://"+f.dir, clone)
	code, _, stderr := triage(t, "gate", "--repo", clone, "--config", f.config, "--no-progress", "v1.4.0..origin/release/clean")
	if code != 2 || !strings.Contains(stderr, "history is shallow") || !strings.Contains(stderr, "fetch-depth: 0") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestGateSourceFromRemoteBranch(t *testing.T) {
	gittest.NeedGit(t)
	f := buildGateFixture(t)
	// A CI checkout: the release branch checked out, recette only as origin/recette.
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Git(t, "", "clone", "-q", "--branch", "release/clean", "file://"+f.dir, clone)
	code, out, stderr := triage(t, "gate", "--repo", clone, "--config", f.config, "--no-progress") // default range: v1.4.0..HEAD
	if code != 0 || !strings.Contains(out, "triage gate v1.4.0..HEAD\n") || !strings.Contains(out, "(source origin/recette)") {
		t.Errorf("exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestGateConfigAndUsageErrorsExitTwo(t *testing.T) {
	f := buildGateFixture(t)
	cases := []struct {
		name, config string
		args         []string
		want         string
	}{
		{"no gate section", strings.Split(gateFixtureConfig, "gate:")[0], nil, "has no gate: section"},
		{"unknown source", strings.Replace(gateFixtureConfig, "source: recette", "source: recete", 1), nil,
			`gate.source "recete"`},
		{"dependency_safe without source", strings.Replace(gateFixtureConfig, "  source: recette\n", "", 1), nil,
			"sets dependency_safe but no source"},
		{"bad format", gateFixtureConfig, []string{"--format", "sarif"}, `unknown format "sarif"`},
		{"unknown revision", gateFixtureConfig, []string{"v1.4.0..release/nope"}, "release/nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.writeConfig(t, c.config)
			args := c.args
			branch := "release/clean"
			if len(args) == 1 {
				branch = ""
			}
			code, out, stderr := f.gate(t, branch, args...)
			if code != 2 || out != "" || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, stderr)
			}
		})
	}
}

func TestGateFlags(t *testing.T) {
	var got *gateOptions
	cmd := newGateCmd(ioStreams{Out: io.Discard, Err: io.Discard}, func(_ *cobra.Command, o *gateOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"v1.4.0..release/1.5", "-o", "x.xml", "--format", "junit"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != "junit" || got.Output != "x.xml" || len(got.Range) != 1 {
		t.Errorf("%+v", got)
	}
	cmd = newGateCmd(ioStreams{Out: io.Discard, Err: io.Discard}, func(_ *cobra.Command, o *gateOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != "text" {
		t.Errorf("default format %q", got.Format)
	}
	var buf bytes.Buffer
	cmd.SetOut(&buf)
	cmd.SetArgs([]string{"--help"})
	_ = cmd.Execute()
	if !strings.Contains(buf.String(), `output format: text, github, gitlab, junit, json, markdown, table or csv (default "text")`) {
		t.Errorf("help:\n%s", buf.String())
	}
}

// Without a source, the branch is judged on its own: tickets, classes, and
// allow_required over the branch's own dependencies.
func TestGateWithoutSource(t *testing.T) {
	f := buildGateFixture(t)
	policy := "gate:\n  require_ticket: true\n  allow: [prod-fix, recette-fix]\n  allow_required: true\n  max_risk: high\n"
	f.writeConfig(t, strings.Split(gateFixtureConfig, "gate:")[0]+policy)
	code, got, doc := f.gateJSON(t, "release/all")
	want := []string{f.short("all-hotfix") + " require_ticket error", f.short("all-card") + " allow error"}
	if code != 1 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("exit %d, violations\n got %q\nwant %q", code, got, want)
	}
	if doc["source"] != nil || doc["branch_risk"] != nil {
		t.Errorf("source %v, branch risk %v", doc["source"], doc["branch_risk"])
	}
	code, got, _ = f.gateJSON(t, "release/clean")
	if code != 0 || len(got) != 0 {
		t.Errorf("clean: exit %d, %q", code, got)
	}
}

func TestGateNeedsARange(t *testing.T) {
	f := buildGateFixture(t)
	f.writeConfig(t, strings.Replace(gateFixtureConfig, "range: v1.4.0..recette\n", "", 1))
	code, _, stderr := f.gate(t, "")
	if code != 2 || !strings.Contains(stderr, "no range given") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
