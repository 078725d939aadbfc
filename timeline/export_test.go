package timeline_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/golden"
	"github.com/mepkit/mepkit/timeline"
)

const hostile = "a|b\nc`d`<script>alert(1)</script> \"q\" 'x' #1; 50% [l](u) *e* :x"

// hostileRun is a run whose step names the exports must defuse. Record
// now refuses the line break of hostile, but a journal recorded before
// that rule holds it, and still reads: the exports must stay safe for
// it.
func hostileRun(t *testing.T, t0 time.Time) []timeline.Entry {
	t.Helper()
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	es := timeline.ChainUnchecked(inTimeOrder([]step{
		{"backup", timeline.NoImpact, m(0), m(10), timeline.Done},
		{hostile, timeline.Outage, m(10), m(25), timeline.Failed},
		{"=cmd|' /C calc'!A0", timeline.Disruption, m(25), m(40), timeline.Done},
		{"observe", timeline.NoImpact, m(40), time.Time{}, 0},
	}))
	require.NoError(t, timeline.Verify(es, nil))
	return es
}

func TestWriteCSV(t *testing.T) {
	es := hostileRun(t, at(2026, 11, 24, 20, 0))
	es = append(es, timeline.Entry{Seq: 99, At: at(2026, 11, 24, 21, 0), Kind: "note", Text: "+SUM(A1)", Attrs: map[string]string{"k": "v,\"w\""}})
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteCSV(&buf, es))
	assert.Contains(t, buf.String(), "\r\n", "RFC 4180 line ends")

	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(es)+1)
	assert.Equal(t, []string{"seq", "at", "kind", "step", "actor", "text", "impact", "outcome", "attrs", "hash"}, rows[0])
	assert.Equal(t, hostile, rows[3][3], "quotes, commas and newlines survive")
	assert.Equal(t, "outage", rows[3][6])
	assert.Equal(t, "'=cmd|' /C calc'!A0", rows[5][3], "formula defused")
	assert.Equal(t, "'+SUM(A1)", rows[len(rows)-1][5])
	assert.Equal(t, `{"k":"v,\"w\""}`, rows[len(rows)-1][8])
	assert.Equal(t, "2026-11-24T20:00:00+01:00", rows[1][1])
}

func TestWriteMarkdownGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteMarkdown(&buf, timeline.Summarize(hostileRun(t, at(2026, 11, 24, 20, 0)))))
	golden.Check(t, "summary.md", buf.Bytes())
	checkMarkdownTable(t, buf.String(), 4)
}

// checkMarkdownTable asserts that the step table has the header, the rule
// and one row per step, each with exactly nine unescaped pipes, and no raw
// HTML.
func checkMarkdownTable(t *testing.T, md string, rows int) {
	t.Helper()
	lines := strings.Split(md, "\n")
	require.GreaterOrEqual(t, len(lines), rows+2)
	for i := 0; i < rows+2; i++ {
		// Count pipes not preceded by a backslash (two in a row count once
		// with this regexp, so count by scanning).
		n := 0
		for k := 0; k < len(lines[i]); k++ {
			if lines[i][k] == '\\' {
				k++
				continue
			}
			if lines[i][k] == '|' {
				n++
			}
		}
		assert.Equal(t, 9, n, "line %d: %q", i+1, lines[i])
	}
	assert.NotContains(t, md, "<script")
	assert.False(t, strings.HasPrefix(lines[rows+2], "|"), "the table ends after its rows")
}

func TestWriteMermaidGolden(t *testing.T) {
	rehearsal := timeline.Summarize(hostileRun(t, at(2026, 11, 10, 21, 0)))
	actual := timeline.Summarize(hostileRun(t, at(2026, 11, 24, 20, 0)))
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteMermaid(&buf, "Cutover: rehearsal vs actual", actual, &rehearsal))
	golden.Check(t, "gantt.mmd", buf.Bytes())
	checkMermaid(t, buf.String())
	assert.Contains(t, buf.String(), "backup (rehearsal) :2026-11-24 20:00:00, 2026-11-24 20:10:00", "the rehearsal is shifted to start with the actual run")

	buf.Reset()
	require.NoError(t, timeline.WriteMermaid(&buf, "", actual, nil))
	assert.NotContains(t, buf.String(), "rehearsal")
	checkMermaid(t, buf.String())
}

