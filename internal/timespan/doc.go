// Package timespan holds what the leaves of the module (timeline, policy,
// checklist), which must not import one another, share about spans of
// time: a duration written for people, "1h30m" ([Short]), and in JSON, a
// number of seconds ([Seconds]); half-open intervals of time merged
// ([Merge]); and sums of durations that saturate rather than wrap ([Add]).
package timespan
