package policy

import (
	"context"
	"slices"
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
}

// bucketAt returns the bucket that contains Unix second s.
func (c *wallCalendar) bucketAt(s int64) *bucket {
	k := s >> bucketShift
	if b := c.lastBucket.Load(); b != nil && b.lo>>bucketShift == k {
		return b
	}
	b := c.buckets.get(k, c.buildBucket)
	c.lastBucket.Store(b)
	return b
}

func (c *wallCalendar) buildBucket(k int64) *bucket {
	b := &bucket{lo: k << bucketShift, hi: (k + 1) << bucketShift}
	ivs := c.computeBlocked(nil, time.Unix(b.lo, 0), time.Unix(b.hi, 0))
	prev := b.lo
	blocks := make([]span, 0, len(ivs))
	for i, iv := range ivs {
		s := span{iv.Start.Unix(), iv.End.Unix()}
		if i == 0 {
			b.lead = s.a - b.lo
		}
		b.gap = max(b.gap, s.a-prev)
		prev = s.b
		blocks = append(blocks, s)
	}
	b.trail = b.hi - prev
	b.gap = max(b.gap, b.trail)
	if len(ivs) == 0 {
		b.lead = b.hi - b.lo
	}
	if len(blocks) > maxBucketBlocks {
		b.dense = true
	} else {
		b.blocks = blocks
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
		w.buf = w.buf[:0]
		for _, iv := range w.c.computeBlocked(nil, time.Unix(w.lo, 0), time.Unix(w.hi, 0)) {
			w.buf = append(w.buf, span{iv.Start.Unix(), iv.End.Unix()})
		}
		w.blocks = w.buf
	}
	w.i, _ = slices.BinarySearchFunc(w.blocks, s, func(x span, s int64) int {
		if x.b <= s {
			return -1
		}
		return 1
	})
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
					nb := w.c.buckets.get(b.hi>>bucketShift, w.c.buildBucket)
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
