// Command triage prunes a release branch safely: it classifies a commit range,
// computes the dependency-safe subset, builds the pruned branch and measures its risk.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
