package risk

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
	"github.com/triage-dev/triage/internal/xdiff"
)

// Thresholds of the plan-level signals.
const (
	NearMissLines        = 3 // a kept hunk this many unchanged lines or fewer from a dropped one
	CochangeSupport      = 5 // commits that changed both files, at least
	CochangeConfidence   = 0.3
	CochangeMaxFiles     = 30 // commits touching more files say nothing about pairs
	UntestedFilesForHigh = 3
)

// Trees reads the pruned branch's, production's and recette's files.
// *vcs.Repo fits it through a two-line adapter; tests use maps.
type Trees interface {
	// Files lists a tree's files, path -> blob hash.
	Files(tree plumbing.Hash) (map[string]plumbing.Hash, error)
	Blob(h plumbing.Hash) ([]byte, error)
}

// PlanInput is a plan as plain data: what was kept and dropped, and the trees
// the pruned branch is compared with. Nothing here depends on how the plan
// was made or how the picks were applied.
type PlanInput struct {
	Commits []*vcs.Commit   // the range, oldest first
	Kept    []plumbing.Hash // the picks replayed on the pruned branch (keep and pull)
	Dropped []plumbing.Hash // left out; commits already present on --onto are in neither
	Edges   []Edge          // deps' edges within the range (EdgesOf)
	IsFix   FixFunc         // nil: KeywordFix
	Tickets map[plumbing.Hash][]string
	History []*vcs.Commit // before BASE, for co-changes

	Trees      Trees
	OntoTree   plumbing.Hash // production: what --onto holds
	BaseTree   plumbing.Hash // BASE, when it differs from --onto; zero otherwise
	HeadTree   plumbing.Hash // recette: what was tested
	PrunedTree plumbing.Hash // the picks applied onto --onto (apply's dry run)
	// Conflict is apply's error when the picks do not apply: there is then
	// no pruned tree, untested files cannot be known, and the plan is high risk.
	Conflict string
}

// PlanRisk is the pruned branch's risk; its json is the "plan" object of
// `triage risk`.
type PlanRisk struct {
	Level            Level             `json:"level"`
	Reasons          []string          `json:"reasons"`
	UntestedFiles    []UntestedFile    `json:"untested_files"`
	InterleavedFiles []InterleavedFile `json:"interleaved_files"`
	NearMisses       []NearMiss        `json:"near_misses"`
	BuildBreaks      []BuildBreak      `json:"build_breaks"`
	DroppedFollowups []Followup        `json:"dropped_followups"`
	SplitCochanges   []SplitCochange   `json:"split_cochanges"`
	Retest           Retest            `json:"retest"`
}

// UntestedFile is a file whose content on the pruned branch neither
// production nor recette ever had.
type UntestedFile struct {
	Path                   string `json:"path"`
	LinesDifferingFromHead int    `json:"lines_differing_from_head"`
}

// InterleavedFile is a file both kept and dropped commits changed.
type InterleavedFile struct {
	Path    string   `json:"path"`
	Kept    []string `json:"kept"`
	Dropped []string `json:"dropped"`
}

// NearMiss is a kept hunk a few lines from a dropped one: git merges it
// cleanly, but the logic they form together is split. Lines are HEAD's.
type NearMiss struct {
	Path         string `json:"path"`
	Kept         string `json:"kept"`
	Dropped      string `json:"dropped"`
	KeptLines    string `json:"kept_lines"`
	DroppedLines string `json:"dropped_lines"`
	Distance     int    `json:"distance"` // unchanged lines between them
}

// BuildBreak is a kept commit using a symbol only a dropped commit introduces.
type BuildBreak struct {
	Commit    string `json:"commit"`
	DependsOn string `json:"depends_on"`
	Evidence  string `json:"evidence"`
}

// Followup is a kept commit that a dropped commit later fixed or reverted.
type Followup struct {
	Commit   string `json:"commit"`   // kept
	Followup string `json:"followup"` // dropped
	Kind     string `json:"kind"`     // "revert" or "fix"
	Evidence string `json:"evidence"`
}

