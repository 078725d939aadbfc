package pgstore_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storeOpener returns a function that opens a new DB on dsn (its own
// connections) and the store of record in it; the store closes the DB.
func storeOpener(dsn, schema, record string) func() (timeline.Store, error) {
	return func() (timeline.Store, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := pgstore.OpenStore(ctx, dsn, record, &pgstore.Options{Schema: schema, Timeout: 20 * time.Second})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

type writerResult struct {
	acked []timeline.Entry
	errs  int
	err   error
}

// runWriters runs n writers in goroutines, each with connections of its
// own, recording per notes each on one record.
func runWriters(dsn, schema, record string, n, per int) []writerResult {
	results := make([]writerResult, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			r := &results[w]
			r.acked, r.errs, r.err = writer(storeOpener(dsn, schema, record), "w"+strconv.Itoa(w), per)
		})
	}
	wg.Wait()
	return results
}

func TestWritersInGoroutinesKeepOneChain(t *testing.T) {
	db, dsn, schema := testDB(t)
	const writers, per = 6, 25
	results := runWriters(dsn, schema, "shared", writers, per)
	var acked []timeline.Entry
	conflicts := 0
	for w, r := range results {
		require.NoError(t, r.err, "writer %d", w)
		acked = append(acked, r.acked...)
		conflicts += r.errs
	}
	s, err := db.Store("shared")
	require.NoError(t, err)
	got := checkRecord(t, s, acked)
	assert.Len(t, got, writers*per, "every note stored once")
	t.Logf("%d writers, %d entries, %d conflicts caught up", writers, len(got), conflicts)
}

// TestChildWriter is the body of the writer processes that
// TestWritersInProcessesKeepOneChain starts; on its own it does nothing.
func TestChildWriter(t *testing.T) {
	spec := os.Getenv("PGSTORE_TEST_CHILD")
	if spec == "" {
		t.Skip("runs only as a child process of TestWritersInProcessesKeepOneChain")
	}
	var c struct {
		DSN, Schema, Record, Name string
		N                         int
	}
	require.NoError(t, json.Unmarshal([]byte(spec), &c))
	acked, errs, err := writer(storeOpener(c.DSN, c.Schema, c.Record), c.Name, c.N)
	for _, e := range acked {
		line, _ := json.Marshal(e)
		fmt.Printf("ACK %s\n", line)
	}
	fmt.Printf("ERRORS %d\n", errs)
	require.NoError(t, err)
}

func TestWritersInProcessesKeepOneChain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	db, dsn, schema := testDB(t)
	const procs, per = 4, 20
	type out struct {
		acked []timeline.Entry
		errs  int
		err   error
	}
	outs := make([]out, procs)
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			spec, _ := json.Marshal(map[string]any{"DSN": dsn, "Schema": schema, "Record": "shared", "Name": "p" + strconv.Itoa(p), "N": per})
			cmd := exec.Command(os.Args[0], "-test.run=^TestChildWriter$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "PGSTORE_TEST_CHILD="+string(spec))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			o := &outs[p]
			if err != nil {
				o.err = fmt.Errorf("writer process %d: %w\n%s%s", p, err, stdout.String(), stderr.String())
				return
			}
			sc := bufio.NewScanner(&stdout)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				line := sc.Text()
				if rest, ok := strings.CutPrefix(line, "ACK "); ok {
					var e timeline.Entry
					if err := json.Unmarshal([]byte(rest), &e); err != nil {
						o.err = err
						return
					}
					o.acked = append(o.acked, e)
				} else if rest, ok := strings.CutPrefix(line, "ERRORS "); ok {
					o.errs, _ = strconv.Atoi(rest)
				}
			}
		})
	}
	wg.Wait()
	var acked []timeline.Entry
	conflicts := 0
	for p, o := range outs {
		require.NoError(t, o.err, "process %d", p)
		acked = append(acked, o.acked...)
		conflicts += o.errs
	}
	s, err := db.Store("shared")
	require.NoError(t, err)
	got := checkRecord(t, s, acked)
	assert.Len(t, got, procs*per)
	assert.Len(t, acked, procs*per, "every Record acknowledged or retried until acknowledged")
	t.Logf("%d processes, %d entries, %d conflicts caught up", procs, len(got), conflicts)
}

func TestWritersKilledMidTransaction(t *testing.T) {
	db, dsn, schema := testDB(t)
	app := "pgstore_kill_" + schema[len("pgstore_test_"):]
	wdsn := withParams(t, dsn, "application_name", app)
	const writers, per = 4, 15

	ctx, cancel := context.WithCancel(context.Background())
	var kills, active atomic.Int64
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		admin := openDB(t, dsn, schema).Pool()
		for ctx.Err() == nil {
			var all, act int64
			err := admin.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 'active')
				FROM (SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1) k`, app).Scan(&all, &act)
			if err == nil {
				kills.Add(all)
				active.Add(act)
			}
			time.Sleep(time.Duration(20+kills.Load()%40) * time.Millisecond)
		}
	}()
	results := runWriters(wdsn, schema, "shared", writers, per)
	cancel()
	<-killed

	var acked []timeline.Entry
	errs := 0
	for w, r := range results {
		require.NoError(t, r.err, "writer %d either succeeded or got an error, and then caught up", w)
		acked = append(acked, r.acked...)
		errs += r.errs
	}
	s, err := db.Store("shared")
	require.NoError(t, err)
	got := checkRecord(t, s, acked)
	assert.Len(t, got, writers*per, "every note stored once")
	assert.Positive(t, kills.Load(), "connections were killed")
	t.Logf("%d backends terminated (%d in the middle of a statement), %d errors returned to writers, %d acknowledged, %d stored",
		kills.Load(), active.Load(), errs, len(acked), len(got))
}
