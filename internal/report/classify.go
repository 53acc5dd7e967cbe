package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/triage-dev/triage/internal/classify"
	"github.com/triage-dev/triage/internal/vcs"
)

// ClassifyJSON is the documented json schema of `triage classify`.
type ClassifyJSON struct {
	Base    string              `json:"base"`
	Head    string              `json:"head"`
	Commits []ClassifiedCommit  `json:"commits"`
	Summary ClassifySummaryJSON `json:"summary"`
}

// ClassifiedCommit is one commit of ClassifyJSON.
type ClassifiedCommit struct {
	SHA      string   `json:"sha"`
	Short    string   `json:"short"`
	SvnRev   *int     `json:"svn_rev"`
	Date     string   `json:"date"`
	Author   string   `json:"author"`
	Email    string   `json:"email"`
	Subject  string   `json:"subject"`
	Merge    bool     `json:"merge"`
	Tickets  []string `json:"tickets"`
	Class    string   `json:"class"`
	Rule     string   `json:"rule"`
	Evidence []string `json:"evidence"`
	Mixed    bool     `json:"mixed"`
	Guessed  bool     `json:"guessed"`
	Files    int      `json:"files"`
	Added    int      `json:"added"`
	Deleted  int      `json:"deleted"`
}

// ClassifySummaryJSON counts commits per class.
type ClassifySummaryJSON struct {
	Total   int            `json:"total"`
	ByClass map[string]int `json:"by_class"`
}

// Classify builds the document of `triage classify`.
func Classify(base, head string, results []classify.Result) *Document {
	doc := &Document{Main: Table{Columns: []string{"Commit", "Date", "Author", "Tickets", "Class", "Subject"}}}
	csvT := &Table{Columns: []string{"sha", "short", "svn_rev", "date", "author", "email", "tickets", "class", "rule", "subject", "files", "added", "deleted"}}
	out := ClassifyJSON{Base: base, Head: head, Commits: []ClassifiedCommit{}, Summary: ClassifySummaryJSON{ByClass: map[string]int{}}}
	guessed := 0
	for _, r := range results {
		c := r.Commit
		files, added, deleted := changeTotals(c)
		class := r.Class
		if r.Mixed {
			class += " (mixed)"
		}
		if r.Guessed {
			guessed++
		}
		doc.Main.Append(CommitLabel(c), c.Author.When.Format("2006-01-02"), c.Author.Name,
			strings.Join(r.Tickets, " "), class, c.Subject)
		csvT.Append(c.Hash.String(), c.Short(), svnRevText(c), c.Author.When.Format(time.RFC3339), c.Author.Name, c.Author.Email,
			strings.Join(r.Tickets, " "), r.Class, r.Rule, c.Subject, strconv.Itoa(files), strconv.Itoa(added), strconv.Itoa(deleted))
		out.Commits = append(out.Commits, ClassifiedCommit{
			SHA: c.Hash.String(), Short: c.Short(), SvnRev: svnRevPtr(c), Date: c.Author.When.Format(time.RFC3339),
			Author: c.Author.Name, Email: c.Author.Email, Subject: c.Subject, Merge: c.Merge,
			Tickets: nonNil(r.Tickets), Class: r.Class, Rule: r.Rule, Evidence: nonNil(r.Evidence),
			Mixed: r.Mixed, Guessed: r.Guessed, Files: files, Added: added, Deleted: deleted,
		})
		out.Summary.ByClass[r.Class]++
	}
	out.Summary.Total = len(results)
	doc.CSV = csvT
	doc.JSON = out
	doc.Sections = append(doc.Sections, Section{Title: "Commits per class", Table: countTable(out.Summary.ByClass, len(results))})
	if guessed > 0 {
		doc.Notes = append(doc.Notes, fmt.Sprintf("%d of %d classes were guessed from commit messages alone; "+
			"add a .triage.yaml with your ticket export for classes you can trust (see README, \"Configuration\").", guessed, len(results)))
	}
	return doc
}

// CommitLabel is how a commit is shown to people: short SHA, and the
// Subversion revision when the team still talks in those.
func CommitLabel(c *vcs.Commit) string {
	if c.SvnRev > 0 {
		return fmt.Sprintf("%s r%d", c.Short(), c.SvnRev)
	}
	return c.Short()
}

func countTable(counts map[string]int, total int) Table {
	t := Table{Columns: []string{"Class", "Commits"}}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	// Largest classes first; ties by name so the output is stable.
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		t.Append(n, strconv.Itoa(counts[n]))
	}
	t.Append("total", strconv.Itoa(total))
	return t
}

func changeTotals(c *vcs.Commit) (files, added, deleted int) {
	for _, f := range c.Changes {
		added += f.Added
		deleted += f.Deleted
	}
	return len(c.Changes), added, deleted
}

func svnRevText(c *vcs.Commit) string {
	if c.SvnRev > 0 {
		return strconv.Itoa(c.SvnRev)
	}
	return ""
}

func svnRevPtr(c *vcs.Commit) *int {
	if c.SvnRev > 0 {
		v := c.SvnRev
		return &v
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
