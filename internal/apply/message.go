package apply

import (
	"bytes"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
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
	hdr, _, err := vcs.ParseCommitHeader(h, raw)
	if err != nil {
		return nil, err
	}
	if enc, ok := vcs.MessageEncoding(hdr.Encoding); ok {
		if out, err := enc.NewDecoder().Bytes(raw); err == nil {
			raw = out
			if hdr, _, err = vcs.ParseCommitHeader(h, raw); err != nil {
				return nil, err
			}
		}
	}
	return &rawCommit{tree: hdr.Tree, parents: hdr.Parents, author: string(hdr.Author), message: subjectOnward(raw)}, nil
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
	if !vcs.EndsWithTrailers(string(msg)) {
		msg = append(msg, '\n')
	}
	msg = append(msg, vcs.CherryPickedPrefix...)
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