// SplitCochange is a pair of files that historically change together, of
// which the kept commits change one and the dropped commits the other.
type SplitCochange struct {
	KeptFile    string   `json:"kept_file"`
	DroppedFile string   `json:"dropped_file"`
	Support     int      `json:"support"`    // history commits changing both
	Confidence  float64  `json:"confidence"` // support / commits changing the kept file
	Kept        []string `json:"kept"`
	Dropped     []string `json:"dropped"`
}

// Retest is what a test team must re-check, grouped three ways.
type Retest struct {
	Directories []RetestDir    `json:"directories"`
	Files       []RetestFile   `json:"files"`
	Tickets     []RetestTicket `json:"tickets"`
}

type RetestDir struct {
	Path  string   `json:"path"`
	Files []string `json:"files"`
}

type RetestFile struct {
	Path    string   `json:"path"`
	Reasons []string `json:"reasons"`
	Tickets []string `json:"tickets"`
	Commits []string `json:"commits"` // kept commits that changed it
}

type RetestTicket struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
}

// planState indexes the input once.
type planState struct {
	in      PlanInput
	isFix   FixFunc
	index   map[plumbing.Hash]int
	kept    map[plumbing.Hash]bool
	dropped map[plumbing.Hash]bool
	// files changed by kept / dropped commits (old and new paths), -> commits
	keptFiles, droppedFiles map[string][]int
}

// AssessPlan measures the risk of a pruned branch.
func AssessPlan(in PlanInput) (*PlanRisk, error) {
	if in.Trees == nil && in.Conflict == "" {
		return nil, errors.New("risk: plan assessment needs the repository's trees (PlanInput.Trees is nil)")
	}
	st := &planState{in: in, isFix: in.IsFix, index: map[plumbing.Hash]int{}, kept: map[plumbing.Hash]bool{}, dropped: map[plumbing.Hash]bool{},
		keptFiles: map[string][]int{}, droppedFiles: map[string][]int{}}
	if st.isFix == nil {
		st.isFix = KeywordFix
	}
	for i, c := range in.Commits {
		st.index[c.Hash] = i
	}
	for _, h := range in.Kept {
		st.kept[h] = true
	}
	for _, h := range in.Dropped {
		if st.kept[h] {
			return nil, fmt.Errorf("risk: commit %s is both kept and dropped in the plan; a plan decides once per commit", h)
		}
		st.dropped[h] = true
	}
	for i, c := range in.Commits {
		m := st.keptFiles
		switch {
		case st.kept[c.Hash]:
		case st.dropped[c.Hash]:
			m = st.droppedFiles
		default:
			continue
		}
		for _, f := range c.Changes {
			for _, p := range changePaths(f) {
				if l := m[p]; len(l) == 0 || l[len(l)-1] != i {
					m[p] = append(l, i)
				}
			}
		}
	}
	out := &PlanRisk{}
	var err error
	if in.Conflict == "" {
		if out.UntestedFiles, err = st.untested(); err != nil {
			return nil, err
		}
	}
	if in.Trees != nil {
		if out.NearMisses, err = st.nearMisses(); err != nil {
			return nil, err
		}
	}
	out.InterleavedFiles = st.interleaved()
	out.BuildBreaks = st.buildBreaks()
	out.DroppedFollowups = st.followups()
	out.SplitCochanges = st.splitCochanges()
	out.Level, out.Reasons = planLevel(out)
	if in.Conflict != "" {
		if out.Level == Low {
			out.Reasons = nil // "every file is in a state seen before" cannot be said without the tree
		}
		out.Level = High
		out.Reasons = append([]string{"the picks do not apply onto --onto (" + in.Conflict + "): the pruned branch cannot be built as planned, " +
			"so which files end untested is unknown; run triage apply --dry-run for the conflict and what blocks it"}, out.Reasons...)
	}
	out.Retest = st.retest(out)
	// Empty lists, not null, in the json: a reader sees "none found".
	out.UntestedFiles = nonNil(out.UntestedFiles)
	out.InterleavedFiles = nonNil(out.InterleavedFiles)
	out.NearMisses = nonNil(out.NearMisses)
	out.BuildBreaks = nonNil(out.BuildBreaks)
	out.DroppedFollowups = nonNil(out.DroppedFollowups)
	out.SplitCochanges = nonNil(out.SplitCochanges)
	return out, nil
}

