package apply

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"path"
	"sort"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/triage-dev/triage/internal/gittest"
	"github.com/triage-dev/triage/internal/xdiff"
	"github.com/triage-dev/triage/testdata/repos"
)

var (
	long        = flag.Bool("long", false, "run the long git-equality corpus (thousands of cherry-picks)")
	corpusStart = flag.Int("corpus-start", 1, "first seed of the git-equality corpus")
	corpusN     = flag.Int("corpus-n", 0, "number of corpus seeds (0: 300, 60 with -short, 5000 with -long)")
)

// source is where the scenario generator draws its choices: math/rand for
// the corpus, the fuzzer's bytes for FuzzCherryPickVsGit.
type source interface{ Intn(n int) int }

type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) Intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := 0
	for k := 0; k < 2; k++ {
		v <<= 8
		if s.i < len(s.b) {
			v |= int(s.b[s.i])
			s.i++
		}
	}
	return v % n
}

type fentry struct {
	data []byte
	mode filemode.FileMode
}

type fstate map[string]fentry

func (s fstate) clone() fstate {
	c := make(fstate, len(s))
	for k, v := range s {
		c[k] = v
	}
	return c
}

func (s fstate) paths() []string {
	var p []string
	for k := range s {
		p = append(p, k)
	}
	sort.Strings(p)
	return p
}

// canPlace tells whether a file may be created at p without a file being
// the parent directory of another (git trees cannot hold both).
func (s fstate) canPlace(p string) bool {
	if _, ok := s[p]; ok {
		return false
	}
	for q := range s {
		if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return false
		}
	}
	return true
}

type gen struct {
	r  source
	id int
}

var (
	commonLines = []string{"}", "", "\treturn nil", "{", "// comment", "end", "\tif err != nil {", "\t}"}
	dirs        = []string{"", "", "a", "a/b", "c", "d/e"}
	names       = []string{"f1", "f2", "f3", "f4", "main.go", "util.go", "README", "x.txt", "y.txt", "z"}
)

func (g *gen) pick(n int) int { return g.r.Intn(n) }

func (g *gen) line() string {
	if g.pick(3) == 0 {
		return commonLines[g.pick(len(commonLines))]
	}
	g.id++
	return fmt.Sprintf("line %d-%d", g.pick(50), g.id)
}

func (g *gen) text(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(g.line())
		b.WriteByte('\n')
	}
	s := b.String()
	if g.pick(12) == 0 && len(s) > 0 {
		s = s[:len(s)-1] // no final newline
	}
	return []byte(s)
}

func (g *gen) binary() []byte {
	b := make([]byte, 20+g.pick(60))
	for i := range b {
		b[i] = byte(g.pick(256))
	}
	b[g.pick(len(b))] = 0
	return b
}

func (g *gen) newPath(s fstate) string {
	for tries := 0; tries < 20; tries++ {
		p := path.Join(dirs[g.pick(len(dirs))], names[g.pick(len(names))])
		if g.pick(4) == 0 {
			p = path.Join(dirs[g.pick(len(dirs))], fmt.Sprintf("n%d", g.pick(30)))
		}
		if s.canPlace(p) {
			return p
		}
	}
	return ""
}

func (g *gen) filesOf(s fstate, keep func(fentry) bool) []string {
	var out []string
	for _, p := range s.paths() {
		if keep(s[p]) {
			out = append(out, p)
		}
	}
	return out
}

func isText(e fentry) bool {
	return (e.mode == filemode.Regular || e.mode == filemode.Executable) && !xdiff.IsBinary(e.data)
}

func (g *gen) initial() fstate {
	s := fstate{}
	for n := 3 + g.pick(8); len(s) < n; {
		p := g.newPath(s)
		if p == "" {
			break
		}
		s[p] = fentry{g.text(3 + g.pick(20)), filemode.Regular}
	}
	if g.pick(4) == 0 {
		if p := g.newPath(s); p != "" {
			s[p] = fentry{g.binary(), filemode.Regular}
		}
	}
	if g.pick(5) == 0 {
		if p := g.newPath(s); p != "" {
			s[p] = fentry{[]byte("f1"), filemode.Symlink}
		}
	}
	return s
}

