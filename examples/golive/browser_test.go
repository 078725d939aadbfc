package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
)

// TestGoliveReportInBrowser renders the demonstration's HTML report in
// headless Chromium at a phone's and a laptop's width and prints it on A4
// and Letter (see browser.Check). It skips when Chromium or pdftotext is
// missing, unless MEPKIT_BROWSER_TESTS is set (continuous integration sets
// it). With MEPKIT_SCREENSHOTS=dir it keeps the screenshots and PDFs.
func TestGoliveReportInBrowser(t *testing.T) {
	b := browser.Require(t)
	path := filepath.Join(t.TempDir(), "report.html")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"-html", path}, &out, &errOut), errOut.String())
	page, err := os.ReadFile(path)
	require.NoError(t, err)
	browser.Check(t, b, browser.Page{
		Name: "golive", HTML: page,
		LastLabel: "Observation period · Marc",
		InPDF:     []string{"✗ failed", "23:30", "window end 23:30", "Rules cited"},
	})
}
