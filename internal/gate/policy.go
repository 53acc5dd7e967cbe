package gate

import (
	"fmt"
	"strings"

	"github.com/triage-dev/triage/internal/config"
)

// Rule names one check of the policy, as the config spells its key.
type Rule string

// The rules, in the order every commit is checked against them.
const (
	RequireTicket  Rule = "require_ticket"
	Allow          Rule = "allow"
	Source         Rule = "source"
	DependencySafe Rule = "dependency_safe"
	MaxRisk        Rule = "max_risk"
)

// Rules lists every rule in checking order.
var Rules = []Rule{RequireTicket, Allow, Source, DependencySafe, MaxRisk}

// Severity says whether a violation fails the gate.
type Severity string

const (
	Error   Severity = "error"   // fails the gate
	Warning Severity = "warning" // reported, does not fail the gate
)

// Policy is the gate section of the config as plain values.
type Policy struct {
	RequireTicket  bool
	Allow          []string // classes allowed on the branch; empty: any class
	AllowRequired  bool     // a class not allowed passes when an allowed commit on the branch depends on it
	Source         string   // the branch commits must come from; "" for no source rule
	DependencySafe bool     // hard dependencies in the source of every commit taken from it are on the branch
	// SoftAsErrors reports missing soft dependencies (rename, symbol) as
	// errors instead of warnings. The config has no key for it yet.
	SoftAsErrors bool
	MaxRisk      string // low | medium | high; "" for no risk rule
	Waivers      []Waiver
	ConfigPath   string // where the policy was written, for locations; "" when unknown
	Line         int    // line of the gate section in ConfigPath
}

// Waiver is an accepted exception: every violation of the commits it names
// (by SHA prefix, of the branch commit or of the source commit it was taken
// from) or of the commits naming its ticket is reported as waived, with the reason.
type Waiver struct {
	Commit string
	Ticket string
	Reason string
	Line   int // in the config; 0 when unknown
}

// Subject is what the waiver names, for reports: "commit 3f2a9c1" or "ticket PAY-120".
func (w Waiver) Subject() string {
	if w.Commit != "" {
		return "commit " + w.Commit
	}
	return "ticket " + w.Ticket
}

// PolicyFrom converts the config's gate section; g may be nil (no policy).
func PolicyFrom(cfg *config.Config) Policy {
	if cfg == nil || cfg.Gate == nil {
		return Policy{}
	}
	g := cfg.Gate
	p := Policy{
		RequireTicket: g.RequireTicket, Allow: g.Allow, AllowRequired: g.AllowRequired, Source: g.Source,
		DependencySafe: g.DependencySafe, MaxRisk: g.MaxRisk, ConfigPath: cfg.Path, Line: g.Line,
	}
	for _, w := range g.Waivers {
		p.Waivers = append(p.Waivers, Waiver{Commit: strings.ToLower(w.Commit), Ticket: w.Ticket, Reason: w.Reason, Line: w.Line})
	}
	return p
}

// Enabled lists the rules the policy turns on, in checking order.
func (p Policy) Enabled() []Rule {
	var out []Rule
	if p.RequireTicket {
		out = append(out, RequireTicket)
	}
	if len(p.Allow) > 0 {
		out = append(out, Allow)
	}
	if p.Source != "" {
		out = append(out, Source)
	}
	if p.DependencySafe {
		out = append(out, DependencySafe)
	}
	if p.MaxRisk != "" {
		out = append(out, MaxRisk)
	}
	return out
}

// Validate fails on a policy that cannot be checked, saying how to fix it.
func (p Policy) Validate() error {
	where := "the gate section"
	if p.ConfigPath != "" {
		where = fmt.Sprintf("config %s line %d: the gate section", p.ConfigPath, p.Line)
	}
	if len(p.Enabled()) == 0 {
		return fmt.Errorf("%s turns no rule on: add e.g. require_ticket: true, allow: [prod-fix, recette-fix], source: recette", where)
	}
	if p.DependencySafe && p.Source == "" {
		return fmt.Errorf("%s sets dependency_safe but no source: dependencies are computed on the source branch, so add e.g. source: recette", where)
	}
	if p.AllowRequired && len(p.Allow) == 0 {
		return fmt.Errorf("%s sets allow_required but no allow list: add e.g. allow: [prod-fix, recette-fix]", where)
	}
	if p.MaxRisk != "" && levelRank(p.MaxRisk) < 0 {
		return fmt.Errorf("%s: max_risk %q is not a level: use low, medium or high", where, p.MaxRisk)
	}
	return nil
}

// levelRank orders risk levels; -1 for an unknown one.
func levelRank(level string) int {
	switch strings.ToLower(level) {
	case "low":
		return 0
	case "medium":
		return 1
	case "high":
		return 2
	}
	return -1
}
