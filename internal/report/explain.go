package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
)

// ExplainJSON is the json schema of `triage explain`.
type ExplainJSON struct {
	SHA        string        `json:"sha"`
	Short      string        `json:"short"`
	SvnRev     *int          `json:"svn_rev"`
	Subject    string        `json:"subject"`
	Author     string        `json:"author"`
	Date       string        `json:"date"`
	Merge      bool          `json:"merge"`
	Tickets    []string      `json:"tickets"`
	Class      string        `json:"class"`
	Rule       string        `json:"rule"`
	Evidence   []string      `json:"evidence"`
	Mixed      bool          `json:"mixed"`
	Guessed    bool          `json:"guessed"`
	DependsOn  []ExplainEdge `json:"depends_on"`
	RequiredBy []ExplainEdge `json:"required_by"`
	// KeepBrings are the commits a cherry-pick of this one needs,
	// transitively, through hard edges; DropTakes those that cannot stay
	// without it.
	KeepBrings []string `json:"keep_brings"`
	DropTakes  []string `json:"drop_takes"`
	Summary    string   `json:"summary"`
}

// ExplainEdge is one dependency, seen from the explained commit.
type ExplainEdge struct {
	SHA      string `json:"sha"` // the other commit
	Short    string `json:"short"`
	Subject  string `json:"subject"`
	Kind     string `json:"kind"`
	Hard     bool   `json:"hard"`
	Path     string `json:"path"`
	Lines    string `json:"lines"`
	Evidence string `json:"evidence"`
	Why      string `json:"why"` // in words
}

// ExplainInput is what the explain document is built from.
type ExplainInput struct {
	Graph   *deps.Graph
	Results []classify.Result // the graph's commits, classified, same order
	Commit  plumbing.Hash
	Range   string // as typed, for the summary ("v1.4.0..recette")
}

// Explain builds the document of `triage explain`: one commit, its class
// and why, what it needs and what needs it, each with its evidence in words.
func Explain(in ExplainInput) *Document {
	g := in.Graph
	byHash := resultsByHash(in.Results)
	name := func(h plumbing.Hash) string { return commitName(g, byHash, h) }
	c := g.Commit(in.Commit)
	r := byHash[in.Commit]
	out := ExplainJSON{SHA: c.Hash.String(), Short: c.Short(), SvnRev: svnRevPtr(c), Subject: c.Subject, Author: c.Author.Name,
		Date: c.Author.When.Format(time.RFC3339), Merge: c.Merge, Tickets: nonNil(r.Tickets), Class: r.Class, Rule: r.Rule,
		Evidence: nonNil(r.Evidence), Mixed: r.Mixed, Guessed: r.Guessed, DependsOn: []ExplainEdge{}, RequiredBy: []ExplainEdge{}}
	doc := &Document{Main: Table{Columns: []string{"About", "Value"}}}
	doc.Main.Append("Commit", name(c.Hash))
	doc.Main.Append("Subject", c.Subject)
	doc.Main.Append("Author", c.Author.Name+", "+c.Author.When.Format("2006-01-02 15:04"))
	class := r.Class
	if r.Mixed {
		class += " (mixed: its tickets have different classes)"
	}
	if r.Guessed {
		class += " (guessed from the message)"
	}
	doc.Main.Append("Class", class)
	doc.Main.Append("Decided by", r.Rule)
	for _, ev := range r.Evidence {
		doc.Main.Append("Evidence", ev)
	}
	edgeRow := func(other plumbing.Hash, e deps.Edge, t *Table) ExplainEdge {
		oc := g.Commit(other)
		hard := "hard"
		if !e.Kind.Hard() {
			hard = "soft"
		}
		t.Append(name(other), string(e.Kind)+" ("+hard+")", e.Describe(name))
		return ExplainEdge{SHA: other.String(), Short: oc.Short(), Subject: oc.Subject, Kind: string(e.Kind), Hard: e.Kind.Hard(),
			Path: e.Path, Lines: e.LinesText(), Evidence: e.Evidence, Why: name(e.Commit) + " " + e.Describe(name)}
	}
	needs := Table{Columns: []string{"Commit", "Kind", "Why"}}
	for _, e := range g.DependsOn(c.Hash) {
		out.DependsOn = append(out.DependsOn, edgeRow(e.DependsOn, e, &needs))
	}
	neededBy := Table{Columns: []string{"Commit", "Kind", "Why"}}
	for _, e := range g.RequiredBy(c.Hash) {
		out.RequiredBy = append(out.RequiredBy, edgeRow(e.Commit, e, &neededBy))
	}
	doc.Sections = append(doc.Sections,
		Section{Title: "What it needs", Table: orNone(needs)},
		Section{Title: "What needs it", Table: orNone(neededBy)})
	brings := closure(g, c.Hash, func(h plumbing.Hash) []plumbing.Hash {
		var next []plumbing.Hash
		for _, e := range g.DependsOn(h, deps.HardKinds...) {
			next = append(next, e.DependsOn)
		}
		return next
	})
	takes := closure(g, c.Hash, func(h plumbing.Hash) []plumbing.Hash {
		var next []plumbing.Hash
		for _, e := range g.RequiredBy(h, deps.HardKinds...) {
			next = append(next, e.Commit)
		}
		return next
	})
	out.KeepBrings, out.DropTakes = hexes(brings), hexes(takes)
	out.Summary = explainSummary(c.Short(), r, brings, takes, name, out.DependsOn)
	doc.Notes = append(doc.Notes, out.Summary)
	doc.JSON = out
	return doc
}

