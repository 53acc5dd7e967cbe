package deps

// Symbol edges: B's added lines use an identifier that A introduced — one
// that appears in A's added lines, nowhere in the base tree and in no
// earlier added line. Soft: the tool sees a shared name, not a proven use.

import (
	"context"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/triage-dev/triage/internal/vcs"
)

// tokenUse is where a commit first adds an identifier.
type tokenUse struct {
	tok  string
	path string
	line int32
	def  bool // some occurrence in the commit looks like the definition
}

type symbolIndex struct {
	uses        [][]tokenUse       // per commit, sorted by token; only candidates
	introducers map[string][]int32 // identifier -> the commits that introduced it (independently)
	ordinal     map[int32]int      // introducer -> its bit in view.reach
	// used marks identifiers whose first added occurrence was not a
	// definition (an import of a library class): nobody introduced them.
	used map[string]bool
}

// buildSymbolIndex finds the identifiers worth tracking: added by at least
// two commits of the range and absent from the base tree.
func buildSymbolIndex(ctx context.Context, src Source, rng *vcs.Range, opts Options) (*symbolIndex, error) {
	n := len(rng.Commits)
	idx := &symbolIndex{uses: make([][]tokenUse, n), introducers: map[string][]int32{}, ordinal: map[int32]int{}, used: map[string]bool{}}
	parallel(n, opts.workers(), func(i int) {
		idx.uses[i] = addedTokens(rng.Commits[i])
	})
	counts := map[string]int{}
	for _, us := range idx.uses {
		for _, u := range us {
			counts[u.tok]++
		}
	}
	candidates := make(map[string]bool, len(counts)/4)
	for tok, c := range counts {
		if c >= 2 {
			candidates[tok] = true
		}
	}
	if len(candidates) > 0 && !rng.Base.IsZero() {
		inBase, err := baseTokens(ctx, src, rng, opts, candidates)
		if err != nil {
			return nil, err
		}
		for tok := range inBase {
			delete(candidates, tok)
		}
	}
	for i, us := range idx.uses {
		kept := us[:0]
		for _, u := range us {
			if candidates[u.tok] {
				kept = append(kept, u)
			}
		}
		idx.uses[i] = kept
	}
	return idx, nil
}

// addedTokens lists the identifiers a commit's added lines carry, each at its
// first occurrence, and whether the commit seems to define it.
func addedTokens(c *vcs.Commit) []tokenUse {
	if c.Merge {
		return nil
	}
	seen := map[string]int{}
	var out []tokenUse
	for _, fc := range c.Changes {
		if fc.Binary || docFile(fc.NewPath) {
			continue
		}
		for _, h := range fc.Hunks {
			for li, line := range h.Lines {
				scanTokens(line, func(tok string, def bool) {
					if i, ok := seen[tok]; ok {
						out[i].def = out[i].def || def
						return
					}
					seen[tok] = len(out)
					out = append(out, tokenUse{tok, fc.NewPath, int32(h.NewStart + li), def})
				})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].tok < out[j].tok })
	return out
}

// baseTokens returns the candidates present anywhere in the base tree's text
// files (binary, huge and obviously non-text files are skipped).
func baseTokens(ctx context.Context, src Source, rng *vcs.Range, opts Options, candidates map[string]bool) (map[string]bool, error) {
	base, err := src.Commit(rng.Base)
	if err != nil {
		return nil, err
	}
	files, err := src.TreeFiles(base.Tree)
	if err != nil {
		return nil, err
	}
	limit := opts.MaxIndexedFile
	if limit <= 0 {
		limit = 1 << 20
	}
	var blobs []vcs.TreeEntry
	seenBlob := map[[20]byte]bool{}
	for p, e := range files {
		if e.Mode&0o170000 != 0o100000 || skipExtension(p) || seenBlob[e.Hash] {
			continue
		}
		seenBlob[e.Hash] = true
		blobs = append(blobs, e)
	}
	workers := opts.workers()
	found := make([]map[string]bool, workers)
	errs := make([]error, workers)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		found[w] = map[string]bool{}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(blobs) || ctx.Err() != nil {
					return
				}
				content, err := src.ReadBlob(blobs[i].Hash)
				if err != nil {
					errs[w] = err
					return
				}
				if int64(len(content)) > limit || vcsIsBinary(content) {
					continue
				}
				scanTokens(string(content), func(tok string, _ bool) {
					if candidates[tok] {
						found[w][tok] = true
					}
				})
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	all := map[string]bool{}
	for _, f := range found {
		for tok := range f {
			all[tok] = true
		}
	}
	return all, nil
}

