package mep_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// finishedFile returns a project in a file whose go-live ran to its end,
// and the record's entries.
func finishedFile(t *testing.T) (*golive, string, []timeline.Entry) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.rehearsed()
	goNow(t, g)
	g.runCutover(5, 20, 10, 5)
	_, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err)
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	return g, path, entries
}

// Once the cutover finished, there is no decision left to take: Decide
// records nothing and says so, where it recorded a GO over the debrief's
// decision; a preview says No-Go with the reason. The decision behind the
// cutover stays the one the debrief shows.
func TestNoDecisionOnceTheCutoverFinished(t *testing.T) {
	g, _, entries := finishedFile(t)
	before := len(g.p.Record())
	require.Len(t, g.p.Record(), len(entries))
	gave := g.r.GoNoGo().Decided()
	require.Equal(t, mep.Go, gave.Verdict)

	_, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.ErrorIs(t, err, mep.ErrRunbook)
	assert.Contains(t, err.Error(), "the cutover finished at")
	assert.Len(t, g.p.Record(), before, "nothing appended")
	assert.True(t, gave.At.Equal(g.r.Debrief().Decision.At), "the debrief keeps the GO behind the cutover")

	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "the cutover finished at")
}

// A decision forged after the cutover's end is refused on replay in a
// record written under the checks that refuse it, and opens in one
// written before (its options state generation 1). A generation of checks
// no version knows is refused: the record was written by a mepkit whose
// rules this one cannot hold it to.
func TestForgedDecisionAfterTheEnd(t *testing.T) {
	g, path, entries := finishedFile(t)
	require.NoError(t, g.p.Close())
	var decision timeline.Entry
	for _, e := range entries {
		if e.Kind == "mep.decision" {
			decision = e
		}
	}
	require.NotEmpty(t, decision.Kind)
	decision.Seq, decision.Hash, decision.At = 0, "", g.c.now()
	forged := forge(t, path, decision)
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), "the cutover finished at")

	opts := entries[0].Attrs["options"]
	require.Contains(t, opts, `"checks":2`)
	for gen, opens := range map[string]bool{`"checks":1`: true, `"checks":3`: false, `"checks":-1`: false} {
		older := filepath.Join(t.TempDir(), "older.jsonl")
		again := append([]timeline.Entry(nil), entries...)
		again[0].Attrs = map[string]string{}
		for k, v := range entries[0].Attrs {
			again[0].Attrs[k] = v
		}
		again[0].Attrs["options"] = strings.Replace(opts, `"checks":2`, gen, 1)
		for i := range again {
			again[i].Seq, again[i].Hash = 0, ""
		}
		forge(t, older, append(again, decision)...)
		p, err := mep.OpenFile(older, nil)
		if opens {
			require.NoError(t, err, gen)
			require.NoError(t, p.Close())
			continue
		}
		var re *mep.RecordError
		require.ErrorAs(t, err, &re, gen)
		assert.Equal(t, uint64(1), re.Seq, gen)
		assert.ErrorContains(t, err, "options.checks", gen)
	}
}