// editLines changes one to three places of a text: lines replaced,
// inserted or deleted, sometimes right next to each other.
func (g *gen) editLines(data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for k := 1 + g.pick(3); k > 0; k-- {
		at := g.pick(len(lines) + 1)
		del := g.pick(3)
		if at+del > len(lines) {
			del = len(lines) - at
		}
		var ins []string
		for i := g.pick(3); i > 0 || (del == 0 && len(ins) == 0); i-- {
			ins = append(ins, g.line()+"\n")
		}
		lines = append(lines[:at], append(ins, lines[at+del:]...)...)
	}
	return []byte(strings.Join(lines, ""))
}

func (g *gen) mutate(s fstate, ops int) fstate {
	s = s.clone()
	for i := 0; i < ops; i++ {
		g.op(s)
	}
	return s
}

func (g *gen) op(s fstate) {
	texts := g.filesOf(s, isText)
	all := s.paths()
	switch k := g.pick(100); {
	case k < 40 && len(texts) > 0: // edit
		p := texts[g.pick(len(texts))]
		s[p] = fentry{g.editLines(s[p].data), s[p].mode}
	case k < 50: // add
		if p := g.newPath(s); p != "" {
			s[p] = fentry{g.text(1 + g.pick(15)), filemode.Regular}
		}
	case k < 56 && len(all) > 0: // delete
		delete(s, all[g.pick(len(all))])
	case k < 70 && len(all) > 0: // rename, with or without an edit
		p := all[g.pick(len(all))]
		e := s[p]
		delete(s, p)
		np := ""
		for tries := 0; tries < 10 && np == ""; tries++ {
			switch g.pick(3) {
			case 0: // same basename elsewhere
				np = path.Join(dirs[g.pick(len(dirs))], path.Base(p))
			default:
				np = g.newPath(s)
			}
			if !s.canPlace(np) || np == p {
				np = ""
			}
		}
		if np == "" {
			s[p] = e
			return
		}
		if isText(e) && g.pick(2) == 0 {
			e.data = g.editLines(e.data)
		}
		s[np] = e
	case k < 75 && len(texts) > 0: // mode change
		p := texts[g.pick(len(texts))]
		e := s[p]
		if e.mode == filemode.Regular {
			e.mode = filemode.Executable
		} else {
			e.mode = filemode.Regular
		}
		s[p] = e
	case k < 80: // binary file added or changed
		bins := g.filesOf(s, func(e fentry) bool { return e.mode == filemode.Regular && xdiff.IsBinary(e.data) })
		if len(bins) > 0 && g.pick(2) == 0 {
			p := bins[g.pick(len(bins))]
			d := append([]byte(nil), s[p].data...)
			d[g.pick(len(d))] ^= 0x5a
			s[p] = fentry{d, filemode.Regular}
		} else if p := g.newPath(s); p != "" {
			s[p] = fentry{g.binary(), filemode.Regular}
		}
	case k < 85: // symlink added or retargeted
		links := g.filesOf(s, func(e fentry) bool { return e.mode == filemode.Symlink })
		if len(links) > 0 && g.pick(2) == 0 {
			p := links[g.pick(len(links))]
			s[p] = fentry{[]byte(fmt.Sprintf("target%d", g.pick(5))), filemode.Symlink}
		} else if p := g.newPath(s); p != "" {
			s[p] = fentry{[]byte(fmt.Sprintf("target%d", g.pick(5))), filemode.Symlink}
		}
	case k < 88 && len(all) > 0: // type change
		p := all[g.pick(len(all))]
		if s[p].mode == filemode.Symlink {
			s[p] = fentry{g.text(3), filemode.Regular}
		} else {
			s[p] = fentry{[]byte("elsewhere"), filemode.Symlink}
		}
	case k < 92: // directory renamed
		var ds []string
		seen := map[string]bool{}
		for _, p := range all {
			if d := path.Dir(p); d != "." && !seen[d] {
				seen[d] = true
				ds = append(ds, d)
			}
		}
		if len(ds) == 0 {
			return
		}
		from := ds[g.pick(len(ds))]
		to := []string{"moved", "a/moved", "c2"}[g.pick(3)]
		moved := fstate{}
		for _, p := range all {
			if strings.HasPrefix(p, from+"/") {
				moved[to+p[len(from):]] = s[p]
				delete(s, p)
			}
		}
		for p, e := range moved {
			if s.canPlace(p) {
				s[p] = e
			}
		}
	case k < 94 && len(all) > 0: // a file becomes a directory
		p := all[g.pick(len(all))]
		e := s[p]
		delete(s, p)
		if s.canPlace(p + "/inner") {
			s[p+"/inner"] = e
		} else {
			s[p] = e
		}
	case k < 96: // submodule
		if p := g.newPath(s); p != "" {
			s[p] = fentry{[]byte(fmt.Sprintf("sub%d", g.pick(4))), filemode.Submodule}
		}
	case k < 98: // empty file
		if p := g.newPath(s); p != "" {
			s[p] = fentry{nil, filemode.Regular}
		}
	default: // same change on a file the other side may touch too
		if len(texts) > 0 {
			p := texts[g.pick(len(texts))]
			s[p] = fentry{append(append([]byte{}, s[p].data...), "appended\n"...), s[p].mode}
		}
	}
}