func changePaths(f vcs.FileChange) []string {
	if f.OldPath != "" && f.NewPath != "" && f.OldPath != f.NewPath {
		return []string{f.OldPath, f.NewPath}
	}
	return []string{f.Path()}
}

func (st *planState) sha(i int) string { return st.in.Commits[i].Hash.String() }

func (st *planState) shas(idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = st.sha(i)
	}
	return out
}

// untested lists the files whose pruned content is none of: production's
// (--onto, and BASE), recette's (HEAD), or any version a range commit made or
// started from. Only files the kept commits changed can differ from --onto.
func (st *planState) untested() ([]UntestedFile, error) {
	trees := map[string]map[string]plumbing.Hash{}
	for _, t := range []struct {
		name string
		h    plumbing.Hash
	}{{"--onto", st.in.OntoTree}, {"BASE", st.in.BaseTree}, {"HEAD", st.in.HeadTree}, {"pruned", st.in.PrunedTree}} {
		if t.h.IsZero() {
			continue
		}
		files, err := st.in.Trees.Files(t.h)
		if err != nil {
			return nil, fmt.Errorf("risk: reading the %s tree %s: %w", t.name, t.h, err)
		}
		trees[t.name] = files
	}
	seen := map[string]map[plumbing.Hash]bool{} // path -> versions (zero hash: absent)
	note := func(p string, h plumbing.Hash) {
		if seen[p] == nil {
			seen[p] = map[plumbing.Hash]bool{}
		}
		seen[p][h] = true
	}
	for _, c := range st.in.Commits {
		for _, f := range c.Changes {
			if f.OldPath != "" {
				note(f.OldPath, f.OldHash)
			} else {
				note(f.NewPath, plumbing.ZeroHash)
			}
			if f.NewPath != "" {
				note(f.NewPath, f.NewHash)
			} else {
				note(f.OldPath, plumbing.ZeroHash)
			}
			if f.Status == vcs.Renamed {
				note(f.OldPath, plumbing.ZeroHash)
				note(f.NewPath, plumbing.ZeroHash)
			}
		}
	}
	paths := sortedKeys(st.keptFiles)
	var out []UntestedFile
	for _, p := range paths {
		pruned := trees["pruned"][p]
		if pruned == trees["--onto"][p] || pruned == trees["HEAD"][p] || seen[p][pruned] {
			continue
		}
		if base, ok := trees["BASE"]; ok && pruned == base[p] {
			continue
		}
		n, err := st.linesDiffering(trees["HEAD"][p], pruned)
		if err != nil {
			return nil, fmt.Errorf("risk: comparing %s with HEAD: %w", p, err)
		}
		out = append(out, UntestedFile{Path: p, LinesDifferingFromHead: n})
	}
	return out, nil
}

func (st *planState) linesDiffering(a, b plumbing.Hash) (int, error) {
	read := func(h plumbing.Hash) ([]byte, error) {
		if h.IsZero() {
			return nil, nil
		}
		return st.in.Trees.Blob(h)
	}
	x, err := read(a)
	if err != nil {
		return 0, err
	}
	y, err := read(b)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range xdiff.Diff(x, y, xdiff.DefaultOptions()) {
		n += h.OldLines + h.NewLines
	}
	return n, nil
}

func (st *planState) interleaved() []InterleavedFile {
	var out []InterleavedFile
	for _, p := range sortedKeys(st.keptFiles) {
		if d := st.droppedFiles[p]; len(d) > 0 {
			out = append(out, InterleavedFile{Path: p, Kept: st.shas(st.keptFiles[p]), Dropped: st.shas(d)})
		}
	}
	return out
}

