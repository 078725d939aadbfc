package checklist_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, paris)
}

// t0 is a Tuesday evening go-live.
var t0 = at(2026, 6, 9, 21, 0)

func newRun(t *testing.T, l checklist.List) *checklist.Run {
	t.Helper()
	r, err := checklist.NewRun(l, t0)
	require.NoError(t, err)
	return r
}

// requireChangeErr checks that err is a *ChangeError wrapping want, and
// no other of the sentinels a caller branches on.
func requireChangeErr(t *testing.T, err, want error) *checklist.ChangeError {
	t.Helper()
	require.Error(t, err)
	var ce *checklist.ChangeError
	require.True(t, errors.As(err, &ce), "got %T %v, want a *checklist.ChangeError", err, err)
	assert.ErrorIs(t, err, want)
	for _, other := range []error{checklist.ErrInvalid, checklist.ErrNotFound, checklist.ErrState, checklist.ErrTooLarge, checklist.ErrMismatch} {
		if other != want {
			assert.NotErrorIs(t, err, other, "%v", err)
		}
	}
	return ce
}

func TestChangeErrorNamesTheBlocker(t *testing.T) {
	r := newRun(t, exampleList())
	when := at(2026, 6, 9, 18, 0)
	ce := requireChangeErr(t, r.Check("config-backup", "alice", when, ""), checklist.ErrState)
	assert.Equal(t, "old-hardware", ce.Blocker, "dependency")
	ce = requireChangeErr(t, r.Check("new-hardware", "alice", when, ""), checklist.ErrState)
	assert.Equal(t, "old-hardware", ce.Blocker, "earlier item of an ordered section")
	assert.Equal(t, `checklist: check "new-hardware": earlier required items of the section not done: "old-hardware" comes first`, ce.Error())
	ce = requireChangeErr(t, r.Check("ghost", "alice", when, ""), checklist.ErrNotFound)
	assert.Empty(t, ce.Blocker)
	assert.Equal(t, `checklist: check "ghost": unknown item`, ce.Error())
}

func TestNewRunRejectsInvalidList(t *testing.T) {
	_, err := checklist.NewRun(checklist.List{Items: []checklist.Item{{ID: "a"}}}, t0)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	_, err = checklist.NewRun(exampleList(), time.Time{})
	assert.ErrorIs(t, err, checklist.ErrInvalid)
}

func TestNewRunCopiesTheList(t *testing.T) {
	l := exampleList()
	r := newRun(t, l)
	l.Items[0].ID = "changed"
	l.Items[2].DependsOn[0] = "changed"
	assert.Equal(t, exampleList(), r.List())
}

func TestCheckUntilReady(t *testing.T) {
	r := newRun(t, exampleList())
	assert.False(t, r.Ready())
	assert.True(t, r.ReadyAt().IsZero())
	assert.Equal(t, checklist.Progress{Total: 4, RequiredPending: 3}, r.Progress())

	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 17, 0), "serials match"))
	require.NoError(t, r.Check("new-hardware", "bob", at(2026, 6, 9, 18, 0), ""))
	assert.False(t, r.Ready())
	require.NoError(t, r.Check("config-backup", "alice", at(2026, 6, 9, 19, 30), "backup-0609.tar"))

	assert.True(t, r.Ready(), "optional item left pending")
	assert.True(t, at(2026, 6, 9, 19, 30).Equal(r.ReadyAt()))
	assert.Equal(t, checklist.Progress{Done: 3, Total: 4}, r.Progress())
	assert.Equal(t, []string{"coffee"}, ids(r.Pending()))

	res, err := r.Result("old-hardware")
	require.NoError(t, err)
	assert.Equal(t, checklist.Done, res.Status)
	assert.Equal(t, "alice", res.By)
	assert.Equal(t, "serials match", res.Note)
	assert.True(t, at(2026, 6, 9, 17, 0).Equal(res.At))
	assert.True(t, at(2026, 6, 9, 20, 0).Equal(res.Due))
}

