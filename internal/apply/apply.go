package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage"
)

// Options control how Apply builds and records the branch.
type Options struct {
	// Branch is written (refs/heads/Branch) when every pick applied;
	// empty means no ref is written.
	Branch string
	// Force replaces an existing branch.
	Force bool
	// DryRun writes the objects but no ref.
	DryRun bool
	// Reproducible makes each committer date the author date, so the same
	// plan gives the same commit SHAs.
	Reproducible bool
	// Committer commits the new commits; nil means CommitterIdentity.
	Committer *Identity
	// Now is the committer date (default time.Now); ignored when Reproducible.
	Now func() time.Time
	// Progress, when set, is called after each pick.
	Progress func(done, total int)

	merge3 fileMerger // content merge; nil means the xdiff port
}

// Applied is one pick that became a new commit.
type Applied struct {
	Source plumbing.Hash // the commit picked
	Commit plumbing.Hash // the commit written on the new branch
}

// Skipped is a pick whose change the branch already has.
type Skipped struct {
	Source plumbing.Hash
	Reason string // "already applied" or "empty commit"
}

// ConflictPath is one path git would leave conflicted.
type ConflictPath struct {
	Path     string // path in the merged tree
	BasePath string // the path in the pick's parent (differs after renames)
	Kind     string // content, add/add, binary, modify/delete, rename/delete, rename/rename, file/directory, ...
	Message  string // what git says, one line per conflict
	// Regions are the conflicting hunks. A conflict that is not line based
	// (binary files, modify/delete, renames, file/directory...) is WholeFile,
	// and its one region spans every line of each side.
	Regions   []ConflictRegion
	WholeFile bool
}

// Conflict is the pick that could not be applied and why.
type Conflict struct {
	Commit plumbing.Hash // the pick
	Parent plumbing.Hash // its parent, whose lines Regions[].Base count
	Index  int           // position in the picks
	Paths  []ConflictPath
}

// Result is what Apply did.
type Result struct {
	Onto     plumbing.Hash
	Branch   string
	DryRun   bool
	Head     plumbing.Hash // last commit of the new branch; zero after a conflict
	Tree     plumbing.Hash // its tree; zero after a conflict
	Applied  []Applied
	Skipped  []Skipped
	Conflict *Conflict
	// RefWritten tells whether refs/heads/Branch now points at Head;
	// Replaced is its previous value when --force replaced it.
	RefWritten bool
	Replaced   plumbing.Hash
	// Existing is the branch's value when it already existed (a dry run
	// does not refuse it: the real run will need Force).
	Existing plumbing.Hash
}

// ConflictError is returned, with the Result, when a pick conflicts.
type ConflictError struct{ Conflict *Conflict }

func (e *ConflictError) Error() string {
	paths := make([]string, len(e.Conflict.Paths))
	for i, p := range e.Conflict.Paths {
		paths[i] = p.Path
	}
	return fmt.Sprintf("commit %s does not apply: conflict in %s", shortHash(e.Conflict.Commit), strings.Join(paths, ", "))
}

