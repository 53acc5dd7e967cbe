package apply

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// rawCommit is a commit object as stored, split the way git's sequencer
// reads it: the author line is kept verbatim (git copies it byte for byte).
type rawCommit struct {
	tree    plumbing.Hash
	parents []plumbing.Hash
	author  string // the ident after "author "
	message []byte // after the blank line that ends the headers
}

func (s *objStore) commit(h plumbing.Hash) (*rawCommit, error) {
	raw, err := s.read(h, plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	return parseRawCommit(h, raw)
}

// parseRawCommit reads a commit as `git cherry-pick` does
// (repo_logmsg_reencode then get_author / find_commit_subject): a message in
// a declared legacy encoding is re-encoded to UTF-8, headers included.
func parseRawCommit(h plumbing.Hash, raw []byte) (*rawCommit, error) {
	if enc := header(raw, "encoding"); enc != "" && !isUTF8Name(enc) {
		if e := lookupEncoding(enc); e != nil {
			if out, err := e.NewDecoder().Bytes(raw); err == nil {
				raw = dropHeader(out, "encoding")
			}
		}
	} else if enc != "" {
		raw = dropHeader(raw, "encoding")
	}
	c := &rawCommit{}
	rest := raw
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			nl = len(rest)
		}
		line := rest[:nl]
		if len(line) == 0 {
			break
		}
		switch {
		case bytes.HasPrefix(line, []byte("tree ")):
			c.tree = plumbing.NewHash(string(line[5:]))
		case bytes.HasPrefix(line, []byte("parent ")):
			c.parents = append(c.parents, plumbing.NewHash(string(line[7:])))
		case bytes.HasPrefix(line, []byte("author ")) && c.author == "":
			c.author = string(line[7:])
		}
		rest = rest[min(nl+1, len(rest)):]
	}
	if c.tree.IsZero() {
		return nil, fmt.Errorf("commit %s has no tree (corrupt object; run git fsck)", h)
	}
	c.message = subjectOnward(raw)
	return c, nil
}

// header returns the value of the first header line "key value".
func header(raw []byte, key string) string {
	for len(raw) > 0 {
		nl := bytes.IndexByte(raw, '\n')
		if nl <= 0 {
			return ""
		}
		line := raw[:nl]
		if bytes.HasPrefix(line, []byte(key+" ")) {
			return string(line[len(key)+1:])
		}
		raw = raw[nl+1:]
	}
	return ""
}

func dropHeader(raw []byte, key string) []byte {
	out := make([]byte, 0, len(raw))
	rest := raw
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl <= 0 {
			break
		}
		if !bytes.HasPrefix(rest[:nl], []byte(key+" ")) {
			out = append(out, rest[:nl+1]...)
		}
		rest = rest[nl+1:]
	}
	return append(out, rest...)
}

func isUTF8Name(enc string) bool {
	return strings.EqualFold(enc, "utf-8") || strings.EqualFold(enc, "utf8")
}

func lookupEncoding(name string) encoding.Encoding {
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e
	}
	if e, err := htmlindex.Get(name); err == nil {
		return e
	}
	return nil
}

// subjectOnward is find_commit_subject's pointer: the message after the
// headers, leading blank lines skipped, up to a NUL (git reads a C string).
func subjectOnward(raw []byte) []byte {
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	i := bytes.Index(raw, []byte("\n\n"))
	if i < 0 {
		return nil
	}
	msg := raw[i+2:]
	for len(msg) > 0 {
		n := bytes.IndexByte(msg, '\n')
		line := msg
		if n >= 0 {
			line = msg[:n+1]
		}
		if len(bytes.TrimRight(line, " \t\n\r")) != 0 {
			break
		}
		msg = msg[len(line):]
	}
	return msg
}

const cherryPickedPrefix = "(cherry picked from commit "

