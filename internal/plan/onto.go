package plan

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/triage-dev/triage/internal/vcs"
)

// Presence says why a commit of the range is already on the target branch.
type Presence struct {
	On  plumbing.Hash // the commit of the target branch that carries it
	How string        // "patch-id", "cherry-pick" or "svn-merge"
	// Evidence says it in words: "same patch as 1a2b3c4",
	// "1a2b3c4 says (cherry picked from commit ...)", "1a2b3c4: Merged r24913 from trunk".
	Evidence string
}

// OntoSource is what FindPresent reads; *vcs.Repo satisfies it.
type OntoSource interface {
	MergeBase(a, b plumbing.Hash) (plumbing.Hash, error)
	ReadRange(ctx context.Context, base, head plumbing.Hash, opts vcs.ReadOptions) (*vcs.Range, error)
	ReadBlob(h plumbing.Hash) ([]byte, error)
}

// FindPresent finds the commits of rng already on onto, looking at onto's
// commits since its merge base with the range's head: the same patch-id (as
// git patch-id --stable, so git cherry and rebase agree), a "(cherry picked
// from commit X)" line naming the commit (either way round), or a
// Subversion merge record naming its revision ("Merged r24911 from trunk",
// an svn:mergeinfo line). Revision mentions elsewhere in a message are not
// trusted: "fixes the bug of r24911" does not carry r24911.
func FindPresent(ctx context.Context, src OntoSource, rng *vcs.Range, onto plumbing.Hash) (map[plumbing.Hash]Presence, error) {
	out := map[plumbing.Hash]Presence{}
	if onto.IsZero() || len(rng.Commits) == 0 {
		return out, nil
	}
	mb, err := src.MergeBase(onto, rng.Head)
	if err != nil {
		return nil, fmt.Errorf("--onto: %w", err)
	}
	// Range commits that onto already has as they are: the merge base and
	// its ancestors (a hotfix branch merged into both, say).
	for _, c := range ancestorsInRange(rng, mb) {
		out[c.Hash] = Presence{On: c.Hash, How: "same-commit", Evidence: "the same commit is in its history"}
	}
	if mb == onto {
		return out, nil // onto has nothing else the range does not
	}
	side, err := src.ReadRange(ctx, mb, onto, vcs.ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("--onto: reading its commits since the merge base %s: %w", mb.String()[:7], err)
	}
	mark := func(c *vcs.Commit, on *vcs.Commit, how, evidence string) {
		if _, done := out[c.Hash]; !done && !c.Merge {
			out[c.Hash] = Presence{On: on.Hash, How: how, Evidence: evidence}
		}
	}
	byRev := map[int]*vcs.Commit{}
	for _, c := range rng.Commits {
		if c.SvnRev > 0 {
			byRev[c.SvnRev] = c
		}
	}
	onSide := map[plumbing.Hash]*vcs.Commit{}
	for _, o := range side.Commits {
		onSide[o.Hash] = o
	}
	for _, o := range side.Commits {
		for _, sha := range vcs.CherryPickedFrom(o.Message) {
			for _, c := range rng.Commits {
				if strings.HasPrefix(c.Hash.String(), sha) {
					mark(c, o, "cherry-pick", fmt.Sprintf("%s says (cherry picked from commit %s)", o.Short(), c.Short()))
				}
			}
		}
		for _, rev := range MergedRevisions(o.Message) {
			if c := byRev[rev]; c != nil {
				mark(c, o, "svn-merge", fmt.Sprintf("%s records the Subversion merge of r%d", o.Short(), rev))
			}
		}
	}
	for _, c := range rng.Commits {
		for _, sha := range vcs.CherryPickedFrom(c.Message) {
			for h, o := range onSide {
				if strings.HasPrefix(h.String(), sha) {
					mark(c, o, "cherry-pick", fmt.Sprintf("it is a cherry-pick of %s, which is there", o.Short()))
				}
			}
		}
	}
	return out, samePatches(ctx, src, rng.Commits, side.Commits, mark)
}

// ancestorsInRange lists the non-merge commits of the range that are h or
// its ancestors.
func ancestorsInRange(rng *vcs.Range, h plumbing.Hash) []*vcs.Commit {
	index := make(map[plumbing.Hash]*vcs.Commit, len(rng.Commits))
	for _, c := range rng.Commits {
		index[c.Hash] = c
	}
	seen := map[plumbing.Hash]bool{}
	var out []*vcs.Commit
	stack := []plumbing.Hash{h}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, ok := index[x]
		if !ok || seen[x] {
			continue
		}
		seen[x] = true
		if !c.Merge {
			out = append(out, c)
		}
		stack = append(stack, c.Parents...)
	}
	return out
}

