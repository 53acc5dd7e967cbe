package deps

// Symbol edges: B's added lines use an identifier that A introduced — one
// that appears in A's added lines, nowhere in the base tree and in no
// earlier added line. Soft: the tool sees a shared name, not a proven use.

import (
	"bytes"
	"cmp"
	"context"
	binenc "encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

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
	// bound are the uses bound to an introduction during the pass, in
	// order; they become edges once their identifier is known to be absent
	// from the base tree.
	bound []boundUse

	baseDone chan struct{}
	inBase   map[string]bool // candidates found in the base tree
	baseErr  error
}

type boundUse struct {
	c, a int32
	use  tokenUse
}

// buildSymbolIndex finds the identifiers worth tracking: added by at least
// two commits of the range, one of which seems to define it. Whether they
// exist at BASE is checked after the pass, for those that bind a use.
func buildSymbolIndex(rng *vcs.Range, opts Options) *symbolIndex {
	n := len(rng.Commits)
	idx := &symbolIndex{uses: make([][]tokenUse, n), introducers: map[string][]int32{}, ordinal: map[int32]int{}, used: map[string]bool{}}
	parallel(n, opts.workers(), func(i int) {
		idx.uses[i] = addedTokens(rng.Commits[i])
	})
	// Only the identifiers some commit defines can be introduced: few of
	// them. Each commit's uses are narrowed to those (in parallel, as
	// looking every identifier up costs more than the rest), then counted.
	defined := map[string]bool{}
	for _, us := range idx.uses {
		for _, u := range us {
			if u.def {
				defined[u.tok] = true
			}
		}
	}
	parallel(n, opts.workers(), func(i int) {
		idx.uses[i] = slices.DeleteFunc(idx.uses[i], func(u tokenUse) bool { return !defined[u.tok] })
	})
	counts := make(map[string]int, len(defined))
	for _, us := range idx.uses {
		for _, u := range us {
			counts[u.tok]++
		}
	}
	for i, us := range idx.uses {
		// One commit adds an identifier: nothing to bind.
		kept := slices.DeleteFunc(us, func(u tokenUse) bool { return counts[u.tok] < 2 })
		// Each identifier appears once: any sort gives the same order.
		slices.SortFunc(kept, func(a, b tokenUse) int { return strings.Compare(a.tok, b.tok) })
		idx.uses[i] = kept
	}
	return idx
}

// scanBase starts looking for the candidate identifiers in the base tree,
// in the background, while the pass runs. Those the cache knows the answer
// for are not looked for.
func (s *symbolIndex) scanBase(ctx context.Context, src Source, rng *vcs.Range, opts Options) {
	s.baseDone = make(chan struct{})
	candidates := s.bindable()
	go func() {
		defer close(s.baseDone)
		if len(candidates) == 0 || rng.Base.IsZero() {
			return
		}
		base, err := src.Commit(rng.Base)
		if err != nil {
			s.baseErr = err
			return
		}
		cache := openBaseCache(opts.cacheDir(), base.Tree, opts.indexLimit())
		s.inBase = map[string]bool{}
		unknown := candidates
		if cache != nil {
			unknown = map[string]bool{}
			for tok := range candidates {
				if present, ok := cache.answers[tok]; !ok {
					unknown[tok] = true
				} else if present {
					s.inBase[tok] = true
				}
			}
		}
		if len(unknown) == 0 {
			return
		}
		found, err := baseTokens(ctx, src, base.Tree, rng, opts, unknown)
		if err != nil {
			s.baseErr = err
			return
		}
		for tok := range unknown {
			s.inBase[tok] = found[tok]
			if cache != nil {
				cache.answers[tok] = found[tok]
			}
		}
		cache.save()
	}()
}

// bindable returns the identifiers a use may be bound to during the pass,
// the only ones whose presence at BASE matters: visit makes the first commit
// (in the pass's order) adding an identifier its introducer when that
// commit seems to define it, and marks it used by nobody's introduction
// otherwise; and a use needs a commit after the introducer.
func (s *symbolIndex) bindable() map[string]bool {
	firstDefines := map[string]bool{} // by the first commit adding it
	out := map[string]bool{}
	for _, us := range s.uses {
		for _, u := range us {
			def, seen := firstDefines[u.tok]
			switch {
			case !seen:
				firstDefines[u.tok] = u.def
			case def:
				out[u.tok] = true
			}
		}
	}
	return out
}

