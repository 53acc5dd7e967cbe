package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// DefaultFile is the config file looked for at the repository root.
const DefaultFile = ".triage.yaml"

// DefaultClass is the class of a commit no rule matches, unless the config says otherwise.
const DefaultClass = "unclassified"

// Export formats understood by the ticket readers (see package classify).
const (
	FormatJiraCSV    = "jira-csv"
	FormatRedmineCSV = "redmine-csv"
	FormatGithubJSON = "github-json"
	FormatCSV        = "csv"
)

// Formats lists the valid export formats, in the order error messages show them.
var Formats = []string{FormatJiraCSV, FormatRedmineCSV, FormatGithubJSON, FormatCSV}

// Config is a loaded, validated .triage.yaml. Every regular expression and
// glob in it has been compiled or checked, so later stages never fail on them.
type Config struct {
	Path string // the path it was loaded from, as given; errors and rule names use it
	Dir  string // the directory export paths are relative to

	Range     string // default RANGE; "" when absent
	RangeLine int

	Tickets Tickets
	Classes []Class // ordered: the first rule that matches decides
	Default string  // class of a commit no rule matches; DefaultClass unless set

	Plan *Plan // nil when the file has no plan section
	Gate *Gate // nil when the file has no gate section
}

// Tickets says how ticket ids are found in messages and where ticket data comes from.
type Tickets struct {
	// Patterns replace the built-in ones when present; the id is the first
	// capture group, or the whole match when the pattern has none.
	Patterns []Regexp
	Exports  []Export
}

// Export is one ticket export file named in the config.
type Export struct {
	Path     string // as written in the config
	File     string // resolved against the config's directory; known to exist
	Format   string // one of Formats, or "" to guess from the content
	IDColumn string // csv: the column holding the ticket id
	Line     int
}

// Class is one classification rule. Every condition present must match.
type Class struct {
	Name    string
	Line    int
	Ticket  []FieldMatch // the commit names a ticket whose fields all match
	Paths   []Glob       // every changed path matches one of the globs
	Message *Regexp      // on the whole message
	Author  *Matcher     // on "name <email>"
	Branch  *Regexp      // on the branch the commit came from
}

// HasCondition reports whether the rule tests anything at all.
func (c *Class) HasCondition() bool {
	return len(c.Ticket) > 0 || len(c.Paths) > 0 || c.Message != nil || c.Author != nil || c.Branch != nil
}

// FieldMatch is one ticket field condition: the field has one of Values
// (compared case-insensitively). Field "type" means the issue type or tracker.
type FieldMatch struct {
	Field  string
	Values []string
	Line   int
}

// Glob is a doublestar pattern matched against repository-relative paths.
type Glob struct {
	Pattern string
	Line    int
}

// Regexp is a compiled regular expression with where it was written.
type Regexp struct {
	Source string
	Re     *regexp.Regexp
	Line   int
}

// Matcher is a regular expression or, when the text is not a valid one, a
// literal substring; matching ignores case either way.
type Matcher struct {
	Source  string
	Re      *regexp.Regexp // case-insensitive; matches the literal text when Source is not a regex
	Literal bool           // Source was not a valid regular expression, so it is matched as text
	Line    int
}

// Plan holds the defaults of triage plan.
type Plan struct {
	Keep     []string // selectors: class:NAME, ticket:ID, commit:SHA, rev:N, path:GLOB, author:TEXT
	Drop     []string
	Strategy string   // pull | prune | exact; "" when absent
	Onto     string   // "" when absent
	With     []string // soft edge kinds to follow
	Line     int
}

// Gate is the policy checked by triage gate.
type Gate struct {
	RequireTicket  bool
	Allow          []string
	AllowRequired  bool
	Source         string
	DependencySafe bool
	MaxRisk        string // low | medium | high; "" when absent
	Waivers        []Waiver
	Line           int
}

// Waiver is an accepted exception to the gate, by commit or ticket.
type Waiver struct {
	Commit string // SHA prefix; "" when the waiver names a ticket
	Ticket string
	Reason string
	Line   int
}

// Pos is "FILE:LINE" with the config's base name, short enough to show next to
// every commit that a rule classified.
func (c *Config) Pos(line int) string {
	return fmt.Sprintf("%s:%d", filepath.Base(c.Path), line)
}

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var msg string
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = "file not found: check the path given with --config or $TRIAGE_CONFIG"
		default:
			msg = fmt.Sprintf("cannot read the file: %v", unwrapPathError(err))
		}
		return nil, Errors{{File: path, Msg: msg}}
	}
	return Parse(path, data)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Find says which config file applies: the --config flag, else
// $TRIAGE_CONFIG, else .triage.yaml (or .triage.yml) at the repository root.
// A file named by the flag or the variable must exist; the default one may be
// absent, and then Find returns "" and no error.
func Find(repoRoot, flagPath string) (string, error) {
	if flagPath != "" {
		return explicit(flagPath, "--config")
	}
	if env := os.Getenv("TRIAGE_CONFIG"); env != "" {
		return explicit(env, "$TRIAGE_CONFIG")
	}
	for _, name := range []string{DefaultFile, ".triage.yml"} {
		p := filepath.Join(repoRoot, name)
		st, err := os.Stat(p)
		switch {
		case err == nil && st.IsDir():
			return "", &Error{File: p, Msg: "is a directory, not a file: remove it or point --config at the config file"}
		case err == nil:
			return p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", &Error{File: p, Msg: fmt.Sprintf("cannot read the file: %v", unwrapPathError(err))}
		}
	}
	return "", nil
}

func explicit(path, from string) (string, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", &Error{File: path, Msg: fmt.Sprintf("file not found (named by %s): fix the path, or unset it to use %s at the repository root", from, DefaultFile)}
	case err != nil:
		return "", &Error{File: path, Msg: fmt.Sprintf("cannot read the file (named by %s): %v", from, unwrapPathError(err))}
	case st.IsDir():
		return "", &Error{File: path, Msg: fmt.Sprintf("is a directory (named by %s): name the config file itself, e.g. %s", from, filepath.Join(path, DefaultFile))}
	}
	return path, nil
}
