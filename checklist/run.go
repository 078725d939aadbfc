package checklist

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Run is one execution of a [List] against an operation starting at T0:
// who checked, failed or waived which item, when, with which note.
//
// Run is safe for simultaneous use by multiple goroutines. A change that
// is refused returns a [*ChangeError] and leaves the run as it was.
//
// Start one with [NewRun] or [Restore]. The zero Run is a run of the empty
// list with a zero T0: it is ready, has no items, and refuses every change
// to an item with [ErrNotFound]. A Run must not be copied after first use.
type Run struct {
	mu sync.Mutex

	list     List
	index    map[string]int
	deps     [][]int // item -> indices of the items it depends on
	section  []int   // item -> its section
	secPos   []int   // item -> its position in its section
	secItems [][]int // section -> its items, in order
	ordered  bool    // ReadDo and Ordered
	purposes [][]int // purpose -> its items, in order

	t0    time.Time
	moves []Move
	items []itemState
	seq   uint64 // changes to the state, as saved in snapshots
	// events is the Seq of the last event: seq, except after a restore
	// that went back, when it keeps increasing.
	events uint64

	// Counters kept up to date by set, for O(1) Ready, Progress.
	requiredOpen int
	failed       int
	done         int
	waived       int
	firstOpen    []int // section -> position of its first required item not satisfied

	// due is when each item is due, T0 plus its deadline (zero: no
	// deadline), for the T0 dueT0; rebuilt when T0 moves, never written in
	// place.
	due   []time.Time
	dueT0 time.Time
	// late remembers, for one state, what Late needs to know that no item
	// is late without reading every item (see lateMemo).
	late lateMemo

	// readyAt is the latest instant among the items that count for
	// ReadyAt; valid unless readyDirty.
	readyAt    time.Time
	readyDirty bool

	// digestMemo is the digest of the state at change number digestSeq;
	// empty when not computed since the last restore.
	digestMemo string
	digestSeq  uint64
	// listState is the state of the SHA-256 of the digest once it has
	// hashed the list; nil until the first digest.
	listState []byte

	observer func(Event)
	queue    []Event
	notifyMu sync.Mutex // held while events are delivered
}

type itemState struct {
	status  Status
	history []Change
	// everFailed: the item failed once, so it counts for ReadyAt even if
	// it is optional.
	everFailed bool
	// satisfiedAt is when the item last went from pending or failed to
	// done or waived; zero while it is neither.
	satisfiedAt time.Time
}

// NewRun starts a run of the list for an operation starting at t0. The list
// is copied and must be valid ([List.Validate]); t0 must not be zero, nor out of
// the years 0-9999 a snapshot can hold ([ErrInvalid]). Every item starts
// [Pending].
func NewRun(l List, t0 time.Time) (*Run, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if t0.IsZero() {
		return nil, &ChangeError{Op: "start", Err: errZeroT0}
	}
	if !inRange(t0) {
		return nil, &ChangeError{Op: "start", Err: errTimeRange}
	}
	return newRun(l.Clone(), t0.Round(0)), nil
}

// newRun builds a run of a valid list that it may keep.
func newRun(l List, t0 time.Time) *Run {
	n := len(l.Items)
	r := &Run{
		list:    l,
		index:   make(map[string]int, n),
		deps:    make([][]int, n),
		section: make([]int, n),
		secPos:  make([]int, n),
		ordered: l.Mode == ReadDo && l.Ordered,
		t0:      t0,
		items:   make([]itemState, n),
	}
	secIndex := map[string]int{}
	for i, it := range l.Items {
		r.index[it.ID] = i
		s, ok := secIndex[it.Section]
		if !ok {
			s = len(r.secItems)
			secIndex[it.Section] = s
			r.secItems = append(r.secItems, nil)
		}
		r.section[i] = s
		r.secPos[i] = len(r.secItems[s])
		r.secItems[s] = append(r.secItems[s], i)
		if it.Purpose != General && it.Purpose.valid() {
			if r.purposes == nil {
				r.purposes = make([][]int, len(purposeNames))
			}
			r.purposes[it.Purpose] = append(r.purposes[it.Purpose], i)
		}
		if !it.Optional {
			r.requiredOpen++
		}
	}
	for i, it := range l.Items {
		if len(it.DependsOn) > 0 {
			r.deps[i] = make([]int, len(it.DependsOn))
			for k, d := range it.DependsOn {
				r.deps[i][k] = r.index[d]
			}
		}
	}
	r.firstOpen = make([]int, len(r.secItems))
	for s := range r.secItems {
		r.advance(s)
	}
	return r
}

// List returns a copy of the run's list.
func (r *Run) List() List {
	return r.list.Clone() // immutable after NewRun: no lock needed
}

