package timeline

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// timeLayout is how exports print instants: in the location they were
// recorded in, with its abbreviation.
const timeLayout = "2006-01-02 15:04:05 MST"

// WriteCSV writes entries as RFC 4180 CSV with a header row and one row per
// entry: seq, at (RFC 3339), kind, step, actor, text, impact, outcome,
// attrs (a JSON object) and hash. Text cells that a spreadsheet would take
// for a formula (starting with =, +, -, @, tab or carriage return) are
// prefixed with a single quote.
func WriteCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"seq", "at", "kind", "step", "actor", "text", "impact", "outcome", "attrs", "hash"}); err != nil {
		return err
	}
	row := make([]string, 10)
	for i := range entries {
		e := &entries[i]
		attrs := ""
		if len(e.Attrs) > 0 {
			b, err := json.Marshal(e.Attrs)
			if err != nil {
				return err
			}
			attrs = string(b)
		}
		impact, outcome := "", ""
		if e.Kind == KindStart {
			impact = e.Impact.String()
		}
		if e.Kind == KindEnd {
			outcome = e.Outcome.String()
		}
		row[0] = strconv.FormatUint(e.Seq, 10)
		row[1] = e.At.Format(time.RFC3339Nano)
		row[2] = csvCell(e.Kind)
		row[3] = csvCell(e.Step)
		row[4] = csvCell(e.Actor)
		row[5] = csvCell(e.Text)
		row[6] = impact
		row[7] = outcome
		row[8] = csvCell(attrs)
		row[9] = e.Hash
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell defuses cells that spreadsheets would evaluate as formulas.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteMarkdown writes s as a Markdown table of steps (start, end,
// duration, impact and outcome of each attempt), followed by the totals.
// Times are printed in the location they were recorded in. Names are
// escaped so that no pipe, newline, backtick or HTML in them changes the
// document's structure.
func WriteMarkdown(w io.Writer, s Summary) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("| # | Step | Attempt | Start | End | Duration | Impact | Outcome |\n")
	bw.WriteString("|--:|------|--------:|-------|-----|---------:|--------|---------|\n")
	for i, sp := range s.Steps {
		end, dur, outcome := "", "", "*running*"
		if !sp.Open {
			end = sp.End.Format(timeLayout)
			dur = FormatDuration(sp.Duration)
			outcome = sp.Outcome.String()
		}
		fmt.Fprintf(bw, "| %d | %s | %d | %s | %s | %s | %s | %s |\n",
			i+1, escapeMarkdown(sp.Step), sp.Attempt, sp.Start.Format(timeLayout), end, dur, sp.Impact, outcome)
	}
	bw.WriteString("\n")
	if !s.Start.IsZero() {
		fmt.Fprintf(bw, "- Start: %s\n- End: %s\n", s.Start.Format(timeLayout), s.End.Format(timeLayout))
	}
	fmt.Fprintf(bw, "- Duration: %s\n", FormatDuration(s.Duration))
	fmt.Fprintf(bw, "- Outage (users cut off): %s\n", FormatDuration(s.Outage))
	fmt.Fprintf(bw, "- Disruption (users degraded): %s\n", FormatDuration(s.Disruption))
	fmt.Fprintf(bw, "- Entries: %d\n", s.Entries)
	if s.Open > 0 {
		fmt.Fprintf(bw, "- Still running: %d step(s), not counted in the totals\n", s.Open)
	}
	return bw.Flush()
}

// FormatDuration prints d rounded to the second in Go's duration syntax
// without its zero units: "0s", "45s", "12m30s", "1h5m", "2h", "1h0m5s",
// "-1m30s". time.ParseDuration reads the result back. It is the module's
// one duration format, for journals, reports, policies and programs alike.
func FormatDuration(d time.Duration) string {
	return timespan.Short(d.Round(time.Second))
}

// WriteMermaid writes a Mermaid gantt chart of actual, with a section per
// impact (outage, disruption, none). When baseline is not nil (a
// rehearsal), each of its steps is drawn beside the actual one, shifted so
// that both runs start together. Failed attempts are marked crit; running
// ones are drawn as milestones at their start, since their end is unknown.
// Times are printed in the UTC offset of actual.Start, kept for the whole
// chart even across a daylight saving change.
func WriteMermaid(w io.Writer, title string, actual Summary, baseline *Summary) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("gantt\n")
	if title != "" {
		fmt.Fprintf(bw, "    title %s\n", escapeMermaid(title))
	}
	bw.WriteString("    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat %H:%M\n")
	// Mermaid dates carry no zone: print every bar in the fixed offset of
	// the start, so that no bar ends before it starts across a DST change.
	name, off := actual.Start.Zone()
	loc := time.FixedZone(name, off)
	var shift time.Duration
	if baseline != nil && !baseline.Start.IsZero() && !actual.Start.IsZero() {
		shift = actual.Start.Sub(baseline.Start)
	}
	const layout = "2006-01-02 15:04:05"
	bar := func(sp Span, suffix string, shift time.Duration) {
		name := escapeMermaid(sp.Step)
		if sp.Attempt > 1 {
			name += " #" + strconv.Itoa(sp.Attempt)
		}
		name += suffix
		start := sp.Start.Add(shift).In(loc)
		if sp.Open {
			fmt.Fprintf(bw, "    %s (running) :milestone, %s, 0s\n", name, start.Format(layout))
			return
		}
		tag := ""
		if sp.Outcome == Failed {
			tag = "crit, "
		}
		fmt.Fprintf(bw, "    %s :%s%s, %s\n", name, tag, start.Format(layout), sp.End.Add(shift).In(loc).Format(layout))
	}
	for _, impact := range []Impact{Outage, Disruption, NoImpact} {
		var base []Span
		if baseline != nil {
			for _, sp := range baseline.Steps {
				if sp.Impact == impact {
					base = append(base, sp)
				}
			}
		}
		var act []Span
		for _, sp := range actual.Steps {
			if sp.Impact == impact {
				act = append(act, sp)
			}
		}
		if len(base) == 0 && len(act) == 0 {
			continue
		}
		fmt.Fprintf(bw, "    section %s\n", sectionName(impact))
		used := make([]bool, len(base))
		for _, sp := range act {
			for i, b := range base {
				if !used[i] && b.Step == sp.Step && b.Attempt == sp.Attempt {
					used[i] = true
					bar(b, " (rehearsal)", shift)
					break
				}
			}
			bar(sp, "", 0)
		}
		for i, b := range base {
			if !used[i] {
				bar(b, " (rehearsal)", shift)
			}
		}
	}
	return bw.Flush()
}

func sectionName(i Impact) string {
	switch i {
	case Outage:
		return "Outage"
	case Disruption:
		return "Disruption"
	}
	return "No impact"
}
