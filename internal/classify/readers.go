package classify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/triage-dev/triage/internal/config"
)

// Jira's CSV headers in English and French ("Export CSV (all fields)").
var (
	jiraID      = []string{"Issue key", "Key", "Clé de ticket", "Clé", "Clé du ticket"}
	jiraType    = []string{"Issue Type", "Type de ticket", "Type"}
	jiraSummary = []string{"Summary", "Résumé"}
)

// ReadJiraCSV parses Jira's CSV export: repeated headers hold the values of a
// multi-valued field (Labels, Fix Version/s), custom fields are headed
// "Custom field (NAME)" and cells may span lines.
func ReadJiraCSV(name string, data []byte) (*Export, error) {
	t, err := readTable(name, data)
	if err != nil {
		return nil, err
	}
	id := t.column(jiraID...)
	if id < 0 {
		return nil, &ExportError{File: name, Line: 1, Msg: "no 'Issue key' column, so this is not a Jira export (use format csv with id_column for other files)" +
			columnHint(t, "Issue key", t.columns())}
	}
	typ, sum := t.column(jiraType...), t.column(jiraSummary...)
	exp := &Export{Name: name, Format: config.FormatJiraCSV, Columns: t.columns()}
	return t.readTickets(exp, ticketColumns{id: id, typ: typ, sum: sum, badID: func(key string) string {
		if key == "" {
			return fmt.Sprintf("the '%s' cell is empty: every Jira issue has a key; re-export the file", t.header[id])
		}
		return ""
	}})
}

// ticketColumns says where an export keeps each ticket's id, type and
// summary, and what makes an id unusable.
type ticketColumns struct {
	id, typ, sum int
	aliases      map[string]string       // extra names for the export's field names
	badID        func(raw string) string // the complaint about an id, or "" when it is fine
}

// readTickets turns every row of the table into a ticket of exp, stopping at
// the first row whose id is unusable (with its line, so it can be fixed).
func (t *table) readTickets(exp *Export, c ticketColumns) (*Export, error) {
	for i, row := range t.rows {
		raw := strings.TrimSpace(row[c.id])
		if msg := c.badID(raw); msg != "" {
			return nil, &ExportError{File: exp.Name, Line: t.lines[i], Msg: msg}
		}
		exp.Tickets = append(exp.Tickets, &Ticket{
			ID:      NormalizeID(raw),
			Type:    cell(row, c.typ),
			Summary: cell(row, c.sum),
			Fields:  t.fields(row, c.aliases),
		})
	}
	return exp, nil
}

