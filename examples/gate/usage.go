package main

const usage = `usage: gate -policy FILE -start TIME -duration D [flags]

Check a planned go-live against a policy file. Exit status: 0 allowed,
1 denied (the next allowed slot is printed), 2 bad input, 3 waited past
-max.

Flags:
  -policy FILE       the policy file, YAML or JSON (see package policyfile)
  -start TIME        the planned start: RFC 3339 (2026-11-24T20:30:00+01:00),
                     or "2026-11-24 20:30" read in the zone of the policy
                     file (its top-level zone), else in UTC (a local
                     time that the clocks skip or repeat is refused);
                     "now" for a deployment that runs right after the gate
  -duration D        how long the operation lasts, a Go duration: 90m, 2h30m
  -env NAME          the target environment, e.g. production: one the
                     policy file lists (environments:), or, when it lists
                     none, one its scopes name; without -env, policies
                     scoped to environments warn that they were not applied
  -name NAME         the change's name, for the output
  -now TIME          when the decision is taken (default: the clock);
                     same forms as -start
  -ready-at TIME     when readiness was complete (default: not ready yet)
  -approve ROLE:NAME a GO from NAME for ROLE (repeatable)
  -reject ROLE:NAME:REASON
                     a No-Go from NAME for ROLE, and why (repeatable)
  -outage D          the expected user outage, from the rehearsals; 0s
                     for none (without it the outage is unknown: a warning)
  -horizon D         how far after -start to look for the next allowed
                     slot: a Go duration or a number of days (default 90d)
  -strict            deny on warnings too (no GO yet, not ready yet, an
                     ignored override): for the step just before deploying
  -json              print one JSON object instead of text: the change, the
                     verdict, each decision (policy, index, rule, verdict,
                     reason, next) and the next slot
  -announce D        warn when a calendar closes within D after the end of
                     the operation (an overrun would run into the freeze)
  -wait              wait until the change is allowed, as starting then
                     (-start now, no -now), printing when it will wake and
                     each change of the reasons; exit 3 past -max
  -max D             how long -wait waits at most (default 72h); with
                     -strict, -wait also waits for the warnings to clear
  -poll D            with -wait, how often to ask again while a policy
                     other than a calendar denies, e.g. a GO still to
                     come (default 1m)
  -facts FILE        a JSON file of facts that may arrive later, re-read
                     at each wake-up: {"ready_at": TIME, "approvals":
                     [{"role", "by", "go", "reason"}]}; missing: none yet
  -store DIR|URL     a directory of mep records (one project each), or a
                     PostgreSQL URL (postgres://... or postgresql://...;
                     schema=NAME among its parameters names the pgstore
                     schema, default mepkit; read only): check the change
                     against the other teams' planned and running
                     rollouts (policy fleet-conflicts), needs -project
                     and -rollout
  -project NAME      with -store, the project of this change
  -rollout NAME      with -store, its rollout: what it touches (resources,
                     people) is read from its record
  -exclusive ENVS    with -store, environments where no two rollouts may
                     overlap, separated by commas (repeatable)
  -conflicts V       with -store, deny (default) or warn on a conflict; a
                     policy file's "kind: conflicts" says it instead
                     (one scoped to environments or labels only where
                     it applies)
  -rehearsal FILE    the journal of a timed rehearsal (JSON Lines, as
                     package timeline writes it; repeatable): the gate
                     simulates the operation's duration from them, which a
                     policy "kind: fit" requires (the end at P90 within
                     the window); without it such a file is bad input

"gate upcoming -policy FILE [-days 14] [-format text|md|json|ics]" lists
the freezes and windows that open and close in the coming days.

On GitHub Actions (GITHUB_ACTIONS=true) gate also writes a Markdown job
summary to $GITHUB_STEP_SUMMARY and an ::error:: annotation per denial.

"gate demo" runs a demonstration on a built-in policy file and exits 0.
With no arguments, or with -help, gate prints this text and exits 2: it
decided nothing, so a pipeline must not go on.
`
