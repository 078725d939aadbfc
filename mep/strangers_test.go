package mep_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Only members and declared guests act (METHOD.md): a readiness item
// ticked by someone the project does not know (the hardware "verified" by
// a stranger, R8) is refused, and appends nothing, as a note by a
// stranger is. Forged into the record, the tick is refused on replay.
func TestTicksByStrangersAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.c.set(g.t0.Add(-5 * time.Hour))
	before := len(g.p.Record())
	for _, tick := range []func() error{
		func() error { return g.r.Readiness().Check("new-hardware-verified", "Mallory", time.Time{}, "") },
		func() error { return g.r.Readiness().Waive("config-backup", "Mallory", time.Time{}, "not needed") },
	} {
		assert.Equal(t, "checklist.tick.by", fieldErr(t, tick()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")
	require.NoError(t, g.p.Close())

	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.checklist.tick", Actor: "Mallory",
		Attrs: map[string]string{"run": "readiness", "rollout": "go-live", "item": "new-hardware-verified", "status": "done"}})
	refusedAt(t, path, forged[0].Seq)
}

// Actions are owned, handed out and closed by members or declared guests
// only (R6): an overdue action closed by a stranger let the Planning gate
// pass; an action owned by nobody the project knows was no action.
func TestActionsByStrangersAreRefused(t *testing.T) {
	g := newGolive(t, nil)
	_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print the runbook", Owner: "Bea", Due: g.c.now().Add(day(1))}, "Sam", time.Time{})
	require.NoError(t, err)
	before := len(g.p.Record())
	for field, call := range map[string]func() error{
		"action.owner": func() error {
			_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print", Owner: "Nobody", Due: g.c.now().Add(day(1))}, "Sam", time.Time{})
			return err
		},
		"action.by": func() error {
			_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print", Owner: "Bea", Due: g.c.now().Add(day(1))}, "Mallory", time.Time{})
			return err
		},
		"meeting.actions[0].owner": func() error {
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Sam"},
				Actions: []mep.ActionSpec{{Title: "print", Owner: "Nobody", Due: g.c.now().Add(day(1))}}})
			return err
		},
		"action.closed_by": func() error { return g.p.Tracker().Done(1, "Mallory", time.Time{}, "") },
	} {
		assert.Equal(t, field, fieldErr(t, call()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")
}

// A lesson is learnt, applied or waived, a T0 moved and a project
// checklist started only by a member or a declared guest: a stranger
// waiving every lesson let the Industrialization gate pass (R12).
func TestLessonsAndReschedulesByStrangersAreRefused(t *testing.T) {
	g := walk(t, mep.Industrialization)
	before := len(g.p.Record())
	for field, call := range map[string]func() error{
		"application.by": func() error { return g.p.Lessons().Apply(1, g.r.Name(), "Mallory", time.Time{}, "not for us", true) },
		"lesson.by": func() error {
			_, err := g.r.Learn("the DNS took an hour", "lower the TTL the day before", "Mallory")
			return err
		},
		"checklist.by": func() error { return g.p.Operations().Start(checklist.Operations(), g.t0, "Mallory") },
	} {
		assert.Equal(t, field, fieldErr(t, call()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")

	r := rolloutsOnly(t, mep.RolloutOptions{})
	before = len(r.p.Record())
	assert.Equal(t, "reschedule.by", fieldErr(t, r.r.Reschedule(r.t0.Add(day(7)), "Mallory", "later")).Field)
	assert.Len(t, r.p.Record(), before, "nothing appended")
}

// A record written before strangers were refused (its options state no
// generation of checks) still opens with a stranger's tick in it: it is
// replayed under the rules it was written under. What is written to it
// now is held to today's: a stranger's tick is refused.
func TestOlderRecordWithAStrangersTickOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.c.set(g.t0.Add(-5 * time.Hour))
	at := g.c.now()
	require.NoError(t, g.p.Close())

	// The same record as the version before wrote it: its options
	// without "checks", chained again.
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	opts := entries[0].Attrs["options"]
	require.Contains(t, opts, `"checks":2`)
	entries[0].Attrs["options"] = strings.Replace(opts, `,"checks":2`, "", 1)
	older := filepath.Join(t.TempDir(), "older.jsonl")
	for i := range entries {
		entries[i].Seq, entries[i].Hash = 0, ""
	}
	forge(t, older, entries...)
	forge(t, older, timeline.Entry{At: at, Kind: "mep.checklist.tick", Actor: "Mallory",
		Attrs: map[string]string{"run": "readiness", "rollout": "go-live", "item": "new-hardware-verified", "status": "done"}})

	p, err := mep.OpenFile(older, &mep.Options{Now: g.c.now})
	require.NoError(t, err, "a record of the version before opens")
	defer p.Close()
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	err = r.Readiness().Check("config-backup", "Mallory", time.Time{}, "")
	assert.Equal(t, "checklist.tick.by", fieldErr(t, err).Field, "what is written now is held to today's rules")

	refusedNow := filepath.Join(t.TempDir(), "now.jsonl")
	entries[0].Attrs["options"] = opts
	forge(t, refusedNow, entries...)
	forged := forge(t, refusedNow, timeline.Entry{At: at, Kind: "mep.checklist.tick", Actor: "Mallory",
		Attrs: map[string]string{"run": "readiness", "rollout": "go-live", "item": "new-hardware-verified", "status": "done"}})
	refusedAt(t, refusedNow, forged[0].Seq)
}

// The generation of checks a record states is never lowered: an options
// event forged to state none, so that the strangers' facts after it would
// pass, is refused on replay.
func TestRecordsChecksAreNeverLowered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	require.NoError(t, g.p.Close())
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	opts := entries[0].Attrs["options"]
	require.Contains(t, opts, `"checks":2`)
	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.options", Actor: "Sam", Text: "fewer checks",
		Attrs: map[string]string{"options": strings.Replace(opts, `,"checks":2`, "", 1)}})
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), "options.checks")
}
