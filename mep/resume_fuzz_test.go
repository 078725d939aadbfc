package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// FuzzResume feeds NewRollout journals of arbitrary entries: it resumes
// them or returns an error, never panics.
func FuzzResume(f *testing.F) {
	f.Add("vote", "go", "operations", "2026-11-24T20:30:00+01:00", "Otto", "")
	f.Add("decision", "go", "", "2026-11-24T20:30:00+01:00", "", "reason 1\nreason 2")
	f.Add("decision", "", "reschedule", "2026-11-25T20:30:00+01:00", "Otto", "moved")
	f.Add("override", "", "", "", "Otto", "why")
	f.Add("start", "", "", "", "Otto", "backup")
	f.Add("vote", "maybe", "", "not a time", "", "")
	f.Fuzz(func(t *testing.T, kind, decision, event, t0, actor, text string) {
		c := newClock(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
		p := newProject(t, c)
		staff(t, p)
		j := timeline.New(nil)
		e := timeline.Entry{Kind: kind, Actor: actor, Text: text, Attrs: map[string]string{
			"vote": decision, "decision": decision, "event": event, "role": event, "t0": t0, "to": t0,
		}}
		if kind == timeline.KindStart {
			e.Step = text
		}
		if _, err := j.Record(e); err != nil {
			return // not an entry a journal takes
		}
		r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC),
			Runbook: []mep.Step{{ID: "backup", Expected: time.Minute}}, Journal: j})
		if err != nil {
			require.ErrorIs(t, err, mep.ErrInvalid)
			return
		}
		_ = r.Evaluate(ctx, time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC))
	})
}