func (st *planState) nearMisses() ([]NearMiss, error) {
	head, err := st.in.Trees.Files(st.in.HeadTree)
	if err != nil {
		return nil, fmt.Errorf("risk: reading the HEAD tree %s: %w", st.in.HeadTree, err)
	}
	commits := st.in.Commits
	track := func(i int) bool { return st.kept[commits[i].Hash] || st.dropped[commits[i].Hash] }
	type key struct {
		path          string
		kept, dropped int
	}
	best := map[key]NearMiss{}
	for p, spans := range headSpans(commits, track, head) {
		for _, k := range spans {
			if !st.kept[commits[k.commit].Hash] {
				continue
			}
			for _, d := range spans {
				if !st.dropped[commits[d.commit].Hash] {
					continue
				}
				gap := -1
				switch {
				case k.e <= d.s:
					gap = d.s - k.e
				case d.e <= k.s:
					gap = k.s - d.e
				}
				if gap < 1 || gap > NearMissLines {
					continue // overlapping or touching is a conflict (deps' line/adjacent edges), farther is no near miss
				}
				kk := key{p, k.commit, d.commit}
				if old, ok := best[kk]; ok && old.Distance <= gap {
					continue
				}
				best[kk] = NearMiss{Path: p, Kept: st.sha(k.commit), Dropped: st.sha(d.commit),
					KeptLines: spanLines(k), DroppedLines: spanLines(d), Distance: gap}
			}
		}
	}
	out := make([]NearMiss, 0, len(best))
	for _, v := range best {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.KeptLines != b.KeptLines {
			return lessLines(a.KeptLines, b.KeptLines)
		}
		return a.DroppedLines < b.DroppedLines
	})
	return out, nil
}

// spanLines shows a span in 1-based lines: "12-14", "12", or "after 11" for
// a deletion point.
func spanLines(s span) string {
	switch {
	case s.e == s.s:
		return fmt.Sprintf("after %d", s.s)
	case s.e == s.s+1:
		return fmt.Sprint(s.s + 1)
	}
	return fmt.Sprintf("%d-%d", s.s+1, s.e)
}

func lessLines(a, b string) bool {
	var x, y int
	fmt.Sscan(strings.TrimPrefix(a, "after "), &x)
	fmt.Sscan(strings.TrimPrefix(b, "after "), &y)
	if x != y {
		return x < y
	}
	return a < b
}

func (st *planState) buildBreaks() []BuildBreak {
	var out []BuildBreak
	for _, e := range st.in.Edges {
		if e.Kind == KindSymbol && st.kept[e.Commit] && st.dropped[e.DependsOn] {
			ev := e.Evidence
			if e.Path != "" {
				ev = fmt.Sprintf("%s uses %s", e.Path, e.Evidence)
			}
			out = append(out, BuildBreak{Commit: e.Commit.String(), DependsOn: e.DependsOn.String(), Evidence: ev})
		}
	}
	return out
}

func (st *planState) followups() []Followup {
	type key struct{ kept, dropped plumbing.Hash }
	found := map[key]int{}
	var out []Followup
	for _, e := range st.in.Edges {
		if !st.dropped[e.Commit] || !st.kept[e.DependsOn] {
			continue
		}
		f := Followup{Commit: e.DependsOn.String(), Followup: e.Commit.String()}
		switch {
		case isFixup(e):
			f.Kind, f.Evidence = "fix", "the dropped commit is its "+strings.SplitN(e.Evidence, " ", 2)[0]+" commit"
		case e.Kind == KindRevert:
			f.Kind, f.Evidence = "revert", "reverted by the dropped commit"
		case (e.Kind == KindLine || e.Kind == KindAdjacent) && st.fixAt(e.Commit):
			f.Kind, f.Evidence = "fix", "the dropped fix changes its lines"
			if e.Path != "" {
				f.Evidence = fmt.Sprintf("the dropped fix changes its lines %s of %s", e.Lines, e.Path)
			}
		default:
			continue
		}
		k := key{e.DependsOn, e.Commit}
		if i, ok := found[k]; ok {
			if out[i].Kind == "fix" && f.Kind == "revert" {
				out[i] = f
			}
			continue
		}
		found[k] = len(out)
		out = append(out, f)
	}
	return out
}

