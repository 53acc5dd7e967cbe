package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/triage-dev/triage/internal/gate"
)

// GateFormats are the formats only `triage gate` has, rendered through Document.Extra.
var GateFormats = []string{"text", "github", "gitlab", "junit"}

// GateMeta says what was checked, for the report's header.
type GateMeta struct {
	Range      string // as typed or defaulted, e.g. "v1.4.0..release/1.5"
	Base, Head string // full SHAs of the release range
	Source     string // the source branch as resolved, e.g. "origin/recette"; "" without a source rule
	SourceHead string // its SHA
	// ConfigPath locates violations that have no file of their own (the
	// branch as a whole), repository-relative; "" means .triage.yaml.
	ConfigPath string
}

func (m GateMeta) configPath() string {
	if m.ConfigPath == "" {
		return ".triage.yaml"
	}
	return m.ConfigPath
}

// GateJSON is the documented json schema of `triage gate`.
type GateJSON struct {
	Range         string              `json:"range"`
	Base          string              `json:"base"`
	Head          string              `json:"head"`
	Source        *GateSourceJSON     `json:"source"`
	Policy        GatePolicyJSON      `json:"policy"`
	Passed        bool                `json:"passed"`
	Summary       GateSummaryJSON     `json:"summary"`
	Commits       []GateCommitJSON    `json:"commits"`
	Violations    []GateViolationJSON `json:"violations"`
	BranchRisk    *GateBranchRiskJSON `json:"branch_risk"`
	UnusedWaivers []GateUnusedJSON    `json:"unused_waivers"`
}

// GateBranchRiskJSON is the risk of the branch as a whole; null when not assessed.
type GateBranchRiskJSON struct {
	Level   string   `json:"level"`
	Reasons []string `json:"reasons"`
}

// GateSourceJSON is the branch the commits must come from.
type GateSourceJSON struct {
	Name string `json:"name"`
	Head string `json:"head"`
}

// GatePolicyJSON is the policy as checked.
type GatePolicyJSON struct {
	Rules          []string         `json:"rules"`
	RequireTicket  bool             `json:"require_ticket"`
	Allow          []string         `json:"allow"`
	AllowRequired  bool             `json:"allow_required"`
	Source         string           `json:"source"`
	DependencySafe bool             `json:"dependency_safe"`
	MaxRisk        string           `json:"max_risk"`
	Waivers        []GateWaiverJSON `json:"waivers"`
}

// GateWaiverJSON is one accepted exception.
type GateWaiverJSON struct {
	Commit string `json:"commit,omitempty"`
	Ticket string `json:"ticket,omitempty"`
	Reason string `json:"reason"`
}

// GateSummaryJSON counts what was found.
type GateSummaryJSON struct {
	Commits  int `json:"commits"`
	Failed   int `json:"failed"` // commits with an error left unwaived
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Waived   int `json:"waived"`
}

// GateCommitJSON is one commit of the branch and its verdict.
type GateCommitJSON struct {
	SHA       string          `json:"sha"`
	Short     string          `json:"short"`
	SvnRev    *int            `json:"svn_rev"`
	Subject   string          `json:"subject"`
	Merge     bool            `json:"merge"`
	Tickets   []string        `json:"tickets"`
	Class     string          `json:"class"`
	Inherited string          `json:"inherited,omitempty"`
	Origin    *GateOriginJSON `json:"origin"`
	Risk      *GateRiskJSON   `json:"risk"`
	Status    string          `json:"status"` // pass | warn | waived | fail
	Notes     []string        `json:"notes"`
}

// GateOriginJSON is where a branch commit came from in the source.
type GateOriginJSON struct {
	SHA string `json:"sha"`
	Via string `json:"via"`
}

// GateRiskJSON is a commit's risk.
type GateRiskJSON struct {
	Level string `json:"level"`
	Score int    `json:"score"`
}

