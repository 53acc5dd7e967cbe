package repos

import "strings"

// StoryConfig is the .triage.yaml written beside the story repository, in the
// schema of the foundation issue.
const StoryConfig = `# triage configuration of the PAY story (see testdata/repos/story.go)
range: v1.4.0..recette
tickets:
  exports:
    - path: tickets.csv
      format: jira-csv
classes:
  - name: prod-fix
    ticket: {type: Bug, Environment: Production}
  - name: recette-fix
    ticket: {type: Bug}
  - name: feature
    ticket: {type: [Story, Improvement, New Feature]}
  - name: chore
    paths: ['docs/**']
  - name: prod-fix
    message: '(?i)^hotfix'
default: unclassified
plan:                              # what management asked for: the fixes, nothing else
  keep: ['class:prod-fix', 'class:recette-fix']
  strategy: pull
gate:                              # the policy of release/1.5 after the freeze
  require_ticket: true
  allow: [prod-fix, recette-fix]
  allow_required: true
  source: recette
  dependency_safe: true
  max_risk: high
`

// jiraTicket is one row of the story's Jira export.
type jiraTicket struct {
	Summary, Key, Type, Status, Priority, Resolution, Assignee, Reporter, Created, Updated string
	Labels                                                                                 []string // up to 3
	FixVersions                                                                            []string // up to 2
	Component, Description, Environment, StoryPoints, Sprint                               string
}

