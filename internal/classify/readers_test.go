package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func byID(exp *Export) map[string]*Ticket {
	m := map[string]*Ticket{}
	for _, t := range exp.Tickets {
		m[t.ID] = t
	}
	return m
}

func ids(exp *Export) []string {
	var out []string
	for _, t := range exp.Tickets {
		out = append(out, t.ID)
	}
	return out
}

func TestReadJiraCSV(t *testing.T) {
	exp, err := ReadJiraCSV("jira-export.csv", readSample(t, "jira-export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"SHOP-412", "SHOP-415", "SHOP-398", "SHOP-401", "SHOP-402", "SHOP-420", "SHOP-403"}; !reflect.DeepEqual(ids(exp), want) {
		t.Fatalf("ids = %v", ids(exp))
	}
	m := byID(exp)
	vat := m["SHOP-412"]
	if vat.Type != "Bug" || vat.Summary != "Invoice PDF shows wrong VAT" {
		t.Errorf("SHOP-412 = %q %q", vat.Type, vat.Summary)
	}
	checks := []struct {
		id, field string
		want      []string
	}{
		{"SHOP-412", "Labels", []string{"prod", "billing"}}, // repeated header, empty third cell skipped
		{"SHOP-412", "environment", []string{"Production"}}, // bare name finds Custom field (Environment)
		{"SHOP-412", "Custom field (Environment)", []string{"Production"}},
		{"SHOP-412", "TYPE", []string{"Bug"}},
		{"SHOP-412", "fix version/s", []string{"2.3.1"}},
		{"SHOP-412", "Description", []string{"Customers on the reduced rate get 19.6%.\nSteps:\n1. open invoice"}},
		{"SHOP-398", "description", []string{`As an accountant I want a CSV export, with "quotes" and, commas`}},
		{"SHOP-398", "Story Points", []string{"5"}},
		{"SHOP-402", "labels", []string{"perf", "search", "ui"}},
		{"SHOP-402", "Fix Version/s", []string{"2.4.0", "2.3.2"}},
		{"SHOP-401", "Assignee", nil}, // empty cell: no value
		{"SHOP-401", "type", []string{"New Feature"}},
		{"SHOP-415", "Environment", []string{"Recette"}},
		{"SHOP-403", "Issue Type", []string{"Sub-task"}},
	}
	for _, c := range checks {
		if got := m[c.id].Field(c.field); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s = %q, want %q", c.id, c.field, got, c.want)
		}
	}
	if v, ok := m["SHOP-402"].Match("LABELS", []string{"nope", "SEARCH"}); !ok || v != "search" {
		t.Errorf("multi-valued match = %q %v", v, ok)
	}
	if _, ok := m["SHOP-402"].Match("labels", []string{"sea"}); ok {
		t.Error("values are compared whole, not as substrings")
	}
	if _, ok := m["SHOP-401"].Match("Assignee", []string{""}); !ok {
		t.Error("an empty wanted value should match an empty field")
	}
	if !contains(exp.Columns, "Custom field (Environment)") || !contains(exp.Columns, "Labels") || len(exp.Columns) != 19 {
		t.Errorf("columns = %v", exp.Columns)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestReadRedmineCSV(t *testing.T) {
	fr, err := ReadRedmineCSV("redmine-export-fr.csv", readSample(t, "redmine-export-fr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	en, err := ReadRedmineCSV("redmine-export-en-bom.csv", readSample(t, "redmine-export-en-bom.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"#1234", "#1235", "#1236", "#1237", "#1238"}
	if !reflect.DeepEqual(ids(fr), want) || !reflect.DeepEqual(ids(en), want) {
		t.Fatalf("ids fr=%v en=%v", ids(fr), ids(en))
	}
	for _, exp := range []*Export{fr, en} {
		m := byID(exp)
		checks := []struct {
			id, field string
			want      []string
		}{
			{"#1234", "type", []string{"Anomalie"}},
			{"#1234", "tracker", []string{"Anomalie"}},
			{"#1234", "summary", []string{"Le total TTC est arrondi à l'euro"}}, // ISO-8859-1 decoded in fr
			{"#1234", "status", []string{"Fermé"}},
			{"#1234", "Target version", []string{"2.3.1"}},
			{"#1234", "environment", []string{"Production"}},
			{"#1235", "subject", []string{"Séparateur « ; » manquant dans l'export"}}, // quoted separator
			{"#1235", "estimated time", []string{"1,5"}},                              // decimal comma kept as text
			{"#1235", "author", []string{"Équipe recette"}},
			{"#1236", "type", []string{"Evolution"}},
			{"#1237", "parent task", []string{"1236"}},
			{"#1237", "status", []string{"Rejeté"}},
			{"#1238", "type", []string{"Assistance"}},
			{"#1238", "priority", []string{"Immédiate"}},
		}
		for _, c := range checks {
			if got := m[c.id].Field(c.field); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: %s %s = %q, want %q", exp.Name, c.id, c.field, got, c.want)
			}
		}
	}
	// French headers are kept as written, so French rules work too.
	m := byID(fr)
	for field, want := range map[string]string{"Statut": "Fermé", "Sujet": "Le total TTC est arrondi à l'euro", "Version cible": "2.3.1", "Environnement": "Production"} {
		if got := m["#1234"].Field(field); len(got) != 1 || got[0] != want {
			t.Errorf("fr %s = %q", field, got)
		}
	}
}

func TestReadRedmineVariants(t *testing.T) {
	// UTF-8 without BOM, ';' separator, and ISO-8859-1 with ',' separator.
	utf8NoBOM := "#;Tracker;Sujet;Statut\n7;Anomalie;Référence «x»;Fermé\n"
	exp, err := ReadRedmineCSV("a.csv", []byte(utf8NoBOM))
	if err != nil || exp.Tickets[0].ID != "#7" || exp.Tickets[0].Summary != "Référence «x»" {
		t.Fatalf("utf-8 without BOM: %v %+v", err, exp)
	}
	latin1 := []byte("#,Tracker,Subject\n8,Bug,\xe9t\xe9\n")
	exp, err = ReadRedmineCSV("b.csv", latin1)
	if err != nil || exp.Tickets[0].Summary != "été" {
		t.Fatalf("latin-1: %v %+v", err, exp.Tickets)
	}
}

func TestReadGithubJSON(t *testing.T) {
	exp, err := ReadGithubJSON("github-issues.json", readSample(t, "github-issues.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"#88", "#91", "#75", "#93"}; !reflect.DeepEqual(ids(exp), want) {
		t.Fatalf("ids = %v", ids(exp))
	}
	m := byID(exp)
	for _, c := range []struct{ id, typ, summary, state string }{
		{"#88", "Bug", "Invoice PDF shows wrong VAT", "CLOSED"},
		{"#91", "Bug", "Discount rounding in cart", "CLOSED"},
		{"#75", "Feature", "Export invoices as CSV", "CLOSED"},
		{"#93", "", "Consumers crash when log4j config is missing", "OPEN"},
	} {
		tk := m[c.id]
		if tk.Type != c.typ || tk.Summary != c.summary || tk.Field("state")[0] != c.state {
			t.Errorf("%s = %q %q %q", c.id, tk.Type, tk.Summary, tk.Field("state"))
		}
	}
	if got := m["#88"].Field("labels"); !reflect.DeepEqual(got, []string{"bug", "production"}) {
		t.Errorf("labels = %q", got)
	}
	if got := m["#93"].Field("labels"); got != nil {
		t.Errorf("no labels = %q", got)
	}
	if want := []string{"labels", "number", "state", "title", "type"}; !reflect.DeepEqual(exp.Columns, want) {
		t.Errorf("columns = %v", exp.Columns)
	}
}

func TestReadGithubJSONExtras(t *testing.T) {
	src := `[{"number": 5, "title": "x", "labels": ["kind/bug"], "milestone": {"title": "2.4"}, "assignees": [{"login": "jdoe"}], "locked": false}]`
	exp, err := ReadGithubJSON("i.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tk := exp.Tickets[0]
	if tk.Type != "Bug" || tk.Field("milestone")[0] != "2.4" || tk.Field("assignees")[0] != "jdoe" || tk.Field("locked")[0] != "false" {
		t.Errorf("ticket = %+v", tk)
	}
}

func TestReadCSV(t *testing.T) {
	exp, err := ReadCSV("generic.csv", readSample(t, "generic.csv"), "ref")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"#12", "#13"}; !reflect.DeepEqual(ids(exp), want) {
		t.Fatalf("ids = %v (numbers are written #N, leading zeros dropped)", ids(exp))
	}
	tk := exp.Tickets[0]
	if tk.Type != "Bug" || tk.Summary != "Crash on start" || tk.Field("component")[0] != "core" {
		t.Errorf("ticket = %+v", tk)
	}
}

func TestGuessFormat(t *testing.T) {
	for _, c := range []struct{ file, format, id string }{
		{"jira-export.csv", "jira-csv", ""},
		{"redmine-export-fr.csv", "redmine-csv", ""},
		{"redmine-export-en-bom.csv", "redmine-csv", ""},
		{"github-issues.json", "github-json", ""},
	} {
		if f, id := GuessFormat(readSample(t, c.file)); f != c.format || id != c.id {
			t.Errorf("%s: %q %q", c.file, f, id)
		}
	}
	if f, id := GuessFormat([]byte("Key,Title\nX-1,a\n")); f != "csv" || id != "Key" {
		t.Errorf("generic: %q %q", f, id)
	}
	if f, _ := GuessFormat([]byte("a,b\n1,2\n")); f != "" {
		t.Errorf("unknown: %q", f)
	}
	exp, err := ReadExport(Source{Path: "guess.csv"}, []byte("Ticket;Kind\n5;Bug\n"))
	if err != nil || exp.Format != "csv" || exp.Tickets[0].ID != "#5" || exp.Tickets[0].Type != "Bug" {
		t.Errorf("ReadExport guessed: %v %+v", err, exp)
	}
}

func TestLoadExport(t *testing.T) {
	exp, err := LoadExport(Source{Path: filepath.Join("testdata", "redmine-export-fr.csv")})
	if err != nil || exp.Format != "redmine-csv" || len(exp.Tickets) != 5 {
		t.Fatalf("%v %+v", err, exp)
	}
	_, err = LoadExport(Source{Path: "testdata/none.csv", Origin: "--tickets"})
	if want := "tickets testdata/none.csv: file not found: check the path (named by --tickets)"; err == nil || err.Error() != want {
		t.Errorf("err = %v", err)
	}
}

// TestExportErrors pins the messages for malformed exports: file, line, cause, fix.
func TestExportErrors(t *testing.T) {
	cases := []struct {
		name   string
		src    Source
		data   string
		want   string
		substr bool
	}{
		{"empty", Source{Path: "t.csv", Format: "jira-csv"}, " \n",
			"tickets t.csv: the file is empty: export the tickets again", false},
		{"bare quote", Source{Path: "t.csv", Format: "jira-csv"}, "Issue key,Summary\nA-1,ok\nA-2,say \"hi\"\n",
			"tickets t.csv line 3: bare \" in non-quoted-field (at character 9); the file is not valid CSV: export it again from the tracker, or quote the cell (a quote inside a quoted cell is written twice)", false},
		{"unterminated quote", Source{Path: "t.csv", Format: "jira-csv"}, "Issue key,Summary\nA-1,\"open\n",
			"tickets t.csv line 2: extraneous or missing \" in quoted-field (at character", true},
		{"too many cells", Source{Path: "t.csv", Format: "jira-csv"}, "Issue key,Summary\nA-1,one, two\n",
			"tickets t.csv line 2: the row has 3 cells but the header has 2: a cell containing the separator ',' is probably not quoted; the file is not valid CSV: export it again from the tracker, or quote the cell (a quote inside a quoted cell is written twice)", false},
		{"jira without key", Source{Path: "t.csv", Format: "jira-csv"}, "Isue key,Summary\nA-1,x\n",
			"tickets t.csv line 1: no 'Issue key' column, so this is not a Jira export (use format csv with id_column for other files); did you mean 'Isue key'? (columns: Isue key, Summary)", false},
		{"jira empty key", Source{Path: "t.csv", Format: "jira-csv"}, "Issue key,Summary\n,x\n",
			"tickets t.csv line 2: the 'Issue key' cell is empty: every Jira issue has a key; re-export the file", false},
		{"redmine bad id", Source{Path: "r.csv", Format: "redmine-csv"}, "#;Tracker\n12,Bug;x\n",
			"tickets r.csv line 2: issue number '12,Bug' in column '#' is not a number: is the separator right? re-export the file from Redmine's issue list (CSV)", false},
		{"redmine not redmine", Source{Path: "r.csv", Format: "redmine-csv"}, "Key,Type\nA-1,Bug\n",
			"tickets r.csv line 1: no '#' column, so this is not a Redmine export (use format csv with id_column for other files); columns: Key, Type", false},
		{"csv id column", Source{Path: "g.csv", Format: "csv", IDColumn: "Reff", Origin: "config .triage.yaml line 6"}, "Ref,Kind\n1,Bug\n",
			"tickets g.csv line 1: id column 'Reff' (set by config .triage.yaml line 6) not found; did you mean 'Ref'? (columns: Ref, Kind)", false},
		{"csv without id column", Source{Path: "g.csv", Format: "csv"}, "Ref,Kind\n1,Bug\n",
			"tickets g.csv: a csv export needs its id column, and none is called id, key, ticket, issue, number: name it with id_column in the config's export entry", false},
		{"csv guessed id column", Source{Path: "g.csv", Format: "csv"}, "Title,Key\nx,\n",
			"tickets g.csv line 2: the id cell (column 'Key') is empty: fill it or remove the row", false},
		{"csv empty id", Source{Path: "g.csv", Format: "csv", IDColumn: "Ref"}, "Ref,Kind\n1,Bug\n,Bug\n",
			"tickets g.csv line 3: the id cell (column 'Ref') is empty: fill it or remove the row", false},
		{"cannot guess", Source{Path: "x.csv"}, "a,b\n1,2\n",
			"tickets x.csv: cannot tell which tracker wrote this file (not a JSON list of issues, and no 'Issue key' or '#' column): give its format, one of jira-csv, redmine-csv, github-json, csv (with --tickets-format, or format: in the config)", false},
		{"unknown format", Source{Path: "x.csv", Format: "yaml"}, "a\n",
			"tickets x.csv: unknown format 'yaml': use one of jira-csv, redmine-csv, github-json, csv", false},
		{"json syntax", Source{Path: "i.json", Format: "github-json"}, "[\n  {\"number\": 1,\n   \"title\": \"x\"\n  ,}\n]\n",
			"tickets i.json line 4: invalid JSON: invalid character '}' looking for beginning of object key string; produce the file with gh issue list --json number,title,labels,state", false},
		{"json truncated", Source{Path: "i.json", Format: "github-json"}, "[\n  {\"number\": 1,\n",
			"tickets i.json line 3: the JSON ends early (truncated file?): produce the file again with gh issue list --json number,title,labels,state", false},
		{"json not a list", Source{Path: "i.json", Format: "github-json"}, "{\"number\": 1}\n",
			"tickets i.json line 1: expected a JSON list of issues, found a JSON object: produce the file with gh issue list --json number,title,labels,state", false},
		{"json no number", Source{Path: "i.json", Format: "github-json"}, "[\n  {\"number\": 1},\n  {\"title\": \"x\"}\n]",
			"tickets i.json line 3: issue 2: it has no \"number\"; produce the file with gh issue list --json number,title,labels,state", false},
		{"json number as text", Source{Path: "i.json", Format: "github-json"}, "[{\"number\": \"1\"}]",
			"tickets i.json line 1: issue 1: its \"number\" is not a number; produce the file with gh issue list --json number,title,labels,state", false},
		{"json fractional number", Source{Path: "i.json", Format: "github-json"}, "[{\"number\": 1.5}]",
			"tickets i.json line 1: issue 1: its \"number\" 1.5 is not an issue number; produce the file with gh issue list --json number,title,labels,state", false},
		{"json labels", Source{Path: "i.json", Format: "github-json"}, "[{\"number\": 1, \"labels\": \"bug\"}]",
			"tickets i.json line 1: issue 1: its \"labels\" is not a list; produce the file with gh issue list --json number,title,labels,state", false},
		{"json item not an object", Source{Path: "i.json", Format: "github-json"}, "[\n 1,\n 2\n]",
			"tickets i.json line 2: issue 1 is not a JSON object: produce the file with gh issue list --json number,title,labels,state", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadExport(c.src, []byte(c.data))
			if c.want == "" {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", c.want)
			}
			if got := err.Error(); c.substr && !strings.HasPrefix(got, c.want) || !c.substr && got != c.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}
