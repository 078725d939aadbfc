package mep

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// sampleEvents returns one event of each kind, every field set.
func sampleEvents(t testing.TB) []event {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := time.Date(2026, 11, 12, 19, 40, 0, 0, time.UTC)
	t0 := at.Add(20 * time.Minute)
	sum := timeline.Summarize([]timeline.Entry{
		{Seq: 1, At: at, Kind: timeline.KindStart, Step: "a", Actor: "Bea", Impact: timeline.Outage},
		{Seq: 2, At: at.Add(time.Minute), Kind: timeline.KindEnd, Step: "a", Outcome: timeline.Failed},
	})
	return []event{
		&evProject{At: at, Name: "billing", By: "Sam", RolloutsOnly: true, Reason: "the product is in production",
			Options: &recorded{Zone: "UTC", Country: "FR", ReadinessLead: time.Hour, BuildShare: 0.75, BuildMargin: 0.1, loc: time.UTC}},
		&evPhase{At: at, From: Build, To: Validation, By: "Bea", Reason: "ok"},
		&evPlan{At: at, Phase: Build, Planned: 3 * time.Hour, By: "Sam"},
		&evMember{At: at, Member: Member{Name: "Olga", Roles: []Role{RoleOperations, RoleMCO}, Contact: "o@x"}, By: "Sam"},
		&evTeam{At: at, Names: []string{"Olga", "Bea"}, By: "Sam"},
		&evTeam{At: at, Names: []string{"Client"}, Guests: true, By: "Sam"},
		&evPolicies{At: at, Rollout: "go-live", File: "policies: []\n", Code: []string{"cab", "nag"}, By: "Olga", Reason: "the board"},
		&evOptions{At: at, By: "Sam", Reason: "moved to Paris", Options: recorded{Zone: "UTC", Country: "FR", ReadinessLead: 2 * time.Hour, BuildShare: 0.7, BuildMargin: 0.1, loc: time.UTC}},
		&evContact{At: at, Name: "Bea", By: "Sam"},
		&evCadence{At: at, Cadence: Cadence{Months: 1, Days: 2, Weekdays: true}, By: "Sam"},
		&evMeeting{At: at, Title: "m", Attendees: []string{"Olga"}, Notes: "n", Decisions: []string{"d"},
			Actions: []ActionSpec{{Title: "t", Owner: "Olga", Due: t0}}, Next: t0, By: "Sam"},
		&evMeeting{At: at, Attendees: []string{"Olga"}, NoActions: "nothing to do"},
		&evAssign{At: at, Spec: ActionSpec{Title: "t", Owner: "Olga", Due: t0}, By: "Sam"},
		&evClose{At: at, ID: 2, Status: ActionCancelled, By: "Olga", Note: "why"},
		&evLesson{At: at, From: "r1", Text: "x", Action: "y", By: "Bea"},
		&evApply{At: at, ID: 1, Rollout: "r2", By: "Bea", Note: "n/a", Waived: true},
		&evChecklist{At: at, Run: runOperations, List: checklist.Operations(), T0: t0, By: "Marc"},
		&evTick{At: at, Run: runReadiness, Rollout: "r1", Item: "i", Status: checklist.Waived, By: "Olga", Note: "why"},
		&evRehearsal{At: at, Rollout: "r1", Run: RehearsalRun{Summary: sum, Environment: "preprod", ProductionLike: true, Partial: true, Rollback: true}, By: "Bea"},
		&evRollout{At: at, Name: "r1", T0: t0.In(paris), By: "Sam", Spec: rolloutJSON{
			Environment: "prod", Labels: map[string]string{"fixes": "42"}, Zone: "Europe/Paris",
			Runbook:   []Step{{ID: "a", Title: "A", Owner: "Bea", Kind: TestStep, Impact: timeline.Outage, Expected: time.Minute, Group: "g", Rollback: "undo", PointOfNoReturn: true}, {ID: "b", DependsOn: []string{"a"}}},
			Readiness: recordedList{List: checklist.Preparation()}, Quorum: map[string]int{"operations": 2}, Margin: 0.25,
		}},
		&evReschedule{rolloutAct: rolloutAct{At: at, Rollout: "r1", By: "Olga", Reason: "eve"}, T0: t0},
		&evVote{At: at, Rollout: "r1", Vote: Vote{Role: RoleOperations, By: "Olga", Verdict: NoGo, Reason: "no", At: at, T0: t0, Digest: "abc"}},
		&evDecision{At: at, Rollout: "r1", By: "Olga", Decision: Decision{
			Verdict: Go, At: at, T0: t0, Reasons: []Reason{{Source: "phase", Rule: policy.R1, Text: "a"}, {Text: "b"}}, Warnings: []Reason{{Source: "lesson", Rule: policy.R12, Text: "w"}}, Estimate: time.Hour, Pending: 2, Digest: "abc",
			Policy: policy.Result{
				Decisions: []policy.Decision{{Policy: "friday-freeze", Verdict: policy.Deny, Reason: "friday", Next: t0, Overridden: true}},
				Override:  &policy.Override{By: "Olga", Reason: "urgent", At: at},
			},
		}},
		&evOverride{rolloutAct{At: at, Rollout: "r1", By: "Olga", Reason: "urgent"}},
		&evStep{At: at, Rollout: "r1", Step: "a", By: "Bea", Event: stepStart},
		&evStep{At: at, Rollout: "r1", Step: "a", By: "Bea", Event: stepEnd, Outcome: timeline.Failed, Rollback: true},
		&evStep{At: at, Rollout: "r1", Step: "b", By: "Bea", Event: stepSkip, Reason: "not needed"},
		&evNote{At: at, Rollout: "r1", By: "Bea", Text: "hello"},
		&evFinish{At: at, Rollout: "r1", By: "Olga"},
		&evOptOut{At: at, By: "Olga", Reason: "a 24/7 shop"},
		&evRollback{rolloutAct{At: at, Rollout: "r1", By: "Olga", Reason: "db broken"}},
		&evAccept{rolloutAct: rolloutAct{At: at, Rollout: "r1", By: "Olga", Reason: "known bug"}, Step: "a"},
		&evResource{At: at, Rollout: "r1", Kind: Database, Name: "billing", By: "Olga", Reason: "migration", Removed: true},
		&evDecisionPoint{At: at, Rollout: "r1", DecideBy: t0.Add(-time.Hour), WindowEnd: t0, ExpectedEnd: t0.Add(time.Minute), Rollback: time.Hour},
	}
}

