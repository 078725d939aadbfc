package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// TestClientsThatNeverReadAreDropped opens event streams, one read and
// five never read, while the record grows fast: those that never read do
// not hold up the one that reads, and are dropped once a write waits
// longer than the write timeout; the one that reads goes on.
func TestClientsThatNeverReadAreDropped(t *testing.T) {
	rm := newRoom(nil, time.Now)
	s := &server{room: rm, now: time.Now, writeTimeout: 3 * time.Second, title: "t", source: "s"}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)

	reader := newSSEClient(t, ts.URL+"/events")
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	const idle = 5
	for range idle {
		c, err := d.Dial("tcp", ts.Listener.Addr().String())
		require.NoError(t, err)
		defer c.Close()
		_, err = io.WriteString(c, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return s.streams.Load() == idle+1 }, 5*time.Second, 10*time.Millisecond)

	// Frames of about 60 kB fill the idle clients' sockets in a few.
	j := timeline.New(nil)
	text := strings.Repeat("a long note that fills the page ", 128)
	for range 40 {
		e, err := j.Note("olga", text)
		require.NoError(t, err)
		rm.add([]timeline.Entry{e})
		time.Sleep(5 * time.Millisecond)
	}
	e, err := j.Note("olga", "still here")
	require.NoError(t, err)
	rm.add([]timeline.Entry{e})
	took := reader.waitFor(t, 5*time.Second, "still here")
	assert.Less(t, took, time.Second, "the idle clients do not hold the reader up")
	require.Eventually(t, func() bool { return s.dropped.Load() == idle }, 20*time.Second, 10*time.Millisecond,
		"the clients that never read are dropped")
	assert.Eventually(t, func() bool { return s.streams.Load() == 1 }, 5*time.Second, 10*time.Millisecond)
	e, err = j.Note("olga", "and still")
	require.NoError(t, err)
	rm.add([]timeline.Entry{e})
	reader.waitFor(t, 5*time.Second, "and still")
}

func TestMaxClients(t *testing.T) {
	s := &server{room: newRoom(nil, time.Now), now: time.Now, maxStreams: 1, title: "t", source: "s"}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	first := newSSEClient(t, ts.URL+"/events")
	first.waitFor(t, 5*time.Second, `data-state="live"`)
	res, err := http.Get(ts.URL + "/events")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "one client at most")
	res, err = http.Get(ts.URL + "/")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "the page itself still answers")
}

// A client that goes away while the record does not change is found by
// the keep-alive comment that fails, and its stream ends.
func TestClientThatGoesAwayOnAQuietRecord(t *testing.T) {
	s := &server{room: newRoom(nil, time.Now), now: time.Now, keepAlive: 100 * time.Millisecond, title: "t", source: "s"}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	require.NoError(t, err)
	_, err = io.WriteString(c, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	buf := make([]byte, 4096)
	_, err = c.Read(buf)
	require.NoError(t, err)
	require.Equal(t, int64(1), s.streams.Load())
	require.NoError(t, c.Close())
	assert.Eventually(t, func() bool { return s.streams.Load() == 0 }, 10*time.Second, 20*time.Millisecond,
		"the stream of a client that went away ends")
}
