package mepkit_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// TestReadmeSnippet runs the README's embedding snippet as it is written
// (the lines between the markers below are the README's, which the test
// checks) and holds that it reaches a GO and starts the cutover.
func TestReadmeSnippet(t *testing.T) {
	paris, lerr := time.LoadLocation("Europe/Paris")
	require.NoError(t, lerr)
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	ctx := context.Background()
	w := new(bytes.Buffer)
	t0 := time.Date(2026, 11, 24, 20, 30, 0, 0, paris) // a Tuesday
	now := t0.Add(-24 * time.Hour)
	steps := []mep.Step{
		{ID: "switch-dns", Impact: timeline.Outage, Expected: 30 * time.Minute},
		{ID: "smoke-tests", Kind: mep.TestStep, Expected: 20 * time.Minute},
	}
	rehearsal := rehearse(t, t0.Add(-7*24*time.Hour), 32*time.Minute, 18*time.Minute)
	policyYAML := []byte(`
zone: Europe/Paris
policies:
  - kind: windows
    spec: Mon-Thu 20:00-23:30
  - kind: readiness
  - kind: require-go
    roles: [operations]
`)

	// README:begin
	clock := func() time.Time { return now } // the project's clock: every fact is stamped by it
	project, _ := mep.CreateFile(path, "billing v2", &mep.Options{Now: clock, Location: paris, Country: "FR",
		RolloutsOnly: true, CreatedBy: "olga", RolloutsOnlyReason: "billing v1 is live; this project runs its upgrades"})
	project.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO}}) // R3
	project.Team().Add(mep.Member{Name: "bruno", Roles: []mep.Role{mep.RoleBuild}})
	project.Team().Choose("olga", "olga", "bruno") // the go-live team, chosen by olga
	project.Team().SetMCOContact("bruno")
	ops := checklist.Operations() // R13: probes, backup process, known failures
	project.Operations().Start(ops, t0, "olga")
	for _, it := range ops.Items {
		project.Operations().Check(it.ID, "olga", time.Time{}, "") // zero time: now, by the clock
	}
	set, _ := policyfile.Parse(policyYAML) // windows, readiness, GO; the method's freeze comes on top
	r, _ := project.NewRollout(mep.RolloutOptions{Name: "go-live", T0: t0, Runbook: steps, Policies: set})
	r.AddRehearsal(mep.RehearsalRun{Summary: rehearsal, ProductionLike: true}) // R5: expected duration and outage
	o, _ := r.Overrun(risk.Options{})                                          // P50/P90 end, chance to overrun the window
	now = t0.Add(-2 * time.Hour)
	for _, it := range r.Readiness().Run().List().Items {
		r.Readiness().Check(it.ID, "olga", time.Time{}, "") // R7, R8: items by purpose, done by T-1h
	}
	now = t0.Add(-30 * time.Minute)
	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go}) // cites the checklist's digest
	d, _ := r.GoNoGo().Decide(ctx, now)                                              // Undecided, Go or NoGo, with every reason
	now = t0
	err := r.Cutover().Start("switch-dns", "bruno") // refused until Go; in runbook order
	r.Report(now).WriteHTML(w)                      // or WriteMarkdown, WriteText, WriteJSON
	// README:end

	require.NotNil(t, project)
	defer project.Close()
	assert.Contains(t, o.String(), "P90")
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.NoError(t, err)
	assert.Contains(t, w.String(), "<html")

	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	self, err := os.ReadFile("readme_test.go")
	require.NoError(t, err)
	assert.Contains(t, string(readme), "```go\n"+snippet(t, string(self))+"```", "the README's snippet is the one this test runs")
}

// snippet returns the lines between the README markers of src, one tab
// of indentation less.
func snippet(t *testing.T, src string) string {
	t.Helper()
	begin := strings.Index(src, "// README:begin\n")
	end := strings.Index(src, "\t// README:end")
	require.True(t, begin >= 0 && end > begin)
	var b strings.Builder
	for _, l := range strings.SplitAfter(src[begin+len("// README:begin\n"):end], "\n") {
		b.WriteString(strings.TrimPrefix(l, "\t"))
	}
	return b.String()
}

// rehearse returns the summary of a rehearsal from start that runs each
// step of the snippet's runbook for its duration.
func rehearse(t *testing.T, start time.Time, d ...time.Duration) timeline.Summary {
	t.Helper()
	now := start
	j := timeline.New(&timeline.Options{Now: func() time.Time { return now }})
	for i, id := range []string{"switch-dns", "smoke-tests"} {
		_, err := j.Start(id, "bruno", timeline.NoImpact)
		require.NoError(t, err)
		now = now.Add(d[i])
		_, err = j.End(id, "bruno", timeline.Done)
		require.NoError(t, err)
	}
	return timeline.Summarize(j.Entries())
}
