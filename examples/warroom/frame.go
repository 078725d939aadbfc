package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mepkit/mepkit/mep"
)

// frame is the live part of the page rendered once for every client: at
// each change of the room and at most once a second for the clock. Its
// bytes are shared, never modified: a client holds at most this one frame,
// the latest, whatever the number of clients.
type frame struct {
	version   uint64 // the room's version it shows
	sec       int64  // the second of the clock it shows (Unix)
	live      []byte // the HTML of the live part
	event     []byte // live as one Server-Sent Event
	broken    bool
	brokenSeq uint64 // the seq at fault when broken
}

// fanOut writes a frame to the clients a few at a time (one fewer than
// the cores, at least one), so that a change wakes one writer after the
// other rather than a thousand at once, and a request for the page still
// finds a core. A client whose socket is full leaves its turn after
// turnWrite and finishes its write on its own, within its deadline.
type fanOut struct {
	once  sync.Once
	turns chan struct{}
}

// turnWrite is how long a write may hold a turn of fanOut.
const turnWrite = 20 * time.Millisecond

// write writes b to conn within timeout: in a turn, then, if the client's
// socket is full, out of turn. A client that lagged (lagged true: its
// last write left its turn) writes out of turn at once, so that clients
// that do not read never hold the others up. It returns whether the
// client lags: its write took turnWrite or more.
func (o *fanOut) write(conn net.Conn, b []byte, timeout time.Duration, lagged bool) (bool, error) {
	o.once.Do(func() { o.turns = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1)) })
	began := time.Now()
	n := 0
	if !lagged {
		o.turns <- struct{}{}
		conn.SetWriteDeadline(time.Now().Add(min(turnWrite, timeout)))
		var err error
		n, err = conn.Write(b)
		<-o.turns
		if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
			return false, err
		}
	}
	conn.SetWriteDeadline(began.Add(timeout))
	_, err := conn.Write(b[n:])
	return time.Since(began) >= turnWrite, err
}

// frames renders the frames of a server, one at a time, and keeps the
// latest.
type frames struct {
	mu  sync.Mutex // held while rendering
	cur atomic.Pointer[frame]
}

// frame returns the frame of the room as it is now: the latest rendered
// if the room did not change since and the clock is in the same second,
// else a new one, rendered once whoever asks at the same time.
func (s *server) frame() (*frame, error) {
	now := s.now()
	fresh := func(f *frame, version uint64) bool {
		return f != nil && f.version == version && (f.sec == now.Unix() || f.sec < 0 || f.broken)
	}
	_, version := s.room.wait()
	if f := s.frames.cur.Load(); fresh(f, version) {
		return f, nil
	}
	s.frames.mu.Lock()
	defer s.frames.mu.Unlock()
	_, version = s.room.wait()
	if f := s.frames.cur.Load(); fresh(f, version) {
		return f, nil
	}
	v, version := s.view(now)
	var b bytes.Buffer
	if err := renderLive(&b, v); err != nil {
		return nil, err
	}
	var ev bytes.Buffer
	if err := writeEvent(&ev, "update", b.Bytes()); err != nil {
		return nil, err
	}
	f := &frame{version: version, sec: now.Unix(), live: b.Bytes(), event: ev.Bytes(), broken: v.Broken != nil}
	if !v.ticking() {
		f.sec = -1 // the same frame until the record changes
	}
	if v.Broken != nil {
		f.brokenSeq = v.Broken.Seq
	}
	s.frames.cur.Store(f)
	return f, nil
}

// view computes what the page shows at now from the room, and the room's
// version it shows. A project's record written by package mep is folded
// by mep, which says where the rollout stands; any other record gets the
// headline of its entries (see tally).
func (s *server) view(now time.Time) (view, uint64) {
	r := s.room
	r.mu.Lock()
	defer r.mu.Unlock()
	var h headline
	plan, err := s.plan, r.err
	if f := r.mep; f != nil {
		ferr := f.err
		var ro *mep.Rollout
		if ferr == nil {
			ro, ferr = rolloutOf(f.project, s.rollout)
		}
		if ferr == nil {
			h, plan = f.fromRollout(ro, now)
		} else {
			h, plan = r.tally.headline(nil, now), nil
			err = errors.Join(err, ferr)
		}
	} else {
		h = r.tally.headline(s.plan, now)
	}
	latest := r.latest[max(0, len(r.latest)-latestCount):]
	v := newView(h, latest, int(r.count), plan, s.loc, err)
	v.Broken = r.broken
	v.Seq = r.count
	return v, r.version
}

// writeTimeout is how long a client of the events stream has to take an
// update: one that reads nothing for that long is dropped.
const writeTimeout = 10 * time.Second

// keepAlive is how long a stream may go without a write: a record that
// does not change gets a comment that often.
const keepAlive = 15 * time.Second

// sendBuffer bounds what the system holds for a client that reads slowly:
// a few frames.
const sendBuffer = 64 << 10

// events streams the live part of the page as Server-Sent Events: at
// once, at each change of the record, and every tick. Each client gets
// the latest frame, shared with the others (a client that lags skips the
// frames it missed), written straight to its connection, taken over from
// net/http so that a client costs no buffers of its own; each write has a
// deadline: a client that does not read is dropped.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	if s.maxStreams > 0 && s.streams.Load() >= s.maxStreams {
		http.Error(w, "too many clients; the page refreshes by itself", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "the events stream needs HTTP/1.1", http.StatusHTTPVersionNotSupported)
		return
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	h.Set("Connection", "close")
	h.Write(&head)
	head.WriteString("\r\nretry: 1000\n\n")
	// The stream runs on a goroutine of its own, so that net/http's
	// goroutine, its stack and its buffers for the request are released.
	s.streams.Add(1)
	go func() {
		defer s.streams.Add(-1)
		defer conn.Close()
		s.stream(conn, head.Bytes())
	}()
}

// stream writes head, then the frames, to conn until the server stops or
// a write fails.
func (s *server) stream(conn net.Conn, head []byte) {
	timeout := s.writeTimeout
	if timeout <= 0 {
		timeout = writeTimeout
	}
	lagged := false
	write := func(b []byte) bool {
		var err error
		if lagged, err = s.fanOut.write(conn, b, timeout, lagged); err != nil {
			s.dropped.Add(1)
			return false
		}
		return true
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetWriteBuffer(sendBuffer)
	}
	if !write(head) {
		return
	}
	done := s.done
	t := time.NewTicker(tick)
	defer t.Stop()
	alive := s.keepAlive
	if alive <= 0 {
		alive = keepAlive
	}
	var last *frame
	wrote := time.Now()
	for {
		changed, _ := s.room.wait()
		f, err := s.frame()
		if err != nil {
			return
		}
		switch {
		case f != last:
			if !write(f.event) {
				return
			}
			last, wrote = f, time.Now()
		case time.Since(wrote) >= alive:
			// A comment: proxies keep the stream open, and a client that
			// went away is found by the write that fails.
			if !write([]byte(": keep-alive\n\n")) {
				return
			}
			wrote = time.Now()
		}
		select {
		case <-done:
			return
		case <-changed:
		case <-t.C:
		}
	}
}

// page serves the whole page, its live part from the latest frame.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	f, err := s.frame()
	var b bytes.Buffer
	if err == nil {
		err = renderPage(&b, s.title, s.source, s.sched != nil, f)
	}
	if err != nil {
		http.Error(w, "rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	io.Copy(w, &b)
}