func ids(items []checklist.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestRefusedChangesLeaveTheRunUnchanged(t *testing.T) {
	l := exampleList()
	r := newRun(t, l)
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 17, 0), ""))
	before := r.Results()
	beforeDigest := r.Digest()
	var events []checklist.Event
	r.Observe(func(e checklist.Event) { events = append(events, e) })

	when := at(2026, 6, 9, 18, 0)
	requireChangeErr(t, r.Check("nope", "alice", when, ""), checklist.ErrNotFound)
	requireChangeErr(t, r.Check("old-hardware", "alice", when, ""), checklist.ErrState)
	requireChangeErr(t, r.Check("new-hardware", "", when, ""), checklist.ErrInvalid)
	requireChangeErr(t, r.Check("new-hardware", "bob", time.Time{}, ""), checklist.ErrInvalid)
	requireChangeErr(t, r.Waive("coffee", "bob", when, " "), checklist.ErrInvalid)
	requireChangeErr(t, r.Waive("new-hardware", "bob", when, "not needed"), checklist.ErrState)
	requireChangeErr(t, r.Waive("old-hardware", "bob", when, "not needed"), checklist.ErrState)
	requireChangeErr(t, r.Fail("nope", "bob", when, ""), checklist.ErrNotFound)
	requireChangeErr(t, r.Reschedule(time.Time{}, "bob", when, ""), checklist.ErrInvalid)

	assert.Equal(t, before, r.Results())
	assert.Equal(t, beforeDigest, r.Digest())
	assert.Empty(t, events)

	err := r.Check("old-hardware", "alice", when, "")
	assert.EqualError(t, err, `checklist: check "old-hardware": item already done`)
}

func TestDependenciesHoldInBothModes(t *testing.T) {
	for _, mode := range []checklist.Mode{checklist.ReadDo, checklist.DoConfirm} {
		t.Run(mode.String(), func(t *testing.T) {
			l := exampleList()
			l.Mode, l.Ordered = mode, false
			r := newRun(t, l)
			when := at(2026, 6, 9, 18, 0)
			err := r.Check("config-backup", "alice", when, "")
			requireChangeErr(t, err, checklist.ErrState)
			assert.Contains(t, err.Error(), `"old-hardware" is pending`)
			// Out of section order is fine without Ordered.
			require.NoError(t, r.Check("new-hardware", "alice", when, ""))
			require.NoError(t, r.Fail("old-hardware", "alice", when, "disk missing"))
			requireChangeErr(t, r.Check("config-backup", "alice", when, ""), checklist.ErrState)
			require.NoError(t, r.Check("old-hardware", "alice", when.Add(time.Minute), "disk found"))
			require.NoError(t, r.Check("config-backup", "alice", when.Add(2*time.Minute), ""))
		})
	}
}

func TestWaivedDependencyCounts(t *testing.T) {
	l := checklist.List{WaiveRequired: true, Items: []checklist.Item{
		{ID: "a", Title: "A"},
		{ID: "b", Title: "B", DependsOn: []string{"a"}},
	}}
	r := newRun(t, l)
	when := at(2026, 6, 9, 18, 0)
	requireChangeErr(t, r.Waive("a", "lead", when, ""), checklist.ErrInvalid)
	require.NoError(t, r.Waive("a", "lead", when, "no old hardware on this site"))
	requireChangeErr(t, r.Waive("a", "lead", when, "again"), checklist.ErrState)
	require.NoError(t, r.Check("b", "bob", when.Add(time.Minute), ""))
	assert.True(t, r.Ready())
	assert.Equal(t, checklist.Progress{Done: 1, Waived: 1, Total: 2}, r.Progress())
	res, err := r.Result("a")
	require.NoError(t, err)
	assert.Equal(t, "no old hardware on this site", res.Note)
}

