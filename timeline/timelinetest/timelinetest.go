// Package timelinetest checks implementations of [timeline.Store].
package timelinetest

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// TestStore checks that a [timeline.Store] keeps what a journal gives it:
// an empty store loads empty; appended batches load back in order, equal to
// what was recorded, after the store is closed and reopened; a journal
// reopened on it continues the chain; and Close may be called on a store
// that was loaded. open must return a new handle on the same storage each
// time it is called within one test (for a file, reopen the same path).
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

	s := open()
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

	j, err := timeline.OpenStore(open(), &timeline.Options{Now: now})
	if err != nil {
		return fail("OpenStore on a new store: %v", err)
	}
	record := func(j *timeline.Journal, e timeline.Entry) error {
		if _, err := j.Record(e); err != nil {
			return fail("Record: %v", err)
		}
		return nil
	}
	if err := record(j, timeline.Entry{Kind: timeline.KindNote, Actor: "a", Text: "hostile | text\n`with` <html> \"quotes\" and ünïcode"}); err != nil {
		return err
	}
	if err := record(j, timeline.Entry{Kind: timeline.KindStart, Step: "dns", Impact: timeline.Outage, Attrs: map[string]string{"ticket": "CHG-1"}}); err != nil {
		return err
	}
	if err := record(j, timeline.Entry{Kind: timeline.KindEnd, Step: "dns", Outcome: timeline.Failed}); err != nil {
		return err
	}
	want := j.Entries()
	if err := j.Close(); err != nil {
		return fail("Close: %v", err)
	}

	s = open()
	got, err = s.Load()
	if err != nil {
		return fail("Load after appends: %v", err)
	}
	if err := sameEntries(got, want); err != "" {
		return fail("Load after appends: %s", err)
	}
	if err := timeline.Verify(got, nil); err != nil {
		return fail("Verify after reload: %v", err)
	}
	if err := s.Close(); err != nil {
		return fail("Close: %v", err)
	}

	j, err = timeline.OpenStore(open(), &timeline.Options{Now: now})
	if err != nil {
		return fail("OpenStore on a used store: %v", err)
	}
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
	want = j.Entries()
	if err := j.Close(); err != nil {
		return fail("Close: %v", err)
	}

	s = open()
	got, err = s.Load()
	if err != nil {
		return fail("final Load: %v", err)
	}
	defer s.Close()
	if err := sameEntries(got, want); err != "" {
		return fail("final Load: %s", err)
	}
	if err := timeline.Verify(got, nil); err != nil {
		return fail("final Verify: %v", err)
	}
	return nil
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
