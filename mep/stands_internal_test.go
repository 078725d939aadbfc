package mep

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The policies the record states are built once, and again when the
// record changes what they are built from: the policy file, the options,
// the opt-out of the freeze, T0's zone.
func TestRecordSetFollowsTheRecord(t *testing.T) {
	st := newState()
	ro := &rollout{t0: time.Date(2026, 11, 12, 20, 0, 0, 0, time.UTC)}
	names := func() []string {
		t.Helper()
		set, err := ro.recordSet(st)
		require.NoError(t, err)
		var out []string
		for _, q := range set {
			out = append(out, q.Name())
		}
		return out
	}
	first := names()
	assert.Equal(t, first, names(), "built once")
	assert.Contains(t, first, "friday-freeze")

	ro.policyFile = "policies:\n  - kind: max-outage\n    limit: 5m\n"
	assert.Len(t, names(), len(first)+1, "a new policy file")

	st.freezeOff = &evOptOut{}
	assert.NotContains(t, names(), "friday-freeze", "the freeze lifted")

	st.freezeOff = nil
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	ro.t0 = ro.t0.In(paris)
	set, err := ro.recordSet(st)
	require.NoError(t, err)
	assert.Same(t, paris, ro.recorded.loc, "T0's zone")
	assert.Len(t, set, len(first)+1)

	st.opts = &recorded{Zone: "UTC", ReadinessLead: 2 * time.Hour, loc: time.UTC}
	names()
	assert.Same(t, st.opts, ro.recorded.opts, "new options")
}
