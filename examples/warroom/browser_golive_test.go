package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
	"github.com/mepkit/mepkit/mep/fleet"
)

// TestBrowserScheduleOfGolive plays examples/golive into a store of its
// own (its go-live and the second team's, which share db-billing) and
// renders the war room's schedule of that evening in headless Chromium:
// both cutovers side by side, the go-live starting where the other
// team's P90 ends (the go-live ran then, as its record says), so no
// conflict is left.
func TestBrowserScheduleOfGolive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds examples/golive and starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	tmp := t.TempDir()
	golive := filepath.Join(tmp, "golive")
	build := exec.Command("go", "build", "-o", golive, "../golive")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	store := filepath.Join(tmp, "store")
	out, err = exec.Command(golive, "-store", store).CombinedOutput()
	require.NoError(t, err, "%s", out)

	now := time.Date(2026, 11, 12, 18, 0, 0, 0, paris) // that evening
	clock := func() time.Time { return now }
	sched, err := openStoreDir(t.Context(), store, &fleet.Options{Now: clock})
	require.NoError(t, err)
	t.Cleanup(func() { sched.Close() })
	s := &server{room: newRoom(nil, clock), now: clock, loc: paris, title: "golive", source: "test"}
	s.sched = newSchedule(sched, "golive's store", paris)
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)

	b := startBrowser(t, chrome)
	b.navigate(t, ts.URL+"/schedule?day=2026-11-12")
	for _, width := range []int{browser.Phone, browser.Desktop} {
		dom := scheduleAt(t, b, width)
		assert.LessOrEqual(t, dom.ScrollWidth, dom.Width, "at %d px: the page scrolls sideways", width)
		assert.Contains(t, dom.Cutovers, "Payments v3 at ACME/payments-v3")
		assert.Contains(t, dom.Cutovers, "team Ops-2")
		assert.Contains(t, dom.Cutovers, "Billing v2 at ACME/billing-v2-go-live")
		assert.Contains(t, dom.Cutovers, "team Billing")
		assert.Contains(t, dom.Cutovers, "ran 21:03–22:58", "the go-live moved past the other team's P90 end")
		assert.Contains(t, dom.Cutovers, "P90 end 21:03", "the other team's P90 end")
		assert.Contains(t, dom.Conflicts, "Conflicts (0)")
		assert.Empty(t, dom.Marked)
		if dir := os.Getenv(browser.ShotsEnv); dir != "" {
			file := filepath.Join(dir, "warroom-golive-schedule-"+map[bool]string{true: "390", false: "1280"}[width < 600]+".png")
			require.NoError(t, os.WriteFile(file, b.screenshot(t, width, 900), 0o644))
			t.Logf("screenshot: %s", file)
		}
	}
}
