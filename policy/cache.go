package policy

import (
	"sync"
	"sync/atomic"
)

// maxCachedYears bounds a yearCache: a year that does not fit empties it,
// so that the years in use are soon cached again.
const maxCachedYears = 400

// memo memoises a computation by key, keeping at most max values (zero:
// maxCachedYears). Reads take no lock: the map is replaced, never changed,
// under mu. It is safe for concurrent use; the values it hands out are
// shared and must not be changed.
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   atomic.Pointer[map[K]V]
	max int
}

// yearCache memoises a per-year computation.
type yearCache[T any] = memo[int, T]

// get returns the value for key k, computing it with fn (under the lock,
// so fn needs no locking of its own) on first use.
func (c *memo[K, V]) get(k K, fn func(K) V) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if v, ok := (*old)[k]; ok {
			return v
		}
	}
	v := fn(k)
	limit := c.max
	if limit <= 0 {
		limit = maxCachedYears
	}
	if old != nil && len(*old) >= limit {
		old = nil // start over
	}
	m := make(map[K]V, 1+lenOf(old))
	if old != nil {
		for k, x := range *old {
			m[k] = x
		}
	}
	m[k] = v
	c.m.Store(&m)
	return v
}

func lenOf[K comparable, V any](m *map[K]V) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
