package apply

// gitMap is a string-keyed map that iterates in the order git's strmap
// (hashmap.c with strhash) would. merge-ort walks some maps in that order and
// the order can decide ties (which directory rename guess wins, in which
// order deferred directories are explored), so matching git's trees byte for
// byte means iterating the same way.
type gitMap[V any] struct {
	table  []*gitMapNode[V]
	index  map[string]*gitMapNode[V]
	growAt int
}

type gitMapNode[V any] struct {
	key  string
	hash uint32
	val  V
	next *gitMapNode[V]
}

const (
	gitHashmapInitialSize = 64
	gitHashmapResizeBits  = 2
	gitHashmapLoadFactor  = 80
)

// strhash is git's FNV-1 string hash.
func strhash(s string) uint32 {
	h := uint32(0x811c9dc5)
	for i := 0; i < len(s); i++ {
		h = (h * 0x01000193) ^ uint32(s[i])
	}
	return h
}

func newGitMap[V any]() *gitMap[V] {
	m := &gitMap[V]{index: map[string]*gitMapNode[V]{}}
	m.alloc(gitHashmapInitialSize)
	return m
}

func (m *gitMap[V]) alloc(size int) {
	m.table = make([]*gitMapNode[V], size)
	m.growAt = size * gitHashmapLoadFactor / 100
}

func (m *gitMap[V]) Len() int { return len(m.index) }

func (m *gitMap[V]) Get(k string) (V, bool) {
	if n, ok := m.index[k]; ok {
		return n.val, true
	}
	var zero V
	return zero, false
}

// Set inserts or updates k; a new key goes to the head of its bucket, as in git.
func (m *gitMap[V]) Set(k string, v V) {
	if n, ok := m.index[k]; ok {
		n.val = v
		return
	}
	n := &gitMapNode[V]{key: k, hash: strhash(k), val: v}
	b := n.hash & uint32(len(m.table)-1)
	n.next = m.table[b]
	m.table[b] = n
	m.index[k] = n
	if len(m.index) > m.growAt {
		m.rehash(len(m.table) << gitHashmapResizeBits)
	}
}

func (m *gitMap[V]) rehash(size int) {
	old := m.table
	m.alloc(size)
	for _, e := range old {
		for e != nil {
			next := e.next
			b := e.hash & uint32(size-1)
			e.next = m.table[b]
			m.table[b] = e
			e = next
		}
	}
}

// Remove deletes k (git only shrinks on removal below a threshold this
// package never reaches, so the table is left as is).
func (m *gitMap[V]) Remove(k string) {
	n, ok := m.index[k]
	if !ok {
		return
	}
	delete(m.index, k)
	b := n.hash & uint32(len(m.table)-1)
	for p := &m.table[b]; *p != nil; p = &(*p).next {
		if *p == n {
			*p = n.next
			return
		}
	}
}

// Each visits the entries in git's iteration order.
func (m *gitMap[V]) Each(f func(k string, v V)) {
	for _, e := range m.table {
		for ; e != nil; e = e.next {
			f(e.key, e.val)
		}
	}
}