func TestReadDoOrderedSection(t *testing.T) {
	l := checklist.List{Mode: checklist.ReadDo, Ordered: true, Items: []checklist.Item{
		{ID: "a1", Title: "A1", Section: "a"},
		{ID: "b1", Title: "B1", Section: "b"},
		{ID: "a2", Title: "A2", Section: "a", Optional: true},
		{ID: "a3", Title: "A3", Section: "a"},
		{ID: "a4", Title: "A4", Section: "a", Optional: true},
	}}
	r := newRun(t, l)
	when := at(2026, 6, 9, 18, 0)
	err := r.Check("a3", "x", when, "")
	requireChangeErr(t, err, checklist.ErrState)
	assert.Contains(t, err.Error(), `"a1" comes first`)
	requireChangeErr(t, r.Check("a2", "x", when, ""), checklist.ErrState)
	require.NoError(t, r.Check("b1", "x", when, ""), "other sections are independent")
	require.NoError(t, r.Check("a1", "x", when, ""))
	require.NoError(t, r.Check("a3", "x", when, ""), "optional a2 may be skipped")
	require.NoError(t, r.Check("a4", "x", when, ""))
	require.NoError(t, r.Check("a2", "x", when, ""), "a2's required predecessors are done")

	// Failing a1 again puts the order back in force.
	require.NoError(t, r.Fail("a1", "x", when, "broke"))
	r2 := newRun(t, l)
	require.NoError(t, r2.Check("a1", "x", when, ""))
	require.NoError(t, r2.Fail("a1", "x", when, "broke"))
	requireChangeErr(t, r2.Check("a3", "x", when, ""), checklist.ErrState)

	l.Mode = checklist.DoConfirm
	r3 := newRun(t, l)
	require.NoError(t, r3.Check("a3", "x", when, ""), "do-confirm: any order")
}

func TestFailThenCheckKeepsHistory(t *testing.T) {
	r := newRun(t, exampleList())
	t1, t2, t3 := at(2026, 6, 9, 16, 0), at(2026, 6, 9, 16, 30), at(2026, 6, 9, 17, 0)
	require.NoError(t, r.Fail("old-hardware", "alice", t1, "PSU dead"))
	require.NoError(t, r.Fail("old-hardware", "alice", t2, "spare PSU dead too"))
	assert.False(t, r.Ready())
	assert.Equal(t, 1, r.Progress().Failed)
	require.NoError(t, r.Check("old-hardware", "bob", t3, "third PSU works"))

	res, err := r.Result("old-hardware")
	require.NoError(t, err)
	assert.Equal(t, checklist.Done, res.Status)
	assert.Equal(t, []checklist.Change{
		{Status: checklist.Failed, By: "alice", At: t1, Note: "PSU dead"},
		{Status: checklist.Failed, By: "alice", At: t2, Note: "spare PSU dead too"},
		{Status: checklist.Done, By: "bob", At: t3, Note: "third PSU works"},
	}, res.History)
}

func TestFailedOptionalItemBlocksReadiness(t *testing.T) {
	r := newRun(t, exampleList())
	for _, id := range []string{"old-hardware", "new-hardware", "config-backup"} {
		require.NoError(t, r.Check(id, "alice", at(2026, 6, 9, 18, 0), ""))
	}
	require.True(t, r.Ready())
	require.NoError(t, r.Fail("coffee", "bob", at(2026, 6, 9, 18, 30), "machine broken"))
	assert.False(t, r.Ready())
	assert.True(t, r.ReadyAt().IsZero())
	require.NoError(t, r.Waive("coffee", "bob", at(2026, 6, 9, 19, 15), "tea will do"))
	assert.True(t, r.Ready())
	assert.True(t, at(2026, 6, 9, 19, 15).Equal(r.ReadyAt()), "the failure was cleared last")
}

func TestReadyAtAfterALateFailure(t *testing.T) {
	l := checklist.List{Items: []checklist.Item{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}}
	r := newRun(t, l)
	require.NoError(t, r.Check("a", "x", at(2026, 6, 9, 10, 0), ""))
	require.NoError(t, r.Check("b", "x", at(2026, 6, 9, 12, 0), ""))
	assert.True(t, at(2026, 6, 9, 12, 0).Equal(r.ReadyAt()))
	// b fails and is checked again with an earlier (back-dated) time.
	require.NoError(t, r.Fail("b", "x", at(2026, 6, 9, 13, 0), ""))
	assert.True(t, r.ReadyAt().IsZero())
	require.NoError(t, r.Check("b", "x", at(2026, 6, 9, 11, 0), "back-dated"))
	assert.True(t, at(2026, 6, 9, 11, 0).Equal(r.ReadyAt()))
}

