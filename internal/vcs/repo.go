package vcs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// objectCacheSize bounds the object cache shared by every reader of a Repo:
// it holds delta bases and recently read objects, as git's delta_base_cache does.
const objectCacheSize = 256 * cache.MiByte

// largeObjectThreshold: objects above it are streamed by go-git instead of
// being held in memory; triage reads them whole anyway (to diff them), so the
// threshold only keeps go-git from caching huge blobs.
const largeObjectThreshold = 64 * 1024 * 1024

// Repo is an open git repository. Its read methods are safe for concurrent use.
type Repo struct {
	root    string // worktree root; empty for a bare repository
	gitDir  string // the repository's own git directory (.git, or .git/worktrees/X)
	common  string // the directory holding objects and refs (differs from gitDir in linked worktrees)
	shallow map[plumbing.Hash]bool

	cache            cache.Object
	packs            *packSet
	gens             *generations // nil when git would walk without generation numbers
	renameLimit      int          // diff.renameLimit, as git log reads it from the repository's config
	bigFileThreshold int64        // core.bigFileThreshold: bigger files are binary, unread
	fs               *dotgit.RepositoryFilesystem
	main             *filesystem.Storage // used by the calling goroutine, under mu
	mu               sync.Mutex
	readers          chan *objectReader // idle per-goroutine readers (go-git storages are not safe for concurrent use)
	all              []*objectReader
	closed           bool
}

// ErrNotRepository is wrapped by Open's error when no repository is found.
var ErrNotRepository = errors.New("not a git repository")

// Open opens the repository containing dir: a worktree root, any directory
// below it, a linked worktree or submodule (whose .git is a file naming the
// real git directory), or a bare repository.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("open repository %s: %w; pass an existing directory with --repo", dir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("open repository %s: not a directory; pass the repository's directory with --repo", dir)
	}
	root, gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, err
	}
	if gitDir == "" {
		return nil, fmt.Errorf("%w: %s (or any parent); run triage inside a clone or pass --repo", ErrNotRepository, dir)
	}
	common := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = filepath.Clean(c)
	}
	r := &Repo{root: root, gitDir: gitDir, common: common,
		cache: cache.NewObjectLRU(objectCacheSize)}
	r.fs = dotgit.NewRepositoryFilesystem(osfs.New(gitDir), osfs.New(common))
	r.main = r.newStorage()
	r.packs = openPacks(common)
	if r.shallow, err = readShallow(common, gitDir); err != nil {
		return nil, err
	}
	if _, err := r.main.Reference(plumbing.HEAD); err != nil {
		r.main.Close()
		r.packs.close()
		return nil, fmt.Errorf("open repository %s: cannot read HEAD in %s: %v; is the repository damaged? check it with git fsck", dir, gitDir, err)
	}
	r.gens = r.openGenerations()
	r.renameLimit = r.configInt("diff", "renameLimit", defaultRenameLimit)
	r.bigFileThreshold = int64(r.configInt("core", "bigFileThreshold", 512<<20))
	n := runtime.NumCPU()
	r.readers = make(chan *objectReader, n)
	return r, nil
}

// findGitDir walks up from dir to the first directory that has a .git
// (directory or file) or is itself a git directory (bare repository).
func findGitDir(dir string) (root, gitDir string, err error) {
	for d := dir; ; {
		dotgit := filepath.Join(d, ".git")
		if fi, err := os.Stat(dotgit); err == nil {
			if fi.IsDir() {
				return d, dotgit, nil
			}
			target, err := readGitFile(dotgit)
			if err != nil {
				return "", "", err
			}
			return d, target, nil
		}
		if isGitDir(d) {
			return "", d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", nil
		}
		d = parent
	}
}

// readGitFile reads a ".git" file ("gitdir: PATH"), as linked worktrees and
// submodules have.
func readGitFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	line := strings.TrimSpace(string(b))
	target, ok := strings.CutPrefix(line, "gitdir:")
	if !ok {
		return "", fmt.Errorf("%s is a file but does not start with 'gitdir:'; fix or remove it", path)
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(path), target)
	}
	if !isGitDir(target) {
		return "", fmt.Errorf("%s points to %s, which is not a git directory; was the main repository moved? run git worktree repair", path, target)
	}
	return filepath.Clean(target), nil
}

