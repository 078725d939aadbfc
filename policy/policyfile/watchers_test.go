package policyfile_test

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

// runs is a Distribution of simulated durations.
type runs []time.Duration

func (r runs) Quantile(q float64) time.Duration {
	return r[min(max(int(q*float64(len(r))+0.999999)-1, 0), len(r)-1)]
}

func (r runs) Above(limit time.Duration) float64 {
	return float64(len(r)-sort.Search(len(r), func(i int) bool { return r[i] > limit })) / float64(len(r))
}

// A file may require the operation to fit its window at P95, and
// announce the closings after it; both watch the file's calendars,
// wherever they stand in the list.
func TestParseFitAndAnnounce(t *testing.T) {
	set, err := policyfile.Parse([]byte(`zone: Europe/Paris
policies:
  - kind: fit
    quantile: p95
    mandatory: true
  - kind: friday-freeze
  - kind: windows
    name: evenings
    spec: Mon-Thu 20:00-23:30
  - kind: announce
    lead: 3h
`))
	require.NoError(t, err)
	assert.Equal(t, []string{"fit-p95", "friday-freeze", "evenings", "announce"}, names(set))
	fit, ok := policy.As[*policy.Fit](set[0])
	require.True(t, ok)
	assert.Equal(t, 0.95, fit.Q)
	assert.True(t, policy.IsMandatory(set[0]))

	var sample runs
	for i := range 100 {
		sample = append(sample, 2*time.Hour+time.Duration(i)*time.Minute/2) // 2h to 2h49m30s
	}
	slices.Sort(sample)
	c := policy.Change{Start: at(2026, 11, 12, 21, 0), Duration: 2 * time.Hour, Risk: policy.Risk{Durations: sample}}
	r := set.Evaluate(context.Background(), c)
	assert.Equal(t, policy.Deny, r.Decisions[0].Verdict, r.Decisions[0].Reason)
	assert.Equal(t, "P95 end 23:47 CET, window ends 23:30 CET (evenings); 39% chance to overrun; start earlier, shorten the runbook or ask for a longer window", r.Decisions[0].Reason)
	assert.Equal(t, policy.Warn, r.Decisions[3].Verdict, "the window closes 30m after the planned end")
	assert.Contains(t, r.Decisions[3].Reason, "evenings blocks go-lives from Thu 2026-11-12 23:30 CET")

	c.Start = at(2026, 11, 12, 20, 0)
	assert.True(t, set.Evaluate(context.Background(), c).Allowed())

	for _, q := range []string{"p90", "P90", "0.9", "90%"} {
		set, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: fit\n    quantile: \"" + q + "\"\n"))
		if q == "90%" {
			assert.Error(t, err)
			continue
		}
		require.NoError(t, err, q)
		fit, _ := policy.As[*policy.Fit](set[0])
		assert.Equal(t, 0.9, fit.Q, q)
	}
	set, err = policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: fit\n"))
	require.NoError(t, err)
	fit, _ = policy.As[*policy.Fit](set[0])
	assert.Equal(t, 0.9, fit.Q, "P90 by default")
}
