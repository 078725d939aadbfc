package risk_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/risk"
)

// BenchmarkSimulate200x10k: 10,000 cutovers of a 200-step runbook (steps
// in order, parallel groups, DependsOn, outages) on 20 production-like
// rehearsals, the model built from them included. On a shared machine
// the mean is noisy: min-ns/op, the quickest iteration, is the cost when
// nothing else runs.
func BenchmarkSimulate200x10k(b *testing.B) {
	r := rand.New(rand.NewPCG(200, 10_000))
	runbook := randomRunbook(r, 200)
	runs := history(r, runbook, truth(r, len(runbook)), 20)
	o := risk.Options{T0: simT0, WindowEnd: simT0.Add(24 * time.Hour)}
	b.ReportAllocs()
	quickest := time.Duration(math.MaxInt64)
	for b.Loop() {
		start := time.Now()
		ov, err := risk.Simulate(runbook, runs, o)
		quickest = min(quickest, time.Since(start))
		require.NoError(b, err)
		require.Equal(b, 10_000, ov.Duration.Len())
	}
	b.ReportMetric(float64(quickest.Nanoseconds()), "min-ns/op")
}
