package timespan_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/internal/timespan"
)

type period struct{ Start, End time.Time }

var t0 = time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func TestMerge(t *testing.T) {
	tests := []struct {
		name     string
		in, want []period
	}{
		{"empty", nil, nil},
		{"drops empty intervals", []period{{at(5), at(5)}, {at(9), at(3)}}, []period{}},
		{"overlap", []period{{at(0), at(10)}, {at(5), at(20)}}, []period{{at(0), at(20)}}},
		{"touching merge", []period{{at(10), at(20)}, {at(0), at(10)}}, []period{{at(0), at(20)}}},
		{"contained", []period{{at(0), at(30)}, {at(5), at(10)}}, []period{{at(0), at(30)}}},
		{"disjoint, unsorted", []period{{at(40), at(50)}, {at(0), at(10)}, {at(20), at(30)}},
			[]period{{at(0), at(10)}, {at(20), at(30)}, {at(40), at(50)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, timespan.Merge(tt.in))
		})
	}
}

// TestMergeOracle compares Merge with a minute-by-minute coverage map.
func TestMergeOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		in := make([]period, rng.IntN(12))
		covered := map[int]bool{}
		for i := range in {
			a := rng.IntN(100)
			b := a + rng.IntN(20) - 2
			in[i] = period{at(a), at(b)}
			for m := a; m < b; m++ {
				covered[m] = true
			}
		}
		got := timespan.Merge(in)
		n := 0
		for i, iv := range got {
			assert.True(t, iv.Start.Before(iv.End))
			if i > 0 {
				assert.True(t, got[i-1].End.Before(iv.Start), "sorted, not touching: %v", got)
			}
			for m := iv.Start; m.Before(iv.End); m = m.Add(time.Minute) {
				assert.True(t, covered[int(m.Sub(t0)/time.Minute)])
				n++
			}
		}
		assert.Equal(t, len(covered), n)
	}
}

func ExampleMerge() {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return day.Add(time.Duration(n) * time.Hour) }
	for _, p := range timespan.Merge([]period{{h(9), h(12)}, {h(8), h(10)}, {h(12), h(13)}, {h(15), h(16)}}) {
		fmt.Println(p.Start.Format("15:04"), "to", p.End.Format("15:04"))
	}
	// Output:
	// 08:00 to 13:00
	// 15:00 to 16:00
}
