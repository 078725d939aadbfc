package timeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// TestRecordRefusesControlCharactersInNames: a kind, a step or an actor
// prints on one line wherever an entry is shown (reports, exports, a
// terminal); one holding a line break, a tab, an escape sequence, a C1
// control or a line separator would forge or rewrite that line. Record
// refuses it, naming the field, and leaves the journal unchanged.
func TestRecordRefusesControlCharactersInNames(t *testing.T) {
	bad := map[string]string{
		"line feed":           "a\nb",
		"carriage return":     "done\rforged",
		"tab":                 "a\tb",
		"escape sequence":     "\x1b[31mred",
		"delete":              "a\x7f",
		"next line (C1)":      "a\u0085b",
		"CSI (C1)":            "a\u009b2J",
		"line separator":      "a\u2028b",
		"paragraph separator": "a\u2029b",
		"right-to-left":       "deploy\u202egnp.exe",
		"isolate":             "a\u2066b\u2069",
	}
	for what, s := range bad {
		for _, tc := range []struct {
			field string
			entry timeline.Entry
		}{
			{"step", timeline.Entry{Kind: timeline.KindStart, Step: s}},
			{"actor", timeline.Entry{Kind: timeline.KindNote, Actor: s, Text: "hello"}},
			{"kind", timeline.Entry{Kind: "x-" + s}},
		} {
			t.Run(what+"/"+tc.field, func(t *testing.T) {
				j := timeline.New(&timeline.Options{Now: fakeClock(at(2026, 11, 24, 20, 0), time.Second)})
				_, err := j.Note("alice", "first")
				require.NoError(t, err)
				before := j.Entries()

				_, err = j.Record(tc.entry)
				require.ErrorIs(t, err, timeline.ErrInvalid)
				var ee *timeline.EntryError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, uint64(2), ee.Seq)
				assert.Contains(t, ee.Detail, tc.field+" ")
				assert.Equal(t, -1, strings.IndexFunc(err.Error(), func(r rune) bool {
					return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
				}), "the error is one printable line: %q", err.Error())
				assert.Equal(t, before, j.Entries(), "a refused entry leaves the journal unchanged")
				_, _, err = j.Queue(tc.entry)
				assert.ErrorIs(t, err, timeline.ErrInvalid, "Queue refuses it too")
			})
		}
	}
}

// TestRecordKeepsFreeText: text may span lines and hold tabs, and names
// may hold spaces and letters of any script: only control characters
// and line separators are refused, and only in names.
func TestRecordKeepsFreeText(t *testing.T) {
	j := timeline.New(nil)
	_, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "Zoë Ørsted", Text: "line one\nline two\tcol"})
	require.NoError(t, err)
	_, err = j.Start("étape 1 — base de données", "Zoë Ørsted", timeline.Outage)
	require.NoError(t, err)
	_, err = j.Record(timeline.Entry{Kind: timeline.KindNote, Attrs: map[string]string{"policy": "a: 1\nb: 2\n"}})
	require.NoError(t, err)
}

// TestOlderNamesWithControlCharactersStillRead: a journal recorded
// before the rule, whose step, actor or kind holds a control character,
// was valid when written: it still reads, verifies, opens, refreshes
// and takes new entries.
func TestOlderNamesWithControlCharactersStillRead(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	legacy := timeline.ChainUnchecked([]timeline.Entry{
		{At: t0, Kind: timeline.KindNote, Actor: "alice", Text: "kick-off"},
		{At: t0.Add(time.Minute), Kind: timeline.KindStart, Step: "dns\nswitch", Actor: "bob\x1b[0m"},
		{At: t0.Add(2 * time.Minute), Kind: "x-\tlegacy", Actor: "ci"},
		{At: t0.Add(3 * time.Minute), Kind: timeline.KindEnd, Step: "dns\nswitch", Actor: "bob\x1b[0m"},
	})
	// Another writer of a shared store appends them: Refresh reads them.
	data := slices.Clone(legacy[:1])
	j, err := timeline.OpenStore(memStore{&data}, &timeline.Options{Now: fakeClock(t0.Add(time.Hour), time.Second)})
	require.NoError(t, err)
	data = append(data, legacy[1:]...)
	news, err := j.Refresh()
	require.NoError(t, err, "Refresh reads what another writer recorded under the older rules")
	assert.Len(t, news, 3)
	_, err = j.Note("alice", "after")
	require.NoError(t, err, "the journal takes new entries")
	require.NoError(t, timeline.Verify(data, nil))

	// A file of them reads, verifies and opens.
	path := filepath.Join(t.TempDir(), "old.jsonl")
	writeEntries(t, path, data)
	got, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, legacy[1].Step, got[1].Step)
	_, _, err = timeline.VerifyFile(path, nil)
	require.NoError(t, err)
	again, err := timeline.Open(path, nil)
	require.NoError(t, err, "the journal opens again")
	assert.Equal(t, 5, again.Len())
	assert.Empty(t, again.Running())
	require.NoError(t, again.Close())
}

func writeEntries(t *testing.T, path string, es []timeline.Entry) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, timeline.WriteJSONL(f, es))
	require.NoError(t, f.Close())
}

// BreaksLine is the test Record applies to names, for writers of text
// that print names from older records.
func TestBreaksLine(t *testing.T) {
	for _, r := range []rune{'\n', '\r', '\t', 0x1b, 0x7f, 0x85, 0x9b, '\u2028', '\u2029', '\u202e', '\u2066', '\u200f'} {
		assert.True(t, timeline.BreaksLine(r), "%U", r)
	}
	for _, r := range []rune{' ', 'a', 'é', '日', '\u00a0', '→', '😀'} {
		assert.False(t, timeline.BreaksLine(r), "%U", r)
	}
}
