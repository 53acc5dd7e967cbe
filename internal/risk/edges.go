package risk

import (
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Edge kinds, as the deps package names them.
const (
	KindLine     = "line"
	KindAdjacent = "adjacent"
	KindFile     = "file"
	KindRename   = "rename"
	KindRevert   = "revert"
	KindSymbol   = "symbol"
)

// Edge is one dependency between two commits of the range: Commit needs
// DependsOn. It mirrors deps' edges as plain data, so risk does not depend on
// how the graph is built.
type Edge struct {
	Commit    plumbing.Hash
	DependsOn plumbing.Hash
	Kind      string
	Path      string
	Lines     string // e.g. "12-14", in DependsOn's lines as Commit saw them
	Evidence  string // the token for symbol edges, the message line for reverts
}

// FixFunc tells whether a commit is a fix. The command passes the classifier's
// answer; KeywordFix is the fallback for history the classifier cannot see.
type FixFunc func(*vcs.Commit) bool

var fixWords = regexp.MustCompile(`(?i)(^|[^\pL\pN_])(fix|fixes|fixed|fixing|bugfix|hotfix|bug|bugs|correctif|corrige|correction|anomalie|r[eé]gression)([^\pL\pN_]|$)`)

// KeywordFix recognises fixes by the words of their message, in English and
// French (fix, fixes, fixed, bug, bugfix, hotfix, correctif, corrige,
// correction, anomalie, régression), as SZZ studies do. Reverts are not fixes.
func KeywordFix(c *vcs.Commit) bool {
	if strings.HasPrefix(c.Subject, "Revert \"") {
		return false
	}
	return fixWords.MatchString(c.Message)
}

var revertLine = regexp.MustCompile(`This reverts commit ([0-9a-fA-F]{7,40})`)

// revertTargets returns the SHA prefixes a commit message says it reverts.
func revertTargets(msg string) []string {
	var out []string
	for _, m := range revertLine.FindAllStringSubmatch(msg, -1) {
		out = append(out, strings.ToLower(m[1]))
	}
	return out
}

// isFixup tells a fixup!/squash!/amend! binding (which deps reports as a
// revert edge, since it must travel with its target) from a real revert.
func isFixup(e Edge) bool {
	return e.Kind == KindRevert && (strings.HasPrefix(e.Evidence, "fixup!") || strings.HasPrefix(e.Evidence, "squash!") ||
		strings.HasPrefix(e.Evidence, "amend!"))
}
