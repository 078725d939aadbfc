// Package pgstore keeps timeline records in PostgreSQL, so that several
// writers on several machines share one hash-chained record and readers
// follow it live.
//
// A [DB] is a database reached through a DSN ([Open]) or a pgx pool the
// caller configured ([New]); each record in it, under a name, is a
// [Store] for timeline.OpenStore:
//
//	db, err := pgstore.Open(ctx, os.Getenv("MEPKIT_POSTGRES"), nil)
//	...
//	defer db.Close()
//	s, err := db.Store("golive-2026-11")
//	...
//	j, err := timeline.OpenStore(s, nil)
//
// Connection settings, TLS included (sslmode, sslrootcert, ...), come from
// the DSN and the PG* environment variables as pgx reads them; the package
// has none of its own.
//
// # Schema
//
// The tables live in one PostgreSQL schema, "mepkit" unless
// [Options.Schema] says otherwise: [EntriesTable], one row per entry keyed
// by (record, seq), and [VersionTable], the migrations applied. Open
// creates them, or migrates them to [SchemaVersion], in one transaction
// under an advisory lock; at that version it runs no DDL at all, so
// writers need no more than the privileges below. A schema written by a
// newer version of the package is refused with a [*SchemaError].
//
// # Several writers
//
// Every append goes through one SQL function, append_entries, owned by
// the owner of the schema (SECURITY DEFINER); writers may not insert rows
// themselves. The function serializes the appends to a record (an
// advisory lock on the record, until the commit) and stores a batch only
// if it follows the record's last entry; it sets stored_at from the
// server's clock. [Store.Append] commits before it returns. A writer that
// finds the record moved on gets a [*ConflictError] (errors.Is(err,
// timeline.ErrConflict)) and nothing is stored: it catches up
// (Journal.Refresh) and tries again. The store then takes its turn: it
// waits for the record's lock and keeps it, for up to a second, until its
// next append, so that the catch-up and that append see a record no other
// writer can change: under contention each entry conflicts at most once,
// and writers take turns in the order they asked; no writer gives up.
// Taking the turn and reading what others appended is one round trip,
// and the catch-up uses that read. A store that had a conflict within
// the last second takes its turn before its next append, so that an
// entry waits for the lock once: one round trip to take the turn and
// read, one to append, commit and release it. One record is one chain:
// its appends commit one after the other, each after the previous one's
// commit is durable. Under contention an entry holds the record's lock
// for a round trip to its writer (the catch-up read, then the append) and
// for its commit's flush (an fsync), so a record's appends per second are
// bounded by those, not by the number of writers; records are independent
// and scale with the server. Committing an append without waiting for the
// flush, and waiting for it only before acknowledging, would not lift
// that bound: the writer that catches up must not be handed an entry that
// is not durable yet (a crash could undo it), so it would wait for that
// flush within the lock all the same. A retry of a batch already stored
// with the same hashes stores nothing and succeeds, so Append retries lost
// connections and server restarts by itself, never storing an entry
// twice.
//
// What the database checks of each batch: the seqs follow the record's
// last one without gap or repeat (a seq far ahead, such as 9e18, is a
// gap); each line is JSON, begins as an entry's line does, holds no
// newline, is at most [timeline.MaxLineSize] bytes, gives no key twice,
// and its seq and hash are the row's; it has a kind and a time written
// as timeline writes it (RFC 3339 with its UTC offset, so that neither
// "now" nor the writer's time zone can set the at column); each hash is
// a chain hash (64 hex digits, after "<key id>." for a keyed chain) of
// the same key as the entry before it; the record has a name of 1 to
// 200 bytes. A batch that breaks one of these is refused (SQLSTATE
// MK422, [ErrRefused]) and nothing of it is stored, so that a writer with
// the grants below cannot make a record that its readers refuse by
// seqs, columns or the form of its hashes. What only readers verify, when
// they load the record (timeline.OpenStore, Journal.Refresh, with the key
// of a keyed chain): that each hash is the hash of its entry after the
// previous one, and that the line is exactly the canonical line of its
// entry. The database holds no key and does not recompute the chain; a
// writer that stores a well-formed but false hash is named by the
// reader's [timeline.TamperError], and an admin repairs the record (see
// below).
//
// # Privileges
//
// Three roles. The owner of the schema (the role that ran [Migrate] or
// the first Open) is the admin. Writers read the entries and execute
// append_entries; readers, such as a portal, read. As the admin:
//
//	CREATE ROLE mep_writer LOGIN;
//	GRANT USAGE ON SCHEMA mepkit TO mep_writer;
//	GRANT SELECT ON mepkit.timeline_schema TO mep_writer;
//	GRANT SELECT ON mepkit.timeline_entries TO mep_writer;
//	GRANT EXECUTE ON FUNCTION mepkit.append_entries(text, bigint[], text[], text[]) TO mep_writer;
//	REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON mepkit.timeline_entries FROM mep_writer;
//	REVOKE CREATE ON SCHEMA mepkit FROM mep_writer;
//
// [Grants] returns these statements for any schema and role, writer or
// reader. Writers open with Options{NoMigrate: true}. Migrating a schema
// of version 1, where writers held INSERT, moves every role that held it
// to EXECUTE on the function.
//
// Rows are never updated, nor deleted but by truncate_record and
// drop_record: triggers refuse UPDATE, DELETE and
// TRUNCATE on the entries for every role. The admin's repair path, for a
// tail that readers refuse (a false hash written by a writer with the
// grants, or a tool's bug), is
//
//	SELECT mepkit.truncate_record('golive-2026-11', 41, 'seq 42 has a false hash, written by ...');
//
// which keeps the entries up to seq 41 (0: none, dropping the record),
// and moves the others into the table timeline_removed with who removed
// them, when and why, as they were: an export that stays in the
// database. Only the admin may run it. A follower ([DB.Follow]) that
// delivered entries it removed stops with a timeline.TamperError naming
// the last seq it delivered: start it again after the seq kept. The
// admin, and superusers, can still disable the triggers: the hash chain
// is the last line, and a row edited by hand fails timeline.OpenStore
// with a timeline.TamperError naming its seq.
//
// The SQL the package sends names what it calls of PostgreSQL in
// pg_catalog, migrations run with the search_path pg_catalog, and every
// function of the schema sets its own: a role that may create functions
// in a schema on another role's search_path (public, for every role
// before PostgreSQL 15) cannot have them run as a writer or as the admin.
//
// What no grant keeps from a role that may connect to the database, reader
// or writer: advisory locks and notifications are open to every role. A
// role that takes a record's append lock (pg_advisory_lock on the key
// append_entries locks) stalls the appends to that record, each failing
// at its timeout, until it lets go or its session ends: the admin finds
// it in pg_locks and ends it (pg_terminate_backend). Any role may send
// notifications (they are hints, see # Followers) and LISTEN to them,
// learning the names and last seqs of the records appended to in every
// schema of the database.
//
// # Archival: export, verify, drop
//
// Records are append-only, so a record no longer needed leaves by one
// path, the admin's, in three steps:
//
//  1. Export it: [DB.Export] writes the record as a journal file (JSON
//     Lines) after verifying its chain, and returns the head it ends at
//     (seq and hash).
//
//  2. Keep the file where the go-live's records are kept, and verify it
//     there: timeline.VerifyFile, or timeline.VerifyFileAgainst a signed
//     checkpoint, must end at the same head.
//
//  3. Drop it, as the admin (the owner of the schema), with that head:
//
//     SELECT mepkit.drop_record('golive-2026-11', 412, '<hash of seq 412>', 'archived to //ops/golive-2026-11.jsonl');
//
//     or [DB.DropRecord]. The function drops the record only if it still
//     ends at that head, so an entry appended after the export is never
//     lost (SQLSTATE MK409, a [*ConflictError]: export again); it notes
//     who dropped what, when and why in the table timeline_archived.
//
// A demonstration or a test is better given a schema of its own, dropped
// with DROP SCHEMA ... CASCADE when it ends (examples/warroom does so).
//
// # Write access per record
//
// By default every role with the writer grants may append to every
// record. A team that wants a record kept to itself asks the admin to
// grant it the record:
//
//	CREATE ROLE team_billing NOLOGIN;
//	GRANT team_billing TO alice, bob;
//	INSERT INTO mepkit.timeline_record_writers (record, writer) VALUES ('billing-2026-11', 'team_billing');
//
// or [DB.GrantRecord]. From then on append_entries refuses (SQLSTATE
// MK403, [ErrNotWriter]) an append to that record by a login role that is
// a member of none of the roles granted it; other records stay open.
// Appends run as the owner of the schema (SECURITY DEFINER), so the check
// is made by the function against the login role (session_user) and the
// roles it belongs to, not by a row-level security policy on the table,
// which the owner would bypass; a SET ROLE inside a session does not
// change it. Only the admin may change timeline_record_writers
// ([DB.RevokeRecord] takes a grant back); writers cannot read or change
// it. Reading stays open to every reader of the schema.
//
// # Reading
//
// A reader sees an entry only once it is durable: PostgreSQL makes a
// commit visible after its flush (and after the synchronous standbys'
// confirmation, where there are some), and Append commits synchronously
// unless synchronous_commit is off for the writer's connection (by the
// server's, the role's or the DSN's settings), in which case an entry,
// acknowledged or seen, may be lost in a crash.
//
// A record is read with COPY ... (FORMAT binary) in one round trip, and
// its lines decoded in chunks on every core as they arrive. The
// connections of [Open] read such a stream 256 KiB at a time rather than
// pgx's 8 KiB. timeline.OpenStore reads through [Store.LoadParts]: the
// journal verifies the chain of each chunk while the next ones arrive.
// Opening a record of 100,000 entries takes about as long as opening a
// journal file of the same entries (0.8-1.3 times in the runs the README
// reports, the server's COPY sharing the cores), with less memory.
//
// # Followers
//
// After each append, the DB sends a notification (NOTIFY, in a statement
// of its own right after the commit, so that writers' commits are not
// serialized) naming the record and its last seq; [DB.Follow] listens for
// them and reads what is new, reads the record again after each reconnect,
// and every [FollowPoll] for a writer that stopped between its commit and
// its notification. Notifications are hints: a burst of them, whoever
// sends it, costs a follower at most one read every 25 ms. A portal or a
// bot sees each entry within a moment of its commit and misses none. [DB.Listen] hands out the notifications of
// every record of the schema, for a view of many records, on the same
// reconnecting connection.
package pgstore
