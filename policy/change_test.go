package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// instSpan agrees with span, near the ends of the range of time.Time too.
func TestInstSpan(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	starts := []time.Time{{}, time.Now(), time.Unix(1<<62-1, 999999999), time.Unix(1<<62, 0),
		time.Unix(1<<63-1-62135596800-5, 500), time.Unix(-1<<62, 1), time.Date(1, 1, 1, 0, 0, 0, 0, paris)}
	for s := int64(-5e10); s < 2.6e11; s += 7777777 + s%1000 {
		starts = append(starts, time.Unix(s, s%1e9).In(paris))
	}
	for _, start := range starts {
		for _, d := range []time.Duration{-time.Hour, 0, 1, time.Hour + 999, 1<<63 - 1} {
			c := Change{Start: start, Duration: d}
			from, to := c.span()
			f, e := c.instSpan()
			assert.Equal(t, instOf(from), f, "%v %v", start, d)
			assert.Equal(t, instOf(to), e, "%v %v", start, d)
		}
	}
}
