package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(h, m, s int) time.Time { return time.Date(2026, 11, 24, h, m, s, 0, paris) }

// cutover records a cutover on a clock that the entries set themselves.
func cutover(t *testing.T, entries ...timeline.Entry) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range entries {
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	return j.Entries()
}

func TestHeadlineAgainstThePlan(t *testing.T) {
	plan := []plannedStep{
		{"backup", 10 * time.Minute, timeline.Disruption},
		{"migrate", 20 * time.Minute, timeline.Outage},
		{"dns", 5 * time.Minute, timeline.Outage},
	}
	entries := cutover(t,
		timeline.Entry{At: at(19, 50, 0), Kind: "x-mep.decision", Actor: "olga", Attrs: map[string]string{"verdict": "go", "t0": at(20, 0, 0).Format(time.RFC3339)}},
		timeline.Entry{At: at(20, 0, 0), Kind: timeline.KindStart, Step: "backup", Impact: timeline.Disruption},
		timeline.Entry{At: at(20, 12, 0), Kind: timeline.KindEnd, Step: "backup"}, // 2 min late
		timeline.Entry{At: at(20, 12, 0), Kind: timeline.KindStart, Step: "migrate", Impact: timeline.Outage},
	)

	h := compute(entries, plan, at(20, 20, 0))
	assert.Equal(t, "GO", h.Verdict)
	assert.Equal(t, "olga", h.GoBy)
	assert.True(t, h.T0.Equal(at(20, 0, 0)))
	assert.Equal(t, []string{"migrate"}, h.Running)
	assert.Equal(t, 2*time.Minute, h.Drift, "backup ended 2 min after its planned end")
	assert.True(t, h.ExpectedEnd.Equal(at(20, 37, 0)), "T0 + 35 min planned + 2 min: got %v", h.ExpectedEnd)
	assert.Equal(t, 8*time.Minute, h.Outage, "migrate has been running 8 min")
	assert.Equal(t, 12*time.Minute, h.Disruption)
	assert.Equal(t, 1, h.Done)
	assert.False(t, h.Finished)

	// migrate overruns: the drift grows with the clock.
	h = compute(entries, plan, at(20, 40, 0))
	assert.Equal(t, 10*time.Minute, h.Drift, "migrate was planned to end at 20:30")
	assert.True(t, h.ExpectedEnd.Equal(at(20, 45, 0)))

	// A no-go after the go wins; a vote is not a decision.
	entries = cutover(t,
		timeline.Entry{At: at(19, 50, 0), Kind: "x-mep.decision", Attrs: map[string]string{"verdict": "go"}},
		timeline.Entry{At: at(19, 55, 0), Kind: "x-mep.decision", Actor: "olga", Attrs: map[string]string{"verdict": "no-go"}},
		timeline.Entry{At: at(19, 56, 0), Kind: "x-mep.vote", Attrs: map[string]string{"verdict": "go"}},
	)
	h = compute(entries, plan, at(19, 58, 0))
	assert.Equal(t, "NO-GO", h.Verdict)
	assert.False(t, h.Started)
	assert.True(t, h.T0.IsZero())
}

func TestHeadlineWithoutPlan(t *testing.T) {
	entries := cutover(t,
		timeline.Entry{At: at(20, 0, 0), Kind: timeline.KindStart, Step: "a", Impact: timeline.Outage},
		timeline.Entry{At: at(20, 5, 0), Kind: timeline.KindEnd, Step: "a"},
	)
	h := compute(entries, nil, at(20, 6, 0))
	assert.Equal(t, "undecided", h.Verdict)
	assert.True(t, h.T0.Equal(at(20, 0, 0)), "T0 is the first start without a t0 attribute")
	assert.True(t, h.Finished)
	assert.True(t, h.ExpectedEnd.Equal(at(20, 5, 0)))
	assert.False(t, h.HasPlan)
	assert.Equal(t, 5*time.Minute, h.Outage)
}

func TestPlanFromRehearsal(t *testing.T) {
	rehearsal := cutover(t,
		timeline.Entry{At: at(20, 0, 0), Kind: timeline.KindStart, Step: "a"},
		timeline.Entry{At: at(20, 3, 0), Kind: timeline.KindEnd, Step: "a", Outcome: timeline.Failed},
		timeline.Entry{At: at(20, 4, 0), Kind: timeline.KindStart, Step: "a"},
		timeline.Entry{At: at(20, 10, 0), Kind: timeline.KindEnd, Step: "a"},
		timeline.Entry{At: at(20, 10, 0), Kind: timeline.KindStart, Step: "b", Impact: timeline.Outage},
		timeline.Entry{At: at(20, 12, 0), Kind: timeline.KindEnd, Step: "b"},
	)
	assert.Equal(t, []plannedStep{{"a", 10 * time.Minute, timeline.NoImpact}, {"b", 2 * time.Minute, timeline.Outage}}, planFrom(rehearsal))
}

