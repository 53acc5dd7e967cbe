package report

import (
	"encoding/csv"
	"io"
	"strings"
)

type csvPrinter struct{ opts Options }

func (p csvPrinter) Print(w io.Writer, doc *Document) error {
	t := doc.Main
	if doc.CSV != nil {
		t = *doc.CSV
	}
	if p.opts.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if p.opts.CSVSeparator != 0 {
		cw.Comma = p.opts.CSVSeparator
	}
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	for _, r := range t.Rows {
		safe := make([]string, len(r))
		for i, c := range r {
			safe[i] = defuseFormula(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuseFormula stops Excel from running a cell as a formula: managers open
// these files, and a commit subject like "=HYPERLINK(...)" is attacker-controlled.
func defuseFormula(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}
