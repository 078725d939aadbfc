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
	// A missing or wrong key is not tampering: the error says which key the
	// journal needs.
	err := timeline.Verify(es, nil)
	assert.ErrorIs(t, err, timeline.ErrWrongKey, "a keyed chain does not verify without the key")
	assert.NotErrorIs(t, err, timeline.ErrTampered)
	assert.ErrorContains(t, err, "chained with key "+timeline.KeyID(key)+", and no key was given")
	err = timeline.Verify(es, []byte("wrong"))
	assert.ErrorIs(t, err, timeline.ErrWrongKey)
	assert.NotErrorIs(t, err, timeline.ErrTampered)
	var ke *timeline.KeyError
	require.ErrorAs(t, err, &ke)
	assert.Equal(t, timeline.KeyError{Seq: 1, JournalKeyID: timeline.KeyID(key), KeyID: timeline.KeyID([]byte("wrong"))}, *ke)
	err = timeline.Verify(sample(t, nil), key)
	assert.ErrorIs(t, err, timeline.ErrWrongKey, "an unkeyed chain checked with a key")
	assert.ErrorContains(t, err, "chained without a key")

	// With the right key, an edit is still tampering, even of the first
	// entry, and even an edit of the key identifier.
	es[0].Text = "forged"
	assert.ErrorIs(t, timeline.Verify(es, key), timeline.ErrTampered)
	es = sample(t, key)
	es[1].Hash = timeline.KeyID([]byte("other")) + es[1].Hash[8:]
	assert.ErrorIs(t, timeline.Verify(es, key), timeline.ErrTampered)

	plain := sample(t, nil)
	assert.NotEqual(t, plain[0].Hash, es[0].Hash)
}

func TestKeyID(t *testing.T) {
	assert.Empty(t, timeline.KeyID(nil))
	id := timeline.KeyID([]byte("operations secret"))
	assert.Regexp(t, `^[0-9a-f]{8}$`, id)
	assert.Equal(t, id, timeline.KeyID([]byte("operations secret")))
	assert.NotEqual(t, id, timeline.KeyID([]byte("operations secreT")))
	assert.NotEqual(t, timeline.KeyID([]byte{}), "", "an empty key is a key")
}

// The hash covers the UTC offset that people read, not the zone's name.
func TestHashCoversOffset(t *testing.T) {
	es := sample(t, nil)
	for i := range es {
		_, off := es[i].At.Zone()
		es[i].At = es[i].At.In(time.FixedZone("", off))
	}
	assert.NoError(t, timeline.Verify(es, nil), "the same instant in the same offset is the same entry")
	es[2].At = es[2].At.In(time.FixedZone("", 9*3600))
	err := timeline.Verify(es, nil)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te, "the same instant in another offset is another entry")
	assert.Equal(t, uint64(3), te.Seq)
}

func TestVerifyEmpty(t *testing.T) {
	assert.NoError(t, timeline.Verify(nil, nil))
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes, which on a few kilobytes stalls
			// fuzzing for a minute; two chained entries fit.
			t.Skip("long input")
		}
		entries, _ := timeline.Read(bytesReader(data))
		_ = timeline.Verify(entries, nil)
		_ = timeline.Verify(entries, []byte("k"))
		_ = timeline.Summarize(entries)
	})
}
