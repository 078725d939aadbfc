package policy

import (
	"context"
	"sync"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Reasons are appended part by part to a buffer of reasons (see reasons):
// the reasons of one Set.Evaluate share one allocation, however many
// parts they have.

// appendShort appends d as timespan.Short writes it ("1h30m", "45m", "2h"),
// without allocating for whole minutes.
func appendShort(b []byte, d time.Duration) []byte {
	if d%time.Minute != 0 || d == 0 || d < -1<<62 {
		return append(b, timespan.Short(d)...)
	}
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	if h > 0 {
		b = appendInt(b, h)
		b = append(b, 'h')
	}
	if m > 0 {
		b = appendInt(b, m)
		b = append(b, 'm')
	}
	return b
}

func appendInt(b []byte, n int64) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}

// evaluate sets *d to p.Evaluate(ctx, *c) for the policies of this
// package, without copying the change or the decision, and with the reason
// written at the end of b rather than allocated: when it returns b longer,
// d.Reason is empty and the reason is what was appended; otherwise the
// Reason is set. The caller makes the reasons strings once every policy
// has spoken, so that Set.Evaluate allocates once for all of them. The
// switch names the types, rather than an interface, so that c can stay on
// the caller's stack. Other policies are called as they are.
func evaluate(ctx context.Context, p Policy, c *Change, d *Decision, b []byte) []byte {
	switch p := p.(type) {
	case *wallCalendar:
		return p.eval(ctx, c, d, b)
	case *freeze:
		return p.eval(ctx, c, d, b)
	case *Readiness:
		return p.eval(ctx, c, d, b)
	case *Quorum:
		return p.eval(ctx, c, d, b)
	case *maxOutage:
		return p.eval(ctx, c, d, b)
	case *wrapped:
		return p.eval(ctx, c, d, b)
	case *wrappedCalendar:
		return p.eval(ctx, c, d, b)
	case *scoped:
		return p.eval(ctx, c, d, b)
	}
	*d = p.Evaluate(ctx, *c)
	return b
}

// alone evaluates p, a policy of this package, on its own: its reason
// takes one allocation.
func alone(ctx context.Context, p Policy, c *Change) Decision {
	scratch := getScratch()
	var d Decision
	b := evaluate(ctx, p, c, &d, scratch.b)
	if len(b) > 0 {
		d.Reason = string(b)
	}
	scratch.put(b)
	return d
}

// scratch is a buffer that evaluations write reasons to before they become
// strings. The buffers are pooled: they never end up in a Decision.
type scratch struct{ b []byte }

var scratchPool = sync.Pool{New: func() any { return &scratch{b: make([]byte, 0, 1024)} }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// put returns the buffer to the pool, with b, its last state, unless b
// grew too large to keep.
func (s *scratch) put(b []byte) {
	if cap(b) > 64<<10 {
		return
	}
	s.b = b[:0]
	scratchPool.Put(s)
}
