package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minimalScenario is the shortest scenario parseScenario accepts.
const minimalScenario = `project: p
zone: Europe/Paris
created: 2026-01-05 09:00
policy: "zone: Europe/Paris"
phases:
  build: {at: 2026-01-05 09:00, by: a}
  validation: {at: 2026-01-06 09:00, by: a}
  rehearsal: {at: 2026-01-07 09:00, by: a}
  planning: {at: 2026-01-08 09:00, by: a}
  preparation: {at: 2026-01-09 09:00, by: a}
  review: {at: 2026-01-10 09:00, by: a}
  industrialization: {at: 2026-01-11 09:00, by: a}
  operations: {at: 2026-01-12 09:00, by: a}
runbook: [{id: s}]
cutover: {t0: 2026-01-10 20:00, steps: {s: [5m, 9m failed]}, notes: [{after: s, text: t}]}
`

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
	f.Add([]byte(minimalScenario))
	f.Add([]byte("project: p\nzone: Mars/Olympus\n"))
	f.Add([]byte("projet: x\n"))
	f.Add([]byte("zone: UTC\ncreated: next tuesday\n"))
	f.Add([]byte("zone: UTC\nplan: {build: -1h}\n"))
	f.Add([]byte("zone: UTC\ncutover: {steps: {a: [\"5m late\"]}}\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			t.Skip("long input: the minimiser would spend its time on it")
		}
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
	})
}
