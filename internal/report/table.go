package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

type tablePrinter struct{ opts Options }

func (p tablePrinter) Print(w io.Writer, doc *Document) error {
	bw := bufio.NewWriter(w)
	if err := renderPlain(bw, doc.Main); err != nil {
		return err
	}
	for _, s := range doc.Sections {
		fmt.Fprintf(bw, "\n%s\n", s.Title)
		if err := renderPlain(bw, s.Table); err != nil {
			return err
		}
	}
	if len(doc.Notes) > 0 {
		fmt.Fprintln(bw)
		for _, n := range doc.Notes {
			fmt.Fprintln(bw, n)
		}
	}
	return bw.Flush()
}

// renderPlain draws a borderless, left-aligned table, like git's own columns:
// easy to read in a terminal and to grep.
func renderPlain(w io.Writer, t Table) error {
	if len(t.Rows) == 0 && len(t.Columns) == 0 {
		return nil
	}
	var buf bytes.Buffer
	tb := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders:  tw.BorderNone,
			Symbols:  tw.NewSymbols(tw.StyleASCII),
			Settings: tw.Settings{Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off}, Lines: tw.Lines{ShowHeaderLine: tw.On}},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: "  ", Overwrite: true}),
	)
	tb.Header(toAny(t.Columns)...)
	for _, r := range t.Rows {
		if err := tb.Append(fitRow(t.Columns, sanitizeRow(r))); err != nil {
			return err
		}
	}
	if err := tb.Render(); err != nil {
		return err
	}
	// Trailing blanks are noise in a terminal and in golden files.
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " ")); err != nil {
			return err
		}
	}
	return nil
}

// sanitizeRow keeps a cell on one line: a multi-line cell would break the grid.
func sanitizeRow(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = oneLine.Replace(c)
	}
	return out
}

// maxSubject bounds a commit subject in the table format when more columns
// follow it: one long subject would otherwise pad every row far past the
// terminal. Paths and evidence are never shortened, and csv, json and
// markdown keep every subject whole.
const maxSubject = 72

// fitRow shortens a Subject cell that is not the row's last to maxSubject
// runes, marking the cut with "…".
func fitRow(columns, r []string) []string {
	for i := 0; i < len(r)-1 && i < len(columns); i++ {
		if columns[i] != "Subject" {
			continue
		}
		if runes := []rune(r[i]); len(runes) > maxSubject {
			r[i] = string(runes[:maxSubject-1]) + "…"
		}
	}
	return r
}

var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

func toAny(s []string) []any {
	a := make([]any, len(s))
	for i, v := range s {
		a[i] = v
	}
	return a
}
