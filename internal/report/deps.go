package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/deps"
)

// DepsJSON is the documented json schema of `triage deps`.
type DepsJSON struct {
	Base  string     `json:"base"`
	Head  string     `json:"head"`
	Edges []DepsEdge `json:"edges"`
}

// DepsEdge is one edge of DepsJSON: commit depends on depends_on.
type DepsEdge struct {
	Commit    string `json:"commit"`
	DependsOn string `json:"depends_on"`
	Kind      string `json:"kind"`
	Hard      bool   `json:"hard"`
	Path      string `json:"path"`
	Lines     string `json:"lines"`
	Evidence  string `json:"evidence"`
}

// DepsInput is what the deps document is built from.
type DepsInput struct {
	Graph   *deps.Graph
	Results []classify.Result // the graph's commits, classified, same order
	Kinds   []deps.Kind       // the kinds shown; all when empty
}

// Deps builds the document of `triage deps`: one row per edge, the counts
// per kind, and a Graphviz rendering for --format dot.
func Deps(in DepsInput) *Document {
	g := in.Graph
	byHash := resultsByHash(in.Results)
	name := func(h plumbing.Hash) string { return commitName(g, byHash, h) }
	edges := g.Edges(in.Kinds...)
	out := DepsJSON{Base: g.Base.String(), Head: g.Head.String(), Edges: make([]DepsEdge, 0, len(edges))}
	doc := &Document{Main: Table{Columns: []string{"Commit", "Depends on", "Kind", "Where", "Evidence"}}}
	csvT := &Table{Columns: []string{"commit", "commit_short", "depends_on", "depends_on_short", "kind", "hard", "path", "lines", "evidence"}}
	counts := map[string]int{}
	for _, e := range edges {
		out.Edges = append(out.Edges, DepsEdge{Commit: e.Commit.String(), DependsOn: e.DependsOn.String(), Kind: string(e.Kind),
			Hard: e.Kind.Hard(), Path: e.Path, Lines: e.LinesText(), Evidence: e.Evidence})
		doc.Main.Append(name(e.Commit), name(e.DependsOn), kindLabel(e.Kind), where(e), e.Evidence)
		csvT.Append(e.Commit.String(), e.Commit.String()[:7], e.DependsOn.String(), e.DependsOn.String()[:7], string(e.Kind),
			strconv.FormatBool(e.Kind.Hard()), e.Path, e.LinesText(), e.Evidence)
		counts[string(e.Kind)]++
	}
	doc.CSV, doc.JSON = csvT, out
	kinds := Table{Columns: []string{"Kind", "Edges", "Followed by plan"}}
	for _, k := range deps.Kinds {
		if n := counts[string(k)]; n > 0 {
			followed := "yes"
			if !k.Hard() {
				followed = "with --with " + string(k)
			}
			kinds.Append(string(k), strconv.Itoa(n), followed)
		}
	}
	kinds.Append("total", strconv.Itoa(len(edges)), "")
	doc.Sections = append(doc.Sections, Section{Title: "Edges per kind", Table: kinds})
	doc.Notes = append(doc.Notes, g.Notes...)
	if len(edges) == 0 {
		doc.Notes = append(doc.Notes, fmt.Sprintf("No dependency between the %d commits of the range: each can be kept or dropped alone.", len(g.Commits)))
	}
	doc.Extra = map[string]func(io.Writer) error{"dot": func(w io.Writer) error { return writeDot(w, g, byHash, edges) }}
	return doc
}

// kindLabel marks soft kinds, which the plan does not follow by default.
func kindLabel(k deps.Kind) string {
	if k.Hard() {
		return string(k)
	}
	return string(k) + " (soft)"
}

func where(e deps.Edge) string {
	if e.Path == "" {
		return ""
	}
	if len(e.Lines) == 0 || e.Kind == deps.Rename || e.Kind == deps.File {
		return e.Path
	}
	return e.Path + ":" + e.LinesText()
}

func resultsByHash(results []classify.Result) map[plumbing.Hash]*classify.Result {
	m := make(map[plumbing.Hash]*classify.Result, len(results))
	for i := range results {
		m[results[i].Commit.Hash] = &results[i]
	}
	return m
}

// commitName is how dependency reports name a commit: short SHA, svn
// revision and tickets ("9616c5b r24911 (PAY-110)").
func commitName(g *deps.Graph, byHash map[plumbing.Hash]*classify.Result, h plumbing.Hash) string {
	c := g.Commit(h)
	if c == nil {
		return h.String()[:7]
	}
	s := CommitLabel(c)
	if r := byHash[h]; r != nil && len(r.Tickets) > 0 {
		s += " (" + strings.Join(r.Tickets, ", ") + ")"
	}
	return s
}

// classColors colour the usual classes; others take the palette in order.
var classColors = map[string]string{
	"feature": "#9ecae1", "recette-fix": "#fdae6b", "prod-fix": "#fb6a4a", "chore": "#d9d9d9",
	"unclassified": "#ffffff", "merge": "#bdbdbd",
}

var palette = []string{"#a1d99b", "#dadaeb", "#fdd0a2", "#c6dbef", "#fcbba1", "#e5f5e0"}

// writeDot renders the commits that have edges, labelled with short SHA,
// tickets and class and coloured by class; soft edges are dashed.
func writeDot(w io.Writer, g *deps.Graph, byHash map[plumbing.Hash]*classify.Result, edges []deps.Edge) error {
	var sb strings.Builder
	sb.WriteString("digraph deps {\n  rankdir=RL;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	involved := map[plumbing.Hash]bool{}
	for _, e := range edges {
		involved[e.Commit], involved[e.DependsOn] = true, true
	}
	colors := map[string]string{}
	var others []string
	for _, c := range g.Commits {
		if r := byHash[c.Hash]; r != nil && involved[c.Hash] {
			if _, ok := classColors[r.Class]; !ok && colors[r.Class] == "" {
				colors[r.Class] = "pending"
				others = append(others, r.Class)
			}
		}
	}
	sort.Strings(others)
	for i, cl := range others {
		colors[cl] = palette[i%len(palette)]
	}
	for _, c := range g.Commits {
		if !involved[c.Hash] {
			continue
		}
		parts, class := []string{CommitLabel(c)}, ""
		if r := byHash[c.Hash]; r != nil {
			if len(r.Tickets) > 0 {
				parts = append(parts, strings.Join(r.Tickets, " "))
			}
			class = r.Class
			parts = append(parts, class)
		}
		color := classColors[class]
		if color == "" {
			color = colors[class]
		}
		if color == "" {
			color = "#ffffff"
		}
		fmt.Fprintf(&sb, "  %q [label=%s, fillcolor=%q, tooltip=%s];\n", c.Short(), dotString(parts...), color, dotString(c.Subject))
	}
	for _, e := range edges {
		style := ""
		if !e.Kind.Hard() {
			style = ", style=dashed"
		}
		fmt.Fprintf(&sb, "  %q -> %q [label=%q%s];\n", e.Commit.String()[:7], e.DependsOn.String()[:7], string(e.Kind), style)
	}
	sb.WriteString("}\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

// dotString quotes lines as one Graphviz label, joined by the \n line
// breaks Graphviz understands; quotes and backslashes of the text are escaped.
func dotString(lines ...string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ")
	for i, l := range lines {
		lines[i] = r.Replace(l)
	}
	return `"` + strings.Join(lines, `\n`) + `"`
}
