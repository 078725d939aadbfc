package pgstore_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// privateServer is a PostgreSQL server of the test's own, in a temporary
// directory, that the test may stop and restart without disturbing a
// shared one.
type privateServer struct {
	bin, dir, port string
	asPostgres     bool // run the binaries as the postgres user (the test runs as root)
}

// startPrivateServer initialises and starts a server, or skips the test
// when PostgreSQL's server binaries are not installed. It looks for them
// in MEPKIT_POSTGRES_BIN, then under /usr/lib/postgresql/*/bin.
func startPrivateServer(t *testing.T) *privateServer {
	t.Helper()
	bin := os.Getenv("MEPKIT_POSTGRES_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Strings(dirs)
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "initdb")); bin == "" || err != nil {
		t.Skip("PostgreSQL server binaries (initdb, pg_ctl) not found: set MEPKIT_POSTGRES_BIN to their directory to run the restart test")
	}
	srv := &privateServer{bin: bin, asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "pgstore-restart-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	srv.dir = dir
	if srv.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run the server as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		require.NoError(t, os.Chown(dir, uid, gid))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	srv.run(t, "initdb", "-D", srv.data(), "-A", "trust", "-U", "postgres", "--no-sync")
	srv.run(t, "pg_ctl", "-D", srv.data(), "-l", filepath.Join(dir, "log"), "-w", "-o", srv.options(), "start")
	t.Cleanup(func() { srv.cmd("pg_ctl", "-D", srv.data(), "-m", "immediate", "-w", "stop").Run() })
	return srv
}

func (s *privateServer) data() string { return filepath.Join(s.dir, "data") }

func (s *privateServer) options() string {
	return "-p " + s.port + " -k " + s.dir + " -c listen_addresses=127.0.0.1 -c fsync=on"
}

func (s *privateServer) dsn() string {
	return "postgres://postgres@127.0.0.1:" + s.port + "/postgres?sslmode=disable&connect_timeout=5"
}

func (s *privateServer) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	if s.asPostgres {
		quoted := make([]string, 0, len(args)+1)
		for _, a := range append([]string{path}, args...) {
			quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
		}
		return exec.Command("su", "postgres", "-c", strings.Join(quoted, " "))
	}
	return exec.Command(path, args...)
}

func (s *privateServer) run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := s.cmd(name, args...).CombinedOutput()
	require.NoError(t, err, "%s: %s", name, out)
}

// restart stops the server as a crash would (immediate mode: no
// checkpoint, recovery from the WAL at start) and starts it again.
func (s *privateServer) restart(t *testing.T) {
	t.Helper()
	s.run(t, "pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop")
	time.Sleep(300 * time.Millisecond) // writers find the server down
	s.run(t, "pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "log"), "-w", "-o", s.options(), "start")
}

func TestServerRestartDuringLoad(t *testing.T) {
	testDSN(t) // the test runs with the other PostgreSQL tests
	if testing.Short() {
		t.Skip("starts a PostgreSQL server; skipped with -short")
	}
	srv := startPrivateServer(t)
	dsn := srv.dsn()
	schema := "restart"
	db := openDB(t, dsn, schema)

	const writers, per = 4, 40
	var results []writerResult
	var wg sync.WaitGroup
	wg.Go(func() { results = runWriters(dsn, schema, "shared", writers, per) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := db.Store("shared")
	require.NoError(t, err)
	restarts := 0
	for _, at := range []int{10, 60} {
		for {
			es, err := s.LoadContext(ctx)
			require.NoError(t, err)
			if len(es) >= at {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		srv.restart(t)
		restarts++
	}
	wg.Wait()

	var acked []timeline.Entry
	errs := 0
	for w, r := range results {
		require.NoError(t, r.err, "writer %d", w)
		acked = append(acked, r.acked...)
		errs += r.errs
	}
	got := checkRecord(t, s, acked)
	assert.Len(t, got, writers*per)
	t.Logf("%d restarts (immediate stop, then recovery), %d errors returned to writers, %d acknowledged, %d stored",
		restarts, errs, len(acked), len(got))
}