func cell(row []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// redmineAliases gives the English name of Redmine's French headers, so a
// rule written against one locale's export works with the other.
var redmineAliases = map[string]string{
	"projet":         "project",
	"tâche parente":  "parent task",
	"statut":         "status",
	"priorité":       "priority",
	"sujet":          "subject",
	"auteur":         "author",
	"assigné à":      "assignee",
	"mis-à-jour":     "updated",
	"catégorie":      "category",
	"version cible":  "target version",
	"début":          "start date",
	"echéance":       "due date",
	"échéance":       "due date",
	"temps estimé":   "estimated time",
	"% réalisé":      "% done",
	"créé":           "created",
	"description":    "description",
	"temps passé":    "spent time",
	"fichiers":       "files",
	"demandes liées": "related issues",
	// Not a Redmine field but the custom field every French team names so.
	"environnement": "environment",
}

// ReadRedmineCSV parses Redmine's CSV export in any of its locales: ids in
// the "#" column (written "#1234"), the tracker as the type, ';' or ','
// separators, ISO-8859-1 or UTF-8 with or without BOM.
func ReadRedmineCSV(name string, data []byte) (*Export, error) {
	t, err := readTable(name, data)
	if err != nil {
		return nil, err
	}
	id := t.column("#", "Id", "ID")
	if id < 0 {
		return nil, &ExportError{File: name, Line: 1, Msg: "no '#' column, so this is not a Redmine export (use format csv with id_column for other files)" +
			columnHint(t, "#", t.columns())}
	}
	typ := t.column("Tracker", "Type")
	sum := t.column("Subject", "Sujet", "Thema", "Asunto", "Oggetto")
	exp := &Export{Name: name, Format: config.FormatRedmineCSV, Columns: t.columns()}
	for _, h := range exp.Columns {
		if a, ok := redmineAliases[strings.ToLower(h)]; ok {
			exp.Columns = append(exp.Columns, a)
		}
	}
	return t.readTickets(exp, ticketColumns{id: id, typ: typ, sum: sum, aliases: redmineAliases, badID: func(raw string) string {
		if !isDigits(strings.TrimPrefix(raw, "#")) {
			return fmt.Sprintf("issue number '%s' in column '%s' is not a number: is the separator right? re-export the file from Redmine's issue list (CSV)", raw, t.header[id])
		}
		return ""
	}})
}

// ReadCSV parses any CSV export whose id column is named. Numeric ids are
// written "#123"; a column named type, tracker or kind gives the type.
func ReadCSV(name string, data []byte, idColumn string) (*Export, error) {
	t, err := readTable(name, data)
	if err != nil {
		return nil, err
	}
	id := t.column(idColumn)
	if id < 0 {
		return nil, &ExportError{File: name, Line: 1, Msg: fmt.Sprintf("id column '%s' not found", idColumn) + columnHint(t, idColumn, t.columns())}
	}
	typ := t.column("Type", "Issue Type", "Tracker", "Kind", "IssueType")
	sum := t.column("Summary", "Title", "Subject", "Sujet", "Résumé")
	exp := &Export{Name: name, Format: config.FormatCSV, Columns: t.columns()}
	return t.readTickets(exp, ticketColumns{id: id, typ: typ, sum: sum, badID: func(key string) string {
		if key == "" {
			return fmt.Sprintf("the id cell (column '%s') is empty: fill it or remove the row", t.header[id])
		}
		return ""
	}})
}

// labelTypes maps GitHub labels to an issue type, so `type: Bug` rules work
// on GitHub exports, which have no type field.
var labelTypes = map[string]string{
	"bug": "Bug", "defect": "Bug", "regression": "Bug",
	"feature": "Feature", "enhancement": "Feature", "feature request": "Feature", "new feature": "Feature",
	"documentation": "Documentation", "docs": "Documentation",
	"task": "Task", "chore": "Task",
	"question": "Question", "support": "Question",
}

// labelType reads a type from a label, also in the "type: bug", "type/bug"
// and "kind/bug" spellings some projects use.
func labelType(label string) string {
	l := strings.ToLower(strings.TrimSpace(label))
	for _, p := range []string{"type:", "type/", "kind/", "kind:", "t-"} {
		l = strings.TrimSpace(strings.TrimPrefix(l, p))
	}
	return labelTypes[l]
}

// ReadGithubJSON parses `gh issue list --json number,title,labels,state`
// (more fields are kept when present). Ids are "#N"; the type comes from the
// first label that names one.
func ReadGithubJSON(name string, data []byte) (*Export, error) {
	text, _ := decodeText(data)
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(text), &items); err != nil {
		return nil, jsonError(name, text, err, "a JSON list of issues")
	}
	exp := &Export{Name: name, Format: config.FormatGithubJSON}
	cols := map[string]bool{"type": true}
	offset := 0
	for i, raw := range items {
		// Locate the item in the text for errors; json keeps no positions.
		if at := strings.Index(text[offset:], string(raw[:min(len(raw), 1)])); at >= 0 {
			offset += at
		}
		line := 1 + strings.Count(text[:offset], "\n")
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil || obj == nil {
			return nil, &ExportError{File: name, Line: line, Msg: fmt.Sprintf("issue %d is not a JSON object: produce the file with gh issue list --json number,title,labels,state", i+1)}
		}
		t, err := githubTicket(obj)
		if err != nil {
			return nil, &ExportError{File: name, Line: line, Msg: fmt.Sprintf("issue %d: %s; produce the file with gh issue list --json number,title,labels,state", i+1, err)}
		}
		for k := range t.Fields {
			cols[k] = true
		}
		exp.Tickets = append(exp.Tickets, t)
		offset += len(raw)
	}
	for k := range cols {
		exp.Columns = append(exp.Columns, k)
	}
	sort.Strings(exp.Columns)
	return exp, nil
}

