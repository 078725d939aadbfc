package mep

import (
	"errors"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// The path of a fact from a call to the record: record, queue (prepare,
// check, append, apply), then the store's sync, outside the lock.

// record writes ev: under the project's lock it prepares ev (see
// preparer), checks it against the state, queues it in the journal, which
// gives it its place in the record, and applies it; then, with the lock
// released, it waits until the store holds it, so that concurrent writers
// share the store's syncs. A refused event appends nothing.
//
// An event is applied when it is queued, before it is stored: the checks
// of the writers that follow it see it. If the store then refuses it,
// the state is folded again from what the store holds (resync). When
// another writer appended first (timeline.ErrConflict), the project reads
// their entries and tries again, up to maxAttempts times in a row, then
// gives up with [timeline.ErrConflict]. The chain never forks.
func (p *Project) record(ev event) error {
	for range maxAttempts {
		wait, epoch, err := p.queue(ev)
		if err == nil {
			if err = wait(); err == nil {
				return nil
			}
		}
		if errors.Is(err, errNothing) {
			return nil
		}
		if !errors.Is(err, timeline.ErrConflict) {
			if wait != nil { // queued, then refused by the store
				p.resync(epoch, false)
			}
			return err
		}
		if err := p.resync(epoch, true); err != nil {
			return err
		}
	}
	return errorf("%d attempts met the writes of others: %w", maxAttempts, timeline.ErrConflict)
}

// maxAttempts is how many times a write is tried against a record that
// other writers keep moving.
const maxAttempts = 8

// queue prepares, checks, queues and applies ev under p.mu, and returns
// the journal's wait and the epoch of the state it was applied to.
func (p *Project) queue(ev event) (func() error, uint64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.catchUp(); err != nil {
		return nil, p.epoch, err
	}
	if pr, ok := ev.(preparer); ok {
		if err := pr.prepare(p, p.st); err != nil {
			return nil, p.epoch, err
		}
	}
	now, err := p.recordedAt(ev)
	if err != nil {
		return nil, p.epoch, err
	}
	prev, late := p.st.now, now.Sub(ev.when()) >= lateAfter
	// What check and apply judge the event on, as replay will: when it
	// was recorded if that was late, else when it says it happened;
	// never before an earlier fact.
	if rec := ev.when(); late {
		p.st.now = now
	} else if rec.After(prev) {
		p.st.now = rec
	}
	p.st.writing = true
	err = p.st.admit(ev)
	p.st.writing = false
	if err != nil {
		p.st.now = prev
		return nil, p.epoch, err
	}
	var entry timeline.Entry
	entry, p.scratch = encodeBuf(ev, p.scratch)
	if late {
		if entry.Attrs == nil {
			entry.Attrs = make(map[string]string, 1)
		}
		entry.Attrs[attrRecorded] = now.Format(time.RFC3339Nano)
	}
	if err := oneLine(ev, &entry); err != nil {
		p.st.now = prev
		return nil, p.epoch, err
	}
	if err := readsBack(ev, &entry, p.loc); err != nil {
		p.st.now = prev
		return nil, p.epoch, err
	}
	e, stored, err := p.journal.Queue(entry)
	if err != nil {
		p.st.now = prev
		return nil, p.epoch, errorf("record %s: %w", ev.kind(), err)
	}
	ev.apply(p.st)
	p.st.seq = e.Seq
	return func() error {
		if err := stored(); err != nil {
			return errorf("record %s: %w", ev.kind(), err)
		}
		return nil
	}, p.epoch, nil
}

// readsBack reports a *FieldError when replay could not read the entry
// of ev back (a time past the year 9999, a value that did not encode):
// what would make the record unopenable is never appended.
func readsBack(ev event, e *timeline.Entry, loc *time.Location) error {
	_, err := decodeAs(&dec{e: e, loc: loc, readBack: true})
	var fe *FieldError
	if err == nil || !errors.As(err, &fe) {
		return err
	}
	return fieldErr(ev.kind()+"."+fe.Field, fe.Value, "cannot be recorded: "+fe.Reason)
}

// oneLine reports a *FieldError when the actor of the entry of ev (its
// "by") holds a control character, a line separator or a direction
// override (see breaksLine), which the journal refuses: named as the
// event's field rather than as the journal's error. (An event's step is
// an attribute, which the journal does not check: a step ID is checked
// with its runbook.)
func oneLine(ev event, e *timeline.Entry) error {
	if breaksLine(e.Actor) {
		return fieldErr(ev.kind()+".by", e.Actor, notOneLine)
	}
	return nil
}

// lateAfter is how much earlier than its recording a fact may say it
// happened before the record keeps when it was recorded (attrRecorded).
const lateAfter = time.Minute

// attrRecorded is the attribute of an entry recorded late: when the
// project's clock recorded it, in RFC 3339. Without it, the entry's At.
const attrRecorded = "recorded"

// recordedLate returns the time by which the method judges a fact that
// says it happened at at and was recorded at recorded: recorded, when
// later; and note with, for a fact recorded lateAfter or more after it
// happened, when it says it happened, so that reports show both.
func recordedLate(at, recorded time.Time, note string) (time.Time, string) {
	if !recorded.After(at) {
		return at, note
	}
	if recorded.Sub(at) >= lateAfter {
		late := "recorded late: happened " + at.Format("2006-01-02 15:04 MST")
		if note == "" {
			note = late
		} else {
			note = late + "; " + note
		}
	}
	return recorded, note
}

// recordedAt returns when the project records ev: the project's clock,
// never before the last fact recorded (a clock that steps back does not
// reorder the record). It refuses an event that says it happens later
// than that: a fact is recorded when it happened or after, never before.
// Requires p.mu held.
func (p *Project) recordedAt(ev event) (time.Time, error) {
	now := p.now()
	if now.Before(p.st.now) {
		now = p.st.now
	}
	if t := ev.when(); t.After(now) {
		return time.Time{}, fieldErr(ev.kind()+".at", t.Format(time.RFC3339),
			"later than the project's clock ("+now.Format(time.RFC3339)+"): a fact is recorded once it happened, never before")
	}
	return now, nil
}

// resync folds the state again from what the store holds, after the
// store refused an event queued in epoch (the events applied since it was
// queued may be gone with it), unless another writer of this project has
// done so since; with refresh, it then reads what other writers appended.
func (p *Project) resync(epoch uint64, refresh bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if epoch == p.epoch {
		if err := p.rebuildLocked(); err != nil {
			return err
		}
	}
	if refresh {
		return p.refreshLocked()
	}
	return nil
}

// rebuildLocked folds the state again from the journal's stored entries
// and starts a new epoch. Requires p.mu held.
func (p *Project) rebuildLocked() error {
	st, err := replay(p.journal.Entries(), p.loc)
	if err != nil {
		return err
	}
	p.st = p.keepAttached(st)
	p.epoch++
	return nil
}

// keepAttached carries what is not in the record (the policies attached
// to each rollout) over to st, a state folded again, and returns it.
func (p *Project) keepAttached(st *state) *state {
	for name, old := range p.st.byName {
		if r := st.byName[name]; r != nil {
			r.user, r.attached = old.user, old.attached // the set checked is built again from it
		}
	}
	return st
}

// refreshLocked reads what other writers appended to the record and folds
// it. Requires p.mu held.
func (p *Project) refreshLocked() error {
	news, err := p.journal.Refresh()
	if err != nil {
		return errorf("read what other writers recorded: %w", err)
	}
	if len(news) > 0 && news[0].Seq != p.st.seq+1 {
		// The state holds events of this project that the store did not
		// keep: fold everything again.
		return p.rebuildLocked()
	}
	for i := range news {
		if err := p.st.applyEntry(&news[i], p.loc); err != nil {
			return err
		}
	}
	return p.catchUp()
}

// catchUp folds the entries that the journal holds and the state has not
// seen, if any: those that a failed fold left behind. Requires p.mu held.
func (p *Project) catchUp() error {
	seq, _ := p.journal.Head()
	if seq <= p.st.seq {
		return nil // the state has them all, and maybe some still queued
	}
	entries := p.journal.Entries()
	for i := range entries {
		if entries[i].Seq <= p.st.seq {
			continue
		}
		if err := p.st.applyEntry(&entries[i], p.loc); err != nil {
			return err
		}
	}
	return nil
}
