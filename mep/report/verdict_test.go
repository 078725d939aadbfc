package report_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/report"
)

// A verdict other than the three the model knows ("GO", "Go", " go", a go
// with an invisible character after it) is never shown as a GO: IsGo
// said no while every format wrote GO in the headline and the section.
// It reads as undecided, in every format.
func TestUnknownVerdictIsNeverAGo(t *testing.T) {
	for _, v := range []string{"GO", "Go", " go", "go ", "go\u200b", "yes", "Verdict(1)"} {
		t.Run(v, func(t *testing.T) {
			r := &report.Report{Project: "billing", Decision: report.Decision{Verdict: v, Reasons: []string{"operations said so"}}}
			assert.False(t, r.Decision.IsGo())
			txt := text(t, r)
			assert.Contains(t, txt, "Go/no-go: UNDECIDED")
			assert.Contains(t, txt, "Verdict: UNDECIDED")
			assert.NotContains(t, txt, ": GO")
			md, html, js := render(t, r)
			assert.NotContains(t, string(md), "GO**")
			assert.NotContains(t, string(html), `class="verdict-go"`)
			assert.Contains(t, string(html), `<dd class="verdict-undecided">UNDECIDED</dd>`)
			var out struct {
				Decision struct{ Verdict string } `json:"decision"`
			}
			require.NoError(t, json.Unmarshal(js, &out))
			assert.Equal(t, report.Undecided, out.Decision.Verdict)
		})
	}
}
