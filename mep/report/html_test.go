package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/report"
)

// checkHTML parses page as XML (after its doctype) and returns the first
// problem: not well-formed, a script element, an event handler attribute,
// or a reference to anything outside the page. It returns the number of
// elements of each name.
func checkHTML(page []byte) (map[string]int, error) {
	const doctype = "<!DOCTYPE html>"
	if !bytes.HasPrefix(page, []byte(doctype)) {
		return nil, errors.New("no doctype")
	}
	d := xml.NewDecoder(bytes.NewReader(page[len(doctype):]))
	d.Strict = true
	count := make(map[string]int)
	inStyle := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			count[tok.Name.Local]++
			if strings.EqualFold(tok.Name.Local, "script") {
				return count, errors.New("script element")
			}
			inStyle = tok.Name.Local == "style"
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					return count, errors.New("event handler attribute " + name)
				}
				if (name == "src" || name == "href") && strings.Contains(a.Value, "http") ||
					strings.Contains(strings.ToLower(a.Value), "javascript:") {
					return count, errors.New("external reference " + a.Value)
				}
			}
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if inStyle && (bytes.Contains(tok, []byte("url(")) || bytes.Contains(tok, []byte("@import"))) {
				return count, errors.New("external reference in CSS")
			}
		case xml.Directive, xml.ProcInst:
			return count, errors.New("unexpected directive or processing instruction")
		}
	}
}

func wellFormed(t testing.TB, page []byte) map[string]int {
	t.Helper()
	count, err := checkHTML(page)
	require.NoError(t, err)
	return count
}

func TestHTMLWellFormed(t *testing.T) {
	r := fixture(t)
	_, page, _ := render(t, r)
	count := wellFormed(t, page)
	assert.Equal(t, 0, count["script"])
	assert.Equal(t, 0, count["img"], "the hostile voter's <img> stays text")
	assert.Equal(t, 1, count["html"])
	s := string(page)
	assert.NotContains(t, s, "<script>")
	assert.Contains(t, s, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, s, "&lt;img src=http://evil.example/x.png")
	assert.Contains(t, s, "hotfix &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; applied")
	assert.Equal(t, len(r.Actual.Steps), strings.Count(s, `<div class="row`), "one chart row per attempt")
	assert.Contains(t, s, `class="band band-outage"`)
	assert.Contains(t, s, `class="band band-disruption"`)
	assert.Contains(t, s, `<a href="#r9">R9</a>`, "rule citations link to the footnote")
	assert.Contains(t, s, `<dt id="r9">R9</dt>`)
	assert.Contains(t, s, "docs/method.md")
	assert.Contains(t, s, ">running</span>")
}

// chartRows returns the chart rows of page, in order.
func chartRows(page string) []string {
	var out []string
	for _, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, `<div class="row`) {
			out = append(out, line)
		}
	}
	return out
}

func TestHTMLChartRows(t *testing.T) {
	r := fixture(t)
	_, page, _ := render(t, r)
	rows := chartRows(string(page))
	require.Len(t, rows, 8)
	assert.Contains(t, rows[0], "Back up the configuration", "steps are named by title")
	assert.Contains(t, rows[0], `<span class="owner">alice</span>`, "with their owner")

	// The failed try (20:15 to 20:40 of a chart from 20:00 to the expected
	// end, 21:25) carries the failed mark, beside its own bar, and no
	// rehearsal bar; the retry that succeeded carries the rehearsal bar.
	failed, retry := rows[2], rows[3]
	assert.Contains(t, failed, `row-failed`)
	assert.Contains(t, failed, `<i class="bar bar-outage" style="left:17.65%;width:29.41%"></i><span class="mark mark-failed" style="left:47.56%">✗ failed</span>`)
	assert.NotContains(t, failed, "bar-rehearsal")
	assert.Contains(t, retry, "attempt 2")
	assert.Contains(t, retry, `<i class="bar-rehearsal" style="left:48.24%;width:23.53%"></i>`, "20 minutes from the retry's start")

	grid := string(page)[strings.Index(string(page), `<div class="grid"`):]
	grid = grid[:strings.Index(grid, "</div>")]
	assert.Contains(t, grid, `<i class="m m-start m-t0" style="left:0"></i>`)
	assert.Contains(t, grid, `<i class="m m-planned" style="left:70.59%"></i>`)
	assert.Contains(t, grid, `<i class="m m-end m-expected"></i>`)
	assert.NotContains(t, grid, "m-window", "the window ends 3h30 after T0: beyond twice the cutover's span")
	assert.Contains(t, string(page), "window end 23:30 is outside the chart")

	r.WindowEnd = r.T0.Add(2 * time.Hour)
	_, page, _ = render(t, r)
	assert.Contains(t, string(page), `<i class="m m-end m-window"></i>`)
	assert.Contains(t, string(page), "window end 22:00</li>")
}

func TestHTMLChartCapped(t *testing.T) {
	r := big(t, report.ChartSteps+50)
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf))
	wellFormed(t, buf.Bytes())
	assert.Len(t, chartRows(buf.String()), report.ChartSteps)
	assert.Contains(t, buf.String(), "… 50 more steps in the table below")
	assert.Contains(t, buf.String(), `<td class="title">step-249 | &lt;b&gt;x&lt;/b&gt;</td>`, "every step in the table")
}