// TestEventRoundTrip: each event reads back as written, through the
// journal's own encoding (a file journal's line), for every kind.
func TestEventRoundTrip(t *testing.T) {
	kinds := map[string]bool{}
	for _, ev := range sampleEvents(t) {
		kinds[ev.kind()] = true
		t.Run(ev.kind(), func(t *testing.T) {
			j := timeline.New(nil)
			e, err := j.Record(encode(ev))
			require.NoError(t, err)
			var buf bytesBuffer
			require.NoError(t, timeline.WriteJSONL(&buf, []timeline.Entry{e}))
			back, err := timeline.Read(&buf)
			require.NoError(t, err)
			got, err := decode(&back[0], time.UTC, nil)
			require.NoError(t, err)
			assert.Equal(t, normalize(ev), normalize(got))
		})
	}
	for k := range eventKinds {
		assert.True(t, kinds[k], "no round-trip sample for kind %q", k)
	}
}

// TestDecodeBadEntries: a mep entry that does not read is a *RecordError
// naming the entry and the attribute.
func TestDecodeBadEntries(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		e    timeline.Entry
		want string
	}{
		{"unknown kind", timeline.Entry{Seq: 3, At: at, Kind: "mep.teleport"}, "unknown event kind"},
		{"bad time", timeline.Entry{Seq: 4, At: at, Kind: "mep.rollout.reschedule", Attrs: map[string]string{"rollout": "r", "t0": "tuesday"}}, `t0 "tuesday": not an RFC 3339 time`},
		{"missing attribute", timeline.Entry{Seq: 5, At: at, Kind: "x-mep.vote", Attrs: map[string]string{"role": "operations"}}, "rollout: missing"},
		{"bad json", timeline.Entry{Seq: 6, At: at, Kind: "mep.rollout", Attrs: map[string]string{"rollout": "r", "t0": "2026-01-01T00:00:00Z", "spec": "{"}}, "spec"},
		{"bad role", timeline.Entry{Seq: 7, At: at, Kind: "mep.member", Text: "x", Attrs: map[string]string{"roles": `["wizard"]`}}, "unknown role"},
		// Year 0 in Paris is year -1 in UTC: read, it could not be
		// written again.
		{"time out of range", timeline.Entry{Seq: 8, At: at, Kind: "mep.rollout.reschedule", Attrs: map[string]string{"rollout": "r", "t0": "0000-01-01T00:30:00+01:00"}}, "t0 \"0000-01-01T00:30:00+01:00\": outside the years 0-9999"},
		// The writer leaves a zero time out: spelled out, however
		// written, it is no time a writer records.
		{"zero time", timeline.Entry{Seq: 10, At: at, Kind: "mep.rollout", Attrs: map[string]string{"rollout": "r", "t0": "0001-01-01T01:00:00+01:00", "spec": "{}"}}, "the zero time"},
		{"time past 9999", timeline.Entry{Seq: 9, At: at, Kind: "mep.rollout", Attrs: map[string]string{"rollout": "r", "t0": "9999-12-31T23:30:00-01:00", "spec": "{}"}}, "outside the years 0-9999"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode(&tt.e, time.UTC, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCorrupt)
			var re *RecordError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.e.Seq, re.Seq)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	other := timeline.Entry{Seq: 1, At: at, Kind: "note"}
	ev, err := decode(&other, time.UTC, nil)
	assert.NoError(t, err)
	assert.Nil(t, ev, "entries of other kinds are not mep's")
}

