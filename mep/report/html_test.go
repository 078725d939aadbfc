package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

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
	assert.Equal(t, 1, count["svg"], "one chart")
	assert.Equal(t, 0, count["script"])
	assert.Equal(t, 0, count["img"], "the hostile voter's <img> stays text")
	assert.Equal(t, 1, count["html"])
	s := string(page)
	assert.NotContains(t, s, "<script>")
	assert.Contains(t, s, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, s, "&lt;img src=http://evil.example/x.png")
	assert.Contains(t, s, "hotfix &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; applied")
	assert.Equal(t, len(r.Actual.Steps), strings.Count(s, "<g>"), "one chart row per attempt")
	assert.Contains(t, s, `class="band-outage"`)
	assert.Contains(t, s, `class="band-disruption"`)
	assert.Contains(t, s, `class="bar-rehearsal"`)
	assert.Contains(t, s, "✗ failed")
	assert.Contains(t, s, ">running</text>")
}

func TestHTMLChartCapped(t *testing.T) {
	r := big(t, report.ChartSteps+50)
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf))
	count := wellFormed(t, buf.Bytes())
	assert.Equal(t, report.ChartSteps, count["g"], "chart rows")
	assert.Contains(t, buf.String(), "… 50 more steps in the table below")
	assert.Contains(t, buf.String(), "<td>step-249 | &lt;b&gt;x&lt;/b&gt;</td>", "every step in the table")
}
