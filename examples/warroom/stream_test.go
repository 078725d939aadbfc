package main

import (
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// TestClientThatNeverReadsIsDropped opens two event streams, one read and
// one never read, while the record grows fast: the one that never reads
// is dropped once a write waits longer than the write timeout, the other
// goes on.
func TestClientThatNeverReadsIsDropped(t *testing.T) {
	rm := newRoom(nil, time.Now)
	s := &server{room: rm, now: time.Now, writeTimeout: 200 * time.Millisecond, title: "t", source: "s"}
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)

	reader := newSSEClient(t, ts.URL+"/events")
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	idle, err := d.Dial("tcp", ts.Listener.Addr().String())
	require.NoError(t, err)
	defer idle.Close()
	_, err = io.WriteString(idle, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return s.streams.Load() == 2 }, 5*time.Second, 10*time.Millisecond)

	j := timeline.New(nil)
	text := strings.Repeat("a long note that fills the page ", 128)
	deadline := time.Now().Add(20 * time.Second)
	for s.dropped.Load() == 0 && time.Now().Before(deadline) {
		e, err := j.Note("olga", text)
		require.NoError(t, err)
		rm.add([]timeline.Entry{e})
		time.Sleep(5 * time.Millisecond)
	}
	require.Equal(t, int64(1), s.dropped.Load(), "the client that never reads is dropped")
	assert.Eventually(t, func() bool { return s.streams.Load() == 1 }, 5*time.Second, 10*time.Millisecond)
	e, err := j.Note("olga", "still here")
	require.NoError(t, err)
	rm.add([]timeline.Entry{e})
	reader.waitFor(t, 5*time.Second, "still here")
}
