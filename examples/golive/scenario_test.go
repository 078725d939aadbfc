package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scenarioPhases is the part of a scenario that says when each phase
// starts: FuzzScenario puts it before the fuzzed text, which then need not
// spell it out.
const scenarioPhases = `phases:
  build: {at: 2026-01-05 09:00, by: a}
  validation: {at: 2026-01-06 09:00, by: a}
  rehearsal: {at: 2026-01-07 09:00, by: a}
  planning: {at: 2026-01-08 09:00, by: a}
  preparation: {at: 2026-01-09 09:00, by: a}
  review: {at: 2026-01-10 09:00, by: a}
  industrialization: {at: 2026-01-11 09:00, by: a}
  operations: {at: 2026-01-12 09:00, by: a}
`

// scenarioRest is what a scenario needs besides its phases.
const scenarioRest = `project: p
zone: Europe/Paris
created: 2026-01-05 09:00
policy: "zone: Europe/Paris"
runbook: [{id: s}]
cutover: {t0: 2026-01-10 20:00, steps: {s: [5m, 9m failed]}, notes: [{after: s, text: t}]}
`

// minimalScenario is the shortest scenario parseScenario accepts.
const minimalScenario = scenarioPhases + scenarioRest

func TestParseMinimalScenario(t *testing.T) {
	s, err := parseScenario([]byte(minimalScenario))
	require.NoError(t, err)
	tries, err := attempts("s", s.Cutover.Steps["s"])
	require.NoError(t, err)
	assert.Equal(t, []attempt{{d: 5 * 60e9}, {d: 9 * 60e9, failed: true}}, tries)
	assert.Equal(t, "2026-01-10 20:00 +0100", s.at(s.Cutover.T0).Format("2006-01-02 15:04 -0700"))
}

// FuzzScenario checks that parseScenario never panics, that its errors
// say they are the scenario's, and that a scenario it accepts has a zone,
// times that read in it and cutover steps that are all in the runbook.
func FuzzScenario(f *testing.F) {
	f.Add([]byte(scenarioRest))
	f.Add([]byte(strings.Replace(scenarioRest, "steps: {s: [5m, 9m failed]}", "steps: {s: [5m late]}", 1)))
	f.Add([]byte(strings.Replace(scenarioRest, "[{after: s,", "[{after: x,", 1)))
	f.Add([]byte("project: p\nzone: Mars/Olympus\n"))
	f.Add([]byte("projet: x\n"))
	f.Add([]byte("zone: UTC\ncreated: next tuesday\n"))
	f.Add([]byte("zone: UTC\nplan: {build: -1h}\n"))
	f.Add([]byte("zone: UTC\ncutover: {steps: {a: [\"5m late\"]}}\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 256 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on long inputs it stands still.
			t.Skip("long input")
		}
		checkScenario(t, data)
		checkScenario(t, append([]byte(scenarioPhases), data...))
	})
}

// checkScenario checks what FuzzScenario says of one document.
func checkScenario(t *testing.T, data []byte) {
	t.Helper()
	s, err := parseScenario(data)
	if err != nil {
		require.True(t, strings.HasPrefix(err.Error(), "scenario: "), "%v", err)
		return
	}
	require.NotNil(t, s.loc)
	assert.False(t, s.at(s.Created).IsZero())
	assert.False(t, s.at(s.Cutover.T0).IsZero())
	for id, in := range s.Cutover.Steps {
		if _, err := attempts(id, in); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "scenario: cutover.steps."+id+": "), "%v", err)
		}
	}
	for _, st := range s.Runbook {
		assert.Contains(t, s.Cutover.Steps, st.ID)
	}
}
