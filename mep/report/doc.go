// Package report renders what people read about go-lives: the report of
// one rollout ([Report]) and a project's record across rollouts
// ([History]), each as Markdown, HTML, plain text and JSON.
//
// A go-live report opens with its headline: the outcome (planned, running,
// done, rolled back, failed), the go/no-go, T0, the planned end, the end of
// the window, the actual or expected end, and duration and outage against
// the rehearsals' estimate. The details follow, each section only when it
// applies: the go/no-go and its votes (rule R9), the checklist (R7, R8),
// the progress against the forecast, the timeline of the cutover with its
// chart (R10), the rehearsal against the actual run (R5), the actions
// (R6), the lessons and how their application stands (R12), the notes and
// the phase history (R1). Rules are cited by number; the reports end with
// the rules they cite, and the method, its rules and its glossary are in
// docs/method.md of the repository.
//
// The formats are for different readers:
//
//   - HTML ([Report.WriteHTML]): one self-contained page, to open in a
//     browser, attach to a change record or print. It reads on a phone, a
//     laptop, and on A4 or Letter paper; no script, no external request.
//   - Markdown ([Report.WriteMarkdown]): for a wiki, a merge request or a
//     chat that renders Markdown. It escapes only what Markdown would read
//     as markup.
//   - Plain text ([Report.WriteText]): for a terminal, an e-mail or a chat
//     that shows text as it is.
//   - JSON ([Report.WriteJSON]): for tools. The model types marshal
//     themselves: snake_case names, enums as text, durations in seconds.
//
// A [Report] is plain data that the mep package, or any program, fills.
// The shortest useful program reports a journal:
//
//	j := timeline.New(nil)
//	j.Start("switch-dns", "alice", timeline.Outage)
//	j.End("switch-dns", "alice", timeline.Done)
//	r := report.Report{Project: "billing", Outcome: report.Done, Actual: timeline.Summarize(j.Entries())}
//	r.WriteHTML(os.Stdout)
//
// A [History] is computed by [NewHistory] from one [RolloutSummary] per
// rollout ([SummaryOf] makes one from a rollout's Report): per month, the
// deployments, the change failure rate, the time to restore, how well the
// rehearsals predicted duration and outage, and the lessons applied.
//
// The writers are deterministic: the same value gives the same bytes. They
// read no clock, never change what they render, and escape every name, so
// a step called "<script>" or "a|b" is printed, never obeyed. Values are
// safe to render from several goroutines at once.
package report
