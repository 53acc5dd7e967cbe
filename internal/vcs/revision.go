package vcs

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Resolve turns a revision as people type it into a commit: a branch, a
// remote branch (origin/main), a tag (annotated tags peeled to their
// commit), a full or abbreviated SHA, HEAD or @, any full ref name, followed
// by any chain of ~N, ^N and ^ (and ^{} / ^{commit}). Names are looked up as
// git does (refs/NAME, then tags, branches, remote branches).
func (r *Repo) Resolve(rev string) (plumbing.Hash, error) {
	spec := strings.TrimSpace(rev)
	if spec == "" {
		return plumbing.ZeroHash, errors.New("empty revision: name a branch, tag or commit (e.g. HEAD)")
	}
	name, ops := spec, ""
	if i := strings.IndexAny(spec, "~^"); i >= 0 {
		name, ops = spec[:i], spec[i:]
	}
	if strings.Contains(name, "@{") {
		return plumbing.ZeroHash, fmt.Errorf("revision '%s': reflog forms (@{...}) are not supported; use a branch, tag or commit SHA", rev)
	}
	if name == "" {
		return plumbing.ZeroHash, fmt.Errorf("revision '%s': nothing before '%c'; write e.g. HEAD%s", rev, ops[0], ops)
	}
	h, err := r.resolveName(name)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if h, err = r.peelToCommit(h, name); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.applyOperators(h, name, ops, rev)
}

// resolveName resolves the part before any ~ or ^ operator.
func (r *Repo) resolveName(name string) (plumbing.Hash, error) {
	if name == "@" {
		name = "HEAD"
	}
	if len(name) == 40 && isHex(name) {
		h := plumbing.NewHash(name)
		if r.hasObject(h) {
			return h, nil
		}
	}
	for _, pattern := range []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"} {
		ref := plumbing.ReferenceName(fmt.Sprintf(pattern, name))
		if pattern == "%s" && name != "HEAD" && !strings.HasPrefix(name, "refs/") && !isPseudoRef(name) {
			continue
		}
		if h, ok := r.resolveRef(ref); ok {
			return h, nil
		}
	}
	if len(name) >= 4 && len(name) <= 40 && isHex(name) {
		matches, err := r.commitsWithPrefix(strings.ToLower(name))
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch len(matches) {
		case 1:
			return matches[0], nil
		case 0:
		default:
			return plumbing.ZeroHash, r.ambiguous(name, matches)
		}
	}
	if name == "HEAD" {
		return plumbing.ZeroHash, r.unbornHead()
	}
	return plumbing.ZeroHash, r.unknownRevision(name)
}

// unbornHead explains a HEAD that names a branch with no commit yet.
func (r *Repo) unbornHead() error {
	target := "a missing reference"
	_ = r.withMain(func(s *filesystem.Storage) error {
		if ref, err := s.Reference(plumbing.HEAD); err == nil && ref.Type() == plumbing.SymbolicReference {
			target = "branch '" + ref.Target().Short() + "', which has no commit yet"
		}
		return nil
	})
	return fmt.Errorf("HEAD points to %s; commit something first, or name a revision that exists", target)
}

