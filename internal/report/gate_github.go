package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triage-dev/triage/internal/gate"
)

// writeGateGitHub writes GitHub Actions workflow commands: one ::error or
// ::warning annotation per violation left unwaived, a ::notice per waived
// one, a ::warning per unused waiver, then the verdict as a plain log line.
// See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
func writeGateGitHub(w io.Writer, meta GateMeta, res *gate.Result) error {
	bw := bufio.NewWriter(w)
	for _, v := range res.Violations() {
		command := string(v.Severity) // error | warning
		msg := v.Message
		for _, e := range v.Evidence {
			msg += "\n- " + e
		}
		if v.Waiver != nil {
			command = "notice"
			msg = fmt.Sprintf("waived (%s: %s): %s", v.Waiver.Subject(), v.Waiver.Reason, msg)
		} else {
			msg += "\nfix: " + v.Fix
		}
		title := fmt.Sprintf("triage gate: %s", v.Rule)
		if !v.Commit.IsZero() {
			title += " (" + v.Commit.String()[:7] + ")"
		}
		path, line := v.Path, v.Line
		if path == "" && v.Commit.IsZero() && res.Policy.Line > 0 {
			path, line = meta.configPath(), res.Policy.Line
		}
		writeWorkflowCommand(bw, command, path, line, title, msg)
	}
	for _, u := range res.UnusedWaivers {
		path := ""
		if u.Waiver.Line > 0 {
			path = meta.configPath()
		}
		writeWorkflowCommand(bw, "warning", path, u.Waiver.Line, "triage gate: unused waiver",
			fmt.Sprintf("waiver for %s (%s) %s", u.Waiver.Subject(), u.Waiver.Reason, u.Why))
	}
	fmt.Fprintln(bw, gateOneLine(gateVerdict(meta, res)))
	return bw.Flush()
}

// writeWorkflowCommand writes "::command file=F,line=N,title=T::message",
// leaving out the properties that are empty.
func writeWorkflowCommand(w io.Writer, command, file string, line int, title, message string) {
	var props []string
	if file != "" {
		props = append(props, "file="+escapeGitHubProperty(file))
		if line > 0 {
			props = append(props, "line="+strconv.Itoa(line))
		}
	}
	if title != "" {
		props = append(props, "title="+escapeGitHubProperty(title))
	}
	fmt.Fprintf(w, "::%s", command)
	if len(props) > 0 {
		fmt.Fprintf(w, " %s", strings.Join(props, ","))
	}
	fmt.Fprintf(w, "::%s\n", escapeGitHubData(message))
}

// escapeGitHubData escapes a workflow command's message as the runner
// unescapes it (actions/toolkit, command.ts: escapeData).
func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeGitHubProperty escapes a property value: the message's escapes, and
// the ':' and ',' that would end the value (command.ts: escapeProperty).
func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
