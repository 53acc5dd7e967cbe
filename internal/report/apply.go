package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/apply"
	"github.com/triage-dev/triage/internal/vcs"
)

// ApplyJSON is the documented json schema of `triage apply`. Beyond the
// issue's keys, "skipped" lists the picks the branch already had, and each
// conflict carries "details": per path, the kind, git's message, the
// conflicting line ranges and the commits behind them.
type ApplyJSON struct {
	Onto      string              `json:"onto"`
	Branch    string              `json:"branch"`
	DryRun    bool                `json:"dry_run"`
	Head      *string             `json:"head"`
	Tree      *string             `json:"tree"`
	Applied   []ApplyAppliedJSON  `json:"applied"`
	Skipped   []ApplySkippedJSON  `json:"skipped"`
	Conflicts []ApplyConflictJSON `json:"conflicts"`
	Verify    *apply.VerifyResult `json:"verify"`
}

// ApplyAppliedJSON is one pick and the commit it became.
type ApplyAppliedJSON struct {
	Source string `json:"source"`
	Commit string `json:"commit"`
}

// ApplySkippedJSON is a pick whose change the branch already had.
type ApplySkippedJSON struct {
	Source string `json:"source"`
	Reason string `json:"reason"`
}

// ApplyConflictJSON is the pick that stopped the apply.
type ApplyConflictJSON struct {
	Commit   string                  `json:"commit"`
	Paths    []string                `json:"paths"`
	Blocking []string                `json:"blocking"`
	Details  []ApplyConflictPathJSON `json:"details"`
}

// ApplyConflictPathJSON is one conflicting path. Regions count lines of
// the pick's parent (base), of the branch built so far (ours) and of the
// pick (theirs); whole_file marks conflicts that are not line based.
type ApplyConflictPathJSON struct {
	Path      string                 `json:"path"`
	BasePath  string                 `json:"base_path"`
	Kind      string                 `json:"kind"`
	Message   string                 `json:"message"`
	WholeFile bool                   `json:"whole_file"`
	Regions   []apply.ConflictRegion `json:"regions"`
	Blocking  []string               `json:"blocking"`
}

// ApplyInput is what the apply document is built from.
type ApplyInput struct {
	OntoName string // --onto as typed, or the range's base
	Picks    []plumbing.Hash
	Result   *apply.Result
	Blockers *apply.Blockers     // set with Result.Conflict
	Verify   *apply.VerifyResult // nil without --verify
	// Commits and Tickets describe the range's commits, for labels.
	Commits map[plumbing.Hash]*vcs.Commit
	Tickets map[plumbing.Hash][]string
}

// Apply builds the document of `triage apply`.
func Apply(in ApplyInput) *Document {
	res := in.Result
	out := ApplyJSON{Onto: res.Onto.String(), Branch: res.Branch, DryRun: res.DryRun,
		Applied: []ApplyAppliedJSON{}, Skipped: []ApplySkippedJSON{}, Conflicts: []ApplyConflictJSON{}, Verify: in.Verify}
	if res.Conflict == nil {
		head, tree := res.Head.String(), res.Tree.String()
		out.Head, out.Tree = &head, &tree
	}
	outcome := map[plumbing.Hash]string{}
	newCommit := map[plumbing.Hash]string{}
	for _, a := range res.Applied {
		out.Applied = append(out.Applied, ApplyAppliedJSON{Source: a.Source.String(), Commit: a.Commit.String()})
		outcome[a.Source], newCommit[a.Source] = "applied", a.Commit.String()[:7]
	}
	for _, s := range res.Skipped {
		out.Skipped = append(out.Skipped, ApplySkippedJSON{Source: s.Source.String(), Reason: s.Reason})
		outcome[s.Source] = "skipped: " + s.Reason
	}
	doc := &Document{Main: Table{Columns: []string{"Pick", "Tickets", "Result", "New commit", "Subject"}}}
	reached := len(in.Picks)
	if c := res.Conflict; c != nil {
		outcome[c.Commit] = "CONFLICT"
		reached = c.Index + 1
		out.Conflicts = append(out.Conflicts, applyConflictJSON(c, in.Blockers))
	}
	for i, p := range in.Picks {
		o := outcome[p]
		if i >= reached {
			o = "not reached"
		}
		doc.Main.Append(in.label(p), strings.Join(in.Tickets[p], " "), o, newCommit[p], in.subject(p))
	}
	if c := res.Conflict; c != nil {
		doc.Sections = append(doc.Sections, in.conflictSections(c)...)
	}
	if v := in.Verify; v != nil {
		doc.Sections = append(doc.Sections, verifySection(v))
	}
	doc.Notes = in.notes()
	doc.JSON = out
	return doc
}

