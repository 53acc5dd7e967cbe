package fixturetest

import (
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

func TestMain(m *testing.M) { gittest.Main(m) }

// git runs the git binary in dir, isolated from the user's configuration,
// and returns its trimmed output; a failure fails the test.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return strings.TrimSpace(gittest.Git(t, dir, args...))
}
