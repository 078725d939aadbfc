package timeline_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func TestRecordAssignsSeqTimeAndHash(t *testing.T) {
	j := timeline.New(&timeline.Options{Now: fakeClock(at(2026, 11, 24, 20, 0), time.Minute)})
	e1, err := j.Note("alice", "kick-off")
	require.NoError(t, err)
	e2, err := j.Start("backup", "bob", timeline.NoImpact)
	require.NoError(t, err)
	e3, err := j.Record(timeline.Entry{Kind: timeline.KindEnd, Step: "backup", Seq: 99, Hash: "forged", At: at(2026, 11, 24, 20, 30)})
	require.NoError(t, err)

	assert.Equal(t, []uint64{1, 2, 3}, []uint64{e1.Seq, e2.Seq, e3.Seq})
	assert.True(t, e1.At.Equal(at(2026, 11, 24, 20, 0)), "got %v", e1.At)
	assert.True(t, e2.At.Equal(at(2026, 11, 24, 20, 1)), "got %v", e2.At)
	assert.True(t, e3.At.Equal(at(2026, 11, 24, 20, 30)), "an explicit time is kept")
	assert.Len(t, e1.Hash, 64)
	assert.NotEqual(t, "forged", e3.Hash)
	assert.NotEqual(t, e1.Hash, e2.Hash)
	assert.Equal(t, []timeline.Entry{e1, e2, e3}, j.Entries())
	require.NoError(t, timeline.Verify(j.Entries(), nil))
}

func TestRecordStripsMonotonicReading(t *testing.T) {
	j := timeline.New(nil) // the real clock: time.Now carries a monotonic reading
	e, err := j.Note("alice", "now")
	require.NoError(t, err)
	assert.Equal(t, e.At, e.At.Round(0), "stored time has no monotonic reading")
}

func TestRecordClockNeverGoesBack(t *testing.T) {
	times := []time.Time{at(2026, 3, 1, 10, 0), at(2026, 3, 1, 9, 0)}
	i := 0
	j := timeline.New(&timeline.Options{Now: func() time.Time { i++; return times[i-1] }})
	_, err := j.Note("a", "first")
	require.NoError(t, err)
	e, err := j.Note("a", "clock stepped back")
	require.NoError(t, err)
	assert.True(t, e.At.Equal(times[0]), "got %v, want the previous entry's time", e.At)
}

func TestRecordValidation(t *testing.T) {
	tests := []struct {
		name    string
		entry   timeline.Entry
		wantErr error
		detail  string
	}{
		{"unknown kind", timeline.Entry{Kind: "party"}, timeline.ErrInvalid, `unknown kind "party"`},
		{"empty kind", timeline.Entry{}, timeline.ErrInvalid, "unknown kind"},
		{"bare custom prefix", timeline.Entry{Kind: "x-"}, timeline.ErrInvalid, "unknown kind"},
		{"former method kind", timeline.Entry{Kind: "vote"}, timeline.ErrInvalid, `unknown kind "vote"`},
		{"upper-case dotted kind", timeline.Entry{Kind: "Mep.vote"}, timeline.ErrInvalid, "unknown kind"},
		{"empty dotted token", timeline.Entry{Kind: "mep..vote"}, timeline.ErrInvalid, "unknown kind"},
		{"trailing dot", timeline.Entry{Kind: "mep."}, timeline.ErrInvalid, "unknown kind"},
		{"token starting with a digit", timeline.Entry{Kind: "mep.1vote"}, timeline.ErrInvalid, "unknown kind"},
		{"offset of 24 hours", timeline.Entry{Kind: timeline.KindNote, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))}, timeline.ErrInvalid, "24 hours or more"},
		{"offset of -24 hours", timeline.Entry{Kind: timeline.KindNote, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", -24*3600))}, timeline.ErrInvalid, "24 hours or more"},
		{"end without start", timeline.Entry{Kind: timeline.KindEnd, Step: "dns"}, timeline.ErrNotStarted, `step "dns"`},
		{"start without step", timeline.Entry{Kind: timeline.KindStart}, timeline.ErrInvalid, "without a step"},
		{"impact on a note", timeline.Entry{Kind: timeline.KindNote, Impact: timeline.Outage}, timeline.ErrInvalid, "impact"},
		{"outcome on a start", timeline.Entry{Kind: timeline.KindStart, Step: "s", Outcome: timeline.Failed}, timeline.ErrInvalid, "outcome"},
		{"impact out of range", timeline.Entry{Kind: timeline.KindStart, Step: "s", Impact: 7}, timeline.ErrInvalid, "impact"},
		{"second start while running", timeline.Entry{Kind: timeline.KindStart, Step: "running"}, timeline.ErrAlreadyStarted, "attempt 1"},
		{"end before start", timeline.Entry{Kind: timeline.KindEnd, Step: "running", At: at(2026, 1, 1, 0, 0)}, timeline.ErrInvalid, "before its start"},
		{"invalid UTF-8 text", timeline.Entry{Kind: timeline.KindNote, Text: "caf\xe9"}, timeline.ErrInvalid, "text is not valid UTF-8"},
		{"invalid UTF-8 attribute", timeline.Entry{Kind: timeline.KindNote, Attrs: map[string]string{"k": "\xff"}}, timeline.ErrInvalid, `attribute "k"`},
		{"year 10000", timeline.Entry{Kind: timeline.KindNote, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, timeline.ErrInvalid, "years 0-9999"},
		{"offset with seconds", timeline.Entry{Kind: timeline.KindNote, At: time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 561))}, timeline.ErrInvalid, "offset with seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := timeline.New(&timeline.Options{Now: fakeClock(at(2026, 11, 24, 20, 0), time.Second)})
			_, err := j.Start("running", "a", timeline.NoImpact)
			require.NoError(t, err)
			before := j.Entries()

			_, err = j.Record(tt.entry)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantErr)
			var ee *timeline.EntryError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, uint64(2), ee.Seq, "names the seq the entry would have had")
			assert.Contains(t, err.Error(), "entry 2")
			assert.Contains(t, err.Error(), tt.detail)
			assert.Equal(t, before, j.Entries(), "a refused entry leaves the journal unchanged")

			e, err := j.Note("a", "still works")
			require.NoError(t, err)
			assert.Equal(t, uint64(2), e.Seq)
		})
	}
}

