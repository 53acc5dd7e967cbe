package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/risk"
)

// RiskJSON is the documented json schema of `triage risk`.
type RiskJSON struct {
	Base       string           `json:"base"`
	Head       string           `json:"head"`
	History    risk.HistoryInfo `json:"history"`
	Thresholds risk.Thresholds  `json:"thresholds"`
	Commits    []RiskCommit     `json:"commits"`
	Plan       *risk.PlanRisk   `json:"plan"` // null without a selection
}

// RiskCommit is one commit of RiskJSON: its score is the sum of the factors'
// points, rounded half up, capped at 100.
type RiskCommit struct {
	SHA     string        `json:"sha"`
	Score   int           `json:"score"`
	Level   risk.Level    `json:"level"`
	Factors []risk.Factor `json:"factors"`
}

// RiskInput is what the risk document is built from.
type RiskInput struct {
	Base, Head string
	History    risk.HistoryInfo
	Scores     *risk.Scores
	Classes    []classify.Result // optional: class and tickets per commit
	Plan       *risk.PlanRisk    // nil when no selection was given
}

// factorOrder is the csv's column order; factorWords name factors in the table.
var factorOrder = []string{risk.FactorSize, risk.FactorFiles, risk.FactorDirectories, risk.FactorEntropy,
	risk.FactorPriorChanges, risk.FactorPriorFixes, risk.FactorPriorAuthors, risk.FactorAuthorFiles, risk.FactorAuthorDirs,
	risk.FactorUntestedChange, risk.FactorRevertedLater, risk.FactorFixedLater, risk.FactorMerge}

var factorWords = map[string]string{
	risk.FactorSize: "size", risk.FactorFiles: "files", risk.FactorDirectories: "directories", risk.FactorEntropy: "spread",
	risk.FactorPriorChanges: "churned files", risk.FactorPriorFixes: "fix-prone files", risk.FactorPriorAuthors: "many authors",
	risk.FactorAuthorFiles: "author new to the files", risk.FactorAuthorDirs: "author new to the directories",
	risk.FactorUntestedChange: "no test changed", risk.FactorRevertedLater: "reverted later", risk.FactorFixedLater: "fixed later",
	risk.FactorMerge: "merge",
}

// Risk builds the document of `triage risk`: the commits by score, then the
// plan's risk when there is one.
func Risk(in RiskInput) *Document {
	classOf := map[plumbing.Hash]classify.Result{}
	for _, r := range in.Classes {
		classOf[r.Commit.Hash] = r
	}
	out := RiskJSON{Base: in.Base, Head: in.Head, History: in.History, Thresholds: in.Scores.Thresholds,
		Commits: make([]RiskCommit, 0, len(in.Scores.Commits)), Plan: in.Plan}
	csvCols := []string{"sha", "short", "svn_rev", "date", "author", "class", "tickets", "score", "level", "subject"}
	for _, f := range factorOrder {
		csvCols = append(csvCols, f, f+"_points")
	}
	csvT := &Table{Columns: csvCols}
	for _, cr := range in.Scores.Commits {
		c := cr.Commit
		out.Commits = append(out.Commits, RiskCommit{SHA: c.Hash.String(), Score: cr.Score, Level: cr.Level, Factors: cr.Factors})
		cl := classOf[c.Hash]
		row := []string{c.Hash.String(), c.Short(), svnRevText(c), c.Author.When.Format(time.RFC3339), c.Author.Name,
			cl.Class, strings.Join(cl.Tickets, " "), strconv.Itoa(cr.Score), string(cr.Level), c.Subject}
		byName := map[string]risk.Factor{}
		for _, f := range cr.Factors {
			byName[f.Name] = f
		}
		for _, name := range factorOrder {
			if f, ok := byName[name]; ok {
				row = append(row, formatNumber(f.Value), formatNumber(f.Points))
			} else {
				row = append(row, "", "")
			}
		}
		csvT.Append(row...)
	}

	// The table ranks by score, highest first; ties keep the range's order.
	ranked := append([]risk.CommitRisk(nil), in.Scores.Commits...)
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Score > ranked[j].Score })
	doc := &Document{Main: Table{Columns: []string{"Commit", "Score", "Level", "Class", "Subject", "Why"}}, CSV: csvT, JSON: out}
	for _, cr := range ranked {
		doc.Main.Append(CommitLabel(cr.Commit), strconv.Itoa(cr.Score), string(cr.Level), classOf[cr.Commit.Hash].Class,
			cr.Commit.Subject, topFactors(cr.Factors, 3))
	}
	th := in.Scores.Thresholds
	doc.Notes = append(doc.Notes,
		"Levels: "+th.Method+".",
		fmt.Sprintf("History read: %d commits since %s%s. A score is the sum of its factors' points (--format json lists them with their reasons).",
			in.History.Commits, in.History.Since.Format("2006-01-02"), cappedNote(in.History.Capped)))
	if in.History.Shallow {
		doc.Notes = append(doc.Notes, "The repository is a shallow clone: the scores learn from the history it has only. "+
			"Fetch it whole for better levels: git fetch --unshallow (in CI: fetch-depth: 0).")
	}
	if in.Plan != nil {
		doc.Sections = append(doc.Sections, planSections(in.Plan)...)
	}
	return doc
}

func cappedNote(capped bool) string {
	if capped {
		return " (capped: raise --max-history to read more)"
	}
	return ""
}

