package gittest

import (
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestGitRunsIsolated: nothing of the caller's git environment leaks in,
// and commits get the fixed identity and date.
func TestGitRunsIsolated(t *testing.T) {
	NeedGit(t)
	t.Setenv("GIT_DIR", "/nonexistent")
	t.Setenv("GIT_AUTHOR_NAME", "Leaked")
	dir := t.TempDir()
	Git(t, dir, "init", "-q")
	if got, want := strings.TrimSpace(Git(t, dir, "var", "GIT_AUTHOR_IDENT")), AuthorName+" <"+AuthorEmail+"> "+Date; got != want {
		t.Errorf("author ident %q, want %q", got, want)
	}
	if out, code := TryGit(t, dir, "rev-parse", "--verify", "HEAD"); code == 0 {
		t.Errorf("an empty repository has a HEAD commit: %s", out)
	}
}

func TestStoryIsBuiltOnce(t *testing.T) {
	if Story(t) != Story(t) {
		t.Error("the story was built twice")
	}
}
