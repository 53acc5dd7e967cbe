package deps

// The base-tree cache: proving that an identifier is absent from the base
// tree means reading every text file of it, which costs more than the rest
// of the graph. The answers depend only on the base tree, so they are kept
// between runs, per tree, in the user's cache directory (never in the
// repository): a later run on the same base reads only what it did not ask
// before. A lost, unreadable or corrupt cache only costs the scan again.
//
// What is kept is the answer for each identifier asked, not an index of
// every word of the tree: such an index (700,000 distinct words for a tree
// of 39 MB) costs more to build than the scan it would save, so a first run
// would pay it for nothing.

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// baseCacheVersion names the rules the answers follow: how base files are
// chosen (skipExtension, docFile, vcsIsBinary, the size limit) and cut into words
// (wordFilter.scan). Bump it whenever one of them changes.
const baseCacheVersion = "base-tokens-v2"

const (
	// maxCacheBytes bounds the cache directory: the oldest files go first.
	maxCacheBytes = 32 << 20
	// maxCachedTokens bounds one file (a range with many more candidates
	// keeps only its last answers).
	maxCachedTokens = 1 << 20
)

// cacheDir returns the directory of the base-tree cache, or "" when the
// cache is off: no Options.CacheDir (the library writes nothing by itself),
// "off", or TRIAGE_CACHE=off.
func (o Options) cacheDir() string {
	if o.CacheDir == "" || o.CacheDir == "off" || strings.EqualFold(os.Getenv("TRIAGE_CACHE"), "off") {
		return ""
	}
	return filepath.Join(o.CacheDir, baseCacheVersion)
}

// UserCacheDir is where the command keeps the base-tree cache between runs:
// os.UserCacheDir()/triage, or "" when there is none or TRIAGE_CACHE=off.
func UserCacheDir() string {
	if strings.EqualFold(os.Getenv("TRIAGE_CACHE"), "off") {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "triage")
}

// baseCache holds the known answers for one base tree.
type baseCache struct {
	path    string
	answers map[string]bool // identifier -> present in the base tree
}

// openBaseCache loads the answers for tree, read with the given size limit;
// nil when the cache is off.
func openBaseCache(dir string, tree plumbing.Hash, limit int64) *baseCache {
	if dir == "" {
		return nil
	}
	c := &baseCache{path: filepath.Join(dir, fmt.Sprintf("%s-%d", tree, limit)), answers: map[string]bool{}}
	data, err := os.ReadFile(c.path)
	if err != nil {
		return c // absent or unreadable: start afresh
	}
	header := c.header()
	if !bytes.HasPrefix(data, []byte(header)) || !bytes.HasSuffix(data, []byte("\n")) {
		return c // another format, or cut short
	}
	for _, line := range bytes.Split(data[len(header):len(data)-1], []byte{'\n'}) {
		if len(line) < 2 || (line[0] != '+' && line[0] != '-') {
			return &baseCache{path: c.path, answers: map[string]bool{}} // corrupt: trust none of it
		}
		c.answers[string(line[1:])] = line[0] == '+'
	}
	return c
}

func (c *baseCache) header() string {
	return baseCacheVersion + " " + filepath.Base(c.path) + "\n"
}

// save writes the answers atomically (a temporary file renamed over the
// old one), then trims the directory to its size bound. Failures are
// ignored: the cache is an optimisation.
func (c *baseCache) save() {
	if c == nil || len(c.answers) == 0 {
		return
	}
	tokens := make([]string, 0, len(c.answers))
	for t := range c.answers {
		if !strings.ContainsAny(t, "\n\r") {
			tokens = append(tokens, t)
		}
	}
	slices.Sort(tokens)
	if len(tokens) > maxCachedTokens {
		tokens = tokens[:maxCachedTokens]
	}
	var buf bytes.Buffer
	buf.WriteString(c.header())
	for _, t := range tokens {
		if c.answers[t] {
			buf.WriteByte('+')
		} else {
			buf.WriteByte('-')
		}
		buf.WriteString(t)
		buf.WriteByte('\n')
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.path) != nil {
		os.Remove(tmp.Name())
		return
	}
	trimCacheDir(dir, maxCacheBytes)
	dropOldVersions(filepath.Dir(dir))
}

// dropOldVersions removes the answers earlier versions left beside the
// current ones (base-tokens-v1/ once v2 is written): no version reads them.
func dropOldVersions(root string) {
	old, _ := filepath.Glob(filepath.Join(root, "base-tokens-v*"))
	for _, dir := range old {
		if filepath.Base(dir) != baseCacheVersion {
			os.RemoveAll(dir)
		}
	}
}

// trimCacheDir removes the least recently written files of dir until it
// holds at most limit bytes (leftover temporary files go first).
func trimCacheDir(dir string, limit int64) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		size int64
		old  bool // a leftover temporary file
		mod  int64
	}
	var files []file
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		files = append(files, file{filepath.Join(dir, e.Name()), info.Size(), strings.HasPrefix(e.Name(), ".tmp-"), info.ModTime().UnixNano()})
		total += info.Size()
	}
	if total <= limit {
		return
	}
	slices.SortFunc(files, func(a, b file) int {
		if a.old != b.old {
			if a.old {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.mod, b.mod)
	})
	for _, f := range files {
		if total <= limit {
			return
		}
		if os.Remove(f.path) == nil {
			total -= f.size
		}
	}
}
