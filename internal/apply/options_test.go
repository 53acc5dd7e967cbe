package apply

import (
	"testing"
	"time"

	"github.com/triage-dev/triage/internal/gittest"
)

// testNow is gittest.Date: Apply commits with git's identity and date.
var testNow = time.Unix(1300000000, 0).In(time.FixedZone("", 3600))

func testOptions() Options {
	return Options{Committer: &Identity{Name: gittest.CommitterName, Email: gittest.CommitterEmail}, Now: func() time.Time { return testNow }}
}

func TestMain(m *testing.M) { gittest.Main(m) }
