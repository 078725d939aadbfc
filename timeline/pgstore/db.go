package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultSchema is the PostgreSQL schema used when [Options.Schema] is empty.
const DefaultSchema = "mepkit"

// MaxRecordName is the longest record name, in bytes.
const MaxRecordName = 200

// MaxSchemaName is the longest name of [Options.Schema], in bytes: the
// longest identifier PostgreSQL keeps whole. The name is any UTF-8 text
// of that many bytes at most without NUL, quote ('"), dollar sign,
// backslash or brace, which the SQL of the schema's functions could not
// hold.
const MaxSchemaName = 63

// Options configure a [DB]. A nil *Options, like the zero value, means the
// defaults. Options are copied, never modified.
type Options struct {
	// Schema is the PostgreSQL schema that holds the tables; "":
	// DefaultSchema. A name longer than [MaxSchemaName] bytes, or with a
	// character the schema's SQL cannot hold, is [ErrSchemaName].
	Schema string
	// Timeout bounds each call of a [Store] method that takes no context
	// (Load, Append, Since), retries included; 0: one minute.
	Timeout time.Duration
	// NoMigrate makes Open and New fail with a [*SchemaError] instead of
	// creating or migrating the tables, for roles that may only read and
	// write (see [Grants]). Open never runs DDL when the schema is at
	// [SchemaVersion] anyway.
	NoMigrate bool
}

// DB is a PostgreSQL database that holds timeline records, each a chain of
// entries under a name. It hands out a [Store] per record and follows
// records as they grow ([DB.Follow]).
//
// DB is safe for simultaneous use by multiple goroutines.
type DB struct {
	pool    *pgxpool.Pool
	ownPool bool
	schema  string
	timeout time.Duration

	notifier notifier
	catchUps atomic.Int64 // reads of followers, for tests

	// SQL statements with the schema filled in.
	sqlSince, sqlAppend, sqlLast string
}

// Open connects to the database that dsn names (a PostgreSQL URL or
// key=value string, as pgx parses it: host, user, TLS with sslmode and
// sslrootcert, pool settings, ...) and makes sure its tables are at
// [SchemaVersion], creating or migrating them unless opts.NoMigrate. The
// connection settings, secrets included, come only from dsn and the
// standard PG* environment variables that pgx reads. A server that cannot
// be reached yet, a connection lost or a backend terminated while opening
// are retried, with a growing pause, until ctx ends (for
// [Options.Timeout] if ctx has no deadline); a refused password, a
// missing database or a schema of a newer version are not. Close the DB
// to close its connections.
func Open(ctx context.Context, dsn string, opts *Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: parsing the connection string: %w", err)
	}
	cfg.ConnConfig.BuildFrontend = bulkFrontend
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connecting: %w", err)
	}
	db, err := New(ctx, pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db.ownPool = true
	return db, nil
}

// New is like [Open] on a pool the caller configured and keeps: Close does
// not close it.
func New(ctx context.Context, pool *pgxpool.Pool, opts *Options) (*DB, error) {
	if pool == nil {
		panic("pgstore: New with a nil pool")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if err := checkSchemaName(o.Schema); err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Minute
	}
	if err := connect(ctx, pool, &o); err != nil {
		return nil, err
	}
	t := qualified(o.Schema, EntriesTable)
	db := &DB{
		pool:      pool,
		schema:    o.Schema,
		timeout:   o.Timeout,
		sqlSince:  "SELECT seq, hash, line FROM " + t + " WHERE record = $1 AND seq > $2 ORDER BY seq",
		sqlAppend: "SELECT " + qualified(o.Schema, "append_entries") + "($1, $2, $3, $4)",
		sqlLast:   "SELECT coalesce(max(seq), 0) FROM " + t + " WHERE record = $1",
	}
	db.startNotifier()
	return db, nil
}

// connect checks that the server answers and that the schema is at
// SchemaVersion, migrating it unless o.NoMigrate. A lost connection, a
// terminated backend or a server that is starting is retried, with a
// growing pause, until ctx ends, or for o.Timeout if ctx has no deadline.
func connect(ctx context.Context, pool *pgxpool.Pool, o *Options) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	delay := 10 * time.Millisecond
	for {
		err, cause := checkSchema(ctx, pool, o)
		if err == nil || cause == nil || !retryable(cause) || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, time.Second)
	}
}

