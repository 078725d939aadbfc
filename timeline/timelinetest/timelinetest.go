// Package timelinetest checks implementations of [timeline.Store].
package timelinetest

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// TestStore checks that a [timeline.Store] keeps what a journal gives it:
// an empty store loads empty; appended batches load back in order, equal to
// what was recorded, after the store is closed and reopened; a journal
// reopened on it continues the chain; and Close may be called on a store
// that was loaded. It also checks the rules for several writers: an Append
// whose entries are already stored with the same hashes (a retry) returns
// nil and stores nothing again; one whose seqs are stored with other hashes
// (another writer appended first) stores nothing and returns an error
// wrapping [timeline.ErrConflict]; one that leaves a gap is refused; a
// journal's Record on such a conflict leaves the journal unchanged; and,
// for a [timeline.Tailer], Since returns what was appended after a seq, so
// that [timeline.Journal.Refresh] catches up and the journal goes on.
//
// open must return a new handle on the same storage each time it is called
// within one test (for a file, reopen the same path); the checks use one
// handle at a time, the writes of "another writer" going through the same
// handle.
func TestStore(t *testing.T, open func() timeline.Store) {
	t.Helper()
	if err := CheckStore(open); err != nil {
		t.Fatal(err)
	}
}

// CheckStore runs the checks of [TestStore] and returns the first failure
// as an error, for use outside tests (a health check of a deployed store,
// say). Failures read "timelinetest: ...".
func CheckStore(open func() timeline.Store) error {
	clock := time.Date(2026, 11, 24, 20, 0, 0, 0, time.FixedZone("CET", 3600))
	now := func() time.Time { clock = clock.Add(time.Second); return clock }

	if err := checkNew(open()); err != nil {
		return err
	}
	want, err := writeJournal(open(), now, "OpenStore on a new store", recordFirst)
	if err != nil {
		return err
	}
	if err := checkReload(open(), want); err != nil {
		return err
	}
	want, err = writeJournal(open(), now, "OpenStore on a used store", recordAfterReopen)
	if err != nil {
		return err
	}
	if err := checkReopened(open(), want, now); err != nil {
		return err
	}
	return checkFinal(open(), want)
}

// checkNew checks that s, a new store, loads empty and closes.
func checkNew(s timeline.Store) error {
	got, err := s.Load()
	if err != nil {
		return fail("Load of a new store: %v", err)
	}
	if len(got) != 0 {
		return fail("Load of a new store: got %d entries, want 0", len(got))
	}
	if err := s.Close(); err != nil {
		return fail("Close: %v", err)
	}
	return nil
}

// record records e in j.
func record(j *timeline.Journal, e timeline.Entry) error {
	if _, err := j.Record(e); err != nil {
		return fail("Record: %v", err)
	}
	return nil
}

// writeJournal opens a journal on s, lets write record in it, closes it
// and returns its entries; opening names the OpenStore in failures.
func writeJournal(s timeline.Store, now func() time.Time, opening string, write func(*timeline.Journal) error) ([]timeline.Entry, error) {
	j, err := timeline.OpenStore(s, &timeline.Options{Now: now})
	if err != nil {
		return nil, fail("%s: %v", opening, err)
	}
	if err := write(j); err != nil {
		return nil, err
	}
	want := j.Entries()
	if err := j.Close(); err != nil {
		return nil, fail("Close: %v", err)
	}
	return want, nil
}

// recordFirst records in j, a journal on a new store, a note with hostile
// text and a failed step with attributes.
func recordFirst(j *timeline.Journal) error {
	for _, e := range []timeline.Entry{
		{Kind: timeline.KindNote, Actor: "a", Text: "hostile | text\n`with` <html> \"quotes\" and ünïcode"},
		{Kind: timeline.KindStart, Step: "dns", Impact: timeline.Outage, Attrs: map[string]string{"ticket": "CHG-1"}},
		{Kind: timeline.KindEnd, Step: "dns", Outcome: timeline.Failed},
	} {
		if err := record(j, e); err != nil {
			return err
		}
	}
	return nil
}

// holds checks that got, loaded from a store, equals want and is a valid
// chain; load and verify name the Load and the Verify in failures.
func holds(got, want []timeline.Entry, load, verify string) error {
	if err := sameEntries(got, want); err != "" {
		return fail("%s: %s", load, err)
	}
	if err := timeline.Verify(got, nil); err != nil {
		return fail("%s: %v", verify, err)
	}
	return nil
}

// checkReload checks that s loads want, what was appended to it, and
// closes.
func checkReload(s timeline.Store, want []timeline.Entry) error {
	got, err := s.Load()
	if err != nil {
		return fail("Load after appends: %v", err)
	}
	if err := holds(got, want, "Load after appends", "Verify after reload"); err != nil {
		return err
	}
	if err := checkParts(s, want); err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return fail("Close: %v", err)
	}
	return nil
}

