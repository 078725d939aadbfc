package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
)

// TestBrowserSchedule renders the schedule page in headless Chromium.
// Served with its headers (the Content-Security-Policy must let its
// style in), at 390 and 1280 pixels wide: the page never scrolls
// sideways, and its DOM holds both rollouts, their conflict marks and
// the conflict's text. Then, as browser.Check does for the reports: laid
// out at a phone's and a desktop's width and at A4's printable width
// with the print styles, nothing sticks out, no two texts of the chart
// overlap, and printed to PDF on A4 and Letter it holds both rollouts
// and the conflict. With MEPKIT_SCREENSHOTS set to a directory, the
// screenshots (schedule-390.png, schedule-1280.png) and PDFs go there.
func TestBrowserSchedule(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	chrome := chromium(t)
	ts, _, _ := scheduleServer(t, at(18, 0, 0), billingAndPayments...)
	url := ts.URL + "/schedule?day=2026-11-24"

	b := startBrowser(t, chrome)
	b.navigate(t, url)
	for _, width := range []int{browser.Phone, browser.Desktop} {
		dom := scheduleAt(t, b, width)
		where := fmt.Sprintf("at %d px", width)
		assert.True(t, dom.Styled, "%s: the page's style applies under its Content-Security-Policy", where)
		assert.LessOrEqual(t, dom.ScrollWidth, dom.Width, "%s: the page scrolls sideways", where)
		assert.Contains(t, dom.Cutovers, "billing/db-upgrade", where)
		assert.Contains(t, dom.Cutovers, "payments/v7", where)
		assert.Contains(t, dom.Cutovers, "team Billing", where)
		assert.Contains(t, dom.Cutovers, "team Payments", where)
		assert.Equal(t, []string{"billing/db-upgrade", "payments/v7"}, dom.Marked, "%s: both rollouts of the conflict are marked", where)
		assert.Contains(t, dom.Conflicts, "Conflicts (1)", where)
		assert.Contains(t, dom.Conflicts, billingPaymentsConflict, where)
	}

	// The page as a file, without its headers: laid out, measured and
	// printed by browser.Check.
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	var page strings.Builder
	_, err = io.Copy(&page, res.Body)
	require.NoError(t, err)
	browser.Check(t, browser.Require(t), browser.Page{
		Name: "schedule", HTML: []byte(page.String()), LastLabel: "payments/v7",
		InPDF: []string{"billing/db-upgrade", "team Billing", "team Payments", billingPaymentsConflict, "shared resource database:db-billing with billing/db-upgrade"},
	})
}

// scheduleDOM is what the schedule page shows, read from its DOM.
type scheduleDOM struct {
	Width, ScrollWidth  float64
	Conflicts, Cutovers string
	Marked              []string
	Styled, Ready       bool
}

// scheduleAt lays the page out at width and reads it once it is ready.
func scheduleAt(t *testing.T, b *chromeTab, width int) scheduleDOM {
	t.Helper()
	b.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
	var dom scheduleDOM
	require.Eventually(t, func() bool {
		raw, err := b.tryEval(`(function(){
			var d=document.documentElement, c=document.getElementById("conflicts"), r=document.getElementById("cutovers");
			var chart=document.querySelector(".chart");
			return JSON.stringify({Width: innerWidth, ScrollWidth: d.scrollWidth,
				Conflicts: c ? c.innerText : "", Cutovers: r ? r.innerText : "",
				Marked: Array.from(document.querySelectorAll(".row.conflict .label")).map(function(e){return e.textContent}),
				Styled: !!chart && getComputedStyle(chart).borderTopLeftRadius !== "0px",
				Ready: document.readyState === "complete" && !!chart});
		})()`)
		return err == nil && json.Unmarshal([]byte(raw), &dom) == nil && dom.Ready && dom.Width == float64(width)
	}, 30*time.Second, 50*time.Millisecond, "the page laid out at %d px", width)
	return dom
}

// tryEval returns the string value of a JavaScript expression in the
// page, or the browser's error: while the page loads, it has no context
// to evaluate in yet.
func (b *chromeTab) tryEval(expr string) (string, error) {
	b.id++
	msg := map[string]any{"id": b.id, "method": "Runtime.evaluate", "params": map[string]any{"expression": "String(" + expr + ")", "returnByValue": true}}
	if b.session != "" {
		msg["sessionId"] = b.session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return "", err
	}
	if _, err := b.in.Write(append(data, 0)); err != nil {
		return "", err
	}
	for {
		raw, err := b.out.ReadBytes(0)
		if err != nil {
			return "", err
		}
		var reply struct {
			ID     int `json:"id"`
			Result struct {
				Result struct{ Value string }
			} `json:"result"`
			Error *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(raw[:len(raw)-1], &reply); err != nil {
			return "", err
		}
		if reply.ID != b.id {
			continue
		}
		if reply.Error != nil {
			return "", errors.New(reply.Error.Message)
		}
		return reply.Result.Result.Value, nil
	}
}