func orNone(t Table) Table {
	if len(t.Rows) == 0 {
		t.Append("(none)", "", "")
	}
	return t
}

// closure lists the commits reachable from h by next, in range order.
func closure(g *deps.Graph, h plumbing.Hash, next func(plumbing.Hash) []plumbing.Hash) []plumbing.Hash {
	seen := map[plumbing.Hash]bool{h: true}
	queue := []plumbing.Hash{h}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range next(x) {
			if !seen[y] {
				seen[y] = true
				queue = append(queue, y)
			}
		}
	}
	var out []plumbing.Hash
	for _, c := range g.Commits {
		if seen[c.Hash] && c.Hash != h {
			out = append(out, c.Hash)
		}
	}
	return out
}

// explainSummary says it all in two or three sentences a manager can read.
func explainSummary(short string, r *classify.Result, brings, takes []plumbing.Hash, name func(plumbing.Hash) string, direct []ExplainEdge) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s is %s", short, withArticle(r.Class))
	if len(r.Tickets) > 0 {
		fmt.Fprintf(&sb, " (%s)", strings.Join(r.Tickets, ", "))
	}
	sb.WriteString(". ")
	switch len(brings) {
	case 0:
		sb.WriteString("It can be cherry-picked alone: nothing in the range must come with it")
	default:
		fmt.Fprintf(&sb, "Keeping it brings %d commit%s along: %s", len(brings), plural(len(brings)), names(brings, name))
	}
	soft := 0
	for _, e := range direct {
		if !e.Hard {
			soft++
		}
	}
	if soft > 0 {
		fmt.Fprintf(&sb, " (and %d soft dependenc%s to check: a shared identifier or a renamed file)", soft, map[bool]string{true: "y", false: "ies"}[soft == 1])
	}
	sb.WriteString(". ")
	switch len(takes) {
	case 0:
		sb.WriteString("Dropping it forces nothing else out.")
	default:
		fmt.Fprintf(&sb, "Dropping it forces %d commit%s out too: %s.", len(takes), plural(len(takes)), names(takes, name))
	}
	return sb.String()
}

func names(hs []plumbing.Hash, name func(plumbing.Hash) string) string {
	const shown = 8
	var parts []string
	for i, h := range hs {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(hs)-shown))
			break
		}
		parts = append(parts, name(h))
	}
	return strings.Join(parts, ", ")
}

// withArticle reads a class name in a sentence: "a feature", "an
// improvement", but "unclassified" (an adjective, the default class) alone.
func withArticle(class string) string {
	switch {
	case strings.HasSuffix(class, "ed"):
		return class
	case class != "" && strings.ContainsRune("aeiouAEIOU", rune(class[0])):
		return "an " + class
	}
	return "a " + class
}
