// Package policyfile reads a [policy.Set] from a policy file, YAML or JSON.
//
// A file names a time zone and lists policies by kind, with their
// parameters:
//
//	zone: Europe/Paris
//	policies:
//	  - kind: friday-freeze
//	  - kind: weekend-freeze
//	  - kind: holidays
//	    country: FR
//	    eve: true
//	    extra:                                   # local days
//	      - {name: Vendredi saint, easter: -2}   # relative to Easter Sunday
//	      - {name: Saint-Étienne, date: 12-26}   # every year
//	      - {name: Pont, date: 2027-05-07}       # once
//	  - kind: freeze
//	    name: year-end
//	    from: 2026-12-18          # a date (its first instant in the zone) or RFC 3339
//	    to: 2027-01-04
//	  - kind: windows
//	    name: maintenance
//	    spec: Mon-Thu 20:00-23:30
//	  - kind: cron
//	    name: month-end
//	    cron: 30 17 L * *
//	    duration: 30h
//	  - kind: readiness
//	    lead: 1h
//	  - kind: require-go
//	    role: operations
//	    mandatory: true           # cannot be overridden by break-glass
//	  - kind: max-outage
//	    limit: 30m
//
// Every policy may also set name (to rename it), zone (to use another zone
// than the file's) and mandatory. Durations are Go durations ("90m",
// "1h30m"). The kinds and their fields:
//
//	friday-freeze, weekend-freeze   (none)
//	holidays     country, eve, extra (a list of {name, date} or {name, easter})
//	freeze       from, to (required)
//	windows      spec (required)
//	cron         cron, duration (required)
//	readiness    lead (default 1h)
//	require-go   role (required)
//	max-outage   limit (required)
//
// Booleans are true or false (not yes, no, on or off). A file holds one
// document; JSON is checked as JSON, so its syntax errors are JSON's.
//
// Unknown fields, unknown kinds, missing fields, unknown zones, bad window
// specs and cron expressions that are invalid or never fire are errors: an
// *[Error] with the line and the field, wrapping the cause ([ErrUnknownField],
// [ErrUnknownKind], [ErrMissing], [policy.ErrSpec], [policy.ErrCron], ...).
// A file never yields a policy that silently allows or blocks everything:
// an empty list of policies is [ErrMissing]; windows that cover every hour
// of every day, and windows, cron freezes or holidays that leave no instant
// free, are [ErrValue].
package policyfile
