package classify

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"unicode"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/triage-dev/triage/internal/vcs"
)

// Built-in classes, used when the config defines no class rules. They are
// guesses (Result.Guessed) from the ticket types, the message, the branch and
// documentation paths. When a commit's tickets disagree, the fix class wins
// (prod-fix, then recette-fix, then feature) and the commit is mixed:
//
//   - revert: a revert ("Revert "…"", "revert:", "This reverts commit …").
//   - prod-fix: a production fix: a bug ticket whose environment or labels say
//     production, a "hotfix" in the subject or the branch name, "fix(prod):",
//     "correctif de production".
//   - recette-fix: a fix found in acceptance testing: a bug ticket (Bug,
//     Defect, Anomalie), conventional "fix:", or the words fix, bugfix, bug,
//     correctif, correction, corrige, anomalie, recette.
//   - feature: a ticket of type Story, New Feature, Improvement, Evolution…,
//     conventional "feat:" or "perf:", or the words feature, évolution,
//     fonctionnalité.
//   - chore: conventional docs, chore, refactor, test, ci, build, style;
//     changes to documentation only (docs/**, *.md, README…); "typo".
//   - merge: merge commits, as with a config.
//   - unclassified (or the config's default): nothing above applies.
const (
	ClassProdFix    = "prod-fix"
	ClassRecetteFix = "recette-fix"
	ClassFeature    = "feature"
	ClassChore      = "chore"
	ClassRevert     = "revert"
	ClassMerge      = "merge"
)

// BuiltinClasses lists the classes the built-in rules assign, besides the default.
var BuiltinClasses = []string{ClassProdFix, ClassRecetteFix, ClassFeature, ClassChore, ClassRevert, ClassMerge}

var (
	revertSubject   = regexp.MustCompile(`(?i)^revert\b`)
	revertBody      = regexp.MustCompile(`(?im)^this reverts commit [0-9a-f]{7,40}`)
	hotfixWord      = regexp.MustCompile(`(?i)\bhot[-_ ]?fix(es|ed)?\b`)
	prodFixFrench   = regexp.MustCompile(`\b(correctifs?|corrections?|fix(es)?) (de |en )?prod(uction)?\b`)
	conventional    = regexp.MustCompile(`(?i)^(\w+)(\(([^)]*)\))?!?:\s`)
	typoWord        = regexp.MustCompile(`\btypos?\b`)
	fixWords        = regexp.MustCompile(`\b(fix(es|ed|ing)?|bug ?fix(es)?|bugs?|correctifs?|corrections?|corrige[rsz]?|anomalies?|recette|regressions?)\b`)
	featureWords    = regexp.MustCompile(`\b(features?|evolutions?|fonctionnalites?)\b`)
	prodScopes      = map[string]bool{"prod": true, "production": true, "hotfix": true}
	conventionalMap = map[string]string{
		"feat": ClassFeature, "feature": ClassFeature, "perf": ClassFeature,
		"fix": ClassRecetteFix, "bugfix": ClassRecetteFix,
		"hotfix": ClassProdFix,
		"docs":   ClassChore, "doc": ClassChore, "chore": ClassChore, "refactor": ClassChore, "test": ClassChore,
		"tests": ClassChore, "ci": ClassChore, "build": ClassChore, "style": ClassChore,
		"revert": ClassRevert,
	}
	bugTypes     = map[string]bool{"bug": true, "defect": true, "anomalie": true, "anomaly": true, "incident": true, "regression": true}
	featureTypes = map[string]bool{"story": true, "user story": true, "new feature": true, "feature": true, "improvement": true,
		"enhancement": true, "evolution": true, "epic": true}
)

// guess is one built-in decision.
type guess struct {
	class, rule, evidence string
}

// guessFromTicket classifies one ticket by its type, or ok=false.
func guessFromTicket(t *Ticket) (guess, bool) {
	typ := fold(t.Type)
	switch {
	case bugTypes[typ]:
		for _, f := range []string{"environment", "environnement", "labels"} {
			for _, v := range t.Field(f) {
				if p := fold(v); p == "production" || p == "prod" {
					return guess{ClassProdFix, "builtin: production bug ticket", fmt.Sprintf("%s type=%s, %s=%s", t.ID, t.Type, f, v)}, true
				}
			}
		}
		return guess{ClassRecetteFix, "builtin: bug ticket", fmt.Sprintf("%s type=%s", t.ID, t.Type)}, true
	case featureTypes[typ]:
		return guess{ClassFeature, "builtin: feature ticket", fmt.Sprintf("%s type=%s", t.ID, t.Type)}, true
	}
	return guess{}, false
}