// checkMermaid asserts that every task line has a name free of the
// characters that would end it, followed by one data part.
func checkMermaid(t *testing.T, out string) {
	t.Helper()
	task := regexp.MustCompile(`^    ([^:;<>&"'` + "`" + `%\n]+) :(crit, |milestone, )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d, (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|0s)$`)
	entity := regexp.MustCompile(`#\d+;`)
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case line == "gantt", strings.HasPrefix(line, "    section "), strings.HasPrefix(line, "    dateFormat "),
			strings.HasPrefix(line, "    axisFormat "):
		case strings.HasPrefix(line, "    title "):
			assert.NotContains(t, line[10:], ":")
		default:
			// Entity codes such as #58; are how names carry the
			// characters that would otherwise end them.
			assert.Regexp(t, task, entity.ReplaceAllString(line, "E"))
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 45 * time.Second: "45s", 12*time.Minute + 30*time.Second: "12m30s",
		time.Hour + 5*time.Minute: "1h5m", -90 * time.Second: "-1m30s", 1499 * time.Millisecond: "1s",
		26 * time.Hour: "26h", time.Hour + 5*time.Second: "1h0m5s", 12 * time.Minute: "12m",
		-time.Hour: "-1h", 500 * time.Millisecond: "1s", 499 * time.Millisecond: "0s",
	} {
		assert.Equal(t, want, timeline.FormatDuration(d), "%v", d)
		back, err := time.ParseDuration(want)
		require.NoError(t, err)
		assert.Equal(t, d.Round(time.Second), back, "ParseDuration reads %q back", want)
	}
}

func FuzzExports(f *testing.F) {
	f.Add(hostile, "title|x")
	f.Add("", "")
	f.Add("\u2028x\r", "%%{init}%%")
	f.Fuzz(func(t *testing.T, name, title string) {
		if len(name)+len(title) > 512 {
			t.Skip("long input: minimising it stalls the fuzzer; the escapes work rune by rune")
		}
		if _, err := timeline.New(nil).Start(name, "a", timeline.Outage); err != nil {
			t.Skip("a name Record refuses (empty, invalid UTF-8, too long) is not exported")
		}
		t0 := at(2026, 11, 24, 20, 0)
		es := journalOf(t,
			step{name, timeline.Outage, t0, t0.Add(time.Minute), timeline.Failed},
			step{"after", timeline.NoImpact, t0.Add(time.Minute), time.Time{}, 0},
		)
		s := timeline.Summarize(es)
		var md bytes.Buffer
		require.NoError(t, timeline.WriteMarkdown(&md, s))
		checkMarkdownTable(t, md.String(), 2)
		var mm bytes.Buffer
		require.NoError(t, timeline.WriteMermaid(&mm, title, s, &s))
		checkMermaid(t, mm.String())
		var c bytes.Buffer
		require.NoError(t, timeline.WriteCSV(&c, es))
		rows, err := csv.NewReader(&c).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, len(es)+1)
		if !strings.ContainsAny(name[:1], "=+-@\t\r") {
			// encoding/csv drops carriage returns inside quoted fields
			// when reading; everything else must come back.
			noCR := func(s string) string { return strings.ReplaceAll(s, "\r", "") }
			assert.Equal(t, noCR(name), noCR(rows[1][3]))
		}
	})
}

func TestWriteMermaidAcrossFallBack(t *testing.T) {
	// 02:50 CEST + 40 minutes is 02:30 CET: printed in one offset, the bar
	// still ends after it starts.
	start := time.Date(2026, 10, 25, 0, 50, 0, 0, time.UTC).In(paris) // 02:50 CEST, the first pass
	require.Equal(t, 2*3600, func() int { _, off := start.Zone(); return off }())
	s := timeline.Summarize(journalOf(t, step{"migrate", timeline.Outage, start, start.Add(40 * time.Minute), timeline.Done}))
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteMermaid(&buf, "", s, nil))
	assert.Contains(t, buf.String(), "migrate :2026-10-25 02:50:00, 2026-10-25 03:30:00")
}
