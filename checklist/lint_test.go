package checklist_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

func rules(ws []checklist.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Rule+" "+w.Section+w.Item)
	}
	return out
}

func TestLintCleanList(t *testing.T) {
	l := exampleList()
	l.Items[3].Owner = "lead"
	assert.Empty(t, l.Lint())
}

func TestLint(t *testing.T) {
	l := checklist.List{Mode: checklist.DoConfirm, Ordered: true}
	for i := range 10 {
		l.Items = append(l.Items, checklist.Item{ID: fmt.Sprintf("h%d", i), Title: "verify", Section: "hardware", Owner: "ops"})
	}
	for i := range 9 {
		l.Items = append(l.Items, checklist.Item{ID: fmt.Sprintf("c%d", i), Title: "back up", Section: "config", Owner: "ops"})
	}
	l.Items[3].Owner = ""
	l.Items[12].Deadline = 30 * time.Minute
	require.NoError(t, l.Validate(), "lint findings are legal")

	ws := l.Lint()
	assert.Equal(t, []string{
		"ordered-do-confirm ",
		"long-section hardware",
		"no-owner h3",
		"deadline-after-t0 c2",
	}, rules(ws))
	assert.Equal(t, `section "hardware" has 10 items; split it into sections of at most 9`, ws[1].String())
	assert.Contains(t, ws[3].Message, `item "c2" is due 30m after T0`)
}