func TestCallerKindsAccepted(t *testing.T) {
	j := timeline.New(nil)
	for _, k := range []string{"x-deploy-tag", "mep.vote", "deploy.tag", "a.b.c", "ci_2.job-9"} {
		_, err := j.Record(timeline.Entry{Kind: k, Text: "v1.2.3"})
		assert.NoError(t, err, k)
	}
}

func TestRestartIsANewAttempt(t *testing.T) {
	j := timeline.New(&timeline.Options{Now: fakeClock(at(2026, 11, 24, 20, 0), time.Minute)})
	for _, f := range []func() (timeline.Entry, error){
		func() (timeline.Entry, error) { return j.Start("migrate", "a", timeline.Outage) },
		func() (timeline.Entry, error) { return j.End("migrate", "a", timeline.Failed) },
		func() (timeline.Entry, error) { return j.Start("migrate", "a", timeline.Outage) },
		func() (timeline.Entry, error) { return j.End("migrate", "a", timeline.Done) },
	} {
		_, err := f()
		require.NoError(t, err)
	}
	_, err := j.End("migrate", "a", timeline.Done)
	assert.ErrorIs(t, err, timeline.ErrNotStarted, "a step ends only once per attempt")

	s := timeline.Summarize(j.Entries())
	require.Len(t, s.Steps, 2)
	assert.Equal(t, 1, s.Steps[0].Attempt)
	assert.Equal(t, timeline.Failed, s.Steps[0].Outcome)
	assert.Equal(t, 2, s.Steps[1].Attempt)
	assert.Equal(t, timeline.Done, s.Steps[1].Outcome)
	assert.Equal(t, 2*time.Minute, s.Outage, "both attempts cut users off, the gap between them did not")
}

func TestRunning(t *testing.T) {
	j := timeline.New(nil)
	_, _ = j.Start("b", "a", timeline.NoImpact)
	_, _ = j.Start("a", "a", timeline.NoImpact)
	_, _ = j.Start("c", "a", timeline.NoImpact)
	_, _ = j.End("c", "a", timeline.Done)
	assert.Equal(t, []string{"a", "b"}, j.Running())
}

func TestEntriesAreCopies(t *testing.T) {
	j := timeline.New(nil)
	attrs := map[string]string{"ticket": "CHG-1"}
	e, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Attrs: attrs})
	require.NoError(t, err)
	attrs["ticket"] = "changed by the caller"
	e.Attrs["ticket"] = "changed through the result"
	j.Entries()[0].Attrs["ticket"] = "changed through Entries"
	assert.Equal(t, "CHG-1", j.Entries()[0].Attrs["ticket"])
	assert.NoError(t, timeline.Verify(j.Entries(), nil))
}

