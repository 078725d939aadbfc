// Package risk says how long a go-live's cutover may take and how likely
// it is to overrun its window, from the timed rehearsals of its runbook
// (rule R5 of the method): a distribution of its duration and user outage
// drawn by Monte Carlo on the runbook's critical path, the chance to end
// after the window closes, and the latest moment to decide a rollback.
//
// It needs nothing but its input: a runbook of [Step] values (their
// dependencies and parallel groups, which steps cut users off) and the
// [Run] values of its rehearsals (each step's attempts, as timed). A CI
// job, a schedule across several rollouts or package mep, which calls it
// for a rollout's record, use it alike. Every function is pure: the same
// input and seed give the same figures, and values may be shared between
// goroutines.
package risk
