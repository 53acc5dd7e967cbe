package repos

// The story repository: a month of recette (user-acceptance testing) on PAY, a
// hotel booking and payment application, in miniature. Nine developers, a
// production tag v1.4.0, a branch recette with 45 commits in v1.4.0..recette
// (features, recette fixes, production fixes, a revert, a fixup!, a hotfix
// branch merged in, a merge that resolved a conflict, commits without tickets),
// and a branch release/1.5 holding the fixes taken so far. A Jira export
// (tickets.csv) and a config (.triage.yaml) sit beside it, untracked.
//
// Later stages assert on the dependency cases below; every commit is named
// (Story.Commits[name]). "alone" is what `git cherry-pick` of that commit alone
// onto v1.4.0 does (checked against git by internal/fixturetest):
// conflict exactly for the commits with a hard dependency, except the revert,
// which git applies as an empty change.
//
//	case        commit (ticket)                         depends on (ticket)                path                        alone
//	line        recette-fix-reduced-rate (PAY-110)      feature-reduced-rate (PAY-109)     pricing/PriceCalculator     conflict
//	symbol      recette-fix-reduced-rate-invoice        feature-reduced-rate (PAY-109)     invoice/InvoiceFormatter    clean
//	            (PAY-110) uses REDUCED_BOOK_RATE, introduced in pricing/Rates.java
//	file        recette-fix-sepa (PAY-104)              feature-sepa (PAY-103) created     payment/SepaPayment         conflict
//	            SepaPayment.java; the fix edits only lines feature-sepa-mandate wrote
//	line        recette-fix-sepa (PAY-104)              feature-sepa-mandate (PAY-103)     payment/SepaPayment         conflict
//	adjacent    recette-fix-invoice-currency (PAY-108)  feature-invoice-footer (PAY-106)   invoice/InvoiceFormatter    conflict
//	            edits the line right above the two footer lines, no unchanged line between
//	file        recette-fix-legacy-rates (PAY-113,      feature-drop-legacy-rates          config/legacy-rates...      conflict
//	            "Refs:" trailer) re-creates a file      (PAY-102) deleted it               (add/add)
//	revert      revert-exchange-cache                   feature-exchange-cache (PAY-116)   currency/CurrencyConverter  empty
//	revert      fixup-card-expiry ("fixup! PAY-119")    recette-fix-card-expiry (PAY-119)  payment/CardValidator       conflict
//	rename      rename-views (PAY-123) moves booking.jsp under WEB-INF/views (pure rename but two include lines)
//	rename      recette-fix-booking-page (PAY-126)      rename-views (PAY-123)             WEB-INF/views/booking.jsp   clean
//	rename      feature-loyalty-ui (PAY-115)            rename-views (PAY-123)             WEB-INF/views/booking.jsp   clean
//	line        prod-fix-no-double-charge (PAY-124)     hotfix-gateway-retry (PAY-111),    payment/PaymentGateway      conflict
//	            a production fix on a production fix,   through merge-hotfix
//	line        fixup-card-expiry, feature-booking-email-fr, feature-export-columns, feature-card-form-labels,
//	            feature-booking-cancel (file BookingMailer.java): features on features of their own ticket
//	symbol      feature-loyalty-wiring (PAY-114,        feature-loyalty-backend (PAY-114)  booking/BookingService      clean
//	            PAY-115) uses LoyaltyService
//	independent prod-fix-rounding (PAY-107), prod-fix-vat (PAY-117), hotfix-gateway-timeout and -retry (PAY-111),
//	            hotfix-null-basket, mixed-card-number: no dependency either way; cherry-pick cleanly alone
//
// Tickets and classes (rules of StoryConfig, tickets of StoryTickets):
//   - split feature: loyalty points over PAY-114 (backend) and PAY-115 (booking page), one commit naming both;
//   - PAY-120 (Story) has three commits, only one of which is a fix: mixed-card-number names PAY-120 and the
//     Bug PAY-122, so it is "mixed"; feature-card-form-labels depends on feature-card-form (same ticket);
//   - no ticket: typo-readme (unclassified), docs-payment-flows (only docs/**: chore), format-whitespace
//     (unclassified), hotfix-null-basket ("Hotfix:" message: prod-fix); mode-deploy-script names "refs #12",
//     which no export knows; ticket-missing-export names PAY-121, absent from tickets.csv;
//   - Subversion: the first four recette commits carry git-svn-id trunk@24911..24914, main's history older
//     revisions; release/1.5 starts with "Merged r24913 from trunk" (branches/release-1.5@24915);
//   - merges: merge-hotfix ("Merge branch 'hotfix/PAY-111' into recette", clean) and merge-export
//     (feature/PAY-118-booking-export, conflict in BookingService.java resolved with a line of its own:
//     findActiveByDay);
//   - also: a binary file changed (feature-logo), a mode change (mode-deploy-script), a symbolic link
//     retargeted (task-log4j-link), an ISO-8859-1 properties file, a rename with edits (rename-views).
//
// release/1.5 (from v1.4.0), for the gate: release-svn-merge-vat (svn merge record of prod-fix-vat),
// release-merge-hotfix (merges hotfix/PAY-111), release-pick-rounding and release-pick-card-expiry
// (git cherry-pick -x of prod-fix-rounding and recette-fix-card-expiry), release-pick-no-double-charge
// (same patch as prod-fix-no-double-charge, no -x line: found by patch-id only).

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Story is the built story repository.
type Story struct {
	Dir     string
	Base    string // "v1.4.0", the production tag
	Head    string // "recette", the branch under acceptance testing
	Release string // "release/1.5", the fixes taken so far
	// Commits names every commit the story writes (see the table above).
	Commits map[string]plumbing.Hash
	// Order lists the names in the order the commits were written.
	Order []string
	// Cases are the dependency cases later stages assert on.
	Cases []Case
	// AloneConflicts names the commits of v1.4.0..recette that conflict when
	// cherry-picked alone onto v1.4.0; AloneEmpty those that apply but change
	// nothing (a revert of a commit that is not there).
	AloneConflicts []string
	AloneEmpty     []string
	ConfigPath     string // .triage.yaml, beside the repository, untracked
	TicketsPath    string // tickets.csv, the Jira export
}

