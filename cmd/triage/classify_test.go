package main

import (
	"bytes"
	"testing"
)

// parseClassify runs only the flag parsing of `triage classify`.
func parseClassify(t *testing.T, args ...string) (*classifyOptions, error) {
	return parseOnly(t, newClassifyCmd, args...)
}

func TestClassifyFlags(t *testing.T) {
	o, err := parseClassify(t, "v1.4.0..recette", "--repo", "/r", "--config", "c.yaml", "--tickets", "a.csv", "--tickets", "b.json",
		"--tickets-format", "jira-csv", "--format", "csv", "-o", "out.csv", "--csv-sep", ";", "--bom", "--fail-on-unclassified", "--no-progress")
	if err != nil {
		t.Fatal(err)
	}
	if o.Range[0] != "v1.4.0..recette" || o.Repo != "/r" || o.Config != "c.yaml" || len(o.Tickets) != 2 || o.TicketsFormat != "jira-csv" ||
		o.Format != "csv" || o.Output != "out.csv" || o.CSVSep != ";" || !o.BOM || !o.FailOnUnclassified || !o.NoProgress {
		t.Fatalf("options not parsed: %+v", o)
	}
}

func TestClassifyDefaults(t *testing.T) {
	o, err := parseClassify(t)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Range) != 0 || o.Repo != "." || o.Format != "table" || o.CSVSep != "," || o.BOM || o.FailOnUnclassified {
		t.Fatalf("defaults: %+v", o)
	}
}

func TestClassifyUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"a..b", "c..d"},
		{"--format", "xml"},
		{"--csv-sep", ";;"},
		{"--no-such-flag"},
	} {
		_, err := parseClassify(t, args...)
		if _, ok := err.(*usageError); !ok {
			t.Errorf("%q: want a usage error, got %T %v", args, err, err)
		}
	}
}

func TestRunExitCodeForUsageError(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(t.Context(), []string{"classify", "--format", "xml"}, &out, &errb)
	if code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	want := "triage: --format: unknown format \"xml\": use one of csv, json, markdown, table\nRun 'triage classify --help' for usage.\n"
	if errb.String() != want {
		t.Fatalf("stderr:\n%q\nwant\n%q", errb.String(), want)
	}
}

func TestRunUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"clasify"}, &out, &errb); code != exitError {
		t.Fatalf("exit %d, want 2", code)
	}
	if !bytes.Contains(errb.Bytes(), []byte(`Did you mean this?`)) || !bytes.Contains(errb.Bytes(), []byte("classify")) {
		t.Fatalf("stderr does not suggest classify: %s", errb.String())
	}
}