// Apply replays picks, in order, onto the commit onto, as
// `git cherry-pick -x` would, without touching any working tree, index or
// HEAD. The new objects are written only when every pick applied (or was
// already there); opts.Branch is then set atomically unless opts.DryRun.
// On conflict it returns the Result so far and a *ConflictError.
func Apply(ctx context.Context, repo storage.Storer, onto plumbing.Hash, picks []plumbing.Hash, opts Options) (*Result, error) {
	res := &Result{Onto: onto, Branch: opts.Branch, DryRun: opts.DryRun}
	st := newObjStore(repo)
	ontoCommit, err := st.commit(onto)
	if err != nil {
		return nil, fmt.Errorf("--onto %s: %w", shortHash(onto), err)
	}
	var refName plumbing.ReferenceName
	var before *plumbing.Reference
	if opts.Branch != "" {
		if refName, before, err = checkBranch(repo, opts.Branch, opts.Force || opts.DryRun); err != nil {
			return nil, err
		}
		if before != nil {
			res.Existing = before.Hash()
		}
	}
	committer := opts.Committer
	if committer == nil {
		id, err := CommitterIdentity(repo)
		if err != nil {
			return nil, err
		}
		committer = &id
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	merge3 := opts.merge3
	if merge3 == nil {
		merge3 = defaultMerge3
	}

	attrs := newAttrEnv(repo)
	head, tree := onto, ontoCommit.tree
	for i, pick := range picks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := st.commit(pick)
		if err != nil {
			return nil, fmt.Errorf("pick %s: %w", shortHash(pick), err)
		}
		if len(c.parents) > 1 {
			return nil, fmt.Errorf("pick %s is a merge commit; triage never picks merges (plan the commits it brought in instead)", shortHash(pick))
		}
		baseTree := emptyTree
		var parent plumbing.Hash
		if len(c.parents) == 1 {
			parent = c.parents[0]
			pc, err := st.commit(parent)
			if err != nil {
				return nil, fmt.Errorf("parent of pick %s: %w", shortHash(pick), err)
			}
			baseTree = pc.tree
		}
		label := shortHash(pick) + " (" + string(firstLine(c.message)) + ")"
		mr, err := mergeTrees(st, merge3, mergeLabels{ancestor: "parent of " + label, branch1: "HEAD", branch2: label},
			attrs, baseTree, tree, c.tree)
		if err != nil {
			return nil, fmt.Errorf("pick %s: %w", shortHash(pick), err)
		}
		if !mr.clean {
			res.Conflict = conflictReport(st, mr, pick, parent, i)
			return res, &ConflictError{res.Conflict}
		}
		if mr.tree == tree {
			reason := "already applied"
			if c.tree == baseTree {
				reason = "empty commit"
			}
			res.Skipped = append(res.Skipped, Skipped{Source: pick, Reason: reason})
		} else {
			committerLine := formatIdent(*committer, now())
			if opts.Reproducible {
				if d, ok := authorDate(c.author); ok {
					committerLine = committer.Name + " <" + committer.Email + "> " + d
				}
			}
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "tree %s\nparent %s\nauthor %s\ncommitter %s\n\n", mr.tree, head, c.author, committerLine)
			buf.Write(cherryPickMessage(c.message, pick))
			head = st.put(plumbing.CommitObject, fixUTF8(buf.Bytes()))
			tree = mr.tree
			res.Applied = append(res.Applied, Applied{Source: pick, Commit: head})
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(picks))
		}
	}
	if err := st.flush(); err != nil {
		return nil, err
	}
	res.Head, res.Tree = head, tree
	if opts.Branch != "" && !opts.DryRun {
		if err := updateBranch(repo, refName, before, head); err != nil {
			return res, err
		}
		res.RefWritten = true
		if before != nil {
			res.Replaced = before.Hash()
		}
	}
	return res, nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// checkBranch validates the branch to write and returns its current value.
func checkBranch(repo storage.Storer, branch string, force bool) (plumbing.ReferenceName, *plumbing.Reference, error) {
	if err := checkRefFormat(branch); err != nil {
		return "", nil, err
	}
	name := plumbing.NewBranchReferenceName(branch)
	if h, err := repo.Reference(plumbing.HEAD); err == nil && h.Type() == plumbing.SymbolicReference && h.Target() == name {
		return "", nil, fmt.Errorf("branch '%s' is checked out: triage never moves the checked-out branch; choose another --branch", branch)
	}
	if wt := linkedWorktreeWith(repo, name); wt != "" {
		return "", nil, fmt.Errorf("branch '%s' is checked out in the worktree %s: triage never moves a checked-out branch; choose another --branch", branch, wt)
	}
	ref, err := repo.Reference(name)
	switch {
	case errors.Is(err, plumbing.ErrReferenceNotFound):
		return name, nil, nil
	case err != nil:
		return "", nil, fmt.Errorf("read branch '%s': %w", branch, err)
	case !force:
		return "", nil, fmt.Errorf("branch '%s' exists at %s; pass --force to replace it, or choose another --branch", branch, shortHash(ref.Hash()))
	}
	return name, ref, nil
}

// linkedWorktreeWith returns the linked worktree (git worktree add) whose
// HEAD is the branch, if any.
func linkedWorktreeWith(repo storage.Storer, name plumbing.ReferenceName) string {
	fsys, ok := repo.(interface{ Filesystem() billy.Filesystem })
	if !ok {
		return ""
	}
	fs := fsys.Filesystem()
	dirs, err := fs.ReadDir("worktrees")
	if err != nil {
		return ""
	}
	for _, d := range dirs {
		f, err := fs.Open(fs.Join("worktrees", d.Name(), "HEAD"))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if strings.TrimSpace(string(b)) == "ref: "+name.String() {
			where := d.Name()
			if g, err := fs.Open(fs.Join("worktrees", d.Name(), "gitdir")); err == nil {
				p, _ := io.ReadAll(g)
				g.Close()
				where = strings.TrimSuffix(strings.TrimSpace(string(p)), "/.git")
			}
			return where
		}
	}
	return ""
}

