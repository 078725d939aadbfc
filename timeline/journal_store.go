package timeline

// Store keeps the entries of a durable journal. A [FileStore] is one; a
// database table shared by several writers could be another. Check an
// implementation with timelinetest.TestStore.
//
// A journal calls Load once, before any Append, then Append (and Since, for
// a [Tailer]) from one goroutine at a time, then Close once.
type Store interface {
	// Load returns every stored entry, in sequence order.
	Load() ([]Entry, error)
	// Append stores batch, one or more entries in sequence order, after
	// the stored entries, and returns once they are durable. batch[0].Seq
	// must be the last stored seq + 1. If another writer appended first,
	// Append stores nothing and returns an error wrapping [ErrConflict]. If
	// the entries with those seqs are already stored with identical hashes
	// (a retry after an unknown outcome, such as a connection lost during a
	// commit), Append returns nil and stores nothing again: (seq, hash) is
	// the idempotency key. On any other error, the store must not be left
	// with part of an entry; whether whole entries of the batch were kept
	// may be unknown. The journal reuses batch after Append returns: a
	// store keeps copies, never the slice.
	Append(batch []Entry) error
	// Close releases the store.
	Close() error
}

// Tailer is an optional [Store] extension for catching up with other
// writers: [Journal.Refresh] uses it.
type Tailer interface {
	// Since returns the stored entries with Seq > seq, in order.
	Since(seq uint64) ([]Entry, error)
}

// PartLoader is an optional [Store] extension for a store that reads its
// entries in parts as they arrive, from a database say: [OpenStore] then
// verifies and replays each part while the store reads the next, rather
// than all of them once Load returns.
type PartLoader interface {
	// LoadParts calls part with every stored entry, as Load returns them,
	// in consecutive parts, one call at a time, and returns the first
	// error of the read or of part (after which it calls part no more).
	// The journal keeps each part: the store must not modify it after
	// handing it over.
	LoadParts(part func([]Entry) error) error
}

// Recovery reports what opening a journal file repaired.
type Recovery struct {
	TornBytes int64 `json:"torn_bytes"` // bytes of an incomplete last line that were truncated; 0: none
	TornLine  int   `json:"torn_line"`  // the 1-based number of that line; 0: none
}