// testServer serves the page of h on an httptest server.
func testServer(t *testing.T, r *room, plan []plannedStep) *httptest.Server {
	t.Helper()
	s := &server{room: r, plan: plan, now: time.Now, title: "billing <v2>", source: "test"}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	return ts
}

func TestPageEscapesEverything(t *testing.T) {
	h := newRoom(nil, time.Now)
	hostile := `</td><script>alert(1)</script><img src=x onerror=alert(2)>"'&`
	h.add(cutover(t,
		timeline.Entry{At: at(20, 0, 0), Kind: timeline.KindNote, Actor: hostile, Text: hostile},
		timeline.Entry{At: at(20, 0, 0), Kind: timeline.KindStart, Step: hostile, Impact: timeline.Outage},
		timeline.Entry{At: at(20, 0, 0), Kind: "x-mep.decision", Actor: hostile, Attrs: map[string]string{"verdict": hostile, "t0": hostile}},
	))
	ts := testServer(t, h, nil)
	res, err := http.Get(ts.URL + "/")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	page := string(body)
	assert.NotContains(t, page, "<script>alert")
	assert.NotContains(t, page, "<img")
	assert.NotContains(t, page, "billing <v2>")
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, page, "billing &lt;v2&gt;")
	assert.Equal(t, 1, strings.Count(page, "<script>"), "one script: the page's own")
}

func TestProtectiveHeadersAndReadOnly(t *testing.T) {
	ts := testServer(t, newRoom(nil, time.Now), nil)
	res, err := http.Get(ts.URL + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	hdr := res.Header
	assert.Equal(t, "nosniff", hdr.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-referrer", hdr.Get("Referrer-Policy"))
	assert.Equal(t, "DENY", hdr.Get("X-Frame-Options"))
	policy := hdr.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'", "base-uri 'none'", "form-action 'none'"} {
		assert.Contains(t, policy, d)
	}
	assert.NotContains(t, policy, "unsafe-inline")
	// The hashes in the policy are those of the page's script and style.
	for _, tag := range []string{"script", "style"} {
		m := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindSubmatch(body)
		require.NotNil(t, m, tag)
		assert.Contains(t, policy, "'"+hashSource(string(m[1]))+"'", "the %s the page carries is the one the policy allows", tag)
	}

	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, _ := http.NewRequest(method, ts.URL+"/", strings.NewReader("x"))
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode, method)
		assert.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
		assert.NotEmpty(t, res.Header.Get("Content-Security-Policy"), "every response is protected")
	}
	res, err = http.Get(ts.URL + "/other")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusNotFound, res.StatusCode)
}

// sseClient reads the updates of the events stream at url.
type sseClient struct {
	updates chan string
}

func newSSEClient(t *testing.T, url string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, "text/event-stream; charset=utf-8", res.Header.Get("Content-Type"))
	c := &sseClient{updates: make(chan string, 100)}
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 4<<20)
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data: "):
				data = append(data, strings.TrimPrefix(line, "data: "))
			case line == "" && data != nil:
				select {
				case c.updates <- strings.Join(data, "\n"):
				default: // the test reads the latest; drop when behind
				}
				data = nil
			}
		}
	}()
	return c
}

// waitFor returns how long it took for an update that contains every
// one of want, failing the test after limit.
func (c *sseClient) waitFor(t *testing.T, limit time.Duration, want ...string) time.Duration {
	t.Helper()
	began := time.Now()
	deadline := time.After(limit)
	for {
		select {
		case u := <-c.updates:
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(u, w)
			}
			if ok {
				return time.Since(began)
			}
		case <-deadline:
			t.Fatalf("no update with %q within %v", want, limit)
		}
	}
}

func TestEventsCarryNewEntriesOfAFileRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	h := newRoom(nil, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go followFile(ctx, path, h, time.Minute)
	ts := testServer(t, h, nil)
	c := newSSEClient(t, ts.URL+"/events")
	c.waitFor(t, 5*time.Second, "waiting for the journal file")

	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	defer j.Close()
	for _, step := range []string{"freeze-writes", "switch-dns"} {
		_, err := j.Start(step, "alice", timeline.Outage)
		require.NoError(t, err)
		took := c.waitFor(t, time.Second, step)
		t.Logf("%s on the page %v after its record", step, took.Round(time.Millisecond))
	}
}

func TestDemoServesAndStops(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-speed", "50", "-for", "1500ms"}, &stdout, &stderr, func(string) string { return "" })
	assert.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "warroom: serving file record ")
	assert.Empty(t, stderr.String())
}

func TestBadUsage(t *testing.T) {
	env := func(string) string { return "" }
	for _, args := range [][]string{{"-speed", "0"}, {"-record", "x"}, {"stray"}, {"-nope"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(context.Background(), args, &stdout, &stderr, env), "%q", args)
		assert.NotEmpty(t, stderr.String())
	}
}