func githubTicket(obj map[string]any) (*Ticket, error) {
	num, ok := obj["number"].(json.Number)
	if !ok {
		if _, present := obj["number"]; !present {
			return nil, fmt.Errorf("it has no \"number\"")
		}
		return nil, fmt.Errorf("its \"number\" is not a number")
	}
	n, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt32 {
		return nil, fmt.Errorf("its \"number\" %s is not an issue number", num)
	}
	t := &Ticket{ID: "#" + strconv.FormatInt(n, 10), Fields: map[string][]string{}}
	t.Fields["number"] = []string{t.ID}
	for k, v := range obj {
		key := strings.ToLower(k)
		switch key {
		case "number":
			continue
		case "labels":
			list, ok := v.([]any)
			if !ok && v != nil {
				return nil, fmt.Errorf("its \"labels\" is not a list")
			}
			for _, l := range list {
				name := labelName(l)
				if name == "" {
					continue
				}
				t.Fields["labels"] = append(t.Fields["labels"], name)
				if t.Type == "" {
					t.Type = labelType(name)
				}
			}
		default:
			t.Fields[key] = append(t.Fields[key], jsonValues(v)...)
			if len(t.Fields[key]) == 0 {
				delete(t.Fields, key)
			}
		}
	}
	if title := t.Fields["title"]; len(title) > 0 {
		t.Summary = title[0]
	}
	if t.Type != "" {
		t.Fields["type"] = []string{t.Type}
	}
	return t, nil
}

// labelName accepts gh's label objects and plain strings.
func labelName(l any) string {
	switch v := l.(type) {
	case string:
		return v
	case map[string]any:
		if s, ok := v["name"].(string); ok {
			return s
		}
	}
	return ""
}

// jsonValues flattens a JSON value into field values: scalars as text,
// objects by their name/login/title, lists element by element.
func jsonValues(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if strings.TrimSpace(x) == "" {
			return nil
		}
		return []string{x}
	case json.Number:
		return []string{x.String()}
	case bool:
		return []string{strconv.FormatBool(x)}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonValues(e)...)
		}
		return out
	case map[string]any:
		for _, k := range []string{"name", "login", "title"} {
			if s, ok := x[k].(string); ok && s != "" {
				return []string{s}
			}
		}
	}
	return nil
}

// jsonError locates a JSON syntax or type error by line.
func jsonError(name, text string, err error, want string) error {
	var offset int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &se):
		offset = se.Offset
	case asErr(err, &te):
		return &ExportError{File: name, Line: lineAt(text, te.Offset), Msg: fmt.Sprintf("expected %s, found a JSON %s: produce the file with gh issue list --json number,title,labels,state", want, te.Value)}
	}
	msg := err.Error()
	if strings.Contains(msg, "unexpected end of JSON input") {
		return &ExportError{File: name, Line: lineAt(text, int64(len(text))), Msg: "the JSON ends early (truncated file?): produce the file again with gh issue list --json number,title,labels,state"}
	}
	if offset >= 0 {
		return &ExportError{File: name, Line: lineAt(text, offset), Msg: fmt.Sprintf("invalid JSON: %v; produce the file with gh issue list --json number,title,labels,state", err)}
	}
	return &ExportError{File: name, Msg: fmt.Sprintf("invalid JSON: %s; produce the file with gh issue list --json number,title,labels,state", msg)}
}

func lineAt(text string, offset int64) int {
	if offset > int64(len(text)) {
		offset = int64(len(text))
	}
	if offset < 0 {
		offset = 0
	}
	return 1 + strings.Count(text[:offset], "\n")
}
