package report

import "io"

// Table is a grid of cells with named columns.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Append adds one row.
func (t *Table) Append(cells ...string) { t.Rows = append(t.Rows, cells) }

// Section is a titled table printed after the main one (a summary, the picks...).
type Section struct {
	Title string
	Table Table
}

// Document is everything a command prints, in a form every printer can render.
type Document struct {
	// Main is the primary table: one row per commit, usually.
	Main Table
	// CSV is the full-column table for --format csv; Main is used when nil.
	CSV *Table
	// Sections follow Main in table and markdown output.
	Sections []Section
	// Notes are free lines printed last in table and markdown output
	// (warnings, hints); JSON carries them inside its own value.
	Notes []string
	// JSON is the value encoded for --format json; its shape is the
	// documented schema of the command.
	JSON any
	// Extra renders formats that only one command has (dot for deps,
	// junit for gate...), keyed by format name.
	Extra map[string]func(w io.Writer) error
}
