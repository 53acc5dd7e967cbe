package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/triage-dev/triage/internal/gate"
)

// The JUnit XML that Jenkins and GitLab test reports read: one test suite for
// the gate, one test case per commit of the branch, plus one for the branch
// as a whole when the policy bounds its risk.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// writeGateJUnit writes the report as JUnit XML. A commit fails when it has
// an error left unwaived; its failure carries every such violation with
// evidence and fix. Warnings, waived violations and notes go to system-out.
// encoding/xml escapes markup and replaces characters XML cannot hold, so
// any commit subject gives a valid document.
func writeGateJUnit(w io.Writer, meta GateMeta, res *gate.Result) error {
	suite := junitSuite{Name: "triage gate " + meta.Range}
	suite.Properties = append(suite.Properties, junitProperty{"range", meta.Range}, junitProperty{"base", meta.Base}, junitProperty{"head", meta.Head})
	if meta.Source != "" {
		suite.Properties = append(suite.Properties, junitProperty{"source", meta.Source}, junitProperty{"source_head", meta.SourceHead})
	}
	suite.Properties = append(suite.Properties, junitProperty{"policy", gatePolicyText(res.Policy)})
	for _, c := range res.Commits {
		tc := junitCase{Name: gateOneLine(CommitLabel(c.Commit) + " " + c.Commit.Subject), Classname: "triage.gate"}
		var out []string
		out = append(out, c.Notes...)
		if c.Inherited != "" {
			out = append(out, c.Inherited)
		}
		if c.Commit.Merge {
			tc.Skipped = &junitSkipped{Message: strings.Join(c.Notes, "; ")}
		}
		tc.Failure, out = junitFailureOf(c.Violations, out)
		tc.SystemOut = strings.Join(out, "\n")
		suite.Cases = append(suite.Cases, tc)
	}
	if res.Policy.MaxRisk != "" {
		tc := junitCase{Name: "the branch as a whole (max_risk " + res.Policy.MaxRisk + ")", Classname: "triage.gate"}
		tc.Failure, _ = junitFailureOf(res.Branch, nil)
		suite.Cases = append(suite.Cases, tc)
	}
	for _, tc := range suite.Cases {
		suite.Tests++
		switch {
		case tc.Failure != nil:
			suite.Failures++
		case tc.Skipped != nil:
			suite.Skipped++
		}
	}
	doc := junitSuites{Name: "triage gate", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitFailureOf gathers the failing violations into one failure element
// (JUnit allows one per test case) and appends the others to out.
func junitFailureOf(vs []gate.Violation, out []string) (*junitFailure, []string) {
	var failing []gate.Violation
	for _, v := range vs {
		if v.Fails() {
			failing = append(failing, v)
			continue
		}
		line := fmt.Sprintf("%s %s: %s", v.Severity, v.Rule, v.Message)
		if v.Waiver != nil {
			line = fmt.Sprintf("waived %s (%s: %s)", line, v.Waiver.Subject(), v.Waiver.Reason)
		} else {
			line += "\n  fix: " + v.Fix
		}
		out = append(out, line)
	}
	if len(failing) == 0 {
		return nil, out
	}
	var rules, text []string
	for _, v := range failing {
		rules = append(rules, string(v.Rule))
		block := fmt.Sprintf("%s: %s", v.Rule, v.Message)
		for _, e := range v.Evidence {
			block += "\n  evidence: " + e
		}
		block += "\n  fix: " + v.Fix
		text = append(text, block)
	}
	msg := failing[0].Message
	if len(failing) > 1 {
		msg = fmt.Sprintf("%d violations: %s", len(failing), strings.Join(rules, ", "))
	}
	return &junitFailure{Message: msg, Type: strings.Join(gateDedupe(rules), ","), Text: strings.Join(text, "\n")}, out
}

func gateDedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}
