package checklist_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// busyRun returns a run with every kind of change in it.
func busyRun(t *testing.T) *checklist.Run {
	t.Helper()
	return busyRunOf(t, exampleList())
}

// busyRunOf is busyRun on another list with the items of exampleList.
func busyRunOf(t *testing.T, l checklist.List) *checklist.Run {
	t.Helper()
	r := newRun(t, l)
	require.NoError(t, r.Fail("old-hardware", "alice", at(2026, 6, 9, 16, 0), "PSU dead"))
	require.NoError(t, r.Check("old-hardware", "bob", at(2026, 6, 9, 16, 45), "PSU replaced"))
	require.NoError(t, r.Check("new-hardware", "bob", at(2026, 6, 9, 17, 5).Add(123456789), ""))
	require.NoError(t, r.Waive("coffee", "lead", at(2026, 6, 9, 17, 10), "tea"))
	require.NoError(t, r.Reschedule(at(2026, 6, 10, 21, 0), "lead", at(2026, 6, 9, 18, 0), "storage late"))
	return r
}

func TestSnapshotRestoreLosesNothing(t *testing.T) {
	r := busyRun(t)
	data, err := r.Snapshot()
	require.NoError(t, err)

	back, err := checklist.Restore(exampleList(), data)
	require.NoError(t, err)
	assert.Equal(t, r.Digest(), back.Digest())
	assert.True(t, r.T0().Equal(back.T0()))
	assert.Equal(t, r.Progress(), back.Progress())
	assert.Equal(t, r.Ready(), back.Ready())
	assert.Equal(t, len(r.Moves()), len(back.Moves()))
	want, got := r.Results(), back.Results()
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Item, got[i].Item)
		assert.Equal(t, want[i].Status, got[i].Status)
		require.Len(t, got[i].History, len(want[i].History))
		for k := range want[i].History {
			assert.Equal(t, want[i].History[k].By, got[i].History[k].By)
			assert.Equal(t, want[i].History[k].Note, got[i].History[k].Note)
			assert.True(t, want[i].History[k].At.Equal(got[i].History[k].At), "nanoseconds kept")
		}
	}
	again, err := back.Snapshot()
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again))

	// The restored run goes on where the first one stopped.
	var ev checklist.Event
	back.Observe(func(e checklist.Event) { ev = e })
	require.NoError(t, back.Check("config-backup", "alice", at(2026, 6, 10, 19, 0), ""))
	assert.Equal(t, uint64(6), ev.Seq)
	assert.True(t, back.Ready())
}

func TestDigestNamesTheState(t *testing.T) {
	a, b := busyRun(t), busyRun(t)
	assert.Equal(t, a.Digest(), b.Digest())
	assert.Len(t, a.Digest(), 64)

	// The same instants in another zone are the same state.
	c := newRun(t, exampleList())
	require.NoError(t, c.Check("old-hardware", "bob", at(2026, 6, 9, 16, 45).UTC(), ""))
	d := newRun(t, exampleList())
	require.NoError(t, d.Check("old-hardware", "bob", at(2026, 6, 9, 16, 45), ""))
	assert.Equal(t, c.Digest(), d.Digest())

	before := a.Digest()
	snap, err := a.Snapshot()
	require.NoError(t, err)
	require.NoError(t, a.Check("config-backup", "alice", at(2026, 6, 10, 19, 0), ""))
	afterCheck := a.Digest()
	assert.NotEqual(t, before, afterCheck, "a change gives a new digest, never a remembered one")
	require.NoError(t, a.Reschedule(at(2026, 6, 11, 22, 0), "alice", at(2026, 6, 10, 19, 5), "moved"))
	assert.NotEqual(t, afterCheck, a.Digest())
	require.NoError(t, a.Restore(snap))
	assert.Equal(t, before, a.Digest(), "a restored state has its own digest back")
}

func snapErr(t *testing.T, err, want error) *checklist.SnapshotError {
	t.Helper()
	require.Error(t, err)
	var se *checklist.SnapshotError
	require.True(t, errors.As(err, &se), "got %T %v", err, err)
	assert.ErrorIs(t, err, want)
	assert.True(t, strings.HasPrefix(err.Error(), "checklist: snapshot: "), err.Error())
	return se
}