func (st *planState) fixAt(h plumbing.Hash) bool {
	i, ok := st.index[h]
	return ok && st.isFix(st.in.Commits[i])
}

// splitCochanges finds file pairs (a changed by kept commits, b only by
// dropped ones) that the history before BASE changed together: in at least
// 5 commits of at most 30 files, with confidence support/commits(a) >= 0.3.
func (st *planState) splitCochanges() []SplitCochange {
	onlyDropped := map[string]bool{}
	for p := range st.droppedFiles {
		if len(st.keptFiles[p]) == 0 {
			onlyDropped[p] = true
		}
	}
	if len(onlyDropped) == 0 || len(st.keptFiles) == 0 {
		return nil
	}
	type pair struct{ a, b string }
	count := map[string]int{}
	support := map[pair]int{}
	for _, c := range st.in.History {
		if c.Merge || len(c.Changes) == 0 || len(c.Changes) > CochangeMaxFiles {
			continue
		}
		var ks, ds []string
		for _, f := range c.Changes {
			p := f.Path()
			if len(st.keptFiles[p]) > 0 {
				ks = append(ks, p)
				count[p]++
			}
			if onlyDropped[p] {
				ds = append(ds, p)
			}
		}
		for _, a := range ks {
			for _, b := range ds {
				support[pair{a, b}]++
			}
		}
	}
	var out []SplitCochange
	for pr, n := range support {
		conf := float64(n) / float64(count[pr.a])
		if n < CochangeSupport || conf < CochangeConfidence {
			continue
		}
		out = append(out, SplitCochange{KeptFile: pr.a, DroppedFile: pr.b, Support: n, Confidence: round2(conf),
			Kept: st.shas(st.keptFiles[pr.a]), Dropped: st.shas(st.droppedFiles[pr.b])})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].KeptFile != out[j].KeptFile {
			return out[i].KeptFile < out[j].KeptFile
		}
		return out[i].DroppedFile < out[j].DroppedFile
	})
	return out
}

// planLevel: high with a likely build break, a dropped follow-up, or at least
// 3 untested files; medium with any other signal; low with none.
func planLevel(r *PlanRisk) (Level, []string) {
	var reasons []string
	level := Low
	raise := func(l Level) {
		if l == High || level == Low {
			level = l
		}
	}
	if n := len(r.BuildBreaks); n > 0 {
		raise(High)
		reasons = append(reasons, fmt.Sprintf("%d kept %s a symbol only a dropped commit introduces: the branch may not build (first: %s uses what %s introduced: %s)",
			n, plural(n, "commit uses", "commits use"), r.BuildBreaks[0].Commit[:7], r.BuildBreaks[0].DependsOn[:7], r.BuildBreaks[0].Evidence))
	}
	if n := len(r.DroppedFollowups); n > 0 {
		raise(High)
		f := r.DroppedFollowups[0]
		reasons = append(reasons, fmt.Sprintf("%d kept %s a later fix or revert that is dropped (first: %s, %s by %s)",
			n, plural(n, "commit loses", "commits lose"), f.Commit[:7], map[string]string{"fix": "fixed", "revert": "reverted"}[f.Kind], f.Followup[:7]))
	}
	if n := len(r.UntestedFiles); n > 0 {
		if n >= UntestedFilesForHigh {
			raise(High)
		} else {
			raise(Medium)
		}
		lines := 0
		for _, u := range r.UntestedFiles {
			lines += u.LinesDifferingFromHead
		}
		reasons = append(reasons, fmt.Sprintf("%d %s end in a state neither production nor recette ever had (%d lines differ from what recette tested): %s",
			n, plural(n, "file", "files"), lines, firstPaths(r.UntestedFiles, func(u UntestedFile) string { return u.Path })))
	}
	if n := len(r.NearMisses); n > 0 {
		raise(Medium)
		reasons = append(reasons, fmt.Sprintf("%d kept %s within %d lines of a dropped one: the logic is split though git merges it cleanly (%s)",
			n, plural(n, "change lies", "changes lie"), NearMissLines, firstPaths(r.NearMisses, func(m NearMiss) string { return m.Path })))
	}
	if n := len(r.SplitCochanges); n > 0 {
		raise(Medium)
		reasons = append(reasons, fmt.Sprintf("%d %s of files that usually change together %s split between kept and dropped commits (%s)",
			n, plural(n, "pair", "pairs"), plural(n, "is", "are"), firstPaths(r.SplitCochanges, func(s SplitCochange) string { return s.KeptFile + " / " + s.DroppedFile })))
	}
	if n := len(r.InterleavedFiles); n > 0 {
		raise(Medium)
		reasons = append(reasons, fmt.Sprintf("%d %s changed by both kept and dropped commits (%s)",
			n, plural(n, "file is", "files are"), firstPaths(r.InterleavedFiles, func(f InterleavedFile) string { return f.Path })))
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "every file the kept commits change is in a state production or recette has seen, and nothing kept depends on what is dropped")
	}
	return level, reasons
}

