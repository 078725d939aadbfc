package mep_test

import (
	"fmt"
	"maps"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// shared is a record in memory shared by several writers, as a database
// table would be: each writer opens its own handle.
type shared struct {
	mu      sync.Mutex
	entries []timeline.Entry
}

// handle is one writer's timeline.Store (and Tailer) on a shared record.
type handle struct{ s *shared }

func (h handle) Load() ([]timeline.Entry, error) { return h.Since(0) }

func (h handle) Since(seq uint64) ([]timeline.Entry, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	var out []timeline.Entry
	for _, e := range h.s.entries[min(int(seq), len(h.s.entries)):] {
		out = append(out, clone(e))
	}
	return out, nil
}

func (h handle) Append(batch []timeline.Entry) error {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if n := uint64(len(h.s.entries)); batch[0].Seq != n+1 {
		if batch[0].Seq <= n && h.s.entries[batch[0].Seq-1].Hash == batch[0].Hash {
			return nil // a retry
		}
		return fmt.Errorf("shared: seq %d after %d: %w", batch[0].Seq, n, timeline.ErrConflict)
	}
	for _, e := range batch {
		h.s.entries = append(h.s.entries, clone(e))
	}
	return nil
}

func (h handle) Close() error { return nil }

func clone(e timeline.Entry) timeline.Entry {
	e.Attrs = maps.Clone(e.Attrs)
	return e
}

// Two writers of one record: a write that finds the record moved on folds
// what the other wrote, checks the action again on that state, and either
// appends after it or refuses; the chain never forks.
func TestWritersShareOneRecord(t *testing.T) {
	c := newClock(utc(2026, 11, 2, 9, 0))
	rec := &shared{}
	p1, err := mep.Create(handle{rec}, "billing v2", &mep.Options{Now: c.now})
	require.NoError(t, err)
	p2, err := mep.Open(handle{rec}, &mep.Options{Now: c.now})
	require.NoError(t, err)

	require.NoError(t, p1.Team().Add(mep.Member{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}}))
	// p2 has not read Bea's entry: its append conflicts, it folds Bea's, and
	// appends Otto after it.
	require.NoError(t, p2.Team().Add(mep.Member{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}}))
	assert.Len(t, p2.Team().Members(), 2)

	// p1 is behind now; the same member added by both: the second write
	// is checked again on the state with the first, and refused.
	require.NoError(t, p2.Team().Add(mep.Member{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}}))
	require.NoError(t, p1.Refresh())
	require.NoError(t, p1.Team().Add(mep.Member{Name: "Vic", Roles: []mep.Role{mep.RoleValidation}}))
	err = p2.Team().Add(mep.Member{Name: "Vic", Roles: []mep.Role{mep.RoleValidation}, Contact: "vic@example.com"})
	require.ErrorIs(t, err, mep.ErrInvalid)
	assert.ErrorContains(t, err, "already a member")

	require.NoError(t, p1.Refresh())
	names := func(p *mep.Project) []string {
		var out []string
		for _, m := range p.Team().Members() {
			out = append(out, m.Name)
		}
		return out
	}
	assert.Equal(t, []string{"Bea", "Otto", "Mia", "Vic"}, names(p1))
	assert.Equal(t, names(p1), names(p2))
	require.NoError(t, timeline.Verify(rec.entries, nil), "one chain")
	assert.Len(t, rec.entries, 5)

	// A third writer opening the record reads the same project.
	p3, err := mep.Open(handle{rec}, nil)
	require.NoError(t, err)
	assert.Equal(t, names(p1), names(p3))
}

// A project in memory has no other writer: Refresh has nothing to read.
func TestRefreshInMemoryReadsNothing(t *testing.T) {
	p, err := mep.New("billing v2", &mep.Options{Now: newClock(utc(2026, 11, 2, 9, 0)).now})
	require.NoError(t, err)
	staff(t, p)
	before := len(p.Record())
	require.NoError(t, p.Refresh())
	assert.Equal(t, before, len(p.Record()))
	assert.Len(t, p.Team().Members(), 5)
}

// failing is a store whose appends fail while fail is set: a disk that
// filled up, say.
type failing struct {
	handle
	fail bool
}

func (f *failing) Append(batch []timeline.Entry) error {
	if f.fail {
		return fmt.Errorf("failing: disk full")
	}
	return f.handle.Append(batch)
}

// A fact that the store refuses after it was queued is not left in the
// project's state: the project folds its state again from what is stored,
// and the refused note is gone, though the write that queued it saw it
// applied.
func TestRefusedFactLeavesNoTrace(t *testing.T) {
	st := &failing{handle: handle{&shared{}}}
	p, err := mep.Create(st, "p", nil)
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r", T0: utc(2026, 11, 10, 20, 0), Runbook: goliveRunbook()})
	require.NoError(t, err)
	require.NoError(t, r.Cutover().Note("Otto", "kept"))
	st.fail = true
	err = r.Cutover().Note("Otto", "refused")
	require.ErrorContains(t, err, "disk full")
	notes := r.Cutover().Notes()
	require.Len(t, notes, 1)
	assert.Equal(t, "kept", notes[0].Text)
	assert.Len(t, st.s.entries, len(p.Record()), "the state folds exactly what is stored")
}
