// Package browser drives Debian's headless Chromium for the tests that
// check how the module's HTML reports look to a person: laid out at a
// phone's and a desktop's width, and printed to PDF on A4 and Letter paper.
//
// The pages under test carry no script. To measure one, the package writes
// a copy of it with a measuring script appended, loads the copy with
// --dump-dom and reads the figures the script left in the document. PDF
// text comes from pdftotext (poppler-utils).
package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequiredEnv names the environment variable that makes a missing browser
// fail the tests instead of skipping them; continuous integration sets it.
const RequiredEnv = "MEPKIT_BROWSER_TESTS"

// ShotsEnv names the environment variable that, set to a directory, makes
// the tests write their screenshots and PDFs there for a person to look at.
const ShotsEnv = "MEPKIT_SCREENSHOTS"

// Printable widths in CSS pixels (96 per inch) of A4 and Letter paper
// with the reports' 12 mm side margins.
const (
	A4Width     = 703 // 210 mm - 24 mm
	LetterWidth = 725 // 215.9 mm - 24 mm
)

// Browser is a headless Chromium and pdftotext found on the machine.
type Browser struct {
	chromium, pdftotext string
	dir                 string // for pages, profiles and outputs
	timeout             time.Duration
}

// Find returns the browser of this machine, or an error that says what is
// missing and how to install it.
func Find(dir string) (*Browser, error) {
	b := &Browser{dir: dir, timeout: 3 * time.Minute}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			b.chromium = p
			break
		}
	}
	if b.chromium == "" {
		return nil, errors.New("browser: no chromium on PATH (Debian: apt-get install chromium)")
	}
	p, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, errors.New("browser: no pdftotext on PATH (Debian: apt-get install poppler-utils)")
	}
	b.pdftotext = p
	return b, nil
}

// Require returns the browser for the test t, or skips t saying why; when
// RequiredEnv is set, a missing browser fails t instead.
func Require(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser: skipped in -short mode")
	}
	b, err := Find(t.TempDir())
	if err != nil {
		if os.Getenv(RequiredEnv) != "" {
			t.Fatalf("%v; %s is set, so the browser tests must run", err, RequiredEnv)
		}
		t.Skipf("%v: skipping the browser test", err)
	}
	return b
}

