package timeline_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// partStore is a memStore that also hands its entries over in parts of
// size per (a PartLoader), and counts how it was read.
type partStore struct {
	memStore
	per          int
	loads, parts int
	err          error // returned after the first part, when set
}

func (p *partStore) Load() ([]timeline.Entry, error) {
	p.loads++
	return p.memStore.Load()
}

func (p *partStore) LoadParts(part func([]timeline.Entry) error) error {
	es := append([]timeline.Entry(nil), *p.data...)
	for len(es) > 0 {
		n := min(p.per, len(es))
		p.parts++
		if err := part(es[:n:n]); err != nil {
			return err
		}
		if p.err != nil {
			return p.err
		}
		es = es[n:]
	}
	return nil
}

func partsRecord(t *testing.T, n int) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for i := range n {
		switch i % 3 {
		case 0:
			_, err := j.Start("s", "ops", timeline.Outage)
			require.NoError(t, err)
		case 1:
			_, err := j.Note("ops", "a note")
			require.NoError(t, err)
		case 2:
			_, err := j.End("s", "ops", timeline.Done)
			require.NoError(t, err)
		}
	}
	return j.Entries()
}

func TestOpenStoreReplaysParts(t *testing.T) {
	data := partsRecord(t, 10)
	s := &partStore{memStore: memStore{&data}, per: 3}
	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, s.loads, "LoadParts, not Load")
	assert.Equal(t, 4, s.parts)
	assert.Equal(t, data, j.Entries())
	seq, hash := j.Head()
	assert.Equal(t, uint64(10), seq)
	assert.Equal(t, data[9].Hash, hash)
	assert.Equal(t, []string{"s"}, j.Running(), "the steps replayed across parts")

	// The journal continues the chain after the parts.
	e, err := j.Start("t", "ops", timeline.NoImpact)
	require.NoError(t, err)
	assert.Equal(t, uint64(11), e.Seq)
	require.NoError(t, j.Close())
	assert.NoError(t, timeline.Verify(data, nil))
	assert.Len(t, data, 11)
}

func TestOpenStoreRefusesABrokenPart(t *testing.T) {
	data := partsRecord(t, 10)
	data[7].Text = "rewritten"
	s := &partStore{memStore: memStore{&data}, per: 3}
	_, err := timeline.OpenStore(s, nil)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(8), te.Seq)
	assert.Equal(t, 3, s.parts, "no part after the broken one")

	// An error of the read itself is returned.
	data = partsRecord(t, 10)
	lost := errors.New("connection lost")
	_, err = timeline.OpenStore(&partStore{memStore: memStore{&data}, per: 3, err: lost}, nil)
	assert.ErrorIs(t, err, lost)

}
