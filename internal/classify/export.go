package classify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/triage-dev/triage/internal/config"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Source is a ticket export to read: a file and its format ("" to guess it
// from the content). IDColumn names the id column of a generic csv export.
type Source struct {
	Path     string
	Format   string
	IDColumn string
	// Origin says where the source was named, for errors: "--tickets" or
	// "config .triage.yaml line 6".
	Origin string
}

// Export is the content of one ticket export.
type Export struct {
	Name    string // the file, as named
	Format  string
	Columns []string // field names as headed in the file, without repeats
	Tickets []*Ticket
}

// ExportError is a problem reading an export, located by line when possible.
type ExportError struct {
	File string
	Line int // 0 when the problem is the file as a whole
	Msg  string
}

func (e *ExportError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("tickets %s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("tickets %s: %s", e.File, e.Msg)
}

// LoadExport reads and parses one export file.
func LoadExport(src Source) (*Export, error) {
	data, err := os.ReadFile(src.Path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the file: %v", errors.Unwrap(err))
		if errors.Is(err, os.ErrNotExist) {
			msg = "file not found: check the path"
			if src.Origin != "" {
				msg += " (named by " + src.Origin + ")"
			}
		}
		return nil, &ExportError{File: src.Path, Msg: msg}
	}
	return ReadExport(src, data)
}

// ReadExport parses an export's content; src.Path only names it in errors.
func ReadExport(src Source, data []byte) (*Export, error) {
	format := src.Format
	if format == "" {
		var idColumn string
		format, idColumn = GuessFormat(data)
		if format == "" {
			return nil, &ExportError{File: src.Path, Msg: "cannot tell which tracker wrote this file (not a JSON list of issues, and no 'Issue key' or '#' column): " +
				"give its format, one of " + strings.Join(config.Formats, ", ") + " (with --tickets-format, or format: in the config)"}
		}
		if src.IDColumn == "" {
			src.IDColumn = idColumn
		}
	}
	switch format {
	case config.FormatJiraCSV:
		return ReadJiraCSV(src.Path, data)
	case config.FormatRedmineCSV:
		return ReadRedmineCSV(src.Path, data)
	case config.FormatGithubJSON:
		return ReadGithubJSON(src.Path, data)
	case config.FormatCSV:
		if src.IDColumn == "" {
			if header, err := firstRecord(decodeTextOnly(data)); err == nil {
				src.IDColumn = idColumnOf(header)
			}
		}
		if src.IDColumn == "" {
			return nil, &ExportError{File: src.Path, Msg: "a csv export needs its id column, and none is called " + strings.Join(idColumnNames, ", ") +
				": name it with id_column in the config's export entry"}
		}
		exp, err := ReadCSV(src.Path, data, src.IDColumn)
		var ee *ExportError
		if err != nil && src.Origin != "" && errors.As(err, &ee) && strings.HasPrefix(ee.Msg, "id column") {
			ee.Msg = strings.Replace(ee.Msg, " not found", " (set by "+src.Origin+") not found", 1)
		}
		return exp, err
	}
	return nil, &ExportError{File: src.Path, Msg: fmt.Sprintf("unknown format '%s': use one of %s", format, strings.Join(config.Formats, ", "))}
}

// GuessFormat tells an export's format from its content, and for a generic
// csv the column that looks like the id. It returns "" when it cannot tell.
func GuessFormat(data []byte) (format, idColumn string) {
	text, _ := decodeText(data)
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if strings.HasPrefix(trimmed, "[") || strings.HasPrefix(trimmed, "{") {
		return config.FormatGithubJSON, ""
	}
	header, err := firstRecord(text)
	if err != nil || len(header) == 0 {
		return "", ""
	}
	has := map[string]bool{}
	for _, h := range header {
		has[strings.ToLower(strings.TrimSpace(h))] = true
	}
	switch {
	case has["issue key"] || has["issue type"] && has["summary"]:
		return config.FormatJiraCSV, ""
	case strings.TrimSpace(header[0]) == "#" && (has["tracker"] || has["subject"] || has["sujet"]):
		return config.FormatRedmineCSV, ""
	}
	if id := idColumnOf(header); id != "" {
		return config.FormatCSV, id
	}
	return "", ""
}

// idColumnNames are the headers taken as the id of a generic csv export when
// no id_column is given.
var idColumnNames = []string{"id", "key", "ticket", "issue", "number"}

func idColumnOf(header []string) string {
	for _, name := range idColumnNames {
		for _, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), name) {
				return strings.TrimSpace(h)
			}
		}
	}
	return ""
}