// checkSchema makes one attempt of connect. It returns the error and, for
// an error of the driver, its cause (nil otherwise).
func checkSchema(ctx context.Context, pool *pgxpool.Pool, o *Options) (err, cause error) {
	if err := pool.Ping(ctx); err != nil {
		return fmt.Errorf("pgstore: connecting to %s: %w", describe(pool), err), err
	}
	v, err := version(ctx, pool, o.Schema)
	if err != nil {
		return err, err
	}
	if v > SchemaVersion {
		return &SchemaError{Schema: o.Schema, Found: v, Supported: SchemaVersion, Err: ErrSchemaVersion}, nil
	}
	if v == SchemaVersion {
		return nil, nil
	}
	if o.NoMigrate {
		return &SchemaError{Schema: o.Schema, Found: v, Supported: SchemaVersion, Err: ErrNotMigrated}, nil
	}
	if err := migrate(ctx, pool, o.Schema); err != nil {
		var se *SchemaError
		var pgErr *pgconn.PgError
		if errors.As(err, &se) {
			return err, nil
		}
		if errors.As(err, &pgErr) && pgErr.Code == "42501" {
			return &SchemaError{Schema: o.Schema, Found: v, Supported: SchemaVersion, Err: err}, nil
		}
		return err, err
	}
	return nil, nil
}

// Migrate creates or migrates the tables of opts.Schema in the database of
// pool to [SchemaVersion], in one transaction; it does nothing when they
// are at that version. Run it as the role that owns the schema; writers
// then need only the privileges of [Grants]. A schema of a newer version
// is a [*SchemaError] wrapping [ErrSchemaVersion].
func Migrate(ctx context.Context, pool *pgxpool.Pool, opts *Options) error {
	schema := DefaultSchema
	if opts != nil && opts.Schema != "" {
		schema = opts.Schema
	}
	if err := checkSchemaName(schema); err != nil {
		return err
	}
	return migrate(ctx, pool, schema)
}

// Schema returns the PostgreSQL schema that holds the tables.
func (db *DB) Schema() string { return db.schema }

// Pool returns the connection pool.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Store returns the store of the record called name, for
// timeline.OpenStore. Several stores, in this process or others, may
// write to one record: see [Store.Append]. The name is any UTF-8 text of
// 1 to [MaxRecordName] bytes without NUL.
func (db *DB) Store(name string) (*Store, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return &Store{db: db, record: name}, nil
}

// Records returns the names of the records that hold entries, sorted.
func (db *DB) Records(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, "SELECT DISTINCT record FROM "+qualified(db.schema, EntriesTable)+" ORDER BY record")
	if err != nil {
		return nil, fmt.Errorf("pgstore: listing records: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("pgstore: listing records: %w", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: listing records: %w", err)
	}
	return names, nil
}

// Close sends the notifications still queued and closes the connections
// if Open made them; a DB made by New leaves its pool open. Stores of a
// closed DB fail. Close a DB when done with it, whichever made it: it
// runs a goroutine until then.
func (db *DB) Close() {
	db.stopNotifier()
	if db.ownPool {
		db.pool.Close()
	}
}

func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrRecordName)
	case len(name) > MaxRecordName:
		return fmt.Errorf("%w: %d bytes, more than %d", ErrRecordName, len(name), MaxRecordName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrRecordName, name)
	}
	for _, r := range name {
		if r == 0 {
			return fmt.Errorf("%w: %q contains NUL", ErrRecordName, name)
		}
	}
	return nil
}

// checkSchemaName checks a name of Options.Schema (see MaxSchemaName).
func checkSchemaName(name string) error {
	switch {
	case len(name) > MaxSchemaName:
		return fmt.Errorf("%w: %q has %d bytes, more than %d", ErrSchemaName, name, len(name), MaxSchemaName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrSchemaName, name)
	case strings.ContainsAny(name, "\x00'\"$\\{}"):
		// Braces: the migrations' SQL is filled in by placeholders such
		// as {schema}, which a name must not spell.
		return fmt.Errorf("%w: %q holds a NUL, a quote, a dollar sign, a backslash or a brace", ErrSchemaName, name)
	}
	return nil
}

// describe names the server of pool for errors, without secrets.
func describe(pool *pgxpool.Pool) string {
	c := pool.Config().ConnConfig
	return fmt.Sprintf("%s:%d database %q as %q", c.Host, c.Port, c.Database, c.User)
}
