package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/internal/timespan"
)

func TestAppendShort(t *testing.T) {
	for _, d := range []time.Duration{0, time.Minute, 30 * time.Minute, time.Hour, 90 * time.Minute, 26 * time.Hour,
		-time.Hour, -90 * time.Minute, 45 * time.Second, time.Hour + 5*time.Second, 1500 * time.Millisecond,
		1000 * time.Hour, 1<<63 - 1, -1 << 63} {
		assert.Equal(t, timespan.Short(d), string(appendShort(nil, d)), "%v", int64(d))
	}
}

func TestAppendWallDay(t *testing.T) {
	for w := int64(-5e10); w < 2.6e11; w += 7777777 + w%1000 {
		for _, clock := range []bool{false, true} {
			layout := "Mon 2006-01-02"
			if clock {
				layout += " 15:04"
			}
			assert.Equal(t, wallTime(w).Format(layout), string(appendWallDay(nil, w, clock)), "%d", w)
		}
	}
}
