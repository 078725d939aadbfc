package policy

import (
	"time"

	"github.com/mepkit/mepkit/internal/durfmt"
)

// Reasons are built in a buffer on the caller's stack and turned into a
// string once: one allocation per reason, however many parts it has.

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
