package timeline

// chunkSize is the number of entries per chunk of an entryLog.
const chunkSize = 1024

// entryLog is an append-only list of entries kept in fixed-size chunks, so
// that appending never copies what is already stored. The zero value is
// empty and ready to use.
type entryLog struct {
	chunks [][]Entry
	n      int
}

// adopt makes es (owned by the log from now on) its next chunk.
func (l *entryLog) adopt(es []Entry) {
	if len(es) > 0 {
		l.chunks = append(l.chunks, es[:len(es):len(es)])
		l.n += len(es)
	}
}

func (l *entryLog) append(e Entry) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == cap(l.chunks[last]) {
		l.chunks = append(l.chunks, make([]Entry, 0, chunkSize))
		last++
	}
	l.chunks[last] = append(l.chunks[last], e)
	l.n++
}

func (l *entryLog) len() int { return l.n }

// last returns the last entry; the log must not be empty.
func (l *entryLog) last() Entry {
	c := l.chunks[len(l.chunks)-1]
	return c[len(c)-1]
}

// all returns a copy of every entry, each with its own Attrs.
func (l *entryLog) all() []Entry {
	out := make([]Entry, 0, l.n)
	for _, c := range l.chunks {
		for i := range c {
			out = append(out, c[i].clone())
		}
	}
	return out
}