// isPseudoRef tells whether name is one of git's all-caps refs (FETCH_HEAD, ORIG_HEAD…).
func isPseudoRef(name string) bool {
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return strings.HasSuffix(name, "HEAD")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func (r *Repo) hasObject(h plumbing.Hash) bool {
	rd := r.reader()
	defer r.release(rd)
	_, err := rd.objectType(h)
	return err == nil
}

// commitsWithPrefix lists the commit-ish objects (commits, tags of commits)
// whose SHA starts with prefix: a range wants commits, as git's
// GET_OID_COMMITTISH disambiguation does.
func (r *Repo) commitsWithPrefix(prefix string) ([]plumbing.Hash, error) {
	rd := r.reader()
	defer r.release(rd)
	even := prefix[:len(prefix)&^1]
	b, err := hex.DecodeString(even)
	if err != nil {
		return nil, nil
	}
	all, err := rd.storage().HashesWithPrefix(b)
	if err != nil {
		return nil, fmt.Errorf("look up objects starting with %s: %w", prefix, err)
	}
	var out []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	for _, h := range all {
		if seen[h] || !strings.HasPrefix(h.String(), prefix) {
			continue
		}
		seen[h] = true
		t, err := rd.objectType(h)
		if err != nil {
			continue
		}
		if t == plumbing.CommitObject {
			out = append(out, h)
		} else if t == plumbing.TagObject {
			if c, err := r.peelToCommit(h, prefix); err == nil && c != h {
				out = append(out, h)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out, nil
}

func (r *Repo) ambiguous(name string, matches []plumbing.Hash) error {
	var lines []string
	for _, h := range matches {
		desc := h.String()[:12]
		if c, err := r.Commit(h); err == nil {
			desc += " commit " + c.Committer.When.Format("2006-01-02") + " " + c.Subject
		} else {
			desc += " tag"
		}
		lines = append(lines, "  "+desc)
	}
	return fmt.Errorf("short SHA '%s' is ambiguous: %d commits start with it; give more characters:\n%s", name, len(matches), strings.Join(lines, "\n"))
}

// peelToCommit follows annotated tags down to the commit they name.
func (r *Repo) peelToCommit(h plumbing.Hash, name string) (plumbing.Hash, error) {
	rd := r.reader()
	defer r.release(rd)
	for depth := 0; depth < 20; depth++ {
		t, err := rd.objectType(h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("revision '%s' names object %s, which cannot be read: %v; run git fsck", name, h.String()[:12], err)
		}
		switch t {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			raw, err := rd.read(h, plumbing.TagObject)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			target, ok := tagTarget(raw)
			if !ok {
				return plumbing.ZeroHash, fmt.Errorf("tag %s (%s) is corrupt: no object line; run git fsck", name, h.String()[:12])
			}
			h = target
		default:
			return plumbing.ZeroHash, fmt.Errorf("revision '%s' names a %s, not a commit; give a branch, tag or commit", name, t)
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("tag %s: too many nested tags", name)
}

func tagTarget(raw []byte) (plumbing.Hash, bool) {
	line, _, _ := strings.Cut(string(raw), "\n")
	v, ok := strings.CutPrefix(line, "object ")
	if !ok || !plumbing.IsHash(v) {
		return plumbing.ZeroHash, false
	}
	return plumbing.NewHash(v), true
}

// applyOperators walks ~N, ^N and ^ from h.
func (r *Repo) applyOperators(h plumbing.Hash, name, ops, rev string) (plumbing.Hash, error) {
	where := name
	for ops != "" {
		op := ops[0]
		ops = ops[1:]
		if op == '^' && strings.HasPrefix(ops, "{") {
			end := strings.IndexByte(ops, '}')
			if end < 0 {
				return plumbing.ZeroHash, fmt.Errorf("revision '%s': unterminated ^{", rev)
			}
			switch ops[1:end] {
			case "", "commit":
			default:
				return plumbing.ZeroHash, fmt.Errorf("revision '%s': only ^{} and ^{commit} are supported", rev)
			}
			ops = ops[end+1:]
			continue
		}
		digits := 0
		for digits < len(ops) && ops[digits] >= '0' && ops[digits] <= '9' {
			digits++
		}
		n := 1
		if digits > 0 {
			var err error
			if n, err = strconv.Atoi(ops[:digits]); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("revision '%s': bad number %q", rev, ops[:digits])
			}
		}
		ops = ops[digits:]
		if len(ops) > 0 && ops[0] != '~' && ops[0] != '^' {
			return plumbing.ZeroHash, fmt.Errorf("revision '%s': unexpected %q after %c; write e.g. HEAD~2 or HEAD^2", rev, ops, op)
		}
		c, err := r.Commit(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch op {
		case '~':
			for k := 0; k < n; k++ {
				if len(c.Parents) == 0 {
					return plumbing.ZeroHash, fmt.Errorf("revision '%s': %s has only %d commit(s) before it along first parents (%s is a root commit)", rev, where, k, c.Short())
				}
				h = c.Parents[0]
				if k+1 < n {
					if c, err = r.Commit(h); err != nil {
						return plumbing.ZeroHash, err
					}
				}
			}
			where += "~" + strconv.Itoa(n)
		case '^':
			if n == 0 {
				where += "^0"
				continue
			}
			if n > len(c.Parents) {
				return plumbing.ZeroHash, fmt.Errorf("revision '%s': %s (%s) has %d parent(s), so it has no parent %d", rev, where, c.Short(), len(c.Parents), n)
			}
			h = c.Parents[n-1]
			where += "^" + strconv.Itoa(n)
		}
	}
	return h, nil
}

// unknownRevision explains that a name matches nothing, with the closest
// branch and tag names and what exists.
func (r *Repo) unknownRevision(name string) error {
	branches, _ := r.Branches()
	remotes, _ := r.RemoteBranches()
	tags, _ := r.Tags()
	var msg strings.Builder
	fmt.Fprintf(&msg, "unknown revision '%s': no branch, tag or commit has that name", name)
	if s := closest(name, append(append(append([]string{}, branches...), remotes...), tags...)); len(s) > 0 {
		msg.WriteString("; did you mean ")
		for i, c := range s {
			if i > 0 {
				msg.WriteString(" or ")
			}
			fmt.Fprintf(&msg, "'%s'", c)
		}
		msg.WriteString("?")
	}
	var parts []string
	if len(branches) > 0 {
		parts = append(parts, "branches: "+listNames(branches))
	}
	if len(remotes) > 0 {
		parts = append(parts, "remote branches: "+listNames(remotes))
	}
	if len(tags) > 0 {
		parts = append(parts, "tags: "+listNames(tags))
	}
	if len(parts) == 0 {
		msg.WriteString(" (the repository has no branches or tags)")
	} else {
		msg.WriteString(" (" + strings.Join(parts, "; ") + ")")
	}
	return errors.New(msg.String())
}

const maxListed = 10

func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(", and %d more", len(names)-maxListed)
}

// closest returns the candidates nearest to name by edit distance (with
// transpositions), when near enough to be a plausible typo.
func closest(name string, candidates []string) []string {
	best := -1
	var out []string
	limit := max(2, len(name)/3)
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d > limit || d >= max(len(name), 1) {
			continue
		}
		switch {
		case best < 0 || d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and adjacent transpositions cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// ParseRange resolves "BASE..HEAD". An empty side means HEAD ("..B", "A..").
// "A...B" (symmetric difference) and a single revision are refused with an
// explanation.
func (r *Repo) ParseRange(spec string) (base, head plumbing.Hash, err error) {
	s := strings.TrimSpace(spec)
	if strings.Contains(s, "...") {
		a, b, _ := strings.Cut(s, "...")
		return base, head, fmt.Errorf("range '%s' uses '...', a symmetric difference (the commits of either side since they diverged); triage reads the commits one branch adds over a base: write BASE..HEAD, e.g. '%s..%s'", spec, orHead(a), orHead(b))
	}
	a, b, ok := strings.Cut(s, "..")
	if !ok {
		return base, head, fmt.Errorf("'%s' is a single revision, but a range BASE..HEAD is needed: e.g. '%s..%s' for the commits of %s that are not in %s", spec, r.exampleBase(s), s, s, r.exampleBase(s))
	}
	if base, err = r.Resolve(orHead(a)); err != nil {
		return plumbing.ZeroHash, plumbing.ZeroHash, err
	}
	if head, err = r.Resolve(orHead(b)); err != nil {
		return plumbing.ZeroHash, plumbing.ZeroHash, err
	}
	return base, head, nil
}

func orHead(s string) string {
	if s == "" {
		return "HEAD"
	}
	return s
}

// exampleBase picks a plausible base for an example range: the tag on the
// newest commit (the shortest name when several), else main or master, else
// the word BASE.
func (r *Repo) exampleBase(head string) string {
	best, bestDate := "", int64(0)
	tags, _ := r.Tags()
	for _, tag := range tags {
		h, err := r.Resolve(tag)
		if err != nil {
			continue
		}
		c, err := r.Commit(h)
		if err != nil {
			continue
		}
		d := c.Committer.When.Unix()
		if best == "" || d > bestDate || d == bestDate && len(tag) < len(best) {
			best, bestDate = tag, d
		}
	}
	if best != "" {
		return best
	}
	branches, _ := r.Branches()
	for _, b := range []string{"main", "master"} {
		if b != head && contains(branches, b) {
			return b
		}
	}
	return "BASE"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
