package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/gate"
	"github.com/triage-dev/triage/internal/vcs"
)

func gateHash(prefix string) plumbing.Hash {
	return plumbing.NewHash(prefix + strings.Repeat("0", 40-len(prefix)))
}

func gateCommit(prefix, subject, path string) *vcs.Commit {
	c := &vcs.Commit{Hash: gateHash(prefix), Subject: subject, Message: subject + "\n"}
	if path != "" {
		c.Changes = []vcs.FileChange{{Status: vcs.Modified, OldPath: path, NewPath: path, Hunks: []vcs.Hunk{{NewStart: 7, NewLines: 1}}}}
	}
	return c
}

// sampleGate is a branch that breaks every rule once, with a waiver, a
// warning, a merge and hostile characters in a subject and a path.
func sampleGate(t *testing.T) (GateMeta, *gate.Result) {
	t.Helper()
	feature := gateCommit("9616c5b", "PAY-109: reduced booking rate", "pricing/Rates.java")
	fix := gateCommit("c0ffee1", "PAY-110: student rate, not for groups", "pricing/PriceCalculator.java")
	invoice := gateCommit("c0ffee2", "PAY-110: name the rate on the invoice", "invoice/Invoice,Formatter:java")
	prod := gateCommit("a1b2c3d", "PAY-107: round half-up", "money/Money.java")
	prod.SvnRev = 24913
	card := gateCommit("f00d001", "PAY-120: new card form", "web/cardForm.jsp")
	source := []gate.Commit{
		{Commit: feature, Class: "feature", Tickets: []string{"PAY-109"}},
		{Commit: prod, Class: "prod-fix", Tickets: []string{"PAY-107"}},
		{Commit: fix, Class: "recette-fix", Tickets: []string{"PAY-110"}},
		{Commit: invoice, Class: "recette-fix", Tickets: []string{"PAY-110"}},
		{Commit: card, Class: "feature", Tickets: []string{"PAY-120"}},
	}
	edges := []deps.Edge{
		{Commit: fix.Hash, DependsOn: feature.Hash, Kind: deps.Line, Path: "pricing/PriceCalculator.java", Lines: []deps.LineRange{{Start: 14, Count: 1}}},
		{Commit: invoice.Hash, DependsOn: feature.Hash, Kind: deps.Symbol, Path: "invoice/Invoice,Formatter:java", Lines: []deps.LineRange{{Start: 42, Count: 1}}, Evidence: "REDUCED_BOOK_RATE"},
	}
	pickOf := func(prefix string, src *vcs.Commit) *vcs.Commit {
		c := *src
		c.Hash = gateHash(prefix)
		return &c
	}
	hostile := gateCommit("bad0001", "100% <done> & \"quoted\" a:b, c\r\n::error::forged\x01", "odd%path,with:colons.txt")
	merge := gateCommit("3e46e01", "Merge branch 'hotfix/PAY-111' into release/1.5", "")
	merge.Merge = true
	branch := []gate.Commit{
		{Commit: pickOf("1000001", prod), Class: "prod-fix", Tickets: []string{"PAY-107"}},
		{Commit: pickOf("1000003", fix), Class: "recette-fix", Tickets: []string{"PAY-110"}},
		{Commit: pickOf("1000004", invoice), Class: "recette-fix", Tickets: []string{"PAY-110"}},
		{Commit: pickOf("2000001", card), Class: "feature", Tickets: []string{"PAY-120"}},
		{Commit: hostile, Class: "unclassified"},
		{Commit: merge, Class: "merge"},
	}
	origins := map[plumbing.Hash]gate.Origin{
		gateHash("1000001"): {Source: prod.Hash, Via: "svn merge record r24913"},
		gateHash("1000003"): {Source: fix.Hash, Via: "cherry picked from line"},
		gateHash("1000004"): {Source: invoice.Hash, Via: "same patch-id"},
		gateHash("2000001"): {Source: card.Hash, Via: "cherry picked from line"},
	}
	risk := map[plumbing.Hash]gate.CommitRisk{
		gateHash("1000001"): {Score: 12, Level: "low"},
		gateHash("1000003"): {Score: 88, Level: "high", Why: []string{"touches pricing/, where 4 of 9 past commits were fixes", "100% of\r\nits lines: new"}},
	}
	policy := gate.Policy{RequireTicket: true, Allow: []string{"prod-fix", "recette-fix"}, AllowRequired: true, Source: "recette",
		DependencySafe: true, MaxRisk: "medium", ConfigPath: ".triage.yaml", Line: 20,
		Waivers: []gate.Waiver{{Ticket: "PAY-120", Reason: "approved by release board 2011-02-18", Line: 28}, {Commit: "deadbee", Reason: "old", Line: 29}}}
	res, err := gate.Check(gate.Input{Policy: policy, DefaultClass: "unclassified", Branch: branch, SourceCommits: source,
		Edges: edges, Origins: origins, Risk: risk, BranchRisk: &gate.BranchRisk{Level: "high", Reasons: []string{"2 files in states nobody tested"}}})
	if err != nil {
		t.Fatal(err)
	}
	meta := GateMeta{Range: "v1.4.0..release/1.5", Base: gateHash("b45e").String(), Head: gateHash("4ead").String(),
		Source: "recette", SourceHead: gateHash("5ce").String(), ConfigPath: ".triage.yaml"}
	return meta, res
}