// Case is one dependency the story was written to contain.
type Case struct {
	Kind      string // line, adjacent, file, rename, revert, symbol
	Commit    string // name of the dependent commit
	DependsOn string // name of the commit it depends on
	Path      string // where the evidence is (for symbol: where it is used)
	Evidence  string // the lines or the token, in words
}

// Hash returns the SHA of a named commit as a string, or "" when unknown.
func (s *Story) Hash(name string) string {
	h, ok := s.Commits[name]
	if !ok {
		return ""
	}
	return h.String()
}

// StoryUUID is the Subversion repository UUID in git-svn-id lines.
const StoryUUID = "7d0e4b2a-3c9f-4e1b-8a5d-2f6c9b1e0a47"

// The nine developers of the story.
var (
	Sophie  = Person{"Sophie Bernard", "sophie.bernard@pay.example.com"}
	Jerome  = Person{"Jérôme Dupont", "jerome.dupont@pay.example.com"}
	Camille = Person{"Camille Lefèvre", "camille.lefevre@pay.example.com"}
	Nicolas = Person{"Nicolas Moreau", "nicolas.moreau@pay.example.com"}
	Elodie  = Person{"Élodie Fournier", "elodie.fournier@pay.example.com"}
	Thomas  = Person{"Thomas Girard", "thomas.girard@pay.example.com"}
	Priya   = Person{"Priya Raman", "priya.raman@pay.example.com"}
	Mark    = Person{"Mark Evans", "mark.evans@pay.example.com"}
	Lucas   = Person{"Lucas Petit", "lucas.petit@pay.example.com"}
)

var paris = time.FixedZone("CET", 3600)

func jan(day, hour, minute int) time.Time { return time.Date(2011, 1, day, hour, minute, 0, 0, paris) }
func feb(day, hour, minute int) time.Time { return time.Date(2011, 2, day, hour, minute, 0, 0, paris) }

func svnID(branch string, rev int) string {
	return fmt.Sprintf("git-svn-id: https://svn.example.com/repos/pay/%s@%d %s", branch, rev, StoryUUID)
}

// storyWriter keeps the first error, so the story reads as a script.
type storyWriter struct {
	b       *Builder
	s       *Story
	changes map[string][]Change // by commit name, to replay cherry-picks
	msgs    map[string]string
	when    map[string]time.Time
	who     map[string]Person
	err     error
}

func (w *storyWriter) commit(name string, at time.Time, who Person, msg string, changes ...Change) {
	if w.err != nil {
		return
	}
	w.b.SetClock(at)
	h, err := w.b.Commit(who, msg, changes...)
	w.record(name, h, err)
	w.changes[name], w.msgs[name], w.when[name], w.who[name] = changes, msg, at, who
}

func (w *storyWriter) merge(name string, at time.Time, who Person, msg, other string, resolution ...Change) {
	if w.err != nil {
		return
	}
	w.b.SetClock(at)
	h, err := w.b.Merge(who, msg, other, resolution...)
	w.record(name, h, err)
}

// pick replays commit src on the current branch as `git cherry-pick` would,
// with the -x line when withX.
func (w *storyWriter) pick(name, src string, at time.Time, picker Person, withX bool) {
	if w.err != nil {
		return
	}
	msg := strings.TrimRight(w.msgs[src], "\n") + "\n"
	if withX {
		msg += "\n(cherry picked from commit " + w.sha(src) + ")\n"
	}
	h, err := w.b.CommitAs(w.who[src], w.when[src], picker, at, msg, w.changes[src]...)
	w.record(name, h, err)
}

func (w *storyWriter) record(name string, h plumbing.Hash, err error) {
	if err != nil {
		w.err = fmt.Errorf("story commit %s: %w", name, err)
		return
	}
	if _, dup := w.s.Commits[name]; dup {
		w.err = fmt.Errorf("story commit %s: name used twice", name)
		return
	}
	w.s.Commits[name] = h
	w.s.Order = append(w.s.Order, name)
}

func (w *storyWriter) sha(name string) string { return w.s.Commits[name].String() }

func (w *storyWriter) checkout(branch, from string) {
	if w.err == nil {
		w.err = w.b.Checkout(branch, from)
	}
}

// without removes part from s; a missing part is a bug in the story.
func (w *storyWriter) without(s, part string) string {
	if !strings.Contains(s, part) && w.err == nil {
		w.err = fmt.Errorf("story: %q not found", part)
	}
	return strings.Replace(s, part, "", 1)
}