// cherryPickMessage builds the message `git cherry-pick -x` records:
// the original message, a blank line unless it ends with a trailer block,
// the origin line, then git's whitespace cleanup.
func cherryPickMessage(original []byte, source plumbing.Hash) []byte {
	var msg []byte
	if firstLineLen(original) > 0 {
		msg = append(msg, original...)
	}
	if len(msg) > 0 && msg[len(msg)-1] != '\n' {
		msg = append(msg, '\n')
	}
	if !hasConformingFooter(msg) {
		msg = append(msg, '\n')
	}
	msg = append(msg, cherryPickedPrefix...)
	msg = append(msg, source.String()...)
	msg = append(msg, ")\n"...)
	return stripspace(msg)
}

func firstLineLen(b []byte) int {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return i
	}
	return len(b)
}

func gitIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// stripspace is strbuf_stripspace without comment stripping: trailing
// whitespace removed from every line, runs of empty lines collapsed, no
// empty line at the start or the end, a final newline.
func stripspace(b []byte) []byte {
	var out []byte
	empties := 0
	for len(b) > 0 {
		n := bytes.IndexByte(b, '\n')
		line := b
		if n >= 0 {
			line = b[:n+1]
		}
		b = b[len(line):]
		l := len(line)
		for l > 0 && gitIsSpace(line[l-1]) {
			l--
		}
		if l == 0 {
			empties++
			continue
		}
		if empties > 0 && len(out) > 0 {
			out = append(out, '\n')
		}
		empties = 0
		out = append(out, line[:l]...)
		out = append(out, '\n')
	}
	return out
}

// hasConformingFooter tells whether msg ends with a trailer block, as
// git's trailer.c sees it (with no "---" divider and default config).
func hasConformingFooter(msg []byte) bool {
	end := len(msg) - ignoreNonTrailer(msg)
	return findTrailerStart(msg[:end]) != end
}

const commentChar = '#'

// ignoreNonTrailer is ignore_non_trailer: the length of the trailing
// comments, blank lines and old "Conflicts:" block.
func ignoreNonTrailer(buf []byte) int {
	cutoff := locateEnd(buf)
	boc, bol := 0, 0
	inOldConflicts := false
	for bol < cutoff {
		next := bytes.IndexByte(buf[bol:], '\n')
		if next < 0 {
			next = len(buf)
		} else {
			next += bol + 1
		}
		switch {
		case buf[bol] == commentChar || buf[bol] == '\n':
			if boc == 0 {
				boc = bol
			}
		case bytes.HasPrefix(buf[bol:], []byte("Conflicts:\n")):
			inOldConflicts = true
			if boc == 0 {
				boc = bol
			}
		case inOldConflicts && buf[bol] == '\t':
		case boc != 0:
			boc = 0
			inOldConflicts = false
		}
		bol = next
	}
	if boc != 0 {
		return len(buf) - boc
	}
	return len(buf) - cutoff
}

// locateEnd is wt_status_locate_end: where a scissors line cuts the message.
func locateEnd(buf []byte) int {
	pattern := "\n" + string(commentChar) + " ------------------------ >8 ------------------------"
	if bytes.HasPrefix(buf, []byte(pattern[1:])) {
		return 0
	}
	if i := bytes.Index(buf, []byte(pattern)); i >= 0 {
		return i + 1
	}
	return len(buf)
}

var gitGeneratedPrefixes = []string{"Signed-off-by: ", cherryPickedPrefix}

