package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// resume replays the entries of a rollout's journal: reschedules, votes,
// decisions, overrides and started steps. Requires r not yet shared.
func (r *Rollout) resume(entries []timeline.Entry) error {
	loc := r.t0.Location()
	parseT0 := func(e timeline.Entry, key string) (time.Time, error) {
		t, err := time.Parse(time.RFC3339, e.Attrs[key])
		if err != nil {
			return time.Time{}, fieldErr(fmt.Sprintf("journal entry %d: %s", e.Seq, key), e.Attrs[key], "not an RFC 3339 time")
		}
		return t.In(loc), nil
	}
	for _, e := range entries {
		switch e.Kind {
		case kindDecision:
			if e.Attrs["event"] == "reschedule" {
				t0, err := parseT0(e, "to")
				if err != nil {
					return err
				}
				r.t0, r.gen, r.decided, r.override = t0, r.gen+1, Verdict{}, nil
				continue
			}
			var d Decision
			if err := d.UnmarshalText([]byte(e.Attrs["decision"])); err != nil {
				return fieldErr(fmt.Sprintf("journal entry %d: decision", e.Seq), e.Attrs["decision"], "unknown decision")
			}
			t0, err := parseT0(e, "t0")
			if err != nil {
				return err
			}
			var reasons []string
			if e.Text != "" {
				reasons = strings.Split(e.Text, "\n")
			}
			r.decided = Verdict{Decision: d, At: e.At, T0: t0, Reasons: reasons, Digest: e.Attrs["checklist_digest"]}
		case kindVote:
			t0, err := parseT0(e, "t0")
			if err != nil {
				return err
			}
			v := Vote{Role: e.Attrs["role"], By: e.Actor, Go: e.Attrs["vote"] == "go", Reason: e.Text,
				At: e.At, T0: t0, Digest: e.Attrs["checklist_digest"], gen: r.gen}
			if v.Role == "" || (e.Attrs["vote"] != "go" && e.Attrs["vote"] != "no-go") {
				return fieldErr(fmt.Sprintf("journal entry %d: vote", e.Seq), e.Attrs["vote"], "not a vote of this library")
			}
			r.votes = append(r.votes, v)
		case kindOverride:
			r.override = &policy.Override{By: e.Actor, Reason: e.Text, At: e.At}
		case timeline.KindStart:
			if _, ok := r.index[e.Step]; !ok {
				return fieldErr(fmt.Sprintf("journal entry %d: step", e.Seq), e.Step, "not in the runbook")
			}
			r.started = true
		}
	}
	return nil
}
