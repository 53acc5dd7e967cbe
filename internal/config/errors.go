package config

import (
	"fmt"
	"strings"
)

// Error is one problem in a config file. Line is 0 when the problem is the
// file as a whole (unreadable, not found).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config %s line %d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("config %s: %s", e.File, e.Msg)
}

// Errors is every problem found in one file, in file order, so a user fixes
// them in one pass instead of one run per typo.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// suggest returns the candidate closest to word when it is close enough to be a
// plausible typo, else "".
func suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	lw := strings.ToLower(word)
	for _, c := range candidates {
		d := editDistance(lw, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(word) <= 3 {
		limit = 1
	}
	if bestDist < 0 || bestDist > limit || bestDist == len(word) {
		return ""
	}
	return best
}

// Suggest is suggest for other packages that report names (columns, classes).
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }

// editDistance is the Levenshtein distance between a and b, counted in bytes:
// the names compared here are ASCII keys.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// didYouMean formats the hint appended to an unknown-name error: a suggestion
// when one is close, else the list of valid names.
func didYouMean(word string, valid []string, listName string) string {
	if s := suggest(word, valid); s != "" {
		return fmt.Sprintf("; did you mean '%s'?", s)
	}
	return fmt.Sprintf("; valid %s: %s", listName, strings.Join(valid, ", "))
}
