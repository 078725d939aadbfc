package checklist

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/jsonstr"
)

// snapshotVersion is the version of the snapshot format.
const snapshotVersion = 1

type snapshot struct {
	Version int        `json:"version"`
	List    snapList   `json:"list"`
	T0      time.Time  `json:"t0"`
	Seq     uint64     `json:"seq"`
	Moves   []snapMove `json:"moves,omitempty"`
	Items   []snapItem `json:"items"`
	Digest  string     `json:"digest,omitempty"`
}

// snapList is the list in a snapshot: read as Parse reads a list, but
// without its size limit, which a snapshot of a list parsed with a larger
// one must not fail.
type snapList struct{ List }

func (s snapList) MarshalJSON() ([]byte, error) { return s.List.MarshalJSON() }

func (s *snapList) UnmarshalJSON(b []byte) error {
	l, err := ParseWith(b, &ParseOptions{MaxBytes: len(b)})
	if err != nil {
		return err
	}
	s.List = l
	return nil
}

type snapItem struct {
	ID      string       `json:"id"`
	History []snapChange `json:"history,omitempty"`
}

type snapChange struct {
	Status Status    `json:"status"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

type snapMove struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// state returns the run's state as a snapshot without digest; canonical
// puts every time in UTC, so that the same instants give the same bytes.
// Requires r.mu held.
func (r *Run) state(canonical bool) snapshot {
	tm := func(t time.Time) time.Time {
		if canonical {
			return t.UTC()
		}
		return t
	}
	s := snapshot{Version: snapshotVersion, List: snapList{r.list}, T0: tm(r.t0), Seq: r.seq,
		Items: make([]snapItem, len(r.items))}
	for _, m := range r.moves {
		s.Moves = append(s.Moves, snapMove{From: tm(m.From), To: tm(m.To), By: m.By, At: tm(m.At), Note: m.Note})
	}
	for i, st := range r.items {
		s.Items[i].ID = r.list.Items[i].ID
		if len(st.history) > 0 {
			s.Items[i].History = make([]snapChange, len(st.history))
			for k, c := range st.history {
				s.Items[i].History[k] = snapChange{Status: c.Status, By: c.By, At: tm(c.At), Note: c.Note}
			}
		}
	}
	return s
}

// digest requires r.mu held. It is computed once per state: every change
// bumps r.seq. It hashes the JSON encoding of r.state(true) as it writes
// it, item by item, in memory bounded by the largest item, and starts from
// the hash of the list, which is computed once per run: its cost is linear
// in the number of changes and items.
func (r *Run) digest() string {
	if r.digestMemo != "" && r.digestSeq == r.seq {
		return r.digestMemo
	}
	h := r.listHash()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	put := func(v any) {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			// Unreachable: the list was validated and statuses are known.
			panic("checklist: digest: " + err.Error())
		}
		h.Write(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}))
	}
	io.WriteString(h, `,"t0":`)
	put(r.t0.UTC())
	io.WriteString(h, `,"seq":`+strconv.FormatUint(r.seq, 10))
	if len(r.moves) > 0 {
		io.WriteString(h, `,"moves":[`)
		for k, m := range r.moves {
			if k > 0 {
				io.WriteString(h, ",")
			}
			put(snapMove{From: m.From.UTC(), To: m.To.UTC(), By: m.By, At: m.At.UTC(), Note: m.Note})
		}
		io.WriteString(h, "]")
	}
	io.WriteString(h, `,"items":[`)
	var b []byte
	for i, st := range r.items {
		// As encoding/json writes a snapItem, without reflection.
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = jsonstr.Append(b, r.list.Items[i].ID)
		if len(st.history) > 0 {
			b = append(b, `,"history":[`...)
			for k, c := range st.history {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"status":"`...)
				b = append(b, statuses.Names[c.Status]...)
				b = append(b, `","by":`...)
				b = jsonstr.Append(b, c.By)
				b = append(b, `,"at":"`...)
				b = c.At.UTC().AppendFormat(b, time.RFC3339Nano)
				b = append(b, '"')
				if c.Note != "" {
					b = append(b, `,"note":`...)
					b = jsonstr.Append(b, c.Note)
				}
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
		h.Write(b)
	}
	io.WriteString(h, "]}")
	r.digestMemo, r.digestSeq = hex.EncodeToString(h.Sum(nil)), r.seq
	return r.digestMemo
}

// listHash returns a SHA-256 hash that has hashed the start of the
// canonical state, up to the end of the list, which never changes in a
// run. Requires r.mu held.
func (r *Run) listHash() hash.Hash {
	h := sha256.New()
	if r.listState != nil {
		if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(r.listState); err == nil {
			return h
		}
		h.Reset()
	}
	b, err := json.Marshal(r.list)
	if err != nil {
		// Unreachable: the list was validated.
		panic("checklist: digest: " + err.Error())
	}
	io.WriteString(h, `{"version":`+strconv.Itoa(snapshotVersion)+`,"list":`)
	h.Write(b)
	if state, err := h.(encoding.BinaryMarshaler).MarshalBinary(); err == nil {
		r.listState = state
	}
	return h
}

// Digest returns the SHA-256, in lowercase hex, of the run's canonical
// state: the list, T0, the reschedules and every item's history, times in
// UTC. Two runs have the same digest exactly when they hold the same
// state, so a go/no-go decision can cite the state it was taken on.
func (r *Run) Digest() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.digest()
}

