package gate

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// Commit is one classified commit, of the branch or of the source.
type Commit struct {
	Commit  *vcs.Commit
	Tickets []string
	Class   string
	// ClassWhy is the classification's evidence, in words (the rule and
	// the ticket fields that matched), shown when the class is not allowed.
	ClassWhy []string
}

// Origin says where in the source a branch commit came from.
type Origin struct {
	Source plumbing.Hash // the source commit
	// Via is how it was recognised: "same commit", "same patch-id",
	// "cherry picked from line", "svn merge record r24913"...
	Via string
}

// CommitRisk is a branch commit's risk, as package risk scores it.
type CommitRisk struct {
	Score int
	Level string   // low | medium | high
	Why   []string // the factors that drove the score, in words
}

// BranchRisk is the risk of the branch as a whole (the pruned branch
// compared with production and with the source that was tested).
type BranchRisk struct {
	Level   string
	Reasons []string
}

// Input is everything the gate looks at, as plain data: no repository access.
type Input struct {
	Policy Policy
	// DefaultClass is the class of a commit no rule matched; a branch commit
	// of that class takes the class of the source commit it came from.
	DefaultClass string
	// Branch is the release range, oldest first.
	Branch []Commit
	// SourceCommits is the source range (the release range's base to the
	// source's head), oldest first, classified: what dependencies point to.
	SourceCommits []Commit
	// Edges are the dependency edges within the source range (deps.Graph.Edges()).
	Edges []deps.Edge
	// Origins maps branch commits to the source commits they were taken
	// from. A branch commit that is itself in SourceCommits needs no entry.
	Origins map[plumbing.Hash]Origin
	// Carried maps every source commit the branch already has to the branch
	// commit that carries it, when one branch commit carries several (a
	// squash); nil means what Origins says.
	Carried map[plumbing.Hash]plumbing.Hash
	// Risk holds the branch commits' risks, by branch commit; needed when
	// the policy has max_risk (a commit without an entry is not checked).
	Risk map[plumbing.Hash]CommitRisk
	// BranchRisk is the branch's risk as a whole; nil when not assessed.
	BranchRisk *BranchRisk
}

// Violation is one failed rule, with everything a reviewer needs to act.
type Violation struct {
	Commit   plumbing.Hash // the branch commit; zero for the branch as a whole
	Short    string        // its label: short SHA, and rNNN when known
	Rule     Rule
	Severity Severity
	// Message says what is wrong in one line, naming the commits involved.
	Message string
	// Evidence lists the facts behind it (paths and lines, factors...).
	Evidence []string
	// Fix says how to resolve it.
	Fix string
	// Path and Line locate the evidence in the repository, for CI
	// annotations; Path is "" when there is no sensible file.
	Path string
	Line int
	// DependsOn is the missing source commit of a dependency_safe
	// violation: a dependency, or a later fixup or revert of the commit.
	DependsOn plumbing.Hash
	// Waiver is set when an accepted exception covers the violation: it is
	// reported, but does not fail the gate.
	Waiver *Waiver
}

// Fails tells whether the violation fails the gate.
func (v *Violation) Fails() bool { return v.Severity == Error && v.Waiver == nil }

// CommitReport is one branch commit and what the gate found about it.
type CommitReport struct {
	Commit  *vcs.Commit
	Tickets []string
	Class   string
	// Inherited says the class or the tickets were taken from the source
	// commit, because the branch commit's own message gave none.
	Inherited string
	Origin    *Origin
	Risk      *CommitRisk
	// Notes say why a rule passed when that is not obvious (a class allowed
	// because an allowed commit requires it, a merge commit).
	Notes      []string
	Violations []Violation
}

// Status is "fail", "warn", "waived" or "pass".
func (c *CommitReport) Status() string {
	return status(c.Violations)
}

func status(vs []Violation) string {
	st := "pass"
	for i := range vs {
		switch {
		case vs[i].Fails():
			return "fail"
		case vs[i].Waiver == nil:
			st = "warn"
		case st == "pass":
			st = "waived"
		}
	}
	return st
}

// Result is the gate's verdict over a branch.
type Result struct {
	Policy  Policy
	Rules   []Rule // the rules checked
	Commits []CommitReport
	// Branch holds the violations of the branch as a whole (max_risk).
	Branch []Violation
	// BranchRisk is the branch's risk as assessed; nil when it was not.
	BranchRisk *BranchRisk
	// UnusedWaivers suppressed nothing: stale, mistyped, or no longer needed.
	UnusedWaivers []UnusedWaiver
}

// UnusedWaiver is a waiver that suppressed no violation, and why.
type UnusedWaiver struct {
	Waiver Waiver
	Why    string
}

// Violations returns every violation, waived ones included: the commits'
// in branch order, then the branch's.
func (r *Result) Violations() []Violation {
	var out []Violation
	for _, c := range r.Commits {
		out = append(out, c.Violations...)
	}
	return append(out, r.Branch...)
}

// Counts tallies the violations.
type Counts struct {
	Errors   int // not waived
	Warnings int // not waived
	Waived   int
}

// Counts tallies the violations of the result.
func (r *Result) Counts() Counts {
	var n Counts
	for _, v := range r.Violations() {
		switch {
		case v.Waiver != nil:
			n.Waived++
		case v.Severity == Error:
			n.Errors++
		default:
			n.Warnings++
		}
	}
	return n
}

// Passed tells whether the branch passes the gate: no error left unwaived.
func (r *Result) Passed() bool { return r.Counts().Errors == 0 }

// ViaSameCommit is the Origin.Via of a branch commit that is itself a commit
// of the source (a hotfix branch merged into both, say).
const ViaSameCommit = "same commit"
