package browser

import (
	"context"
	"html"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Widths at which Check lays a page out: a phone's and a laptop's.
const (
	Phone   = 390
	Desktop = 1280
)

// MinFont is the smallest font size, in CSS pixels, that Check accepts for
// a chart's texts on a screen.
const MinFont = 9

// Page is a page to check and what a person must find in it.
type Page struct {
	Name string // for messages and the files kept for people
	HTML []byte
	// LastLabel is the chart's last step label, which must be laid out
	// and printed; "" for a chart without step labels. It is compared
	// without the "·" between a step and its owner, which CSS draws.
	LastLabel string
	// InPDF are texts every PDF must contain, e.g. the axis' last tick.
	InPDF []string
}

// Check renders p as a person would see it and fails t with what is
// wrong: at the Phone and Desktop widths and at A4's printable width with
// the print styles, the page never scrolls sideways, nothing sticks out of
// it but the boxes made to scroll, the whole chart is inside the page and
// no two of its texts overlap, the last step's label is there, and the
// chart's texts are at least MinFont pixels on screen; printed on A4 and
// Letter, no page ends with a heading, and the PDF's text holds the last
// label and every p.InPDF. With
// ShotsEnv set, it keeps the screenshots and PDFs for a person to look at.
func Check(t *testing.T, b *Browser, p Page) {
	t.Helper()
	ctx := context.Background()
	for _, w := range []struct {
		name  string
		width int
		print bool
	}{{"phone", Phone, false}, {"desktop", Desktop, false}, {"A4 print", A4Width, true}} {
		l, err := b.Measure(ctx, p.HTML, w.width, w.print)
		if err != nil {
			t.Fatalf("%s at %s: %v", p.Name, w.name, err)
		}
		where := p.Name + " at " + w.name + " (" + strconv.Itoa(w.width) + " px)"
		checkLayout(t, where, l, p.LastLabel)
		if !w.print {
			checkScreen(t, ctx, b, p, where, w.width, l)
		}
	}
	for _, paper := range []string{A4, Letter} {
		checkPrinted(t, ctx, b, p, paper)
	}
}

// checkLayout fails t, naming where, when the page laid out as l scrolls
// sideways, when something sticks out of it, when its chart is missing,
// outside it or cut off, when texts stick out of the chart or overlap, or
// when the chart's last label is not lastLabel ("": not checked).
func checkLayout(t *testing.T, where string, l *Layout, lastLabel string) {
	t.Helper()
	if l.ScrollWidth > l.Viewport+0.5 {
		t.Errorf("%s: the page scrolls sideways: %g px wide in a %g px window", where, l.ScrollWidth, l.Viewport)
	}
	if len(l.Overflowing) > 0 {
		t.Errorf("%s: sticking out of the page: %s", where, list(l.Overflowing))
	}
	if l.Chart == nil {
		t.Errorf("%s: no chart", where)
	} else {
		c := l.Chart
		if c.Left < -0.5 || c.Right > l.Viewport+0.5 {
			t.Errorf("%s: the chart spans %g to %g px, outside the page", where, c.Left, c.Right)
		}
		if c.ScrollWidth > c.ClientWidth+1 {
			t.Errorf("%s: the chart is %g px wide in a %g px box: cut off", where, c.ScrollWidth, c.ClientWidth)
		}
	}
	if len(l.OutsideChart) > 0 {
		t.Errorf("%s: outside the chart: %s", where, list(l.OutsideChart))
	}
	if len(l.Overlaps) > 0 {
		t.Errorf("%s: overlapping texts: %s", where, list(l.Overlaps))
	}
	if lastLabel != "" {
		if len(l.Labels) == 0 || plain(l.Labels[len(l.Labels)-1]) != plain(lastLabel) {
			last := ""
			if len(l.Labels) > 0 {
				last = l.Labels[len(l.Labels)-1]
			}
			t.Errorf("%s: the chart's last label is %q, want %q", where, last, lastLabel)
		}
	}
}

// checkScreen fails t, naming where, when the chart's texts of the page
// laid out as l at width are smaller than MinFont; with ShotsEnv set, it
// keeps a screenshot of the page.
func checkScreen(t *testing.T, ctx context.Context, b *Browser, p Page, where string, width int, l *Layout) {
	t.Helper()
	for _, f := range l.Fonts {
		if f.Size < MinFont {
			t.Errorf("%s: chart texts %s are %g px, less than %d", where, f.Selector, f.Size, MinFont)
		}
	}
	if os.Getenv(ShotsEnv) == "" {
		return // screenshots are for people; nobody asked
	}
	// The whole page, up to a height a PNG viewer still opens.
	height := min(max(int(l.Height), 600), 16000)
	if shot, err := b.Screenshot(ctx, p.HTML, width, height); err != nil {
		t.Errorf("%s: %v", where, err)
	} else {
		Keep(t, p.Name+"-"+strconv.Itoa(width)+".png", shot)
	}
}

// checkPrinted prints p on paper and fails t when a page ends with a
// heading or when the PDF's text lacks p.LastLabel or one of p.InPDF.
func checkPrinted(t *testing.T, ctx context.Context, b *Browser, p Page, paper string) {
	t.Helper()
	pdf, text, err := b.PDF(ctx, p.HTML, paper)
	if err != nil {
		t.Fatalf("%s on %s: %v", p.Name, paper, err)
	}
	Keep(t, p.Name+"-"+paper+".pdf", pdf)
	for _, e := range strandedHeadings(p.HTML, text) {
		t.Errorf("%s printed on %s: the heading %q ends page %d, away from what it introduces", p.Name, paper, e.heading, e.page)
	}
	// Without any blank: a narrow column wraps "rollout-999" after
	// its hyphen, and pdftotext gives the line break back.
	flat := squeeze(text)
	for _, want := range append([]string{p.LastLabel}, p.InPDF...) {
		if want != "" && !strings.Contains(flat, squeeze(want)) {
			t.Errorf("%s printed on %s: %q is not in the PDF's text", p.Name, paper, want)
		}
	}
}

// stranded is a heading printed last on its page.
type stranded struct {
	heading string
	page    int
}

var headingRE = regexp.MustCompile(`<h[23][^>]*>([^<]*)`)

// strandedHeadings returns the headings of page (h2 and h3, their text up
// to the first inner element) that end a printed page, given the PDF's
// text with pages separated by form feeds.
func strandedHeadings(page []byte, text string) []stranded {
	headings := map[string]bool{}
	for _, m := range headingRE.FindAllSubmatch(page, -1) {
		if h := plain(html.UnescapeString(string(m[1]))); h != "" {
			headings[h] = true
		}
	}
	pages := strings.Split(text, "\f")
	var out []stranded
	for i, pg := range pages {
		if i == len(pages)-1 {
			break
		}
		lines := strings.Split(strings.TrimSpace(pg), "\n")
		last := plain(lines[len(lines)-1])
		for h := range headings {
			if last == h || strings.HasPrefix(last, h+" (R") {
				out = append(out, stranded{h, i + 1})
			}
		}
	}
	return out
}

// plain returns s without "·" and with its blanks as single spaces.
func plain(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "·", " ")), " ")
}

// squeeze returns s without "·" and without blanks.
func squeeze(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "·", " ")), "")
}

// list prints at most five items.
func list(items []string) string {
	if len(items) > 5 {
		return strings.Join(items[:5], "; ") + "; and " + strconv.Itoa(len(items)-5) + " more"
	}
	return strings.Join(items, "; ")
}