func TestRestoreRefusesAnotherList(t *testing.T) {
	data, err := busyRun(t).Snapshot()
	require.NoError(t, err)

	other := exampleList()
	other.Items[1].Title = "something else"
	_, err = checklist.Restore(other, data)
	se := snapErr(t, err, checklist.ErrMismatch)
	assert.Equal(t, "new-hardware", se.Item)

	shorter := exampleList()
	shorter.Items = shorter.Items[:3]
	_, err = checklist.Restore(shorter, data)
	se = snapErr(t, err, checklist.ErrMismatch)
	assert.Equal(t, "coffee", se.Item)

	_, err = checklist.Restore(checklist.Preparation(), data)
	snapErr(t, err, checklist.ErrMismatch)
}

func TestRunRestoreLeavesTheRunUnchangedOnError(t *testing.T) {
	data, err := busyRun(t).Snapshot()
	require.NoError(t, err)

	other := exampleList()
	other.Name = "another"
	r := newRun(t, other)
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 16, 0), ""))
	before := r.Digest()
	snapErr(t, r.Restore(data), checklist.ErrMismatch)
	assert.Equal(t, before, r.Digest())

	same := newRun(t, exampleList())
	require.NoError(t, same.Restore(data))
	assert.Equal(t, busyRun(t).Digest(), same.Digest())
}

func TestRestoreRefusesBadSnapshots(t *testing.T) {
	data, err := busyRun(t).Snapshot()
	require.NoError(t, err)
	edit := func(fn func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(data, &m))
		fn(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	history := func(m map[string]any, item int) []any {
		return m["items"].([]any)[item].(map[string]any)["history"].([]any)
	}
	tests := map[string][]byte{
		"not json":       []byte("{"),
		"trailing data":  append(append([]byte{}, data...), "{}"...),
		"unknown field":  edit(func(m map[string]any) { m["extra"] = 1 }),
		"version":        edit(func(m map[string]any) { m["version"] = 2 }),
		"digest":         edit(func(m map[string]any) { m["digest"] = strings.Repeat("0", 64) }),
		"note edited":    edit(func(m map[string]any) { history(m, 0)[0].(map[string]any)["note"] = "all fine" }),
		"unknown status": edit(func(m map[string]any) { history(m, 0)[0].(map[string]any)["status"] = "maybe" }),
		"done twice": edit(func(m map[string]any) {
			history(m, 1)[0] = history(m, 0)[1]
			h := history(m, 1)
			m["items"].([]any)[1].(map[string]any)["history"] = append(h, h[0])
		}),
		"no actor":        edit(func(m map[string]any) { history(m, 0)[0].(map[string]any)["by"] = "" }),
		"seq":             edit(func(m map[string]any) { m["seq"] = 99 }),
		"zero t0":         edit(func(m map[string]any) { m["t0"] = time.Time{} }),
		"t0 off its move": edit(func(m map[string]any) { m["t0"] = at(2026, 6, 11, 21, 0) }),
	}
	for name, bad := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := checklist.Restore(exampleList(), bad)
			snapErr(t, err, checklist.ErrInvalid)
		})
	}
}

func TestSnapshotFileInTestdata(t *testing.T) {
	data, err := os.ReadFile("testdata/snapshot.json")
	require.NoError(t, err)
	r, err := checklist.Restore(exampleList(), data)
	require.NoError(t, err)
	assert.Equal(t, busyRun(t).Digest(), r.Digest())
}

// TestSnapshotBeforePurposes restores a snapshot written before items had
// a purpose: a list of general items writes no purpose, so its snapshots
// and digests are what they were.
func TestSnapshotBeforePurposes(t *testing.T) {
	data, err := os.ReadFile("testdata/snapshot-general.json")
	require.NoError(t, err)
	require.NotContains(t, string(data), "purpose")
	general := exampleList()
	for i := range general.Items {
		general.Items[i].Purpose = checklist.General
	}
	r, err := checklist.Restore(general, data)
	require.NoError(t, err)
	assert.Equal(t, busyRunOf(t, general).Digest(), r.Digest())
	assert.Contains(t, string(data), `"digest":"`+r.Digest()+`"`)

	// The same snapshot is not one of the list whose items have purposes.
	_, err = checklist.Restore(exampleList(), data)
	snapErr(t, err, checklist.ErrMismatch)
}

