package mep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Verdict is a go/no-go decision with every reason behind it. The zero
// value is Undecided.
type Verdict struct {
	Decision Decision
	At       time.Time // when it was evaluated
	T0       time.Time // the cutover start it is about
	// Reasons explain the decision, one sentence each, blocking reasons
	// first: policy denials and warnings, late or failed checklist items,
	// missing or stale votes, a missing estimate.
	Reasons []string
	// Policy is the policies' result for [T0, T0+Estimate).
	Policy   policy.Result
	Estimate time.Duration // the estimated duration checked, margin included
	Late     []checklist.Item
	Failed   []checklist.Item
	Pending  int    // required readiness items not done
	Votes    []Vote // the votes that count (given for this T0)
	Stale    []Vote // votes given for an earlier T0: they do not count
	Digest   string // the readiness checklist's digest when evaluated
}

// IsGo reports whether the decision is Go.
func (v Verdict) IsGo() bool { return v.Decision == Go }

// String explains the verdict: the decision, then one reason per line.
func (v Verdict) String() string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(v.Decision.String()))
	for _, r := range v.Reasons {
		b.WriteString("\n- ")
		b.WriteString(r)
	}
	return b.String()
}

// Estimate is what the rollout expects of its cutover, from the runbook and
// the rehearsals (R5).
type Estimate struct {
	Steps    []time.Duration // expected duration of each runbook step, in order
	Total    time.Duration   // sum of Steps
	Outage   time.Duration   // expected user outage
	Unknown  []string        // steps with neither Expected nor a rehearsal
	Forecast timeline.Forecast
}

// Estimate returns the expected durations: each step's Expected, or else
// the median of the rehearsals. The expected outage is the rehearsals'
// median outage, or the sum of the outage steps' durations when there is
// no rehearsal.
func (r *Rollout) Estimate() Estimate {
	f := timeline.Estimate(r.p.Evidence().Rehearsals...)
	e := Estimate{Forecast: f, Steps: make([]time.Duration, len(r.runbook))}
	var outage time.Duration
	for i, s := range r.runbook {
		d := s.Expected
		if d == 0 {
			if sf, ok := f.Step(s.ID); ok && sf.Elapsed.N > 0 {
				d = sf.Elapsed.Median
			} else {
				e.Unknown = append(e.Unknown, s.ID)
			}
		}
		e.Steps[i] = d
		e.Total += d
		if s.Impact == timeline.Outage {
			outage += d
		}
	}
	e.Outage = outage
	if f.Runs > 0 {
		e.Outage = f.Outage.Median
	}
	return e
}

// withMargin returns d plus the rollout's margin.
func (r *Rollout) withMargin(d time.Duration) time.Duration {
	return d + time.Duration(float64(d)*r.margin)
}

// change builds what the policies see at now, for an operation that
// starts at start. Requires r.mu held.
func (r *Rollout) change(now, start time.Time, est Estimate, votes []Vote) policy.Change {
	c := policy.Change{
		Name: r.name, Environment: r.env, Start: start, Duration: r.withMargin(est.Total),
		Now: now, ReadyAt: r.readiness.ReadyAt(), Outage: est.Outage, Override: r.override,
	}
	for _, v := range votes {
		c.Approvals = append(c.Approvals, v.approval())
	}
	return c
}

// Evaluate returns the go/no-go as it stands at now, without recording
// anything: a preview of [Rollout.Decide].
//
// The decision is NoGo when a policy denies the whole operation (an
// override lifts the denials of policies that are not mandatory), when a
// vote for the current T0 is a No-Go, or when readiness items failed or
// are late (R7: due by their deadline, by default T-1h). It is Undecided
// while something is still missing (a vote, readiness before its
// deadline, an estimate for some steps), and Go only when nothing is.
func (r *Rollout) Evaluate(ctx context.Context, now time.Time) Verdict {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.evaluate(ctx, now.Round(0), r.t0)
}

