package report

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/triage-dev/triage/internal/gate"
)

// CodeQualityIssue is one entry of a GitLab code quality report (the subset
// of the Code Climate format GitLab reads).
type CodeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"` // info | minor | major | critical | blocker
	Location    CodeQualityLocation `json:"location"`
}

// CodeQualityLocation is where GitLab shows the issue.
type CodeQualityLocation struct {
	Path  string           `json:"path"`
	Lines CodeQualityLines `json:"lines"`
}

// CodeQualityLines holds the first line of the issue.
type CodeQualityLines struct {
	Begin int `json:"begin"`
}

// writeGateGitLab writes the violations left unwaived as a GitLab code
// quality report (artifacts:reports:codequality): errors are major issues,
// warnings minor ones. Waived violations are left out: they are accepted.
func writeGateGitLab(w io.Writer, meta GateMeta, res *gate.Result) error {
	issues := []CodeQualityIssue{}
	for _, v := range res.Violations() {
		if v.Waiver != nil {
			continue
		}
		sev := "major"
		if v.Severity == gate.Warning {
			sev = "minor"
		}
		path, line := v.Path, v.Line
		if path == "" {
			path, line = meta.configPath(), res.Policy.Line
		}
		issues = append(issues, CodeQualityIssue{
			Description: fmt.Sprintf("%s. Fix: %s", v.Message, v.Fix),
			CheckName:   "triage-gate/" + string(v.Rule),
			Fingerprint: gateFingerprint(v),
			Severity:    sev,
			Location:    CodeQualityLocation{Path: path, Lines: CodeQualityLines{Begin: max(1, line)}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}

// gateFingerprint identifies a violation across runs, so GitLab can tell new
// issues from old ones: the rule, the commit and the commit depended on,
// never the wording.
func gateFingerprint(v gate.Violation) string {
	commit := "branch"
	if !v.Commit.IsZero() {
		commit = v.Commit.String()
	}
	sum := md5.Sum([]byte("triage-gate\x00" + string(v.Rule) + "\x00" + commit + "\x00" + v.DependsOn.String()))
	return hex.EncodeToString(sum[:])
}
