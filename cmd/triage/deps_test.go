package main

import (
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

func TestDepsStoryEveryFormat(t *testing.T) {
	s := gittest.Story(t)
	for _, f := range []struct{ format, golden string }{
		{"table", "deps-story.table"},
		{"csv", "deps-story.csv"},
		{"json", "deps-story.json"},
		{"dot", "deps-story.dot"},
	} {
		code, out, stderr := triage(t, "deps", "--repo", s.Dir, "--no-progress", "--format", f.format, "v1.4.0..recette")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", f.format, code, stderr)
		}
		assertGolden(t, f.golden, out)
	}
}

func TestDepsKindsFilter(t *testing.T) {
	s := gittest.Story(t)
	code, out, stderr := triage(t, "deps", "--repo", s.Dir, "--no-progress", "--kinds", "revert", "--format", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], ",revert,true,") {
		t.Fatalf("revert edges:\n%s", out)
	}
	code, _, stderr = triage(t, "deps", "--repo", s.Dir, "--kinds", "lines")
	if code != exitError || !strings.Contains(stderr, `unknown dependency kind "lines"`) {
		t.Fatalf("bad kind: exit %d, %s", code, stderr)
	}
	code, _, stderr = triage(t, "deps", "--format", "svg")
	if code != exitError || !strings.Contains(stderr, "use one of csv, dot, json, markdown, table") {
		t.Fatalf("bad format: exit %d, %s", code, stderr)
	}
}

func TestExplainStory(t *testing.T) {
	s := gittest.Story(t)
	fix := s.Hash("recette-fix-reduced-rate")[:7]
	for _, f := range []struct{ format, golden string }{
		{"table", "explain-story.table"},
		{"json", "explain-story.json"},
	} {
		code, out, stderr := triage(t, "explain", fix, "--repo", s.Dir, "--no-progress", "--format", f.format)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", f.format, code, stderr)
		}
		assertGolden(t, f.golden, out)
	}
}

func TestExplainErrors(t *testing.T) {
	s := gittest.Story(t)
	code, _, stderr := triage(t, "explain", "--repo", s.Dir, "--no-progress", "v1.4.0", "v1.4.0..recette")
	if code != exitError || !strings.Contains(stderr, "is not in the range v1.4.0..recette: name a commit of the range") {
		t.Errorf("commit outside the range: exit %d, %s", code, stderr)
	}
	code, _, stderr = triage(t, "explain", "--repo", s.Dir, "--no-progress", "nosuchrev")
	if code != exitError || !strings.Contains(stderr, "nosuchrev") {
		t.Errorf("unknown commit: exit %d, %s", code, stderr)
	}
	code, _, stderr = triage(t, "explain")
	if code != exitError || !strings.Contains(stderr, "explain takes a commit and at most one range") {
		t.Errorf("no argument: exit %d, %s", code, stderr)
	}
}