func TestConcurrentRecords(t *testing.T) {
	j := timeline.New(nil)
	const writers, each = 8, 200
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			step := "step-" + string(rune('a'+w))
			for range each / 2 {
				_, err := j.Start(step, "w", timeline.Disruption)
				assert.NoError(t, err)
				_, err = j.End(step, "w", timeline.Done)
				assert.NoError(t, err)
				_ = j.Entries()
			}
		}()
	}
	wg.Wait()
	entries := j.Entries()
	require.Len(t, entries, writers*each)
	for i, e := range entries {
		assert.Equal(t, uint64(i+1), e.Seq)
	}
	assert.NoError(t, timeline.Verify(entries, nil))
	assert.Empty(t, j.Running())
}

func TestCloseMemory(t *testing.T) {
	j := timeline.New(nil)
	require.NoError(t, j.Close())
	require.NoError(t, j.Close(), "closing twice is harmless")
	_, err := j.Note("a", "late")
	assert.ErrorIs(t, err, timeline.ErrClosed)
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	j := timeline.New(&timeline.Options{Logger: logger, Now: fakeClock(at(2026, 11, 24, 20, 0), time.Second)})
	_, err := j.Start("switch-dns", "alice", timeline.Outage)
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "timeline: start")
	assert.Contains(t, out, "step=switch-dns")
	assert.Contains(t, out, "impact=outage")
	assert.Contains(t, out, "seq=1")
}

func TestHeadAndLen(t *testing.T) {
	j := timeline.New(nil)
	seq, h := j.Head()
	assert.Zero(t, seq)
	assert.Empty(t, h)
	e, _ := j.Note("a", "x")
	seq, h = j.Head()
	assert.Equal(t, e.Seq, seq)
	assert.Equal(t, e.Hash, h)
	assert.Equal(t, 1, j.Len())
}

func TestImpactAndOutcomeText(t *testing.T) {
	for _, i := range []timeline.Impact{timeline.NoImpact, timeline.Disruption, timeline.Outage} {
		b, err := i.MarshalText()
		require.NoError(t, err)
		var got timeline.Impact
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, i, got)
	}
	for _, o := range []timeline.Outcome{timeline.Done, timeline.Failed, timeline.Skipped} {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var got timeline.Outcome
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, o, got)
	}
	_, err := timeline.ParseImpact("catastrophe")
	assert.Error(t, err)
	_, err = timeline.ParseOutcome("meh")
	assert.Error(t, err)
	_, err = timeline.Impact(9).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Impact(9)", timeline.Impact(9).String())
	assert.Equal(t, "Outcome(9)", timeline.Outcome(9).String())
}

func TestErrorMessagesArePrefixed(t *testing.T) {
	j := timeline.New(nil)
	_, err := j.End("x", "a", timeline.Done)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "timeline: "), err.Error())
	assert.False(t, strings.Contains(err.Error(), "timeline: timeline"), err.Error())
	assert.True(t, errors.Is(err, timeline.ErrNotStarted))
}

// Entries queued under a caller's own lock and waited for outside it are
// stored in the order queued, each checked against those before it, and
// concurrent waits share the store's syncs.
func TestQueueOrdersUnderCallersLockAndWaitsOutside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := timeline.Open(path, nil)
	require.NoError(t, err)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			e, wait, err := j.Queue(timeline.Entry{Kind: timeline.KindNote, Actor: "a", Text: fmt.Sprint(i)})
			mu.Unlock()
			require.NoError(t, err)
			assert.NotZero(t, e.Seq)
			assert.NoError(t, wait())
		}()
	}
	wg.Wait()
	_, wait, err := j.Queue(timeline.Entry{Kind: timeline.KindEnd, Step: "never-started"})
	assert.ErrorIs(t, err, timeline.ErrNotStarted, "a queued entry is checked as Record checks it")
	assert.Nil(t, wait)
	require.NoError(t, j.Close())
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	require.Len(t, entries, 16)
	for i, e := range entries {
		assert.Equal(t, uint64(i+1), e.Seq)
	}
	require.NoError(t, timeline.Verify(entries, nil))
}

// Close stores what was queued even when its writer has not waited yet.
func TestCloseStoresQueuedEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	_, wait, err := j.Queue(timeline.Entry{Kind: timeline.KindNote, Actor: "a", Text: "queued"})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	assert.NoError(t, wait(), "stored by Close")
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}