// storyTickets are the PAY tickets as Jira knows them. PAY-121 is missing on
// purpose (a commit names it); PAY-100 and PAY-127 are named by no commit.
var storyTickets = []jiraTicket{
	{Summary: "Won't fix: pay with cheques", Key: "PAY-127", Type: "New Feature", Status: "Closed", Priority: "Minor",
		Resolution: "Won't Do", Reporter: "po", Created: "21/Feb/11 2:00 PM", Updated: "22/Feb/11 9:00 AM",
		Component: "payment", Description: "Cheques are no longer accepted by the bank."},
	{Summary: "Booking page shows the price without VAT", Key: "PAY-126", Type: "Bug", Status: "Done", Priority: "Major",
		Resolution: "Fixed", Assignee: "efournier", Reporter: "qa-team", Created: "15/Feb/11 10:12 AM", Updated: "15/Feb/11 2:30 PM",
		Labels: []string{"recette"}, FixVersions: []string{"1.5.0"}, Component: "booking",
		Description: "Le prix affiché est hors taxes, la facture est TTC.", Environment: "Recette", Sprint: "Sprint 16"},
	{Summary: "New logo", Key: "PAY-125", Type: "Improvement", Status: "Done", Priority: "Trivial", Resolution: "Done",
		Assignee: "mevans", Reporter: "marketing", Created: "07/Feb/11 9:00 AM", Updated: "10/Feb/11 10:30 AM",
		Labels: []string{"ui", "branding"}, FixVersions: []string{"1.5.0"}, Component: "ui", StoryPoints: "1", Sprint: "Sprint 15"},
	{Summary: "Charges retried after the bank accepted them", Key: "PAY-124", Type: "Bug", Status: "Done", Priority: "Blocker",
		Resolution: "Fixed", Assignee: "nmoreau", Reporter: "ops", Created: "19/Feb/11 8:03 PM", Updated: "22/Feb/11 4:10 PM",
		Labels: []string{"prod", "payment", "money"}, FixVersions: []string{"1.5.0", "1.4.1"}, Component: "payment",
		Description: "Two customers were charged twice on 19/02.\nThe retry added by PAY-111 does not check whether the first\nattempt was accepted (\"charged\") before the timeout.",
		Environment: "Production", Sprint: "Sprint 16"},
	{Summary: "Move JSP views under WEB-INF", Key: "PAY-123", Type: "Task", Status: "Done", Priority: "Minor", Resolution: "Done",
		Assignee: "tgirard", Reporter: "tgirard", Created: "09/Feb/11 5:00 PM", Updated: "10/Feb/11 12:00 PM",
		Labels: []string{"tech"}, FixVersions: []string{"1.5.0"}, Component: "ui", Sprint: "Sprint 15"},
	{Summary: "Card numbers typed with spaces are rejected", Key: "PAY-122", Type: "Bug", Status: "Done", Priority: "Major",
		Resolution: "Fixed", Assignee: "efournier", Reporter: "qa-team", Created: "16/Feb/11 3:45 PM", Updated: "17/Feb/11 11:00 AM",
		Labels: []string{"recette", "payment"}, FixVersions: []string{"1.5.0"}, Component: "payment",
		Description: "4970 1012 3456 7899 is refused, 4970101234567899 is accepted.", Environment: "Recette", Sprint: "Sprint 16"},
	{Summary: "Card payment form redesign", Key: "PAY-120", Type: "Story", Status: "In Progress", Priority: "Major",
		Assignee: "mevans", Reporter: "po", Created: "14/Feb/11 9:00 AM", Updated: "22/Feb/11 11:00 AM",
		Labels: []string{"ui", "payment"}, FixVersions: []string{"1.6.0"}, Component: "ui",
		Description: "As a customer I want a clear card form, with the card holder, so that I make fewer typing errors.",
		StoryPoints: "5", Sprint: "Sprint 16"},
	{Summary: "Cards expiring this month are accepted", Key: "PAY-119", Type: "Bug", Status: "Done", Priority: "Major",
		Resolution: "Fixed", Assignee: "efournier", Reporter: "qa-team", Created: "07/Feb/11 4:30 PM", Updated: "09/Feb/11 9:10 AM",
		Labels: []string{"recette"}, FixVersions: []string{"1.5.0"}, Component: "payment",
		Description: "The stay is paid at check-out: a card expiring this month may have lapsed by then.",
		Environment: "Recette", Sprint: "Sprint 15"},
	{Summary: "Export bookings as CSV", Key: "PAY-118", Type: "New Feature", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "praman", Reporter: "accounting", Created: "08/Feb/11 11:00 AM", Updated: "15/Feb/11 9:30 AM",
		Labels: []string{"export"}, FixVersions: []string{"1.6.0"}, Component: "booking",
		Description: "As an accountant I want the bookings of a day as CSV, with \"customer\" and \"price\" columns, separated by ;",
		StoryPoints: "3", Sprint: "Sprint 16"},
	{Summary: "Wrong VAT for the overseas departments", Key: "PAY-117", Type: "Bug", Status: "Done", Priority: "Critical",
		Resolution: "Fixed", Assignee: "jdupont", Reporter: "accounting", Created: "31/Jan/11 4:40 PM", Updated: "01/Feb/11 5:50 PM",
		Labels: []string{"prod", "billing"}, FixVersions: []string{"1.5.0", "1.4.1"}, Component: "billing",
		Description: "Invoices to Guadeloupe, Martinique and Réunion show 19.6% VAT.\nThe rate there is 8.5%.",
		Environment: "Production", Sprint: "Sprint 15"},
	{Summary: "Cache exchange rates", Key: "PAY-116", Type: "Improvement", Status: "Reopened", Priority: "Minor",
		Assignee: "nmoreau", Reporter: "nmoreau", Created: "03/Feb/11 10:00 AM", Updated: "08/Feb/11 4:20 PM",
		Labels: []string{"perf"}, FixVersions: []string{"1.6.0"}, Component: "currency",
		Description: "Reverted: stale rates in recette. Needs an expiry tied to the bank's publication time.",
		StoryPoints: "2", Sprint: "Sprint 15"},
	{Summary: "Loyalty points: booking page", Key: "PAY-115", Type: "Story", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "clefevre", Reporter: "po", Created: "01/Feb/11 9:00 AM", Updated: "14/Feb/11 10:00 AM",
		Labels: []string{"loyalty", "ui"}, FixVersions: []string{"1.6.0"}, Component: "loyalty", StoryPoints: "3", Sprint: "Sprint 15"},
	{Summary: "Loyalty points: backend", Key: "PAY-114", Type: "Story", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "mevans", Reporter: "po", Created: "01/Feb/11 9:00 AM", Updated: "07/Feb/11 2:30 PM",
		Labels: []string{"loyalty"}, FixVersions: []string{"1.6.0"}, Component: "loyalty",
		Description: "One point per euro spent, taxes excluded.", StoryPoints: "5", Sprint: "Sprint 15"},
	{Summary: "Night batch fails: legacy rate table missing", Key: "PAY-113", Type: "Bug", Status: "Done", Priority: "Critical",
		Resolution: "Fixed", Assignee: "praman", Reporter: "ops", Created: "14/Feb/11 8:00 AM", Updated: "14/Feb/11 3:45 PM",
		Labels: []string{"recette", "batch"}, FixVersions: []string{"1.5.0"}, Component: "batch",
		Description: "NightlyInvoices: FileNotFoundException config/legacy-rates.properties", Environment: "Recette", Sprint: "Sprint 16"},
	{Summary: "French translations of the payment errors", Key: "PAY-112", Type: "Improvement", Status: "Done", Priority: "Minor",
		Resolution: "Done", Assignee: "clefevre", Reporter: "po", Created: "02/Feb/11 11:00 AM", Updated: "09/Feb/11 3:00 PM",
		Labels: []string{"i18n"}, FixVersions: []string{"1.5.0"}, Component: "ui", StoryPoints: "1", Sprint: "Sprint 15"},
	{Summary: "Card payments time out at the bank", Key: "PAY-111", Type: "Bug", Status: "Done", Priority: "Blocker",
		Resolution: "Fixed", Assignee: "nmoreau", Reporter: "ops", Created: "03/Feb/11 8:15 AM", Updated: "04/Feb/11 9:45 AM",
		Labels: []string{"prod", "payment", "hotfix"}, FixVersions: []string{"1.4.1", "1.5.0"}, Component: "payment",
		Description: "Since the bank's migration on 02/02, answers take 12 to 20 s.\nOur timeout is 10 s: \"PaymentTimeoutException\" in the logs, bookings unpaid.",
		Environment: "Production", Sprint: "Sprint 15"},
	{Summary: "Student rate applied to group bookings", Key: "PAY-110", Type: "Bug", Status: "Done", Priority: "Critical",
		Resolution: "Fixed", Assignee: "jdupont", Reporter: "qa-team", Created: "04/Feb/11 5:20 PM", Updated: "07/Feb/11 11:00 AM",
		Labels: []string{"recette", "pricing"}, FixVersions: []string{"1.5.0"}, Component: "pricing",
		Description: "School trip of 30 students: 72% off instead of 10%.\nThe invoice says \"Discount\" instead of the rate's name.",
		Environment: "Recette", Sprint: "Sprint 15"},
	{Summary: "Reduced booking rate for students", Key: "PAY-109", Type: "Story", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "sbernard", Reporter: "po", Created: "25/Jan/11 10:00 AM", Updated: "02/Feb/11 3:30 PM",
		Labels: []string{"pricing"}, FixVersions: []string{"1.6.0"}, Component: "pricing",
		Description: "As a student I get 20% off, on presentation of my card at check-in.", StoryPoints: "3", Sprint: "Sprint 15"},
	{Summary: "Invoice total line without currency", Key: "PAY-108", Type: "Bug", Status: "Done", Priority: "Minor",
		Resolution: "Fixed", Assignee: "praman", Reporter: "qa-team", Created: "03/Feb/11 2:00 PM", Updated: "04/Feb/11 11:45 AM",
		Labels: []string{"recette", "billing"}, FixVersions: []string{"1.5.0"}, Component: "billing", Environment: "Recette", Sprint: "Sprint 15"},
	{Summary: "Invoice totals rounded half-even", Key: "PAY-107", Type: "Bug", Status: "Done", Priority: "Major",
		Resolution: "Fixed", Assignee: "jdupont", Reporter: "support", Created: "01/Feb/11 4:00 PM", Updated: "02/Feb/11 9:30 AM",
		Labels: []string{"prod", "billing"}, FixVersions: []string{"1.5.0", "1.4.1"}, Component: "billing",
		Description: "0.125 is rounded to 0.12; the tax office rounds half-up.", Environment: "Production", Sprint: "Sprint 15"},
	{Summary: "Legal footer on invoices", Key: "PAY-106", Type: "Story", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "tgirard", Reporter: "legal", Created: "20/Jan/11 9:00 AM", Updated: "03/Feb/11 11:30 AM",
		Labels: []string{"billing", "legal"}, FixVersions: []string{"1.6.0"}, Component: "billing",
		Description: "Mentions légales: RCS, numéro de TVA intracommunautaire.", StoryPoints: "2", Sprint: "Sprint 15"},
	{Summary: "Upgrade build dependencies", Key: "PAY-105", Type: "Task", Status: "Done", Priority: "Minor", Resolution: "Done",
		Assignee: "lpetit", Reporter: "lpetit", Created: "01/Feb/11 9:30 AM", Updated: "24/Feb/11 2:30 PM",
		Labels: []string{"tech"}, FixVersions: []string{"1.6.0"}, Component: "build", Sprint: "Sprint 16"},
	{Summary: "SEPA mandate reference longer than 35 characters accepted", Key: "PAY-104", Type: "Bug", Status: "Done",
		Priority: "Major", Resolution: "Fixed", Assignee: "efournier", Reporter: "qa-team", Created: "02/Feb/11 5:00 PM",
		Updated: "03/Feb/11 9:45 AM", Labels: []string{"recette", "sepa"}, FixVersions: []string{"1.6.0"}, Component: "payment",
		Environment: "Recette", Sprint: "Sprint 15"},
	{Summary: "Pay by SEPA direct debit", Key: "PAY-103", Type: "New Feature", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "clefevre", Reporter: "po", Created: "10/Jan/11 9:00 AM", Updated: "02/Feb/11 11:15 AM",
		Labels: []string{"sepa", "payment"}, FixVersions: []string{"1.6.0"}, Component: "payment",
		Description: "Customers of the corporate offer pay by direct debit.\nMandates are signed on paper, references typed in.",
		StoryPoints: "8", Sprint: "Sprint 15"},
	{Summary: "Faster price lookup", Key: "PAY-102", Type: "Improvement", Status: "Done", Priority: "Major", Resolution: "Done",
		Assignee: "nmoreau", Reporter: "ops", Created: "12/Jan/11 9:00 AM", Updated: "09/Feb/11 11:30 AM",
		Labels: []string{"perf", "pricing"}, FixVersions: []string{"1.6.0"}, Component: "pricing", StoryPoints: "5", Sprint: "Sprint 15"},
	{Summary: "Confirmation e-mail for paid bookings", Key: "PAY-101", Type: "Story", Status: "Done", Priority: "Major",
		Resolution: "Done", Assignee: "sbernard", Reporter: "po", Created: "10/Jan/11 9:00 AM", Updated: "11/Feb/11 11:45 AM",
		Labels: []string{"mail"}, FixVersions: []string{"1.6.0"}, Component: "booking",
		Description: "As a customer I receive an e-mail when my booking is paid, and when it is cancelled.",
		StoryPoints: "5", Sprint: "Sprint 15"},
	{Summary: "Release 1.5", Key: "PAY-100", Type: "Epic", Status: "In Progress", Priority: "Major",
		Assignee: "sbernard", Reporter: "sbernard", Created: "03/Jan/11 9:00 AM", Updated: "28/Feb/11 6:00 PM",
		FixVersions: []string{"1.5.0"}},
}