// isGitDir tells whether d looks like a git directory: HEAD plus objects and
// refs (directly, or through a commondir file in a linked worktree).
func isGitDir(d string) bool {
	if fi, err := os.Stat(filepath.Join(d, "HEAD")); err != nil || fi.IsDir() {
		return false
	}
	if _, err := os.Stat(filepath.Join(d, "commondir")); err == nil {
		return true
	}
	for _, sub := range []string{"objects", "refs"} {
		if fi, err := os.Stat(filepath.Join(d, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// readShallow reads the shallow file: the commits whose parents were cut off
// by a shallow clone or fetch.
func readShallow(dirs ...string) (map[plumbing.Hash]bool, error) {
	var set map[plumbing.Hash]bool
	for _, d := range dirs {
		f, err := os.Open(filepath.Join(d, "shallow"))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			if !plumbing.IsHash(line) {
				f.Close()
				return nil, fmt.Errorf("read %s: %q is not a commit id; the shallow file is damaged, run git fetch --unshallow", f.Name(), line)
			}
			if set == nil {
				set = map[plumbing.Hash]bool{}
			}
			set[plumbing.NewHash(line)] = true
		}
		f.Close()
		break
	}
	return set, nil
}

func (r *Repo) newStorage() *filesystem.Storage {
	return filesystem.NewStorageWithOptions(r.fs, r.cache, filesystem.Options{
		KeepDescriptors:      true,
		LargeObjectThreshold: largeObjectThreshold,
	})
}

// Close releases the open pack files. The Repo must not be used afterwards.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	var first error
	for _, rd := range r.all {
		if err := rd.close(); err != nil && first == nil {
			first = err
		}
	}
	if err := r.main.Close(); err != nil && first == nil {
		first = err
	}
	if err := r.packs.close(); err != nil && first == nil {
		first = err
	}
	if err := r.gens.close(); err != nil && first == nil {
		first = err
	}
	return first
}

// Root is the worktree root ("" for a bare repository).
func (r *Repo) Root() string { return r.root }

// GitDir is the repository's git directory.
func (r *Repo) GitDir() string { return r.gitDir }

// IsShallow tells whether the repository is a shallow clone (its history is
// cut off at the commits listed in .git/shallow).
func (r *Repo) IsShallow() bool { return len(r.shallow) > 0 }

// Storer gives the go-git storage, for stages that write objects and refs.
// It is not safe for concurrent use with itself; the Repo's own methods are.
func (r *Repo) Storer() storage.Storer { return r.main }

// errShallow is the error for a range that reaches past a shallow boundary.
func errShallow(c plumbing.Hash) error {
	return fmt.Errorf("history is shallow: commit %s has its parents cut off (.git/shallow), so the range cannot be read whole; fetch it whole, e.g. `git fetch --unshallow`, or `fetch-depth: 0` in CI", c.String()[:12])
}

// withMain runs f with the main storage, serialised.
func (r *Repo) withMain(f func(s *filesystem.Storage) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("repository is closed")
	}
	return f(r.main)
}

// CommitObject returns go-git's commit object (for stages that need to build
// new commits from it).
func (r *Repo) CommitObject(h plumbing.Hash) (*object.Commit, error) {
	var c *object.Commit
	err := r.withMain(func(s *filesystem.Storage) (err error) {
		c, err = object.GetCommit(s, h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	return c, nil
}

// Commit returns one commit's metadata (Changes nil), parsed as ReadRange does.
func (r *Repo) Commit(h plumbing.Hash) (*Commit, error) {
	rd := r.reader()
	defer r.release(rd)
	raw, err := rd.read(h, plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	return parseCommit(h, raw)
}

// ReadBlob returns a blob's content (a copy the caller may keep and modify).
func (r *Repo) ReadBlob(h plumbing.Hash) ([]byte, error) {
	rd := r.reader()
	defer r.release(rd)
	b, err := rd.read(h, plumbing.BlobObject)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}

// ReadBlobShared is ReadBlob without the copy, for callers that only read
// the content (scans): it may be shared with the object cache and must not
// be modified.
func (r *Repo) ReadBlobShared(h plumbing.Hash) ([]byte, error) {
	rd := r.reader()
	defer r.release(rd)
	return rd.read(h, plumbing.BlobObject)
}

// ScanBlob reads a blob for a caller that looks at each blob once, one
// after another (a search of a whole tree): the content goes into buf when
// it can, rather than into new memory, and the object cache is left to
// what is read again. It returns the content (nil when the blob is over
// maxSize, which is then not read) and the buffer to pass next time. The
// content must not be modified, and is only valid until that next call.
func (r *Repo) ScanBlob(h plumbing.Hash, buf []byte, maxSize int64) (content, grown []byte, err error) {
	content, grown, tooBig, err := r.packs.scanBlob(h, buf, maxSize)
	switch {
	case tooBig:
		return nil, grown, nil
	case !errors.Is(err, errNotPacked):
		return content, grown, err
	}
	n, err := r.BlobSize(h)
	if err != nil || n > maxSize {
		return nil, buf, err
	}
	content, err = r.ReadBlobShared(h)
	return content, buf, err
}

// BlobSize returns a blob's size without reading its content (from the
// pack's object header when it is packed).
func (r *Repo) BlobSize(h plumbing.Hash) (int64, error) {
	rd := r.reader()
	defer r.release(rd)
	return rd.blobSize(h)
}

// TreeEntry is one file of a tree, as TreeFiles lists it.
type TreeEntry struct {
	Mode uint32 // git file mode: 0100644, 0100755, 0120000 (symlink), 0160000 (gitlink)
	Hash plumbing.Hash
}

// TreeFiles lists every file of a tree (recursively; subtrees are not listed,
// gitlinks are), by full path.
func (r *Repo) TreeFiles(tree plumbing.Hash) (map[string]TreeEntry, error) {
	rd := r.reader()
	defer r.release(rd)
	files := map[string]TreeEntry{}
	err := rd.walkTree(tree, "", func(path string, e treeEntry) {
		files[path] = TreeEntry{Mode: e.mode, Hash: e.hash}
	})
	return files, err
}

// refNames lists the short names of the references under prefix, sorted.
func (r *Repo) refNames(prefix string) ([]string, error) {
	var names []string
	err := r.withMain(func(s *filesystem.Storage) error {
		it, err := s.IterReferences()
		if err != nil {
			return err
		}
		defer it.Close()
		return it.ForEach(func(ref *plumbing.Reference) error {
			n := ref.Name().String()
			if strings.HasPrefix(n, prefix) {
				short := strings.TrimPrefix(n, prefix)
				if short != "HEAD" && !strings.HasSuffix(short, "/HEAD") {
					names = append(names, short)
				}
			}
			return nil
		})
	})
	sort.Strings(names)
	return names, err
}

// Branches lists the local branch names, sorted.
func (r *Repo) Branches() ([]string, error) { return r.refNames("refs/heads/") }

// RemoteBranches lists the remote-tracking branch names ("origin/main"), sorted.
func (r *Repo) RemoteBranches() ([]string, error) { return r.refNames("refs/remotes/") }

// Tags lists the tag names, sorted.
func (r *Repo) Tags() ([]string, error) { return r.refNames("refs/tags/") }

// MergeBases returns the best common ancestors of a and b (usually one).
func (r *Repo) MergeBases(a, b plumbing.Hash) ([]plumbing.Hash, error) {
	var out []plumbing.Hash
	err := r.withMain(func(s *filesystem.Storage) error {
		ca, err := object.GetCommit(s, a)
		if err != nil {
			return fmt.Errorf("read commit %s: %w", a, err)
		}
		cb, err := object.GetCommit(s, b)
		if err != nil {
			return fmt.Errorf("read commit %s: %w", b, err)
		}
		bases, err := ca.MergeBase(cb)
		if err != nil {
			return err
		}
		sort.Slice(bases, func(i, j int) bool {
			ti, tj := bases[i].Committer.When, bases[j].Committer.When
			if !ti.Equal(tj) {
				return ti.After(tj)
			}
			return bytes.Compare(bases[i].Hash[:], bases[j].Hash[:]) < 0
		})
		for _, c := range bases {
			out = append(out, c.Hash)
		}
		return nil
	})
	return out, err
}

// MergeBase returns the best common ancestor of a and b (the most recent by
// committer date when there are several); an error when they share no history.
func (r *Repo) MergeBase(a, b plumbing.Hash) (plumbing.Hash, error) {
	bases, err := r.MergeBases(a, b)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if len(bases) == 0 {
		return plumbing.ZeroHash, fmt.Errorf("commits %s and %s have no common ancestor (unrelated histories)", a.String()[:12], b.String()[:12])
	}
	return bases[0], nil
}

// configInt reads an integer from the repository's own config (git's k/m/g
// suffixes accepted), or returns def.
func (r *Repo) configInt(section, key string, def int) int {
	cfg, err := r.main.Config()
	if err != nil || !cfg.Raw.Section(section).HasOption(key) {
		return def
	}
	v := strings.ToLower(strings.TrimSpace(cfg.Raw.Section(section).Option(key)))
	mult := 1
	switch {
	case strings.HasSuffix(v, "k"):
		mult, v = 1024, strings.TrimSuffix(v, "k")
	case strings.HasSuffix(v, "m"):
		mult, v = 1024*1024, strings.TrimSuffix(v, "m")
	case strings.HasSuffix(v, "g"):
		mult, v = 1024*1024*1024, strings.TrimSuffix(v, "g")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n * mult
}

// resolveRef resolves a full reference name to its hash, following symbolic refs.
func (r *Repo) resolveRef(name plumbing.ReferenceName) (plumbing.Hash, bool) {
	var h plumbing.Hash
	err := r.withMain(func(s *filesystem.Storage) error {
		ref, err := storer.ResolveReference(s, name)
		if err != nil {
			return err
		}
		h = ref.Hash()
		return nil
	})
	return h, err == nil && !h.IsZero()
}
