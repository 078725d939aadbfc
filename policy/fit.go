package policy

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The fit engine. Calendars answer two questions, for Evaluate and for
// NextSlot: which blocked interval first meets [t, end), and what is the
// earliest start at or after t at which an operation of length d meets
// none. The calendars of this package answer them from per-bucket lists of
// blocked intervals kept in real time (Unix seconds), computed once and
// shared; user calendars through Blocked, fetched in chunks of growing
// length. Either way the cost grows with the intervals passed, never with
// the length of the operation or of the horizon in minutes.

// inst is an instant as Unix seconds and nanoseconds (0 <= ns < 1e9):
// cheaper to compare and to move than a time.Time.
type inst struct{ s, ns int64 }

func instOf(t time.Time) inst { return inst{t.Unix(), int64(t.Nanosecond())} }

// sec is the instant at Unix second s.
func sec(s int64) inst { return inst{s: s} }

func (a inst) time() time.Time    { return time.Unix(a.s, a.ns) }
func (a inst) before(b inst) bool { return a.s < b.s || (a.s == b.s && a.ns < b.ns) }
func (a inst) add(d time.Duration) inst {
	s, ns := a.s+int64(d/time.Second), a.ns+int64(d%time.Second)
	switch {
	case ns >= 1e9:
		s, ns = s+1, ns-1e9
	case ns < 0:
		s, ns = s-1, ns+1e9
	}
	return inst{s, ns}
}

// ceilSeconds returns d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// A bucket is 2^bucketShift seconds of real time, about 388 days.
const (
	bucketShift = 25
	bucketLen   = 1 << bucketShift
	// maxBucketBlocks bounds the intervals a bucket keeps (256 KiB); a
	// denser bucket keeps only its summary and its intervals are computed
	// when needed.
	maxBucketBlocks = 1 << 14
	// maxBuckets bounds the buckets a calendar keeps (about 60 years).
	maxBuckets = 56
)

// bucket is what a wallCalendar knows of the real-time stretch [lo, hi).
// It is immutable once built.
type bucket struct {
	lo, hi int64
	blocks []span // Unix seconds: sorted, disjoint, not touching, within [lo, hi)
	// lead and trail are the free seconds before the first block and after
	// the last one (hi-lo when nothing is blocked); gap is the longest free
	// run within [lo, hi), lead and trail included.
	lead, trail, gap int64
	dense            bool // more than maxBucketBlocks: blocks is nil
	// zones are the stretches of constant offset that cover [lo, hi), so
	// that reasons need no zone lookup.
	zones []zoneInfo
}

// zoneInfo is a stretch [s, e) of Unix seconds with one offset and name.
type zoneInfo struct {
	s, e int64
	off  int64
	name string
}

// bucketAt returns the bucket that contains Unix second s.
func (c *wallCalendar) bucketAt(s int64) *bucket {
	return c.buckets.get(s>>bucketShift, c.buildBucket)
}

// bucketCache keeps the buckets of a calendar for a run of consecutive
// indices, at most maxBuckets long: a lookup is a load and an index. The
// window is replaced, never changed, under mu; a bucket out of reach of
// the window starts a new one. It is safe for concurrent use.
type bucketCache struct {
	mu sync.Mutex
	w  atomic.Pointer[bucketWindow]
}

type bucketWindow struct {
	k0 int64     // the index of bs[0]
	bs []*bucket // nil: not built yet
}