// Snapshot returns the run's whole state as JSON, with its [Run.Digest]:
// the list, T0, the reschedules and every item's history. [Restore] reads
// it back. Times keep the offset they were given in; the observer is not
// saved.
func (r *Run) Snapshot() ([]byte, error) {
	r.mu.Lock()
	s := r.state(false)
	s.Digest = r.digest()
	r.mu.Unlock()
	return json.Marshal(s)
}

// Restore rebuilds a run of the list l from a [Run.Snapshot]. The snapshot
// must be of this very list: otherwise the error wraps [ErrMismatch] and
// names the first item that differs. A snapshot that is malformed,
// inconsistent or whose digest does not match its content gives an error
// wrapping [ErrInvalid]. Errors are [*SnapshotError]s, or the list's own
// [List.Validate] error.
func Restore(l List, data []byte) (*Run, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, &SnapshotError{Err: wrap(ErrInvalid, "malformed snapshot", err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &SnapshotError{Err: why(ErrInvalid, "data after the snapshot")}
	}
	if s.Version != snapshotVersion {
		return nil, &SnapshotError{Field: "version", Err: why(ErrInvalid, "version %d, want %d", s.Version, snapshotVersion)}
	}
	if err := match(l, s.List.List); err != nil {
		return nil, err
	}
	if s.T0.IsZero() {
		return nil, &SnapshotError{Field: "t0", Err: why(ErrInvalid, "T0 is zero")}
	}
	if !inRange(s.T0) {
		return nil, &SnapshotError{Field: "t0", Err: errTimeRange}
	}
	if len(s.Items) != len(l.Items) {
		return nil, &SnapshotError{Field: "items", Err: why(ErrInvalid, "%d items, want %d", len(s.Items), len(l.Items))}
	}
	r := newRun(l.Clone(), s.T0.Round(0))
	changes := uint64(0)
	for i, si := range s.Items {
		if si.ID != l.Items[i].ID {
			return nil, &SnapshotError{Item: si.ID, Field: "items", Err: why(ErrInvalid, "item #%d is %q", i+1, l.Items[i].ID)}
		}
		for k, c := range si.History {
			if err := r.replay(i, c); err != nil {
				return nil, &SnapshotError{Item: si.ID, Field: fmt.Sprintf("history[%d]", k), Err: why(ErrInvalid, "%s", message(err))}
			}
			changes++
		}
	}
	t0 := time.Time{}
	for k, m := range s.Moves {
		field := fmt.Sprintf("moves[%d]", k)
		switch {
		case m.From.IsZero() || m.To.IsZero() || m.At.IsZero():
			return nil, &SnapshotError{Field: field, Err: why(ErrInvalid, "a time is missing")}
		case !inRange(m.From) || !inRange(m.To) || !inRange(m.At):
			return nil, &SnapshotError{Field: field, Err: errTimeRange}
		case strings.TrimSpace(m.By) == "":
			return nil, &SnapshotError{Field: field, Err: why(ErrInvalid, "who moved T0 is missing")}
		case k > 0 && !m.From.Equal(t0):
			return nil, &SnapshotError{Field: field, Err: why(ErrInvalid, "moves from %s, the previous move went to %s", m.From, t0)}
		}
		t0 = m.To
		r.moves = append(r.moves, Move{From: m.From.Round(0), To: m.To.Round(0), By: m.By, At: m.At.Round(0), Note: m.Note})
		changes++
	}
	if len(s.Moves) > 0 && !t0.Equal(s.T0) {
		return nil, &SnapshotError{Field: "t0", Err: why(ErrInvalid, "T0 is %s, the last move went to %s", s.T0, t0)}
	}
	if s.Seq != changes {
		return nil, &SnapshotError{Field: "seq", Err: why(ErrInvalid, "%d changes counted, the snapshot holds %d", s.Seq, changes)}
	}
	r.seq, r.events = s.Seq, s.Seq
	if got := r.digest(); got != s.Digest {
		return nil, &SnapshotError{Field: "digest", Err: why(ErrInvalid, "the digest does not match the content")}
	}
	return r, nil
}

// replay applies one change of a snapshot's history to item i of a run
// being restored, if it is one a run could have made. Order between items
// is not checked: the history does not say in which order items were done.
func (r *Run) replay(i int, c snapChange) error {
	cur := r.items[i].status
	it := &r.list.Items[i]
	switch {
	case c.Status != Done && c.Status != Failed && c.Status != Waived:
		return fmt.Errorf("status %s", c.Status)
	case strings.TrimSpace(c.By) == "":
		return errNoActor
	case c.At.IsZero():
		return errNoTime
	case !inRange(c.At):
		return errTimeRange
	case c.Status == Done && cur == Done:
		return errAlreadyDone
	case c.Status == Waived && cur == Done:
		return errAlreadyDone
	case c.Status == Waived && cur == Waived:
		return errAlreadyWaived
	case c.Status == Waived && strings.TrimSpace(c.Note) == "":
		return errNoReason
	case c.Status == Waived && !it.Optional && !r.list.WaiveRequired:
		return errNoWaiver
	}
	r.set(i, Change{Status: c.Status, By: c.By, At: c.At.Round(0), Note: c.Note})
	return nil
}

// match reports whether the snapshot's list is l, and names the first
// difference when it is not.
func match(l, s List) error {
	mismatch := func(item, format string, args ...any) error {
		return &SnapshotError{Item: item, Field: "list", Err: why(ErrMismatch, format, args...)}
	}
	switch {
	case l.Name != s.Name:
		return mismatch("", "list %q, want %q", s.Name, l.Name)
	case l.Mode != s.Mode:
		return mismatch("", "mode %s, want %s", s.Mode, l.Mode)
	case l.Ordered != s.Ordered:
		return mismatch("", "ordered %t, want %t", s.Ordered, l.Ordered)
	case l.WaiveRequired != s.WaiveRequired:
		return mismatch("", "waive_required %t, want %t", s.WaiveRequired, l.WaiveRequired)
	}
	for i := range min(len(l.Items), len(s.Items)) {
		switch {
		case l.Items[i].ID != s.Items[i].ID:
			return mismatch(s.Items[i].ID, "item #%d is %q in the list", i+1, l.Items[i].ID)
		case !l.Items[i].equal(s.Items[i]):
			return mismatch(l.Items[i].ID, "the item differs from the list's")
		}
	}
	switch {
	case len(s.Items) > len(l.Items):
		return mismatch(s.Items[len(l.Items)].ID, "not in the list")
	case len(s.Items) < len(l.Items):
		return mismatch(l.Items[len(s.Items)].ID, "missing from the snapshot")
	}
	return nil
}

// Restore replaces the run's state with the one of a [Run.Snapshot] of the
// same list, as the function [Restore] reads it. On error the run is left
// unchanged. The observer is kept and told with a [KindRestore] event. Its
// Seq, and those of the events after it, go on from the larger of the run's
// last Seq and the snapshot's number of changes, so that they never go
// back; the state itself, its [Run.Digest] included, is the snapshot's.
func (r *Run) Restore(data []byte) error {
	nr, err := Restore(r.list, data)
	if err != nil {
		return err
	}
	r.mu.Lock()
	prev := r.t0
	r.t0, r.moves, r.items, r.seq = nr.t0, nr.moves, nr.items, nr.seq
	r.requiredOpen, r.failed, r.done, r.waived = nr.requiredOpen, nr.failed, nr.done, nr.waived
	r.firstOpen, r.readyAt, r.readyDirty = nr.firstOpen, nr.readyAt, nr.readyDirty
	r.digestMemo = ""
	r.events = max(r.events, nr.seq) + 1
	if r.observer != nil {
		r.queue = append(r.queue, Event{
			Seq: r.events, List: r.list.Name, Kind: KindRestore, T0: r.t0, PreviousT0: prev,
		})
	}
	r.mu.Unlock()
	r.deliver()
	return nil
}