// T0 returns the instant the operation starts, as last scheduled.
func (r *Run) T0() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.t0
}

// Observe makes the run report every later change to fn, replacing the
// previous observer; nil stops the reports. Events are delivered one at a
// time, in the order of the changes (see [Event.Seq]), after the change is
// made and outside the run's lock: fn may read the run, and even change
// it. When several goroutines change the run at once, an event may be
// delivered by the goroutine of another change, so that the order holds.
func (r *Run) Observe(fn func(Event)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.observer = fn
}

// Check records that the item was done and verified, by whom, when, with
// an optional note. It fails with a [*ChangeError] wrapping [ErrNotFound]
// for an unknown item; [ErrState] for an item already checked, while an
// item it depends on is neither done nor waived, or, in an ordered READ-DO
// list, while an earlier required item of its section is neither done nor
// waived (ChangeError.Blocker names the item to do first); [ErrInvalid]
// when by or at is missing, or at is out of the years 0-9999 a snapshot
// can hold. A failed or waived item can be checked.
func (r *Run) Check(id, by string, at time.Time, note string) error {
	return r.change(KindCheck, Done, id, by, at, note)
}

// Fail records that the item was tried and failed. A failed item keeps the
// run from being ready until it is checked or waived. Failing is allowed
// in any order and from any status: it records what was seen. It fails
// with [ErrNotFound] for an unknown item, or [ErrInvalid] when by or at is
// missing or out of range.
func (r *Run) Fail(id, by string, at time.Time, note string) error {
	return r.change(KindFail, Failed, id, by, at, note)
}

// Waive records that the item does not apply, with the reason, which is
// required ([ErrInvalid] without one). An optional item can always be
// waived; a required one only if the list allows it (List.WaiveRequired),
// else [ErrState]. A waived item counts as done for dependencies and
// readiness. It also fails with [ErrNotFound] for an unknown item,
// [ErrState] for an item already done or waived, [ErrInvalid] when by or
// at is missing or out of range.
func (r *Run) Waive(id, by string, at time.Time, reason string) error {
	return r.change(KindWaive, Waived, id, by, at, reason)
}

func (r *Run) change(kind string, to Status, id, by string, at time.Time, note string) error {
	r.mu.Lock()
	i, blocker, err := r.allowed(to, id, by, at, note)
	if err != nil {
		r.mu.Unlock()
		return &ChangeError{Op: kind, Item: id, Blocker: blocker, Err: err}
	}
	at = at.Round(0)
	from := r.items[i].status
	r.set(i, Change{Status: to, By: by, At: at, Note: note})
	r.seq++
	r.events++
	if r.observer != nil {
		r.queue = append(r.queue, Event{
			Seq: r.events, List: r.list.Name, Kind: kind, Item: id, Status: to, Previous: from,
			By: by, At: at, Note: note, T0: r.t0, PreviousT0: r.t0,
		})
	}
	r.mu.Unlock()
	r.deliver()
	return nil
}

// Reasons for refusing a change, in [ChangeError.Err] and
// [SnapshotError.Err].
var (
	errNotFound      = why(ErrNotFound, "unknown item")
	errNoActor       = why(ErrInvalid, "who made the change is missing")
	errNoTime        = why(ErrInvalid, "when the change was made is missing")
	errZeroT0        = why(ErrInvalid, "invalid T0: T0 is zero")
	errTimeRange     = why(ErrInvalid, "time out of range: a year from 0 to 9999, in UTC too, and an offset under 24h")
	errNoReason      = why(ErrInvalid, "a waiver needs a reason")
	errAlreadyDone   = why(ErrState, "item already done")
	errAlreadyWaived = why(ErrState, "item already waived")
	errNoWaiver      = why(ErrState, "required item cannot be waived: the list does not allow waiving required items")
)

// allowed returns the index of the item if the change can be made, or
// why not, and the item that must be done first if that is why. Requires
// r.mu held.
func (r *Run) allowed(to Status, id, by string, at time.Time, note string) (int, string, error) {
	i, ok := r.index[id]
	if !ok {
		return 0, "", errNotFound
	}
	if strings.TrimSpace(by) == "" {
		return 0, "", errNoActor
	}
	if at.IsZero() {
		return 0, "", errNoTime
	}
	if !inRange(at) {
		return 0, "", errTimeRange
	}
	cur := r.items[i].status
	it := &r.list.Items[i]
	switch to {
	case Done:
		if cur == Done {
			return 0, "", errAlreadyDone
		}
		for _, d := range r.deps[i] {
			if !r.items[d].status.satisfied() {
				dep := r.list.Items[d].ID
				return 0, dep, why(ErrState, "dependencies not done: %q is %s", dep, r.items[d].status)
			}
		}
		if r.ordered {
			s := r.section[i]
			if first := r.firstOpen[s]; first < r.secPos[i] {
				earlier := r.list.Items[r.secItems[s][first]].ID
				return 0, earlier, why(ErrState, "earlier required items of the section not done: %q comes first", earlier)
			}
		}
	case Waived:
		switch cur {
		case Done:
			return 0, "", errAlreadyDone
		case Waived:
			return 0, "", errAlreadyWaived
		}
		if strings.TrimSpace(note) == "" {
			return 0, "", errNoReason
		}
		if !it.Optional && !r.list.WaiveRequired {
			return 0, "", errNoWaiver
		}
	}
	return i, "", nil
}

