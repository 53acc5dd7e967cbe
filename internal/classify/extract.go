package classify

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/triage-dev/triage/internal/vcs"
	"golang.org/x/text/encoding/charmap"
)

// DefaultPatterns are the ticket patterns used when the config gives none:
// Jira-style keys, and "#123" after a Redmine or GitHub keyword ("refs #12",
// "Fixes: #3", "closes #4, #5"), whose id keeps the '#'.
var DefaultPatterns = []string{
	`\b[A-Z][A-Z0-9]+-[0-9]+\b`,
	`(?i)\b(?:refs|references|re|see|fixes|fixed|fix|closes|closed|close|resolves|resolved|resolve)\b[ \t]*:?[ \t]*(#[0-9]+\b(?:(?:[ \t]*[,;&][ \t]*|[ \t]+and[ \t]+|[ \t]+)#[0-9]+\b)*)`,
}

// notTickets are prefixes that look like Jira keys in ordinary prose
// ("UTF-8", "ISO-8859-1", "SHA-256", "CVE-2021-44228") and are dropped by the
// default pattern unless an export knows the id.
var notTickets = map[string]bool{
	"UTF": true, "ISO": true, "SHA": true, "MD": true, "RFC": true, "CVE": true, "CWE": true, "ECMA": true,
	"ES": true, "IEC": true, "IEEE": true, "ANSI": true, "EN": true, "PEP": true, "JSR": true, "AES": true,
	"RSA": true, "DES": true, "CRC": true, "TLS": true, "SSL": true, "HTTP": true, "UCS": true, "CP": true,
	"WINDOWS": true, "LATIN": true, "GPL": true, "LGPL": true, "AGPL": true, "BSD": true, "MPL": true,
	"APACHE": true, "CC": true, "X": true, "JDK": true, "JAVA": true, "PHP": true, "PYTHON": true, "NODE": true,
	"ARM": true, "UTC": true, "GMT": true, "IPV": true, "H": true, "MP": true, "COVID": true,
}

var (
	hashRef        = regexp.MustCompile(`#[0-9]+`)
	fixesSHA       = regexp.MustCompile(`(?i)^[ \t]*fixes[ \t]*:[ \t]*[0-9a-f]{7,40}\b`)
	machineLine    = regexp.MustCompile(`(?i)^[ \t]*(git-svn-id:|\(cherry picked from commit [0-9a-f]+\)|this reverts commit [0-9a-f]+)`)
	ticketTrailers = map[string]bool{"ticket": true, "tickets": true, "refs": true, "issue": true, "issues": true, "bug": true, "bugs": true}
)

// Extractor finds ticket ids in commit messages.
type Extractor struct {
	patterns []*regexp.Regexp
	defaults bool
	// Known, when set, tells whether an export has the id: a known id is kept
	// even when it looks like prose ("ISO-9001" in a quality team's tracker).
	Known func(id string) bool
}

// NewExtractor builds an extractor; nil patterns mean DefaultPatterns.
func NewExtractor(patterns []*regexp.Regexp) *Extractor {
	if len(patterns) > 0 {
		return &Extractor{patterns: patterns}
	}
	e := &Extractor{defaults: true}
	for _, p := range DefaultPatterns {
		e.patterns = append(e.patterns, regexp.MustCompile(p))
	}
	return e
}

type found struct {
	at int
	id string
}

// Tickets returns the ids a commit names, in the order they first appear: in
// the subject and body, in ticket trailers (Ticket:, Refs:, Issue:, Bug:,
// where a bare number counts), and in the branch name of a merge subject.
// A "Fixes: <sha>" trailer names a commit, never a ticket.
func (e *Extractor) Tickets(c *vcs.Commit) []string {
	msg := readable(c.Message)
	var all []found
	offset := 0
	for _, line := range strings.SplitAfter(msg, "\n") {
		if !fixesSHA.MatchString(line) && !machineLine.MatchString(line) {
			all = append(all, e.scan(line, offset)...)
		}
		offset += len(line)
	}
	for _, t := range c.Trailers {
		if ticketTrailers[strings.ToLower(strings.TrimSpace(t.Key))] {
			all = append(all, e.trailerIDs(readable(t.Value), len(msg))...)
		}
	}
	if branch, ok := MergeBranch(readable(c.Subject)); ok {
		all = append(all, e.scan(branch, len(msg)+1)...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
	var ids []string
	seen := map[string]bool{}
	for _, f := range all {
		if k := indexKey(f.id); !seen[k] {
			seen[k] = true
			ids = append(ids, f.id)
		}
	}
	return ids
}

// scan applies every pattern to one piece of text; offset places it in the message.
func (e *Extractor) scan(text string, offset int) []found {
	var out []found
	for pi, re := range e.patterns {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 {
				start, end = m[2], m[3]
			}
			raw := text[start:end]
			if e.defaults && pi == 1 {
				// A keyword may be followed by a list: "refs #1, #2 and #3".
				for _, h := range hashRef.FindAllStringIndex(raw, -1) {
					out = append(out, found{offset + start + h[0], NormalizeID(raw[h[0]:h[1]])})
				}
				continue
			}
			if id, ok := e.accept(raw); ok {
				out = append(out, found{offset + start, id})
			}
		}
	}
	return out
}

// accept normalises a matched id and applies the default pattern's prose filter.
func (e *Extractor) accept(raw string) (string, bool) {
	id := NormalizeID(raw)
	if id == "" || id == "#" {
		return "", false
	}
	if !e.defaults {
		return id, true
	}
	prefix, num, _ := strings.Cut(id, "-")
	if prefix == "GH" && isDigits(num) {
		return NormalizeID(num), true // GitHub's own spelling of #123
	}
	if notTickets[prefix] && (e.Known == nil || !e.Known(id)) {
		return "", false
	}
	return id, true
}

// trailerIDs reads a ticket trailer's value: the patterns apply, and a bare
// "123" or "#123" is an id too, since the trailer key says it is a ticket.
func (e *Extractor) trailerIDs(value string, at int) []found {
	out := e.scan(value, at)
	for _, tok := range strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' }) {
		tok = strings.TrimRight(tok, ".)")
		if isDigits(strings.TrimPrefix(tok, "#")) {
			out = append(out, found{at, NormalizeID(tok)})
		}
	}
	return out
}

var mergeSubjects = []*regexp.Regexp{
	regexp.MustCompile(`^Merge branch ['"]([^'"]+)['"]`),
	regexp.MustCompile(`^Merge (?:remote-tracking |remote )branch ['"](?:[^/'"]+/)?([^'"]+)['"]`),
	regexp.MustCompile(`^Merge pull request #[0-9]+ from (?:[^/\s]+/)?(\S+)`),
	regexp.MustCompile(`^Merged in (\S+)`),
}

// MergeBranch returns the branch a merge subject names: "Merge branch
// 'hotfix/PAY-111'", "Merge remote-tracking branch 'origin/x'" (x), "Merge
// pull request #12 from org/feature/PAY-120" (feature/PAY-120), Bitbucket's
// "Merged in x".
func MergeBranch(subject string) (string, bool) {
	for _, re := range mergeSubjects {
		if m := re.FindStringSubmatch(subject); m != nil && m[1] != "" {
			return m[1], true
		}
	}
	return "", false
}

// readable returns s as valid UTF-8: commit messages written by old tools in
// ISO-8859-1 or Windows-1252 are decoded so that "évolution" matches.
func readable(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}
