package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestTableShortensOnlyInnerSubjects(t *testing.T) {
	long := strings.Repeat("x", 100)
	path := "src/" + strings.Repeat("deep/", 20) + "File.java:12-14"
	var buf bytes.Buffer
	doc := &Document{Main: Table{Columns: []string{"Where", "Subject", "Why"}, Rows: [][]string{{path, long, long}}}}
	if err := (tablePrinter{}).Print(&buf, doc); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(buf.String(), "\n")[2]
	if !strings.Contains(row, path) {
		t.Errorf("the path was shortened: %q", row)
	}
	if !strings.Contains(row, strings.Repeat("x", 71)+"…") || strings.Contains(row, strings.Repeat("x", 72)+" ") {
		t.Errorf("the inner subject is not cut at 72 runes: %q", row)
	}
	if !strings.HasSuffix(row, long) {
		t.Errorf("the last column must run on whole: %q", row)
	}
	var csvOut bytes.Buffer
	(csvPrinter{}).Print(&csvOut, doc)
	if strings.Count(csvOut.String(), long) != 2 {
		t.Errorf("csv must keep every subject whole")
	}
}
