package risk

import (
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/deps"
	"github.com/triage-dev/triage/internal/vcs"
)

// Edge kinds, as the deps package names them.
const (
	KindLine     = string(deps.Line)
	KindAdjacent = string(deps.Adjacent)
	KindFile     = string(deps.File)
	KindRename   = string(deps.Rename)
	KindRevert   = string(deps.Revert)
	KindSymbol   = string(deps.Symbol)
)

// Edge is one dependency between two commits of the range: Commit needs
// DependsOn. It mirrors deps' edges as plain data (see EdgesOf), so scoring
// and plan signals can be worked out by hand in tests.
type Edge struct {
	Commit    plumbing.Hash
	DependsOn plumbing.Hash
	Kind      string
	Path      string
	Lines     string // e.g. "12-14", in DependsOn's lines as Commit saw them
	Evidence  string // the token for symbol edges, the message line for reverts
}

// EdgesOf hands deps' graph to risk as plain data.
func EdgesOf(g *deps.Graph) []Edge {
	all := g.Edges()
	out := make([]Edge, len(all))
	for i, e := range all {
		out[i] = Edge{Commit: e.Commit, DependsOn: e.DependsOn, Kind: string(e.Kind), Path: e.Path,
			Lines: e.LinesText(), Evidence: e.Evidence}
	}
	return out
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

// isFixup tells a fixup!/squash!/amend! binding (which deps reports as a
// revert edge, since it must travel with its target) from a real revert.
func isFixup(e Edge) bool {
	return e.Kind == KindRevert && (strings.HasPrefix(e.Evidence, "fixup!") || strings.HasPrefix(e.Evidence, "squash!") ||
		strings.HasPrefix(e.Evidence, "amend!"))
}