// checkRefFormat applies git check-ref-format's rules to a branch name.
func checkRefFormat(branch string) error {
	bad := func(why string) error {
		return fmt.Errorf("--branch %q is not a valid branch name: %s", branch, why)
	}
	switch {
	case branch == "" || branch == "@":
		return bad("it is empty or '@'")
	case strings.HasPrefix(branch, "-"):
		return bad("it starts with '-'")
	case strings.Contains(branch, ".."), strings.Contains(branch, "@{"), strings.Contains(branch, "//"):
		return bad("it contains '..', '@{' or '//'")
	case strings.HasSuffix(branch, "/"), strings.HasSuffix(branch, "."), strings.HasPrefix(branch, "/"):
		return bad("it starts or ends with '/', or ends with '.'")
	}
	for _, c := range branch {
		if c < 32 || c == 127 || strings.ContainsRune(" ~^:?*[\\", c) {
			return bad(fmt.Sprintf("it contains %q", c))
		}
	}
	for _, part := range strings.Split(branch, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return bad("a component starts with '.' or ends with '.lock'")
		}
	}
	return nil
}

// updateBranch sets the branch to head, failing if it moved since Apply
// looked at it.
func updateBranch(repo storage.Storer, name plumbing.ReferenceName, before *plumbing.Reference, head plumbing.Hash) error {
	now, err := repo.Reference(name)
	switch {
	case before == nil && err == nil:
		return fmt.Errorf("branch '%s' was created (at %s) while triage was applying; nothing was changed; run again with --force to replace it", name.Short(), shortHash(now.Hash()))
	case before != nil && (err != nil || now.Hash() != before.Hash()):
		return fmt.Errorf("branch '%s' moved while triage was applying; nothing was changed; run again", name.Short())
	}
	if err := repo.CheckAndSetReference(plumbing.NewHashReference(name, head), before); err != nil {
		return fmt.Errorf("write branch '%s': %w", name.Short(), err)
	}
	return nil
}

// conflictReport turns merge-ort's conflict messages into paths and line
// ranges (in the pick's parent) for the report.
func conflictReport(st *objStore, mr *mergeResult, pick, parent plumbing.Hash, index int) *Conflict {
	c := &Conflict{Commit: pick, Parent: parent, Index: index}
	byPath := map[string]*ConflictPath{}
	var order []string
	add := func(path string) *ConflictPath {
		if cp, ok := byPath[path]; ok {
			return cp
		}
		cp := &ConflictPath{Path: path, BasePath: path}
		if ci, ok := mr.conflicted[path]; ok && ci.pathnames[0] != "" {
			cp.BasePath = ci.pathnames[0]
		}
		byPath[path] = cp
		order = append(order, path)
		return cp
	}
	var primaries []string
	for p := range mr.messages {
		primaries = append(primaries, p)
	}
	sort.Strings(primaries)
	for _, p := range primaries {
		for _, msg := range mr.messages[p] {
			if !msg.conflict {
				continue
			}
			cp := add(p)
			if cp.Kind == "" || cp.Kind == "content" {
				cp.Kind = msg.kind
			}
			if cp.Message != "" {
				cp.Message += "\n"
			}
			cp.Message += msg.text
		}
	}
	for p := range mr.conflicted {
		if _, ok := byPath[p]; !ok {
			add(p).Kind = "conflict"
		}
	}
	sort.Strings(order)
	for _, p := range order {
		cp := byPath[p]
		if r, ok := mr.regions[p]; ok && len(r) > 0 {
			cp.Regions = r
		} else {
			cp.WholeFile = true
			if ci, ok := mr.conflicted[p]; ok {
				cp.Regions = []ConflictRegion{wholeFileRegion(readOrNil(st, ci.stages[0]), readOrNil(st, ci.stages[1]), readOrNil(st, ci.stages[2]))}
			}
		}
		c.Paths = append(c.Paths, *cp)
	}
	return c
}

func readOrNil(st *objStore, v versionInfo) []byte {
	if v.mode == 0 || !(isReg(v.mode) || isLink(v.mode)) {
		return nil
	}
	b, err := st.blob(v.oid)
	if err != nil {
		return nil
	}
	return b
}
