package timeline_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mepkit/mepkit/internal/fuzzing"
	"github.com/mepkit/mepkit/timeline"
)

func BenchmarkRecordMemory(b *testing.B) {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	j := timeline.New(&timeline.Options{Now: func() time.Time { return t0 }})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Note("alice", "step done"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecordMemoryHMAC(b *testing.B) {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	j := timeline.New(&timeline.Options{Key: []byte("secret"), Now: func() time.Time { return t0 }})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Note("alice", "step done"); err != nil {
			b.Fatal(err)
		}
	}
}

// sampleLine is a line of the size the file benchmarks write.
func sampleLine(b *testing.B) []byte {
	b.Helper()
	j := timeline.New(&timeline.Options{Now: func() time.Time { return time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC) }})
	e, _ := j.Note("alice", "step done")
	var buf writerBuf
	if err := timeline.WriteJSONL(&buf, []timeline.Entry{e}); err != nil {
		b.Fatal(err)
	}
	return buf
}

type writerBuf []byte

func (w *writerBuf) Write(p []byte) (int, error) { *w = append(*w, p...); return len(p), nil }

// BenchmarkRawWriteSync is the physical limit the file journal is measured
// against: one Write and one fsync per line of the same size, on the same
// disk.
func BenchmarkRawWriteSync(b *testing.B) {
	line := sampleLine(b)
	f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw"), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := f.Write(line); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordFile measures durable Records (fsync before return) from
// 1 and 8 goroutines; ns/op is per entry, so group commit shows as a lower
// figure with more writers.
func BenchmarkRecordFile(b *testing.B) {
	for _, writers := range []int{1, 8} {
		b.Run("writers="+strconv.Itoa(writers), func(b *testing.B) {
			j, err := timeline.Open(filepath.Join(b.TempDir(), "j.jsonl"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer j.Close()
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N / writers
			extra := b.N % writers
			for w := range writers {
				n := per
				if w < extra {
					n++
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range n {
						if _, err := j.Note("alice", "step done"); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

var bigJournal struct {
	once sync.Once
	path string
	dir  string
}

// journal100k writes, once per test binary run, a 100,000-entry journal of
// steps with impacts and notes.
func journal100k(b *testing.B) string {
	b.Helper()
	bigJournal.once.Do(func() {
		dir, err := os.MkdirTemp("", "timeline-bench")
		if err != nil {
			b.Fatal(err)
		}
		bigJournal.dir = dir
		bigJournal.path = filepath.Join(dir, "big.jsonl")
		t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
		j, err := timeline.Open(bigJournal.path, &timeline.Options{NoSync: true, Now: fakeClock(t0, time.Second)})
		if err != nil {
			b.Fatal(err)
		}
		impacts := []timeline.Impact{timeline.NoImpact, timeline.Disruption, timeline.Outage}
		for i := 0; i < 100_000; i += 4 {
			step := "step-" + strconv.Itoa(i/4)
			j.Start(step, "ops", impacts[i%3])
			j.Note("ops", "progress on "+step)
			j.Note("qa", "checked")
			j.End(step, "ops", timeline.Done)
		}
		if err := j.Close(); err != nil {
			b.Fatal(err)
		}
	})
	return bigJournal.path
}

func BenchmarkReadFileVerify100k(b *testing.B) {
	path := journal100k(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		entries, err := timeline.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := timeline.Verify(entries, nil); err != nil {
			b.Fatal(err)
		}
		n = len(entries)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

func BenchmarkSummarize100k(b *testing.B) {
	entries, err := timeline.ReadFile(journal100k(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s := timeline.Summarize(entries)
		if len(s.Steps) != 25_000 {
			b.Fatalf("got %d steps", len(s.Steps))
		}
	}
}

func TestMain(m *testing.M) {
	fuzzing.BoundMinimization()
	code := m.Run()
	if bigJournal.dir != "" {
		os.RemoveAll(bigJournal.dir)
	}
	syntheticJournals.Range(func(_, p any) bool {
		os.RemoveAll(filepath.Dir(p.(string)))
		return true
	})
	runtime.GC()
	os.Exit(code)
}

// syntheticJournals holds the journals written by WriteSyntheticJournal,
// by size, for the run of the test binary.
var syntheticJournals sync.Map

func syntheticJournal(b *testing.B, n int) string {
	b.Helper()
	if p, ok := syntheticJournals.Load(n); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "timeline-bench")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "j-"+strconv.Itoa(n)+".jsonl")
	if err := timeline.WriteSyntheticJournal(path, n); err != nil {
		b.Fatal(err)
	}
	syntheticJournals.Store(n, path)
	return path
}

// BenchmarkVerifyFile reads and verifies a journal as it reads, in bounded
// memory: the cost per entry must not grow from 100,000 to 1,000,000
// entries (170 MB).
func BenchmarkVerifyFile(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			path := syntheticJournal(b, n)
			b.ReportAllocs()
			for b.Loop() {
				got, _, err := timeline.VerifyFile(path, nil)
				if err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("got %d entries", got)
				}
			}
			perEntry(b, n)
		})
	}
}

// BenchmarkReadFileVerify reads a journal into a slice, then verifies it:
// the way for those who want the slice.
func BenchmarkReadFileVerify(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			path := syntheticJournal(b, n)
			b.ReportAllocs()
			for b.Loop() {
				entries, err := timeline.ReadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				if err := timeline.Verify(entries, nil); err != nil {
					b.Fatal(err)
				}
			}
			perEntry(b, n)
		})
	}
}

// perEntry reports the cost of one entry of an n-entry operation.
func perEntry(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
}
