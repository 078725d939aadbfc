package fleet

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
)

// Risk levels, by score.
const (
	RiskMedium = 0.3 // a score at or above it is medium
	RiskHigh   = 0.6 // a score at or above it is high
)

// DefaultLookback is how far back [Snapshot.Risk] looks for changes to a
// rollout's resources when the caller gives zero.
const DefaultLookback = 90 * 24 * time.Hour

// The weights of the inputs of a risk score; they add up to 1.
const (
	weightFailRate   = 0.35
	weightOverrun    = 0.20
	weightExperience = 0.15
	weightOutage     = 0.15
	weightSize       = 0.15
)

// Risk is the risk of a change computed from the history of the store,
// with the inputs it came from: no black box.
type Risk struct {
	// Score is the weighted sum of the inputs' factors, from 0 to 1.
	Score float64 `json:"score"`
	// Level is "low", "medium" (from RiskMedium) or "high" (from
	// RiskHigh).
	Level  string      `json:"level"`
	Inputs []RiskInput `json:"inputs"`
}

// RiskInput is one input of a risk score: its factor, from 0 (no risk)
// to 1, times its weight, adds to the score.
type RiskInput struct {
	Name   string  `json:"name"`
	Text   string  `json:"text"` // the value and where it comes from, for people
	Factor float64 `json:"factor"`
	Weight float64 `json:"weight"`
}

// String describes the risk for people: score, level and inputs.
func (r Risk) String() string {
	parts := make([]string, len(r.Inputs))
	for i, in := range r.Inputs {
		parts[i] = fmt.Sprintf("%s %s (%.2f×%.2f)", in.Name, in.Text, in.Factor, in.Weight)
	}
	return fmt.Sprintf("risk %.2f (%s): %s", r.Score, r.Level, strings.Join(parts, "; "))
}

// Risk computes the risk of project's rollout at now from the
// snapshot, as the weighted sum of five factors, each from 0 to 1:
//
//   - the change fail rate of its resources (weight 0.35): the share of
//     the deployments that touched any of them and started in the
//     lookback before now that failed (rolled back, failed, or fixed by
//     a hotfix, as [Snapshot.Metrics] counts them); 0.5 when none did;
//   - the chance to overrun its window (0.20): Entry.PastWindow;
//   - the team's experience (0.15): 1/(1+n), n the deployments of the
//     same project by the same team done before now;
//   - the expected outage (0.15): the outage over 4 hours, capped at 1;
//   - the runbook's size (0.15): the steps over 40, capped at 1.
//
// A zero lookback is DefaultLookback. It returns an error for a rollout
// the snapshot does not have, or that more than one record holds (the
// risk of which one is not known).
func (s *Snapshot) Risk(project, rollout string, now time.Time, lookback time.Duration) (Risk, error) {
	e, ok := s.Find(project, rollout)
	if !ok {
		return Risk{}, fmt.Errorf("fleet: no rollout %s/%s in the schedule", project, rollout)
	}
	if err := s.ambiguous(project, rollout); err != nil {
		return Risk{}, fmt.Errorf("fleet: %w", err)
	}
	if lookback <= 0 {
		lookback = DefaultLookback
	}
	fixed := fixes(s.Entries)
	var n, failed, done int
	for i := range s.Entries {
		o := &s.Entries[i]
		if isSelf(o, &e) || o.Started.IsZero() || o.Ended.IsZero() || !o.Started.Before(now) {
			continue
		}
		if o.Project == e.Project && o.Team == e.Team && o.Status == report.Done {
			done++
		}
		if o.Started.Before(now.Add(-lookback)) || !sharesResource(&e, o) {
			continue
		}
		n++
		if o.Status == report.RolledBack || o.Status == report.Failed || fixed[o.ID()] != nil {
			failed++
		}
	}
	fail, failText := 0.5, fmt.Sprintf("unknown: no change to %s in %s", resourceList(&e), days(lookback))
	if n > 0 {
		fail = float64(failed) / float64(n)
		failText = fmt.Sprintf("%.0f%% (%d of %d changes to %s in %s)", 100*fail, failed, n, resourceList(&e), days(lookback))
	}
	r := Risk{Inputs: []RiskInput{
		{"resources' change fail rate", failText, fail, weightFailRate},
		{"chance to overrun the window", fmt.Sprintf("%.0f%%", 100*e.PastWindow), e.PastWindow, weightOverrun},
		{"team's experience", fmt.Sprintf("%d earlier deployments of %s by %s", done, e.Project, e.Team), 1 / float64(1+done), weightExperience},
		{"expected outage", e.Outage.String(), math.Min(e.Outage.Hours()/4, 1), weightOutage},
		{"runbook size", fmt.Sprintf("%d steps", e.Steps), math.Min(float64(e.Steps)/40, 1), weightSize},
	}}
	for _, in := range r.Inputs {
		r.Score += in.Factor * in.Weight
	}
	r.Score = math.Round(r.Score*1000) / 1000
	switch {
	case r.Score >= RiskHigh:
		r.Level = "high"
	case r.Score >= RiskMedium:
		r.Level = "medium"
	default:
		r.Level = "low"
	}
	return r, nil
}

func sharesResource(a, b *Entry) bool {
	for _, x := range a.Resources {
		if slices.ContainsFunc(b.Resources, func(y mep.Resource) bool { return x.Kind == y.Kind && x.Name == y.Name }) {
			return true
		}
	}
	return false
}

func resourceList(e *Entry) string {
	if len(e.Resources) == 0 {
		return "its resources (none declared)"
	}
	return strings.Join(keys(e), ", ")
}

func days(d time.Duration) string { return fmt.Sprintf("%d days", int(d.Hours()/24)) }

// RiskPolicy returns a policy for project's rollout that computes its
// risk at the change's Now (its Start when zero) with lookback
// ([Snapshot.Risk]), and warns at a medium risk; at a high risk, it
// denies unless at least approvals distinct people gave a GO
// (policy.Change.Approvals), and then warns. The reason gives the score
// and its inputs. approvals below 1 count as 2. A rollout the snapshot
// does not have is warned of; one that more than one record holds is
// denied, since a copy could lower the risk.
func (s *Snapshot) RiskPolicy(project, rollout string, lookback time.Duration, approvals int) policy.Policy {
	if approvals < 1 {
		approvals = 2
	}
	return policy.Func("fleet-risk", func(_ context.Context, c policy.Change) policy.Decision {
		d := policy.Decision{Policy: "fleet-risk"}
		now := c.Now
		if now.IsZero() {
			now = c.Start
		}
		r, err := s.Risk(project, rollout, now, lookback)
		if err != nil {
			d.Verdict, d.Reason = policy.Warn, err.Error()
			if errors.As(err, new(*ambiguousError)) {
				d.Verdict = policy.Deny // a copy must not lower the risk
			}
			return d
		}
		if r.Level == "low" {
			return d
		}
		d.Verdict, d.Reason = policy.Warn, r.String()
		if r.Level == "high" {
			gos := map[string]bool{}
			for _, a := range c.Approvals {
				if a.Go {
					gos[a.By] = true
				}
			}
			d.Reason += fmt.Sprintf("; a high risk needs %d GOs, %d given", approvals, len(gos))
			if len(gos) < approvals {
				d.Verdict = policy.Deny
			}
		}
		return d
	})
}
