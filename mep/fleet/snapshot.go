package fleet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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

// records returns the names of the records that hold project's
// rollout, sorted: more than one, and a project and rollout name does
// not tell which is meant.
func (s *Snapshot) records(project, rollout string) []string {
	var out []string
	for i := range s.Entries {
		if e := &s.Entries[i]; e.Project == project && e.Rollout == rollout && !slices.Contains(out, e.Record) {
			out = append(out, e.Record)
		}
	}
	slices.Sort(out)
	return out
}

// ambiguous returns an error naming the records when more than one
// holds project's rollout.
func (s *Snapshot) ambiguous(project, rollout string) error {
	if recs := s.records(project, rollout); len(recs) > 1 {
		return &ambiguousError{id: project + "/" + rollout, records: recs}
	}
	return nil
}

// ambiguousError reports a project's rollout that several records hold.
type ambiguousError struct {
	id      string
	records []string
}

func (e *ambiguousError) Error() string {
	names := make([]string, len(e.records))
	for i, r := range e.records {
		names[i] = printable(r)
	}
	return fmt.Sprintf("%s is in %d records of the store (%s): the check cannot tell which of them this change is, and what it touches; rename or remove the others",
		printable(e.id), len(e.records), strings.Join(names, ", "))
}

func sortEntries(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		return cmp.Or(a.Start().Compare(b.Start()), cmp.Compare(a.Project, b.Project), cmp.Compare(a.Rollout, b.Rollout))
	})
}