func firstPaths[T any](items []T, name func(T) string) string {
	const show = 3
	var s []string
	for i, it := range items {
		if i == show {
			s = append(s, fmt.Sprintf("and %d more", len(items)-show))
			break
		}
		s = append(s, name(it))
	}
	return strings.Join(s, ", ")
}

// retest gathers, file by file, why the pruning changes tested behaviour,
// with the kept commits and tickets behind each file.
func (st *planState) retest(r *PlanRisk) Retest {
	reasons := map[string][]string{}
	add := func(p, why string) {
		for _, w := range reasons[p] {
			if w == why {
				return
			}
		}
		reasons[p] = append(reasons[p], why)
	}
	for _, u := range r.UntestedFiles {
		add(u.Path, "untested state")
	}
	for _, f := range r.InterleavedFiles {
		add(f.Path, "kept and dropped changes interleave")
	}
	for _, m := range r.NearMisses {
		add(m.Path, "near miss")
	}
	for _, s := range r.SplitCochanges {
		add(s.KeptFile, "co-change split")
		add(s.DroppedFile, "co-change split")
	}
	commitFiles := func(sha string, why string) {
		if i, ok := st.index[plumbing.NewHash(sha)]; ok {
			for _, f := range st.in.Commits[i].Changes {
				add(f.Path(), why)
			}
		}
	}
	for _, b := range r.BuildBreaks {
		commitFiles(b.Commit, "likely build break")
	}
	for _, f := range r.DroppedFollowups {
		commitFiles(f.Commit, "dropped follow-up")
	}
	out := Retest{Directories: []RetestDir{}, Files: []RetestFile{}, Tickets: []RetestTicket{}}
	byDir := map[string][]string{}
	byTicket := map[string][]string{}
	for _, p := range sortedKeys(reasons) {
		rf := RetestFile{Path: p, Reasons: reasons[p], Tickets: []string{}, Commits: st.shas(st.keptFiles[p])}
		seenT := map[string]bool{}
		for _, i := range st.keptFiles[p] {
			for _, t := range st.in.Tickets[st.in.Commits[i].Hash] {
				if !seenT[t] {
					seenT[t] = true
					rf.Tickets = append(rf.Tickets, t)
					byTicket[t] = append(byTicket[t], p)
				}
			}
		}
		sort.Strings(rf.Tickets)
		out.Files = append(out.Files, rf)
		d := path.Dir(p)
		byDir[d] = append(byDir[d], p)
	}
	for _, d := range sortedKeys(byDir) {
		out.Directories = append(out.Directories, RetestDir{Path: d, Files: byDir[d]})
	}
	for _, t := range sortedKeys(byTicket) {
		out.Tickets = append(out.Tickets, RetestTicket{ID: t, Files: byTicket[t]})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