// topFactors names the n factors worth the most points, in words.
func topFactors(factors []risk.Factor, n int) string {
	fs := make([]risk.Factor, 0, len(factors))
	for _, f := range factors {
		if f.Points > 0 {
			fs = append(fs, f)
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Points > fs[j].Points })
	var parts []string
	for i, f := range fs {
		if i == n {
			break
		}
		name := factorWords[f.Name]
		if name == "" {
			name = f.Name
		}
		parts = append(parts, fmt.Sprintf("%s +%s", name, formatNumber(f.Points)))
	}
	if len(parts) == 0 {
		for _, f := range factors {
			if f.Name == risk.FactorMerge {
				return "merge (scored on its parents' commits)"
			}
		}
		return "-"
	}
	return strings.Join(parts, ", ")
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func shorts(shas []string) string {
	s := make([]string, len(shas))
	for i, h := range shas {
		s[i] = short(h)
	}
	return strings.Join(s, " ")
}

// planSections renders the plan's risk: the level and reasons, each signal
// that fired, and the retest scope.
func planSections(p *risk.PlanRisk) []Section {
	summary := Table{Columns: []string{"Level", "Reason"}}
	for i, r := range p.Reasons {
		level := ""
		if i == 0 {
			level = strings.ToUpper(string(p.Level))
		}
		summary.Append(level, r)
	}
	out := []Section{{Title: "Plan risk", Table: summary}}
	add := func(title string, t Table) {
		if len(t.Rows) > 0 {
			out = append(out, Section{Title: title, Table: t})
		}
	}
	t := Table{Columns: []string{"File", "Lines differing from HEAD"}}
	for _, u := range p.UntestedFiles {
		t.Append(u.Path, strconv.Itoa(u.LinesDifferingFromHead))
	}
	add("Untested files (a state neither production nor recette had)", t)
	t = Table{Columns: []string{"Kept commit", "Uses what this dropped commit introduced", "Evidence"}}
	for _, b := range p.BuildBreaks {
		t.Append(short(b.Commit), short(b.DependsOn), b.Evidence)
	}
	add("Likely build breaks", t)
	t = Table{Columns: []string{"Kept commit", "Dropped follow-up", "Kind", "Evidence"}}
	for _, f := range p.DroppedFollowups {
		t.Append(short(f.Commit), short(f.Followup), f.Kind, f.Evidence)
	}
	add("Dropped follow-ups", t)
	t = Table{Columns: []string{"File", "Kept", "Lines (HEAD)", "Dropped", "Lines (HEAD)", "Lines between"}}
	for _, m := range p.NearMisses {
		t.Append(m.Path, short(m.Kept), m.KeptLines, short(m.Dropped), m.DroppedLines, strconv.Itoa(m.Distance))
	}
	add("Near misses", t)
	t = Table{Columns: []string{"Kept file", "Dropped file", "Changed together", "Confidence"}}
	for _, s := range p.SplitCochanges {
		t.Append(s.KeptFile, s.DroppedFile, strconv.Itoa(s.Support), formatNumber(s.Confidence))
	}
	add("Split co-changes", t)
	t = Table{Columns: []string{"File", "Kept", "Dropped"}}
	for _, f := range p.InterleavedFiles {
		t.Append(f.Path, shorts(f.Kept), shorts(f.Dropped))
	}
	add("Interleaved files", t)
	t = Table{Columns: []string{"Directory", "File", "Why", "Tickets"}}
	for _, d := range p.Retest.Directories {
		for i, f := range d.Files {
			dir := ""
			if i == 0 {
				dir = d.Path + "/"
				if d.Path == "." {
					dir = "(top level)"
				}
			}
			why, tickets := "", ""
			for _, rf := range p.Retest.Files {
				if rf.Path == f {
					why, tickets = strings.Join(rf.Reasons, ", "), strings.Join(rf.Tickets, " ")
				}
			}
			t.Append(dir, f, why, tickets)
		}
	}
	if len(t.Rows) == 0 {
		t.Append("-", "nothing to retest beyond the kept tickets themselves", "", "")
	}
	out = append(out, Section{Title: "Retest scope", Table: t})
	return out
}

// Backtest builds the document of `triage risk --backtest`: how well the
// score finds the commits a later fix corrected, against two baselines.
func Backtest(base, head string, res risk.BacktestResult) *Document {
	doc := &Document{Main: Table{Columns: []string{"Ranking", "AUC", "Found in the top 20% of changed lines"}}}
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
	for _, r := range []struct {
		name string
		m    risk.Metrics
	}{{"risk score", res.Score}, {"lines changed alone", res.Lines}, {"random (mean of 100 orders)", res.Random}} {
		doc.Main.Append(r.name, strconv.FormatFloat(r.m.AUC, 'f', 3, 64), pct(r.m.Top20Lines))
	}
	doc.JSON = struct {
		Base string `json:"base"`
		Head string `json:"head"`
		risk.BacktestResult
	}{base, head, res}
	doc.Notes = append(doc.Notes, fmt.Sprintf("%d commits evaluated; %d fixes found by class or keywords; %d commits had lines a later fix changed or deleted (SZZ).",
		res.Commits, res.Fixes, res.Buggy))
	if res.Buggy < 10 {
		doc.Notes = append(doc.Notes, "Too few corrected commits for these figures to mean much: try a longer range.")
	}
	return doc
}
