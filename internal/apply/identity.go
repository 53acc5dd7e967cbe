package apply

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/storage"
)

// Identity is a committer: a name and an email.
type Identity struct {
	Name  string
	Email string
}

func (id Identity) String() string { return id.Name + " <" + id.Email + ">" }

// ParseIdentity reads "Name <email>", the form of TRIAGE_COMMITTER.
func ParseIdentity(s string) (Identity, error) {
	lt, gt := strings.IndexByte(s, '<'), strings.LastIndexByte(s, '>')
	if lt < 0 || gt < lt || strings.TrimSpace(s[gt+1:]) != "" {
		return Identity{}, fmt.Errorf("committer %q is not of the form 'Name <email>'", s)
	}
	id := Identity{Name: strings.TrimSpace(s[:lt]), Email: strings.TrimSpace(s[lt+1 : gt])}
	if id.Name == "" || id.Email == "" {
		return Identity{}, fmt.Errorf("committer %q lacks a name or an email; write it as 'Name <email>'", s)
	}
	return id, nil
}

// CommitterIdentity finds who commits the new commits, in this order:
// $TRIAGE_COMMITTER ("Name <email>"), $GIT_COMMITTER_NAME and
// $GIT_COMMITTER_EMAIL, then committer.* and user.* from the repository's
// config, the global config (~/.gitconfig) and the system config.
func CommitterIdentity(st storage.Storer) (Identity, error) {
	if v := os.Getenv("TRIAGE_COMMITTER"); v != "" {
		id, err := ParseIdentity(v)
		if err != nil {
			return Identity{}, fmt.Errorf("TRIAGE_COMMITTER: %w", err)
		}
		return id, nil
	}
	id := Identity{Name: os.Getenv("GIT_COMMITTER_NAME"), Email: os.Getenv("GIT_COMMITTER_EMAIL")}
	var scopes []*config.Config
	if st != nil {
		if c, err := st.Config(); err == nil {
			scopes = append(scopes, c)
		}
	}
	for _, s := range []config.Scope{config.GlobalScope, config.SystemScope} {
		if c, err := config.LoadConfig(s); err == nil {
			scopes = append(scopes, c)
		}
	}
	for _, c := range scopes {
		if id.Name == "" {
			id.Name = firstNonEmpty(c.Committer.Name, c.User.Name)
		}
		if id.Email == "" {
			id.Email = firstNonEmpty(c.Committer.Email, c.User.Email)
		}
	}
	id.Name, id.Email = stripCrud(id.Name), stripCrud(id.Email)
	if id.Name == "" || id.Email == "" {
		return Identity{}, fmt.Errorf("no committer identity: run git config user.name 'Your Name' and git config user.email you@example.com, or set TRIAGE_COMMITTER='Name <email>'")
	}
	return id, nil
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// stripCrud is git's strbuf_addstr_without_crud: no leading or trailing
// punctuation or whitespace, and no '<', '>' or newline inside.
func stripCrud(s string) string {
	crud := func(c byte) bool {
		return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '"' || c == '\\' || c == '\''
	}
	i, j := 0, len(s)
	for i < j && crud(s[i]) {
		i++
	}
	for j > i && crud(s[j-1]) {
		j--
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		if c := s[k]; c != '\n' && c != '<' && c != '>' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// formatIdent writes "Name <email> 1700000000 +0100" as git does.
func formatIdent(id Identity, when time.Time) string {
	_, off := when.Zone()
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", id.Name, id.Email, when.Unix(), sign, off/3600, off%3600/60)
}

// authorDate extracts "1700000000 +0100" from a raw ident.
func authorDate(ident string) (string, bool) {
	gt := strings.LastIndexByte(ident, '>')
	if gt < 0 {
		return "", false
	}
	d := strings.TrimSpace(ident[gt+1:])
	if fields := strings.Fields(d); len(fields) == 2 {
		return fields[0] + " " + fields[1], true
	}
	return "", false
}
