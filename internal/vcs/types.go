package vcs

import (
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Signature is an author or committer identity with its timestamp.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// Trailer is one "Key: value" line from the final paragraph of a message.
type Trailer struct {
	Key   string
	Value string
}

// Commit is one commit of a range, with its changes against its first parent.
type Commit struct {
	Hash      plumbing.Hash
	Parents   []plumbing.Hash
	Tree      plumbing.Hash
	Author    Signature
	Committer Signature
	Message   string // full message, as stored
	Subject   string // first line of the message
	Trailers  []Trailer
	SvnRev    int  // revision from a git-svn-id line; 0 when absent
	Merge     bool // more than one parent
	// Encoding is the commit's "encoding" header, when it has one (e.g.
	// "ISO-8859-1"). When Transcoded is set, Message, Subject, Trailers and the
	// names were decoded from it to UTF-8, as git log shows them; otherwise the
	// message bytes are kept exactly as stored (they may not be valid UTF-8).
	Encoding   string
	Transcoded bool
	// Changes against the first parent, sorted by path; nil for merge commits
	// (their diff is not attributed to them, see deps).
	Changes []FileChange
}

// Short returns the abbreviated SHA shown in reports.
func (c *Commit) Short() string { return c.Hash.String()[:7] }

// Status is the kind of change made to one path, as git diff --name-status spells it.
type Status byte

const (
	Added    Status = 'A'
	Modified Status = 'M'
	Deleted  Status = 'D'
	Renamed  Status = 'R'
)

func (s Status) String() string { return string(rune(s)) }

// FileChange is one changed path of a commit, like a line of git diff --raw -M
// plus its numstat and its -U0 hunks.
type FileChange struct {
	Status     Status
	OldPath    string // empty for Added
	NewPath    string // empty for Deleted
	OldMode    uint32 // git file mode (0100644, 0100755, 0120000, 0160000); 0 when absent
	NewMode    uint32
	OldHash    plumbing.Hash // blob hashes; zero when absent
	NewHash    plumbing.Hash
	Similarity int  // percentage, for Renamed
	Binary     bool // git would say "Binary files differ"; Added/Deleted are then 0 and Hunks nil
	Added      int  // lines added, as git diff --numstat
	Deleted    int  // lines deleted, as git diff --numstat
	// Hunks are git diff -U0's. Their line counts sum to Added and Deleted
	// but in rare cases (about one file change in a thousand), where git's
	// numstat and its own -U0 output disagree: see xdiff.DiffNumstat.
	Hunks []Hunk
}

// Path is the path the change is known by after the commit (the old path for a deletion).
func (f *FileChange) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// TypeChange tells whether the path changed kind (regular file, symlink,
// gitlink), which git diff --raw reports as status T. Such a change has Status
// Modified here; Added and Deleted are git's numstat for it (a line diff of
// the old content against the new one, e.g. a file's lines against a link
// target), and Hunks are that same diff.
// (git diff -p alone splits a type change into a deletion and a creation.)
func (f *FileChange) TypeChange() bool {
	return f.OldMode != 0 && f.NewMode != 0 && f.OldMode&0o170000 != f.NewMode&0o170000
}

// Hunk is one changed line range as git diff -U0 reports it: "@@ -OldStart,OldLines +NewStart,NewLines @@".
// As in git, a range of zero lines starts at the line before the change.
type Hunk struct {
	OldStart int
	OldLines int
	NewStart int
	NewLines int
	// Lines holds the added lines' text (without the trailing newline), in order.
	// deps indexes identifiers from it; risk and explain show it.
	Lines []string
}