// samePatches marks the range commits whose patch-id equals one of onto's.
// Patch-ids are costly (they need every blob), so only commits with the
// same changed paths and line counts as some commit of onto are hashed:
// equal patches always agree on those.
func samePatches(ctx context.Context, src OntoSource, commits, side []*vcs.Commit, mark func(c, on *vcs.Commit, how, evidence string)) error {
	bySig := map[string][]*vcs.Commit{}
	for _, o := range side {
		if !o.Merge && len(o.Changes) > 0 {
			bySig[signature(o)] = append(bySig[signature(o)], o)
		}
	}
	ids := map[plumbing.Hash]plumbing.Hash{}
	patchID := func(c *vcs.Commit) (plumbing.Hash, error) {
		if id, ok := ids[c.Hash]; ok {
			return id, nil
		}
		id, err := vcs.PatchID(c.Changes, src.ReadBlob)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("patch-id of %s: %w", c.Short(), err)
		}
		ids[c.Hash] = id
		return id, nil
	}
	for _, c := range commits {
		if c.Merge || len(c.Changes) == 0 {
			continue
		}
		candidates := bySig[signature(c)]
		if len(candidates) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		id, err := patchID(c)
		if err != nil {
			return err
		}
		for _, o := range candidates {
			oid, err := patchID(o)
			if err != nil {
				return err
			}
			if !id.IsZero() && id == oid {
				mark(c, o, "patch-id", fmt.Sprintf("%s has the same patch (patch-id %s)", o.Short(), id.String()[:12]))
				break
			}
		}
	}
	return nil
}

// signature is what two commits with the same patch-id share: the changed
// paths with their line counts.
func signature(c *vcs.Commit) string {
	parts := make([]string, 0, len(c.Changes))
	for _, f := range c.Changes {
		parts = append(parts, fmt.Sprintf("%s>%s:%d:%d:%t", f.OldPath, f.NewPath, f.Added, f.Deleted, f.Binary))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

var (
	// "Merged r24911 from trunk", "Merge r24911, r24915-24917 into release",
	// "Merging r24911:24913 from trunk" (svnmerge.py and hand-written records).
	mergeRecordRE = regexp.MustCompile(`(?i)^\s*merg(?:ed|e|ing)\s+(?:revisions?\s+)?(r\d+(?:\s*[-:]\s*r?\d+)?(?:\s*(?:,|and)\s*r?\d+(?:\s*[-:]\s*r?\d+)?)*)`)
	// "svn:mergeinfo /trunk:24911,24915-24917" as some migration tools copy it.
	mergeinfoRE = regexp.MustCompile(`(?i)svn:mergeinfo\s*:?\s*(?:/\S*:)?(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)`)
	revItemRE   = regexp.MustCompile(`r?(\d+)(?:\s*[-:]\s*r?(\d+))?`)
)

// maxMergedRange bounds a revision range taken from a merge record, so a
// typo cannot claim thousands of revisions.
const maxMergedRange = 500

// maxRevision bounds the revision numbers read from messages.
const maxRevision = 1 << 30

// MergedRevisions returns the Subversion revisions a message records as
// merged: only lines that start with a merge verb and list revisions, and
// svn:mergeinfo lines.
func MergedRevisions(msg string) []int {
	var out []int
	for _, line := range strings.Split(msg, "\n") {
		list := ""
		if m := mergeRecordRE.FindStringSubmatch(line); m != nil {
			list = m[1]
		} else if m := mergeinfoRE.FindStringSubmatch(line); m != nil {
			list = m[1]
		} else {
			continue
		}
		for _, it := range revItemRE.FindAllStringSubmatch(list, -1) {
			from, err := strconv.Atoi(it[1])
			if err != nil || from > maxRevision {
				continue // not a revision any repository has
			}
			to := from
			if it[2] != "" {
				if n, err := strconv.Atoi(it[2]); err == nil && n >= from && n-from <= maxMergedRange {
					to = n
				}
			}
			for r := from; r <= to; r++ {
				out = append(out, r)
			}
		}
	}
	return out
}
