package classify

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/triage-dev/triage/internal/vcs"
)

// commit builds a commit from a message the way vcs does: subject is the first line.
func commit(msg string, trailers ...vcs.Trailer) *vcs.Commit {
	subject, _, _ := strings.Cut(msg, "\n")
	return &vcs.Commit{Message: msg, Subject: subject, Trailers: trailers}
}

func TestExtractDefaults(t *testing.T) {
	e := NewExtractor(nil)
	cases := []struct {
		msg  string
		want []string
	}{
		{"PAY-111: fix VAT", []string{"PAY-111"}},
		{"PAY-2 then PAY-1 and PAY-2 again", []string{"PAY-2", "PAY-1"}},
		{"fix rounding\n\nRefs #1234, #1235 and #1236", []string{"#1234", "#1235", "#1236"}},
		{"closes #12", []string{"#12"}},
		{"Fixes: #3", []string{"#3"}},
		{"Resolves #7; see #8", []string{"#7", "#8"}},
		{"RE: #4 and re #5", []string{"#4", "#5"}},
		{"fixes #1 #2", []string{"#1", "#2"}},
		{"FIXED #9, CLOSED #10, Resolved #11, references #12", []string{"#9", "#10", "#11", "#12"}},
		{"issue #5 and PR #6 are not keywords", nil},
		{"prefix#12 see#", nil},
		{"#12 alone is a heading or a PR, not a ticket", nil},
		{"PAY-3 subject\n\nbody mentions refs #5 then PAY-1", []string{"PAY-3", "#5", "PAY-1"}},
		{"Merge pull request #12 from org/feature/PAY-120", []string{"PAY-120"}},
		{"Merge branch 'hotfix/PAY-111' into recette", []string{"PAY-111"}},
		{"fix crash\n\nFixes: 3f2a9c1 (\"PAY-9: feature\")", nil},
		{"fix crash\n\nFixes: 1234567", nil},
		{"fix crash\n\nfixes: 3f2a9c1e8a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d", nil},
		{"convert to UTF-8 from ISO-8859-1, hash with SHA-256 (CVE-2021-44228)", nil},
		{"GH-42: crash", []string{"#42"}},
		{"lowercase pay-1 is prose", nil},
		{"PAY-7 \xe9volution (ISO-8859-1 message)", []string{"PAY-7"}},
		{"Revert \"PAY-8: x\"\n\nThis reverts commit 3f2a9c1e8a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d.", []string{"PAY-8"}},
		{"x\n\ngit-svn-id: https://svn/REPO-1/trunk@24911 4f1c-ab", nil},
	}
	for _, c := range cases {
		if got := e.Tickets(commit(c.msg)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.msg, got, c.want)
		}
	}
}

func TestExtractTrailers(t *testing.T) {
	e := NewExtractor(nil)
	cases := []struct {
		trailer vcs.Trailer
		want    []string
	}{
		{vcs.Trailer{Key: "Ticket", Value: "1234"}, []string{"#1234"}},
		{vcs.Trailer{Key: "Issue", Value: "#77, #78"}, []string{"#77", "#78"}},
		{vcs.Trailer{Key: "Bug", Value: "PAY-3"}, []string{"PAY-3"}},
		{vcs.Trailer{Key: "refs", Value: "12 13"}, []string{"#12", "#13"}},
		{vcs.Trailer{Key: "Reviewed-by", Value: "42"}, nil},
		{vcs.Trailer{Key: "Fixes", Value: "3f2a9c1 (\"PAY-9 x\")"}, nil},
	}
	for _, c := range cases {
		msg := "subject\n\n" + c.trailer.Key + ": " + c.trailer.Value
		if got := e.Tickets(commit(msg, c.trailer)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %q, want %q", c.trailer, got, c.want)
		}
	}
}

func TestExtractKnownProse(t *testing.T) {
	e := NewExtractor(nil)
	e.Known = func(id string) bool { return id == "ISO-9001" }
	if got := e.Tickets(commit("ISO-9001 audit, UTF-8 files")); !reflect.DeepEqual(got, []string{"ISO-9001"}) {
		t.Errorf("known prose-like id dropped: %q", got)
	}
}

func TestExtractCustomPatterns(t *testing.T) {
	e := NewExtractor([]*regexp.Regexp{regexp.MustCompile(`(?i)ticket (\d+)`), regexp.MustCompile(`\bUTF-\d+\b`)})
	got := e.Tickets(commit("Ticket 0042: UTF-8 again, PAY-1 is not a pattern here"))
	if want := []string{"#42", "UTF-8"}; !reflect.DeepEqual(got, want) {
		t.Errorf("custom: %q, want %q", got, want)
	}
	// A pattern anchored at the start still finds a merge's branch name.
	e = NewExtractor([]*regexp.Regexp{regexp.MustCompile(`^[A-Z]+-\d+`)})
	got = e.Tickets(commit("Merge branch 'PAY-5-fix' into recette"))
	if want := []string{"PAY-5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("branch: %q, want %q", got, want)
	}
}

func TestMergeBranch(t *testing.T) {
	cases := []struct{ subject, want string }{
		{"Merge branch 'hotfix/PAY-111'", "hotfix/PAY-111"},
		{"Merge branch 'hotfix/PAY-111' into recette", "hotfix/PAY-111"},
		{"Merge branch 'feature/x' into 'main'", "feature/x"},
		{"Merge branch 'fix' of https://example.com/r.git into main", "fix"},
		{"Merge remote-tracking branch 'origin/hotfix/PAY-2'", "hotfix/PAY-2"},
		{"Merge pull request #12 from org/feature/PAY-120", "feature/PAY-120"},
		{"Merged in feature/PAY-7 (pull request #3)", "feature/PAY-7"},
		{"Merge tag 'v1.2'", ""},
		{"Merge commit 'abc123'", ""},
		{"Fix merge of branches", ""},
	}
	for _, c := range cases {
		got, ok := MergeBranch(c.subject)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%q: %q %v", c.subject, got, ok)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	for in, want := range map[string]string{"123": "#123", "#0042": "#42", " PAY-1 ": "PAY-1", "#0": "#0", "#": "#", "": ""} {
		if got := NormalizeID(in); got != want {
			t.Errorf("NormalizeID(%q) = %q, want %q", in, got, want)
		}
	}
}