// run runs chromium headless with args, and the page at path last.
func (b *Browser) run(ctx context.Context, path string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	profile, err := os.MkdirTemp(b.dir, "profile-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	all := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--hide-scrollbars", "--force-device-scale-factor=1",
	}, args...)
	all = append(all, "file://"+path)
	cmd := exec.CommandContext(ctx, b.chromium, all...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("browser: %s: %w\n%s", strings.Join(args, " "), err, tail(stderr.String()))
	}
	return stdout.Bytes(), nil
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// write stores page under a fresh name in the browser's directory.
func (b *Browser) write(name string, page []byte) (string, error) {
	f, err := os.CreateTemp(b.dir, name+"-*.html")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(page); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// Layout is what the measuring script saw of a page, in CSS pixels.
type Layout struct {
	Viewport    float64  `json:"viewport"`    // the window's inner width
	ScrollWidth float64  `json:"scrollWidth"` // the document's: more than Viewport means the page scrolls sideways
	Height      float64  `json:"height"`      // the document's height
	Overflowing []string `json:"overflowing"` // elements that stick out of the viewport, outside the boxes that scroll
	Chart       *Box     `json:"chart"`       // the timeline chart, or the history chart; nil: none
	// OutsideChart lists the chart's parts (ticks, bars, marks, lines,
	// labels) that stick out of its box.
	OutsideChart []string `json:"outsideChart"`
	// Overlaps lists the pairs of chart texts (ticks, step labels, marks)
	// that are drawn over one another.
	Overlaps []string `json:"overlaps"`
	Labels   []string `json:"labels"` // the chart's step labels, in order
	Fonts    []Font   `json:"fonts"`  // the smallest font sizes of the chart's texts
}

// Box is an element's bounding box and its scrolling extent.
type Box struct {
	Left, Right, Top, Bottom float64
	ScrollWidth, ClientWidth float64
}

// Font is the font size of a kind of text.
type Font struct {
	Selector string  `json:"selector"`
	Size     float64 `json:"size"`
}

// measure is the script appended to a copy of the page under test.
const measure = `<script>
addEventListener('load', () => {
  const W = innerWidth;
  const out = {viewport: W, scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight, overflowing: [], outsideChart: [], overlaps: [], labels: [], fonts: []};
  const name = e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + (e.textContent || '').trim().slice(0, 40) + '"';
  const shown = e => { for (let p = e; p && p !== document.body; p = p.parentElement) { if (getComputedStyle(p).display === 'none') return false; } return true; };
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('.scroll, .history-chart') && !e.matches('.scroll, .history-chart')) continue;
    const b = e.getBoundingClientRect();
    if (b.width === 0 && b.height === 0) continue;
    if (b.right > W + 0.5 || b.left < -0.5) out.overflowing.push(name(e));
  }
  const chart = document.querySelector('.chart') || document.querySelector('.history-chart');
  if (chart) {
    const cb = chart.getBoundingClientRect();
    out.chart = {Left: cb.left, Right: cb.right, Top: cb.top, Bottom: cb.bottom, ScrollWidth: chart.scrollWidth, ClientWidth: chart.clientWidth};
    for (const e of chart.querySelectorAll('.tick, .bar, .bar-rehearsal, .mark, .m, .band, .label, svg, rect, text')) {
      if (!shown(e)) continue;
      const b = e.getBoundingClientRect();
      if (b.left < cb.left - 0.5 || b.right > cb.right + 0.5) out.outsideChart.push(name(e));
    }
    const texts = [...chart.querySelectorAll('.tick, .label, .mark, text')].filter(shown).map(e => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i][1], b = texts[j][1];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) out.overlaps.push(name(texts[i][0]) + ' over ' + name(texts[j][0]));
      }
    }
    out.labels = [...chart.querySelectorAll('.row .label')].map(e => e.textContent.trim());
    for (const sel of ['.tick', '.label', '.mark', 'text']) {
      let min = 0;
      for (const e of chart.querySelectorAll(sel)) {
        if (!shown(e)) continue;
        let size = parseFloat(getComputedStyle(e).fontSize);
        const svg = e.closest('svg');
        if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        if (!min || size < min) min = size;
      }
      if (min) out.fonts.push({selector: sel, size: min});
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'mepkit-layout';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>`

// Measure lays page out in a window width pixels wide and returns what the
// measuring script saw. With print set, the page's print styles apply, as
// on paper whose printable width is width (A4Width, LetterWidth).
func (b *Browser) Measure(ctx context.Context, page []byte, width int, print bool) (*Layout, error) {
	s := string(page)
	if print {
		s = strings.Replace(s, "@media print {", "@media all {", 1)
	}
	i := strings.LastIndex(s, "</body>")
	if i < 0 {
		return nil, errors.New("browser: the page has no </body>")
	}
	s = s[:i] + measure + s[i:]
	path, err := b.write("measure", []byte(s))
	if err != nil {
		return nil, err
	}
	out, err := b.run(ctx, path, "--window-size="+strconv.Itoa(width)+",900", "--virtual-time-budget=5000", "--dump-dom")
	if err != nil {
		return nil, err
	}
	const open, end = `<pre id="mepkit-layout">`, "</pre>"
	j := bytes.Index(out, []byte(open))
	if j < 0 {
		return nil, fmt.Errorf("browser: the measuring script left nothing in the page:\n%s", tail(string(out)))
	}
	rest := out[j+len(open):]
	k := bytes.Index(rest, []byte(end))
	if k < 0 {
		return nil, errors.New("browser: the measure is cut short")
	}
	var l Layout
	if err := json.Unmarshal([]byte(html.UnescapeString(string(rest[:k]))), &l); err != nil {
		return nil, fmt.Errorf("browser: reading the measure: %w", err)
	}
	return &l, nil
}

// Screenshot returns a PNG of the first height pixels of page laid out in
// a window width pixels wide.
func (b *Browser) Screenshot(ctx context.Context, page []byte, width, height int) ([]byte, error) {
	path, err := b.write("shot", page)
	if err != nil {
		return nil, err
	}
	png := path + ".png"
	if _, err := b.run(ctx, path, "--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "--screenshot="+png); err != nil {
		return nil, err
	}
	return os.ReadFile(png)
}

// Paper sizes for PDF.
const (
	A4     = "A4"
	Letter = "letter"
)

// PDF prints page on paper of the given size (A4 or Letter) and returns
// the PDF and its text as pdftotext reads it, page after page.
func (b *Browser) PDF(ctx context.Context, page []byte, paper string) (pdf []byte, text string, err error) {
	s := string(page)
	i := strings.Index(s, "</head>")
	if i < 0 {
		return nil, "", errors.New("browser: the page has no </head>")
	}
	s = s[:i] + "<style>@page { size: " + paper + "; }</style>" + s[i:]
	path, err := b.write("print-"+paper, []byte(s))
	if err != nil {
		return nil, "", err
	}
	out := path + ".pdf"
	if _, err := b.run(ctx, path, "--no-pdf-header-footer", "--print-to-pdf="+out); err != nil {
		return nil, "", err
	}
	pdf, err = os.ReadFile(out)
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	txt, err := exec.CommandContext(ctx, b.pdftotext, out, "-").Output()
	if err != nil {
		return nil, "", fmt.Errorf("browser: pdftotext: %w", err)
	}
	return pdf, string(txt), nil
}

// Keep writes data under name in the directory ShotsEnv names, if it is
// set, for a person to look at; it reports where, or nothing.
func Keep(t testing.TB, name string, data []byte) {
	t.Helper()
	dir := os.Getenv(ShotsEnv)
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("browser: %v", err)
		return
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Errorf("browser: %v", err)
		return
	}
	t.Logf("wrote %s", path)
}