// GateViolationJSON is one violation; commit is null for the branch as a whole.
type GateViolationJSON struct {
	Commit    *string         `json:"commit"`
	Short     string          `json:"short"`
	Rule      string          `json:"rule"`
	Severity  string          `json:"severity"`
	Message   string          `json:"message"`
	Evidence  []string        `json:"evidence"`
	Fix       string          `json:"fix"`
	Path      string          `json:"path,omitempty"`
	Line      int             `json:"line,omitempty"`
	DependsOn *string         `json:"depends_on"`
	Waived    *GateWaiverJSON `json:"waived"`
}

// GateUnusedJSON is a waiver that suppressed nothing.
type GateUnusedJSON struct {
	GateWaiverJSON
	Why string `json:"why"`
}

// Gate builds the document of `triage gate`: violations first (they are what
// a reviewer acts on), then every commit with its status.
func Gate(meta GateMeta, res *gate.Result) *Document {
	doc := &Document{Main: Table{Columns: []string{"Commit", "Rule", "Severity", "Message", "Fix"}}}
	for _, v := range res.Violations() {
		doc.Main.Append(v.Short, string(v.Rule), gateSeverityText(v), gateWithEvidence(v), v.Fix)
	}
	commits := Table{Columns: []string{"Status", "Commit", "Tickets", "Class", "From", "Subject"}}
	for _, c := range res.Commits {
		commits.Append(c.Status(), CommitLabel(c.Commit), strings.Join(c.Tickets, " "), c.Class, gateOriginText(c.Origin), c.Commit.Subject)
	}
	doc.Sections = append(doc.Sections, Section{Title: "Commits", Table: commits})
	if len(res.UnusedWaivers) > 0 {
		t := Table{Columns: []string{"Waiver", "Reason", "Why unused"}}
		for _, u := range res.UnusedWaivers {
			t.Append(u.Waiver.Subject(), u.Waiver.Reason, u.Why)
		}
		doc.Sections = append(doc.Sections, Section{Title: "Unused waivers", Table: t})
	}
	doc.Notes = append(doc.Notes, gateVerdict(meta, res))
	doc.JSON = gateJSON(meta, res)
	doc.Extra = map[string]func(io.Writer) error{
		"text":   func(w io.Writer) error { return writeGateText(w, meta, res) },
		"github": func(w io.Writer) error { return writeGateGitHub(w, meta, res) },
		"gitlab": func(w io.Writer) error { return writeGateGitLab(w, meta, res) },
		"junit":  func(w io.Writer) error { return writeGateJUnit(w, meta, res) },
	}
	return doc
}

// GateSummary writes the markdown summary of a gate run (a verdict heading,
// then the markdown report), e.g. for $GITHUB_STEP_SUMMARY.
func GateSummary(w io.Writer, meta GateMeta, res *gate.Result) error {
	mark := "passed"
	if !res.Passed() {
		mark = "failed"
	}
	if _, err := fmt.Fprintf(w, "## triage gate %s: %s\n\n", escapeMarkdown(meta.Range), mark); err != nil {
		return err
	}
	return markdownPrinter{}.Print(w, Gate(meta, res))
}

func gateSeverityText(v gate.Violation) string {
	if v.Waiver != nil {
		return fmt.Sprintf("%s (waived: %s)", v.Severity, v.Waiver.Reason)
	}
	return string(v.Severity)
}

func gateWithEvidence(v gate.Violation) string {
	if len(v.Evidence) == 0 {
		return v.Message
	}
	return v.Message + "\n- " + strings.Join(v.Evidence, "\n- ")
}

func gateOriginText(o *gate.Origin) string {
	if o == nil {
		return ""
	}
	if o.Via == gate.ViaSameCommit {
		return "same commit"
	}
	return fmt.Sprintf("%s (%s)", o.Source.String()[:7], o.Via)
}

// verdict is the last line of every human-readable format.
func gateVerdict(meta GateMeta, res *gate.Result) string {
	n := res.Counts()
	word := "PASSED"
	if !res.Passed() {
		word = "FAILED"
	}
	s := fmt.Sprintf("%s: %s, %s, %d waived, in %s of %s", word,
		gatePlural(n.Errors, "error"), gatePlural(n.Warnings, "warning"), n.Waived, gatePlural(len(res.Commits), "commit"), meta.Range)
	if meta.Source != "" {
		s += " (source " + meta.Source + ")"
	}
	return s
}

func gatePlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func gatePolicyText(p gate.Policy) string {
	var parts []string
	for _, r := range p.Enabled() {
		switch r {
		case gate.Allow:
			s := "allow " + strings.Join(p.Allow, ", ")
			if p.AllowRequired {
				s += " (and what they require)"
			}
			parts = append(parts, s)
		case gate.Source:
			parts = append(parts, "source "+p.Source)
		case gate.MaxRisk:
			parts = append(parts, "max_risk "+p.MaxRisk)
		default:
			parts = append(parts, string(r))
		}
	}
	return strings.Join(parts, "; ")
}

func gateJSON(meta GateMeta, res *gate.Result) GateJSON {
	n := res.Counts()
	out := GateJSON{
		Range: meta.Range, Base: meta.Base, Head: meta.Head, Passed: res.Passed(),
		Summary:    GateSummaryJSON{Commits: len(res.Commits), Errors: n.Errors, Warnings: n.Warnings, Waived: n.Waived},
		Commits:    []GateCommitJSON{},
		Violations: []GateViolationJSON{}, UnusedWaivers: []GateUnusedJSON{},
	}
	if meta.Source != "" {
		out.Source = &GateSourceJSON{Name: meta.Source, Head: meta.SourceHead}
	}
	p := res.Policy
	out.Policy = GatePolicyJSON{RequireTicket: p.RequireTicket, Allow: nonNil(p.Allow), AllowRequired: p.AllowRequired,
		Source: p.Source, DependencySafe: p.DependencySafe, MaxRisk: p.MaxRisk, Rules: []string{}, Waivers: []GateWaiverJSON{}}
	for _, r := range res.Rules {
		out.Policy.Rules = append(out.Policy.Rules, string(r))
	}
	for _, w := range p.Waivers {
		out.Policy.Waivers = append(out.Policy.Waivers, gateWaiverJSON(w))
	}
	for _, c := range res.Commits {
		jc := GateCommitJSON{SHA: c.Commit.Hash.String(), Short: c.Commit.Short(), SvnRev: svnRevPtr(c.Commit), Subject: c.Commit.Subject,
			Merge: c.Commit.Merge, Tickets: nonNil(c.Tickets), Class: c.Class, Inherited: c.Inherited, Status: c.Status(), Notes: nonNil(c.Notes)}
		if c.Origin != nil {
			jc.Origin = &GateOriginJSON{SHA: c.Origin.Source.String(), Via: c.Origin.Via}
		}
		if c.Risk != nil {
			jc.Risk = &GateRiskJSON{Level: c.Risk.Level, Score: c.Risk.Score}
		}
		if jc.Status == "fail" {
			out.Summary.Failed++
		}
		out.Commits = append(out.Commits, jc)
	}
	for _, v := range res.Violations() {
		jv := GateViolationJSON{Short: v.Short, Rule: string(v.Rule), Severity: string(v.Severity), Message: v.Message,
			Evidence: nonNil(v.Evidence), Fix: v.Fix, Path: v.Path, Line: v.Line}
		if !v.Commit.IsZero() {
			s := v.Commit.String()
			jv.Commit = &s
		}
		if !v.DependsOn.IsZero() {
			s := v.DependsOn.String()
			jv.DependsOn = &s
		}
		if v.Waiver != nil {
			w := gateWaiverJSON(*v.Waiver)
			jv.Waived = &w
		}
		out.Violations = append(out.Violations, jv)
	}
	if r := res.BranchRisk; r != nil {
		out.BranchRisk = &GateBranchRiskJSON{Level: r.Level, Reasons: nonNil(r.Reasons)}
	}
	for _, u := range res.UnusedWaivers {
		out.UnusedWaivers = append(out.UnusedWaivers, GateUnusedJSON{gateWaiverJSON(u.Waiver), u.Why})
	}
	return out
}

func gateWaiverJSON(w gate.Waiver) GateWaiverJSON {
	return GateWaiverJSON{Commit: w.Commit, Ticket: w.Ticket, Reason: w.Reason}
}
