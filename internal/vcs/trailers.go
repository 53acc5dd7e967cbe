package vcs

import (
	"regexp"
	"strings"
)

// Trailer parsing, ported from git's trailer.c as git applies it to commit
// messages (git log --format=%(trailers), the sequencer): the trailer block is
// the last paragraph after the title, when all its lines are "Key: value"
// trailers (or continuations), or when it holds a git-generated trailer
// (Signed-off-by, "(cherry picked from commit") and at least 25% trailers.
// Trailing comment and blank lines are ignored; a "---" line is not treated as
// a patch divider, since a stored commit message has no patch part.

const commentChar = '#'

// CherryPickedPrefix starts the line `git cherry-pick -x` adds to a message:
// "(cherry picked from commit <sha>)".
const CherryPickedPrefix = "(cherry picked from commit "

var cherryPickedLine = regexp.MustCompile(`\(cherry picked from commit ([0-9a-fA-F]{7,40})\)`)

// CherryPickedFrom returns the commits a message says it was cherry-picked
// from (`git cherry-pick -x` lines), lower-cased, in order.
func CherryPickedFrom(msg string) []string {
	var out []string
	for _, m := range cherryPickedLine.FindAllStringSubmatch(msg, -1) {
		out = append(out, strings.ToLower(m[1]))
	}
	return out
}

var gitGeneratedPrefixes = []string{"Signed-off-by: ", CherryPickedPrefix}

const scissorsLine = "# ------------------------ >8 ------------------------\n"

// EndsWithTrailers tells whether a message ends with a trailer block. It is
// what git's sequencer asks (has_conforming_footer) before appending a line
// such as CherryPickedPrefix: a blank line goes first unless it does.
func EndsWithTrailers(msg string) bool {
	start, end := trailerBlock(msg)
	return start < end
}

// trailerBlock returns where the trailer block starts and ends; start == end
// when the message has none.
func trailerBlock(msg string) (start, end int) {
	end = len(msg) - ignoredLogMessageBytes(msg, len(msg))
	return findTrailerBlockStart(msg, end), end
}

func parseTrailers(msg string) []Trailer {
	start, end := trailerBlock(msg)
	if start >= end {
		return nil
	}
	var lines []string
	lastIsTrailer := false
	for _, l := range splitKeepNL(msg[start:end]) {
		if lastIsTrailer && isSpace(l[0]) {
			lines[len(lines)-1] += l
			continue
		}
		lines = append(lines, l)
		lastIsTrailer = findSeparator(l) >= 1
	}
	var out []Trailer
	for _, l := range lines {
		if l[0] == commentChar {
			continue
		}
		sep := findSeparator(l)
		if sep < 1 {
			continue
		}
		out = append(out, Trailer{Key: gitTrim(l[:sep]), Value: unfold(gitTrim(l[sep+1:]))})
	}
	return out
}

// splitKeepNL splits s into lines, each keeping its '\n'.
func splitKeepNL(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func gitTrim(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// unfold collapses continuation lines into single spaces.
func unfold(v string) string {
	if !strings.Contains(v, "\n") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		c := v[i]
		i++
		if c == '\n' {
			for i < len(v) && isSpace(v[i]) {
				i++
			}
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(c)
	}
	return gitTrim(b.String())
}

// findSeparator returns the position of the ':' of "<token><spaces>:", 0 when
// the line starts with ':', -1 when the line is not of that form.
func findSeparator(line string) int {
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

// lineAt returns the line starting at i, without its '\n'.
func lineAt(s string, i int) string {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return s[i : i+j]
	}
	return s[i:]
}

func nextLine(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(s)
}

func isBlankLine(l string) bool {
	for i := 0; i < len(l); i++ {
		if !isSpace(l[i]) {
			return false
		}
	}
	return true
}

// lastLine returns the start of the last line of s[:n], -1 when n is 0.
func lastLine(s string, n int) int {
	if n == 0 {
		return -1
	}
	if n == 1 {
		return 0
	}
	for i := n - 2; i >= 0; i-- {
		if s[i] == '\n' {
			return i + 1
		}
	}
	return 0
}

func findTrailerBlockStart(buf string, n int) int {
	s := buf[:n]
	// The first paragraph is the title and cannot be trailers.
	i := 0
	for i < n {
		if s[i] == commentChar {
			i = nextLine(s, i)
			continue
		}
		if isBlankLine(lineAt(s, i)) {
			break
		}
		i = nextLine(s, i)
	}
	endOfTitle := i
	onlySpaces := true
	recognized := false
	trailerLines, nonTrailerLines, possibleContinuations := 0, 0, 0
	for l := lastLine(s, n); l >= 0 && l >= endOfTitle; l = lastLine(s, l) {
		line := lineAt(s, l)
		if line != "" && line[0] == commentChar {
			nonTrailerLines += possibleContinuations
			possibleContinuations = 0
			continue
		}
		if isBlankLine(line) {
			if onlySpaces {
				continue
			}
			nonTrailerLines += possibleContinuations
			if recognized && trailerLines*3 >= nonTrailerLines {
				return nextLine(s, l)
			}
			if trailerLines > 0 && nonTrailerLines == 0 {
				return nextLine(s, l)
			}
			return n
		}
		onlySpaces = false
		generated := false
		for _, p := range gitGeneratedPrefixes {
			if strings.HasPrefix(line, p) {
				generated = true
				break
			}
		}
		if generated {
			trailerLines++
			possibleContinuations = 0
			recognized = true
			continue
		}
		sep := findSeparator(line)
		switch {
		case sep >= 1 && !isSpace(line[0]):
			trailerLines++
			possibleContinuations = 0
		case isSpace(line[0]):
			possibleContinuations++
		default:
			nonTrailerLines++
			nonTrailerLines += possibleContinuations
			possibleContinuations = 0
		}
	}
	return n
}

// ignoredLogMessageBytes is the length of the tail of a message made of
// comments, blank lines, an old "Conflicts:" block, or text below the
// scissors line (git's ignored_log_message_bytes).
func ignoredLogMessageBytes(buf string, n int) int {
	cutoff := n
	if strings.HasPrefix(buf, scissorsLine) {
		cutoff = 0
	} else if p := strings.Index(buf, "\n"+scissorsLine); p >= 0 {
		cutoff = p + 1
	}
	boc, bol := 0, 0
	inConflicts := false
	for bol < cutoff {
		next := nextLine(buf[:n], bol)
		switch {
		case buf[bol] == commentChar || buf[bol] == '\n':
			if boc == 0 {
				boc = bol
			}
		case strings.HasPrefix(buf[bol:], "Conflicts:\n"):
			inConflicts = true
			if boc == 0 {
				boc = bol
			}
		case inConflicts && buf[bol] == '\t':
		case boc != 0:
			boc = 0
			inConflicts = false
		}
		bol = next
	}
	if boc != 0 {
		return n - boc
	}
	return n - cutoff
}
