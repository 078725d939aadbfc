package timeline

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coinStore is a store in memory whose Append refuses a batch as a
// conflict, storing nothing, with probability p, after a pause that lets
// other writers queue entries behind the batch being stored.
type coinStore struct {
	mu      sync.Mutex
	entries []Entry
	rng     *rand.Rand
	p       float64
	pause   time.Duration
}

func (s *coinStore) Load() ([]Entry, error) { return s.Since(0) }
func (s *coinStore) Close() error           { return nil }

func (s *coinStore) Append(batch []Entry) error {
	time.Sleep(s.pause)
	s.mu.Lock()
	defer s.mu.Unlock()
	if batch[0].Seq != uint64(len(s.entries))+1 {
		return fmt.Errorf("batch at seq %d after %d: %w", batch[0].Seq, len(s.entries), ErrConflict)
	}
	if s.rng.Float64() < s.p {
		return fmt.Errorf("coin: %w", ErrConflict)
	}
	for _, e := range batch {
		s.entries = append(s.entries, e.clone())
	}
	return nil
}

func (s *coinStore) Since(seq uint64) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Entry
	for _, e := range s.entries[seq:] {
		out = append(out, e.clone())
	}
	return out, nil
}

// A journal rewound after a conflict is in the state of its stored
// entries: its steps, its last time, its chain's head and its seq are
// those a replay of the stored entries gives, even when a batch was
// stored while entries queued behind it, which the conflict then drops.
func TestRewindRestoresTheStoredState(t *testing.T) {
	st := &coinStore{rng: rand.New(rand.NewPCG(1, 2)), p: 0.3, pause: 50 * time.Microsecond}
	clock := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	var clockMu sync.Mutex
	now := func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	j, err := OpenStore(st, &Options{Now: now})
	require.NoError(t, err)
	defer j.Close()
	conflicts := 0
	for round := range 200 {
		var wg sync.WaitGroup
		for w := range 4 {
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			wg.Go(func() {
				for range 5 {
					step := fmt.Sprintf("s%d", rng.IntN(3))
					switch rng.IntN(3) {
					case 0:
						_, _ = j.Start(step, "w", Outage)
					case 1:
						_, _ = j.End(step, "w", Done)
					default:
						_, _ = j.Note("w", "n")
					}
				}
			})
		}
		wg.Wait()
		j.mu.Lock()
		behind := j.behind != nil
		j.mu.Unlock()
		if behind {
			conflicts++
			_, err := j.Refresh()
			require.NoError(t, err)
		}
		assertStoredState(t, j, round)
	}
	assert.Greater(t, conflicts, 20, "the test met conflicts")
	require.NotZero(t, j.Len())
}

// assertStoredState compares the journal's state with a replay of its
// stored entries.
func assertStoredState(t *testing.T, j *Journal, round int) {
	t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	want := steps{}
	var lastAt time.Time
	var head string
	for _, c := range j.entries.chunks {
		for i := range c {
			want.apply(&c[i])
			if c[i].At.After(lastAt) {
				lastAt = c[i].At
			}
			head = c[i].Hash
		}
	}
	require.Equal(t, j.durable, j.seq, "round %d: seq", round)
	require.Equal(t, want, j.steps, "round %d: steps", round)
	require.True(t, lastAt.Equal(j.lastAt), "round %d: last time %v, want %v", round, j.lastAt, lastAt)
	c := newChain(j.key)
	c.setHead(head)
	require.Equal(t, c.prev, j.chain.prev, "round %d: chain head", round)
	require.False(t, errors.Is(j.failed, ErrConflict))
}

// BenchmarkConflictOn100k measures a conflict on a journal of 100,000
// stored entries: the Record the store refuses, and the Refresh after it.
// The journal goes back to its stored state in time proportional to the
// entries it forgets, not to the record.
func BenchmarkConflictOn100k(b *testing.B) {
	src := New(nil)
	for i := range 100_000 {
		step := fmt.Sprintf("s%d", i%100)
		var err error
		if i%200 < 100 {
			_, err = src.Start(step, "w", Outage)
		} else {
			_, err = src.End(step, "w", Done)
		}
		require.NoError(b, err)
	}
	j, err := OpenStore(&coinStore{entries: src.Entries(), rng: rand.New(rand.NewPCG(1, 2)), p: 1}, nil)
	require.NoError(b, err)
	defer j.Close()
	b.ReportAllocs()
	for b.Loop() {
		_, err := j.Note("w", "refused")
		require.ErrorIs(b, err, ErrConflict)
		_, err = j.Refresh()
		require.NoError(b, err)
	}
}