// checkParts checks that a store that loads in parts (a
// [timeline.PartLoader]) hands over, part after part, what Load returns:
// want, in non-empty parts.
func checkParts(s timeline.Store, want []timeline.Entry) error {
	pl, ok := s.(timeline.PartLoader)
	if !ok {
		return nil
	}
	var got []timeline.Entry
	err := pl.LoadParts(func(part []timeline.Entry) error {
		if len(part) == 0 {
			return errors.New("an empty part")
		}
		got = append(got, part...)
		return nil
	})
	if err != nil {
		return fail("LoadParts after appends: %v", err)
	}
	return holds(got, want, "LoadParts after appends", "Verify of the parts")
}

// recordAfterReopen records a step in j, a journal on a used store, and
// checks that it continues the chain.
func recordAfterReopen(j *timeline.Journal) error {
	if err := record(j, timeline.Entry{Kind: timeline.KindStart, Step: "dns", Impact: timeline.Outage}); err != nil {
		return err
	}
	e, err := j.Record(timeline.Entry{Kind: timeline.KindEnd, Step: "dns"})
	if err != nil {
		return fail("Record after reopen: %v", err)
	}
	if e.Seq != 5 {
		return fail("Record after reopen: got seq %d, want 5", e.Seq)
	}
	return nil
}

// checkReopened checks that s loads want, then runs the checks for several
// writers on it, and closes it.
func checkReopened(s timeline.Store, want []timeline.Entry, now func() time.Time) error {
	got, err := s.Load()
	if err != nil {
		return fail("Load after reopen: %v", err)
	}
	if err := holds(got, want, "Load after reopen", "Verify after reopen"); err != nil {
		s.Close()
		return err
	}
	err = checkSeams(s, want, now)
	if cerr := s.Close(); err == nil && cerr != nil {
		err = fail("Close: %v", cerr)
	}
	return err
}

// checkFinal checks that s loads want, then whatever the checks for
// several writers added, as a valid chain.
func checkFinal(s timeline.Store, want []timeline.Entry) error {
	got, err := s.Load()
	if err != nil {
		return fail("final Load: %v", err)
	}
	defer s.Close()
	if len(got) < len(want) {
		return fail("final Load: got %d entries, want at least %d", len(got), len(want))
	}
	if err := sameEntries(got[:len(want)], want); err != "" {
		return fail("final Load: %s", err)
	}
	if err := timeline.Verify(got, nil); err != nil {
		return fail("final Verify: %v", err)
	}
	return nil
}

// checkSeams checks the rules for several writers on a loaded store s
// that holds stored (a valid chain).
func checkSeams(s timeline.Store, stored []timeline.Entry, now func() time.Time) error {
	n := len(stored)
	if err := since(s, "before any write", uint64(n-2), stored[n-2:]); err != nil {
		return err
	}
	if err := since(s, "before any write", uint64(n), nil); err != nil {
		return err
	}
	if err := checkRetry(s, stored); err != nil {
		return err
	}
	if err := checkConflict(s, stored, now); err != nil {
		return err
	}
	if err := checkGap(s, stored); err != nil {
		return err
	}
	return checkBehindBack(s, stored, now)
}

// since checks that s, when it is a [timeline.Tailer], returns want for
// Since(seq); what names the moment in failures.
func since(s timeline.Store, what string, seq uint64, want []timeline.Entry) error {
	t, ok := s.(timeline.Tailer)
	if !ok {
		return nil
	}
	got, err := t.Since(seq)
	if err != nil {
		return fail("%s: Since(%d): %v", what, seq, err)
	}
	if err := sameEntries(got, want); err != "" {
		return fail("%s: Since(%d): %s", what, seq, err)
	}
	return nil
}

// checkRetry checks that a retry of stored entries, identical, returns nil
// and stores nothing again.
func checkRetry(s timeline.Store, stored []timeline.Entry) error {
	n := len(stored)
	if err := s.Append(clone(stored[n-2:])); err != nil {
		return fail("Append of the last two stored entries again (a retry): got %v, want nil", err)
	}
	if err := s.Append(clone(stored[n-1:])); err != nil {
		return fail("Append of the last stored entry again (a retry): got %v, want nil", err)
	}
	return since(s, "after a retry", 0, stored)
}

// checkConflict checks that another writer's entry in the place of the
// last stored one is a conflict, and stores nothing.
func checkConflict(s timeline.Store, stored []timeline.Entry, now func() time.Time) error {
	n := len(stored)
	other := otherWriter(stored[:n-1], now)
	if other.Hash == stored[n-1].Hash {
		return fail("internal error: the other writer's entry has the same hash")
	}
	err := s.Append([]timeline.Entry{other})
	if !errors.Is(err, timeline.ErrConflict) {
		return fail("Append of seq %d with another hash than the stored one: got %v, want an error wrapping ErrConflict", other.Seq, err)
	}
	return since(s, "after a conflict", 0, stored)
}