var testMessages = []string{
	"Fix the parser",
	"Add a feature\n\nWith a body that explains it.\nOver two lines.",
	"Fix crash\n\nSigned-off-by: Ann Dev <ann@example.com>",
	"Refactor\n\nSome text.\n\nSigned-off-by: Ann Dev <ann@example.com>\nReviewed-by: Bob <bob@example.com>",
	"Update docs\n\nFixes: 1234\nthis line is not a trailer",
	"Trailing spaces   \n\n\n\nbody   \n\n\n",
	"\n\n   \nSubject after blank lines\n\nbody",
	"Change with continuation\n\nCo-authored-by: Eve <eve@example.com>\n  continued\nAcked-by: Dan",
	"Backport\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
	"Caf\xe9 cr\xe8me (latin-1 bytes)\n\nd\xe9tails",
	"# hash subject\n\n# a comment line\nKey: value",
	"Subject\n\nKey: value\n# trailing comment\n",
	"Merge fix\n\nConflicts:\n\tsrc/a.c\n",
	"",
	"One line with trailer-like: text",
	"PAY-12 Fix rounding\n\nChange-Id: I0123456789\nBug: 77",
}

var testAuthors = []repos.Person{
	{Name: "Ann Dev", Email: "ann@example.com"},
	{Name: "Zoë Ünicode", Email: "zoe@example.com"},
	{Name: "Andr\xe9 Latin", Email: "andre@example.com"},
}

// scenario is one cherry-pick case: picks from the "theirs" branch onto
// the head of "ours".
type scenario struct {
	base, pre, ours fstate
	picks           []fstate // successive commits after pre on "theirs"
	pickIdx         []int    // which of them to cherry-pick, in order
	messages        []string
	config          map[string]string // "section.key" set in the repository's config
}

func newScenario(r source) *scenario {
	g := &gen{r: r}
	sc := &scenario{}
	sc.base = g.initial()
	sc.pre = g.mutate(sc.base, g.pick(3))
	n := 1
	if g.pick(4) == 0 {
		n = 2 + g.pick(2)
	}
	cur := sc.pre
	for i := 0; i < n; i++ {
		cur = g.mutate(cur, 1+g.pick(3))
		sc.picks = append(sc.picks, cur)
		sc.messages = append(sc.messages, testMessages[g.pick(len(testMessages))])
	}
	switch g.pick(10) {
	case 0: // ours already has the first pick's change
		sc.ours = g.mutate(sc.base, g.pick(2))
		applyDelta(sc.ours, sc.pre, sc.picks[0])
	case 1: // ours descends from the pick's parent
		sc.ours = g.mutate(sc.pre, g.pick(3))
	default:
		sc.ours = g.mutate(sc.base, g.pick(5))
	}
	if n == 1 {
		sc.pickIdx = []int{0}
	} else {
		for i := 0; i < n; i++ {
			if g.pick(3) != 0 || (i == n-1 && len(sc.pickIdx) == 0) {
				sc.pickIdx = append(sc.pickIdx, i)
			}
		}
	}
	return sc
}

// applyDelta makes in dst the changes that turn from into to, where it can.
func applyDelta(dst, from, to fstate) {
	for p, e := range to {
		if old, ok := from[p]; ok && string(old.data) == string(e.data) && old.mode == e.mode {
			continue
		}
		if _, ok := dst[p]; ok || dst.canPlace(p) {
			dst[p] = e
		}
	}
	for p := range from {
		if _, ok := to[p]; !ok {
			delete(dst, p)
		}
	}
}

