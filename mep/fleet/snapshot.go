package fleet

import (
	"cmp"
	"slices"
	"time"
)

// Snapshot is the schedule at one scan: every rollout of the store,
// sorted by start, then project and rollout, and the records that did
// not read. A Snapshot is never changed once handed out.
type Snapshot struct {
	At      time.Time     // when the scan ran, by the schedule's clock
	Entries []Entry       // every rollout, ended ones included
	Errors  []RecordError // records left out, by name
}

// Active returns the planned and running rollouts, in the snapshot's
// order.
func (s *Snapshot) Active() []Entry {
	var out []Entry
	for i := range s.Entries {
		if s.Entries[i].IsActive() {
			out = append(out, s.Entries[i])
		}
	}
	return out
}

// Find returns the entry of project's rollout, or false.
func (s *Snapshot) Find(project, rollout string) (Entry, bool) {
	for i := range s.Entries {
		if e := &s.Entries[i]; e.Project == project && e.Rollout == rollout {
			return *e, true
		}
	}
	return Entry{}, false
}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		return cmp.Or(a.Start().Compare(b.Start()), cmp.Compare(a.Project, b.Project), cmp.Compare(a.Rollout, b.Rollout))
	})
}
