package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/triage-dev/triage/internal/classify"
)

// Selector picks commits for --keep and --drop.
type Selector struct {
	Kind  string // class, ticket, commit, rev, path, author
	Value string
	rev   int
}

// SelectorKinds are the selector kinds, with what each matches.
var SelectorKinds = []string{"class:NAME", "ticket:ID", "commit:SHA", "rev:N", "path:GLOB", "author:TEXT"}

func (s Selector) String() string { return s.Kind + ":" + s.Value }

// specificity ranks selectors so that the one naming a commit most precisely
// decides when a keep and a drop selector both match it.
func (s Selector) specificity() int {
	switch s.Kind {
	case "commit", "rev":
		return 4
	case "ticket":
		return 3
	case "path", "author":
		return 2
	}
	return 1
}

// ParseSelector reads one selector, e.g. "class:recette-fix" or "ticket:PAY-110".
func ParseSelector(text string) (Selector, error) {
	kind, value, ok := strings.Cut(text, ":")
	kind = strings.ToLower(strings.TrimSpace(kind))
	value = strings.TrimSpace(value)
	valid := "use " + strings.Join(SelectorKinds, ", ") + " (e.g. --keep class:recette-fix --keep ticket:PAY-110)"
	if !ok {
		return Selector{}, fmt.Errorf("selector %q has no kind: %s", text, valid)
	}
	if value == "" {
		return Selector{}, fmt.Errorf("selector %q has no value: %s", text, valid)
	}
	s := Selector{Kind: kind, Value: value}
	switch kind {
	case "class", "ticket", "author":
	case "commit":
		s.Value = strings.ToLower(value)
		if len(value) < 4 || len(value) > 40 || strings.Trim(s.Value, "0123456789abcdef") != "" {
			return Selector{}, fmt.Errorf("selector %q: %q is not a commit SHA or a prefix of one (4 to 40 hex digits, e.g. commit:9616c5b)", text, value)
		}
	case "rev":
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(value), "r"))
		if err != nil || n <= 0 {
			return Selector{}, fmt.Errorf("selector %q: %q is not a Subversion revision (e.g. rev:24911 or rev:r24911)", text, value)
		}
		s.rev = n
	case "path":
		if !doublestar.ValidatePattern(value) {
			return Selector{}, fmt.Errorf("selector %q: %q is not a valid glob (e.g. path:'src/payment/**' or path:'*.sql')", text, value)
		}
	default:
		return Selector{}, fmt.Errorf("unknown selector kind %q in %q: %s", kind, text, valid)
	}
	return s, nil
}

// ParseSelectors reads a list of selectors, failing on the first bad one.
func ParseSelectors(texts []string) ([]Selector, error) {
	var out []Selector
	for _, t := range texts {
		s, err := ParseSelector(t)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Match tells whether a classified commit is selected.
func (s Selector) Match(r *classify.Result) bool {
	c := r.Commit
	switch s.Kind {
	case "class":
		return strings.EqualFold(r.Class, s.Value)
	case "ticket":
		for _, t := range r.Tickets {
			if strings.EqualFold(t, s.Value) {
				return true
			}
		}
	case "commit":
		return strings.HasPrefix(c.Hash.String(), s.Value)
	case "rev":
		return c.SvnRev == s.rev
	case "path":
		for _, fc := range c.Changes {
			for _, p := range []string{fc.NewPath, fc.OldPath} {
				if p != "" {
					if ok, _ := doublestar.Match(s.Value, p); ok {
						return true
					}
				}
			}
		}
	case "author":
		v := strings.ToLower(s.Value)
		return strings.Contains(strings.ToLower(c.Author.Name), v) || strings.Contains(strings.ToLower(c.Author.Email), v)
	}
	return false
}