// commitState records the state on the builder's current branch.
func commitState(b *repos.Builder, prev, next fstate, who repos.Person, msg string) (plumbing.Hash, error) {
	var changes []repos.Change
	for _, p := range prev.paths() {
		if _, ok := next[p]; !ok {
			changes = append(changes, repos.Delete(p))
		}
	}
	for _, p := range next.paths() {
		e := next[p]
		if old, ok := prev[p]; ok && string(old.data) == string(e.data) && old.mode == e.mode {
			continue
		}
		changes = append(changes, repos.WriteMode(p, string(e.data), e.mode))
	}
	return b.Commit(who, msg, changes...)
}

type builtScenario struct {
	dir   string
	ours  plumbing.Hash
	picks []plumbing.Hash
}

func (sc *scenario) build(t testing.TB, dir string) builtScenario {
	b, err := repos.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ann := testAuthors[0]
	if _, err := commitState(b, fstate{}, sc.base, ann, "base"); err != nil {
		t.Fatal(err)
	}
	if err := b.Checkout("theirs", "main"); err != nil {
		t.Fatal(err)
	}
	if _, err := commitState(b, sc.base, sc.pre, ann, "pre"); err != nil {
		t.Fatal(err)
	}
	var all []plumbing.Hash
	prev := sc.pre
	for i, s := range sc.picks {
		h, err := commitState(b, prev, s, testAuthors[i%len(testAuthors)], sc.messages[i])
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, h)
		prev = s
	}
	if err := b.Checkout("ours", "main"); err != nil {
		t.Fatal(err)
	}
	ours, err := commitState(b, sc.base, sc.ours, ann, "ours")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.config) > 0 {
		cfg, err := b.Repo.Config()
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range sc.config {
			i := strings.IndexByte(k, '.')
			cfg.Raw.Section(k[:i]).SetOption(k[i+1:], v)
		}
		if err := b.Repo.SetConfig(cfg); err != nil {
			t.Fatal(err)
		}
	}
	bs := builtScenario{dir: dir, ours: ours}
	for _, i := range sc.pickIdx {
		bs.picks = append(bs.picks, all[i])
	}
	return bs
}

// gitOutcome is what `git cherry-pick -x picks...` did.
type gitOutcome struct {
	commits   []plumbing.Hash // commits it made, in order
	stop      string          // "", "conflict" or "empty"
	stoppedAt int
	output    string
}

