package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
)

// chromium returns the path of a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium on PATH (chromium, chromium-browser, google-chrome; Debian: apt-get install chromium)"
	if os.Getenv(browser.RequiredEnv) != "" {
		t.Fatalf("%s; %s is set, so the browser tests must run", msg, browser.RequiredEnv)
	}
	t.Skip(msg + ": skipping the browser test")
	return ""
}

// buildJournal builds the journal program into the test's directory.
func buildJournal(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "journal")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/mepkit/mepkit/examples/journal").CombinedOutput()
	require.NoError(t, err, "building examples/journal: %s", out)
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// TestBrowserShowsWhatTwoJournalsRecord opens the page in headless
// Chromium while two journal programs, run at the same time, start a step
// each: the page in the browser shows each step within a second of the
// program's return, updated without a reload. It runs on a local file record and, with
// MEPKIT_POSTGRES, on a PostgreSQL record in a schema of its own. With
// MEPKIT_SCREENSHOTS set to a directory, it saves the page at 390 and
// 1280 pixels wide there.
func TestBrowserShowsWhatTwoJournalsRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	journal := buildJournal(t)

	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cutover.jsonl")
		j, err := timeline.Open(path, &timeline.Options{NoSync: true})
		require.NoError(t, err)
		_, err = j.Note("olga", "war room open")
		require.NoError(t, err)
		require.NoError(t, j.Close())
		browserTest(t, chrome, journal, []string{"-f", path}, []string{"-f", path})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.DSN(t, "the browser test on a PostgreSQL record")
		schema := pgtest.Schema(t, dsn, "warroom_test_")
		args := []string{"-postgres", dsn, "-record", "golive", "-schema", schema}
		out, err := exec.Command(journal, append([]string{"note", "-actor", "olga", "war room open"}, args...)...).CombinedOutput()
		require.NoError(t, err, "%s", out)
		browserTest(t, chrome, journal, args, args)
	})
}

