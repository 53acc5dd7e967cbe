package apply

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Fixed identities and dates so git and Apply write byte-identical commits.
const (
	testCommitterName  = "Triage Test"
	testCommitterEmail = "test@triage.dev"
	testCommitterDate  = "1300000000 +0100"
)

var testNow = time.Unix(1300000000, 0).In(time.FixedZone("", 3600))

func testOptions() Options {
	return Options{Committer: &Identity{Name: testCommitterName, Email: testCommitterEmail}, Now: func() time.Time { return testNow }}
}

func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: the git-equality tests need it as an oracle")
	}
}

// gitHome is an empty HOME shared by every git the tests run, so no user
// or system configuration leaks in.
var gitHome string

func isolatedGitEnv(t testing.TB) []string {
	if gitHome == "" {
		d, err := os.MkdirTemp("", "triage-apply-home-")
		if err != nil {
			t.Fatal(err)
		}
		gitHome = d
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, "HOME="+gitHome, "XDG_CONFIG_HOME="+gitHome, "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C",
		"GIT_AUTHOR_NAME=Test Author", "GIT_AUTHOR_EMAIL=author@triage.dev", "GIT_AUTHOR_DATE="+testCommitterDate,
		"GIT_COMMITTER_NAME="+testCommitterName, "GIT_COMMITTER_EMAIL="+testCommitterEmail, "GIT_COMMITTER_DATE="+testCommitterDate)
}

// runGit runs git in dir and returns its combined output and exit code.
func runGit(t testing.TB, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = isolatedGitEnv(t)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), ee.ExitCode()
		}
		t.Fatalf("git %v: %v", args, err)
	}
	return out.String(), 0
}

func mustGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, code := runGit(t, dir, args...)
	if code != 0 {
		t.Fatalf("git %v: exit %d\n%s", args, code, out)
	}
	return out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if gitHome != "" {
		os.RemoveAll(gitHome)
	}
	os.Exit(code)
}
