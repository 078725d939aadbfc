// Package policyfile reads a [policy.Set] from a policy file, YAML or JSON.
//
// A file names a time zone and lists policies by kind, with their
// parameters:
//
//	zone: Europe/Paris
//	environments: [production, staging]       # optional: the known ones
//	policies:
//	  - kind: friday-freeze
//	  - kind: weekend-freeze
//	    scope: {environments: [production], labels: {tier: gold}}
//	  - kind: holidays
//	    country: FR
//	    eve: true
//	    extra:                                   # local days
//	      - {name: Vendredi saint, easter: -2}   # relative to Easter Sunday
//	      - {name: Saint-Étienne, date: 12-26}   # every year
//	      - {name: Pont, date: 2027-05-07}       # once
//	  - kind: freeze
//	    name: year-end
//	    from: 2026-12-18          # a date (its first instant in the zone) or RFC 3339 (ParseTime)
//	    to: 2027-01-04
//	  - kind: windows
//	    name: maintenance
//	    spec: Mon-Thu 20:00-23:30
//	  - kind: cron
//	    name: month-end
//	    cron: 30 17 L * *
//	    duration: 30h
//	  - kind: readiness
//	    lead: 1h                  # at least 1h (rule R7)
//	  - kind: require-go
//	    role: operations
//	    quorum: 2                 # GOs from two distinct people
//	    mandatory: true           # cannot be overridden by break-glass
//	  - kind: max-outage
//	    limit: 30m
//	  - kind: fit
//	    quantile: p90             # the P90 end fits the window (default p90)
//	  - kind: announce
//	    lead: 3h                  # warn of a closing within 3h after the end
//	  - kind: conflicts
//	    exclusive: [production]   # no two changes overlap there
//
// Every policy may also set name (to rename it), zone (to use another zone
// than the file's), mandatory, and scope (see below). Durations are Go
// durations ("90m", "1h30m"). The kinds and their fields:
//
//	friday-freeze, weekend-freeze   (none)
//	holidays     country, eve, extra (a list of {name, date} or {name, easter})
//	freeze       from, to (required)
//	windows      spec (required)
//	cron         cron, duration (required)
//	readiness    lead (default and minimum 1h)
//	require-go   role (required), quorum (default 1)
//	max-outage   limit (required)
//	fit          quantile (p90, p95 or a share such as 0.9; default p90)
//	announce     lead (required, positive)
//	conflicts    exclusive (a list of environments), warn (true: warn only)
//
// The fit ([policy.FitAt]) and announce ([policy.Announce]) kinds watch
// the calendars of every other policy of the file, wherever they stand
// in the list; a file holds at most 100 of them. A fit needs the change's simulated durations
// (policy.Risk.Durations, which package mep fills from the rehearsals):
// without them it warns that the fit is not known.
//
// The conflicts kind ([policy.Conflicts]) asks that the change be checked
// against the other changes of a shared schedule, which a file alone does
// not hold: the program that reads a store sets its Against (the command
// examples/gate with -store; package mep with the schedule's policy given
// in code, mep/fleet's Snapshot.Policy). Until then it denies every change,
// saying why.
//
// Booleans are true or false (not yes, no, on or off). A file holds one
// document, and writes each value out: YAML aliases (*name) are refused.
// JSON is checked as JSON, so its syntax errors are JSON's.
//
// # Scope
//
// A policy with a scope applies only to the changes it selects
// ([policy.Scoped]): those to one of its environments (any, when it lists
// none) that carry all its labels. Other changes get an Allow that says
// they are out of scope, and every reason of the policy states its scope:
//
//	scope:
//	  environments: [production, staging]
//	  labels: {tier: gold}
//
// A file may list its environments at its top (environments: [production,
// staging]); a scope that names another one is then a problem, and
// [File.CheckEnvironment] refuses a change to an environment the file does
// not list, so that "prod" for "production" fails closed instead of
// leaving every policy scoped to "production" out. Without the list, the
// environments that the scopes name are the known ones. [File.Environments]
// and [File.ScopedEnvironments] hold both lists.
//
// # Times
//
// The bounds of a freeze are dates (2026-12-18, the first instant of that
// day in the zone) or RFC 3339 times read by [ParseTime]: four-digit years,
// offsets of hours and minutes from -23:59 to +23:59 ("+24:00", which
// time.Parse reads as a whole day, is a problem with its line and field).
//
// # Zones
//
// The reasons of a Set read from a file are all in one zone: calendars
// speak in the file's zone (or their own), and the policies that have no
// zone of their own (readiness, require-go, max-outage) are given the
// file's zone (or their own) with [policy.In]. [ParseWith] and [ParseFile]
// return the file's zone too, for a program to read local times there and
// set [policy.Change.Location].
//
// # Errors and limits
//
// A file that cannot be used gives a *[ListError] holding every problem
// the parser found (it goes on after a problem wherever it can), up to
// [DefaultMaxProblems] (or [ParseOptions.MaxProblems]), then a count of
// the rest. Each problem is an *[Error] with the line and the field,
// wrapping its cause where there is one ([ErrSyntax], *[policy.SpecError],
// *[policy.CronError], [policy.ErrCountry]); errors.As finds the first.
// Unknown fields, unknown kinds, missing fields, unknown zones (the
// policies that need the zone are left out, and their other fields still
// checked), a
// readiness lead under one hour, a quorum under one, bad window specs and
// cron expressions that are invalid or never fire are all problems. A
// file never yields a policy that silently allows or blocks everything:
// an empty list of policies, windows that cover every hour of every day,
// and windows, cron freezes or holidays that leave no instant free are
// problems too. Characters that YAML does not allow (a NUL byte, say) and
// invalid UTF-8 are reported with their line and column.
//
// A file larger than [DefaultMaxBytes] (1 MiB), or than
// [ParseOptions.MaxBytes] when set, is refused at once with
// [ErrTooLarge]; [ParseFile] checks the size before it reads the file.
// Within the limit, parsing takes time and memory in proportion to the
// size.
package policyfile