// BuildStory builds the story repository in dir (which must not hold a
// repository yet), writes .triage.yaml and tickets.csv beside it, excluded
// from git status, and checks out recette.
func BuildStory(dir string) (*Story, error) {
	b, err := New(dir)
	if err != nil {
		return nil, err
	}
	s := &Story{Dir: dir, Base: "v1.4.0", Head: "recette", Release: "release/1.5", Commits: map[string]plumbing.Hash{},
		ConfigPath: filepath.Join(dir, ".triage.yaml"), TicketsPath: filepath.Join(dir, "tickets.csv")}
	w := &storyWriter{b: b, s: s, changes: map[string][]Change{}, msgs: map[string]string{},
		when: map[string]time.Time{}, who: map[string]Person{}}
	w.production()
	w.recette()
	if w.err != nil {
		return nil, w.err
	}
	s.Cases = storyCases
	s.AloneConflicts = []string{"feature-sepa-mandate", "recette-fix-sepa", "recette-fix-invoice-currency",
		"recette-fix-reduced-rate", "feature-booking-email-fr", "fixup-card-expiry", "feature-booking-cancel",
		"feature-export-columns", "recette-fix-legacy-rates", "prod-fix-no-double-charge", "feature-card-form-labels"}
	s.AloneEmpty = []string{"revert-exchange-cache"}
	if err := b.Finish("recette"); err != nil {
		return nil, fmt.Errorf("story: check out recette: %w", err)
	}
	if err := writeStoryExtras(dir); err != nil {
		return nil, err
	}
	return s, nil
}

// production writes main up to the tag v1.4.0: the history the team brought
// over from Subversion.
func (w *storyWriter) production() {
	initialGateway := strings.Replace(gatewayJava, "TIMEOUT_SECONDS = 10", "TIMEOUT_SECONDS = 5", 1)
	luhnCall := ` && luhn(number)`
	luhnMethod := cardValidatorJava[strings.Index(cardValidatorJava, "\n    private boolean luhn"):strings.LastIndex(cardValidatorJava, "}")]
	initialCard := w.without(w.without(cardValidatorJava, luhnCall), luhnMethod)
	groupBlock := "        if (booking.isGroup()) {\n            price = price.multiply(Rates.GROUP_BOOK_RATE);\n        }\n"
	groupRate := "    /** Rate applied to a group booking (ten people or more). */\n    public static final BigDecimal GROUP_BOOK_RATE = new BigDecimal(\"0.90\");\n\n"
	overseas := "    /** VAT rate in the overseas departments. */\n    public static final BigDecimal VAT_OVERSEAS = new BigDecimal(\"0.196\");\n\n"
	discountMethod := "\n    private String discountLine(InvoiceLine line) {\n        String label = \"Discount \";\n        return String.format(\"%-30s %10s%n\", label + line.getLabel(), money.format(line.getDiscount()));\n    }\n"
	discountCall := "line.getDiscount() == null ? formatLine(line) : discountLine(line)"
	initialInvoice := strings.Replace(w.without(invoiceFormatterJava, discountMethod), discountCall, "formatLine(line)", 1)
	sameCurrency := "        if (from.equals(to)) {\n            return amount;\n        }\n"

	w.commit("initial-import", jan(3, 10, 0), Sophie, "Initial import of the booking application\n\n"+svnID("trunk", 24850),
		Write(pathPom, strings.Replace(pomXML, "<version>1.4.0</version>", "<version>1.4.0-SNAPSHOT</version>", 1)),
		Write(pathReadme, readmeMD),
		Write(pathArchitecture, architectureMD),
		Write(pathDeploy, deploySH),
		Write(pathBooking, bookingJava),
		Write(pathBookingService, bookingServiceJava),
		Write(pathPriceCalculator, w.without(priceCalculatorJava, groupBlock)),
		Write(pathRates, w.without(w.without(ratesJava, groupRate), overseas)),
		Write(pathMoney, moneyJava),
		Write(pathGateway, initialGateway),
		Write(pathCardValidator, initialCard),
		Write(pathInvoiceFormatter, initialInvoice),
		Write(pathConverter, w.without(converterJava, sameCurrency)),
		Write(pathCardTest, cardTestJava),
		Write(pathMessagesEN, messagesEN),
		Write(pathLegacyRates, legacyRates),
		Write(pathLog4jProd, log4jProd),
		Symlink(pathLog4j, "log4j-prod.properties"),
		Write(pathBookingJSP, bookingJSP),
		Write(pathHeaderJSP, headerJSP),
		// error.jsp keeps WEB-INF/views alive at v1.4.0. Without it, cherry-picking
		// feature-card-form alone onto v1.4.0 hits git's directory rename detection
		// (WEB-INF/views/ "renamed" back to webapp/ by rename-views) and conflicts
		// although no line, file or rename dependency explains it.
		Write(pathErrorView, errorJSP),
		Write(pathWebXML, webXML),
		Write(pathFooterJSP, footerJSP),
		WriteBytes(pathLogo, logoV1()),
		Write(migrations+"V1__init.sql", migrationInit),
		Write(migrations+"V2__invoices.sql", migrationInvoices),
		Write(migrations+"V3__rates.sql", migrationRates),
	)
	w.commit("main-gateway-timeout", jan(5, 14, 30), Nicolas,
		"PAY-72: fix gateway timeout, 5 seconds is too short at peak hours\n\n"+svnID("trunk", 24853),
		Write(pathGateway, gatewayJava))
	w.commit("main-luhn", jan(10, 11, 0), Jerome, "PAY-80: check card numbers with the Luhn algorithm\n\n"+svnID("trunk", 24861),
		Write(pathCardValidator, cardValidatorJava))
	w.commit("main-group-rate", jan(12, 16, 10), Sophie,
		"PAY-85: group rate for bookings of ten people or more\n\n"+svnID("trunk", 24866),
		Write(pathPriceCalculator, priceCalculatorJava),
		InsertBefore(pathRates, "    /** Day of the month", groupRate),
		Write(pathPriceTest, priceTestJava))
	w.commit("main-discounts", jan(17, 10, 45), Camille, "PAY-88: show discounts on invoices\n\n"+svnID("trunk", 24872),
		Write(pathInvoiceFormatter, invoiceFormatterJava))
	w.commit("main-overseas-vat", jan(19, 15, 0), Jerome, "PAY-91: VAT rate for the overseas departments\n\n"+svnID("trunk", 24880),
		InsertBefore(pathRates, "    /** Rate applied to a standard booking. */", overseas))
	w.commit("main-same-currency", jan(21, 9, 30), Nicolas,
		"Fix NPE-prone conversion when both currencies are the same\n\n"+svnID("trunk", 24889),
		Write(pathConverter, converterJava))
	w.commit("main-french", jan(24, 11, 20), Camille, "PAY-93: French translations of the booking screens\n\n"+svnID("trunk", 24897),
		Write(pathMessagesFR, messagesFR))
	w.commit("main-release-notes", jan(27, 17, 0), Sophie, "Release notes for 1.4.0\n\n"+svnID("trunk", 24901),
		Write(pathReleaseNotes, releaseNotesMD))
	w.commit("main-release", jan(28, 17, 30), Sophie, "Prepare release 1.4.0\n\n"+svnID("trunk", 24903),
		Write(pathPom, pomXML))
	if w.err == nil {
		w.err = w.b.Tag("v1.4.0")
	}
}

