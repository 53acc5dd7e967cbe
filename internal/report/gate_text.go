package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/triage-dev/triage/internal/gate"
)

// writeGateText is the gate's default format: every commit on one line with
// its status, each violation under it with its evidence and fix, the branch's
// own violations, unused waivers, and the verdict last (what a CI log shows
// at the bottom).
func writeGateText(w io.Writer, meta GateMeta, res *gate.Result) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "triage gate %s\n", gateOneLine(meta.Range))
	fmt.Fprintf(bw, "policy: %s\n\n", gateOneLine(gatePolicyText(res.Policy)))
	for _, c := range res.Commits {
		head := CommitLabel(c.Commit)
		if len(c.Tickets) > 0 {
			head += " " + strings.Join(c.Tickets, " ")
		}
		if c.Class != "" {
			head += " [" + c.Class + "]"
		}
		fmt.Fprintf(bw, "%-6s  %s  %s\n", gateStatusWord(c.Status()), gateOneLine(head), gateOneLine(c.Commit.Subject))
		if c.Origin != nil && c.Origin.Via != gate.ViaSameCommit {
			fmt.Fprintf(bw, "        from %s: %s\n", gateOneLine(meta.Source), gateOneLine(gateOriginText(c.Origin)))
		}
		if c.Inherited != "" {
			fmt.Fprintf(bw, "        note: %s\n", gateOneLine(c.Inherited))
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "        note: %s\n", gateOneLine(n))
		}
		for _, v := range c.Violations {
			writeGateTextViolation(bw, v)
		}
	}
	if r := res.BranchRisk; r != nil {
		fmt.Fprintf(bw, "\nthe branch as a whole: %s risk\n", gateOneLine(r.Level))
		if len(res.Branch) == 0 {
			for _, why := range r.Reasons {
				fmt.Fprintf(bw, "        %s\n", gateOneLine(why))
			}
		}
	} else if len(res.Branch) > 0 {
		fmt.Fprintf(bw, "\nthe branch as a whole\n")
	}
	for _, v := range res.Branch {
		writeGateTextViolation(bw, v)
	}
	if len(res.UnusedWaivers) > 0 {
		fmt.Fprintf(bw, "\nunused waivers (remove them, or fix the SHA or ticket they name)\n")
		for _, u := range res.UnusedWaivers {
			fmt.Fprintf(bw, "        %s (%q): %s\n", gateOneLine(u.Waiver.Subject()), gateOneLine(u.Waiver.Reason), gateOneLine(u.Why))
		}
	}
	fmt.Fprintf(bw, "\n%s\n", gateOneLine(gateVerdict(meta, res)))
	return bw.Flush()
}

func writeGateTextViolation(w io.Writer, v gate.Violation) {
	sev := string(v.Severity)
	if v.Waiver != nil {
		sev = "waived " + sev
	}
	fmt.Fprintf(w, "        %s %s: %s\n", sev, v.Rule, gateOneLine(v.Message))
	for _, e := range v.Evidence {
		fmt.Fprintf(w, "          evidence: %s\n", gateOneLine(e))
	}
	if v.Waiver != nil {
		fmt.Fprintf(w, "          waived by %s: %s\n", gateOneLine(v.Waiver.Subject()), gateOneLine(v.Waiver.Reason))
		return
	}
	fmt.Fprintf(w, "          fix: %s\n", gateOneLine(v.Fix))
}

func gateStatusWord(s string) string {
	switch s {
	case "fail":
		return "FAIL"
	case "warn":
		return "WARN"
	case "waived":
		return "waived"
	}
	return "ok"
}

// oneLine keeps a value on its line: commit subjects and config strings may
// hold control characters that would forge lines in a CI log.
func gateOneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