// evaluate returns the verdict at now for an operation starting at start:
// T0, or the instant the first step actually starts. Requires r.mu held.
func (r *Rollout) evaluate(ctx context.Context, now, start time.Time) Verdict {
	est := r.Estimate()
	current, stale := r.currentVotes(now)
	c := r.change(now, start, est, current)
	v := Verdict{At: now, T0: r.t0, Votes: current, Stale: stale, Digest: r.readiness.Digest(), Estimate: c.Duration}
	v.Policy = r.policies.Evaluate(ctx, c)
	blocked, missing := false, false
	var later []string // reasons that do not block, listed after those that do

	for _, d := range v.Policy.Decisions {
		switch {
		case d.Verdict == policy.Deny && !d.Overridden:
			blocked = true
			v.Reasons = append(v.Reasons, d.String())
		case d.Verdict == policy.Deny:
			later = append(later, d.String()+" (overridden)")
		case d.Verdict == policy.Warn && r.waitsFor(d.Policy):
			missing = true // a GO or readiness still to come
			later = append(later, d.String())
		case d.Verdict == policy.Warn:
			later = append(later, d.String()) // worth a look; does not block
		}
	}
	loc := r.t0.Location()
	for _, it := range r.readiness.Late(now) {
		res, _ := r.readiness.Result(it.ID)
		if it.Optional {
			later = append(later, fmt.Sprintf("checklist: optional item %s (%s) is late", it.ID, it.Title))
			continue
		}
		blocked = true
		v.Late = append(v.Late, it)
		due := r.t0.Add(it.Deadline).In(loc).Format("2006-01-02 15:04 MST")
		if res.Status == checklist.Done {
			v.Reasons = append(v.Reasons, fmt.Sprintf("checklist: item %s (%s) was done at %s, after its deadline %s (R7)",
				it.ID, it.Title, res.At.In(loc).Format("2006-01-02 15:04 MST"), due))
		} else {
			v.Reasons = append(v.Reasons, fmt.Sprintf("checklist: item %s (%s) was due by %s and is not done (R7)", it.ID, it.Title, due))
		}
	}
	progress := r.readiness.Progress()
	for _, res := range r.failedItems(progress) {
		blocked = true
		v.Failed = append(v.Failed, res.Item)
		reason := fmt.Sprintf("checklist: item %s (%s) failed", res.Item.ID, res.Item.Title)
		if res.Note != "" {
			reason += ": " + res.Note
		}
		v.Reasons = append(v.Reasons, reason)
	}
	if progress.RequiredPending > 0 {
		v.Pending = progress.RequiredPending
		missing = true
		later = append(later, fmt.Sprintf("checklist: %d required item(s) of %q still to do", progress.RequiredPending, r.readiness.List().Name))
	}
	for _, s := range stale {
		later = append(later, fmt.Sprintf("vote: %s was given for T0 %s; T0 is now %s: vote again",
			s, s.T0.In(loc).Format("2006-01-02 15:04 MST"), r.t0.In(loc).Format("2006-01-02 15:04 MST")))
	}
	if len(est.Unknown) > 0 {
		missing = true
		later = append(later, fmt.Sprintf("estimate: no expected duration for %s; rehearse the runbook (R5) or set Step.Expected",
			strings.Join(est.Unknown, ", ")))
	}
	v.Reasons = append(v.Reasons, later...)
	switch {
	case blocked:
		v.Decision = NoGo
	case missing:
		v.Decision = Undecided
	case r.goBy(current) == "":
		// Only a vote gives a GO (R9), whatever the policies say.
		v.Decision = Undecided
		v.Reasons = append(v.Reasons, "vote: no GO given for this T0")
	default:
		v.Decision = Go
		for _, d := range v.Policy.Decisions {
			v.Reasons = append(v.Reasons, d.String())
		}
	}
	return v
}

// failedItems returns the readiness items that failed; it reads every
// item only when the progress counts some.
func (r *Rollout) failedItems(p checklist.Progress) []checklist.Result {
	if p.Failed == 0 {
		return nil
	}
	var out []checklist.Result
	for _, res := range r.readiness.Results() {
		if res.Status == checklist.Failed {
			out = append(out, res)
		}
	}
	return out
}

// Decide takes the go/no-go decision at now (see [Rollout.Evaluate]),
// journals it with its reasons and records it as the project's GoDecision
// (R9): a Go is given by the first member who voted GO for operations. Only
// after a Go for the current T0 may cutover steps start. It returns a
// *FieldError for a zero now, and the journal's or the project's error if
// the decision could not be recorded, in which case the rollout's decision
// is left as it was.
func (r *Rollout) Decide(ctx context.Context, now time.Time) (Verdict, error) {
	if now.IsZero() {
		return Verdict{}, fieldErr("decide.now", "", "zero time")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now = now.Round(0)
	v := r.evaluate(ctx, now, r.t0)
	gd := GoDecision{Decision: v.Decision, At: now, Reason: firstOr(v.Reasons, "")}
	switch v.Decision {
	case Go:
		gd.By = r.goBy(v.Votes)
	case NoGo:
		gd.By = r.name // refused by the rollout's checks, unless someone voted no
		for _, vote := range v.Votes {
			if !vote.Go {
				gd.By = vote.By
				break
			}
		}
	}
	if _, err := r.journal.Record(timeline.Entry{
		At: now, Kind: kindDecision, Actor: gd.By, Text: strings.Join(v.Reasons, "\n"),
		Attrs: map[string]string{"decision": v.Decision.String(), "t0": r.t0.Format(time.RFC3339), "checklist_digest": v.Digest},
	}); err != nil {
		return v, fmt.Errorf("mep: journal decision: %w", err)
	}
	if err := r.p.SetGoDecision(gd); err != nil {
		return v, err
	}
	r.decided = v
	return v, nil
}

// waitsFor reports whether a Warn from the named policy means something is
// still to come before a GO: a vote (require-go) or readiness.
func (r *Rollout) waitsFor(name string) bool {
	if strings.EqualFold(name, "readiness") {
		return true
	}
	for _, role := range r.roles {
		if strings.EqualFold(name, "require-go:"+role) {
			return true
		}
	}
	return false
}

// goBy names who gave the GO: the first operations voter, else the first.
func (r *Rollout) goBy(votes []Vote) string {
	for _, v := range votes {
		if v.Go && v.Role == RoleOperations.String() {
			return v.By
		}
	}
	for _, v := range votes {
		if v.Go {
			return v.By
		}
	}
	return ""
}

// Decided returns the last decision taken by Decide; the zero Verdict
// (Undecided) if none was, or if T0 moved since.
func (r *Rollout) Decided() Verdict {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.decided
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}