func applyConflictJSON(c *apply.Conflict, b *apply.Blockers) ApplyConflictJSON {
	cj := ApplyConflictJSON{Commit: c.Commit.String(), Paths: []string{}, Blocking: []string{}}
	if b != nil {
		cj.Blocking = hashStrings(b.Commits)
	}
	for _, p := range c.Paths {
		cj.Paths = append(cj.Paths, p.Path)
		d := ApplyConflictPathJSON{Path: p.Path, BasePath: p.BasePath, Kind: p.Kind, Message: p.Message,
			WholeFile: p.WholeFile, Regions: p.Regions, Blocking: []string{}}
		if d.Regions == nil {
			d.Regions = []apply.ConflictRegion{}
		}
		if b != nil {
			d.Blocking = hashStrings(b.ByPath[p.Path])
		}
		cj.Details = append(cj.Details, d)
	}
	return cj
}

func hashStrings(hs []plumbing.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}

func (in ApplyInput) label(h plumbing.Hash) string {
	if c, ok := in.Commits[h]; ok {
		return CommitLabel(c)
	}
	return h.String()[:7]
}

func (in ApplyInput) subject(h plumbing.Hash) string {
	if c, ok := in.Commits[h]; ok {
		return c.Subject
	}
	return ""
}

// named is a commit as a lead reads it: short SHA, tickets, subject.
func (in ApplyInput) named(h plumbing.Hash) string {
	s := in.label(h)
	if t := in.Tickets[h]; len(t) > 0 {
		s += " " + strings.Join(t, " ")
	}
	if subj := in.subject(h); subj != "" {
		s += " (" + subj + ")"
	}
	return s
}

func (in ApplyInput) conflictSections(c *apply.Conflict) []Section {
	parent := "its parent"
	if !c.Parent.IsZero() {
		parent = c.Parent.String()[:7]
	}
	t := Table{Columns: []string{"Path", "Conflict", "Lines (of " + parent + ")", "Lines last written by"}}
	for _, p := range c.Paths {
		var by []string
		if in.Blockers != nil {
			for _, h := range in.Blockers.ByPath[p.Path] {
				by = append(by, in.label(h))
			}
		}
		who := strings.Join(by, ", ")
		if who == "" {
			who = "no commit of the range (a change on --onto)"
		}
		path := p.Path
		if p.BasePath != "" && p.BasePath != p.Path {
			path = p.BasePath + " -> " + p.Path
		}
		t.Append(path, p.Kind, regionsText(p), who)
	}
	sections := []Section{{Title: "Conflict: " + in.named(c.Commit), Table: t}}
	if in.Blockers != nil && len(in.Blockers.Commits) > 0 {
		bt := Table{Columns: []string{"Commit", "Tickets", "Subject"}}
		for _, h := range in.Blockers.Commits {
			bt.Append(in.label(h), strings.Join(in.Tickets[h], " "), in.subject(h))
		}
		sections = append(sections, Section{Title: "Commits standing in the way (dropped, or not picked yet)", Table: bt})
	}
	return sections
}