func decodeTextOnly(data []byte) string {
	text, _ := decodeText(data)
	return text
}

// decodeText turns an export's bytes into UTF-8 text: byte order marks are
// dropped, UTF-16 (Excel's "Unicode text") decoded, and a file that is not
// valid UTF-8 read as Windows-1252, the superset of ISO-8859-1 that French
// Redmine and Excel installations write. It returns the encoding it used.
func decodeText(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data); err == nil {
			return string(out), "UTF-16"
		}
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8"
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), "UTF-8"
	}
	return string(out), "ISO-8859-1"
}

// detectSeparator picks the separator of the header line: Redmine writes ';'
// in locales whose decimal mark is a comma, ',' elsewhere; some tools write tabs.
func detectSeparator(text string) rune {
	counts := map[rune]int{}
	inQuotes := false
	for _, r := range text {
		if r == '"' {
			inQuotes = !inQuotes
			continue
		}
		if !inQuotes && (r == '\n' || r == '\r') {
			break
		}
		if !inQuotes && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func firstRecord(text string) ([]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = detectSeparator(text)
	r.FieldsPerRecord = -1
	return r.Read()
}

// table is a decoded CSV export: its header and rows, each row padded to the
// header's width, with the line each row starts on.
type table struct {
	header []string
	rows   [][]string
	lines  []int
}

const csvFix = "the file is not valid CSV: export it again from the tracker, or quote the cell (a quote inside a quoted cell is written twice)"

func readTable(name string, data []byte) (*table, error) {
	text, _ := decodeText(data)
	if strings.TrimSpace(text) == "" {
		return nil, &ExportError{File: name, Msg: "the file is empty: export the tickets again"}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = detectSeparator(text)
	r.FieldsPerRecord = -1
	t := &table{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ExportError{File: name, Line: pe.Line, Msg: fmt.Sprintf("%v (at character %d); %s", pe.Err, pe.Column, csvFix)}
			}
			return nil, &ExportError{File: name, Msg: err.Error()}
		}
		line, _ := r.FieldPos(0)
		if t.header == nil {
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			t.header = rec
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > len(t.header) {
			extra := strings.Join(rec[len(t.header):], "")
			if strings.TrimSpace(extra) != "" {
				return nil, &ExportError{File: name, Line: line, Msg: fmt.Sprintf("the row has %d cells but the header has %d: a cell containing the separator '%c' is probably not quoted; %s",
					len(rec), len(t.header), r.Comma, csvFix)}
			}
			rec = rec[:len(t.header)]
		}
		for len(rec) < len(t.header) {
			rec = append(rec, "")
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// column finds a header case-insensitively among several names; -1 when absent.
func (t *table) column(names ...string) int {
	for _, n := range names {
		for i, h := range t.header {
			if strings.EqualFold(h, n) {
				return i
			}
		}
	}
	return -1
}

// columns is the header without repeats, for "unknown field" checks.
func (t *table) columns() []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range t.header {
		if k := strings.ToLower(h); h != "" && !seen[k] {
			seen[k] = true
			out = append(out, h)
		}
	}
	return out
}

// fields builds a ticket's field map from one row; aliases adds an English
// name for a localised header so rules can be written once.
func (t *table) fields(row []string, aliases map[string]string) map[string][]string {
	f := make(map[string][]string, len(t.header))
	for i, h := range t.header {
		v := strings.TrimSpace(row[i])
		if h == "" || v == "" {
			continue
		}
		k := strings.ToLower(h)
		f[k] = append(f[k], v)
		if a, ok := aliases[k]; ok && a != k {
			f[a] = append(f[a], v)
		}
	}
	return f
}

// columnHint suggests the header closest to a wanted column and lists them all.
func columnHint(t *table, want string, valid []string) string {
	if s := config.Suggest(want, t.header); s != "" {
		return fmt.Sprintf("; did you mean '%s'? (columns: %s)", s, strings.Join(valid, ", "))
	}
	return "; columns: " + strings.Join(valid, ", ")
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
