package report_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
	"github.com/mepkit/mepkit/mep/report"
)

// TestBrowser renders reports in headless Chromium at a phone's and a
// laptop's width and prints them on A4 and Letter: see browser.Check. It
// skips when Chromium or pdftotext is missing, unless MEPKIT_BROWSER_TESTS
// is set (continuous integration sets it). With MEPKIT_SCREENSHOTS=dir it
// keeps the screenshots and PDFs in dir.
func TestBrowser(t *testing.T) {
	b := browser.Require(t)
	page := func(write func(*bytes.Buffer) error) []byte {
		var buf bytes.Buffer
		require.NoError(t, write(&buf))
		return buf.Bytes()
	}
	t.Run("long", func(t *testing.T) {
		r := big(t, 200)
		browser.Check(t, b, browser.Page{
			Name: "report-200-steps", HTML: page(func(w *bytes.Buffer) error { return r.WriteHTML(w) }),
			LastLabel: "step-199 | <b>x</b>",
			InPDF:     []string{"21:30", "Rules cited"},
		})
	})
	t.Run("failed and retried", func(t *testing.T) {
		r := fixture(t)
		browser.Check(t, b, browser.Page{
			Name: "report-fixture", HTML: page(func(w *bytes.Buffer) error { return r.WriteHTML(w) }),
			LastLabel: "observe",
			InPDF:     []string{"✗ failed", "21:20", "expected end 21:25", "Phase history"},
		})
	})
	t.Run("history", func(t *testing.T) {
		h := history()
		browser.Check(t, b, browser.Page{
			Name: "history", HTML: page(func(w *bytes.Buffer) error { return h.WriteHTML(w) }),
			InPDF: []string{"Change failure rate", "site-6"},
		})
	})
	t.Run("long history", func(t *testing.T) {
		// Six years of weekly rollouts: the chart draws the last year.
		h := report.NewHistory("p", manyRollouts(300), cet)
		browser.Check(t, b, browser.Page{
			Name: "history-300", HTML: page(func(w *bytes.Buffer) error { return h.WriteHTML(w) }),
			InPDF: []string{"site299", "the last 12 months"},
		})
	})
	t.Run("zero", func(t *testing.T) {
		l, err := b.Measure(t.Context(), page(func(w *bytes.Buffer) error { return (&report.Report{}).WriteHTML(w) }), browser.Phone, false)
		require.NoError(t, err)
		require.LessOrEqual(t, l.ScrollWidth, l.Viewport)
	})
}