var binaryExtensions = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".bmp": true, ".webp": true, ".pdf": true,
	".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".7z": true, ".jar": true, ".war": true,
	".class": true, ".so": true, ".dll": true, ".exe": true, ".woff": true, ".woff2": true, ".ttf": true, ".eot": true,
	".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".psd": true, ".xls": true, ".xlsx": true, ".doc": true, ".docx": true,
}

func skipExtension(p string) bool { return binaryExtensions[strings.ToLower(path.Ext(p))] }

// visit binds commit c's uses to introductions its history can see, and
// makes c the introducer of the identifiers it defines that nobody before
// it introduced.
func (s *symbolIndex) visit(b *builder, c int32, v *view) {
	introduced := false
	for _, u := range s.uses[c] {
		if s.used[u.tok] {
			continue
		}
		bound := false
		for _, a := range s.introducers[u.tok] {
			if v.reach.has(s.ordinal[a]) {
				b.addSymbol(c, a, u)
				bound = true
				break
			}
		}
		switch {
		case bound:
		case u.def:
			s.introducers[u.tok] = append(s.introducers[u.tok], c)
			introduced = true
		case len(s.introducers[u.tok]) == 0:
			s.used[u.tok] = true // in earlier added lines before any definition
		}
	}
	if introduced {
		s.ordinal[c] = len(s.ordinal)
		v.reach = v.reach.with(s.ordinal[c])
	}
}

// maxSymbolEvidence is how many identifiers one symbol edge names.
const maxSymbolEvidence = 3

// addSymbol records one identifier c uses from a: one edge per pair, naming
// the first few identifiers and where the first one is used.
func (b *builder) addSymbol(c, a int32, u tokenUse) {
	k := edgeKey{c, a, Symbol, ""}
	e := b.edges[k]
	if e == nil {
		b.edges[k] = &Edge{Commit: b.g.Commits[c].Hash, DependsOn: b.g.Commits[a].Hash, Kind: Symbol, Path: u.path,
			Lines: []LineRange{{Start: int(u.line), Count: 1}}, Evidence: u.tok}
		return
	}
	switch n := strings.Count(e.Evidence, ", ") + 1; {
	case n < maxSymbolEvidence:
		e.Evidence += ", " + u.tok
	case n == maxSymbolEvidence && !strings.HasSuffix(e.Evidence, "…"):
		e.Evidence += ", …"
	}
}

// scanTokens calls emit for every identifier of text, telling whether that
// occurrence looks like its definition. Identifiers are code-shaped words
// ([A-Za-z_][A-Za-z0-9_]{3,} with an underscore, a digit or an inner capital:
// REDUCED_BOOK_RATE, isStudent, LoyaltyService; plain words are prose) and
// dotted lower-case keys as i18n files use (mail.confirmation.subject).
// Keywords and other very common words are left out.
func scanTokens(text string, emit func(tok string, def bool)) {
	i := 0
	for i < len(text) {
		if !isIdentStart(text[i]) || (i > 0 && isWordByte(text[i-1])) {
			i++
			continue
		}
		start, end, segments := i, i, 0
		keyShaped := true
		for {
			j := end
			for j < len(text) && isIdentByte(text[j]) {
				j++
			}
			if j < len(text) && text[j] >= 0x80 {
				break // part of a non-ASCII word: not an identifier
			}
			w := text[end:j]
			if codeShaped(w) && len(w) >= 4 && !stopWord(w) && !hexLike(w) {
				emit(w, looksDefined(text, end, j))
			}
			keyShaped = keyShaped && lowerKey(w)
			segments++
			end = j
			if end+1 < len(text) && text[end] == '.' && isIdentStart(text[end+1]) {
				end++
				continue
			}
			break
		}
		if segments >= 2 && keyShaped && text[end-1] != '.' {
			emit(text[start:end], looksDefined(text, start, end))
		}
		if end == start {
			end++
		}
		for end < len(text) && isWordByte(text[end]) {
			end++ // skip the rest of a non-ASCII word
		}
		i = end
	}
}

