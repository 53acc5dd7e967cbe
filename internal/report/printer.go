package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Printer writes a Document in one format.
type Printer interface {
	Print(w io.Writer, doc *Document) error
}

// Options tune the printers for their audience.
type Options struct {
	CSVSeparator rune // ',' by default; ';' for a French Excel
	BOM          bool // prefix CSV with a UTF-8 byte order mark, for Excel
	Color        bool // colour the table (only when stdout is a terminal and NO_COLOR is unset)
}

// Formats every command knows; a command may add its own through Document.Extra.
var Formats = []string{"table", "csv", "json", "markdown"}

// New returns the printer for a format name. extra lists the command's own
// additional formats, so the error can name them too.
func New(format string, opts Options, extra ...string) (Printer, error) {
	switch format {
	case "table", "":
		return tablePrinter{opts}, nil
	case "csv":
		return csvPrinter{opts}, nil
	case "json":
		return jsonPrinter{}, nil
	case "markdown", "md":
		return markdownPrinter{}, nil
	}
	for _, e := range extra {
		if format == e {
			return extraPrinter{e}, nil
		}
	}
	valid := append(append([]string{}, Formats...), extra...)
	sort.Strings(valid)
	return nil, fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(valid, ", "))
}

type extraPrinter struct{ name string }

func (p extraPrinter) Print(w io.Writer, doc *Document) error {
	render, ok := doc.Extra[p.name]
	if !ok {
		return fmt.Errorf("format %q is not available for this command", p.name)
	}
	return render(w)
}
