package policy

import (
	"context"
	"time"
	"unsafe"

	"github.com/mepkit/mepkit/internal/durfmt"
)

// Reasons are appended part by part to a buffer of reasons (see reasons):
// the reasons of one Set.Evaluate share one allocation, however many
// parts they have.

// appendShort appends d as durfmt.Short writes it ("1h30m", "45m", "2h"),
// without allocating for whole minutes.
func appendShort(b []byte, d time.Duration) []byte {
	if d%time.Minute != 0 || d == 0 || d < -1<<62 {
		return append(b, durfmt.Short(d)...)
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

// evaluate is p.Evaluate(ctx, *c) without copying the change for the
// policies of this package, which write the reasons they build to rs (nil:
// each reason is an allocation of its own) so that the reasons of one
// Set.Evaluate share one allocation. The switch names the types, rather
// than an interface, so that c and rs can stay on the caller's stack.
func evaluate(ctx context.Context, p Policy, c *Change, rs *reasons) Decision {
	switch p := p.(type) {
	case *wallCalendar:
		return p.eval(ctx, c, rs)
	case *freeze:
		return p.eval(ctx, c, rs)
	case *Readiness:
		return p.eval(ctx, c, rs)
	case *Quorum:
		return p.eval(ctx, c, rs)
	case *maxOutage:
		return p.eval(ctx, c, rs)
	case *wrapped:
		return p.eval(ctx, c, rs)
	case *wrappedCalendar:
		return p.eval(ctx, c, rs)
	case *scoped:
		return p.eval(ctx, c, rs)
	}
	return p.Evaluate(ctx, *c)
}

// reasons is a buffer that the reasons of one evaluation are written to:
// a policy appends its reason to buf() and hands the result to done, which
// returns the reason as a string that shares the buffer's memory. A reason
// is never changed once done returns it: the buffer is only appended to,
// and when it is full a new one starts (the reasons already returned keep
// the old one alive). The nil *reasons gives every reason its own
// allocation. A reasons is not safe for concurrent use.
type reasons struct{ b []byte }

// reasonsSize is the size of a buffer of reasons: enough for the reasons of
// a denial by a whole standard set.
const reasonsSize = 512

// buf returns the buffer to append one reason to.
func (rs *reasons) buf() []byte {
	if rs == nil {
		return make([]byte, 0, 256)
	}
	if cap(rs.b)-len(rs.b) < 160 {
		rs.b = make([]byte, 0, reasonsSize)
	}
	return rs.b[len(rs.b):len(rs.b):cap(rs.b)]
}

// done returns the reason written to b, which buf returned and the caller
// appended to, and takes b's memory back.
func (rs *reasons) done(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if rs != nil && len(rs.b) < cap(rs.b) && &rs.b[:len(rs.b)+1][len(rs.b)] == &b[0] {
		rs.b = rs.b[:len(rs.b)+len(b)] // b is the rest of rs.b: keep filling it
	}
	return unsafe.String(&b[0], len(b))
}