func completeBigRun(b *testing.B) *checklist.Run {
	l := bigList(1000)
	r, err := checklist.NewRun(l, t0)
	require.NoError(b, err)
	for _, id := range ids(l.Items) {
		require.NoError(b, r.Check(id, "alice", at(2026, 6, 9, 18, 0), "ok"))
	}
	return r
}

// BenchmarkDigest hashes a complete 1,000-item run: after a change
// (computed), and again without one (remembered).
func BenchmarkDigest(b *testing.B) {
	b.Run("changed", func(b *testing.B) {
		r := completeBigRun(b)
		id := r.List().Items[0].ID
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			if i%2 == 0 {
				require.NoError(b, r.Fail(id, "alice", at(2026, 6, 9, 18, 1), "flaky"))
			} else {
				require.NoError(b, r.Check(id, "alice", at(2026, 6, 9, 18, 2), "ok"))
			}
			b.StartTimer()
			_ = r.Digest()
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		r := completeBigRun(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Digest()
		}
	})
}

// BenchmarkRestore restores a complete 1,000-item run.
func BenchmarkRestore(b *testing.B) {
	r := completeBigRun(b)
	data, err := r.Snapshot()
	require.NoError(b, err)
	l := r.List()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := checklist.Restore(l, data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRunRestoreKeepsSeqIncreasing checks that an observer never sees
// Event.Seq go back, across Run.Restore.
func TestRunRestoreKeepsSeqIncreasing(t *testing.T) {
	early := newRun(t, exampleList())
	require.NoError(t, early.Check("old-hardware", "alice", at(2026, 6, 9, 16, 0), ""))
	earlyData, err := early.Snapshot() // one change
	require.NoError(t, err)
	busyData, err := busyRun(t).Snapshot() // five changes
	require.NoError(t, err)

	r := newRun(t, exampleList())
	var events []checklist.Event
	r.Observe(func(e checklist.Event) { events = append(events, e) })
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 16, 0), ""))
	require.NoError(t, r.Check("new-hardware", "alice", at(2026, 6, 9, 16, 5), ""))
	require.NoError(t, r.Check("config-backup", "alice", at(2026, 6, 9, 16, 10), ""))

	require.NoError(t, r.Restore(earlyData))
	require.NoError(t, r.Check("new-hardware", "bob", at(2026, 6, 9, 17, 0), ""))
	require.NoError(t, r.Restore(busyData))
	require.NoError(t, r.Check("config-backup", "bob", at(2026, 6, 10, 19, 0), ""))

	var got []string
	for _, e := range events {
		got = append(got, fmt.Sprintf("%d %s %s", e.Seq, e.Kind, e.Item))
	}
	assert.Equal(t, []string{
		"1 check old-hardware",
		"2 check new-hardware",
		"3 check config-backup",
		"4 restore ",
		"5 check new-hardware",
		"6 restore ", // the snapshot held five changes: the larger count goes on
		"7 check config-backup",
	}, got)
	restore := events[5]
	assert.True(t, t0.Equal(restore.PreviousT0))
	assert.True(t, at(2026, 6, 10, 21, 0).Equal(restore.T0))

	// The state still counts its own changes: it saves and restores.
	data, err := r.Snapshot()
	require.NoError(t, err)
	back, err := checklist.Restore(exampleList(), data)
	require.NoError(t, err)
	assert.Equal(t, r.Digest(), back.Digest())
}

// TestRestoreAListOverTheParseLimit checks that a snapshot of a list
// larger than Parse's default limit is restored: the limit is Parse's.
func TestRestoreAListOverTheParseLimit(t *testing.T) {
	long := strings.Repeat("x", checklist.DefaultMaxBytes/2)
	l := checklist.List{Name: "big", Items: []checklist.Item{
		{ID: "a", Title: "A " + long}, {ID: "b", Title: "B " + long}, {ID: "c", Title: "C"},
	}}
	r, err := checklist.NewRun(l, t0)
	require.NoError(t, err)
	require.NoError(t, r.Check("a", "alice", at(2026, 6, 9, 18, 0), ""))
	data, err := r.Snapshot()
	require.NoError(t, err)
	require.Greater(t, len(data), checklist.DefaultMaxBytes)
	back, err := checklist.Restore(l, data)
	require.NoError(t, err)
	assert.Equal(t, r.Digest(), back.Digest())
}
