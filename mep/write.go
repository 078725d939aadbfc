package mep

import (
	"errors"
	"fmt"

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
// gives up with [ErrConflict]. The chain never forks.
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
	return fmt.Errorf("mep: %d attempts met the writes of others: %w", maxAttempts, ErrConflict)
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
	if err := p.st.admit(ev); err != nil {
		return nil, p.epoch, err
	}
	var entry timeline.Entry
	entry, p.scratch = encodeBuf(ev, p.scratch)
	e, stored, err := p.journal.Queue(entry)
	if err != nil {
		return nil, p.epoch, fmt.Errorf("mep: record %s: %w", ev.kind(), err)
	}
	ev.apply(p.st)
	p.st.seq = e.Seq
	return func() error {
		if err := stored(); err != nil {
			return fmt.Errorf("mep: record %s: %w", ev.kind(), err)
		}
		return nil
	}, p.epoch, nil
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
			r.user = old.user // the set checked is built again from it
		}
	}
	return st
}

// refreshLocked reads what other writers appended to the record and folds
// it. Requires p.mu held.
func (p *Project) refreshLocked() error {
	news, err := p.journal.Refresh()
	if err != nil {
		return fmt.Errorf("mep: read what other writers recorded: %w", err)
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
