package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// serving runs the war room with args until the test ends and returns the
// page's URL and its server once the page answers.
func serving(t *testing.T, args ...string) (string, *server) {
	t.Helper()
	url, srv, _ := servingAt(t, freeAddr(t), args...)
	return url, srv
}

// servingAt runs the war room on addr with args, until stop or the end of
// the test, and returns the page's URL and its server once the page
// answers.
func servingAt(t *testing.T, addr string, args ...string) (url string, srv *server, stop func()) {
	t.Helper()
	url = "http://" + addr + "/"
	servers := make(chan *server, 1)
	testHookServer = func(s *server) { servers <- s }
	t.Cleanup(func() { testHookServer = nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"-addr", addr}, args...), &bytes.Buffer{}, &stderr, func(string) string { return "" })
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			assert.Equal(t, 0, <-done, "warroom: %s", stderr.String())
		})
	}
	t.Cleanup(stop)
	select {
	case srv = <-servers:
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not start: %s", stderr.String())
	}
	require.Eventually(t, func() bool {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond, "the page answers: %s", stderr.String())
	return url, srv, stop
}

// watchBreak waits for the page in b to stop saying live, checking all
// along that it never says live next to a tamper shown on the page, and
// returns what its badge says then.
func watchBreak(t *testing.T, b *chromeTab) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		// One evaluation: the badge and the live part as the page shows
		// them at one moment.
		conn, live, _ := strings.Cut(b.eval(t, `document.getElementById("conn").innerText+"\n"+document.getElementById("live").innerText`), "\n")
		if strings.HasPrefix(conn, "not live") {
			return conn
		}
		require.False(t, conn == "live" && strings.Contains(live, "tampered"),
			"the page says live next to a tampered record:\n%s", live)
		require.True(t, time.Now().Before(deadline), "the page stops saying live; it says %q", conn)
		time.Sleep(5 * time.Millisecond)
	}
}

// TestBrowserShowsABrokenPostgresRecord opens the page of a PostgreSQL
// record of 5 entries in headless Chromium, then a superuser changes the
// record under it: the page turns red with the seq at fault, no longer
// says live, and says so again on reload. With MEPKIT_SCREENSHOTS set to
// a directory, it saves the broken page at 390 and 1280 pixels wide there.
func TestBrowserShowsABrokenPostgresRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, su *pgx.Conn, table string, st *pgstore.Store, es []timeline.Entry)
		want   map[uint64]string // the seq the page names, with what it says then
	}{
		{"pg-cut", func(t *testing.T, su *pgx.Conn, table string, _ *pgstore.Store, _ []timeline.Entry) {
			superuser(t, su, table, "DELETE FROM "+table+" WHERE record = 'golive' AND seq > 3")
		}, map[uint64]string{4: "it held 5 entries, it now holds 3"}},
		{"pg-rewritten", func(t *testing.T, su *pgx.Conn, table string, _ *pgstore.Store, es []timeline.Entry) {
			forged := forked(t, es, 4, 5)[4]
			var line bytes.Buffer
			require.NoError(t, timeline.WriteJSONL(&line, []timeline.Entry{forged}))
			superuser(t, su, table, "UPDATE "+table+" SET hash = $1, line = $2 WHERE record = 'golive' AND seq = 5",
				forged.Hash, strings.TrimSuffix(line.String(), "\n"))
		}, map[uint64]string{5: "rewritten, or the record forked"}},
		{"pg-forked", func(t *testing.T, su *pgx.Conn, table string, st *pgstore.Store, es []timeline.Entry) {
			superuser(t, su, table, "DELETE FROM "+table+" WHERE record = 'golive' AND seq > 2")
			require.NoError(t, st.Append(forked(t, es, 2, 6)[2:]))
		}, map[uint64]string{5: "rewritten, or the record forked"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, st, su, table := pgRecord(t, 5)
			_, err := su.Exec(t.Context(), "SET session_replication_role = origin")
			require.NoError(t, err)
			es, err := st.LoadContext(t.Context())
			require.NoError(t, err)
			url, srv := serving(t, "-postgres", pgtest.DSN(t, "the war room on a PostgreSQL record"), "-schema", db.Schema(), "-record", "golive")
			b := startBrowser(t, chrome)
			openLive(t, b, url, srv, 5)

			c.tamper(t, su, table, st, es)
			conn := watchBreak(t, b)
			seq, err := strconv.ParseUint(strings.TrimPrefix(conn, "not live: broken at seq "), 10, 64)
			require.NoError(t, err, "the badge says the seq: %q", conn)
			require.Contains(t, c.want, seq, "the seq at fault")
			want := "not live: broken at seq " + strconv.FormatUint(seq, 10)
			live := b.text(t, "live")
			assert.Contains(t, live, "Record broken at seq "+strconv.FormatUint(seq, 10)+": not live")
			assert.Contains(t, live, c.want[seq])
			assert.Equal(t, "broken", b.eval(t, "document.body.className"))
			assert.Equal(t, "rgb(218, 54, 51)", b.eval(t, "getComputedStyle(document.querySelector('header')).backgroundColor"), "a red header")
			time.Sleep(2500 * time.Millisecond) // the next head check and Follow's retry, if any
			assert.Equal(t, want, b.text(t, "conn"), "the page stays red")
			shots(t, b, c.name)

			b.navigate(t, url) // a reload says it too, before any script runs
			require.Eventually(t, func() bool { return srv.streams.Load() >= 2 }, 30*time.Second, 10*time.Millisecond,
				"the reloaded page opened the events stream")
			assert.Equal(t, want, b.text(t, "conn"))
			assert.Contains(t, b.text(t, "live"), "Record broken at seq "+strconv.FormatUint(seq, 10))
		})
	}
}

