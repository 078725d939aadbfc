package timeline

// ChainUnchecked returns es numbered from 1 and chained without a key, as
// a journal stores them, without checking them: for tests, the entries
// of a journal recorded under rules older than the current ones.
func ChainUnchecked(es []Entry) []Entry {
	out := make([]Entry, len(es))
	c := newChain(nil)
	for i, e := range es {
		e.Seq = uint64(i) + 1
		e.At = e.At.Round(0)
		e.Hash = c.next(&e)
		c.advance()
		out[i] = e
	}
	return out
}
