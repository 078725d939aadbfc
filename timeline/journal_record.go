package timeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
)

// Record appends e to the journal and returns it as stored, with Seq and
// Hash set. A zero At is taken from the clock, never earlier than the
// journal's latest entry (so a clock stepping back keeps time order); an At
// given by the caller is kept as is, stripped of its monotonic reading.
//
// Record returns an [*EntryError] for an entry that breaks the rules (an
// unknown kind, an end without a running start, a line longer than
// [MaxLineSize] once encoded, a time RFC 3339 cannot carry, a kind, step
// or actor holding a control character such as a line break, a tab or
// ESC, U+2028 or U+2029, or a bidirectional control such as U+202E, ...)
// and leaves the journal unchanged. The last rule is checked only on what
// is recorded: a journal whose older entries hold such names still opens,
// verifies and refreshes.
//
// For a durable journal, Record returns once e is stored. When the store
// reports that another writer appended first (an error wrapping
// [ErrConflict]), nothing of e is stored, nor of the entries recorded
// concurrently after it, and the journal is as it was before them: call
// [Journal.Refresh], check the action again against what the others
// wrote, and record again. Any other storage error is returned to every
// waiting and later Record, since what is stored can no longer be known:
// reopen the journal to continue. After Close, Record returns ErrClosed.
//
// Record is [Journal.Queue] followed by its wait.
func (j *Journal) Record(e Entry) (Entry, error) {
	e, wait, err := j.Queue(e)
	if err != nil {
		return Entry{}, err
	}
	if err := wait(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Queue appends e as [Journal.Record] does, but returns without waiting
// for the store: the entry as it will be stored (Seq and Hash set), and
// wait, which returns once it is stored, with the error Record would
// return then. Entries are stored in the order Queue accepts them, and
// each is checked against those queued before it. A caller that orders
// its facts under a lock of its own queues under that lock and waits
// outside it, so that its concurrent writers share the store's syncs
// (group commit). Call wait exactly once; until it returns, the entry may
// still be dropped (a conflict, a storage error). For a journal in memory
// the entry is stored at once and wait returns nil.
//
// Queue returns Record's errors for an entry that breaks the rules, and
// leaves the journal unchanged then.
func (j *Journal) Queue(e Entry) (Entry, func() error, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.initLocked()
	for j.refreshing && !j.closed {
		j.cond.Wait()
	}
	if j.closed {
		return Entry{}, nil, ErrClosed
	}
	if j.failed != nil {
		return Entry{}, nil, j.failed
	}
	if j.behind != nil {
		// Whatever is appended now chains on a head the store has moved
		// past: it would conflict too.
		return Entry{}, nil, j.behind
	}
	e.Seq = j.seq + 1
	if e.At.IsZero() {
		e.At = j.now().Round(0)
		if e.At.Before(j.lastAt) {
			e.At = j.lastAt
		}
	} else {
		e.At = e.At.Round(0)
	}
	if err := checkNames(&e); err != nil {
		return Entry{}, nil, err
	}
	if err := j.steps.check(&e); err != nil {
		return Entry{}, nil, err
	}
	if len(e.Attrs) == 0 {
		e.Attrs = nil
	} else {
		e = e.clone()
	}
	e.Hash = j.chain.next(&e)
	var err error
	if j.buf, err = checkLine(&e, j.buf); err != nil {
		return Entry{}, nil, err
	}
	j.chain.advance()
	j.markUndo(&e)
	j.steps.apply(&e)
	j.seq = e.Seq
	if e.At.After(j.lastAt) {
		j.lastAt = e.At
	}
	if j.store == nil {
		j.entries.append(e)
		j.durable = e.Seq
	} else {
		j.pending = append(j.pending, e)
	}
	seq, gen := e.Seq, j.gen
	wait := func() error {
		j.mu.Lock()
		err := j.waitStored(seq, gen)
		j.mu.Unlock()
		if err == nil && j.logger != nil {
			j.log(e)
		}
		return err
	}
	return e.clone(), wait, nil
}

// waitStored returns once the entry seq, queued in generation gen, is
// stored, or the error that stops it. Whoever finds no flush running
// stores every queued entry in one batch, so concurrent writers share one
// sync. Requires j.mu held; releases it while storing.
func (j *Journal) waitStored(seq, gen uint64) error {
	for {
		switch {
		case j.gen != gen:
			return j.conflict
		case j.durable >= seq:
			return nil
		case j.failed != nil:
			return j.failed
		case j.flushing:
			j.cond.Wait()
			continue
		}
		if j.lastBatch > 1 {
			// Writers just released by the last flush are about to queue
			// their next entries: let them, so this sync covers them too.
			j.mu.Unlock()
			runtime.Gosched()
			j.mu.Lock()
			if j.flushing || j.gen != gen || j.durable >= seq || j.failed != nil {
				continue
			}
		}
		j.storeBatch()
	}
}

// storeBatch stores every queued entry in one append. Requires j.mu held,
// no flush running and entries queued; releases j.mu while storing.
func (j *Journal) storeBatch() {
	batch := j.pending
	j.pending = j.spare[:0]
	j.flushing = true
	j.mu.Unlock()
	err := j.store.Append(batch)
	j.mu.Lock()
	j.flushing = false
	switch {
	case errors.Is(err, ErrConflict):
		// Nothing of batch is stored, and the entries queued since
		// chain on it: drop them all and go back to the stored state.
		j.conflict = wrapError(fmt.Sprintf("entries %d to %d not stored", batch[0].Seq, j.seq), err)
		j.behind = wrapError(fmt.Sprintf("behind the store since entry %d: refresh first", batch[0].Seq), err)
		j.gen++
		clear(j.pending)
		j.pending = j.pending[:0]
		j.rewind()
	case err != nil:
		j.failed = wrapError("journal unusable after a storage error", err)
	default:
		for _, e := range batch {
			j.entries.append(e)
		}
		j.durable = batch[len(batch)-1].Seq
		j.undoStored(batch)
	}
	j.lastBatch = len(batch)
	clear(batch)
	j.spare = batch[:0]
	j.cond.Broadcast()
}

// rewind forgets the entries assigned but not stored: the chain, the
// steps and the sequence go back to the stored entries, from what
// markUndo kept, in time proportional to the entries forgotten. Requires
// j.mu held.
func (j *Journal) rewind() {
	j.seq = j.durable
	for name, st := range j.undo {
		if st == nil {
			delete(j.steps, name)
			continue
		}
		cp := *st
		j.steps[name] = &cp
	}
	clear(j.undo)
	j.lastAt = j.undoAt
	var head string
	if j.entries.len() > 0 {
		head = j.entries.last().Hash
	}
	j.chain.setHead(head)
}

// markUndo keeps what rewind needs to forget e, the entry being
// assigned: for the first entry after the stored ones, the time of the
// last stored entry; for each step, its state before the first entry
// that changes it. Requires j.mu held.
func (j *Journal) markUndo(e *Entry) {
	if j.seq == j.durable {
		clear(j.undo)
		j.undoAt = j.lastAt
	}
	if e.Kind != KindStart && e.Kind != KindEnd {
		return
	}
	if _, ok := j.undo[e.Step]; ok {
		return
	}
	if j.undo == nil {
		j.undo = steps{}
	}
	var before *stepState
	if st := j.steps[e.Step]; st != nil {
		cp := *st
		before = &cp
	}
	j.undo[e.Step] = before
}

// undoStored moves what rewind restores past batch, just stored, when
// entries assigned after it are still to be stored. Requires j.mu held.
func (j *Journal) undoStored(batch []Entry) {
	if j.seq == j.durable {
		return // the next entry assigned starts afresh
	}
	for i := range batch {
		e := &batch[i]
		if e.At.After(j.undoAt) {
			j.undoAt = e.At
		}
		if e.Kind == KindStart || e.Kind == KindEnd {
			j.undo.apply(e) // its own copies: j.steps is not touched
		}
	}
}

// Refresh reads the entries that other writers appended to the store
// since this journal last read or wrote it, checks that they continue the
// chain and follow the rules of steps, adds them to the journal and
// returns them (copies) in order. It needs a store that implements
// [Tailer]; for a journal in memory it returns nil, and for any other store
// an error. On error the journal is unchanged. Records wait while Refresh
// runs, and Refresh waits for the Records in progress to be stored.
func (j *Journal) Refresh() ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.initLocked()
	for (j.refreshing || j.flushing || len(j.pending) > 0) && !j.closed && j.failed == nil {
		if !j.refreshing && !j.flushing {
			j.storeBatch() // entries queued whose writers have not waited yet
			continue
		}
		j.cond.Wait()
	}
	switch {
	case j.closed:
		return nil, ErrClosed
	case j.failed != nil:
		return nil, j.failed
	case j.store == nil:
		return nil, nil
	}
	t, ok := j.store.(Tailer)
	if !ok {
		return nil, newError(fmt.Sprintf("the store (%T) cannot say what other writers appended: it does not implement Tailer", j.store))
	}
	j.refreshing = true
	since := j.durable
	j.mu.Unlock()
	news, err := t.Since(since)
	j.mu.Lock()
	j.refreshing = false
	j.cond.Broadcast()
	if err != nil {
		return nil, wrapError("refresh", err)
	}
	if len(news) == 0 {
		j.behind = nil
		return nil, nil
	}
	// Check on copies of the chain and the steps, so that a refused
	// entry leaves the journal as it was.
	c := newChain(j.key)
	c.prev = j.chain.prev
	st := make(steps, len(j.steps))
	for name, s := range j.steps {
		cp := *s
		st[name] = &cp
	}
	lastAt := j.lastAt
	for i := range news {
		e := &news[i]
		want := j.durable + uint64(i) + 1
		if e.Seq != want {
			return nil, &TamperError{Seq: want, Index: int(want - 1), Reason: fmt.Sprintf("the store returned seq %d after seq %d", e.Seq, want-1)}
		}
		if !c.matches(e, e.Hash) {
			return nil, &TamperError{Seq: want, Index: int(want - 1), Reason: "hash does not match the entry and its predecessor"}
		}
		if err := st.check(e); err != nil {
			return nil, err
		}
		c.advance()
		st.apply(e)
		if e.At.After(lastAt) {
			lastAt = e.At
		}
	}
	out := make([]Entry, len(news))
	for i := range news {
		e := news[i].clone()
		j.entries.append(e)
		out[i] = e.clone()
	}
	j.chain, j.steps, j.lastAt = c, st, lastAt
	j.seq = news[len(news)-1].Seq
	j.durable = j.seq
	j.behind = nil
	return out, nil
}

func (j *Journal) log(e Entry) {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.Uint64("seq", e.Seq), slog.Time("at", e.At), slog.String("kind", e.Kind))
	if e.Step != "" {
		attrs = append(attrs, slog.String("step", e.Step))
	}
	if e.Actor != "" {
		attrs = append(attrs, slog.String("actor", e.Actor))
	}
	if e.Text != "" {
		attrs = append(attrs, slog.String("text", e.Text))
	}
	if e.Kind == KindStart {
		attrs = append(attrs, slog.String("impact", e.Impact.String()))
	}
	if e.Kind == KindEnd {
		attrs = append(attrs, slog.String("outcome", e.Outcome.String()))
	}
	for _, k := range sortedKeys(e.Attrs) {
		attrs = append(attrs, slog.String(k, e.Attrs[k]))
	}
	j.logger.LogAttrs(context.Background(), slog.LevelInfo, "timeline: "+e.Kind, attrs...)
}
