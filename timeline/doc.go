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
// which the next Open truncates and reports through [Journal.Recovery].
// Record refuses what the file could not carry or a reader could not read
// back: a line over [MaxLineSize], a time RFC 3339 cannot write. Other
// storage plugs in through the [Store] interface, including stores shared
// by several writers ([ErrConflict], [Tailer], [Journal.Refresh]); the
// timelinetest package checks an implementation.
//
// # Integrity
//
// Each entry's Hash covers the previous hash and every field of the entry,
// the UTC offset of its time included: SHA-256, or HMAC-SHA256 when
// [Options] has a Key, in which case each hash starts with the key's
// identifier ([KeyID]) so that a wrong key reads as [ErrWrongKey], not as
// tampering. Each line of a file must be exactly the journal's encoding of
// its entry. [Verify] finds any change, insertion, deletion or reordering;
// [Entries] and [Verifier] (or [VerifyFile]) do it as they read, in bounded
// memory. Files written before this chain covered offsets still Read, and
// Verify and Open refuse them with [ErrOldFormat]. What the chain cannot
// show, a signed checkpoint does: see Checkpoints.
//
// # Checkpoints
//
// The chain alone proves less than it seems, to whoever can write where
// the journal is stored (a database's superuser, an administrator of the
// file's machine):
//
//   - Without a key (SHA-256), anyone can rewrite an entry and recompute
//     every hash after it, or cut entries from the end: [Verify] passes.
//   - With an HMAC key ([Options].Key), an edit, insertion or fork is
//     detected by whoever holds the key, as long as the writer of the
//     edit does not; cutting entries from the end still passes, and a
//     journal chained again from its first entry without the key (or
//     under another) is only [ErrWrongKey] to [Verify], as a key given
//     wrong would be.
//   - With a signed [Checkpoint] of the head, anyone with the public key
//     detects, at or before the checkpoint's seq, a truncation, a rewrite
//     (even with the chain recomputed, even by a holder of the HMAC key,
//     even without the key or under another) and a fork: [VerifyAgainst]
//     and [VerifyFileAgainst] report it as a [*TamperError] with the seq
//     (a keyed chain is still checked with its HMAC key). Entries after
//     the last checkpoint are only as safe as the chain: sign checkpoints
//     often (at each phase, each go/no-go, the end of a cutover) and keep
//     them away from the journal's storage.
//
// A writer signs a checkpoint with [SignCheckpoint] and an Ed25519 key the
// storage never holds (an [ed25519.PrivateKey] or any [crypto.Signer],
// such as a key in a hardware module); its text form ([ParseCheckpoint])
// is a few lines and a signature, like the signed tree heads of
// Certificate Transparency and the Go checksum database. A checkpoint
// names its record, so one cannot vouch for another; one that does not
// verify, or that another key signed, is [ErrCheckpoint] and proves
// nothing either way.
//
// # Kinds
//
// The journal knows its own kinds: [KindStart] and [KindEnd] of a step, and
// [KindNote]. Every other kind is the caller's, written as dotted lowercase
// tokens ("mep.vote", "deploy.tag": ^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$);
// kinds starting with "x-", from earlier versions, stay accepted.
package timeline