// recette writes the month of February on recette, hotfix/PAY-111,
// feature/PAY-118-booking-export and release/1.5, in date order.
func (w *storyWriter) recette() {
	w.checkout("recette", "v1.4.0")

	w.commit("feature-booking-email", feb(1, 9, 12), Sophie,
		"PAY-101: send a confirmation e-mail when a booking is paid\n\nThe subject comes from the i18n bundle; French wording to follow.\n\n"+svnID("trunk", 24911),
		Write(pathBookingMailer, bookingMailerJava),
		InsertAfter(pathBookingService, "    private final PriceCalculator calculator = new PriceCalculator();\n",
			"    private final BookingMailer mailer = new BookingMailer();\n"),
		InsertAfter(pathBookingService, "        booking.setPaid(true);\n", "        mailer.sendConfirmation(booking);\n"),
		InsertAfter(pathMessagesEN, "invoice.vat=VAT\n", "\n# E-mails\nmail.confirmation.subject=Your booking is confirmed\n"),
		InsertAfter(pathMessagesFR, "invoice.vat=TVA\n", "\n# E-mails\nmail.confirmation.subject=Your booking is confirmed\n"))
	w.commit("feature-price-cache", feb(1, 10, 40), Nicolas,
		"PAY-102 Faster price lookup: read the rate table once a day\n\n"+svnID("trunk", 24912),
		Write(pathRateCache, rateCacheJava))
	w.commit("prod-fix-vat", feb(1, 14, 5), Jerome,
		"PAY-117: VAT in the overseas departments is 8.5%, not 19.6%\n\nInvoices sent to Guadeloupe, Martinique and Réunion were wrong since 1.4.0.\n\n"+svnID("trunk", 24913),
		Edit(pathRates, `VAT_OVERSEAS = new BigDecimal("0.196");`, `VAT_OVERSEAS = new BigDecimal("0.085");`))
	w.commit("feature-sepa", feb(1, 16, 30), Camille,
		"PAY-103 SEPA direct debit: payment type and mandate table\n\n"+svnID("trunk", 24914),
		Write(pathSepaPayment, sepaPaymentJava),
		Write(migrations+"V4__sepa_mandates.sql", migrationSepa))

	w.checkout("release/1.5", "v1.4.0")
	w.commit("release-svn-merge-vat", feb(1, 17, 45), Sophie,
		"Merged r24913 from trunk: PAY-117 VAT in the overseas departments\n\n"+svnID("branches/release-1.5", 24915),
		w.changes["prod-fix-vat"]...)
	w.checkout("recette", "")

	w.commit("prod-fix-rounding", feb(2, 9, 20), Jerome,
		"PAY-107: round invoice totals half-up, as the tax office does\n\nHALF_EVEN gave 0.12 for 0.125; customers noticed.",
		Edit(pathMoney, "RoundingMode.HALF_EVEN", "RoundingMode.HALF_UP"),
		Write(pathMoneyTest, moneyTestJava))
	w.commit("feature-sepa-mandate", feb(2, 11, 0), Camille, "PAY-103: validate the mandate reference",
		InsertAfter(pathSepaPayment, "    private static final Pattern IBAN = Pattern.compile(\"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\");\n",
			"    private static final Pattern MANDATE = Pattern.compile(\"[A-Za-z0-9+?/:().,' -]+\");\n"),
		Edit(pathSepaPayment, "        return mandateReference != null;\n",
			"        if (mandateReference == null || mandateReference.isEmpty()) {\n"+
				"            return false;\n"+
				"        }\n"+
				"        String reference = mandateReference.trim();\n"+
				"        boolean wellFormed = MANDATE.matcher(reference).matches();\n"+
				"        return wellFormed;\n"))
	w.commit("feature-reduced-rate", feb(2, 15, 10), Sophie,
		"PAY-109: reduced booking rate for students\n\nStudents get 20% off on presentation of their card at check-in.",
		InsertAfter(pathRates, "    public static final BigDecimal GROUP_BOOK_RATE = new BigDecimal(\"0.90\");\n",
			"\n    /** Rate applied to students (PAY-109). */\n    public static final BigDecimal REDUCED_BOOK_RATE = new BigDecimal(\"0.80\");\n"),
		InsertAfter(pathPriceCalculator, "            price = price.multiply(Rates.GROUP_BOOK_RATE);\n        }\n",
			"        if (booking.isStudent()) {\n            price = price.multiply(Rates.REDUCED_BOOK_RATE);\n        }\n"),
		InsertAfter(pathBooking, "    private boolean group;\n", "    private boolean student;\n"),
		InsertAfter(pathBooking, "    public void setGroup(boolean group) {\n        this.group = group;\n    }\n",
			"\n    public boolean isStudent() {\n        return student;\n    }\n\n"+
				"    public void setStudent(boolean student) {\n        this.student = student;\n    }\n"))
	w.commit("recette-fix-sepa", feb(3, 9, 30), Elodie,
		"PAY-104: SEPA mandate references are 35 characters at most\n\nThe bank rejects longer ones at debit time, days after the booking.",
		Edit(pathSepaPayment, "        boolean wellFormed = MANDATE.matcher(reference).matches();\n",
			"        boolean wellFormed = reference.length() <= 35 && MANDATE.matcher(reference).matches();\n"),
		Write(migrations+"V6__mandate_reference_length.sql", migrationMandateLength))
	w.commit("feature-invoice-footer", feb(3, 11, 15), Thomas, "PAY-106: legal footer on invoices",
		InsertAfter(pathInvoiceFormatter, "    private static final String SEPARATOR = \"----------------------------------------\\n\";\n",
			"    private static final String LEGAL_FOOTER = \"PAY SAS - RCS Paris B 123 456 789 - TVA FR12123456789\\n\";\n"),
		InsertAfter(pathInvoiceFormatter, "        sb.append(totalLine(invoice));\n",
			"        sb.append(SEPARATOR);\n        sb.append(LEGAL_FOOTER);\n"))

	w.checkout("hotfix/PAY-111", "v1.4.0")
	w.commit("hotfix-gateway-timeout", feb(3, 14, 0), Nicolas,
		"PAY-111: raise the payment gateway timeout to 30 seconds\n\nThe bank answers in 12 to 20 seconds since its migration.",
		Edit(pathGateway, "TIMEOUT_SECONDS = 10;", "TIMEOUT_SECONDS = 30;"))
	w.commit("hotfix-gateway-retry", feb(3, 16, 20), Nicolas, "PAY-111: retry a card payment once after a timeout",
		InsertAfter(pathGateway, "        GatewayResponse response = client.send(cardNumber, amount, TIMEOUT_SECONDS);\n",
			"        if (response.isTimeout()) {\n            response = client.send(cardNumber, amount, TIMEOUT_SECONDS);\n        }\n"))
	w.checkout("recette", "")
	w.merge("merge-hotfix", feb(4, 9, 5), Sophie, "Merge branch 'hotfix/PAY-111' into recette", "hotfix/PAY-111")
	w.checkout("release/1.5", "")
	w.merge("release-merge-hotfix", feb(4, 9, 40), Sophie, "Merge branch 'hotfix/PAY-111' into release/1.5", "hotfix/PAY-111")
	w.checkout("recette", "")

	w.commit("recette-fix-invoice-currency", feb(4, 11, 30), Priya,
		"PAY-108: the invoice total line must show the currency",
		Edit(pathInvoiceFormatter, "        sb.append(totalLine(invoice));\n",
			"        sb.append(totalLine(invoice)).append(invoice.getCurrency()).append('\\n');\n"))
	w.commit("feature-loyalty-backend", feb(4, 14, 45), Mark, "PAY-114: loyalty points, backend",
		Write(pathLoyaltyService, loyaltyServiceJava),
		Write(migrations+"V5__loyalty_points.sql", migrationLoyalty))
	w.commit("docs-payment-flows", feb(4, 16, 50), Lucas, "Document the card and SEPA payment flows",
		Write(pathPaymentFlows, paymentFlowsMD),
		InsertAfter(pathArchitecture, "- currency: conversion for foreign customers (CurrencyConverter)\n",
			"\nThe payment flows are described in payment-flows.md.\n"))
	w.commit("recette-fix-reduced-rate", feb(7, 9, 25), Jerome,
		"PAY-110: the student rate must not apply to group bookings\n\nGroups already get the group rate; recette found 72% off for a school trip.",
		Edit(pathPriceCalculator, "        if (booking.isStudent()) {\n", "        if (booking.isStudent() && !booking.isGroup()) {\n"),
		InsertBeforeLast(pathPriceTest, "}\n",
			"\n    @Test\n    public void groupsOfStudentsGetOnlyTheGroupRate() {\n"+
				"        Booking booking = new Booking();\n"+
				"        booking.setBasePrice(new BigDecimal(\"100.00\"));\n"+
				"        booking.setNights(1);\n"+
				"        booking.setGroup(true);\n"+
				"        booking.setStudent(true);\n"+
				"        assertEquals(new BigDecimal(\"90.00\"), calculator.priceOf(booking));\n"+
				"    }\n"))
	w.commit("recette-fix-reduced-rate-invoice", feb(7, 10, 50), Jerome,
		"PAY-110: name the student rate on the invoice instead of \"Discount\"",
		Edit(pathInvoiceFormatter, "        String label = \"Discount \";\n",
			"        String label = Rates.REDUCED_BOOK_RATE.equals(line.getRate()) ? \"Student rate \" : \"Discount \";\n"))

	w.checkout("release/1.5", "")
	w.pick("release-pick-rounding", "prod-fix-rounding", feb(7, 11, 30), Sophie, true)
	w.checkout("recette", "")

	w.commit("feature-loyalty-wiring", feb(7, 14, 10), Mark,
		"PAY-114, PAY-115: credit loyalty points when a booking is made",
		InsertBefore(pathBookingService, "import com.example.pay.payment.PaymentGateway;\n", "import com.example.pay.loyalty.LoyaltyService;\n"),
		InsertAfter(pathBookingService, "        booking.setPrice(calculator.totalOf(booking));\n",
			"        LoyaltyService.instance().credit(booking);\n"))
	w.commit("feature-exchange-cache", feb(7, 16, 35), Nicolas, "PAY-116: cache exchange rates for one hour",
		InsertAfter(pathConverter, "import java.math.RoundingMode;\n", "import java.util.HashMap;\nimport java.util.Map;\n"),
		InsertAfter(pathConverter, "    private final RateProvider provider;\n",
			"    private final Map<String, BigDecimal> cache = new HashMap<String, BigDecimal>();\n"),
		Edit(pathConverter, "        BigDecimal rate = provider.rate(from, to);\n",
			"        String key = from + \"/\" + to;\n"+
				"        BigDecimal rate = cache.get(key);\n"+
				"        if (rate == null) {\n"+
				"            rate = provider.rate(from, to);\n"+
				"            cache.put(key, rate);\n"+
				"        }\n"))
	w.commit("format-whitespace", feb(8, 9, 10), Thomas, "Remove trailing whitespace",
		Edit(pathBooking, "for one customer. \n", "for one customer.\n"),
		Edit(pathBooking, "until the booking is priced. \n", "until the booking is priced.\n"))
	w.commit("recette-fix-card-expiry", feb(8, 10, 30), Elodie, "PAY-119: refuse cards expiring this month",
		Edit(pathCardValidator, "        return year > currentYear || month >= currentMonth;\n",
			"        // A card expiring this month may lapse before the stay is paid: refuse it.\n"+
				"        return year > currentYear || month > currentMonth;\n"),
		InsertBeforeLast(pathCardTest, "}\n",
			"\n    @Test\n    public void rejectsCardsExpiringThisMonth() {\n"+
				"        Calendar today = new GregorianCalendar(2011, Calendar.FEBRUARY, 8);\n"+
				"        assertFalse(validator.isValidExpiry(2, 2011, today));\n"+
				"    }\n"))
	w.commit("feature-booking-email-fr", feb(8, 14, 0), Camille, "PAY-101: French wording of the confirmation e-mail",
		Edit(pathMessagesFR, "mail.confirmation.subject=Your booking is confirmed\n",
			"mail.confirmation.subject=Votre r\xe9servation est confirm\xe9e\n"))
	w.commit("revert-exchange-cache", feb(8, 16, 15), Nicolas,
		"Revert \"PAY-116: cache exchange rates for one hour\"\n\nThis reverts commit "+w.sha("feature-exchange-cache")+
			".\n\nStale rates were shown all afternoon in recette (EUR/GBP off by 2%).",
		Write(pathConverter, converterJava))
	w.commit("fixup-card-expiry", feb(9, 9, 5), Elodie, "fixup! PAY-119: refuse cards expiring this month",
		Edit(pathCardValidator, "may lapse before the stay is paid", "may expire before the stay is paid"))
	w.commit("feature-drop-legacy-rates", feb(9, 11, 20), Nicolas,
		"PAY-102: remove the legacy rate table, rates come from the database now",
		Delete(pathLegacyRates))
	w.commit("feature-i18n-fr", feb(9, 14, 40), Camille, "[PAY-112] French translations of the payment errors",
		Edit(pathMessagesFR, "payment.error.declined=Your card was declined.\npayment.error.timeout=The bank did not answer, please try again.\n",
			"payment.error.declined=Votre carte a \xe9t\xe9 refus\xe9e.\npayment.error.timeout=La banque n'a pas r\xe9pondu, veuillez r\xe9essayer.\n"))
	w.commit("mode-deploy-script", feb(9, 16, 0), Lucas, "Make the deploy script executable (refs #12)",
		Chmod(pathDeploy, filemode.Executable))

	w.checkout("release/1.5", "")
	w.pick("release-pick-card-expiry", "recette-fix-card-expiry", feb(10, 9, 0), Sophie, true)
	w.checkout("recette", "")

	w.commit("feature-logo", feb(10, 10, 10), Mark, "PAY-125: new logo on the booking pages",
		WriteBytes(pathLogo, logoV2()))
	w.commit("rename-views", feb(10, 11, 45), Thomas,
		"PAY-123: move the booking page under WEB-INF\n\nOnly the controller may render it now, as the error page.",
		Rename(pathBookingJSP, pathBookingView),
		Edit(pathBookingView, `<%@ include file="header.jsp" %>`, `<%@ include file="/header.jsp" %>`),
		Edit(pathBookingView, `<%@ include file="footer.jsp" %>`, `<%@ include file="/footer.jsp" %>`))
	w.commit("typo-readme", feb(10, 15, 20), Lucas, "Fix typo in README",
		Edit(pathReadme, "recieve", "receive"))

	w.checkout("feature/PAY-118-booking-export", "recette")
	w.commit("feature-export-csv", feb(11, 10, 0), Priya, "PAY-118: export the bookings of a day as CSV",
		Write(pathBookingExporter, bookingExporterJava),
		InsertAfter(pathBookingService, "        return repository.findByCustomer(customerId);\n    }\n",
			"\n    public String exportCsv(java.util.Date day) {\n"+
				"        return new BookingExporter().toCsv(repository.findByDay(day));\n"+
				"    }\n"))
	w.checkout("recette", "")
	w.commit("feature-booking-cancel", feb(11, 11, 30), Sophie,
		"PAY-101: cancel a booking and send the cancellation e-mail",
		InsertAfter(pathBookingService, "        return repository.findByCustomer(customerId);\n    }\n",
			"\n    public void cancel(Booking booking) {\n"+
				"        booking.setCancelled(true);\n"+
				"        repository.save(booking);\n"+
				"        mailer.sendCancellation(booking);\n"+
				"    }\n"),
		InsertAfter(pathBookingMailer, "messages.getString(\"mail.confirmation.subject\"));\n    }\n",
			"\n    public void sendCancellation(Booking booking) {\n"+
				"        send(booking.getCustomerId(), messages.getString(\"mail.cancellation.subject\"));\n"+
				"    }\n"),
		InsertAfter(pathBooking, "    private boolean paid;\n", "    private boolean cancelled;\n"),
		InsertAfter(pathBooking, "    public void setPaid(boolean paid) {\n        this.paid = paid;\n    }\n",
			"\n    public boolean isCancelled() {\n        return cancelled;\n    }\n\n"+
				"    public void setCancelled(boolean cancelled) {\n        this.cancelled = cancelled;\n    }\n"),
		InsertAfter(pathMessagesEN, "mail.confirmation.subject=Your booking is confirmed\n",
			"mail.cancellation.subject=Your booking is cancelled\n"),
		InsertAfter(pathMessagesFR, "mail.confirmation.subject=Votre r\xe9servation est confirm\xe9e\n",
			"mail.cancellation.subject=Votre r\xe9servation est annul\xe9e\n"))
	w.commit("feature-loyalty-ui", feb(14, 9, 40), Camille, "PAY-115: show the loyalty points on the booking page",
		InsertAfter(pathBookingView, "    <p class=\"group\"><fmt:message key=\"booking.group\"/></p>\n  </c:if>\n",
			"\n  <p class=\"loyalty\"><fmt:message key=\"booking.loyalty.points\"/>: ${loyaltyPoints}</p>\n"),
		InsertAfter(pathMessagesEN, "booking.cancel=Cancel booking\n", "booking.loyalty.points=Loyalty points\n"),
		InsertAfter(pathMessagesFR, "booking.cancel=Annuler la r\xe9servation\n", "booking.loyalty.points=Points de fid\xe9lit\xe9\n"))
	w.checkout("feature/PAY-118-booking-export", "")
	w.commit("feature-export-columns", feb(14, 11, 0), Priya, "PAY-118: customer and price columns in the export",
		Edit(pathBookingExporter, `"id;nights;paid"`, `"id;customer;nights;price;paid"`),
		InsertAfter(pathBookingExporter, "            sb.append(booking.getId()).append(';');\n",
			"            sb.append(booking.getCustomerId()).append(';');\n"),
		InsertAfter(pathBookingExporter, "            sb.append(booking.getNights()).append(';');\n",
			"            sb.append(booking.getPrice()).append(';');\n"))
	w.checkout("recette", "")
	w.commit("recette-fix-legacy-rates", feb(14, 15, 30), Priya,
		"Restore the legacy rate table: the night batch still reads it\n\nbatch/NightlyInvoices failed at 2am in recette. Adds the peak season.\n\nRefs: PAY-113",
		Write(pathLegacyRates, strings.Replace(legacyRates, "high;1.25\n", "high;1.25\npeak;1.40\n", 1)))
	exportMethod := "\n    public String exportCsv(java.util.Date day) {\n" +
		"        return new BookingExporter().toCsv(repository.findActiveByDay(day));\n" +
		"    }\n"
	w.merge("merge-export", feb(15, 9, 20), Priya,
		"Merge branch 'feature/PAY-118-booking-export' into recette\n\nConflicts:\n\t"+pathBookingService,
		"feature/PAY-118-booking-export",
		InsertAfter(pathBookingService, "        mailer.sendCancellation(booking);\n    }\n", exportMethod))
	w.commit("recette-fix-booking-page", feb(15, 14, 0), Elodie,
		"PAY-126 : correctif recette, la page de réservation affiche le prix TTC",
		Edit(pathBookingView, `<fmt:formatNumber value="${booking.basePrice}"`, `<fmt:formatNumber value="${booking.price}"`))
	w.commit("feature-card-form", feb(16, 10, 0), Mark, "PAY-120: new card payment form",
		Write(pathCardFormView, cardFormJSP))
	w.commit("mixed-card-number", feb(17, 10, 30), Elodie,
		"[PAY-120][PAY-122] Accept card numbers typed with spaces",
		Edit(pathCardValidator, `return number.matches("[0-9]{13,19}") && luhn(number);`,
			`return number.replace(" ", "").matches("[0-9]{13,19}") && luhn(number.replace(" ", ""));`))
	w.commit("task-upgrade-driver", feb(17, 15, 0), Lucas, "PAY-105: upgrade the PostgreSQL JDBC driver to 9.0",
		Edit(pathPom, "<version>8.4-701.jdbc4</version>", "<version>9.0-801.jdbc4</version>"))
	w.commit("prod-fix-no-double-charge", feb(21, 9, 45), Nicolas,
		"PAY-124: never retry a charge the bank already accepted\n\nA timeout after acceptance charged two customers twice.",
		Edit(pathGateway, "        if (response.isTimeout()) {\n", "        if (response.isTimeout() && !response.isCharged()) {\n"))
	w.commit("feature-card-form-labels", feb(22, 11, 0), Mark, "PAY-120: card holder field on the card form",
		InsertAfter(pathCardFormView, "  <input type=\"text\" id=\"number\" name=\"number\" autocomplete=\"off\"/>\n",
			"  <label for=\"holder\"><fmt:message key=\"payment.card.holder\"/></label>\n"+
				"  <input type=\"text\" id=\"holder\" name=\"holder\"/>\n"),
		InsertAfter(pathMessagesEN, "payment.card.number=Card number\n", "payment.card.holder=Card holder\n"),
		InsertAfter(pathMessagesFR, "payment.card.number=Num\xe9ro de carte\n", "payment.card.holder=Titulaire de la carte\n"))

	w.checkout("release/1.5", "")
	w.pick("release-pick-no-double-charge", "prod-fix-no-double-charge", feb(22, 16, 0), Sophie, false)
	w.checkout("recette", "")

	w.commit("ticket-missing-export", feb(23, 10, 15), Thomas, "PAY-121: audit log of refunds",
		Write(pathAuditLog, auditLogJava))
	w.commit("task-log4j-link", feb(24, 14, 20), Lucas, "PAY-105: one log4j configuration for all environments",
		Write(pathLog4jShared, log4jShared),
		Symlink(pathLog4j, "log4j-shared.properties"))
	w.commit("hotfix-null-basket", feb(28, 9, 30), Jerome, "Hotfix: empty basket total on the booking page",
		InsertAfter(pathPriceCalculator, "    public BigDecimal basketTotal(List<Booking> basket) {\n",
			"        if (basket == null) {\n            return BigDecimal.ZERO;\n        }\n"))
}

