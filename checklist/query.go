package checklist

import (
	"slices"
	"time"
)

// Ready reports whether every required item is done or waived and no item
// is failed. It takes constant time.
func (r *Run) Ready() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ready()
}

// ready requires r.mu held.
func (r *Run) ready() bool { return r.requiredOpen == 0 && r.failed == 0 }

// ReadyAt returns when the run became ready: the latest instant at which a
// required item, or an item that failed once, went from pending or failed
// to done or waived. Checking an item that was waived does not move it:
// the item was satisfied already. It is zero while the run is not ready,
// and for a list with nothing required and no failure. Compare it with T0 minus the readiness window (rule R7).
// It takes constant time, except the first call after the change that
// held the latest instant was undone (a failure of an item already done),
// which looks at every item once.
func (r *Run) ReadyAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.ready() {
		return time.Time{}
	}
	if r.readyDirty {
		r.readyAt = time.Time{}
		for i := range r.items {
			st := &r.items[i]
			if st.status.satisfied() && (!r.list.Items[i].Optional || st.everFailed) && st.satisfiedAt.After(r.readyAt) {
				r.readyAt = st.satisfiedAt
			}
		}
		r.readyDirty = false
	}
	return r.readyAt
}

// Late returns, in list order, the items past their deadline at now:
// neither done nor waived (pending or failed) with their due instant before
// now, or done or waived only after it. A waiver counts as a check here,
// as for [Run.ReadyAt]: an item waived after its due time is late, and an
// item waived in time and checked later is not. Items without deadline are
// never late.
func (r *Run) Late(now time.Time) []Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m := &r.late; m.valid && m.events == r.events && !m.satisfiedLate && (!m.pending || !now.After(m.firstDue)) {
		return nil // the state Late last read, and now before its first due time
	}
	var out []Item
	m := lateMemo{events: r.events, valid: true}
	dues := r.dues()
	for i := range r.list.Items {
		it := &r.list.Items[i]
		if it.Deadline == 0 {
			continue
		}
		due := dues[i]
		st := &r.items[i]
		switch st.status {
		case Pending, Failed:
			if !m.pending || due.Before(m.firstDue) {
				m.pending, m.firstDue = true, due
			}
			if now.After(due) {
				out = append(out, it.clone())
			}
		case Done, Waived:
			if st.satisfiedAt.After(due) {
				m.satisfiedLate = true
				out = append(out, it.clone())
			}
		}
	}
	r.late = m
	return out
}

// lateMemo is what Late read of the state at change number events: whether
// an item was satisfied after it was due, and when the first item still
// pending or failed is due (pending: there is one). While the state is
// the same, nothing is late before that time.
type lateMemo struct {
	events        uint64
	valid         bool
	satisfiedLate bool
	pending       bool
	firstDue      time.Time
}

// dues returns when each item is due at the run's T0 (zero for an item
// without deadline), computed once per T0. Requires r.mu held.
func (r *Run) dues() []time.Time {
	if r.due != nil && r.dueT0 == r.t0 {
		return r.due
	}
	due := make([]time.Time, len(r.list.Items))
	for i := range r.list.Items {
		if d := r.list.Items[i].Deadline; d != 0 {
			due[i] = r.t0.Add(d)
		}
	}
	r.due, r.dueT0 = due, r.t0
	return due
}

// Pending returns, in list order, the items still to do: pending or
// failed, optional ones included.
func (r *Run) Pending() []Item {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Item
	for i, it := range r.list.Items {
		if !r.items[i].status.satisfied() {
			out = append(out, it.clone())
		}
	}
	return out
}

// Progress counts the items by status, in constant time.
func (r *Run) Progress() Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Progress{
		Done: r.done, Waived: r.waived, Failed: r.failed,
		Total: len(r.items), RequiredPending: r.requiredOpen,
	}
}

// Result returns where the item stands, or an error wrapping
// [ErrNotFound].
func (r *Run) Result(id string) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.index[id]
	if !ok {
		return Result{}, &ChangeError{Op: "result", Item: id, Err: errNotFound}
	}
	return r.result(i), nil
}

// Results returns where every item stands, in list order.
func (r *Run) Results() []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Result, len(r.items))
	for i := range r.items {
		out[i] = r.result(i)
	}
	return out
}

// result requires r.mu held.
func (r *Run) result(i int) Result {
	it := r.list.Items[i]
	st := &r.items[i]
	res := Result{Item: it.clone(), Status: st.status, History: slices.Clone(st.history)}
	if n := len(st.history); n > 0 {
		last := st.history[n-1]
		res.By, res.At, res.Note = last.By, last.At, last.Note
	}
	if it.Deadline != 0 {
		res.Due = r.t0.Add(it.Deadline)
	}
	return res
}
