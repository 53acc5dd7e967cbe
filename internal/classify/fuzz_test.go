package classify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The readers face files people exported, edited in Excel and mailed around:
// whatever the bytes, they return tickets or an error, never a panic.

func checkExport(t *testing.T, exp *Export, err error) {
	if err != nil {
		if exp != nil {
			t.Fatalf("both an export and an error: %v", err)
		}
		if !strings.HasPrefix(err.Error(), "tickets ") {
			t.Fatalf("error does not name the file: %v", err)
		}
		return
	}
	for _, tk := range exp.Tickets {
		if tk.ID == "" || !utf8.ValidString(tk.ID) || !utf8.ValidString(tk.Summary) {
			t.Fatalf("bad ticket %+v", tk)
		}
		for k, vs := range tk.Fields {
			for _, v := range vs {
				if v == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatalf("bad field %q=%q", k, v)
				}
			}
		}
	}
}

func FuzzJiraCSV(f *testing.F) {
	f.Add(readSample(f, "jira-export.csv"))
	f.Add([]byte("Issue key,Labels,Labels\nA-1,\"x\ny\",\n"))
	f.Add([]byte("Issue key\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := ReadJiraCSV("f.csv", data)
		checkExport(t, exp, err)
	})
}

func FuzzRedmineCSV(f *testing.F) {
	f.Add(readSample(f, "redmine-export-fr.csv"))
	f.Add(readSample(f, "redmine-export-en-bom.csv"))
	f.Add([]byte("\xff\xfe#\x00;\x00T\x00\n\x001\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := ReadRedmineCSV("f.csv", data)
		checkExport(t, exp, err)
	})
}

func FuzzGithubJSON(f *testing.F) {
	f.Add(readSample(f, "github-issues.json"))
	f.Add([]byte(`[{"number": 1e3, "labels": [null, 3, {"name": 4}], "title": null}]`))
	f.Add([]byte(`[{"number": -1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := ReadGithubJSON("f.json", data)
		checkExport(t, exp, err)
	})
}

// FuzzExport runs format guessing and the generic reader on the same input.
func FuzzExport(f *testing.F) {
	for _, s := range []string{"jira-export.csv", "redmine-export-fr.csv", "github-issues.json", "generic.csv"} {
		f.Add(readSample(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := ReadExport(Source{Path: "f"}, data)
		checkExport(t, exp, err)
		exp, err = ReadCSV("f", data, "Ref")
		checkExport(t, exp, err)
	})
}

func FuzzTickets(f *testing.F) {
	for _, s := range []string{
		"PAY-1: fix\n\nRefs #12, #13 and #14\nFixes: 3f2a9c1\nTicket: 77",
		"Merge pull request #1 from o/hotfix/PAY-2", "GH-3 UTF-8 \xe9", "refs #",
	} {
		f.Add(s)
	}
	e := NewExtractor(nil)
	f.Fuzz(func(t *testing.T, msg string) {
		subject, _, _ := strings.Cut(msg, "\n")
		ids := e.Tickets(commit(msg))
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || seen[indexKey(id)] {
				t.Fatalf("%q: ids %q", msg, ids)
			}
			seen[indexKey(id)] = true
		}
		MergeBranch(subject)
	})
}