func browserTest(t *testing.T, chrome, journal string, serverArgs, journalArgs []string) {
	url, srv := serving(t, serverArgs...)

	events := newSSEClient(t, url+"events")
	events.waitFor(t, 10*time.Second, "war room open")

	// The browser loads the page and keeps its events stream open; the
	// test reads the page's DOM through the DevTools protocol.
	b := startBrowser(t, chrome)
	b.navigate(t, url)
	require.Eventually(t, func() bool { return srv.streams.Load() >= 2 }, 30*time.Second, 10*time.Millisecond,
		"the browser opened the events stream")
	require.Eventually(t, func() bool { return b.text(t, "conn") == "live" }, 10*time.Second, 20*time.Millisecond,
		"the page says it is live")

	// Two operators start a step each, at the same time.
	steps := map[string]string{"switch-dns": "alice", "migrate-database": "bob"}
	acked := map[string]time.Time{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for step, actor := range steps {
		wg.Go(func() {
			for attempt := 0; ; attempt++ {
				args := append([]string{"start", step, "-actor", actor, "-impact", "outage"}, journalArgs...)
				out, err := exec.Command(journal, args...).CombinedOutput()
				if err == nil {
					mu.Lock()
					acked[step] = time.Now()
					mu.Unlock()
					return
				}
				// A file has one writer at a time; on PostgreSQL the other
				// may have appended first: the operator tries again.
				if attempt == 50 || !(strings.Contains(string(out), "try again") || strings.Contains(string(out), "moved on")) {
					t.Errorf("journal %s: %v: %s", strings.Join(args, " "), err, out)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	// The browser's page, polled every 20 ms: when does each step show?
	shown := map[string]time.Time{}
	deadline := time.Now().Add(15 * time.Second)
	for len(shown) < len(steps) && time.Now().Before(deadline) {
		live := b.text(t, "live")
		for step := range steps {
			if _, ok := shown[step]; !ok && strings.Contains(live, step) {
				shown[step] = time.Now()
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	for step := range steps {
		ack, ok := acked[step]
		require.True(t, ok, "journal start %s succeeded", step)
		at, ok := shown[step]
		require.True(t, ok, "the page in the browser shows %s", step)
		lag := at.Sub(ack)
		t.Logf("%s: in the browser's page %v after the journal returned", step, lag.Round(time.Millisecond))
		assert.Less(t, lag, time.Second, "%s shown within a second", step)
	}
	live := b.text(t, "live")
	for _, actor := range steps {
		assert.Contains(t, live, actor)
	}
	assert.Contains(t, strings.ToLower(live), "outage so far")
	assert.Equal(t, "live", b.text(t, "conn"), "still live, never reloaded")

	if dir := os.Getenv(browser.ShotsEnv); dir != "" {
		for _, width := range []int{390, 1280} {
			file := filepath.Join(dir, fmt.Sprintf("warroom-%s-%d.png", filepath.Base(t.Name()), width))
			require.NoError(t, os.WriteFile(file, b.screenshot(t, width, 1000), 0o644))
			t.Logf("screenshot: %s", file)
		}
	}
}

// chromeTab is a headless Chromium driven through the DevTools protocol on
// a pipe (--remote-debugging-pipe): JSON messages ended by NUL.
type chromeTab struct {
	cmd     *exec.Cmd
	in      io.Writer     // to the browser (its fd 3)
	out     *bufio.Reader // from the browser (its fd 4)
	id      int
	session string
}

func startBrowser(t *testing.T, path string) *chromeTab {
	t.Helper()
	toBrowser, in, err := os.Pipe()
	require.NoError(t, err)
	out, fromBrowser, err := os.Pipe()
	require.NoError(t, err)
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--remote-debugging-pipe", "--user-data-dir="+t.TempDir(), "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	toBrowser.Close()
	fromBrowser.Close()
	t.Cleanup(func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
	})
	return &chromeTab{cmd: cmd, in: in, out: bufio.NewReader(out)}
}

// call sends a DevTools command and returns its result, skipping the
// events that come in between.
func (b *chromeTab) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	b.id++
	msg := map[string]any{"id": b.id, "method": method, "params": params}
	if b.session != "" {
		msg["sessionId"] = b.session
	}
	data, err := json.Marshal(msg)
	require.NoError(t, err)
	_, err = b.in.Write(append(data, 0))
	require.NoError(t, err)
	for {
		raw, err := b.out.ReadBytes(0)
		require.NoError(t, err, "reading from the browser")
		var reply struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal(raw[:len(raw)-1], &reply))
		if reply.ID != b.id {
			continue
		}
		require.Nil(t, reply.Error, "%s", method)
		return reply.Result
	}
}

// navigate opens url in a new tab that later calls act on.
func (b *chromeTab) navigate(t *testing.T, url string) {
	t.Helper()
	var target struct{ TargetID string }
	require.NoError(t, json.Unmarshal(b.call(t, "Target.createTarget", map[string]any{"url": url}), &target))
	var attached struct{ SessionID string }
	require.NoError(t, json.Unmarshal(b.call(t, "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}), &attached))
	b.session = attached.SessionID
}

// text returns the text of the element with id, "" if there is none.
func (b *chromeTab) text(t *testing.T, id string) string {
	t.Helper()
	res := b.call(t, "Runtime.evaluate", map[string]any{
		"expression":    `(function(){var e=document.getElementById(` + strconv.Quote(id) + `);return e?e.innerText:"";})()`,
		"returnByValue": true,
	})
	var v struct{ Result struct{ Value string } }
	require.NoError(t, json.Unmarshal(res, &v))
	return v.Result.Value
}

// screenshot returns the page as PNG at width x height CSS pixels.
func (b *chromeTab) screenshot(t *testing.T, width, height int) []byte {
	t.Helper()
	b.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
	time.Sleep(300 * time.Millisecond) // a layout at the new width
	var shot struct{ Data string }
	require.NoError(t, json.Unmarshal(b.call(t, "Page.captureScreenshot", map[string]any{"format": "png"}), &shot))
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	require.NoError(t, err)
	return png
}