// finish turns the bound uses into edges, leaving out the identifiers that
// already exist somewhere in the base tree (they were not introduced by the
// range).
func (s *symbolIndex) finish(b *builder) error {
	<-s.baseDone
	if s.baseErr != nil {
		return s.baseErr
	}
	for _, bu := range s.bound {
		if !s.inBase[bu.use.tok] {
			b.addSymbol(bu.c, bu.a, bu.use)
		}
	}
	return nil
}

// tokenScratch is addedTokens' working memory, recycled from commit to
// commit rather than grown again for each.
type tokenScratch struct {
	seen map[string]int
	out  []tokenUse
}

var tokenScratchPool = sync.Pool{New: func() any { return &tokenScratch{seen: map[string]int{}} }}

// addedTokens lists the identifiers a commit's added lines carry, each at its
// first occurrence (in the order they come), and whether the commit seems to
// define it.
func addedTokens(c *vcs.Commit) []tokenUse {
	if c.Merge {
		return nil
	}
	sc := tokenScratchPool.Get().(*tokenScratch)
	seen, out := sc.seen, sc.out[:0]
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
	kept := slices.Clone(out) // of its exact size
	clear(seen)
	sc.out = out
	tokenScratchPool.Put(sc)
	return kept
}

// baseTokens returns the given identifiers that appear anywhere in the base
// tree's text files (binary, huge and obviously non-text files are
// skipped). The base versions of the files the range touches are read first,
// as they are the likeliest to hold them; the scan stops once every
// identifier is found.
func baseTokens(ctx context.Context, src Source, tree plumbing.Hash, rng *vcs.Range, opts Options, tokens map[string]bool) (map[string]bool, error) {
	files, err := src.TreeFiles(tree)
	if err != nil {
		return nil, err
	}
	limit := opts.indexLimit()
	touched := map[string]bool{}
	for _, c := range rng.Commits {
		for _, fc := range c.Changes {
			touched[fc.OldPath] = true
		}
	}
	var paths, others []string // the touched files first, each part by path
	for p, e := range files {
		// Prose is left out, as in the added lines (addedTokens): a name a
		// README mentions is not yet in the code.
		if e.Mode&0o170000 != 0o100000 || skipExtension(p) || docFile(p) {
			continue
		}
		if touched[p] {
			paths = append(paths, p)
		} else {
			others = append(others, p)
		}
	}
	slices.Sort(paths)
	slices.Sort(others)
	paths = append(paths, others...)
	filter := newWordFilter(tokens)
	var (
		mu        sync.Mutex
		found     = map[string]bool{}
		next      int
		firstErr  error
		seenBlobs = map[plumbing.Hash]bool{}
		wg        sync.WaitGroup
	)
	// claim hands out the next blob to scan, or false when done.
	claim := func() (string, plumbing.Hash, bool) {
		mu.Lock()
		defer mu.Unlock()
		for next < len(paths) && len(found) < len(tokens) && firstErr == nil && ctx.Err() == nil {
			p := paths[next]
			h := files[p].Hash
			next++
			if !seenBlobs[h] {
				seenBlobs[h] = true
				return p, h, true
			}
		}
		return "", plumbing.ZeroHash, false
	}
	for w := 0; w < opts.workers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := map[string]bool{} // found by this worker: no lock for them again
			read := scanReader(src, limit)
			for {
				p, h, ok := claim()
				if !ok {
					return
				}
				content, err := read(h)
				if err != nil {
					err = fmt.Errorf("deps: searching the tree at BASE for new identifiers: %s: %w; "+
						"symbol edges need every text file of that tree (deps, plan and explain skip them with --no-symbols)", p, err)
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					return
				}
				if int64(len(content)) > limit || vcsIsBinary(content) {
					continue
				}
				filter.scan(content, func(tok []byte) {
					if !tokens[string(tok)] || mine[string(tok)] {
						return
					}
					mine[string(tok)] = true
					mu.Lock()
					found[string(tok)] = true
					mu.Unlock()
				})
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return found, firstErr
}

// scanReader returns a reader of base blobs for one scan worker: the
// content it returns is only looked at, once, before the next read, and is
// nil for a blob over limit (unread when the source can tell its size).
func scanReader(src Source, limit int64) func(plumbing.Hash) ([]byte, error) {
	if scanner, ok := src.(blobScanner); ok {
		var buf []byte // reused from blob to blob
		return func(h plumbing.Hash) ([]byte, error) {
			content, grown, err := scanner.ScanBlob(h, buf, limit)
			buf = grown
			return content, err
		}
	}
	sizer, _ := src.(blobSizer)
	return func(h plumbing.Hash) ([]byte, error) {
		if sizer != nil {
			if n, err := sizer.BlobSize(h); err == nil && n > limit {
				return nil, nil
			}
		}
		content, err := src.ReadBlob(h)
		if int64(len(content)) > limit {
			return nil, err
		}
		return content, err
	}
}

// blobScanner is a Source that reads blobs looked at once into a reused
// buffer (*vcs.Repo does).
type blobScanner interface {
	ScanBlob(h plumbing.Hash, buf []byte, maxSize int64) (content, grown []byte, err error)
}

// blobSizer is a Source that can tell a blob's size without reading it
// (*vcs.Repo can).
type blobSizer interface {
	BlobSize(h plumbing.Hash) (int64, error)
}

// indexLimit is the size above which a base file is not searched.
func (o Options) indexLimit() int64 {
	if o.MaxIndexedFile > 0 {
		return o.MaxIndexedFile
	}
	return 1 << 20
}

// wordFilter finds candidate identifiers in a base file fast: a word is
// looked up only when a cheap hash of its length and ends says it may be one.
type wordFilter struct {
	bits   [1024]uint64
	maxLen int
	// minWord is the length of the shortest candidate without a dot: a
	// shorter word is not looked at unless it starts a dotted key.
	minWord int
	// dotted is set when some candidate is a dotted key: then every word
	// followed by ".x" is looked at, as it may start one.
	dotted bool
}

// wordHash mixes a word's length with its first, middle and last bytes:
// words of a text often share a length and ends with some candidate (about
// one word in fifty did with ends alone), the middle byte tells most apart.
func wordHash(w []byte) uint32 {
	x := uint32(len(w)) | uint32(w[0])<<8 | uint32(w[len(w)/2])<<16 | uint32(w[len(w)-1])<<24
	return x * 0x9e3779b1 >> 16
}

func newWordFilter(candidates map[string]bool) *wordFilter {
	f := &wordFilter{minWord: math.MaxInt}
	for c := range candidates {
		h := wordHash([]byte(c))
		f.bits[h/64] |= 1 << (h % 64)
		f.maxLen = max(f.maxLen, len(c))
		if strings.Contains(c, ".") {
			f.dotted = true
		} else {
			f.minWord = min(f.minWord, len(c))
		}
	}
	f.minWord = max(f.minWord, 4) // maybe's floor
	return f
}

func (f *wordFilter) maybe(w []byte) bool {
	if len(w) < 4 || len(w) > f.maxLen {
		return false
	}
	h := wordHash(w)
	return f.bits[h/64]&(1<<(h%64)) != 0
}

// scan calls hit with the words of content that may be wanted (whole
// words, dotted keys and their parts, cut the way scanTokens cuts them),
// and with a few others: hit looks each up.
//
// The base tree is read whole, so this loop is the scan's cost: rather than
// test every byte (a mispredicted branch at each word's two ends), it marks
// the word bytes of 64 bytes at a time in a bitmap, without branches, and
// visits the words from the bitmap's bits. Most words of a text are shorter
// than any candidate: the bitmap tells those apart in bulk too (visitable),
// so only the long words and the starts of dotted keys are visited. A word
// is looked at closely only when the filter may want it or it starts a
// dotted key.
func (f *wordFilter) scan(content []byte, hit func([]byte)) {
	check := func(w []byte) {
		if f.maybe(w) {
			hit(w)
		}
	}
	n := len(content)
	bufs := scanPool.Get().(*scanBuffers)
	defer scanPool.Put(bufs)
	words := wordBitmap(content, bufs.words[:0])
	visit := f.visitable(content, words, bufs.visit[:0])
	bufs.words, bufs.visit = words, visit
	i := 0 // the next byte not yet cut
	var prev uint64
	for blk, w := range words {
		starts := w &^ (w<<1 | prev) & visit[blk]
		prev = w >> 63
		for starts != 0 {
			start := blk*64 + bits.TrailingZeros64(starts)
			starts &= starts - 1
			if start < i || !isIdentStart(content[start]) {
				continue // within a dotted key already cut, or not an identifier
			}
			end := wordEnd(words, start, n)
			i = end
			// The hash alone, without maybe's length tests: fewer
			// mispredicted branches; a word it lets through is only looked up.
			h := wordHash(content[start:end])
			if f.bits[h/64]&(1<<(h%64)) == 0 && !(end+1 < n && content[end] == '.' && isIdentStart(content[end+1])) {
				continue // neither wanted nor the start of a dotted key
			}
			var high byte // some byte of the word is not ASCII
			for _, c := range content[start:end] {
				high |= c
			}
			if high >= 0x80 {
				continue
			}
			check(content[start:end])
			for i+1 < n && content[i] == '.' && isIdentStart(content[i+1]) {
				seg := i + 1
				j := seg
				for j < n && isIdentByte(content[j]) {
					j++
				}
				if j < n && content[j] >= 0x80 {
					break
				}
				check(content[seg:j])
				check(content[start:j])
				i = j
			}
		}
	}
}

// scanBuffers are scan's bitmaps, recycled from file to file.
type scanBuffers struct{ words, visit []uint64 }

var scanPool = sync.Pool{New: func() any { return new(scanBuffers) }}

// visitable returns a bitmap of the word bytes scan must look at when they
// start a word: every byte at which minWord word bytes or more begin (so
// the starts of words at least that long), and, when some candidate is a
// dotted key, the start of every word followed by '.' and an identifier.
//
// Visiting only these gives scan the same hits as visiting every word: a
// shorter word is no candidate, and without dotted candidates a key's
// segments are words of their own, visited when long enough.
func (f *wordFilter) visitable(content []byte, words, buf []uint64) []uint64 {
	visit := append(buf, words...)
	// Bit p means "a run of at least covered word bytes starts at p"; a
	// run of covered+s starts at p when runs of covered start at p and p+s.
	// In place, in ascending order: visit[b+1] is still the old one when
	// visit[b] reads it.
	want := min(f.minWord, 64)
	for covered := 1; covered < want; {
		s := uint(min(covered, want-covered))
		last := len(visit) - 1
		for b := 0; b < last; b++ {
			visit[b] &= visit[b]>>s | visit[b+1]<<(64-s)
		}
		if last >= 0 {
			visit[last] &= visit[last] >> s
		}
		covered += int(s)
	}
	if !f.dotted {
		return visit
	}
	n := len(content)
	for p := 1; p+1 < n; p++ {
		k := bytes.IndexByte(content[p:n-1], '.')
		if k < 0 {
			break
		}
		p += k
		if isIdentStart(content[p+1]) && words[(p-1)/64]&(1<<((p-1)%64)) != 0 {
			s := wordStart(words, p-1)
			visit[s/64] |= 1 << (s % 64)
		}
	}
	return visit
}

// wordStart returns the start of the word holding byte k: the byte after
// the last non-word byte before k, or 0.
func wordStart(words []uint64, k int) int {
	blk, off := k/64, uint(k%64)
	rest := ^words[blk] & (2<<off - 1) // the non-word bytes up to k
	for rest == 0 {
		if blk--; blk < 0 {
			return 0
		}
		rest = ^words[blk]
	}
	return blk*64 + 64 - bits.LeadingZeros64(rest)
}

// wordBit is 1 for the bytes words are made of (isWordByte).
var wordBit = func() (t [256]uint64) {
	for c := range 256 {
		if isWordByte(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// wordBitmap sets bit k of the result when content[k] is a word byte. It
// classifies eight bytes at once (SWAR): a byte is a word byte when its high
// bit is set or its low seven bits fall in 0-9, A-Z, _ or a-z.
func wordBitmap(content []byte, buf []uint64) []uint64 {
	n := len(content)
	buf = slices.Grow(buf, (n+63)/64)[:(n+63)/64]
	full := n / 64
	for b := 0; b < full; b++ {
		chunk := content[b*64 : b*64+64 : b*64+64]
		le := binenc.LittleEndian
		buf[b] = wordBytes8(le.Uint64(chunk[0:8])) | wordBytes8(le.Uint64(chunk[8:16]))<<8 |
			wordBytes8(le.Uint64(chunk[16:24]))<<16 | wordBytes8(le.Uint64(chunk[24:32]))<<24 |
			wordBytes8(le.Uint64(chunk[32:40]))<<32 | wordBytes8(le.Uint64(chunk[40:48]))<<40 |
			wordBytes8(le.Uint64(chunk[48:56]))<<48 | wordBytes8(le.Uint64(chunk[56:64]))<<56
	}
	if full < len(buf) {
		var w uint64
		for k, c := range content[full*64:] {
			if isWordByte(c) {
				w |= 1 << k
			}
		}
		buf[full] = w
	}
	return buf
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// wordBytes8 returns one bit per byte of x (bit k for byte k, little
// endian), set for the word bytes.
func wordBytes8(x uint64) uint64 {
	v := x &^ highs
	// v + (0x80-c)*ones has the high bit of each byte whose low seven bits
	// are >= c (no carry crosses bytes). Setting bit 5 folds A-Z onto a-z
	// (and nothing else onto them), so one range test finds the letters.
	folded := v | 0x20*ones
	digit := (v + (0x80-'0')*ones) &^ (v + (0x80-'9'-1)*ones)
	letter := (folded + (0x80-'a')*ones) &^ (folded + (0x80-'z'-1)*ones)
	under := (v + (0x80-'_')*ones) &^ (v + (0x80-'_'-1)*ones)
	m := (x | digit | letter | under) & highs
	// Gather the eight high bits into the low byte.
	return (m >> 7) * 0x0102040810204080 >> 56
}

// wordEnd returns the end of the word starting at start: the first byte
// after it that is not a word byte, or n.
func wordEnd(words []uint64, start, n int) int {
	blk, off := start/64, uint(start%64)
	rest := ^words[blk] >> off << off // the non-word bytes from start on
	for rest == 0 {
		if blk++; blk == len(words) {
			return n
		}
		rest = ^words[blk]
	}
	return min(blk*64+bits.TrailingZeros64(rest), n)
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
func (s *symbolIndex) visit(c int32, v *view) {
	introduced := false
	for _, u := range s.uses[c] {
		if s.used[u.tok] {
			continue
		}
		bound := false
		for _, a := range s.introducers[u.tok] {
			if v.reach.has(s.ordinal[a]) {
				s.bound = append(s.bound, boundUse{c, a, u})
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
			// One look at each byte of the segment (text[end] is an
			// identifier start) gives its shape: code-shaped with an
			// underscore, a digit or a capital after the first byte (prose
			// has none), fit for a dotted i18n key without any capital.
			first := byteClass[text[end]]
			var rest uint8 // the classes of the other bytes, or-ed
			j := end + 1
			for ; j < len(text); j++ {
				class := byteClass[text[j]]
				if class&classIdent == 0 {
					break
				}
				rest |= class
			}
			if j < len(text) && text[j] >= 0x80 {
				break // part of a non-ASCII word: not an identifier
			}
			w := text[end:j]
			all := first | rest
			if len(w) >= 4 && (all&classDigitUnder != 0 || rest&classUpper != 0 && !stopWord(w)) && !hexLike(w) {
				emit(w, looksDefined(text, end, j))
			}
			keyShaped = keyShaped && all&classUpper == 0
			segments++
			end = j
			if end+1 < len(text) && text[end] == '.' && isIdentStart(text[end+1]) {
				end++
				continue
			}
			break
		}
		if segments >= 2 && keyShaped && text[end-1] != '.' && end-start >= minKeyLen {
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

// minKeyLen keeps short dotted words (a.b, x.ok) out of the keys.
const minKeyLen = 6

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
	base := path.Base(p)
	for _, prefix := range docPrefixes {
		if len(base) >= len(prefix) && strings.EqualFold(base[:len(prefix)], prefix) {
			return true
		}
	}
	ext := path.Ext(p)
	for _, e := range docExtensions {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

var (
	docPrefixes   = []string{"README", "CHANGELOG", "CHANGES", "LICENSE", "NOTICE", "AUTHORS"}
	docExtensions = []string{".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc"}
)

// Byte classes, looked up rather than compared: the scanners read every
// byte of the base tree.
const (
	classStart      = 1 << iota // [A-Za-z_]
	classIdent                  // [A-Za-z0-9_]
	classWord                   // an identifier byte or a non-ASCII one
	classUpper                  // [A-Z]
	classDigitUnder             // [0-9_]
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		start := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		ident := start || c >= '0' && c <= '9'
		if start {
			t[c] |= classStart
		}
		if ident {
			t[c] |= classIdent
		}
		if ident || c >= 0x80 {
			t[c] |= classWord
		}
		if c >= 'A' && c <= 'Z' {
			t[c] |= classUpper
		}
		if c >= '0' && c <= '9' || c == '_' {
			t[c] |= classDigitUnder
		}
	}
	return t
}()

func isIdentStart(c byte) bool { return byteClass[c]&classStart != 0 }

func isIdentByte(c byte) bool { return byteClass[c]&classIdent != 0 }

func isWordByte(c byte) bool { return byteClass[c]&classWord != 0 }

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
