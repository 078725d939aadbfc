package timeline_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func TestJSONLRoundTrip(t *testing.T) {
	es := sample(t, nil)
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&buf, es))
	got, err := timeline.Read(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	require.Len(t, got, len(es))
	for i := range es {
		assert.True(t, es[i].At.Equal(got[i].At))
		got[i].At = es[i].At
	}
	assert.Equal(t, es, got)
	assert.NoError(t, timeline.Verify(got, nil))

	var again bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&again, got))
	assert.Equal(t, buf.String(), again.String(), "reading and writing back gives the same bytes")
	assert.Contains(t, buf.String(), `"impact":"outage"`)
	assert.Contains(t, buf.String(), `"at":"2026-11-24T20:01:00+01:00"`)
}

func TestReadErrors(t *testing.T) {
	good := `{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}`
	tests := []struct {
		name     string
		in       string
		wantLine int
		wantN    int
		contains string
	}{
		{"bad json", good + "\n{oops\n", 2, 1, "line 2"},
		{"unknown field", good + "\n" + `{"seq":2,"at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab","extra":1}` + "\n", 2, 1, "extra"},
		{"trailing data", good + " 42\n", 1, 0, "trailing"},
		{"empty line", good + "\n\n" + good + "\n", 2, 1, "line 2"},
		{"missing time", `{"seq":1,"kind":"note","hash":"ab"}` + "\n", 1, 0, "at"},
		{"zero time", good + "\n" + `{"seq":2,"at":"0001-01-01T00:00:00Z","kind":"note","hash":"ab"}` + "\n", 2, 1, "zero time"},
		{"bad impact", `{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"start","step":"s","impact":"huge","hash":"ab"}` + "\n", 1, 0, "impact"},
		{"torn last line", good + "\n" + `{"seq":2,"at":"2026-11-2`, 2, 1, "torn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := timeline.Read(strings.NewReader(tt.in))
			require.Error(t, err)
			var le *timeline.LineError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.wantLine, le.Line)
			assert.Contains(t, err.Error(), tt.contains)
			assert.Len(t, got, tt.wantN, "the entries before the bad line are returned")
		})
	}
}

// A line that holds no entry, or ends inside one, says so, rather than
// the decoder's "EOF".
func TestReadSaysWhatALineLacks(t *testing.T) {
	good := `{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}`
	for in, want := range map[string]string{
		good + "\n\n":                   "line 2: empty line: a journal writes none",
		good + "\n \t \n":               "line 2: blank line: a journal writes none",
		good + "\n" + `{"seq":2` + "\n": "line 2: the line ends inside its entry",
		good + "\n" + `{"seq":2`:        "line 2: torn last line: the line ends inside its entry",
		"\ufeff" + good + "\n":          "line 1: a byte order mark: a journal writes none",
	} {
		_, err := timeline.Read(strings.NewReader(in))
		require.Error(t, err, "%q", in)
		assert.EqualError(t, err, "timeline: "+want, "%q", in)
	}
	_, err := timeline.DecodeLine("")
	assert.EqualError(t, err, "empty line: a journal writes none")
}

// A time is required: what Read refuses, WriteJSONL does not write.
func TestWriteJSONLRefusesTheZeroTime(t *testing.T) {
	err := timeline.WriteJSONL(io.Discard, []timeline.Entry{{Seq: 1, Kind: timeline.KindNote}})
	var ee *timeline.EntryError
	require.ErrorAs(t, err, &ee)
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.Contains(t, err.Error(), "no time")
}

func TestReadTornWrite(t *testing.T) {
	_, err := timeline.Read(strings.NewReader(`{"seq":1,"at":"2026`))
	assert.ErrorIs(t, err, timeline.ErrTornWrite)
}

func TestReadLastLineWithoutNewline(t *testing.T) {
	got, err := timeline.Read(strings.NewReader(`{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab"}`))
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func TestReadLineTooLong(t *testing.T) {
	long := `{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"note","text":"` + strings.Repeat("x", timeline.MaxLineSize) + `","hash":"ab"}` + "\n"
	_, err := timeline.Read(strings.NewReader(long))
	require.ErrorIs(t, err, timeline.ErrLineTooLong)
	var le *timeline.LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Line)

	// An endless line without a newline is refused too, without reading it all.
	_, err = timeline.Read(io.LimitReader(neverEnding{}, 64<<20))
	assert.ErrorIs(t, err, timeline.ErrLineTooLong)
}

