package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// loadEnv turns the load test on: it takes about a minute and both cores.
const loadEnv = "MEPKIT_WARROOM_LOAD"

// envInt returns the integer in the variable name, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestLoadThousandClients serves a PostgreSQL record of 100,000 entries
// from the warroom program, run as a process of its own, to 1,000 clients
// of the events stream, appends entries one every half second, and
// measures when each client gets each one, how long GET / takes
// meanwhile, and the server's resident memory before and after the
// clients connected. Run with
//
//	MEPKIT_WARROOM_LOAD=1 MEPKIT_POSTGRES=... go test ./examples/warroom -run TestLoadThousandClients -v
//
// MEPKIT_WARROOM_CLIENTS and MEPKIT_WARROOM_ENTRIES change the numbers.
func TestLoadThousandClients(t *testing.T) {
	if os.Getenv(loadEnv) == "" {
		t.Skip("a load test of about a minute: set " + loadEnv + "=1 to run it")
	}
	clients, size := envInt("MEPKIT_WARROOM_CLIENTS", 1000), envInt("MEPKIT_WARROOM_ENTRIES", 100000)
	dsn := pgtest.DSN(t, "the war room's load test")
	schema := pgtest.Schema(t, dsn, "warroom_load_")
	ctx := t.Context()
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()
	st, err := db.Store("load")
	require.NoError(t, err)
	fillRecord(t, st, size)

	cmd, url := startServer(t, dsn, schema, size)
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	rss0 := rss(t, cmd.Process.Pid)

	// The clients connect, a tenth of them first, and get the page's
	// first update: the memory they take is the difference.
	appends := 20
	cs := make([]*loadClient, clients)
	var wg sync.WaitGroup
	connect := func(from, to int) {
		for i := from; i < to; i++ {
			cs[i] = &loadClient{base: uint64(size), seen: make([]time.Time, appends+1)}
			require.NoError(t, cs[i].connect(addr), "client %d", i)
			wg.Go(cs[i].read)
		}
		require.Eventually(t, func() bool {
			for _, c := range cs[from:to] {
				if c.first.Load() == nil {
					return false
				}
			}
			return true
		}, time.Minute, 50*time.Millisecond, "every client got the page")
		time.Sleep(2 * time.Second)
	}
	few := clients / 10
	connect(0, few)
	rssFew := rss(t, cmd.Process.Pid)
	connect(few, clients)
	rss1 := rss(t, cmd.Process.Pid)

	// GET / is timed all along, while a writer appends.
	probe, cancel := context.WithCancel(ctx)
	var gets []time.Duration
	var pw sync.WaitGroup
	pw.Go(func() { gets = timeGets(probe, url) })
	j, err := timeline.OpenStore(st, nil)
	require.NoError(t, err)
	appended := make([]time.Time, appends+1)
	for k := 1; k <= appends; k++ {
		_, err := j.Note("load", "entry "+strconv.Itoa(size+k))
		require.NoError(t, err)
		appended[k] = time.Now()
		time.Sleep(500 * time.Millisecond)
	}
	require.NoError(t, j.Close())
	time.Sleep(3 * time.Second)
	cancel()
	pw.Wait()
	rss2 := rss(t, cmd.Process.Pid)
	closeAll(cs)
	wg.Wait()

	lat, missed := latencies(cs, appended)
	perClient := (rss1 - rssFew) / int64(clients-few)
	t.Logf("%d clients, %d entries: an appended entry on every page: p50 %v, p99 %v, max %v; %d of %d missed",
		clients, size, quantile(lat, .5), quantile(lat, .99), quantile(lat, 1), missed, clients*appends)
	t.Logf("GET / while serving them: %d requests, p50 %v, p99 %v, max %v", len(gets), quantile(gets, .5), quantile(gets, .99), quantile(gets, 1))
	t.Logf("server RSS: %d MiB before the clients, %d MiB with %d, %d MiB with %d (%d KiB per client), %d MiB at the end",
		rss0>>20, rssFew>>20, few, rss1>>20, clients, perClient>>10, rss2>>20)
	assert.Zero(t, missed, "every client got every entry")
	assert.LessOrEqual(t, quantile(lat, .99), time.Second, "p99 of an entry on every page")
	assert.LessOrEqual(t, quantile(gets, .99), 50*time.Millisecond, "p99 of GET /")
	assert.LessOrEqual(t, perClient, int64(64<<10), "memory per client")
}

