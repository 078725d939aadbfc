// Package report renders one report of a go-live as Markdown, HTML and
// JSON: the project's phase and history, the go/no-go and its reasons, the
// checklist, the timeline of the cutover with its durations and downtime,
// the rehearsal against the actual run, open and overdue actions, and
// lessons (rules R5, R6, R9, R10 and R12 of the method).
//
// A [Report] is plain data that the mep package, or any program, fills.
// The shortest useful program reports a journal:
//
//	j := timeline.New(nil)
//	j.Start("switch-dns", "alice", timeline.Outage)
//	j.End("switch-dns", "alice", timeline.Done)
//	r := report.Report{Project: "billing", Actual: timeline.Summarize(j.Entries())}
//	r.WriteHTML(os.Stdout)
//
// The three writers are deterministic: the same Report gives the same
// bytes. They read no clock and escape every name, so a step called
// "<script>" or "a|b" is printed, never obeyed. The HTML page is
// self-contained: inline CSS and an inline SVG chart, no script, no
// external request.
package report
