package fixturetest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// needGit skips the test when the git binary, the oracle, is absent.
func needGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not found; the oracle checks need it")
	}
}

// git runs the git binary in dir, isolated from the user's configuration,
// and returns its trimmed output; a failure fails the test.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := gitRun(t, dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// gitRun is git without failing: the caller looks at the error.
func gitRun(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	return gitRunInput(t, dir, "", args...)
}

// gitWithInput runs git with stdin, failing the test on error.
func gitWithInput(t testing.TB, dir, stdin string, args ...string) string {
	t.Helper()
	out, err := gitRunInput(t, dir, stdin, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

func gitRunInput(t testing.TB, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"HOME="+t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Fixture Test", "GIT_AUTHOR_EMAIL=fixture@example.com",
		"GIT_COMMITTER_NAME=Fixture Test", "GIT_COMMITTER_EMAIL=fixture@example.com",
		"GIT_AUTHOR_DATE=2011-03-01T12:00:00+0100", "GIT_COMMITTER_DATE=2011-03-01T12:00:00+0100",
		"LC_ALL=C",
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