// startServer builds the warroom program and serves the record "load" of
// schema, waiting until the page shows its size entries.
func startServer(t *testing.T, dsn, schema string, size int) (*exec.Cmd, string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "warroom")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "-addr", addr, "-postgres", dsn, "-schema", schema, "-record", "load", "-max-clients", "0")
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	url := "http://" + addr + "/"
	want := fmt.Sprintf(`data-seq="%d"`, size)
	require.Eventually(t, func() bool { return strings.Contains(get(url), want) }, time.Minute, 100*time.Millisecond,
		"the page shows the %d entries", size)
	time.Sleep(time.Second)
	return cmd, url
}

// latencies returns, for each client and each entry k appended at
// appended[k], how long it took to show on the client's page, and how
// many never showed.
func latencies(cs []*loadClient, appended []time.Time) ([]time.Duration, int) {
	var lat []time.Duration
	missed := 0
	for _, c := range cs {
		for k := 1; k < len(appended); k++ {
			if c.seen[k].IsZero() {
				missed++
				continue
			}
			lat = append(lat, c.seen[k].Sub(appended[k]))
		}
	}
	return lat, missed
}

func closeAll(cs []*loadClient) {
	for _, c := range cs {
		c.conn.Close()
	}
}

// quantile returns the q quantile of ds (sorting ds), 0 for none.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}

// fillRecord appends n entries to st: a cutover of 40 steps, one every
// n/40 entries, amid notes.
func fillRecord(t *testing.T, st *pgstore.Store, n int) {
	t.Helper()
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	clock := t0
	j := timeline.New(&timeline.Options{Now: func() time.Time { clock = clock.Add(50 * time.Millisecond); return clock }})
	every := max(4, n/40)
	step := ""
	for i := 0; i < n; i++ {
		var err error
		switch {
		case i%every == 0 && step == "":
			step = "step-" + strconv.Itoa(i/every)
			_, err = j.Start(step, "alice", timeline.Outage)
		case i%every == every/2 && step != "":
			_, err = j.End(step, "alice", timeline.Done)
			step = ""
		default:
			_, err = j.Note("bob", "note "+strconv.Itoa(i+1)+": all green on the dashboards")
		}
		require.NoError(t, err)
	}
	entries := j.Entries()
	for len(entries) > 0 {
		b := entries[:min(len(entries), 2000)]
		require.NoError(t, st.AppendContext(t.Context(), b))
		entries = entries[len(b):]
	}
}

// loadClient is one client of the events stream that notes when it first
// sees each entry appended after base.
type loadClient struct {
	conn  net.Conn
	base  uint64
	seen  []time.Time // [k]: when it first showed seq base+k or later
	first atomicTime
}

type atomicTime struct {
	mu sync.Mutex
	t  *time.Time
}

func (a *atomicTime) Load() *time.Time  { a.mu.Lock(); defer a.mu.Unlock(); return a.t }
func (a *atomicTime) Store(t time.Time) { a.mu.Lock(); defer a.mu.Unlock(); a.t = &t }

func (c *loadClient) connect(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	c.conn = conn
	_, err = io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: "+addr+"\r\nAccept: text/event-stream\r\n\r\n")
	return err
}

// read reads the stream until the connection closes.
func (c *loadClient) read() {
	sc := bufio.NewScanner(c.conn)
	sc.Buffer(nil, 1<<20)
	const mark = `data-seq="`
	for sc.Scan() {
		line := sc.Text()
		i := strings.Index(line, mark)
		if i < 0 {
			continue
		}
		now := time.Now()
		rest := line[i+len(mark):]
		seq, err := strconv.ParseUint(rest[:max(0, strings.IndexByte(rest, '"'))], 10, 64)
		if err != nil {
			continue
		}
		if c.first.Load() == nil {
			c.first.Store(now)
		}
		for k := 1; k < len(c.seen) && c.base+uint64(k) <= seq; k++ {
			if c.seen[k].IsZero() {
				c.seen[k] = now
			}
		}
	}
}

// timeGets times GET url every 50 ms until ctx ends.
func timeGets(ctx context.Context, url string) []time.Duration {
	var out []time.Duration
	client := &http.Client{Timeout: 10 * time.Second}
	for ctx.Err() == nil {
		began := time.Now()
		res, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		d := time.Since(began)
		if err != nil {
			d = 10 * time.Second
		}
		out = append(out, d)
		time.Sleep(50 * time.Millisecond)
	}
	return out
}

func get(url string) string {
	res, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// rss returns the resident memory of process pid, in bytes.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS in /proc/%d/status", pid)
	return 0
}