// waivable is a list whose required items may be waived, due at T0-1h.
func waivable() checklist.List {
	return checklist.List{WaiveRequired: true, Items: []checklist.Item{
		{ID: "a", Title: "A", Deadline: -time.Hour},
		{ID: "b", Title: "B", Deadline: -time.Hour},
	}}
}

func TestReadyAtIgnoresACheckAfterAWaiver(t *testing.T) {
	r := newRun(t, waivable())
	require.NoError(t, r.Check("a", "x", t0.Add(-3*time.Hour), ""))
	require.NoError(t, r.Waive("b", "x", t0.Add(-2*time.Hour), "not needed this time"))
	require.True(t, t0.Add(-2*time.Hour).Equal(r.ReadyAt()))
	// Checked anyway later: the run was ready all along.
	require.NoError(t, r.Check("b", "x", t0.Add(-10*time.Minute), "done after all"))
	assert.True(t, t0.Add(-2*time.Hour).Equal(r.ReadyAt()), "got %v", r.ReadyAt())
	assert.Empty(t, r.Late(t0), "b was waived in time")
	// The same after a search of the latest instant.
	require.NoError(t, r.Fail("a", "x", t0.Add(-9*time.Minute), ""))
	require.NoError(t, r.Check("a", "x", t0.Add(-4*time.Hour), "back-dated"))
	assert.True(t, t0.Add(-2*time.Hour).Equal(r.ReadyAt()), "got %v", r.ReadyAt())
	// And after a restore.
	data, err := r.Snapshot()
	require.NoError(t, err)
	back, err := checklist.Restore(waivable(), data)
	require.NoError(t, err)
	assert.True(t, t0.Add(-2*time.Hour).Equal(back.ReadyAt()), "got %v", back.ReadyAt())
}

func TestLateWaiverAgreesWithReadyAt(t *testing.T) {
	r := newRun(t, waivable())
	require.NoError(t, r.Check("a", "x", t0.Add(-3*time.Hour), ""))
	require.NoError(t, r.Waive("b", "x", t0.Add(-10*time.Minute), "skipped at the last minute"))
	assert.True(t, t0.Add(-10*time.Minute).Equal(r.ReadyAt()))
	assert.Equal(t, []string{"b"}, ids(r.Late(t0)), "waived after its due time")
}

func TestLate(t *testing.T) {
	r := newRun(t, exampleList()) // deadlines -1h: due 20:00
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 19, 59), ""))
	require.NoError(t, r.Check("new-hardware", "alice", at(2026, 6, 9, 20, 1), "late"))

	assert.Equal(t, []string{"new-hardware"}, ids(r.Late(at(2026, 6, 9, 20, 0))), "at the deadline, pending is not yet late")
	assert.Equal(t, []string{"new-hardware", "config-backup"}, ids(r.Late(at(2026, 6, 9, 20, 0).Add(time.Second))))
	assert.Equal(t, []string{"new-hardware"}, ids(r.Late(at(2026, 6, 9, 12, 0))), "done after its deadline is late whatever now is")
}

func TestRescheduleMovesDeadlines(t *testing.T) {
	r := newRun(t, exampleList())
	var events []checklist.Event
	r.Observe(func(e checklist.Event) { events = append(events, e) })
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 20, 30), "")) // late for 21:00
	require.Equal(t, []string{"old-hardware", "new-hardware", "config-backup"}, ids(r.Late(at(2026, 6, 9, 20, 45))))

	next := at(2026, 6, 10, 21, 0)
	require.NoError(t, r.Reschedule(next, "lead", at(2026, 6, 9, 20, 45), "storage not delivered"))
	assert.True(t, next.Equal(r.T0()))
	assert.Empty(t, r.Late(at(2026, 6, 9, 20, 45)))
	res, err := r.Result("new-hardware")
	require.NoError(t, err)
	assert.True(t, at(2026, 6, 10, 20, 0).Equal(res.Due))

	require.Len(t, r.Moves(), 1)
	assert.True(t, t0.Equal(r.Moves()[0].From))
	require.Len(t, events, 2)
	assert.Equal(t, checklist.KindReschedule, events[1].Kind)
	assert.Equal(t, uint64(2), events[1].Seq)
	assert.True(t, t0.Equal(events[1].PreviousT0))
	assert.True(t, next.Equal(events[1].T0))
}

