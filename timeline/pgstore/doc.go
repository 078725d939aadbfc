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
// An append is one INSERT, committed before [Store.Append] returns, that
// stores the batch only if the record ends just before it; the primary key
// (record, seq) settles races. A writer that finds the record moved on
// gets a [*ConflictError] (errors.Is(err, timeline.ErrConflict)) and
// nothing is stored: it catches up and tries again. A retry of a batch
// already stored with the same hashes stores nothing and succeeds, so
// Append retries lost connections and server restarts by itself, never
// storing an entry twice.
//
// # Privileges
//
// Rows are never updated or deleted: triggers refuse UPDATE, DELETE and
// TRUNCATE on the entries for every role, and the roles of writers should
// not have those privileges in the first place. As the owner of the schema
// (the role that ran [Migrate] or the first Open):
//
//	CREATE ROLE mep_writer LOGIN;
//	GRANT USAGE ON SCHEMA mepkit TO mep_writer;
//	GRANT SELECT ON mepkit.timeline_schema TO mep_writer;
//	GRANT SELECT, INSERT ON mepkit.timeline_entries TO mep_writer;
//	REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON mepkit.timeline_entries FROM mep_writer;
//	REVOKE CREATE ON SCHEMA mepkit FROM mep_writer;
//
// Readers, such as a portal, get SELECT only. [Grants] returns these
// statements for any schema and role. The owner, and superusers, can still
// disable the triggers: the hash chain is the last line, and a row edited
// by hand fails timeline.OpenStore with a timeline.TamperError naming its
// seq.
//
// # Followers
//
// After each append, the DB sends a notification (NOTIFY, in a statement
// of its own right after the commit, so that writers' commits are not
// serialized) naming the record and its last seq; [DB.Follow] listens for
// them and reads what is new, reads the record again after each reconnect,
// and every [FollowPoll] for a writer that stopped between its commit and
// its notification. A portal or a bot sees each entry within a moment of
// its commit and misses none.
package pgstore
