package timeline_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func sample(t *testing.T, key []byte) []timeline.Entry {
	t.Helper()
	j := timeline.New(&timeline.Options{Key: key, Now: fakeClock(at(2026, 11, 24, 20, 0), time.Minute)})
	_, err := j.Note("alice", "go")
	require.NoError(t, err)
	_, err = j.Start("dns", "bob", timeline.Outage)
	require.NoError(t, err)
	_, err = j.Record(timeline.Entry{Kind: timeline.KindNote, Text: "ticket", Attrs: map[string]string{"id": "CHG-7", "b": "2"}})
	require.NoError(t, err)
	_, err = j.End("dns", "bob", timeline.Done)
	require.NoError(t, err)
	_, err = j.Note("alice", "done")
	require.NoError(t, err)
	return j.Entries()
}

func TestVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]timeline.Entry) []timeline.Entry
		wantSeq uint64
	}{
		{"text changed", func(es []timeline.Entry) []timeline.Entry { es[2].Text = "other"; return es }, 3},
		{"time changed", func(es []timeline.Entry) []timeline.Entry { es[1].At = es[1].At.Add(time.Second); return es }, 2},
		{"attr changed", func(es []timeline.Entry) []timeline.Entry { es[2].Attrs["id"] = "CHG-8"; return es }, 3},
		{"attr added", func(es []timeline.Entry) []timeline.Entry { es[0].Attrs = map[string]string{"x": "y"}; return es }, 1},
		{"impact changed", func(es []timeline.Entry) []timeline.Entry { es[1].Impact = timeline.NoImpact; return es }, 2},
		{"hash replaced", func(es []timeline.Entry) []timeline.Entry { es[4].Hash = es[3].Hash; return es }, 5},
		{"entry deleted", func(es []timeline.Entry) []timeline.Entry { return slices.Delete(es, 1, 2) }, 2},
		{"entry inserted", func(es []timeline.Entry) []timeline.Entry {
			return slices.Insert(es, 2, timeline.Entry{Seq: 3, Kind: "note", At: es[1].At})
		}, 3},
		{"entries swapped", func(es []timeline.Entry) []timeline.Entry { es[2], es[3] = es[3], es[2]; return es }, 3},
		{"renumbered after a deletion", func(es []timeline.Entry) []timeline.Entry {
			es = slices.Delete(es, 1, 2)
			for i := range es {
				es[i].Seq = uint64(i + 1)
			}
			return es
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := sample(t, nil)
			require.NoError(t, timeline.Verify(es, nil))
			err := timeline.Verify(tt.tamper(es), nil)
			require.ErrorIs(t, err, timeline.ErrTampered)
			var te *timeline.TamperError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.wantSeq, te.Seq)
		})
	}
}

func TestVerifyWithKey(t *testing.T) {
	key := []byte("operations secret")
	es := sample(t, key)
	assert.NoError(t, timeline.Verify(es, key))
	assert.ErrorIs(t, timeline.Verify(es, nil), timeline.ErrTampered, "a keyed chain does not verify without the key")
	assert.ErrorIs(t, timeline.Verify(es, []byte("wrong")), timeline.ErrTampered)

	plain := sample(t, nil)
	assert.NotEqual(t, plain[0].Hash, es[0].Hash)
}

func TestHashIgnoresLocation(t *testing.T) {
	es := sample(t, nil)
	for i := range es {
		es[i].At = es[i].At.UTC()
	}
	assert.NoError(t, timeline.Verify(es, nil), "the same instant in another zone is the same entry")
}

func TestVerifyEmpty(t *testing.T) {
	assert.NoError(t, timeline.Verify(nil, nil))
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := timeline.Read(bytesReader(data))
		_ = timeline.Verify(entries, nil)
		_ = timeline.Verify(entries, []byte("k"))
		_ = timeline.Summarize(entries)
	})
}