func printGate(t *testing.T, format string) []byte {
	t.Helper()
	meta, res := sampleGate(t)
	p, err := New(format, Options{}, GateFormats...)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.Print(&buf, Gate(meta, res)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGateGolden(t *testing.T) {
	for _, f := range []struct{ format, golden string }{
		{"text", "gate.txt"}, {"github", "gate.github"}, {"gitlab", "gate.gitlab.json"}, {"junit", "gate.junit.xml"},
		{"json", "gate.json"}, {"markdown", "gate.md"}, {"table", "gate.table"},
	} {
		t.Run(f.format, func(t *testing.T) { assertGolden(t, f.golden, printGate(t, f.format)) })
	}
	meta, res := sampleGate(t)
	var buf bytes.Buffer
	if err := GateSummary(&buf, meta, res); err != nil {
		t.Fatal(err)
	}
	assertGolden(t, "gate.summary.md", buf.Bytes())
}

// workflowCommand is GitHub's syntax: ::name key=value,key=value::message,
// one per line, properties and message escaped.
var workflowCommand = regexp.MustCompile(`^::(error|warning|notice)(?: ([^:]*))?::(.*)$`)

func unescapeGitHub(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

func TestGateGitHubAnnotationsFollowTheSyntax(t *testing.T) {
	out := string(printGate(t, "github"))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	_, res := sampleGate(t)
	var commands, messages []string
	for _, line := range lines[:len(lines)-1] {
		m := workflowCommand.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a workflow command: %q", line)
		}
		commands = append(commands, m[1])
		messages = append(messages, unescapeGitHub(m[3]))
		if !regexp.MustCompile(`^([^%\r]|%25|%0A|%0D)*$`).MatchString(m[3]) {
			t.Errorf("message escaping: %q", m[3])
		}
		if m[2] == "" {
			continue
		}
		for _, prop := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(prop, "=")
			if !ok || (k != "file" && k != "line" && k != "title") {
				t.Errorf("property %q in %q", prop, line)
			}
			if !regexp.MustCompile(`^([^%:,\r]|%25|%0A|%0D|%3A|%2C)*$`).MatchString(v) {
				t.Errorf("property value escaping: %q", v)
			}
		}
	}
	want := []string{"error", "error", "warning", "notice", "error", "error", "error", "error", "warning"}
	if strings.Join(commands, " ") != strings.Join(want, " ") {
		t.Errorf("commands %v, want %v", commands, want)
	}
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "::") || !strings.HasPrefix(last, "FAILED: ") {
		t.Errorf("last line %q", last)
	}
	// Every message comes back intact once unescaped, raw newlines, \r and % included.
	for i, v := range res.Violations() {
		want := v.Message
		for _, e := range v.Evidence {
			want += "\n- " + e
		}
		if v.Waiver != nil {
			want = "waived (" + v.Waiver.Subject() + ": " + v.Waiver.Reason + "): " + want
		} else {
			want += "\nfix: " + v.Fix
		}
		if messages[i] != want {
			t.Errorf("message %d does not round-trip:\n got %q\nwant %q", i, messages[i], want)
		}
	}
	if !strings.Contains(lines[4], "file=odd%25path%2Cwith%3Acolons.txt,line=7,title=triage gate%3A require_ticket (bad0001)::") {
		t.Errorf("properties of %q", lines[4])
	}
}

func TestGateJUnitIsValidXML(t *testing.T) {
	out := printGate(t, "junit")
	// Well-formed: every token decodes.
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v\n%s", err, out)
		}
	}
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Suites[0]
	if doc.Tests != 7 || s.Tests != 7 || s.Failures != 3 || s.Skipped != 1 || doc.Failures != 3 {
		t.Errorf("counts: %d tests, %d failures, %d skipped", s.Tests, s.Failures, s.Skipped)
	}
	var failing []string
	for _, c := range s.Cases {
		if c.Failure != nil {
			failing = append(failing, c.Name[:7]+" "+c.Failure.Type)
		}
	}
	want := []string{"1000003 dependency_safe,max_risk", "bad0001 require_ticket,allow,source", "the bra max_risk"}
	if strings.Join(failing, "|") != strings.Join(want, "|") {
		t.Errorf("failing %q", failing)
	}
	// The subject survives the round trip, its control character replaced.
	hostile := s.Cases[4].Name
	if !strings.Contains(hostile, "100% <done> & \"quoted\" a:b, c") || strings.ContainsRune(hostile, '\x01') {
		t.Errorf("name %q", hostile)
	}
}

func TestGateGitLabCodeQuality(t *testing.T) {
	var issues []map[string]any
	if err := json.Unmarshal(printGate(t, "gitlab"), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 7 {
		t.Fatalf("%d issues", len(issues))
	}
	seen := map[string]bool{}
	for _, is := range issues {
		for _, k := range []string{"description", "check_name", "fingerprint", "severity"} {
			if s, _ := is[k].(string); s == "" {
				t.Errorf("%s missing in %v", k, is)
			}
		}
		loc := is["location"].(map[string]any)
		if loc["path"].(string) == "" || loc["lines"].(map[string]any)["begin"].(float64) < 1 {
			t.Errorf("location %v", loc)
		}
		fp := is["fingerprint"].(string)
		if seen[fp] {
			t.Errorf("fingerprint %s twice", fp)
		}
		seen[fp] = true
		if sev := is["severity"]; sev != "major" && sev != "minor" {
			t.Errorf("severity %v", sev)
		}
	}
}
