package xdiff

// Hunk is one changed region as git diff -U0 reports it. A side with zero
// lines starts at the line before the change (git's convention).
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
}

// Options mirrors the git diff options that change hunk boundaries.
type Options struct {
	// IndentHeuristic is git's default since 2.14 (diff.indentHeuristic=true).
	IndentHeuristic bool
}

// DefaultOptions are the options git diff uses when nothing is configured.
func DefaultOptions() Options { return Options{IndentHeuristic: true} }

// Diff returns the hunks that turn a into b, line by line.
// STUB: trims the common prefix and suffix and reports the rest as one hunk;
// the faithful port of git's xdiff replaces it.
func Diff(a, b []byte, opts Options) []Hunk {
	la, lb := SplitLines(a), SplitLines(b)
	pre := 0
	for pre < len(la) && pre < len(lb) && la[pre] == lb[pre] {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && la[len(la)-1-suf] == lb[len(lb)-1-suf] {
		suf++
	}
	h := Hunk{OldLines: len(la) - pre - suf, NewLines: len(lb) - pre - suf}
	if h.OldLines == 0 && h.NewLines == 0 {
		return nil
	}
	h.OldStart, h.NewStart = pre+1, pre+1
	if h.OldLines == 0 {
		h.OldStart = pre
	}
	if h.NewLines == 0 {
		h.NewStart = pre
	}
	return []Hunk{h}
}

// SplitLines splits content into lines as xdiff does: each line keeps its
// trailing '\n'; the last line may lack one.
func SplitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		if i < len(b) {
			i++
		}
		lines = append(lines, string(b[:i]))
		b = b[i:]
	}
	return lines
}
