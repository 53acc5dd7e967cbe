package gittest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/testdata/repos"
)

// The identity and date git commits with in Env, so that code under test
// given the same ones writes byte-identical commits.
const (
	AuthorName     = "Test Author"
	AuthorEmail    = "author@triage.dev"
	CommitterName  = "Triage Test"
	CommitterEmail = "test@triage.dev"
	Date           = "1300000000 +0100"
)

// Main runs the package's tests, then removes what the helpers left on disk
// (the shared story, git's empty HOME, the cache). Call it from TestMain.
// The commands under test keep their cache in a temporary directory, never
// in the user's.
func Main(m *testing.M) {
	cache, err := os.MkdirTemp("", "triage-test-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	for _, dir := range []string{story.root, home.dir, cache} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

var story struct {
	once sync.Once
	root string
	s    *repos.Story
	err  error
}

// Story returns the story repository, built once per test binary: tests
// only read it. A test that writes to it (a branch, a tag, objects) takes a
// NewStory.
func Story(t testing.TB) *repos.Story {
	t.Helper()
	story.once.Do(func() {
		if story.root, story.err = os.MkdirTemp("", "triage-story-"); story.err == nil {
			story.s, story.err = repos.BuildStory(filepath.Join(story.root, "story"))
		}
	})
	if story.err != nil {
		t.Fatal(story.err)
	}
	return story.s
}

// NewStory builds a private story repository for one test.
func NewStory(t testing.TB) *repos.Story {
	t.Helper()
	s, err := repos.BuildStory(filepath.Join(t.TempDir(), "story"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// NeedGit skips the test when the git binary, the oracle, is absent.
func NeedGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found; the checks against git need it")
	}
}

var home struct {
	once sync.Once
	dir  string
	err  error
}

// Env is the environment git runs in: the process's without any GIT_*
// variable, an empty HOME and XDG_CONFIG_HOME and no system config (no user
// or system configuration leaks in), C messages, and the fixed identity and
// date above.
func Env(t testing.TB) []string {
	t.Helper()
	home.once.Do(func() { home.dir, home.err = os.MkdirTemp("", "triage-git-home-") })
	if home.err != nil {
		t.Fatal(home.err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+home.dir, "XDG_CONFIG_HOME="+home.dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C",
		"GIT_AUTHOR_NAME="+AuthorName, "GIT_AUTHOR_EMAIL="+AuthorEmail, "GIT_AUTHOR_DATE="+Date,
		"GIT_COMMITTER_NAME="+CommitterName, "GIT_COMMITTER_EMAIL="+CommitterEmail, "GIT_COMMITTER_DATE="+Date)
}

// Command is git with args, to run in dir in Env.
func Command(t testing.TB, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, Env(t)
	return cmd
}

// TryGit runs git in dir and returns its output (stdout and stderr) and
// exit status; only a git that cannot run fails the test.
func TryGit(t testing.TB, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := Command(t, dir, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out.String(), exit.ExitCode()
		}
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// Git runs git in dir and returns its output (stdout and stderr); a
// failure fails the test.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, code := TryGit(t, dir, args...)
	if code != 0 {
		t.Fatalf("git %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// ReadRange opens the repository at dir and reads the range spec
// ("BASE..HEAD"), failing the test on any error; the repository is closed
// when the test ends.
func ReadRange(t testing.TB, dir, spec string) (*vcs.Repo, *vcs.Range) {
	t.Helper()
	repo, err := vcs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	base, head, err := repo.ParseRange(spec)
	if err != nil {
		t.Fatal(err)
	}
	rng, err := repo.ReadRange(context.Background(), base, head, vcs.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return repo, rng
}
