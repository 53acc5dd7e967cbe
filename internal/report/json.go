package report

import (
	"encoding/json"
	"io"
)

type jsonPrinter struct{}

func (jsonPrinter) Print(w io.Writer, doc *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc.JSON)
}