// guessRevert recognises a revert, which comes before the tickets: a revert's
// subject quotes the reverted commit's, tickets included.
func guessRevert(c *vcs.Commit) (guess, bool) {
	subject := strings.TrimSpace(readable(c.Subject))
	switch {
	case revertSubject.MatchString(subject):
		return guess{ClassRevert, "builtin: revert", fmt.Sprintf("subject starts with '%s'", firstWord(subject))}, true
	case revertBody.MatchString(readable(c.Message)):
		return guess{ClassRevert, "builtin: revert", "message says 'This reverts commit'"}, true
	}
	return guess{}, false
}

// guessFromMessage classifies a commit from its message and branch, and its
// paths when they are all documentation.
func guessFromMessage(c *vcs.Commit, branch string) (guess, bool) {
	subject := strings.TrimSpace(readable(c.Subject))
	folded := fold(subject)
	if m := hotfixWord.FindString(subject); m != "" {
		return guess{ClassProdFix, "builtin: hotfix keyword", fmt.Sprintf("subject contains '%s'", m)}, true
	}
	if m := prodFixFrench.FindString(folded); m != "" {
		return guess{ClassProdFix, "builtin: French keyword " + m, fmt.Sprintf("subject contains '%s'", m)}, true
	}
	if m := conventional.FindStringSubmatch(subject); m != nil {
		typ, scope := strings.ToLower(m[1]), strings.ToLower(m[3])
		if class, ok := conventionalMap[typ]; ok {
			if class == ClassRecetteFix && prodScopes[scope] {
				class = ClassProdFix
			}
			return guess{class, "builtin: conventional commit " + typ, fmt.Sprintf("subject starts with '%s'", strings.TrimSpace(m[0]))}, true
		}
	}
	if m := hotfixWord.FindString(branch); m != "" {
		return guess{ClassProdFix, "builtin: hotfix branch", fmt.Sprintf("merged from branch %s", branch)}, true
	}
	if docsOnly(c) {
		return guess{ClassChore, "builtin: documentation only", "every changed path is documentation"}, true
	}
	if m := typoWord.FindString(folded); m != "" {
		return guess{ClassChore, "builtin: typo keyword", "subject contains 'typo'"}, true
	}
	if m := fixWords.FindString(folded); m != "" {
		return guess{ClassRecetteFix, keywordRule(m, "fix"), fmt.Sprintf("subject contains '%s'", m)}, true
	}
	if m := featureWords.FindString(folded); m != "" {
		return guess{ClassFeature, keywordRule(m, "feature"), fmt.Sprintf("subject contains '%s'", m)}, true
	}
	return guess{}, false
}

// docPaths are the paths a documentation-only commit touches.
var docPaths = []string{"docs/**", "doc/**", "**/*.md", "**/*.markdown", "**/*.adoc", "**/*.rst", "**/README*", "**/CHANGELOG*", "**/LICENSE*", "**/AUTHORS*", "**/CONTRIBUTING*"}

func docsOnly(c *vcs.Commit) bool {
	if len(c.Changes) == 0 {
		return false
	}
	for i := range c.Changes {
		ch := &c.Changes[i]
		for _, p := range []string{ch.OldPath, ch.NewPath} {
			if p != "" && !matchesAny(docPaths, p) {
				return false
			}
		}
	}
	return true
}

func matchesAny(globs []string, p string) bool {
	for _, g := range globs {
		if doublestar.MatchUnvalidated(g, p) {
			return true
		}
	}
	return false
}

// guessRank orders built-in classes when a commit's tickets disagree, as
// config rules are ordered: fixes first.
var guessRank = map[string]int{ClassProdFix: 0, ClassRecetteFix: 1, ClassFeature: 2}

var frenchWords = regexp.MustCompile(`^(correctif|correction|corrige|anomalie|recette|evolution|fonctionnalite)`)

func keywordRule(word, kind string) string {
	if frenchWords.MatchString(word) {
		return "builtin: French keyword " + word
	}
	return "builtin: " + kind + " keyword"
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " :(\""); i > 0 {
		return s[:i]
	}
	return s
}

// fold lowercases and strips accents, so "Évolution" and "evolution" are one keyword.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
