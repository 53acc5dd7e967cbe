package apply

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

var messagePieces = []string{
	"Subject", "", "  ", "\t", "Signed-off-by: Ann <ann@example.com>", "Key: value", "Key : value", "key-with-dash: v",
	"not a trailer", "# comment", " continuation", "\tindented", "(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
	"Conflicts:", "\tsrc/a.c", "# ------------------------ >8 ------------------------", "after scissors",
	"trailing   ", "caf\xe9 cr\xe8me", "CRLF line\r", "Fixes: #12", "Reviewed-by: Bob", "http://example.com: x",
	"Bug: 1", "Change-Id: I0123", ":colon first", "a:b", "Two words: trailer?", "\u00e9t\u00e9: utf8 key",
}

func randomMessage(r *rand.Rand) string {
	n := 1 + r.Intn(9)
	lines := make([]string, n)
	for i := range lines {
		lines[i] = messagePieces[r.Intn(len(messagePieces))]
	}
	msg := strings.Join(lines, "\n")
	if r.Intn(3) == 0 {
		msg += "\n"
	}
	return msg
}

// TestCherryPickMessagesMatchGit records picks with generated messages and
// compares the message git cherry-pick -x writes with ours, byte for byte.
func TestCherryPickMessagesMatchGit(t *testing.T) {
	gittest.NeedGit(t)
	n := 150
	if testing.Short() {
		n = 30
	}
	r := rand.New(rand.NewSource(7))
	dir := t.TempDir()
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	base, err := b.Commit(ann, "base", repos.Write("f", "base\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Checkout("picks", "main"); err != nil {
		t.Fatal(err)
	}
	var picks []plumbing.Hash
	var msgs []string
	for i := 0; i < n; i++ {
		msg := randomMessage(r)
		h, err := b.Commit(testAuthors[i%len(testAuthors)], msg, repos.Write(fmt.Sprintf("f%d", i), "x\n"))
		if err != nil {
			t.Fatal(err)
		}
		picks, msgs = append(picks, h), append(msgs, msg)
	}
	if err := b.Checkout("main", "main"); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "reset", "-q", "--hard")
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := newObjStore(repo.Storer)
	for i, p := range picks {
		gittest.Git(t, dir, "reset", "-q", "--hard", base.String())
		gittest.Git(t, dir, "cherry-pick", "-x", p.String())
		want := gittest.Git(t, dir, "cat-file", "commit", "HEAD")
		c, err := st.commit(p)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Apply(context.Background(), repo.Storer, base, []plumbing.Hash{p}, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		raw, err := st.read(res.Head, plumbing.CommitObject)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(raw); got != want {
			t.Fatalf("message %d %q (stored %q):\ngit   %q\napply %q", i, msgs[i], c.message, want, got)
		}
	}
}
