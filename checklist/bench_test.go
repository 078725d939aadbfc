package checklist_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// sizes are the list sizes of the scaling benchmarks: the cost per item
// (the "ns/item" and "B/item" metrics) must stay flat across them.
var sizes = []int{1_000, 10_000, 100_000}

// BenchmarkParseSize reads YAML files of 1,000 to 100,000 items (about
// 140 bytes each), validation included.
func BenchmarkParseSize(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			data := bigYAML(n)
			opts := &checklist.ParseOptions{MaxBytes: len(data)} // 100,000 items are over the default
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if _, err := checklist.ParseWith(data, opts); err != nil {
					b.Fatal(err)
				}
			}
			perItem(b, n, cpu)
		})
	}
}

// BenchmarkDigestSize hashes complete runs of 1,000 to 100,000 items,
// after a change each time (a digest is remembered per state), once the
// run has hashed its list (once per run).
func BenchmarkDigestSize(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			l := bigList(n)
			r, err := checklist.NewRun(l, t0)
			require.NoError(b, err)
			when := at(2026, 6, 9, 18, 0)
			for _, it := range l.Items {
				require.NoError(b, r.Check(it.ID, "alice", when, "ok"))
			}
			last := l.Items[n-1].ID
			_ = r.Digest() // the list's part is hashed once per run
			b.ReportAllocs()
			cpu := startCPU() // the changes between digests take O(1) of it
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				if i%2 == 0 {
					require.NoError(b, r.Fail(last, "alice", when, "flaky"))
				} else {
					require.NoError(b, r.Check(last, "alice", when, "ok"))
				}
				b.StartTimer()
				_ = r.Digest()
			}
			perItem(b, n, cpu)
		})
	}
}

// BenchmarkCycleError formats the error of a cycle through every item of
// a list of 20,000 and 40,000 items.
func BenchmarkCycleError(b *testing.B) {
	for _, n := range []int{20_000, 40_000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			l := bigList(n)
			l.Items[0].DependsOn = []string{l.Items[n-1].ID}
			err := l.Validate()
			require.Error(b, err)
			b.ReportAllocs()
			for b.Loop() {
				if s := err.Error(); !strings.Contains(s, "cycle") {
					b.Fatal(s)
				}
			}
		})
	}
}

// BenchmarkValidateSize validates lists of 1,000 to 100,000 items, each
// depending on the one before.
func BenchmarkValidateSize(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			l := bigList(n)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if err := l.Validate(); err != nil {
					b.Fatal(err)
				}
			}
			perItem(b, n, cpu)
		})
	}
}

// perItem reports the time per item of a benchmark over n items: wall
// time, and the CPU time of the process since cpu was taken (with
// startCPU), which a machine busy with other work disturbs less.
func perItem(b *testing.B, n int, cpu time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/item")
	if now, ok := cpuTime(); ok && cpu > 0 {
		b.ReportMetric(float64((now-cpu).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/item")
	}
}

// startCPU returns the process's CPU time so far, for perItem.
func startCPU() time.Duration {
	cpu, _ := cpuTime()
	return cpu
}

// BenchmarkCopyRun copies a 200-item run, every item checked once and a
// tenth of them failed first: with Clone, and with the JSON round trip of
// Snapshot then Restore that Clone replaces.
func BenchmarkCopyRun(b *testing.B) {
	l := bigList(200)
	r, err := checklist.NewRun(l, t0)
	require.NoError(b, err)
	when := at(2026, 6, 9, 18, 0)
	for i, it := range l.Items {
		if i%10 == 0 {
			require.NoError(b, r.Fail(it.ID, "alice", when, "flaky"))
		}
		require.NoError(b, r.Check(it.ID, "alice", when, "ok"))
	}
	want := r.Digest()
	b.Run("clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Clone()
		}
		require.Equal(b, want, r.Clone().Digest())
	})
	b.Run("snapshot-restore", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := r.Snapshot()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := checklist.Restore(l, data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