func nextLine(buf []byte, i int) int {
	if n := bytes.IndexByte(buf[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(buf)
}

func lastLine(buf []byte, n int) int {
	if n == 0 {
		return -1
	}
	if n == 1 {
		return 0
	}
	for i := n - 2; i >= 0; i-- {
		if buf[i] == '\n' {
			return i + 1
		}
	}
	return 0
}

func isBlankLine(buf []byte, i int) bool {
	for i < len(buf) && buf[i] != '\n' && gitIsSpace(buf[i]) {
		i++
	}
	return i >= len(buf) || buf[i] == '\n'
}

// findSeparator is find_separator with the default separators ":".
func findSeparator(line []byte) int {
	whitespace := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == ':' {
			return i
		}
		if !whitespace && (isAlnum(c) || c == '-') {
			continue
		}
		if i != 0 && (c == ' ' || c == '\t') {
			whitespace = true
			continue
		}
		break
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// findTrailerStart is find_trailer_start: the start of the last paragraph
// if it is a trailer block, else len(buf).
func findTrailerStart(buf []byte) int {
	n := len(buf)
	s := 0
	for s < n {
		if buf[s] != commentChar && isBlankLine(buf, s) {
			break
		}
		s = nextLine(buf, s)
	}
	endOfTitle := s
	onlySpaces := true
	recognizedPrefix := false
	trailerLines, nonTrailerLines, possibleContinuation := 0, 0, 0
outer:
	for l := lastLine(buf, n); l >= endOfTitle; l = lastLine(buf, l) {
		if buf[l] == commentChar {
			nonTrailerLines += possibleContinuation
			possibleContinuation = 0
			continue
		}
		if isBlankLine(buf, l) {
			if onlySpaces {
				continue
			}
			nonTrailerLines += possibleContinuation
			if recognizedPrefix && trailerLines*3 >= nonTrailerLines {
				return nextLine(buf, l)
			} else if trailerLines > 0 && nonTrailerLines == 0 {
				return nextLine(buf, l)
			}
			return n
		}
		onlySpaces = false
		for _, p := range gitGeneratedPrefixes {
			if bytes.HasPrefix(buf[l:], []byte(p)) {
				trailerLines++
				possibleContinuation = 0
				recognizedPrefix = true
				continue outer
			}
		}
		lineEnd := nextLine(buf, l)
		sep := findSeparator(buf[l:lineEnd])
		switch {
		case sep >= 1 && !gitIsSpace(buf[l]):
			trailerLines++
			possibleContinuation = 0
		case gitIsSpace(buf[l]):
			possibleContinuation++
		default:
			nonTrailerLines++
			nonTrailerLines += possibleContinuation
			possibleContinuation = 0
		}
	}
	return n
}

// fixUTF8 is commit_tree_extended's verify_utf8: bytes that are not valid
// UTF-8 are taken as Latin-1 and re-encoded, as git does to every commit it
// writes while i18n.commitEncoding is UTF-8.
func fixUTF8(buf []byte) []byte {
	var out []byte
	pos := 0
	for {
		bad := findInvalidUTF8(buf[pos:])
		if bad < 0 {
			if out == nil {
				return buf
			}
			return append(out, buf[pos:]...)
		}
		out = append(out, buf[pos:pos+bad]...)
		c := buf[pos+bad]
		out = append(out, 0xc0+(c>>6), 0x80+(c&0x3f))
		pos += bad + 1
	}
}

// findInvalidUTF8 is git's find_invalid_utf8 (stricter than Go's: it also
// rejects noncharacters).
func findInvalidUTF8(buf []byte) int {
	maxCodepoint := [4]uint32{0x7f, 0x7ff, 0xffff, 0x10ffff}
	offset := 0
	for i := 0; i < len(buf); {
		c := buf[i]
		i++
		offset++
		if c < 0x80 {
			continue
		}
		badOffset := offset - 1
		bytesN := 0
		for c&0x40 != 0 {
			c <<= 1
			bytesN++
		}
		if bytesN < 1 || bytesN > 3 {
			return badOffset
		}
		if len(buf)-i < bytesN {
			return badOffset
		}
		codepoint := uint32(c&0x7f) >> bytesN
		minVal := maxCodepoint[bytesN-1] + 1
		maxVal := maxCodepoint[bytesN]
		offset += bytesN
		for k := 0; k < bytesN; k++ {
			codepoint <<= 6
			codepoint |= uint32(buf[i] & 0x3f)
			if buf[i]&0xc0 != 0x80 {
				return badOffset
			}
			i++
		}
		if codepoint < minVal || codepoint > maxVal {
			return badOffset
		}
		if codepoint&0x1ff800 == 0xd800 {
			return badOffset
		}
		if codepoint&0xfffe == 0xfffe {
			return badOffset
		}
		if codepoint >= 0xfdd0 && codepoint <= 0xfdef {
			return badOffset
		}
	}
	return -1
}
