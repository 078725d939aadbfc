package policy

import (
	"sync"
	"sync/atomic"
)

// maxCachedYears bounds a yearCache: a year that does not fit empties it,
// so that the years in use are soon cached again.
const maxCachedYears = 400

// yearCache memoises a per-year computation. Reads take no lock: the map is
// replaced, never changed, under mu. It is safe for concurrent use.
type yearCache[T any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[int]T]
}

// get returns the value for year y, computing it with fn (under the lock,
// so fn needs no locking of its own) on first use.
func (c *yearCache[T]) get(y int, fn func(int) T) T {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[y]; ok {
			return v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if v, ok := (*old)[y]; ok {
			return v
		}
	}
	v := fn(y)
	if old != nil && len(*old) >= maxCachedYears {
		old = nil // start over
	}
	m := make(map[int]T, 1+lenOf(old))
	if old != nil {
		for k, x := range *old {
			m[k] = x
		}
	}
	m[y] = v
	c.m.Store(&m)
	return v
}

func lenOf[T any](m *map[int]T) int {
	if m == nil {
		return 0
	}
	return len(*m)
}
