package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
	"github.com/mepkit/mepkit/timeline"
)

// eval returns the value of a JavaScript expression in the page, as a
// string.
func (b *chromeTab) eval(t *testing.T, expr string) string {
	t.Helper()
	res := b.call(t, "Runtime.evaluate", map[string]any{"expression": "String(" + expr + ")", "returnByValue": true})
	var v struct{ Result struct{ Value string } }
	require.NoError(t, json.Unmarshal(res, &v))
	return v.Result.Value
}

// TestBrowserShowsABrokenRecord opens the page of a file record in
// headless Chromium, then cuts the record from 21 entries to 1 and part of
// a line, as the issue found it shown silently: the page turns red, says
// the seq at fault and no longer says "live", and stays so on reload.
// With MEPKIT_SCREENSHOTS set to a directory, it saves the page at 390
// and 1280 pixels wide there.
func TestBrowserShowsABrokenRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	for i, step := range []string{"freeze-writes", "backup-database", "migrate-database"} {
		_, err := j.Start(step, "alice", timeline.Outage)
		require.NoError(t, err)
		if i < 2 {
			_, err = j.End(step, "alice", timeline.Done)
			require.NoError(t, err)
		}
	}
	for len(j.Entries()) < 21 {
		_, err := j.Note("olga", "dashboards green")
		require.NoError(t, err)
	}
	require.NoError(t, j.Close())

	url, srv := serving(t, "-f", path)
	b := startBrowser(t, chrome)
	openLive(t, b, url, srv, 21)
	shots(t, b, "live")

	// 21 entries to 1 and part of a line.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	first := bytes.IndexByte(data, '\n') + 1
	require.NoError(t, os.WriteFile(path, data[:first+30], 0o644))
	began := time.Now()
	require.Eventually(t, func() bool { return strings.HasPrefix(b.text(t, "conn"), "not live") }, 10*time.Second, 20*time.Millisecond,
		"the page stops saying live")
	t.Logf("the page turned red %v after the cut", time.Since(began).Round(time.Millisecond))
	assert.Equal(t, "not live: broken at seq 2", b.text(t, "conn"))
	assert.Equal(t, "broken", b.eval(t, "document.body.className"))
	assert.Contains(t, b.text(t, "live"), "Record broken at seq 2: not live")
	assert.Contains(t, b.text(t, "live"), "it held 21 entries, it now holds 1")
	assert.Contains(t, b.text(t, "live"), "21 verified before the break")
	assert.Equal(t, "rgb(218, 54, 51)", b.eval(t, "getComputedStyle(document.querySelector('header')).backgroundColor"), "a red header")
	time.Sleep(1500 * time.Millisecond)
	assert.Equal(t, "not live: broken at seq 2", b.text(t, "conn"), "an update after the break does not say live again")
	shots(t, b, "broken")

	b.navigate(t, url) // a reload shows it too, before any script runs
	require.Eventually(t, func() bool { return srv.streams.Load() >= 2 }, 30*time.Second, 10*time.Millisecond,
		"the second tab opened the events stream")
	assert.Equal(t, "not live: broken at seq 2", b.text(t, "conn"))
	assert.Equal(t, "broken", b.eval(t, "document.body.className"))
}

// shots saves the page at a phone's and a desktop's width in the directory
// of MEPKIT_SCREENSHOTS, if set.
func shots(t *testing.T, b *chromeTab, name string) {
	t.Helper()
	dir := os.Getenv(browser.ShotsEnv)
	if dir == "" {
		return
	}
	for _, width := range []int{390, 1280} {
		file := filepath.Join(dir, fmt.Sprintf("warroom-%s-%d.png", name, width))
		require.NoError(t, os.WriteFile(file, b.screenshot(t, width, 900), 0o644))
		t.Logf("screenshot: %s", file)
	}
}
