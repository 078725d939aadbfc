package timeline

import "errors"

// ErrConflict is wrapped by a [Store]'s Append when the store's record
// moved on (another writer appended first); nothing was stored.
var ErrConflict = errors.New("timeline: record moved on")

// Tailer is an optional [Store] extension for catching up with other
// writers of the same record.
type Tailer interface {
	// Since returns the stored entries with Seq > seq, in order.
	Since(seq uint64) ([]Entry, error)
}
