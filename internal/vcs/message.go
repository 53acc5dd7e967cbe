package vcs

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// rawCommit is a commit object's header fields, as the walk needs them.
type rawCommit struct {
	tree    plumbing.Hash
	parents []plumbing.Hash
	date    int64 // committer timestamp, what git sorts by
}

// CommitHeader is what a commit object's header lines say, as stored: the
// idents are left undecoded, byte for byte. Of a header given twice, the
// first counts, as git's find_commit_header reads it.
type CommitHeader struct {
	Tree      plumbing.Hash
	Parents   []plumbing.Hash
	Author    []byte // "Name <email> 1300000000 +0100", after "author "
	Committer []byte
	Encoding  string // the message's charset; "" when undeclared
}

// ParseCommitHeader reads the header lines of a raw commit object, up to the
// blank line, and returns them with the message that follows. Lines that
// continue a multi-line header (gpgsig, mergetag) are skipped. A missing or
// malformed tree or parent is an error: the object is corrupt.
func ParseCommitHeader(h plumbing.Hash, raw []byte) (CommitHeader, []byte, error) {
	var c CommitHeader
	for len(raw) > 0 {
		nl := bytes.IndexByte(raw, '\n')
		if nl < 0 {
			nl = len(raw)
		}
		line := raw[:nl]
		raw = raw[min(nl+1, len(raw)):]
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' {
			continue
		}
		key, val, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			if !plumbing.IsHash(string(val)) {
				return c, nil, fmt.Errorf("commit %s is corrupt (tree %q); run git fsck", h, val)
			}
			c.Tree = plumbing.NewHash(string(val))
		case "parent":
			if !plumbing.IsHash(string(val)) {
				return c, nil, fmt.Errorf("commit %s is corrupt (parent %q); run git fsck", h, val)
			}
			c.Parents = append(c.Parents, plumbing.NewHash(string(val)))
		case "author":
			if c.Author == nil {
				c.Author = val
			}
		case "committer":
			if c.Committer == nil {
				c.Committer = val
			}
		case "encoding":
			if c.Encoding == "" {
				c.Encoding = string(val)
			}
		}
	}
	if c.Tree.IsZero() {
		return c, nil, fmt.Errorf("commit %s is corrupt (no tree); run git fsck", h)
	}
	return c, raw, nil
}

// parseCommitHeader reads the tree, parents and committer date of a commit
// object, tolerating the oddities git tolerates (missing or garbled dates).
func parseCommitHeader(h plumbing.Hash, raw []byte) (rawCommit, error) {
	hdr, _, err := ParseCommitHeader(h, raw)
	if err != nil {
		return rawCommit{}, err
	}
	c := rawCommit{tree: hdr.Tree, parents: hdr.Parents}
	if hdr.Committer != nil {
		c.date = parseSignature(hdr.Committer).When.Unix()
	}
	return c, nil
}

// parseCommit decodes a whole commit object into a Commit (without Changes).
func parseCommit(h plumbing.Hash, raw []byte) (*Commit, error) {
	hdr, msg, err := ParseCommitHeader(h, raw)
	if err != nil {
		return nil, err
	}
	c := &Commit{Hash: h, Tree: hdr.Tree, Parents: hdr.Parents, Encoding: hdr.Encoding}
	if hdr.Author != nil {
		c.Author = parseSignature(hdr.Author)
	}
	if hdr.Committer != nil {
		c.Committer = parseSignature(hdr.Committer)
	}
	if dec, ok := MessageEncoding(c.Encoding); ok {
		if out, err := dec.NewDecoder().Bytes(msg); err == nil {
			msg, c.Transcoded = out, true
			c.Author.Name = decodeString(dec, c.Author.Name)
			c.Committer.Name = decodeString(dec, c.Committer.Name)
		}
	}
	c.Message = string(msg)
	c.Merge = len(c.Parents) > 1
	c.Subject = subjectOf(c.Message)
	c.Trailers = parseTrailers(c.Message)
	c.SvnRev = svnRevision(c.Message)
	return c, nil
}

func decodeString(enc encoding.Encoding, s string) string {
	if out, err := enc.NewDecoder().String(s); err == nil {
		return out
	}
	return s
}

// MessageEncoding maps a commit's encoding header to the decoder of its
// message; false when it needs none (UTF-8, under any spelling, or no
// header) or the charset is unknown (the bytes are then taken as they are).
// ISO-8859-1 is decoded as true Latin-1, as iconv does for git, not as its
// Windows-1252 superset.
func MessageEncoding(name string) (encoding.Encoding, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "utf-8", "utf8", "":
		return nil, false
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
		return charmap.ISO8859_1, true
	case "cp1252", "windows-1252", "win1252":
		return charmap.Windows1252, true
	case "iso-8859-15", "latin9", "latin-9":
		return charmap.ISO8859_15, true
	}
	if enc, err := ianaindex.IANA.Encoding(n); err == nil && enc != nil {
		return enc, true
	}
	// The WHATWG names cover what IANA's registry spells otherwise (cp1251, sjis).
	if enc, err := htmlindex.Get(n); err == nil {
		return enc, true
	}
	return nil, false
}

// parseSignature parses "Name <email> 1300000000 +0100", keeping whatever is
// readable when the line is malformed.
func parseSignature(b []byte) Signature {
	var s Signature
	lt := bytes.IndexByte(b, '<')
	gt := bytes.LastIndexByte(b, '>')
	if lt < 0 || gt < lt {
		s.Name = string(bytes.TrimSpace(b))
		return s
	}
	s.Name = string(bytes.TrimSpace(b[:lt]))
	s.Email = string(b[lt+1 : gt])
	fields := bytes.Fields(b[gt+1:])
	if len(fields) == 0 {
		s.When = time.Unix(0, 0).UTC()
		return s
	}
	ts, err := strconv.ParseInt(string(fields[0]), 10, 64)
	if err != nil {
		s.When = time.Unix(0, 0).UTC()
		return s
	}
	loc := time.UTC
	if len(fields) > 1 {
		loc = parseTZ(string(fields[1]))
	}
	s.When = time.Unix(ts, 0).In(loc)
	return s
}

func parseTZ(tz string) *time.Location {
	if len(tz) != 5 || (tz[0] != '+' && tz[0] != '-') {
		return time.UTC
	}
	hh, err1 := strconv.Atoi(tz[1:3])
	mm, err2 := strconv.Atoi(tz[3:5])
	if err1 != nil || err2 != nil {
		return time.UTC
	}
	off := hh*3600 + mm*60
	if tz[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off)
}

// subjectOf is the first non-blank line of a message, without trailing spaces.
func subjectOf(msg string) string {
	for msg != "" {
		line, rest, _ := strings.Cut(msg, "\n")
		if strings.TrimSpace(line) != "" {
			return strings.TrimRight(line, " \t\r")
		}
		msg = rest
	}
	return ""
}

var svnIDLine = regexp.MustCompile(`(?m)^git-svn-id: \S+@(\d+) \S+`)

// svnRevision reads the Subversion revision from git-svn's "git-svn-id:
// URL@REV UUID" line (the last one, should a message quote an older one).
func svnRevision(msg string) int {
	m := svnIDLine.FindAllStringSubmatch(msg, -1)
	if len(m) == 0 {
		return 0
	}
	n, err := strconv.Atoi(m[len(m)-1][1])
	if err != nil {
		return 0
	}
	return n
}
