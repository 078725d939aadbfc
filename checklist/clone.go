package checklist

import "slices"

// Clone returns a deep copy of the run: its list, T0, reschedules, every
// item's status and history, and its [Run.Digest]. The copy and r are
// independent: a change to one leaves the other as it was. It is what
// [Run.Snapshot] then [Restore] give, without encoding the state.
//
// The observer is not copied: the copy reports to nobody until
// [Run.Observe] is called on it, so that a what-if on a copy never
// reaches the journal of the original; events of r not yet delivered stay
// with r. The copy numbers its events on from r's last [Event.Seq].
//
// Clone may be called while other goroutines change r: the copy is the
// state between two changes. It takes time linear in the items and
// changes of the run; the parts of a run that never change after it
// starts (the list and the indices built from it) are shared, not copied.
func (r *Run) Clone() *Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &Run{
		// Never changed after newRun: shared.
		list:     r.list,
		index:    r.index,
		deps:     r.deps,
		section:  r.section,
		secPos:   r.secPos,
		secItems: r.secItems,
		ordered:  r.ordered,
		purposes: r.purposes,
		// Replaced, never written in place: shared.
		listState: r.listState,

		t0:           r.t0,
		due:          r.due,
		dueT0:        r.dueT0,
		moves:        slices.Clone(r.moves),
		items:        slices.Clone(r.items),
		seq:          r.seq,
		events:       r.events,
		requiredOpen: r.requiredOpen,
		failed:       r.failed,
		done:         r.done,
		waived:       r.waived,
		firstOpen:    slices.Clone(r.firstOpen),
		readyAt:      r.readyAt,
		readyDirty:   r.readyDirty,
		digestMemo:   r.digestMemo,
		digestSeq:    r.digestSeq,
	}
	for i := range c.items {
		c.items[i].history = slices.Clone(c.items[i].history)
	}
	return c
}
