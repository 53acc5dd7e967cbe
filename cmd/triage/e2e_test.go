package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

func TestMain(m *testing.M) { gittest.Main(m) }

// triage runs the program as a user would and returns exit code, stdout, stderr.
func triage(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/triage -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got\n%s", name, got)
	}
}

func TestClassifyStoryEveryFormat(t *testing.T) {
	s := gittest.Story(t)
	for _, f := range []struct{ format, golden string }{
		{"table", "classify-story.table"},
		{"csv", "classify-story.csv"},
		{"json", "classify-story.json"},
		{"markdown", "classify-story.md"},
	} {
		t.Run(f.format, func(t *testing.T) {
			code, out, errs := triage(t, "classify", "--repo", s.Dir, "--format", f.format)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			assertGolden(t, f.golden, out)
		})
	}
}

func TestClassifyStoryFromSubdirectoryWithExplicitRange(t *testing.T) {
	s := gittest.Story(t)
	code, out, _ := triage(t, "classify", "v1.4.0..recette", "--repo", filepath.Join(s.Dir, "src"), "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(out, "\n"); n != 46 { // header + 45 commits
		t.Fatalf("%d lines, want 46", n)
	}
}

func TestClassifyFailOnUnclassified(t *testing.T) {
	s := gittest.Story(t)
	code, _, errs := triage(t, "classify", "--repo", s.Dir, "--fail-on-unclassified", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1", code)
	}
	if errs != "7 of 45 commits are unclassified: link them to a ticket, or add a rule to .triage.yaml\n" {
		t.Fatalf("stderr %q", errs)
	}
}

func TestClassifyWritesOutputFile(t *testing.T) {
	s := gittest.Story(t)
	out := filepath.Join(t.TempDir(), "triage.csv")
	code, stdout, _ := triage(t, "classify", "--repo", s.Dir, "--format", "csv", "--csv-sep", ";", "--bom", "-o", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\ufeffsha;short;svn_rev;date;author;email;tickets;class;rule;subject;files;added;deleted\n")) {
		t.Fatalf("file starts with %q", data[:80])
	}
}

func TestClassifyErrorsExitTwo(t *testing.T) {
	s := gittest.Story(t)
	badConfig := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(badConfig, []byte("classes:\n  - name: fix\n    tiket: {type: Bug}\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want string // substring of stderr
	}{
		{"unknown revision", []string{"classify", "v1.4.0..recete", "--repo", s.Dir}, "did you mean 'recette'?"},
		{"bad config", []string{"classify", "--repo", s.Dir, "--config", badConfig}, "line 3: unknown class field 'tiket'; did you mean 'ticket'?"},
		{"not a repository", []string{"classify", "a..b", "--repo", t.TempDir()}, "not a git repository"},
		{"missing config file", []string{"classify", "--repo", s.Dir, "--config", "/nonexistent/triage.yaml"}, "/nonexistent/triage.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := triage(t, c.args...)
			if code != exitError {
				t.Fatalf("exit %d, want 2; stderr %q", code, errs)
			}
			if out != "" {
				t.Errorf("stdout should be empty on error, got %q", out)
			}
			if !strings.Contains(errs, c.want) {
				t.Errorf("stderr %q does not say %q", errs, c.want)
			}
		})
	}
}

func TestClassifyWithoutRangeOrConfig(t *testing.T) {
	s := gittest.Story(t)
	code, _, errs := triage(t, "classify", "--repo", s.Dir, "--config", os.DevNull)
	if code != exitError || !strings.Contains(errs, "no range given") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}
