package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/plan"
	"github.com/triage-dev/triage/internal/risk"
)

// PlanJSON is the documented json schema of `triage plan`.
type PlanJSON struct {
	Base     string        `json:"base"`
	Head     string        `json:"head"`
	Onto     string        `json:"onto"`
	Strategy string        `json:"strategy"`
	Commits  []PlanCommit  `json:"commits"`
	Picks    []string      `json:"picks"`
	Warnings []PlanWarning `json:"warnings"`
	Summary  PlanSummary   `json:"summary"`
	// Risk is the pruned branch's risk in brief (triage risk gives all of
	// it); null with --no-risk.
	Risk *PlanRiskBrief `json:"risk"`
}

// PlanRiskBrief is the pruned branch's overall risk level and its reasons.
type PlanRiskBrief struct {
	Level   string   `json:"level"`
	Reasons []string `json:"reasons"`
}

// PlanCommit is one commit of PlanJSON.
type PlanCommit struct {
	SHA        string   `json:"sha"`
	Short      string   `json:"short"`
	SvnRev     *int     `json:"svn_rev"`
	Subject    string   `json:"subject"`
	Class      string   `json:"class"`
	Tickets    []string `json:"tickets"`
	Decision   string   `json:"decision"`
	Reason     string   `json:"reason"`
	Requires   []string `json:"requires"`
	RequiredBy []string `json:"required_by"`
}

// PlanWarning is a dependency the plan leaves behind.
type PlanWarning struct {
	Kind      string `json:"kind"`
	Commit    string `json:"commit"`
	DependsOn string `json:"depends_on"`
	Evidence  string `json:"evidence"`
}

// PlanSummary counts the plan.
type PlanSummary struct {
	Total      int                       `json:"total"`
	Picks      int                       `json:"picks"`
	ByDecision map[string]int            `json:"by_decision"`
	ByClass    map[string]map[string]int `json:"by_class"`
	Tickets    PlanTickets               `json:"tickets"`
}

// PlanTickets sorts the tickets by what the plan does with their commits.
type PlanTickets struct {
	Kept       []string `json:"kept"`        // every commit picked or already there
	PartlyKept []string `json:"partly_kept"` // some in, some out
	Dropped    []string `json:"dropped"`     // none in
}

// PlanInput is what the plan document is built from.
type PlanInput struct {
	Plan *plan.Plan
	// OntoName names the target branch for people ("release/1.5", or the base's name).
	OntoName string
	Onto     plumbing.Hash
	// Risk, when measured, is summed up after the plan.
	Risk *risk.PlanRisk
}