func (c *bucketCache) get(k int64, build func(int64) *bucket) *bucket {
	if w := c.w.Load(); w != nil && k >= w.k0 && k-w.k0 < int64(len(w.bs)) {
		if b := w.bs[k-w.k0]; b != nil {
			return b
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.w.Load()
	if old != nil && k >= old.k0 && k-old.k0 < int64(len(old.bs)) && old.bs[k-old.k0] != nil {
		return old.bs[k-old.k0]
	}
	b := build(k)
	w := &bucketWindow{k0: k, bs: []*bucket{b}}
	if old != nil {
		lo, hi := min(old.k0, k), max(old.k0+int64(len(old.bs)), k+1)
		if hi-lo <= maxBuckets {
			w = &bucketWindow{k0: lo, bs: make([]*bucket, hi-lo)}
			copy(w.bs[old.k0-lo:], old.bs)
			w.bs[k-lo] = b
		}
	}
	c.w.Store(w)
	return b
}

// buildBucket computes bucket k a week at a time, so that a dense calendar
// (a freeze every minute) costs its summary without holding its spans.
func (c *wallCalendar) buildBucket(k int64) *bucket {
	b := &bucket{lo: k << bucketShift, hi: (k + 1) << bucketShift}
	const chunk = 7 * secondsPerDay
	var buf, blocks []span
	prev, n := b.lo, 0
	for s := b.lo; s < b.hi; s += chunk {
		buf = c.computeSpans(buf[:0], s, min(s+chunk, b.hi))
		for _, x := range buf {
			if n > 0 && x.a == prev { // across the seam of two weeks
				prev = x.b
				if !b.dense {
					blocks[len(blocks)-1].b = x.b
				}
				continue
			}
			if n == 0 {
				b.lead = x.a - b.lo
			}
			b.gap = max(b.gap, x.a-prev)
			prev = x.b
			if n++; n > maxBucketBlocks {
				b.dense, blocks = true, nil
			}
			if !b.dense {
				blocks = append(blocks, x)
			}
		}
	}
	b.trail = b.hi - prev
	b.gap = max(b.gap, b.trail)
	if n == 0 {
		b.lead = b.hi - b.lo
	}
	b.blocks = slices.Clip(blocks)
	for t := b.lo; t < b.hi && len(b.zones) < 64; {
		lt := time.Unix(t, 0).In(c.loc)
		name, off := lt.Zone()
		e := b.hi
		if _, end := lt.ZoneBounds(); !end.IsZero() && end.Unix() > t && end.Unix() < b.hi {
			e = end.Unix()
		}
		b.zones = append(b.zones, zoneInfo{s: t, e: e, off: int64(off), name: name})
		t = e
	}
	return b
}

// cursor walks the blocked intervals of one calendar forward in time.
type cursor interface {
	// fit returns the earliest start t' at or after t such that the
	// calendar blocks no instant of [t', t'+d), and false if there is none
	// at or before last. Successive calls must not go back in time.
	fit(ctx context.Context, t inst, d time.Duration, last inst) (inst, bool, error)
}

// cursorFor returns a cursor over the blocked intervals of c.
func cursorFor(c Calendar) cursor {
	switch v := c.(type) {
	case *wallCalendar:
		return &wallCursor{c: v}
	case *freeze:
		return &freezeCursor{f: v}
	case *wrappedCalendar:
		return cursorFor(v.cal)
	}
	return &chunkCursor{cal: c}
}

// wallCursor walks the buckets of a wallCalendar. It holds the blocks of
// one range [lo, hi): a bucket, or for a dense bucket a stretch of it
// computed into buf.
type wallCursor struct {
	c      *wallCalendar
	b      *bucket
	lo, hi int64
	blocks []span
	i      int // the first block that may end after the last t asked
	buf    []span
	// checked is the last bucket that fit found worth walking.
	checked *bucket
}

// load makes the cursor hold the range that contains Unix second s, and
// points it at the first block ending after s.
func (w *wallCursor) load(ctx context.Context, s int64) error {
	b := w.c.bucketAt(s)
	w.b = b
	if !b.dense {
		w.lo, w.hi, w.blocks = b.lo, b.hi, b.blocks
	} else {
		if err := ctx.Err(); err != nil {
			return err
		}
		// A dense bucket: compute a week of it.
		w.lo, w.hi = s, min(s+7*secondsPerDay, b.hi)
		w.buf = w.c.computeSpans(w.buf[:0], w.lo, w.hi)
		w.blocks = w.buf
	}
	w.i = endingAfter(w.blocks, s)
	return nil
}

// meet returns the first blocked span that ends after t and starts before
// end, if any.
func (w *wallCursor) meet(ctx context.Context, t, end inst) (span, bool, error) {
	if w.b == nil || t.s >= w.hi {
		if err := w.load(ctx, t.s); err != nil {
			return span{}, false, err
		}
	}
	for {
		for w.i < len(w.blocks) && w.blocks[w.i].b <= t.s {
			w.i++
		}
		if w.i < len(w.blocks) {
			x := w.blocks[w.i]
			return x, sec(x.a).before(end), nil
		}
		if !sec(w.hi).before(end) {
			return span{}, false, nil
		}
		// Nothing more here, but the operation runs on into the next range.
		if err := w.load(ctx, w.hi); err != nil {
			return span{}, false, err
		}
	}
}

func (w *wallCursor) fit(ctx context.Context, t inst, d time.Duration, last inst) (inst, bool, error) {
	ds := ceilSeconds(d)
	for {
		if last.before(t) {
			return t, false, nil
		}
		if w.b == nil || t.s >= w.hi {
			if err := w.load(ctx, t.s); err != nil {
				return t, false, err
			}
		}
		// Skip a bucket in which no run of free time is long enough for
		// an operation starting in it: a run within it is at most gap
		// long, a run across its end at most trail and the next lead.
		if b := w.b; w.checked != b && t.s >= b.lo {
			w.checked = b
			if d < bucketLen*time.Second && b.gap < ds {
				// Walk the summaries only, bucket after bucket, while no
				// start fits.
				skipped := false
				for b.gap < ds && b.hi < 1<<62 {
					nb := w.c.bucketAt(b.hi)
					if b.trail+nb.lead >= ds {
						break
					}
					b, t, skipped = nb, sec(b.hi), true
					if last.before(t) {
						return t, false, nil
					}
				}
				if skipped {
					continue
				}
			}
		}
		x, ok, err := w.meet(ctx, t, t.add(d))
		if err != nil || !ok {
			return t, err == nil, err
		}
		t = sec(x.b)
	}
}

// zoneAt returns the zone name and offset of the calendar's location at
// Unix second s, from the bucket the cursor holds when s is in it.
func (w *wallCursor) zoneAt(s int64) (string, int64) {
	b := w.b
	if b == nil || s < b.lo || s >= b.hi {
		b = w.c.bucketAt(s)
	}
	for _, z := range b.zones {
		if s >= z.s && s < z.e {
			return z.name, z.off
		}
	}
	name, off := time.Unix(s, 0).In(w.c.loc).Zone()
	return name, int64(off)
}

// freezeCursor is the cursor of a one-off freeze.
type freezeCursor struct{ f *freeze }

func (c *freezeCursor) fit(_ context.Context, t inst, d time.Duration, last inst) (inst, bool, error) {
	a, b := instOf(c.f.iv.Start), instOf(c.f.iv.End)
	if a.before(b) && a.before(t.add(d)) && t.before(b) {
		t = b
	}
	return t, !last.before(t), nil
}

// chunkCursor walks any Calendar through Blocked, in chunks of growing
// length, so that a long search asks for few long stretches.
type chunkCursor struct {
	cal     Calendar
	list    []Interval
	i       int
	fetched time.Time // blocked intervals are known up to here
	chunk   time.Duration
}

func (c *chunkCursor) fit(ctx context.Context, t inst, d time.Duration, last inst) (inst, bool, error) {
	if c.chunk == 0 {
		c.chunk = max(7*24*time.Hour, 2*d)
		c.fetched = t.time()
	}
	for {
		if last.before(t) {
			return t, false, nil
		}
		end := t.add(d)
		for instOf(c.fetched).before(end) {
			if err := ctx.Err(); err != nil {
				return t, false, err
			}
			hi := c.fetched.Add(c.chunk)
			if e := end.time(); hi.Before(e) {
				hi = e
			}
			if c.i > 0 { // drop what was passed
				c.list = c.list[:copy(c.list, c.list[c.i:])]
				c.i = 0
			}
			c.list = appendBlocked(c.cal, c.list, c.fetched, hi)
			c.fetched = hi
			if c.chunk < 366*24*time.Hour {
				c.chunk *= 2
			}
		}
		for c.i < len(c.list) && !t.before(instOf(c.list[c.i].End)) {
			c.i++
		}
		if c.i < len(c.list) && instOf(c.list[c.i].Start).before(end) {
			t = instOf(c.list[c.i].End)
			c.i++
			continue
		}
		return t, true, nil
	}
}

// firstFit returns the earliest t in [earliest, last] such that no cursor's
// calendar blocks any instant of [t, t+d), or ErrNoSlot.
func firstFit(ctx context.Context, curs []cursor, earliest inst, d time.Duration, last inst) (inst, error) {
	t := earliest
	// Ask the calendars in turn until all of them agree on t.
	for i, agree := 0, 0; agree < len(curs); i = (i + 1) % len(curs) {
		next, ok, err := curs[i].fit(ctx, t, d, last)
		switch {
		case err != nil:
			return t, err
		case !ok:
			return t, ErrNoSlot
		case t.before(next):
			t, agree = next, 1
		default:
			agree++
		}
	}
	if last.before(t) {
		return t, ErrNoSlot
	}
	return t, nil
}

// endingAfter returns the index of the first span of the sorted, disjoint
// spans that ends after s, len(spans) if none.
func endingAfter(spans []span, s int64) int {
	i, j := 0, len(spans)
	for i < j {
		h := int(uint(i+j) >> 1)
		if spans[h].b <= s {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}