type neverEnding struct{}

func (neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestReadKeepsOffset(t *testing.T) {
	got, err := timeline.Read(strings.NewReader(`{"seq":1,"at":"2026-07-01T20:00:00+05:30","kind":"note","hash":"ab"}` + "\n"))
	require.NoError(t, err)
	_, off := got[0].At.Zone()
	assert.Equal(t, 5*3600+1800, off)
	assert.True(t, got[0].At.Equal(time.Date(2026, 7, 1, 14, 30, 0, 0, time.UTC)))
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}` + "\n"))
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"start","step":"a|b","impact":"outage","attrs":{"k":"v"},"hash":"ab"}` + "\n{"))
	f.Add([]byte("\n\n"))
	f.Add([]byte(`{"seq":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on a few kilobytes it stands
			// still for a minute. Two lines fit; long lines have tests
			// of their own.
			t.Skip("long input")
		}
		entries, err := timeline.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever decodes writes back, byte for byte: a line Read
		// accepts is the canonical encoding of its entry (a last line
		// may lack its newline).
		var buf bytes.Buffer
		require.NoError(t, timeline.WriteJSONL(&buf, entries), "what Read accepts, WriteJSONL writes")
		want := string(data)
		if want != "" && !strings.HasSuffix(want, "\n") {
			want += "\n"
		}
		require.Equal(t, want, buf.String())
		again, err := timeline.Read(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		require.Len(t, again, len(entries))
		var buf2 bytes.Buffer
		require.NoError(t, timeline.WriteJSONL(&buf2, again))
		require.Equal(t, buf.String(), buf2.String())
	})
}

// A last line without its newline that decodes is not torn, even when the
// journal refuses the entry it holds: a time RFC 3339 cannot keep is
// refused as on any other line, without ErrTornWrite.
func TestReadLastLineThatDecodesIsNotTorn(t *testing.T) {
	for _, line := range []string{
		`{"seq":1,"at":"2026-11-24T20:00:00+24:00","kind":"note","hash":"ab"}`,
		`{"seq":1, "at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab"}`,
	} {
		_, err := timeline.Read(strings.NewReader(line))
		var le *timeline.LineError
		require.ErrorAs(t, err, &le, line)
		assert.Equal(t, 1, le.Line)
		assert.NotErrorIs(t, err, timeline.ErrTornWrite, line)
		_, complete := timeline.Read(strings.NewReader(line + "\n"))
		assert.Equal(t, complete.Error(), err.Error(), line)
	}
}

func TestDecodeLineChecksAsEntries(t *testing.T) {
	j := timeline.New(nil)
	_, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "ops", Text: "a <note>", Attrs: map[string]string{"ticket": "CHG-1"}})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&buf, j.Entries()))
	line := strings.TrimSuffix(buf.String(), "\n")

	e, err := timeline.DecodeLine(line)
	require.NoError(t, err)
	want, err := timeline.Read(strings.NewReader(buf.String()))
	require.NoError(t, err)
	assert.Equal(t, want[0], e)

	for name, bad := range map[string]string{
		"empty":         "",
		"malformed":     line[:len(line)-1],
		"not canonical": strings.Replace(line, `"kind":"note"`, `"kind": "note"`, 1),
	} {
		_, err := timeline.DecodeLine(bad)
		var lerr error
		for _, err := range timeline.Entries(strings.NewReader(bad + "\n")) {
			lerr = err
			break
		}
		require.Error(t, err, name)
		var le *timeline.LineError
		require.ErrorAs(t, lerr, &le, name)
		assert.Equal(t, le.Err.Error(), err.Error(), "%s: the error of Entries for the line", name)
		assert.Equal(t, errors.Is(lerr, timeline.ErrTampered), errors.Is(err, timeline.ErrTampered), name)
	}
	_, err = timeline.DecodeLine(line + "\n")
	assert.ErrorIs(t, err, timeline.ErrTampered, "a newline after the line")
	_, err = timeline.DecodeLine(strings.Repeat("x", timeline.MaxLineSize+1))
	assert.ErrorIs(t, err, timeline.ErrLineTooLong)
}