// Deadlines are elapsed time from T0: across the end of summer time in
// Paris (2026-10-25, 03:00 CEST -> 02:00 CET) "-1h" and "-24h" are instants,
// not wall-clock times.
func TestDeadlinesAcrossDSTChange(t *testing.T) {
	l := checklist.List{Items: []checklist.Item{
		{ID: "h", Title: "one hour before", Deadline: -time.Hour},
		{ID: "d", Title: "a day before", Deadline: -24 * time.Hour},
	}}
	start := time.Date(2026, 10, 25, 3, 0, 0, 0, paris) // CET, UTC+1
	r, err := checklist.NewRun(l, start)
	require.NoError(t, err)

	h, err := r.Result("h")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), h.Due.UTC())
	assert.Equal(t, "02:00 CET", h.Due.In(paris).Format("15:04 MST"), "the second 02:00 of the night")

	d, err := r.Result("d")
	require.NoError(t, err)
	assert.Equal(t, "2026-10-24 04:00 CEST", d.Due.In(paris).Format("2006-01-02 15:04 MST"), "24h before is not 03:00 the day before")

	// 02:30 CEST (the first 02:30 of the night) is before the -1h deadline.
	first230 := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	require.NoError(t, r.Check("h", "x", first230, ""))
	assert.Equal(t, []string{"d"}, ids(r.Late(start)), "h was done on time")
}

func TestStoredTimesHaveNoMonotonicReading(t *testing.T) {
	r := newRun(t, exampleList())
	now := time.Now() // carries a monotonic reading
	require.NoError(t, r.Check("old-hardware", "alice", now, ""))
	res, err := r.Result("old-hardware")
	require.NoError(t, err)
	assert.Equal(t, now.Round(0), res.At, "== compares the monotonic reading too")
	assert.Equal(t, now.Round(0), res.History[0].At)
}

func TestChangeErrorOps(t *testing.T) {
	op := func(err error) string {
		t.Helper()
		var ce *checklist.ChangeError
		require.True(t, errors.As(err, &ce), "got %T %v", err, err)
		return ce.Op
	}
	r := newRun(t, exampleList())
	assert.Equal(t, checklist.KindCheck, op(r.Check("nope", "x", t0, "")))
	assert.Equal(t, checklist.KindFail, op(r.Fail("nope", "x", t0, "")))
	assert.Equal(t, checklist.KindWaive, op(r.Waive("nope", "x", t0, "why")))
	assert.Equal(t, checklist.KindReschedule, op(r.Reschedule(time.Time{}, "x", t0, "")))
	_, err := checklist.NewRun(exampleList(), time.Time{})
	assert.Equal(t, "start", op(err))
	_, err = r.Result("nope")
	assert.Equal(t, "result", op(err))
}

// TestZeroRun checks what the zero Run's doc promises.
func TestZeroRun(t *testing.T) {
	var r checklist.Run
	assert.True(t, r.Ready())
	assert.True(t, r.ReadyAt().IsZero())
	assert.True(t, r.T0().IsZero())
	assert.Empty(t, r.Results())
	assert.Equal(t, checklist.Progress{}, r.Progress())
	requireChangeErr(t, r.Check("a", "alice", t0, ""), checklist.ErrNotFound)
	_, err := r.Result("a")
	requireChangeErr(t, err, checklist.ErrNotFound)
	assert.Len(t, r.Digest(), 64)
	require.NoError(t, r.Reschedule(t0, "lead", t0, ""))
	assert.True(t, t0.Equal(r.T0()))
}

