// Package policy decides whether a go-live may run when it is planned, and
// when it could run instead: the Friday freeze (rule R11 of the method),
// weekends, public holidays and their eves, one-off and recurring freezes,
// maintenance windows, the one-hour readiness window (R7), the operations
// team's GO (R9) and the expected outage.
//
// A [Set] of policies evaluates a [Change] to a [Result], one [Decision]
// per policy, each with a reason a person can act on:
//
//	set := policy.Set{policy.FridayFreeze(paris), policy.ReadinessWindow(time.Hour)}
//	res := set.Evaluate(ctx, change)
//	if !res.Allowed() {
//		fmt.Println(res) // DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; ...
//	}
//
// # Decisions as data
//
// A decision says more than its reason: [Decision.Index] is the position
// in the Set of the policy that gave it ([Set.PolicyOf] returns that
// policy), and [Decision.Rule] the rule of the method it enforces
// ([R7] for the readiness window, [R9] for the GO, [R11] for the
// freezes of Fridays, weekends and holidays, [R5] for the outage), so a
// program reads which policy decided and why without parsing text.
// Unknown values fail closed: a verdict other than Allow, Warn and Deny
// counts as a Deny wherever a verdict is judged, and [Set.Evaluate] turns
// a decision with an unknown verdict or rule into a Deny that says so.
//
// # Calendars and the whole operation
//
// Policies that depend on the date implement [Calendar]: they report the
// intervals of real time they block, and their Evaluate denies a change when
// any instant of the whole operation, [Change.Start] to Start+Duration, falls
// in one of them. [Set.NextSlot] searches the same intervals for the earliest
// start that fits, and asks the other policies about it, following the
// [Decision.Next] of their denials, so a slot it proposes is always one that
// the Set allows for the change moved there with its Now kept (a zero Now
// stands for the original Start: set it explicitly, see [Set.NextSlot]); a
// policy that refuses and cannot say when ends the search with a
// [RefusedError].
// Package [github.com/mepkit/mepkit/policy/policytest] checks that
// agreement for calendars written by users.
// [Set.Free] lists the allowed intervals of a range, to draw a calendar, and
// [Set.WriteICS] exports the blocked ones as an iCalendar file.
// [Set.Upcoming] lists when the calendars open and close over a horizon
// (each [Transition]), and [Announce] warns about a change that ends
// shortly before one closes.
//
// # Waiting for the window
//
// [Set.Wait] blocks until a change is allowed, evaluating it afresh as it
// would start at each instant and sleeping, on the clock and timers of
// [WaitOptions], until the next instant the answer may change: the next
// slot of the calendars, or a bounded poll while a policy that is no
// calendar (a GO still to come) denies it. A held change resumes by itself
// instead of waiting for a person to retry it.
//
// The calendars are [FridayFreeze], [WeekendFreeze], [Holidays] (every
// country of rickar/cal/v2, optionally with eves, extended through
// [HolidayCalendar] with local days), [Freeze] (one-off), [Windows] (an
// allow-list such as "Mon-Thu 20:00-23:30") and [Cron] (a recurring freeze).
// The other policies are [ReadinessWindow] (a *[Readiness], never less
// than [MinLead] ahead), [RequireGo] and [RequireQuorum] (a *[Quorum] of
// GOs from distinct people), [MaxOutage], [FitAt] (the end at P90, or
// any quantile, of the operation's simulated durations, Risk.Durations,
// within its window) and [Func] for user code.
// Package [github.com/mepkit/mepkit/policy/policyfile] reads a Set from a
// YAML or JSON file.
//
// # Wrappers and types
//
// [Mandatory], [Named], [In] (a zone for the reasons) and [Scoped] (some
// environments and labels only) wrap a policy; each wrapper has an Unwrap
// method. [As] finds a policy of a given type through them, so a program
// asks "which policy is the readiness window, whose GO does this Set
// require" by type, never by name:
//
//	if q, ok := policy.As[*policy.Quorum](p); ok {
//		fmt.Println(q.Count, "GO from", q.Role)
//	}
//
// # Zones of the reasons
//
// Every reason of a Set reads in one zone: a calendar speaks in its own
// zone, and a policy without one ([Readiness], [Quorum], [MaxOutage], a
// [Func]) in the zone [In] gave it, else in [Change.Location], else in
// the location of [Change.Start]. Sets read by policyfile give their
// zone-less policies the file's zone.
//
// # JSON
//
// The types a tool logs ([Result], [Decision], [Change], [Approval],
// [Override], [Interval], [Verdict], [Rule], ...) marshal to JSON with
// snake_case fields, verdicts and rules as text ("deny", "R7"), times in
// RFC 3339 and durations as numbers of seconds. Decisions and results read
// back exactly; what JSON cannot carry (a time outside years 0-9999, an
// unknown verdict) is refused when writing, and an unknown verdict or
// rule when reading.
//
// # Local time and daylight saving time
//
// Each calendar policy works in its own *time.Location on the local wall
// clock, with calendar arithmetic on dates (never 24-hour steps). An instant
// is blocked when its local date and time are: a rule for local 01:00-04:00
// covers two real hours on a spring-forward night and four on a fall-back
// night. A bound that falls in a skipped hour takes effect at the first
// instant after the gap; a repeated hour is covered twice, once per pass.
//
// # Break-glass
//
// A change may carry an [Override] with who and why. The Set then marks each
// denial as overridden instead of failing, except denials of policies
// wrapped in [Mandatory]. Overridden denials stay in the Result, so the
// audit trail shows what was bypassed and by whom.
//
// # Concurrency
//
// Every policy returned by this package is safe for concurrent use by
// multiple goroutines; calendars fill their holiday and schedule caches
// lazily under a lock. A Set is a plain slice: share it freely once built.
package policy