func logoV1() []byte {
	return PNG(16, 16, func(x, y int) (byte, byte, byte) {
		if (x-8)*(x-8)+(y-8)*(y-8) < 36 {
			return 0x1f, 0x4e, 0x9a
		}
		return 0xff, 0xff, 0xff
	})
}

func logoV2() []byte {
	return PNG(16, 16, func(x, y int) (byte, byte, byte) {
		if x+y < 16 {
			return 0x0b, 0x7a, 0x4b
		}
		return 0xf4, 0xf4, 0xf4
	})
}

var storyCases = []Case{
	{"line", "recette-fix-reduced-rate", "feature-reduced-rate", pathPriceCalculator,
		"changes `if (booking.isStudent()) {`, a line PAY-109 wrote"},
	{"symbol", "recette-fix-reduced-rate", "feature-reduced-rate", pathPriceCalculator, "isStudent"},
	{"symbol", "recette-fix-reduced-rate-invoice", "feature-reduced-rate", pathInvoiceFormatter,
		"REDUCED_BOOK_RATE, introduced in " + pathRates},
	{"file", "recette-fix-sepa", "feature-sepa", pathSepaPayment, "SepaPayment.java was created by PAY-103"},
	{"line", "recette-fix-sepa", "feature-sepa-mandate", pathSepaPayment,
		"changes `boolean wellFormed = ...`, written by the mandate validation"},
	{"file", "feature-sepa-mandate", "feature-sepa", pathSepaPayment, "SepaPayment.java was created by feature-sepa"},
	{"adjacent", "recette-fix-invoice-currency", "feature-invoice-footer", pathInvoiceFormatter,
		"changes `sb.append(totalLine(invoice));`, right above the footer's two lines"},
	{"file", "recette-fix-legacy-rates", "feature-drop-legacy-rates", pathLegacyRates,
		"re-creates the file PAY-102 deleted"},
	{"revert", "revert-exchange-cache", "feature-exchange-cache", pathConverter, "This reverts commit"},
	{"line", "revert-exchange-cache", "feature-exchange-cache", pathConverter, "removes the cache lines"},
	{"revert", "fixup-card-expiry", "recette-fix-card-expiry", pathCardValidator, "fixup! PAY-119"},
	{"line", "fixup-card-expiry", "recette-fix-card-expiry", pathCardValidator, "edits the comment PAY-119 wrote"},
	{"rename", "recette-fix-booking-page", "rename-views", pathBookingView, "booking.jsp moved under WEB-INF/views"},
	{"rename", "feature-loyalty-ui", "rename-views", pathBookingView, "booking.jsp moved under WEB-INF/views"},
	{"line", "prod-fix-no-double-charge", "hotfix-gateway-retry", pathGateway,
		"changes `if (response.isTimeout()) {`, merged in from hotfix/PAY-111"},
	{"line", "feature-booking-email-fr", "feature-booking-email", pathMessagesFR, "translates mail.confirmation.subject"},
	{"file", "feature-booking-cancel", "feature-booking-email", pathBookingMailer, "BookingMailer.java was created by PAY-101"},
	{"line", "feature-export-columns", "feature-export-csv", pathBookingExporter, "changes the CSV header"},
	{"file", "feature-card-form-labels", "feature-card-form", pathCardFormView, "card-form.jsp was created by PAY-120"},
	{"symbol", "feature-loyalty-wiring", "feature-loyalty-backend", pathBookingService, "LoyaltyService"},
}

// writeStoryExtras writes the config and the Jira export beside the
// repository and hides them from git status.
func writeStoryExtras(dir string) error {
	files := map[string]string{".triage.yaml": StoryConfig, "tickets.csv": StoryTicketsCSV()}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("story: write %s: %w", name, err)
		}
	}
	info := filepath.Join(dir, ".git", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		return fmt.Errorf("story: %w", err)
	}
	exclude := "# files of the triage story, not part of the project\n.triage.yaml\ntickets.csv\n"
	if err := os.WriteFile(filepath.Join(info, "exclude"), []byte(exclude), 0o644); err != nil {
		return fmt.Errorf("story: write .git/info/exclude: %w", err)
	}
	return nil
}
