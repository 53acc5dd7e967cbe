package classify

import (
	"strings"
)

// Ticket is one issue from a tracker export.
type Ticket struct {
	ID      string // normalised: Jira keys as written ("SHOP-412"), numbers with '#' ("#1234")
	Type    string // the issue type or tracker ("Bug", "Anomalie"); "" when the export has none
	Summary string
	// Fields holds every column of the export by lowercased name, with its
	// non-empty values in file order (several for repeated Jira headers).
	Fields map[string][]string
}

// Field returns the values of a field, looked up the way config rules name
// them: case-insensitively; "type" is the issue type or tracker; a bare name
// also finds Jira's "Custom field (NAME)" column.
func (t *Ticket) Field(name string) []string {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "type" && t.Type != "" {
		return []string{t.Type}
	}
	if n == "summary" && t.Summary != "" {
		return []string{t.Summary}
	}
	vals := t.Fields[n]
	if custom := t.Fields["custom field ("+n+")"]; len(custom) > 0 {
		vals = append(append([]string(nil), vals...), custom...)
	}
	return vals
}

// Match reports whether the field has one of the wanted values (compared
// case-insensitively, ignoring surrounding spaces), and which value matched.
// An empty wanted value matches a field that is absent or empty.
func (t *Ticket) Match(name string, want []string) (string, bool) {
	vals := t.Field(name)
	for _, w := range want {
		w = strings.TrimSpace(w)
		if w == "" && len(vals) == 0 {
			return "", true
		}
		for _, v := range vals {
			if strings.EqualFold(strings.TrimSpace(v), w) {
				return v, true
			}
		}
	}
	return "", false
}

// NormalizeID gives a ticket id the form used everywhere: surrounding space
// and punctuation removed, and a bare number written "#123" (as Redmine and
// GitHub ids are referenced in messages).
func NormalizeID(id string) string {
	id = strings.TrimSpace(id)
	digits := strings.TrimPrefix(id, "#")
	if digits != "" && isDigits(digits) {
		if trimmed := strings.TrimLeft(digits, "0"); trimmed != "" {
			digits = trimmed
		} else {
			digits = "0"
		}
		return "#" + digits
	}
	return id
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// indexKey is how ids are compared: Jira keys are case-insensitive.
func indexKey(id string) string { return strings.ToUpper(NormalizeID(id)) }
