package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// The privileges of the role that writers log in as: read the entries and
// append through the function that checks each batch; never insert,
// update or delete rows directly.
func ExampleGrants() {
	fmt.Print(pgstore.Grants("mepkit", "mep_writer", true))
	// Output:
	// GRANT USAGE ON SCHEMA "mepkit" TO "mep_writer";
	// GRANT SELECT ON "mepkit"."timeline_schema" TO "mep_writer";
	// GRANT SELECT ON "mepkit"."timeline_entries" TO "mep_writer";
	// GRANT EXECUTE ON FUNCTION "mepkit"."append_entries"(text, bigint[], text[], text[]) TO "mep_writer";
	// REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "mepkit"."timeline_entries" FROM "mep_writer";
	// REVOKE CREATE ON SCHEMA "mepkit" FROM "mep_writer";
}

// A journal on a shared record: when another writer got there first,
// Record fails with timeline.ErrConflict and the journal catches up.
func ExampleDB_Store() {
	ctx := context.Background()
	db, err := pgstore.Open(ctx, os.Getenv("MEPKIT_POSTGRES"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	s, err := db.Store("golive-2026-11")
	if err != nil {
		log.Fatal(err)
	}
	j, err := timeline.OpenStore(s, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer j.Close()
	if _, err := j.Start("dns", "alice", timeline.Outage); err != nil {
		log.Fatal(err)
	}
}

// A portal follows a record as it grows.
func ExampleDB_Follow() {
	ctx := context.Background()
	db, err := pgstore.Open(ctx, os.Getenv("MEPKIT_POSTGRES"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	err = db.Follow(ctx, "golive-2026-11", 0, func(es []timeline.Entry) error {
		for _, e := range es {
			fmt.Println(e.Seq, e.Kind, e.Step, e.Text)
		}
		return nil
	})
	log.Fatal(err)
}

// A view of many records reads the one a notice names, and all of them
// after a (re)connect; the notices are hints, so it also reads them at
// an interval (mep/fleet's Schedule.Watch does this, and bounds the
// reads a flood of notices causes).
func ExampleDB_Listen() {
	ctx := context.Background()
	db, err := pgstore.Open(ctx, os.Getenv("MEPKIT_POSTGRES"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	err = db.Listen(ctx, func(n pgstore.Notice) error {
		if n.Connected {
			fmt.Println("read every record")
			return nil
		}
		fmt.Println("read", n.Record, "up to", n.Seq)
		return nil
	})
	log.Fatal(err)
}

// An error of a query of one's own on the DB's pool: a terminated
// backend is worth a retry, a missing table is not.
func ExampleIsTransient() {
	terminated := fmt.Errorf("listing records: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"})
	missing := fmt.Errorf("listing records: %w", &pgconn.PgError{Code: "42P01", Message: `relation "x" does not exist`})
	fmt.Println(pgstore.IsTransient(terminated), pgstore.IsTransient(missing))
	// Output: true false
}
