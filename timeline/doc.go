// Package timeline is the timed, tamper-evident journal of a rehearsal or
// a cutover: every step and note timestamped as it happens (rules R5 and
// R10 of the method), chained by hashes, summarised into durations, outage
// and disruption, compared, estimated and exported.
//
// The shortest useful program records two steps and prints the summary:
//
//	j := timeline.New(nil)
//	j.Start("backup-config", "alice", timeline.NoImpact)
//	j.End("backup-config", "alice", timeline.Done)
//	j.Start("switch-dns", "alice", timeline.Outage)
//	j.End("switch-dns", "alice", timeline.Done)
//	timeline.WriteMarkdown(os.Stdout, timeline.Summarize(j.Entries()))
//
// # Durability
//
// [Open] keeps a journal in a JSON Lines file, one entry per line written
// with one Write, and syncs it before Record returns. Concurrent Records
// share syncs (group commit). A crash can leave at most a torn last line,
// which the next Open truncates and reports through [Journal.Recovery]. Other
// storage plugs in through the [Store] interface; the timelinetest package
// checks an implementation.
//
// # Integrity
//
// Each entry's Hash covers the previous hash and a canonical encoding of
// the entry: SHA-256, or HMAC-SHA256 when [Options] has a Key. [Verify]
// finds any change, insertion, deletion or reordering.
package timeline