// TestTimesASnapshotCannotHoldAreRefused checks that a run refuses times
// that its snapshot and digest could not write, and stays usable.
func TestTimesASnapshotCannotHoldAreRefused(t *testing.T) {
	r := newRun(t, exampleList())
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	edge := time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("", -3600)) // year 10000 in UTC
	wide := time.Date(2026, 6, 9, 12, 0, 0, 0, time.FixedZone("", 24*3600))
	for _, when := range []time.Time{far, edge, wide, time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		requireChangeErr(t, r.Check("old-hardware", "alice", when, ""), checklist.ErrInvalid)
		requireChangeErr(t, r.Reschedule(when, "lead", t0, ""), checklist.ErrInvalid)
		_, err := checklist.NewRun(exampleList(), when)
		requireChangeErr(t, err, checklist.ErrInvalid)
	}
	require.NoError(t, r.Check("old-hardware", "alice", time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), ""))
	snap, err := r.Snapshot()
	require.NoError(t, err)
	_, err = checklist.Restore(exampleList(), snap)
	require.NoError(t, err)
	assert.Len(t, r.Digest(), 64)
}

// What a tool logs or sends (the observer's events, results, progress,
// warnings) marshals as the rest of the module: snake_case fields, enums
// as text, an item as in a checklist file; and it reads back.
func TestJSONIsSnakeCaseWithTextEnums(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	l := checklist.List{Name: "prep", Items: []checklist.Item{
		{ID: "backup", Title: "Backup", Owner: "ops", Deadline: -90 * time.Minute, DependsOn: []string{"x"}},
		{ID: "x", Title: "X", Optional: true, Offline: true, Section: "s"}}}
	r, err := checklist.NewRun(l, t0)
	require.NoError(t, err)
	var events []checklist.Event
	r.Observe(func(e checklist.Event) { events = append(events, e) })
	require.NoError(t, r.Check("x", "bob", t0.Add(-3*time.Hour), "ok"))
	require.NoError(t, r.Reschedule(t0.Add(time.Hour), "lead", t0.Add(-2*time.Hour), "late"))

	js := func(v any) string {
		t.Helper()
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return string(b)
	}
	assert.JSONEq(t, `{"seq":1,"list":"prep","kind":"check","item":"x","status":"done","previous":"pending","by":"bob",
		"at":"2026-12-01T18:00:00Z","note":"ok","t0":"2026-12-01T21:00:00Z","previous_t0":"2026-12-01T21:00:00Z"}`, js(events[0]))
	res, err := r.Result("backup")
	require.NoError(t, err)
	assert.JSONEq(t, `{"item":{"id":"backup","title":"Backup","owner":"ops","deadline":"-1h30m","depends_on":["x"]},
		"status":"pending","due":"2026-12-01T20:30:00Z"}`, js(res))
	assert.JSONEq(t, `{"done":1,"waived":0,"failed":0,"total":2,"required_pending":1}`, js(r.Progress()))
	assert.JSONEq(t, `[{"from":"2026-12-01T21:00:00Z","to":"2026-12-01T22:00:00Z","by":"lead","at":"2026-12-01T19:00:00Z","note":"late"}]`, js(r.Moves()))
	assert.JSONEq(t, `{"rule":"no-owner","item":"x","message":"m"}`, js(checklist.Warning{Rule: "no-owner", Item: "x", Message: "m"}))
	assert.JSONEq(t, `{"name":"s","items":[{"id":"x","title":"X","section":"s","optional":true,"offline":true}]}`, js(l.Sections()[1]))

	var back checklist.Result
	require.NoError(t, json.Unmarshal([]byte(js(res)), &back))
	assert.Equal(t, res, back, "a result reads back")
	var it checklist.Item
	err = json.Unmarshal([]byte(`{"id":"a","title":"A","deadline":"soon"}`), &it)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.Contains(t, err.Error(), "deadline")
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"id":"a","titel":"A"}`), &it), checklist.ErrInvalid, "unknown field")
}
