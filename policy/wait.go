package policy

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultPoll is how long [Set.Wait] sleeps at most between two
// evaluations while a policy that is not a calendar denies the change, when
// [WaitOptions.Poll] is zero.
const DefaultPoll = time.Minute

// WaitOptions configures [Set.Wait]. A nil *WaitOptions, like the zero
// value, reads the real clock, sleeps on real timers and polls every
// [DefaultPoll]. Wait copies the options and never changes them.
type WaitOptions struct {
	// Now reads the clock; nil: time.Now.
	Now func() time.Time
	// After returns a channel that delivers once the duration has passed;
	// nil: time.After. Tests give a fake clock's.
	After func(time.Duration) <-chan time.Time
	// Poll is the longest sleep while a policy that is not a calendar
	// (a missing GO, readiness still to come, a [Func]) denies the change,
	// since a refreshed change may clear it at any time; zero or negative:
	// [DefaultPoll].
	Poll time.Duration
	// Until, when not zero, is when Wait gives up, read on the clock of
	// Now: a change still denied then ends the wait with an error wrapping
	// context.DeadlineExceeded, as a ctx deadline does on the real clock.
	Until time.Time
	// Horizon is how far ahead of the clock the calendars are searched for
	// the next allowed start; zero or negative: 366 days. A wait whose
	// calendars allow nothing within it sleeps Horizon and searches again.
	Horizon time.Duration
	// OnChange, when set, is called with the first Result, with each Result
	// in which a policy's verdict differs from the one before, and with the
	// final Result of an allowed change, together with the instant Wait
	// sleeps until (zero for the allowed one). It runs on Wait's goroutine.
	OnChange func(r Result, until time.Time)
}

// Wait blocks until the Set allows the change that refresh returns, then
// returns the Result that allowed it: a held change resumes by itself
// instead of waiting for a person to retry it.
//
// Each round, Wait reads the clock, calls refresh for the change as it
// stands now (a GO, a readiness time or an override may have arrived
// meanwhile) and evaluates it as starting now: Start and Now are set to
// the clock's reading. When it is denied, Wait sleeps until the earliest
// instant at which the answer may change, never polling the calendars:
//
//   - while only calendars deny it, until the next slot that
//     [Set.NextSlot] finds: the end of the freeze or the opening of the
//     window, whichever comes last (one wake-up across a weekend and a
//     holiday), or after [WaitOptions.Horizon] when there is none;
//   - while a policy that is no calendar denies it (a GO still to come,
//     readiness, a [Func]), until that slot, which follows the policies'
//     [Decision.Next], and [WaitOptions.Poll] at most, since the refreshed
//     change may clear the denial sooner. A policy that names no later
//     start makes Wait poll, never spin.
//
// Wait returns an error when refresh does, or when ctx is done first (the
// error wraps ctx.Err()) or [WaitOptions.Until] passes (it wraps
// context.DeadlineExceeded); then the Result returned is the last one, which
// says what the change was still waiting for. Wait evaluates the change
// once even when ctx is already done, so that Result is empty only when
// refresh failed the first time; a done ctx is an error even when that
// evaluation allows the change. A nil refresh is an error wrapping
// [ErrInvalid].
func (s Set) Wait(ctx context.Context, refresh func(context.Context) (Change, error), opts *WaitOptions) (Result, error) {
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.Horizon <= 0 {
		o.Horizon = 366 * 24 * time.Hour
	}
	if refresh == nil {
		return Result{}, fmt.Errorf("policy: wait: nil refresh: %w", ErrInvalid)
	}
	var last Result
	for round := 0; ; round++ {
		now := o.Now().Round(0)
		c, err := refresh(ctx)
		if err != nil {
			return last, fmt.Errorf("policy: wait: refreshing the change: %w", err)
		}
		c.Start, c.Now = now, now
		res := s.Evaluate(ctx, c)
		changed := round == 0 || !sameVerdicts(last, res)
		last = res
		// ctx is read after the evaluation, so that the Result returned
		// with its error says what the change waits for even when ctx was
		// done before Wait began; a done ctx wins over an allowed change.
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("policy: wait: %w", err)
		}
		if res.Allowed() {
			if o.OnChange != nil {
				o.OnChange(res, time.Time{})
			}
			return res, nil
		}
		if !o.Until.IsZero() && !now.Before(o.Until) {
			return last, fmt.Errorf("policy: wait: still denied at %s: %w", now.Format(time.RFC3339), context.DeadlineExceeded)
		}
		until, err := s.wakeAt(ctx, c, res, &o)
		if err != nil {
			return last, fmt.Errorf("policy: wait: %w", err)
		}
		if !o.Until.IsZero() && o.Until.Before(until) {
			until = o.Until
		}
		if changed && o.OnChange != nil {
			o.OnChange(res, until)
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("policy: wait: %w", ctx.Err())
		case <-o.After(until.Sub(now)):
		}
	}
}

// sameVerdicts reports whether a and b have the same decisions, policy by
// policy: same index, verdict and override.
func sameVerdicts(a, b Result) bool {
	if len(a.Decisions) != len(b.Decisions) {
		return false
	}
	for i := range a.Decisions {
		x, y := &a.Decisions[i], &b.Decisions[i]
		if x.Index != y.Index || x.Verdict != y.Verdict || x.Overridden != y.Overridden || x.Policy != y.Policy {
			return false
		}
	}
	return true
}

// wakeAt returns the instant after c.Now at which the answer of s about c,
// denied as res, may change. It returns an error only when ctx is done.
func (s Set) wakeAt(ctx context.Context, c Change, res Result, o *WaitOptions) (time.Time, error) {
	now := c.Now
	poll := false
	// The policies that deny and are no calendar: they may change their
	// answer with the refreshed change at any time. Those that cannot say
	// when they would allow it are left out of the slot search, which
	// they would refuse.
	slot := make(Set, 0, len(s))
	for i, p := range s {
		if p == nil {
			continue
		}
		keep := true
		for _, d := range res.Decisions {
			if d.Index != i || !d.blocks() {
				continue
			}
			if _, ok := calendarFor(p, c); !ok {
				poll = true
				keep = !d.Next.IsZero() && d.Next.After(now)
			}
		}
		if keep {
			slot = append(slot, p)
		}
	}
	until := now.Add(o.Horizon)
	next, err := slot.NextSlot(ctx, c, o.Horizon)
	switch {
	case err == nil:
		until = next
	case errors.As(err, new(*RefusedError)):
		poll = true // a policy refuses the slot: ask again soon
	case errors.Is(err, ErrNoSlot): // none within the horizon: search again at its end
	default:
		return time.Time{}, err
	}
	if poll || !until.After(now) {
		until = minTime(until, now.Add(o.Poll))
		if !until.After(now) {
			until = now.Add(o.Poll)
		}
	}
	return until, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
