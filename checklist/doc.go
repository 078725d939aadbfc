// Package checklist defines checklists and runs them against the start of
// an operation (T0): validation of the installation procedures (rule R4 of
// the method), preparation and the readiness window (R7, R8), operations
// readiness (R13).
//
// A [List] is a plain value: items with an ID, a title, a section, an
// owner, a deadline relative to T0 and the items they depend on. Build it
// in Go, read it from a file with [Parse], or start from a template
// ([Validation], [Preparation], [Operations]) and adapt it. [List.Validate]
// rejects what cannot run (duplicate IDs, unknown dependencies, cycles);
// [List.Lint] reports what is legal but unwise (a section of more than
// nine items, an item without owner, a preparation deadline after T0).
//
// An item's [Purpose] says what it is for in the method, as a type, not a
// word in its ID: an installation procedure (R4), hardware verified or a
// configuration backup (R8), probes, a backup process or known recurring
// failures (R13). [List.Missing] names the purposes a list lacks, and
// [Run.Coverage] whether the items of each are done.
//
// # Files
//
// YAML and JSON files share one schema, the snake_case of the Go names.
// [Parse] reads bytes, [ParseFile] a path, both up to [DefaultMaxBytes]
// unless [ParseOptions] raise it. Unknown fields are rejected, and every
// problem of a file is reported at once in a [*ListError], each naming the
// line, the item ID and the field:
//
//	name: preparation
//	mode: read-do          # or do-confirm; read-do is the default
//	ordered: true          # read-do: the items of a section in order
//	waive_required: false  # may required items be waived?
//	items:
//	  - id: config-backup
//	    title: Every impacted configuration backed up
//	    section: configuration
//	    owner: ops
//	    optional: false
//	    deadline: -1h        # a Go duration relative to T0: done by T-1h
//	    depends_on: [old-hardware]
//	    offline: false       # checked offline, or under real conditions
//	    purpose: config-backup # what it is for in the method; omitted: general
//
// # Errors
//
// Errors wrap one of a few sentinels, for branching with [errors.Is]:
// [ErrInvalid] (a file, list, snapshot or argument that is not valid),
// [ErrTooLarge], [ErrNotFound] (no such item), [ErrState] (a change that
// does not fit where the run stands) and [ErrMismatch] (a snapshot of
// another list). The detail is in typed errors: [*ListError] and [*Error]
// (line, column, item, field), [*CycleError], [*ChangeError],
// [*SnapshotError].
//
// # Runs
//
// A [Run] is one execution of a list for an operation starting at T0. Each
// item is checked ([Run.Check]), failed ([Run.Fail]; it can be checked
// later) or waived with a reason ([Run.Waive]); every change keeps who,
// when and a note. In READ-DO mode an item cannot be checked before the
// items it depends on, nor, in an ordered list, before the earlier
// required items of its section; in DO-CONFIRM mode order is free but
// dependencies still hold. [Run.Ready] and [Run.ReadyAt] say whether and
// when the list was complete, [Run.Late] which items missed their
// deadline. [Run.Reschedule] moves T0, and the deadlines with it.
//
// # Time
//
// The package reads no clock: every change says when it happened. A
// deadline is a duration from T0, so a due time is an absolute instant,
// T0.Add(Deadline): across a daylight-saving change "-24h" is 24 hours of
// elapsed time, not the same wall-clock time the day before. Times are
// stored without their monotonic reading.
//
// # Events and snapshots
//
// [Run.Observe] reports every change as an [Event], so that a caller can
// journal it (this package does not import the journal). [Run.Snapshot]
// saves a run as JSON and [Restore] reads it back; [Run.Clone] copies it
// in memory, for a what-if; [Run.Digest] names the exact state at a
// moment, so that a go/no-go vote can cite it.
//
// # Concurrency
//
// A [Run] is safe for simultaneous use by multiple goroutines. Lists,
// items and results are plain values.
package checklist
