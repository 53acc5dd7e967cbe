package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

// assertGolden compares got with testdata/golden/NAME, or rewrites it with -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func sampleDocument() *Document {
	return &Document{
		Main: Table{Columns: []string{"Commit", "Class", "Subject"}, Rows: [][]string{
			{"9616c5b r24911", "feature", "PAY-109: reduced book rate | for students"},
			{"c0ffee1", "recette-fix", "PAY-110: rate *rounded* <twice>\nsecond line"},
			{"=cmd", "unclassified", "+SUM(A1:A2)"},
		}},
		Sections: []Section{{Title: "Commits per class", Table: Table{Columns: []string{"Class", "Commits"}, Rows: [][]string{{"feature", "1"}, {"total", "3"}}}}},
		Notes:    []string{"1 of 3 classes were guessed."},
		JSON:     map[string]any{"commits": []string{"9616c5b", "c0ffee1"}, "note": "<&>"},
	}
}

func TestPrintersGolden(t *testing.T) {
	cases := []struct {
		format string
		opts   Options
		golden string
	}{
		{"table", Options{}, "sample.table"},
		{"csv", Options{}, "sample.csv"},
		{"csv", Options{CSVSeparator: ';', BOM: true}, "sample-excel-fr.csv"},
		{"json", Options{}, "sample.json"},
		{"markdown", Options{}, "sample.md"},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			p, err := New(c.format, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := p.Print(&buf, sampleDocument()); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, c.golden, buf.Bytes())
		})
	}
}

func TestUnknownFormatNamesTheValidOnes(t *testing.T) {
	_, err := New("xml", Options{}, "dot")
	if err == nil || err.Error() != `unknown format "xml": use one of csv, dot, json, markdown, table` {
		t.Fatalf("got %v", err)
	}
}

func TestExtraFormatMissingFromDocument(t *testing.T) {
	p, err := New("dot", Options{}, "dot")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Print(&bytes.Buffer{}, &Document{}); err == nil {
		t.Fatal("want an error for a document without a dot renderer")
	}
}
