package report_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// cells splits a Markdown table row into its cells, honouring backslash
// escapes; ok is false when s is not a table row.
func cells(s string) (n int, ok bool) {
	if !strings.HasPrefix(s, "|") || !strings.HasSuffix(s, "|") {
		return 0, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n, true
}

// checkTables reports the first Markdown table row whose cell count is not
// its header's, or a line that looks like a row but is not one.
func checkTables(t *testing.T, doc string) {
	t.Helper()
	want := -1
	for i, line := range strings.Split(doc, "\n") {
		if line == "" {
			want = -1
			continue
		}
		n, ok := cells(line)
		if !ok {
			if want >= 0 {
				t.Fatalf("line %d breaks a table: %q", i+1, line)
			}
			continue
		}
		if want < 0 {
			want = n
			continue
		}
		if n != want {
			t.Fatalf("line %d has %d cells, want %d: %q", i+1, n, want, line)
		}
	}
}

// rawHTML and entity match what a Markdown renderer would take as an HTML
// tag or a character reference: not preceded by a backslash.
var (
	rawHTML = regexp.MustCompile(`(^|[^\\])<[A-Za-z/!?]`)
	entity  = regexp.MustCompile(`(^|[^\\])&[A-Za-z0-9#]+;`)
)

// unprintable returns '?' for a character that breaks or rewrites a
// line when printed, else 0.
func unprintable(r rune) rune {
	if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)) {
		return '?'
	}
	return 0
}

// checkPrintable fails when doc, text for a terminal or a Markdown
// renderer, holds a character that would break a line where a value was
// written, rewrite the terminal (ESC and other controls) or reorder what
// follows (direction overrides); lines end with "\n" only.
func checkPrintable(t *testing.T, what, doc string) {
	t.Helper()
	if i := strings.IndexFunc(doc, func(r rune) bool { return unprintable(r) != 0 }); i >= 0 {
		t.Fatalf("%s holds %q at byte %d", what, []rune(doc[i:])[0], i)
	}
}

// checkInert fails when the Markdown doc holds a tag or an entity that a
// renderer would obey rather than print.
func checkInert(t *testing.T, doc string) {
	t.Helper()
	if m := rawHTML.FindString(doc); m != "" {
		t.Fatalf("raw HTML in the Markdown: %q", m)
	}
	if m := entity.FindString(doc); m != "" {
		t.Fatalf("an entity in the Markdown: %q", m)
	}
}

func FuzzReport(f *testing.F) {
	for _, s := range []string{"", "a|b", "x\ny", "`code`", "<script>alert(1)</script>", "\"q\" & 'a'",
		"\\|", "\\", "]]>", "<!--", "\x00\x01\x7f", "\xff\xfe", "\u2028", "--", "&amp;", "\r\n|",
		"\x1b[2Kforged", "\u009b2J", "evil\u202egnp.exe", "\u2066x\u2069"} {
		f.Add(s, s+"!")
	}
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, a, b string) {
		j := timeline.New(nil)
		// The journal refuses control characters in names: the steps
		// get names it takes, and every other field the raw strings.
		name := func(s string) string { return strings.Map(func(r rune) rune { return cmp.Or(unprintable(r), r) }, s) }
		for i, step := range []string{name(a), name(b), name(a)} {
			at := t0.Add(time.Duration(i) * time.Minute)
			if _, err := j.Record(timeline.Entry{At: at, Kind: timeline.KindStart, Step: step, Actor: name(b), Impact: timeline.Outage}); err != nil {
				t.Skip(err)
			}
			if _, err := j.Record(timeline.Entry{At: at.Add(30 * time.Second), Kind: timeline.KindEnd, Step: step, Actor: name(b)}); err != nil {
				t.Skip(err)
			}
		}
		s := timeline.Summarize(j.Entries())
		r := &report.Report{
			Title: a, Project: b, Phase: a, Actual: s, Rehearsal: &s,
			Phases:    []report.PhaseChange{{From: a, To: b, By: a, Reason: b, At: t0}},
			Decision:  report.Decision{Verdict: a, Reasons: []string{a, b}},
			Votes:     []report.Vote{{Role: a, By: b, Reason: a, Digest: b}},
			Overrides: []string{a},
			Checklist: &report.Checklist{Name: a, Items: []report.ChecklistItem{{ID: a, Title: b, Section: a, Owner: b, Note: a}}},
			Steps:     []report.Step{{ID: a, Title: b, Owner: a, Expected: time.Minute}},
			Actions:   []report.Action{{ID: a, Title: b, Owner: a, Status: b, Meeting: a, Overdue: true}},
			Lessons:   []report.Lesson{{ID: b, Text: a, Action: b, From: a, AppliedBy: b, Applied: true}},
			Notes:     []report.Note{{By: a, Text: b}},
		}
		var md, page, js bytes.Buffer
		if err := r.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		checkTables(t, md.String())
		checkInert(t, md.String())
		checkPrintable(t, "Markdown", md.String())
		if err := r.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if _, err := checkHTML(page.Bytes()); err != nil {
			t.Fatalf("HTML: %v", err)
		}
		if err := r.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatalf("JSON not valid: %s", js.Bytes())
		}
		var txt bytes.Buffer
		if err := r.WriteText(&txt); err != nil {
			t.Fatal(err)
		}
		checkPrintable(t, "text", txt.String())

		h := report.NewHistory(a, []report.RolloutSummary{
			{Name: a, Start: t0, Outcome: report.Done, Duration: time.Minute, EstimatedDuration: time.Minute},
			{Name: b, Start: t0.AddDate(0, 2, 0), Outcome: report.RolledBack},
		}, nil)
		md.Reset()
		page.Reset()
		js.Reset()
		if err := h.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		checkTables(t, md.String())
		if err := h.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		if _, err := checkHTML(page.Bytes()); err != nil {
			t.Fatalf("history HTML: %v", err)
		}
		if err := h.WriteJSON(&js); err != nil || !json.Valid(js.Bytes()) {
			t.Fatalf("history JSON: %v %s", err, js.Bytes())
		}
	})
}

func FuzzOutcomeText(f *testing.F) {
	for _, s := range []string{"planned", "running", "done", "rolled-back", "failed", "", "Done", "rolled back"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var o report.Outcome
		if err := o.UnmarshalText(b); err != nil {
			return
		}
		back, err := o.MarshalText()
		if err != nil || string(back) != string(b) {
			t.Fatalf("%q read as %v, written %q (%v)", b, o, back, err)
		}
	})
}