func regionsText(p apply.ConflictPath) string {
	if p.WholeFile {
		return "whole file"
	}
	var parts []string
	for _, r := range p.Regions {
		switch r.Base.Count {
		case 0:
			parts = append(parts, "after "+strconv.Itoa(r.Base.Start))
		case 1:
			parts = append(parts, strconv.Itoa(r.Base.Start))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", r.Base.Start, r.Base.Start+r.Base.Count-1))
		}
	}
	return strings.Join(parts, ", ")
}

func verifySection(v *apply.VerifyResult) Section {
	t := Table{Columns: []string{"Output (last lines)"}}
	for _, l := range strings.Split(strings.TrimRight(v.OutputTail, "\n"), "\n") {
		if l != "" || len(t.Rows) > 0 {
			t.Append(l)
		}
	}
	return Section{Title: fmt.Sprintf("Verify: %s (exit code %d)", v.Command, v.ExitCode), Table: t}
}

func (in ApplyInput) notes() []string {
	res := in.Result
	var notes []string
	onto := in.OntoName
	if onto == "" || strings.HasPrefix(res.Onto.String(), onto) {
		onto = res.Onto.String()[:7]
	} else {
		onto += " (" + res.Onto.String()[:7] + ")"
	}
	if c := res.Conflict; c != nil {
		note := fmt.Sprintf("Nothing written: %s does not apply onto the branch built so far (pick %d of %d).",
			in.named(c.Commit), c.Index+1, len(in.Picks))
		if in.Blockers != nil && len(in.Blockers.Commits) > 0 {
			var names []string
			for _, h := range in.Blockers.Commits {
				names = append(names, in.named(h))
			}
			note += " Its conflicting lines come from " + strings.Join(names, ", ") +
				": keep them too (e.g. --keep commit:" + in.Blockers.Commits[0].String()[:7] + "), or drop " + c.Commit.String()[:7] + "."
		} else {
			note += " No commit of the range explains the conflict: the branch differs from the pick's parent through changes already on --onto; resolve it by hand, or drop " + c.Commit.String()[:7] + "."
		}
		return append(notes, note)
	}
	n := len(res.Applied)
	what := fmt.Sprintf("%d commit%s onto %s, ending at %s", n, pluralS(n), onto, res.Head.String()[:7])
	switch {
	case res.RefWritten && !res.Replaced.IsZero():
		notes = append(notes, fmt.Sprintf("Branch '%s' written (was %s): %s.", res.Branch, res.Replaced.String()[:7], what))
	case res.RefWritten:
		notes = append(notes, fmt.Sprintf("Branch '%s' written: %s.", res.Branch, what))
	case res.DryRun:
		notes = append(notes, fmt.Sprintf("Dry run: no branch written; the branch would hold %s (its objects stay in the repository until git gc).", what))
		if !res.Existing.IsZero() {
			notes = append(notes, fmt.Sprintf("Branch '%s' exists (at %s): the real run needs --force to replace it.", res.Branch, res.Existing.String()[:7]))
		}
	default:
		notes = append(notes, fmt.Sprintf("No branch written (none named): %s.", what))
	}
	if len(res.Skipped) > 0 {
		var names []string
		for _, s := range res.Skipped {
			names = append(names, in.label(s.Source)+" ("+s.Reason+")")
		}
		notes = append(notes, fmt.Sprintf("%d pick%s left out, the branch already had %s: %s.", len(res.Skipped),
			pluralS(len(res.Skipped)), itOrThem(len(res.Skipped)), strings.Join(names, ", ")))
	}
	if v := in.Verify; v != nil {
		if v.ExitCode == 0 {
			notes = append(notes, fmt.Sprintf("Verify passed: `%s` exited 0 on the new branch's files.", v.Command))
		} else {
			notes = append(notes, fmt.Sprintf("Verify FAILED: `%s` exited %d on the new branch's files.", v.Command, v.ExitCode))
		}
	}
	return notes
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func itOrThem(n int) string {
	if n == 1 {
		return "its change"
	}
	return "their changes"
}