// openLive loads url in b and waits until the page, served by srv, says
// it is live with the n entries of the record.
func openLive(t *testing.T, b *chromeTab, url string, srv *server, n int) {
	t.Helper()
	b.navigate(t, url)
	require.Eventually(t, func() bool { return srv.streams.Load() >= 1 }, 30*time.Second, 10*time.Millisecond,
		"the browser opened the events stream")
	require.Eventually(t, func() bool {
		return b.text(t, "conn") == "live" && strings.Contains(b.text(t, "live"), strconv.Itoa(n)+" in the record")
	}, 10*time.Second, 20*time.Millisecond, "the page says it is live with the %d entries", n)
}

// superuser runs sql on the record's table with its triggers off, as a
// superuser can: ALTER TABLE ... DISABLE TRIGGER USER, sql, then ENABLE.
func superuser(t *testing.T, su *pgx.Conn, table, sql string, args ...any) {
	t.Helper()
	_, err := su.Exec(t.Context(), "ALTER TABLE "+table+" DISABLE TRIGGER USER")
	require.NoError(t, err)
	_, err = su.Exec(t.Context(), sql, args...)
	require.NoError(t, err)
	_, err = su.Exec(t.Context(), "ALTER TABLE "+table+" ENABLE TRIGGER USER")
	require.NoError(t, err)
}

// TestBrowserTabAcrossAServerRestart keeps a tab open while the war room
// restarts on a record cut meanwhile. A new server knows nothing of what
// the tab showed, and sees the cut record as whole: the tab itself says
// it is not live. A tab that showed the record broken stays red; a tab
// that showed 21 entries, offered 1 now, turns red at seq 2. Both went
// back to a green "live" on the cut record.
func TestBrowserTabAcrossAServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	for _, c := range []struct {
		name      string
		cutBefore bool // the record is cut while the first server runs
	}{{"restart-broken", true}, {"restart-cut", false}} {
		t.Run(c.name, func(t *testing.T) {
			path, _ := fileRecord(t, 21)
			addr := freeAddr(t)
			url, srv, stop := servingAt(t, addr, "-f", path)
			b := startBrowser(t, chrome)
			openLive(t, b, url, srv, 21)

			data, err := os.ReadFile(path)
			require.NoError(t, err)
			first := bytes.IndexByte(data, '\n') + 1
			cut := func() { require.NoError(t, os.WriteFile(path, data[:first], 0o644)) }
			if c.cutBefore {
				cut()
				assert.Equal(t, "not live: broken at seq 2", watchBreak(t, b))
			}
			stop()
			if !c.cutBefore {
				cut()
			}
			_, srv2, _ := servingAt(t, addr, "-f", path)
			require.Eventually(t, func() bool { return srv2.streams.Load() >= 1 }, 30*time.Second, 10*time.Millisecond,
				"the tab reconnected to the new server")
			time.Sleep(1500 * time.Millisecond) // its first frames
			assert.Equal(t, "not live: broken at seq 2", watchBreak(t, b))
			assert.Equal(t, "broken", b.eval(t, "document.body.className"))
			live := b.text(t, "live")
			assert.Contains(t, live, "Record broken at seq 2: not live")
			if !c.cutBefore {
				assert.Contains(t, live, "this page showed 21 entries, the server now shows 1")
				assert.Contains(t, live, "Latest entries (21 verified before the break)")
			}
			shots(t, b, c.name)
		})
	}
}

// A tab open on 21 entries while the war room restarts on a record it
// cannot read yet (its file moved away a moment) waits for it, then says
// live again: a server that read nothing yet is not a record cut to 0.
func TestBrowserTabWaitsForARestartedServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	path, _ := fileRecord(t, 21)
	addr := freeAddr(t)
	url, srv, stop := servingAt(t, addr, "-f", path)
	b := startBrowser(t, chrome)
	b.navigate(t, url)
	require.Eventually(t, func() bool { return srv.streams.Load() >= 1 }, 30*time.Second, 10*time.Millisecond,
		"the browser opened the events stream")
	require.Eventually(t, func() bool { return b.text(t, "conn") == "live" }, 10*time.Second, 20*time.Millisecond,
		"the page says it is live")

	stop()
	require.NoError(t, os.Rename(path, path+".away"))
	_, srv2, _ := servingAt(t, addr, "-f", path)
	require.Eventually(t, func() bool { return srv2.streams.Load() >= 1 }, 30*time.Second, 10*time.Millisecond,
		"the tab reconnected to the new server")
	time.Sleep(1500 * time.Millisecond) // its first frames, of no entry
	assert.Equal(t, "reconnecting", b.text(t, "conn"), "not live, not broken")
	require.NoError(t, os.Rename(path+".away", path))
	require.Eventually(t, func() bool {
		return b.text(t, "conn") == "live" && strings.Contains(b.text(t, "live"), "21 in the record")
	},
		10*time.Second, 20*time.Millisecond, "the page says live again with the 21 entries")
}