// Plan builds the document of `triage plan`: every commit with its decision
// and reason, then the picks in order, the warnings, the tickets and the counts.
func Plan(in PlanInput) *Document {
	p := in.Plan
	short := map[plumbing.Hash]string{}
	for _, c := range p.Commits {
		short[c.Result.Commit.Hash] = CommitLabel(c.Result.Commit)
	}
	out := PlanJSON{Base: p.Base.String(), Head: p.Head.String(), Onto: in.Onto.String(), Strategy: string(p.Strategy),
		Commits: make([]PlanCommit, 0, len(p.Commits)), Picks: make([]string, 0, len(p.Picks)), Warnings: []PlanWarning{},
		Summary: PlanSummary{Total: p.Summary.Total, Picks: len(p.Picks), ByDecision: map[string]int{}, ByClass: map[string]map[string]int{},
			Tickets: PlanTickets{Kept: nonNil(p.Summary.TicketsKept), PartlyKept: nonNil(p.Summary.TicketsPartly), Dropped: nonNil(p.Summary.TicketsDropped)}}}
	doc := &Document{Main: Table{Columns: []string{"Commit", "Class", "Tickets", "Decision", "Subject", "Why"}}}
	csvT := &Table{Columns: []string{"sha", "short", "svn_rev", "subject", "class", "tickets", "decision", "reason", "requires", "required_by"}}
	for _, c := range p.Commits {
		r, cm := c.Result, c.Result.Commit
		out.Commits = append(out.Commits, PlanCommit{SHA: cm.Hash.String(), Short: cm.Short(), SvnRev: svnRevPtr(cm), Subject: cm.Subject,
			Class: r.Class, Tickets: nonNil(r.Tickets), Decision: string(c.Decision), Reason: c.Reason,
			Requires: hexes(c.Requires), RequiredBy: hexes(c.RequiredBy)})
		doc.Main.Append(CommitLabel(cm), r.Class, strings.Join(r.Tickets, " "), string(c.Decision), cm.Subject, c.Reason)
		csvT.Append(cm.Hash.String(), cm.Short(), svnRevText(cm), cm.Subject, r.Class, strings.Join(r.Tickets, " "), string(c.Decision),
			c.Reason, strings.Join(hexes(c.Requires), " "), strings.Join(hexes(c.RequiredBy), " "))
	}
	picks := Table{Columns: []string{"#", "Commit", "Decision", "Subject"}}
	decisionOf := map[plumbing.Hash]plan.Decision{}
	subjectOf := map[plumbing.Hash]string{}
	for _, c := range p.Commits {
		decisionOf[c.Result.Commit.Hash], subjectOf[c.Result.Commit.Hash] = c.Decision, c.Result.Commit.Subject
	}
	for i, h := range p.Picks {
		out.Picks = append(out.Picks, h.String())
		picks.Append(strconv.Itoa(i+1), short[h], string(decisionOf[h]), subjectOf[h])
	}
	onto := in.OntoName
	if onto == "" {
		onto = in.Onto.String()[:7]
	}
	doc.Sections = append(doc.Sections, Section{Title: fmt.Sprintf("Picks, in order, onto %s (merges are never picked: their changes come with the commits they merged)", onto), Table: picks})
	if len(p.Warnings) > 0 {
		warn := Table{Columns: []string{"Kind", "Commit", "Needs", "Evidence"}}
		for _, w := range p.Warnings {
			out.Warnings = append(out.Warnings, PlanWarning{Kind: w.Kind, Commit: w.Commit.String(), DependsOn: w.DependsOn.String(), Evidence: w.Evidence})
			warn.Append(w.Kind, short[w.Commit], short[w.DependsOn], w.Evidence)
		}
		doc.Sections = append(doc.Sections, Section{Title: "Warnings: dependencies the plan leaves behind", Table: warn})
	}
	if len(p.Tickets) > 0 {
		tickets := Table{Columns: []string{"Ticket", "Status", "In", "Out"}}
		for _, t := range p.Tickets {
			tickets.Append(t.ID, t.Status, labels(short, t.In), labels(short, t.Out))
		}
		doc.Sections = append(doc.Sections, Section{Title: "Tickets", Table: tickets})
	}
	decisions := Table{Columns: []string{"Decision", "Commits"}}
	for _, d := range plan.Decisions {
		n := p.Summary.ByDecision[d]
		out.Summary.ByDecision[string(d)] = n
		decisions.Append(string(d), strconv.Itoa(n))
	}
	decisions.Append("total", strconv.Itoa(p.Summary.Total))
	doc.Sections = append(doc.Sections, Section{Title: "Commits per decision", Table: decisions})
	classes := Table{Columns: []string{"Class", "keep", "pull", "present", "drop"}}
	var names []string
	for cl, m := range p.Summary.ByClass {
		names = append(names, cl)
		out.Summary.ByClass[cl] = map[string]int{}
		for d, n := range m {
			out.Summary.ByClass[cl][string(d)] = n
		}
	}
	sort.Strings(names)
	for _, cl := range names {
		m := p.Summary.ByClass[cl]
		classes.Append(cl, strconv.Itoa(m[plan.Keep]), strconv.Itoa(m[plan.Pull]), strconv.Itoa(m[plan.Present]), strconv.Itoa(m[plan.Drop]))
	}
	doc.Sections = append(doc.Sections, Section{Title: "Decisions per class", Table: classes})
	doc.Notes = append(doc.Notes, p.Notes...)
	doc.Notes = append(doc.Notes, fmt.Sprintf("Strategy %s, following %s edges. Tickets: %d fully kept, %d partly kept, %d dropped.",
		p.Strategy, kindsText(p), len(p.Summary.TicketsKept), len(p.Summary.TicketsPartly), len(p.Summary.TicketsDropped)))
	if n := len(p.Warnings); n > 0 {
		doc.Notes = append(doc.Notes, fmt.Sprintf("%d warning%s: read them before cherry-picking (triage explain COMMIT says more).", n, plural(n)))
	}
	if in.Risk != nil {
		brief := &PlanRiskBrief{Level: string(in.Risk.Level), Reasons: nonNil(in.Risk.Reasons)}
		out.Risk = brief
		t := Table{Columns: []string{"Level", "Reason"}}
		if len(brief.Reasons) == 0 {
			t.Append(strings.ToUpper(brief.Level), "no signal: every file ends in a state production or recette had, nothing kept and dropped interleaves")
		}
		for i, r := range brief.Reasons {
			level := ""
			if i == 0 {
				level = strings.ToUpper(brief.Level)
			}
			t.Append(level, r)
		}
		doc.Sections = append(doc.Sections, Section{Title: "Risk of the pruned branch (triage risk gives the files to retest)", Table: t})
	}
	doc.CSV, doc.JSON = csvT, out
	return doc
}

func kindsText(p *plan.Plan) string {
	names := make([]string, len(p.Follow))
	for i, k := range p.Follow {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

func hexes(hs []plumbing.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}

func labels(short map[plumbing.Hash]string, hs []plumbing.Hash) string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = short[h]
	}
	return strings.Join(out, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
