package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

type markdownPrinter struct{}

func (markdownPrinter) Print(w io.Writer, doc *Document) error {
	bw := bufio.NewWriter(w)
	writeMarkdownTable(bw, doc.Main)
	for _, s := range doc.Sections {
		fmt.Fprintf(bw, "\n### %s\n\n", s.Title)
		writeMarkdownTable(bw, s.Table)
	}
	if len(doc.Notes) > 0 {
		fmt.Fprintln(bw)
		for _, n := range doc.Notes {
			fmt.Fprintf(bw, "- %s\n", escapeMarkdown(n))
		}
	}
	return bw.Flush()
}

// writeMarkdownTable writes a GitHub-flavoured table, for pasting into a
// ticket or release note.
func writeMarkdownTable(w io.Writer, t Table) {
	if len(t.Columns) == 0 {
		return
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(escapeCells(t.Columns), " | "))
	seps := make([]string, len(t.Columns))
	for i := range seps {
		seps[i] = "---"
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(seps, " | "))
	for _, r := range t.Rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(escapeCells(r), " | "))
	}
}

func escapeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = escapeMarkdown(c)
	}
	return out
}

// escapeMarkdown keeps a cell inside its column: pipes would open a new one,
// newlines would end the table, and <...> would be taken for HTML.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`")
	return r.Replace(s)
}
