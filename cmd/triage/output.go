package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/triage-dev/triage/internal/report"
)

// outputOptions are the flags every reporting command shares.
type outputOptions struct {
	Format string
	Output string
	CSVSep string
	BOM    bool
	extra  []string // formats only this command has
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions, extra ...string) {
	o.extra = extra
	formats := append(append([]string{}, report.Formats...), extra...)
	cmd.Flags().StringVar(&o.Format, "format", "table", "output format: "+joinOr(formats))
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "write the report to `FILE` instead of standard output")
	cmd.Flags().StringVar(&o.CSVSep, "csv-sep", ",", "CSV field separator (';' for a French Excel)")
	cmd.Flags().BoolVar(&o.BOM, "bom", false, "start CSV with a UTF-8 byte order mark, so Excel reads accents right")
}

// validate checks the flags before any slow work starts.
func (o *outputOptions) validate() error {
	if _, err := report.New(o.Format, report.Options{}, o.extra...); err != nil {
		return &usageError{fmt.Errorf("--format: %w", err)}
	}
	if utf8.RuneCountInString(o.CSVSep) != 1 || o.CSVSep == "\"" || o.CSVSep == "\n" || o.CSVSep == "\r" {
		return &usageError{fmt.Errorf("--csv-sep %q: give one character such as ',' or ';'", o.CSVSep)}
	}
	return nil
}

// write prints doc in the chosen format, to -o FILE atomically (a failed run
// never leaves half a report behind) or to stdout.
func (o *outputOptions) write(stdout io.Writer, doc *report.Document) error {
	sep, _ := utf8.DecodeRuneInString(o.CSVSep)
	p, err := report.New(o.Format, report.Options{CSVSeparator: sep, BOM: o.BOM, Color: colorEnabled(stdout)}, o.extra...)
	if err != nil {
		return &usageError{err}
	}
	if o.Output == "" || o.Output == "-" {
		return p.Print(stdout, doc)
	}
	dir := filepath.Dir(o.Output)
	tmp, err := os.CreateTemp(dir, ".triage-*")
	if err != nil {
		return fmt.Errorf("-o %s: cannot write in %s: %w; check that the directory exists and is writable", o.Output, dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := p.Print(tmp, doc); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-o %s: %w", o.Output, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), o.Output); err != nil {
		return fmt.Errorf("-o %s: %w", o.Output, err)
	}
	return nil
}

// colorEnabled follows the usual convention: colour only for a terminal, and
// never when NO_COLOR is set (https://no-color.org).
func colorEnabled(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func joinOr(items []string) string {
	s := ""
	for i, it := range items {
		switch {
		case i == 0:
		case i == len(items)-1:
			s += " or "
		default:
			s += ", "
		}
		s += it
	}
	return s
}
