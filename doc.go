// Package mepkit is a library for taking software live the structured way:
// a mise en production (MEP), run phase by phase with gates, checklists, a
// timestamped journal, go/no-go decisions and deployment policies.
//
// The module is made of small packages that can be used alone:
//
//   - [github.com/mepkit/mepkit/timeline]: the timed, tamper-evident journal
//     of a rehearsal or a cutover, with summaries (duration, outage,
//     disruption), comparisons, estimates and exports.
//
// Package mepkit itself holds no code; it is the tour of the module.
//
// # Journal
//
// Every step of a rehearsal and of a cutover is timestamped as it happens
// (rules R5 and R10 of the method). A [timeline.Journal] assigns sequence
// numbers, chains each entry to the previous one with SHA-256 (or
// HMAC-SHA256 with a key), and, when opened on a file with [timeline.Open],
// makes every entry durable before Record returns:
//
//	j, err := timeline.Open("cutover.jsonl", nil)
//	if err != nil { ... }
//	defer j.Close()
//	j.Start("switch-dns", "alice", timeline.Outage)
//	j.End("switch-dns", "alice", timeline.Done)
//	sum := timeline.Summarize(j.Entries())
//
// [timeline.Summarize] turns entries into per-step spans, the total duration
// and the time users were cut off ([timeline.Outage]) or degraded
// ([timeline.Disruption]); [timeline.Estimate] turns rehearsals into the
// expected duration and impact of the real go-live.
//
// # Concurrency
//
// Types shared between goroutines say so in their documentation and are
// tested under the race detector: a [timeline.Journal] accepts records from
// any number of goroutines and shares file syncs between them. Plain values
// (entries, summaries) need no lock.
//
// # Time
//
// Nothing in the module reads the clock unless it was given one: times are
// arguments, and types that must read a clock take a func() time.Time whose
// nil value means time.Now. Library packages do not embed the time zone
// database; programs that need it import time/tzdata.
package mepkit