// FuzzDecode: no entry makes the decoder panic; an entry that decodes is
// an event that encodes and decodes again to itself, and a bad one is a
// *RecordError. Entries carry every attribute at once (a JSON object),
// so that the fuzzer reaches the decoding of whole events; the seeds are
// one entry of each kind (and testdata/fuzz/FuzzDecode).
func FuzzDecode(f *testing.F) {
	for _, ev := range sampleEvents(f) {
		e := encode(ev)
		attrs, err := json.Marshal(e.Attrs)
		require.NoError(f, err)
		f.Add(e.Kind, e.Actor, e.Text, e.Step, string(attrs))
	}
	f.Fuzz(func(t *testing.T, kind, actor, text, step, attrs string) {
		var m map[string]string
		_ = json.Unmarshal([]byte(attrs), &m)
		e := timeline.Entry{Seq: 1, At: time.Unix(0, 0).UTC(), Kind: kind, Actor: actor, Text: text, Step: step, Attrs: m}
		ev, err := decode(&e, time.UTC, nil)
		if err != nil {
			var re *RecordError
			require.ErrorAs(t, err, &re)
			require.ErrorIs(t, err, ErrCorrupt)
			return
		}
		if ev == nil {
			return // not mep's
		}
		again := encode(ev)
		again.Seq, again.At = 1, e.At
		back, err := decode(&again, time.UTC, nil)
		require.NoError(t, err, "an event decoded from %+v encodes to %+v, which does not decode", e, again)
		require.Equal(t, normalize(ev), normalize(back))
		if st := newState(); st.admit(ev) == nil {
			ev.apply(st)
		}
	})
}

// FuzzReplay: no sequence of events makes the fold panic, whatever their
// order (a step before its rollout, a vote after the cutover, twice the
// same member, ...); a sequence that does not fold stops at a
// *RecordError. Each byte of the input picks one of the sample events.
func FuzzReplay(f *testing.F) {
	samples := sampleEvents(f)
	entries := make([]timeline.Entry, len(samples))
	for i, ev := range samples {
		entries[i] = encode(ev)
	}
	all := make([]byte, len(samples))
	for i := range all {
		all[i] = byte(i)
	}
	f.Add(all)
	f.Add([]byte{0, 3, 4, 17, 19, 20, 22, 23, 22, 23, 26})
	f.Add([]byte{0, 17, 22, 28, 22, 23, 24, 29})
	f.Fuzz(func(t *testing.T, order []byte) {
		st := newState()
		for i, b := range order {
			e := entries[int(b)%len(entries)]
			e.Seq = uint64(i + 1)
			if err := st.applyEntry(&e, time.UTC); err != nil {
				var re *RecordError
				require.ErrorAs(t, err, &re)
				require.ErrorIs(t, err, ErrCorrupt)
				return
			}
		}
	})
}
