package mep_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// A value that the record could not carry, or that would flip a verdict,
// is refused before anything is appended: the record has the same
// entries after the call, and still opens.
func TestHostileRolloutOptionsAppendNothing(t *testing.T) {
	lmt := time.Date(1900, 1, 1, 20, 0, 0, 0, paris) // local mean time, +00:09:21
	for _, tt := range []struct {
		name  string
		o     func(*mep.RolloutOptions)
		field string
	}{
		{"margin NaN", func(o *mep.RolloutOptions) { o.Margin = math.NaN() }, "rollout.margin"},
		{"margin +Inf", func(o *mep.RolloutOptions) { o.Margin = math.Inf(1) }, "rollout.margin"},
		{"margin 1e300", func(o *mep.RolloutOptions) { o.Margin = 1e300 }, "rollout.margin"},
		{"T0 offset +24:00", func(o *mep.RolloutOptions) { o.T0 = time.Date(2026, 11, 24, 20, 0, 0, 0, time.FixedZone("", 24*3600)) }, "rollout.t0"},
		{"T0 offset with seconds", func(o *mep.RolloutOptions) { o.T0 = lmt }, "rollout.t0"},
		{"T0 in year 10000", func(o *mep.RolloutOptions) { o.T0 = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "rollout.t0"},
		{"T0 in year -1", func(o *mep.RolloutOptions) { o.T0 = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "rollout.t0"},
		{"quorum MaxInt", func(o *mep.RolloutOptions) { o.Quorum = map[mep.Role]int{mep.RoleOperations: math.MaxInt} }, "rollout.quorum"},
		{"durations overflow", func(o *mep.RolloutOptions) {
			o.Runbook = []mep.Step{{ID: "a", Expected: math.MaxInt64 / 2}, {ID: "b", Expected: math.MaxInt64 / 2}, {ID: "c", Expected: math.MaxInt64 / 2}}
		}, "runbook[0].expected"},
		{"durations over a year", func(o *mep.RolloutOptions) {
			o.Runbook = []mep.Step{{ID: "a", Expected: 200 * 24 * time.Hour}, {ID: "b", Expected: 200 * 24 * time.Hour}}
		}, "runbook[1].expected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			g := newGoliveFile(t, path, nil)
			before := len(g.p.Record())
			o := mep.RolloutOptions{Name: "go-live", T0: goliveT0, Runbook: goliveRunbook()}
			tt.o(&o)
			_, err := g.p.NewRollout(o)
			assert.Equal(t, tt.field, fieldErr(t, err).Field)
			assert.Len(t, g.p.Record(), before, "nothing appended")
			require.NoError(t, g.p.Close())
			again, err := mep.OpenFile(path, nil)
			require.NoError(t, err, "the record still opens")
			assert.Empty(t, again.Rollouts())
			require.NoError(t, again.Close())
		})
	}
}

// A reschedule to a time the record cannot hold appends nothing.
func TestRescheduleOutOfRangeAppendsNothing(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	before := len(g.p.Record())
	err := g.r.Reschedule(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "Otto", "far away")
	assert.Equal(t, "reschedule.t0", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before)
}

// A nil policy given in code is refused, naming its place, rather than
// panicking on its name; the refused call appends nothing.
func TestNilPolicyInCodeAppendsNothing(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	before := len(g.p.Record())
	err := g.r.GoNoGo().SetPolicies(policy.Set{policy.Func("ok", func(context.Context, policy.Change) policy.Decision { return policy.Decision{} }), nil}, nil, "Otto", "a slice with a hole")
	assert.Equal(t, "policies[1]", fieldErr(t, err).Field)
	_, err = g.p.NewRollout(mep.RolloutOptions{Name: "second", T0: g.t0, Runbook: goliveRunbook(), Policies: policy.Set{nil}})
	assert.Equal(t, "rollout.policies[0]", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before)
	assert.Equal(t, []string{"go-live"}, g.p.Rollouts())
}

// Decide returns no verdict when the decision could not be recorded.
func TestDecideReturnsNoVerdictWithAnError(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	require.NoError(t, g.p.Close())
	d, err := g.r.GoNoGo().Decide(context.Background(), g.c.now())
	require.ErrorIs(t, err, timeline.ErrClosed)
	assert.Equal(t, mep.Decision{}, d)
}

// Replay refuses what the API refuses: a step's end written straight into
// the record, without its start, makes the record unopenable with the
// entry's seq, instead of a project whose reports panic.
func TestReplayRefusesForgedStepEnd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.p.Close())

	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	forged, err := j.Record(timeline.Entry{At: g.t0, Kind: "mep.step", Actor: "Otto",
		Attrs: map[string]string{"rollout": "go-live", "step": "stop-app", "event": "end", "outcome": "done"}})
	require.NoError(t, err)
	require.NoError(t, j.Close())

	_, err = mep.OpenFile(path, nil)
	var re *mep.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, forged.Seq, re.Seq)
	assert.ErrorIs(t, err, mep.ErrCorrupt)
	assert.ErrorIs(t, err, mep.ErrRunbook)
}

// Concurrent callers of Assign each get the action they handed out.
func TestConcurrentAssignReturnsOwnAction(t *testing.T) {
	g := newGolive(t, nil)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			title := fmt.Sprintf("action %d", i)
			a, err := g.p.Tracker().Assign(mep.ActionSpec{Title: title, Owner: "Bea", Due: goliveT0}, "Sam", time.Time{})
			assert.NoError(t, err)
			assert.Equal(t, title, a.Title)
		}()
	}
	wg.Wait()
	assert.Len(t, g.p.Tracker().Actions(), 16)
}
