package fixturetest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/testdata/repos"
)

// storyRecetteHead pins the story: any change to its files, dates, people or
// messages moves this SHA. Update it only on purpose, and tell the stages
// whose golden files show story SHAs.
const storyRecetteHead = "d9a161419eb9316f48d4d30097fb591a284c3947"

func TestStoryIsDeterministic(t *testing.T) {
	a := gittest.Story(t)
	b, err := repos.BuildStory(filepath.Join(t.TempDir(), "pay"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Order, b.Order) {
		t.Fatalf("commit names differ between runs:\n%v\n%v", a.Order, b.Order)
	}
	for _, name := range a.Order {
		if a.Commits[name] != b.Commits[name] {
			t.Errorf("%s: %s then %s", name, a.Commits[name], b.Commits[name])
		}
	}
	if got := a.Hash("hotfix-null-basket"); got != storyRecetteHead {
		t.Errorf("recette head = %s, pinned %s: the story changed", got, storyRecetteHead)
	}
}

func TestStoryCasesNameRealCommits(t *testing.T) {
	s := gittest.Story(t)
	for _, c := range s.Cases {
		if s.Hash(c.Commit) == "" || s.Hash(c.DependsOn) == "" {
			t.Errorf("case %+v names an unknown commit", c)
		}
		if i, j := slices.Index(s.Order, c.Commit), slices.Index(s.Order, c.DependsOn); i <= j {
			t.Errorf("case %+v: the dependent commit is not written after its dependency", c)
		}
	}
	for _, name := range append(slices.Clone(s.AloneConflicts), s.AloneEmpty...) {
		if s.Hash(name) == "" {
			t.Errorf("unknown commit %s in AloneConflicts/AloneEmpty", name)
		}
	}
}

func TestStoryMatchesGit(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.Story(t)
	if out, code := gittest.TryGit(t, s.Dir, "fsck", "--strict"); code != 0 {
		t.Fatalf("git fsck --strict: exit %d\n%s", code, out)
	}
	if out := git(t, s.Dir, "status", "--porcelain", "--ignored=no"); out != "" {
		t.Errorf("git status not clean after BuildStory:\n%s", out)
	}
	if got := git(t, s.Dir, "rev-parse", "HEAD"); got != storyRecetteHead {
		t.Errorf("HEAD = %s, want recette %s", got, storyRecetteHead)
	}
	if got := git(t, s.Dir, "symbolic-ref", "HEAD"); got != "refs/heads/recette" {
		t.Errorf("HEAD is %s, want refs/heads/recette", got)
	}
	if got := git(t, s.Dir, "rev-list", "--count", "v1.4.0..recette"); got != "45" {
		t.Errorf("v1.4.0..recette has %s commits, want 45", got)
	}
	if got := git(t, s.Dir, "rev-list", "--count", "--merges", "v1.4.0..recette"); got != "2" {
		t.Errorf("v1.4.0..recette has %s merges, want 2", got)
	}
	for name, h := range s.Commits {
		if got := git(t, s.Dir, "rev-parse", "--verify", h.String()+"^{commit}"); got != h.String() {
			t.Errorf("%s: git does not know %s", name, h)
		}
	}
	// The symbol case: REDUCED_BOOK_RATE is nowhere at v1.4.0.
	if _, code := gittest.TryGit(t, s.Dir, "grep", "-q", "REDUCED_BOOK_RATE", "v1.4.0"); code == 0 {
		t.Error("REDUCED_BOOK_RATE already exists at v1.4.0")
	}
	if got := git(t, s.Dir, "ls-tree", "recette", "scripts/deploy.sh"); !strings.HasPrefix(got, "100755 ") {
		t.Errorf("deploy.sh at recette: %s, want mode 100755", got)
	}
	if got := git(t, s.Dir, "diff", "--numstat", s.Hash("feature-logo")+"^!"); !strings.HasPrefix(got, "-\t-\t") {
		t.Errorf("feature-logo numstat %q, want a binary change", got)
	}
	if got := git(t, s.Dir, "diff", "-M", "--name-status", s.Hash("rename-views")+"^!"); !strings.HasPrefix(got, "R") {
		t.Errorf("rename-views: %q, want a rename", got)
	}
}

// TestStoryCherryPickAlone is the oracle of the dependency stage: each
// non-merge commit of v1.4.0..recette cherry-picked alone onto v1.4.0
// conflicts exactly for Story.AloneConflicts and is empty exactly for
// Story.AloneEmpty.
func TestStoryCherryPickAlone(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.Story(t)
	work := filepath.Join(t.TempDir(), "work")
	git(t, "", "clone", "-q", s.Dir, work)
	git(t, work, "checkout", "-q", "--detach", "v1.4.0")
	names := map[string]string{}
	for name, h := range s.Commits {
		names[h.String()] = name
	}
	var conflicts, empty []string
	for _, sha := range strings.Fields(git(t, work, "rev-list", "--reverse", "--no-merges", "v1.4.0..origin/recette")) {
		_, code := gittest.TryGit(t, work, "cherry-pick", "--no-commit", sha)
		switch {
		case code != 0:
			conflicts = append(conflicts, names[sha])
		case git(t, work, "status", "--porcelain", "--untracked-files=no") == "":
			empty = append(empty, names[sha])
		}
		git(t, work, "reset", "-q", "--hard", "HEAD")
		gittest.TryGit(t, work, "cherry-pick", "--quit")
	}
	if !sameSet(conflicts, s.AloneConflicts) {
		t.Errorf("conflicting alone:\n got  %v\n want %v", conflicts, s.AloneConflicts)
	}
	if !sameSet(empty, s.AloneEmpty) {
		t.Errorf("empty alone:\n got  %v\n want %v", empty, s.AloneEmpty)
	}
}

// TestStoryReleaseBranch checks release/1.5 holds what the gate expects:
// the same patches as their sources, -x lines naming them, and the svn merge record.
func TestStoryReleaseBranch(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.Story(t)
	patchID := func(name string) string {
		patch := git(t, s.Dir, "show", s.Hash(name))
		cmd := gittest.Command(t, s.Dir, "patch-id", "--stable")
		cmd.Stdin = strings.NewReader(patch + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git patch-id: %v", err)
		}
		return strings.Fields(string(out) + " none")[0]
	}
	pairs := map[string]string{
		"release-svn-merge-vat":         "prod-fix-vat",
		"release-pick-rounding":         "prod-fix-rounding",
		"release-pick-card-expiry":      "recette-fix-card-expiry",
		"release-pick-no-double-charge": "prod-fix-no-double-charge",
	}
	for pick, src := range pairs {
		if patchID(pick) != patchID(src) {
			t.Errorf("%s and %s have different patch-ids", pick, src)
		}
		msg := git(t, s.Dir, "log", "-1", "--format=%B", s.Hash(pick))
		wantX := pick == "release-pick-rounding" || pick == "release-pick-card-expiry"
		if hasX := strings.Contains(msg, "(cherry picked from commit "+s.Hash(src)+")"); hasX != wantX {
			t.Errorf("%s: -x line present=%v, want %v:\n%s", pick, hasX, wantX, msg)
		}
	}
	if msg := git(t, s.Dir, "log", "-1", "--format=%B", s.Hash("release-svn-merge-vat")); !strings.HasPrefix(msg, "Merged r24913 from trunk") {
		t.Errorf("svn merge record: %q", msg)
	}
	if msg := git(t, s.Dir, "log", "-1", "--format=%B", s.Hash("prod-fix-vat")); !strings.Contains(msg, "trunk@24913 ") {
		t.Errorf("prod-fix-vat is not r24913: %q", msg)
	}
}

// TestStoryTickets reads tickets.csv back as a CSV reader would and checks
// the cases the classification stage relies on.
func TestStoryTickets(t *testing.T) {
	s := gittest.Story(t)
	raw, err := os.ReadFile(s.TicketsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "\r\n") || !strings.Contains(string(raw), "first\nattempt") {
		t.Error("tickets.csv: want CRLF between records and LF inside quoted descriptions")
	}
	records, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := records[0]
	if strings.Count(strings.Join(header, ","), "Labels") != 3 || !slices.Contains(header, "Custom field (Environment)") {
		t.Errorf("header %v", header)
	}
	col := func(name string) int { return slices.Index(header, name) }
	tickets := map[string][]string{}
	for _, r := range records[1:] {
		tickets[r[col("Issue key")]] = r
	}
	check := func(key, typ, env string) {
		t.Helper()
		r, ok := tickets[key]
		if !ok {
			t.Errorf("%s missing from tickets.csv", key)
			return
		}
		if r[col("Issue Type")] != typ || r[col("Custom field (Environment)")] != env {
			t.Errorf("%s: type %q environment %q, want %q %q", key, r[col("Issue Type")], r[col("Custom field (Environment)")], typ, env)
		}
	}
	check("PAY-109", "Story", "")
	check("PAY-110", "Bug", "Recette")
	check("PAY-111", "Bug", "Production")
	check("PAY-117", "Bug", "Production")
	check("PAY-120", "Story", "")
	check("PAY-122", "Bug", "Recette")
	check("PAY-103", "New Feature", "")
	check("PAY-102", "Improvement", "")
	check("PAY-105", "Task", "")
	if _, ok := tickets["PAY-121"]; ok {
		t.Error("PAY-121 must be missing from the export")
	}
	config, err := os.ReadFile(s.ConfigPath)
	if err != nil || !strings.Contains(string(config), "range: v1.4.0..recette") {
		t.Errorf(".triage.yaml: %v %q", err, config)
	}
}

// TestStoryTicketReferences checks that every PAY key the commits name is in
// the export, except PAY-121 (the missing one).
func TestStoryTicketReferences(t *testing.T) {
	gittest.NeedGit(t)
	s := gittest.Story(t)
	raw, err := os.ReadFile(s.TicketsPath)
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`PAY-[0-9]+`)
	known := map[string]bool{}
	for _, k := range keys.FindAllString(string(raw), -1) {
		known[k] = true
	}
	log := git(t, s.Dir, "log", "--format=%B", "v1.4.0..recette")
	missing := map[string]bool{}
	for _, k := range keys.FindAllString(log, -1) {
		if !known[k] {
			missing[k] = true
		}
	}
	if len(missing) != 1 || !missing["PAY-121"] {
		t.Errorf("tickets named by commits but absent from the export: %v, want only PAY-121", missing)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