// set applies a change to item i and keeps the counters. Requires r.mu
// held.
func (r *Run) set(i int, c Change) {
	st := &r.items[i]
	from := st.status
	required := !r.list.Items[i].Optional
	countedBefore := required || st.everFailed
	st.history = append(st.history, c)
	st.status = c.Status
	if c.Status == Failed {
		st.everFailed = true
	}
	r.count(from, -1)
	r.count(c.Status, +1)
	if required && from.satisfied() != c.Status.satisfied() {
		s := r.section[i]
		if c.Status.satisfied() {
			r.requiredOpen--
			if r.firstOpen[s] == r.secPos[i] {
				r.advance(s)
			}
		} else {
			r.requiredOpen++
			r.firstOpen[s] = min(r.firstOpen[s], r.secPos[i])
		}
	}
	// ReadyAt: the latest instant at which an item that counts became
	// satisfied. Done after waived changes nothing: it was satisfied.
	switch {
	case !from.satisfied() && c.Status.satisfied():
		st.satisfiedAt = c.At
		if (required || st.everFailed) && c.At.After(r.readyAt) {
			r.readyAt = c.At
		}
	case from.satisfied() && !c.Status.satisfied():
		if countedBefore && !st.satisfiedAt.Before(r.readyAt) {
			r.readyDirty = true // it may have been the latest
		}
		st.satisfiedAt = time.Time{}
	}
}

func (r *Run) count(s Status, delta int) {
	switch s {
	case Done:
		r.done += delta
	case Failed:
		r.failed += delta
	case Waived:
		r.waived += delta
	}
}

// advance moves firstOpen[s] to the first required item of section s
// that is not satisfied, from where it is. Requires r.mu held.
func (r *Run) advance(s int) {
	items := r.secItems[s]
	p := r.firstOpen[s]
	for p < len(items) {
		i := items[p]
		if !r.list.Items[i].Optional && !r.items[i].status.satisfied() {
			break
		}
		p++
	}
	r.firstOpen[s] = p
}

// Reschedule moves the run to a new T0; the items' deadlines, relative to
// T0, follow it. The move is kept (see [Run.Moves]) and reported to the
// observer. It fails with [ErrInvalid] for a zero t0, when by or at is
// missing, or for a time out of the years 0-9999 a snapshot can hold.
func (r *Run) Reschedule(t0 time.Time, by string, at time.Time, note string) error {
	var err error
	switch {
	case t0.IsZero():
		err = errZeroT0
	case strings.TrimSpace(by) == "":
		err = errNoActor
	case at.IsZero():
		err = errNoTime
	case !inRange(t0) || !inRange(at):
		err = errTimeRange
	}
	if err != nil {
		return &ChangeError{Op: KindReschedule, Err: err}
	}
	t0, at = t0.Round(0), at.Round(0)
	r.mu.Lock()
	prev := r.t0
	r.t0 = t0
	r.moves = append(r.moves, Move{From: prev, To: t0, By: by, At: at, Note: note})
	r.seq++
	r.events++
	if r.observer != nil {
		r.queue = append(r.queue, Event{
			Seq: r.events, List: r.list.Name, Kind: KindReschedule, By: by, At: at, Note: note,
			T0: t0, PreviousT0: prev,
		})
	}
	r.mu.Unlock()
	r.deliver()
	return nil
}

// Moves returns the reschedules of the run, oldest first.
func (r *Run) Moves() []Move {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.moves)
}

// deliver hands the queued events to the observer, one goroutine at a
// time, in order. A goroutine that finds another delivering leaves its
// events to it: the deliverer looks at the queue again before it stops.
func (r *Run) deliver() {
	for {
		if !r.notifyMu.TryLock() {
			return
		}
		for {
			r.mu.Lock()
			evs, fn := r.queue, r.observer
			r.queue = nil
			r.mu.Unlock()
			if len(evs) == 0 {
				break
			}
			if fn != nil {
				for _, ev := range evs {
					fn(ev)
				}
			}
		}
		r.notifyMu.Unlock()
		r.mu.Lock()
		more := len(r.queue) > 0
		r.mu.Unlock()
		if !more {
			return
		}
	}
}