func gitCherryPick(t testing.TB, bs builtScenario) gitOutcome {
	gittest.Git(t, bs.dir, "reset", "-q", "--hard")
	args := []string{"cherry-pick", "-x"}
	for _, p := range bs.picks {
		args = append(args, p.String())
	}
	out, code := gittest.TryGit(t, bs.dir, args...)
	o := gitOutcome{output: out}
	r, err := git.PlainOpen(bs.dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Reference(plumbing.NewBranchReferenceName("ours"), true)
	if err != nil {
		t.Fatal(err)
	}
	for h := head.Hash(); h != bs.ours; {
		o.commits = append([]plumbing.Hash{h}, o.commits...)
		c, err := r.CommitObject(h)
		if err != nil || len(c.ParentHashes) != 1 {
			t.Fatalf("walking git's commits: %v", err)
		}
		h = c.ParentHashes[0]
	}
	if code != 0 {
		o.stoppedAt = len(o.commits)
		switch {
		case code < 0 || strings.Contains(out, "Assertion"):
			o.stop = "crash" // git aborted: it writes nothing, Apply must conflict
		case strings.Contains(out, "is now empty"):
			o.stop = "empty"
		case strings.Contains(out, "could not apply"):
			o.stop = "conflict"
		default:
			t.Fatalf("git cherry-pick failed in an unexpected way (exit %d):\n%s", code, out)
		}
	}
	return o
}

type corpusStats struct{ clean, conflict, empty, picks int }

// checkAgainstGit runs one scenario through git and Apply and compares.
func checkAgainstGit(t *testing.T, sc *scenario, stats *corpusStats) {
	dir := t.TempDir()
	bs := sc.build(t, dir)
	want := gitCherryPick(t, bs)
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Apply(context.Background(), r.Storer, bs.ours, bs.picks, testOptions())
	var ce *ConflictError
	if err != nil && !errors.As(err, &ce) {
		t.Fatalf("Apply: %v", err)
	}
	stats.picks += len(bs.picks)
	// Our commits, with the skipped picks as gaps, for git's order.
	skipped := map[plumbing.Hash]bool{}
	for _, s := range res.Skipped {
		skipped[s.Source] = true
	}
	applied := map[plumbing.Hash]plumbing.Hash{}
	for _, a := range res.Applied {
		applied[a.Source] = a.Commit
	}
	for i, gc := range want.commits {
		got, ok := applied[bs.picks[i]]
		if !ok {
			t.Fatalf("pick %d (%s): git applied it as %s, Apply did not (conflict=%v skipped=%v)\ngit said:\n%s",
				i, shortHash(bs.picks[i]), shortHash(gc), res.Conflict != nil, skipped[bs.picks[i]], want.output)
		}
		if got != gc {
			t.Fatalf("pick %d (%s): git made %s, Apply made %s\n%s", i, shortHash(bs.picks[i]), gc, got, describeDiff(t, r, gc, got))
		}
	}
	switch want.stop {
	case "":
		stats.clean++
		if res.Conflict != nil {
			t.Fatalf("git applied every pick cleanly; Apply reports a conflict: %s", describeConflict(res.Conflict))
		}
	case "conflict", "crash":
		stats.conflict++
		if res.Conflict == nil || res.Conflict.Index != want.stoppedAt {
			t.Fatalf("git stopped (%s) at pick %d; Apply: conflict=%v\ngit said:\n%s", want.stop, want.stoppedAt, res.Conflict != nil, want.output)
		}
	case "empty":
		stats.empty++
		if !skipped[bs.picks[want.stoppedAt]] {
			t.Fatalf("git found pick %d empty; Apply did not skip it (conflict=%v)\ngit said:\n%s", want.stoppedAt, res.Conflict != nil, want.output)
		}
	}
}

func describeConflict(c *Conflict) string {
	var b strings.Builder
	for _, p := range c.Paths {
		fmt.Fprintf(&b, "\n  %s [%s] %s", p.Path, p.Kind, p.Message)
	}
	return b.String()
}

func describeDiff(t *testing.T, r *git.Repository, want, got plumbing.Hash) string {
	wc, err1 := r.CommitObject(want)
	gc, err2 := object.GetCommit(r.Storer, got)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("(cannot read commits: %v %v)", err1, err2)
	}
	var b strings.Builder
	if wc.Message != gc.Message {
		fmt.Fprintf(&b, "message: git %q\n      apply %q\n", wc.Message, gc.Message)
	}
	if wc.Author.String() != gc.Author.String() {
		fmt.Fprintf(&b, "author: git %q apply %q\n", wc.Author.String(), gc.Author.String())
	}
	if wc.TreeHash != gc.TreeHash {
		wt, _ := wc.Tree()
		gt, _ := gc.Tree()
		changes, err := object.DiffTree(wt, gt)
		if err != nil {
			return b.String() + err.Error()
		}
		for _, ch := range changes {
			fmt.Fprintf(&b, "tree differs: git %s %s / apply %s %s\n", ch.From.Name, ch.From.TreeEntry.Hash, ch.To.Name, ch.To.TreeEntry.Hash)
		}
	}
	return b.String()
}

func TestCherryPickCorpusMatchesGit(t *testing.T) {
	gittest.NeedGit(t)
	n := 300
	if testing.Short() {
		n = 60
	}
	if *long {
		n = 5000
	}
	if *corpusN > 0 {
		n = *corpusN
	}
	var stats corpusStats
	for seed := *corpusStart; seed < *corpusStart+n; seed++ {
		sc := newScenario(rand.New(rand.NewSource(int64(seed))))
		if !t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) { checkAgainstGit(t, sc, &stats) }) && !*long {
			break
		}
	}
	t.Logf("%d scenarios, %d picks: %d clean, %d conflicts, %d already applied", n, stats.picks, stats.clean, stats.conflict, stats.empty)
}

func FuzzCherryPickVsGit(f *testing.F) {
	for _, s := range []string{"\x01\x02\x03", "seed corpus: renames", "\xff\x00\x7f\x10 binary and links", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		gittest.NeedGit(t)
		var stats corpusStats
		checkAgainstGit(t, newScenario(&byteSource{b: data}), &stats)
	})
}