// codeShaped tells an identifier from a word of prose: it has an underscore,
// a digit, or a capital letter after its first character.
func codeShaped(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '_' || c >= '0' && c <= '9' || i > 0 && c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// lowerKey tells whether a segment fits a dotted i18n key: lower case, digits, underscores.
func lowerKey(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// looksDefined tells whether the identifier at text[s:e] is being defined
// there rather than used: assigned or declared as a key (NAME = ..., key: ...,
// "key": ...), after a declaring keyword (class, def, const...), or as a
// function declared after its type (boolean isStudent(...)).
func looksDefined(text string, s, e int) bool {
	j := e
	if j < len(text) && (text[j] == '"' || text[j] == '\'') {
		j++
	}
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j < len(text) {
		switch c := text[j]; {
		case c == '=' && (j+1 == len(text) || text[j+1] != '='):
			return true
		case c == ':' && (j+1 == len(text) || text[j+1] != ':'):
			return true
		}
	}
	k := s - 1
	for k >= 0 && (text[k] == ' ' || text[k] == '\t') {
		k--
	}
	if k < 0 || k == s-1 || !isIdentByte(text[k]) {
		return false
	}
	wEnd := k + 1
	for k >= 0 && isIdentByte(text[k]) {
		k--
	}
	prev := text[k+1 : wEnd]
	if declKeywords[prev] {
		return true
	}
	isCall := j < len(text) && text[j] == '('
	return isCall && !notDeclarers[prev] && (k < 0 || text[k] != '.')
}

var declKeywords = wordSet(`class interface enum struct record trait type def func function fn const var let val
	define macro module namespace object sub proc`)

// notDeclarers precede a call, never a declaration.
var notDeclarers = wordSet(`return new else case throw await yield not and or in is print echo delete typeof do
	if while for switch assert sizeof goto raise`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// docFile tells prose files apart: identifiers there are mentioned, not used.
func docFile(p string) bool {
	base := strings.ToUpper(path.Base(p))
	for _, prefix := range []string{"README", "CHANGELOG", "CHANGES", "LICENSE", "NOTICE", "AUTHORS"} {
		if strings.HasPrefix(base, prefix) {
			return true
		}
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc":
		return true
	}
	return false
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

func isWordByte(c byte) bool { return isIdentByte(c) || c >= 0x80 }

// hexLike spots object names and colours: seven or more hex digits, some of them digits.
func hexLike(w string) bool {
	if len(w) < 7 {
		return false
	}
	digit := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return digit
}

func stopWord(w string) bool {
	if len(w) > 12 {
		return false
	}
	var buf [12]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return stopWords[string(buf[:len(w)])]
}

// stopWords are keywords and words of every codebase, which never tell that
// one commit needs another.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		true false null none nil self this that super return function func class const static final public private
		protected internal import package from while break continue else elif elsif endif then begin end case switch
		default throw throws catch finally with yield async await lambda void bool boolean string char byte short long
		float double integer number object array list dict extends implements interface struct enum type typeof
		instanceof module require export exports include define undef ifdef ifndef pragma override virtual abstract
		delete new_ when where select insert update into values table create alter drop index from_ order group
		limit offset join left right inner outer union distinct having exists echo print println printf sprintf
		fmt_ todo fixme note hack test tests main init self_ args kwargs param params value values data item items
		name names key keys result results error errors string_ index_ count size length width height http https
		html head body div span script style link meta title form input button label option href src_ www_ json yaml
		local global var_ let_ def_ goto unless until loop foreach each elseif match`) {
		m[strings.TrimSuffix(w, "_")] = true
	}
	return m
}()

// bitset is a growable set of small integers.
type bitset []uint64

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// with returns b plus i, reusing b's storage (b must not be shared).
func (b bitset) with(i int) bitset {
	for len(b) <= i/64 {
		b = append(b, 0)
	}
	b[i/64] |= 1 << (i % 64)
	return b
}

// or returns the union as a new set.
func (b bitset) or(o bitset) bitset {
	out := make(bitset, max(len(b), len(o)))
	copy(out, b)
	for i, w := range o {
		out[i] |= w
	}
	return out
}

func (b bitset) clone() bitset { return append(bitset(nil), b...) }

// parallel runs f(0..n-1) on up to workers goroutines.
func parallel(n, workers int, f func(i int)) {
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