var jiraHeader = []string{"Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Priority", "Resolution",
	"Assignee", "Reporter", "Created", "Updated", "Labels", "Labels", "Labels", "Fix Version/s", "Fix Version/s",
	"Component/s", "Description", "Custom field (Environment)", "Custom field (Story Points)", "Sprint"}

// StoryTicketsCSV is the story's tickets.csv as Jira's "Export CSV (all
// fields)" writes it: repeated headers for multi-valued fields, custom fields
// headed "Custom field (NAME)", CRLF between records, LF inside quoted
// multi-line descriptions.
func StoryTicketsCSV() string {
	var sb strings.Builder
	writeCSVRecord(&sb, jiraHeader)
	for _, t := range storyTickets {
		id := "10" + strings.TrimPrefix(t.Key, "PAY-") // Jira's numeric id, e.g. 10117
		rec := []string{t.Summary, t.Key, id, t.Type, t.Status, "PAY", t.Priority, t.Resolution, t.Assignee, t.Reporter,
			t.Created, t.Updated}
		rec = append(rec, padded(t.Labels, 3)...)
		rec = append(rec, padded(t.FixVersions, 2)...)
		rec = append(rec, t.Component, t.Description, t.Environment, t.StoryPoints, t.Sprint)
		writeCSVRecord(&sb, rec)
	}
	return sb.String()
}

func padded(values []string, n int) []string {
	out := make([]string, n)
	copy(out, values)
	return out
}

// writeCSVRecord writes one record the way Jira does: fields quoted only when
// they hold a comma, a quote or a line break, quotes doubled.
func writeCSVRecord(sb *strings.Builder, fields []string) {
	for i, f := range fields {
		if i > 0 {
			sb.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\r\n") {
			sb.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		} else {
			sb.WriteString(f)
		}
	}
	sb.WriteString("\r\n")
}
