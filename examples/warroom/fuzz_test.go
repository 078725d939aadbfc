package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// FuzzPage renders the page of any record that reads, with or without a
// plan, and checks that nothing panics and nothing of the record escapes
// html/template: no tag of its own reaches the page.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"start","step":"a","impact":"outage","hash":"x"}` + "\n"))
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"x-mep.decision","actor":"<b>","attrs":{"verdict":"no-go","t0":"2026-11-24T21:00:00Z","estimate":"-5h"},"hash":"x"}` + "\n" +
		`{"seq":2,"at":"2026-11-24T19:00:00Z","kind":"end","step":"<script>","outcome":"failed","hash":"y"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := timeline.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		now := time.Date(2026, 11, 24, 20, 30, 0, 0, time.UTC)
		for _, plan := range [][]plannedStep{nil, {{"a", time.Minute, timeline.Outage}, {"<script>", 0, timeline.NoImpact}}} {
			h := compute(entries, plan, now)
			var live, b bytes.Buffer
			if err := renderLive(&live, newView(h, entries, len(entries), plan, time.UTC, nil)); err != nil {
				t.Fatalf("render: %v", err)
			}
			if err := renderPage(&b, "t", "s", false, &frame{live: live.Bytes()}); err != nil {
				t.Fatalf("render: %v", err)
			}
			if strings.Count(b.String(), "<script") != 1 {
				t.Fatalf("a script tag other than the page's own:\n%s", b.String())
			}
		}
	})
}
