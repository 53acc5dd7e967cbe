package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
)

const applyCommitter = "Triage Test <test@triage.dev>"

func TestApplyStoryWritesThePrunedBranch(t *testing.T) {
	s := gittest.NewStory(t) // apply writes branches: a private story
	head, _ := os.ReadFile(filepath.Join(s.Dir, ".git", "HEAD"))
	index, _ := os.ReadFile(filepath.Join(s.Dir, ".git", "index"))
	code, out, errs := triage(t, "apply", "--repo", s.Dir, "--branch", "release/pruned", "--reproducible", "--committer", applyCommitter, "--no-progress")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	assertGolden(t, "apply-story.table", out)
	if h, _ := os.ReadFile(filepath.Join(s.Dir, ".git", "HEAD")); !bytes.Equal(h, head) {
		t.Fatal("HEAD changed")
	}
	if i, _ := os.ReadFile(filepath.Join(s.Dir, ".git", "index")); !bytes.Equal(i, index) {
		t.Fatal("the index changed")
	}

	// The same plan, dry-run, in json: same SHAs (reproducible), no ref change.
	code, out, _ = triage(t, "apply", "--repo", s.Dir, "--branch", "release/pruned", "--reproducible", "--committer", applyCommitter,
		"--no-progress", "--dry-run", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	assertGolden(t, "apply-story.json", out)
	var doc struct {
		Head    string
		Applied []struct{ Source, Commit string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}

	if _, err := exec.LookPath("git"); err != nil {
		return
	}
	gitOut := func(dir string, args ...string) string { return strings.TrimSpace(gittest.Git(t, dir, args...)) }
	if got := gitOut(s.Dir, "rev-parse", "release/pruned"); got != doc.Head {
		t.Fatalf("release/pruned is %s, the dry run says %s", got, doc.Head)
	}
	// git cherry-pick -x of the same picks builds the same trees and messages.
	wt := filepath.Join(t.TempDir(), "wt")
	gitOut(s.Dir, "worktree", "add", "-q", "--detach", wt, "v1.4.0")
	args := []string{"cherry-pick", "-x"}
	for _, a := range doc.Applied {
		args = append(args, a.Source)
	}
	gitOut(wt, args...)
	for i := range doc.Applied {
		rev := "HEAD~" + strconv.Itoa(len(doc.Applied)-1-i)
		if gitOut(wt, "rev-parse", rev+"^{tree}") != gitOut(s.Dir, "rev-parse", doc.Applied[i].Commit+"^{tree}") {
			t.Fatalf("pick %d: the tree differs from git's", i)
		}
		if gitOut(wt, "log", "-1", "--format=%B%an%ae%ad", rev) != gitOut(s.Dir, "log", "-1", "--format=%B%an%ae%ad", doc.Applied[i].Commit) {
			t.Fatalf("pick %d: the message or author differs from git's", i)
		}
	}
}

func TestApplyConflictNamesTheCommitsInTheWay(t *testing.T) {
	s := gittest.NewStory(t)
	code, out, errs := triage(t, "apply", "--repo", s.Dir, "--strategy", "exact", "--keep", "class:recette-fix",
		"--branch", "only-fixes", "--committer", applyCommitter, "--no-progress")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr %q", code, errs)
	}
	assertGolden(t, "apply-conflict.table", out)
	if !strings.Contains(errs, "does not apply: conflict in src/main/java/com/example/pay/payment/SepaPayment.java; nothing was written") {
		t.Fatalf("stderr %q", errs)
	}
	code, out, _ = triage(t, "apply", "--repo", s.Dir, "--strategy", "exact", "--keep", "class:recette-fix",
		"--branch", "only-fixes", "--committer", applyCommitter, "--no-progress", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Head      *string
		Conflicts []struct {
			Commit   string
			Paths    []string
			Blocking []string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Conflicts[0]
	// SepaPayment.java was created by feature-sepa, and the lines the fix
	// edits were written by feature-sepa-mandate: both were dropped.
	want := []string{s.Commits["feature-sepa"].String(), s.Commits["feature-sepa-mandate"].String()}
	if doc.Head != nil || c.Commit != s.Commits["recette-fix-sepa"].String() || strings.Join(c.Blocking, " ") != strings.Join(want, " ") {
		t.Fatalf("%+v", doc)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, ".git", "refs", "heads", "only-fixes")); !os.IsNotExist(err) {
		t.Fatal("a conflict wrote the branch")
	}
}

func TestApplyExistingBranchNeedsForce(t *testing.T) {
	s := gittest.NewStory(t)
	args := []string{"apply", "--repo", s.Dir, "--branch", "pruned", "--committer", applyCommitter, "--no-progress", "--reproducible"}
	if code, _, errs := triage(t, args...); code != exitOK {
		t.Fatalf("first run: exit %d %q", code, errs)
	}
	code, _, errs := triage(t, args...)
	if code != exitError || !strings.Contains(errs, "branch 'pruned' exists at ") || !strings.Contains(errs, "pass --force to replace it, or choose another --branch") {
		t.Fatalf("second run: exit %d %q", code, errs)
	}
	code, out, _ := triage(t, append(args, "--force")...)
	if code != exitOK || !strings.Contains(out, "Branch 'pruned' written (was ") {
		t.Fatalf("with --force: exit %d\n%s", code, out)
	}
}

func TestApplyVerify(t *testing.T) {
	s := gittest.NewStory(t)
	base := []string{"apply", "--repo", s.Dir, "--dry-run", "--committer", applyCommitter, "--no-progress"}
	code, out, _ := triage(t, append(base, "--verify", "test -f pom.xml && echo built")...)
	if code != exitOK || !strings.Contains(out, "built") || !strings.Contains(out, "Verify passed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	code, out, errs := triage(t, append(base, "--verify", "echo broken; exit 3")...)
	if code != exitFindings || !strings.Contains(out, "Verify FAILED") || !strings.Contains(errs, `"echo broken; exit 3" exited 3`) {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	code, out, _ = triage(t, append(base, "--verify", "exit 4", "--format", "json")...)
	if code != exitFindings || !strings.Contains(out, `"exit_code": 4`) {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestApplyUsageErrors(t *testing.T) {
	s := gittest.Story(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "--repo", s.Dir}, "--branch NAME is required"},
		{[]string{"apply", "--repo", s.Dir, "--dry-run", "--committer", "nobody"}, "--committer"},
		{[]string{"apply", "--repo", s.Dir, "--dry-run", "--strategy", "greedy"}, "--strategy"},
		{[]string{"apply", "--repo", s.Dir, "--dry-run", "--format", "xml"}, "--format"},
		{[]string{"apply", "--repo", s.Dir, "--dry-run", "--with", "nonsense"}, "--with"},
		{[]string{"apply", "--repo", s.Dir, "--branch", "bad..name", "--committer", applyCommitter}, "not a valid branch name"},
		{[]string{"apply", "--repo", s.Dir, "--dry-run", "--onto", "no-such-ref"}, "--onto"},
	} {
		code, _, errs := triage(t, append(tc.args, "--no-progress")...)
		if code != exitError || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, errs)
		}
	}
}
