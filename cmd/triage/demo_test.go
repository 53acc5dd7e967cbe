package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's first command: it must keep working, end to end.
func TestDemoRunsTheWholeSession(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the story and runs every command")
	}
	dir := filepath.Join(t.TempDir(), "story")
	code, out, errs := triage(t, "demo", dir)
	if code != exitOK {
		t.Fatalf("exit %d\nstderr: %s", code, errs)
	}
	for _, want := range []string{
		"Story repository built in " + dir,
		"$ triage classify --repo " + dir,
		"$ triage plan --keep class:recette-fix --keep class:prod-fix --repo " + dir,
		"$ triage apply --branch release/pruned",
		"Branch 'release/pruned' written: 20 commits onto v1.4.0",
		"$ triage risk --keep class:recette-fix --keep class:prod-fix --repo " + dir,
		"$ triage gate v1.4.0..release/pruned --repo " + dir,
		"error require_ticket: 227a67d names no ticket",
		"(exit 1: triage gate: v1.4.0..release/pruned violates the policy (1 error, 1 warning, 0 waived)",
		"Try it yourself:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

func TestDemoRefusesANonEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644)
	code, _, errs := triage(t, "demo", dir)
	if code != exitError || !strings.Contains(errs, "is not empty; name a new or empty directory") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}
