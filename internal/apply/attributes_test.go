package apply

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/testdata/repos"
)

func TestMergeAttributesMatchGit(t *testing.T) {
	body := numbered("body", 12)
	edited := func(at map[int]string) fentry { return textOf(replaced(body, at)...) }
	attrs := func(s string) fentry { return textOf(s) }
	cases := []struct {
		name             string
		base, ours, pick fstate
		outcome          string
	}{
		{name: "-merge: changes on both sides conflict even far apart",
			base: fstate{".gitattributes": attrs("*.txt -merge"), "a.txt": textOf(body...)},
			ours: fstate{".gitattributes": attrs("*.txt -merge"), "a.txt": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("*.txt -merge"), "a.txt": edited(map[int]string{11: "theirs"})}, outcome: "conflict"},
		{name: "binary macro",
			base: fstate{".gitattributes": attrs("*.dat binary"), "a.dat": textOf(body...)},
			ours: fstate{".gitattributes": attrs("*.dat binary"), "a.dat": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("*.dat binary"), "a.dat": edited(map[int]string{11: "theirs"})}, outcome: "conflict"},
		{name: "merge=union keeps both sides",
			base: fstate{".gitattributes": attrs("CHANGES merge=union"), "CHANGES": textOf(body...)},
			ours: fstate{".gitattributes": attrs("CHANGES merge=union"), "CHANGES": textOf(append(body, "ours entry")...)},
			pick: fstate{".gitattributes": attrs("CHANGES merge=union"), "CHANGES": textOf(append(body, "their entry")...)}},
		{name: "a deeper .gitattributes wins",
			base: fstate{".gitattributes": attrs("*.txt -merge"), "sub/.gitattributes": attrs("*.txt merge"), "sub/a.txt": textOf(body...)},
			ours: fstate{".gitattributes": attrs("*.txt -merge"), "sub/.gitattributes": attrs("*.txt merge"), "sub/a.txt": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("*.txt -merge"), "sub/.gitattributes": attrs("*.txt merge"), "sub/a.txt": edited(map[int]string{11: "theirs"})}},
		{name: "!merge makes it unspecified again",
			base: fstate{".gitattributes": attrs("*.txt -merge\nsub/*.txt !merge"), "sub/a.txt": textOf(body...)},
			ours: fstate{".gitattributes": attrs("*.txt -merge\nsub/*.txt !merge"), "sub/a.txt": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("*.txt -merge\nsub/*.txt !merge"), "sub/a.txt": edited(map[int]string{11: "theirs"})}},
		{name: "a pattern with a slash is relative to its directory",
			base: fstate{".gitattributes": attrs("docs/*.md -merge"), "docs/a.md": textOf(body...), "other/docs/b.md": textOf(body...)},
			ours: fstate{".gitattributes": attrs("docs/*.md -merge"), "docs/a.md": textOf(body...), "other/docs/b.md": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("docs/*.md -merge"), "docs/a.md": textOf(body...), "other/docs/b.md": edited(map[int]string{11: "theirs"})}},
		{name: "an unknown driver falls back to the text merge",
			base: fstate{".gitattributes": attrs("*.x merge=nosuchdriver"), "a.x": textOf(body...)},
			ours: fstate{".gitattributes": attrs("*.x merge=nosuchdriver"), "a.x": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("*.x merge=nosuchdriver"), "a.x": edited(map[int]string{11: "theirs"})}},
		{name: "the branch being built decides, not the pick",
			base: fstate{"a.txt": textOf(body...)},
			ours: fstate{".gitattributes": attrs("a.txt -merge"), "a.txt": edited(map[int]string{0: "ours"})},
			pick: fstate{"a.txt": edited(map[int]string{11: "theirs"})}, outcome: "conflict"},
		{name: "attributes the pick adds do not count yet",
			base: fstate{"a.txt": textOf(body...)},
			ours: fstate{"a.txt": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("a.txt -merge"), "a.txt": edited(map[int]string{11: "theirs"})}},
		{name: "a macro defined at the top",
			base: fstate{".gitattributes": attrs("[attr]locked -merge -diff\n*.lock locked"), "a.lock": textOf(body...)},
			ours: fstate{".gitattributes": attrs("[attr]locked -merge -diff\n*.lock locked"), "a.lock": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("[attr]locked -merge -diff\n*.lock locked"), "a.lock": edited(map[int]string{11: "theirs"})}, outcome: "conflict"},
		{name: "double star",
			base: fstate{".gitattributes": attrs("gen/**/*.json -merge"), "gen/x/y/a.json": textOf(body...)},
			ours: fstate{".gitattributes": attrs("gen/**/*.json -merge"), "gen/x/y/a.json": edited(map[int]string{0: "ours"})},
			pick: fstate{".gitattributes": attrs("gen/**/*.json -merge"), "gen/x/y/a.json": edited(map[int]string{11: "theirs"})}, outcome: "conflict"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, res := runCase(t, c.base, c.base, c.ours, c.pick)
			expect(t, want, res, c.outcome)
		})
	}
}

func TestConfiguredMergeDriverIsAConflict(t *testing.T) {
	dir := t.TempDir()
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Join(numbered("body", 12), "\n") + "\n"
	b.Commit(ann, "base", repos.Write(".gitattributes", "*.x merge=mine\n"), repos.Write("a.x", body))
	b.Checkout("side", "main")
	pick, _ := b.Commit(ann, "theirs", repos.Edit("a.x", "body line 12", "theirs"))
	b.Checkout("main", "main")
	ours, _ := b.Commit(ann, "ours", repos.Edit("a.x", "body line 01", "ours"))
	cfg, _ := b.Repo.Config()
	cfg.Raw.Section("merge").Subsection("mine").SetOption("driver", "cat %B > %A")
	if err := b.Repo.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	res, err := Apply(context.Background(), b.Repo.Storer, ours, []plumbing.Hash{pick}, testOptions())
	var ce *ConflictError
	if !errors.As(err, &ce) || res.Conflict.Paths[0].Kind != "merge driver" ||
		!strings.Contains(res.Conflict.Paths[0].Message, "uses the merge driver 'mine'") {
		t.Fatalf("error %v, conflict %+v", err, res.Conflict)
	}
}
