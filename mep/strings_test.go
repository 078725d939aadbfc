package mep_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
)

// TestEstimateString: an estimate prints as a sentence, not as a struct.
func TestEstimateString(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	assert.Equal(t, "40m, 25m of outage, from the production-like rehearsal in preprod of 2026-11-15 20:00 CET",
		fmt.Sprint(g.r.Estimate()))

	e := mep.Estimate{Total: 5 * time.Minute, Unknown: []string{"a", "b"}, Rollback: 3 * time.Minute, Warning: "estimate: no rehearsal"}
	assert.Equal(t, "5m, 0s of outage; a rollback takes 3m; no estimate for a, b; estimate: no rehearsal", e.String())
	assert.Equal(t, "0s, 0s of outage", mep.Estimate{}.String())
}

// TestProposalString: a proposal prints its slots and why the requested
// start was refused.
func TestProposalString(t *testing.T) {
	fri := at(paris, 2026, 11, 20, 20, 0)
	p := mep.Proposal{
		Duration: 44 * time.Minute,
		Slots:    []time.Time{at(paris, 2026, 11, 24, 20, 30), at(paris, 2026, 11, 30, 20, 0)},
		Refused:  policy.Set{policy.FridayFreeze(paris)}.Evaluate(bg, policy.Change{Start: fri, Duration: time.Hour}).Denials(),
	}
	require.Len(t, p.Refused, 1)
	got := fmt.Sprint(p)
	assert.Contains(t, got, "44m to fit; starts: Tue 2026-11-24 20:30 CET, Mon 2026-11-30 20:00 CET; the requested start is refused: ")
	assert.Contains(t, got, p.Refused[0].String())
	assert.Equal(t, "0s to fit; no start fits", mep.Proposal{}.String())
}

func ExampleEstimate_String() {
	e := mep.Estimate{Total: 40 * time.Minute, Outage: 25 * time.Minute, Rollback: 18 * time.Minute}
	fmt.Println(e)
	// Output: 40m, 25m of outage; a rollback takes 18m
}

func ExampleProposal_String() {
	paris, _ := time.LoadLocation("Europe/Paris")
	p := mep.Proposal{
		Duration: 44 * time.Minute,
		Slots:    []time.Time{time.Date(2026, 11, 24, 20, 30, 0, 0, paris)},
		Refused:  []policy.Decision{{Policy: "friday-freeze", Verdict: policy.Deny, Reason: "no go-live on a Friday (R11)"}},
	}
	fmt.Println(p)
	// Output: 44m to fit; starts: Tue 2026-11-24 20:30 CET; the requested start is refused: friday-freeze: no go-live on a Friday (R11)
}