// checkGap checks that a batch that leaves a gap is refused, and stores
// nothing.
func checkGap(s timeline.Store, stored []timeline.Entry) error {
	gap := stored[len(stored)-1]
	gap.Seq += 2
	if err := s.Append([]timeline.Entry{gap}); err == nil {
		return fail("Append of seq %d after seq %d (a gap): got nil, want an error", gap.Seq, len(stored))
	}
	return since(s, "after a gap", 0, stored)
}

// checkBehindBack opens a journal on s, then another writer appends behind
// its back: the journal's Record must fail with a conflict and leave it
// unchanged, and, for a [timeline.Tailer], Refresh must catch up so that
// the journal goes on.
func checkBehindBack(s timeline.Store, stored []timeline.Entry, now func() time.Time) error {
	n := len(stored)
	// The store is already loaded: hand the journal a view that does not
	// load it again.
	j, err := timeline.OpenStore(loaded{s, clone(stored)}, &timeline.Options{Now: now})
	if err != nil {
		return fail("OpenStore: %v", err)
	}
	defer j.Close()
	next := otherWriter(stored, now)
	if err := s.Append([]timeline.Entry{next}); err != nil {
		return fail("Append of the next entry by another writer: %v", err)
	}
	seq, head := j.Head()
	_, err = j.Record(timeline.Entry{Kind: timeline.KindNote, Text: "too late"})
	if !errors.Is(err, timeline.ErrConflict) {
		return fail("Record after another writer appended: got %v, want an error wrapping ErrConflict", err)
	}
	if s2, h2 := j.Head(); s2 != seq || h2 != head || j.Len() != n {
		return fail("Record refused on a conflict: the journal changed (%d entries, head %d)", j.Len(), s2)
	}
	if _, ok := s.(timeline.Tailer); !ok {
		return nil
	}
	news, err := j.Refresh()
	if err != nil {
		return fail("Refresh: %v", err)
	}
	if err := sameEntries(news, []timeline.Entry{next}); err != "" {
		return fail("Refresh: %s", err)
	}
	e, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Text: "after refresh"})
	if err != nil {
		return fail("Record after Refresh: %v", err)
	}
	if e.Seq != uint64(n)+2 {
		return fail("Record after Refresh: got seq %d, want %d", e.Seq, n+2)
	}
	return since(s, "after Refresh and Record", uint64(n), append([]timeline.Entry{next}, e))
}

// otherWriter returns the entry that another writer would append after
// stored.
func otherWriter(stored []timeline.Entry, now func() time.Time) timeline.Entry {
	j, err := timeline.OpenStore(&loaded{entries: clone(stored)}, &timeline.Options{Now: now})
	if err != nil {
		panic("timelinetest: " + err.Error())
	}
	e, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "another writer", Text: strconv.Itoa(len(stored) + 1)})
	if err != nil {
		panic("timelinetest: " + err.Error())
	}
	return e
}

// loaded is a Store whose entries are already loaded: Load returns them,
// Append goes to the Store inside, if any, and Close does not close it.
type loaded struct {
	timeline.Store
	entries []timeline.Entry
}

func (l loaded) Load() ([]timeline.Entry, error) { return l.entries, nil }

func (l loaded) Append(batch []timeline.Entry) error {
	if l.Store == nil {
		return nil
	}
	return l.Store.Append(batch)
}

func (l loaded) Since(seq uint64) ([]timeline.Entry, error) {
	if t, ok := l.Store.(timeline.Tailer); ok {
		return t.Since(seq)
	}
	return nil, errors.New("timelinetest: not a Tailer")
}

func (l loaded) Close() error { return nil }

func clone(es []timeline.Entry) []timeline.Entry {
	out := make([]timeline.Entry, len(es))
	for i, e := range es {
		if e.Attrs != nil {
			e.Attrs = maps.Clone(e.Attrs)
		}
		out[i] = e
	}
	return out
}

func sameEntries(got, want []timeline.Entry) string {
	if len(got) != len(want) {
		return "got " + itoa(len(got)) + " entries, want " + itoa(len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || !g.At.Equal(w.At) || g.Kind != w.Kind || g.Step != w.Step ||
			g.Actor != w.Actor || g.Text != w.Text || g.Impact != w.Impact ||
			g.Outcome != w.Outcome || g.Hash != w.Hash || len(g.Attrs) != len(w.Attrs) {
			return "entry " + itoa(i+1) + " differs from what was recorded"
		}
		for k, v := range w.Attrs {
			if g.Attrs[k] != v {
				return "entry " + itoa(i+1) + ": attribute " + k + " differs"
			}
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

func fail(format string, args ...any) error {
	return fmt.Errorf("timelinetest: "+format, args...)
}
