package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// SchemaVersion is the version of the tables this package reads and
// writes. [Migrate] brings a schema up to it; a schema of a newer version
// is refused with a [*SchemaError].
const SchemaVersion = 4

// Table names, inside the schema of [Options.Schema].
const (
	EntriesTable = "timeline_entries"        // one row per entry of every record
	VersionTable = "timeline_schema"         // one row per migration applied
	WritersTable = "timeline_record_writers" // the roles that may append to a record kept to a team
)

// notifyChannel is the channel of the notifications a DB sends once
// entries are committed; the payload names the schema, the record and the
// last seq. The notification is a statement of its own, after the commit
// (see notifier), not a trigger: a transaction that notifies holds a
// database-wide lock from its commit to its end, fsync included, which
// would serialize every writer's commits.
const notifyChannel = "mepkit_timeline"

// migrations[i] brings a schema from version i to version i+1. Each step
// runs in the migration's transaction; {schema} stands for the quoted schema name.
var migrations = []string{
	// Version 1: the entries, append-only.
	`CREATE TABLE {schema}.timeline_entries (
		record text NOT NULL CHECK (record <> '' AND octet_length(record) <= 200),
		seq bigint NOT NULL CHECK (seq > 0),
		at timestamptz NOT NULL,
		kind text NOT NULL,
		step text NOT NULL DEFAULT '',
		actor text NOT NULL DEFAULT '',
		hash text NOT NULL,
		line text NOT NULL,
		stored_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (record, seq)
	);
	COMMENT ON TABLE {schema}.timeline_entries IS
		'mepkit timeline records: one row per entry; line is the entry as a JSON line, the truth; the other columns copy it for queries. Append-only.';
	CREATE FUNCTION {schema}.timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		RAISE EXCEPTION 'pgstore: % on %.% refused: timeline entries are append-only',
			TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege';
	END $$;
	CREATE TRIGGER timeline_entries_append_only
		BEFORE UPDATE OR DELETE ON {schema}.timeline_entries
		FOR EACH ROW EXECUTE FUNCTION {schema}.timeline_refuse_change();
	CREATE TRIGGER timeline_entries_no_truncate
		BEFORE TRUNCATE ON {schema}.timeline_entries
		FOR EACH STATEMENT EXECUTE FUNCTION {schema}.timeline_refuse_change();`,
	// Version 2: appends through append_entries only; truncate_record for admins.
	migrationV2,
	// Version 3: drop_record for admins, after an export; writers per record.
	migrationV3 + appendEntriesV3,
	// Version 4: append_entries refuses, as MK422, arguments it failed on
	// otherwise, times an entry cannot hold and keys given twice; every
	// function sets its search_path.
	appendEntriesV4 + migrationV4,
}

// SchemaError reports a schema that this version of the package cannot
// use: one migrated by a newer version (Found > Supported), or one that is
// not migrated yet while the role may not migrate it.
type SchemaError struct {
	Schema    string // the PostgreSQL schema
	Found     int    // its version; 0: no tables yet
	Supported int    // SchemaVersion
	Err       error  // ErrSchemaVersion, or the error of the failed migration
}

func (e *SchemaError) Error() string {
	if e.Found > e.Supported {
		return fmt.Sprintf("pgstore: schema %q is at version %d, newer than the %d this program knows: upgrade the program", e.Schema, e.Found, e.Supported)
	}
	return fmt.Sprintf("pgstore: schema %q is at version %d and cannot be migrated to %d by this role (run Migrate as the owner): %v", e.Schema, e.Found, e.Supported, e.Err)
}

// Unwrap returns the cause.
func (e *SchemaError) Unwrap() error { return e.Err }

// version returns the version of the schema, 0 when its tables do not exist.
func version(ctx context.Context, q querier, schema string) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+qualified(schema, VersionTable)).Scan(&v)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "3F000") { // undefined table, schema
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("pgstore: reading the schema version of %q: %w", schema, err)
	}
	return v, nil
}

// migrate brings schema to SchemaVersion in one transaction, under an
// advisory lock so that concurrent programs migrate once.
func migrate(ctx context.Context, db beginner, schema string) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: migrating schema %q: %w", schema, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended($1, 0))", "mepkit/pgstore/"+schema); err != nil {
		return fmt.Errorf("pgstore: migrating schema %q: %w", schema, err)
	}
	// The migrations name their own objects with the schema; what they
	// call of PostgreSQL's must come from pg_catalog, never from a schema
	// on the admin's search_path where another role may create functions.
	if _, err := tx.Exec(ctx, "SET LOCAL search_path = pg_catalog, pg_temp"); err != nil {
		return fmt.Errorf("pgstore: migrating schema %q: %w", schema, err)
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quote(schema)); err != nil {
		return fmt.Errorf("pgstore: creating schema %q: %w", schema, err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+qualified(schema, VersionTable)+` (
		version integer PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("pgstore: creating the version table of %q: %w", schema, err)
	}
	v, err := version(ctx, tx, schema)
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return &SchemaError{Schema: schema, Found: v, Supported: SchemaVersion, Err: ErrSchemaVersion}
	}
	for ; v < SchemaVersion; v++ {
		if _, err := tx.Exec(ctx, fill(migrations[v], schema)); err != nil {
			return fmt.Errorf("pgstore: migrating schema %q to version %d: %w", schema, v+1, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+qualified(schema, VersionTable)+" (version) VALUES ($1)", v+1); err != nil {
			return fmt.Errorf("pgstore: migrating schema %q to version %d: %w", schema, v+1, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: migrating schema %q: %w", schema, err)
	}
	return nil
}

// Grants returns the SQL that gives role what it needs on the tables of
// schema. Writers (writer true) read the entries and append through the
// function append_entries only, which checks each batch (see the package
// doc, # Privileges); readers only read. Neither may insert, update,
// delete or truncate entries directly, nor change the schema. Run it as
// the owner of the schema after [Migrate]. role and schema are quoted as
// identifiers.
func Grants(schema, role string, writer bool) string {
	s, r := quote(schema), quote(role)
	entries := qualified(schema, EntriesTable)
	fn := qualified(schema, "append_entries") + "(text, bigint[], text[], text[])"
	var b strings.Builder
	fmt.Fprintf(&b, "GRANT USAGE ON SCHEMA %s TO %s;\n", s, r)
	fmt.Fprintf(&b, "GRANT SELECT ON %s TO %s;\n", qualified(schema, VersionTable), r)
	fmt.Fprintf(&b, "GRANT SELECT ON %s TO %s;\n", entries, r)
	if writer {
		fmt.Fprintf(&b, "GRANT EXECUTE ON FUNCTION %s TO %s;\n", fn, r)
	} else {
		fmt.Fprintf(&b, "REVOKE EXECUTE ON FUNCTION %s FROM %s;\n", fn, r)
	}
	fmt.Fprintf(&b, "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %s;\n", entries, r)
	fmt.Fprintf(&b, "REVOKE CREATE ON SCHEMA %s FROM %s;\n", s, r)
	return b.String()
}

// fill returns the SQL of a migration for schema: {schema} becomes the
// quoted name, {schemalit} the name as a string literal.
func fill(sql, schema string) string {
	sql = strings.ReplaceAll(sql, "{schemalit}", "'"+strings.ReplaceAll(schema, "'", "''")+"'")
	return strings.ReplaceAll(sql, "{schema}", quote(schema))
}

func quote(ident string) string { return pgx.Identifier{ident}.Sanitize() }

func qualified(schema, table string) string { return pgx.Identifier{schema, table}.Sanitize() }

// querier is what version needs: a pool, a connection or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}
