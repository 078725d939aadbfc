// Package fleet reads every project of a store (a directory of record
// files, or a timeline/pgstore database) into one forward schedule of
// change, finds the rollouts that would collide, and sums up how the
// deployments went.
//
// A [Schedule] lists each rollout with its T0, window, P50 and P90 ends
// (from its rehearsals, through mep's overrun simulation), environment,
// labels, team, go-live team and the resources it declares
// ([mep.Rollout.Resources]). [Schedule.Rescan] reads only what changed:
// on files, the records whose size or modification time moved; on
// PostgreSQL, the records whose last seq moved; each from where the last
// scan stopped when the schedule kept it open (the records read last, up
// to Options.MaxOpen), else whole. The schedule never writes to a record
// and takes no lock on a file, so the projects' writers keep theirs.
//
// A [Snapshot] of the schedule gives:
//   - [Snapshot.Conflicts]: overlapping rollouts that share a resource,
//     an exclusive environment or a person, and rollouts in a blackout of
//     a resource they touch ([Rules]);
//   - [Snapshot.Policy]: a policy.Policy for one rollout that refuses or
//     warns of those conflicts, naming the other rollout; as a
//     policy.Calendar it makes policy.Set.NextSlot and mep.Rollout.Propose
//     skip the conflicting slots;
//   - views as Markdown, JSON, iCalendar (per team or resource) and HTML
//     ([View]);
//   - [Snapshot.Metrics]: deployment frequency, change fail rate, failed
//     deployment recovery time, deployment rework rate, estimate accuracy
//     and P90 calibration per service, team and month;
//   - [Snapshot.Risk] and [Snapshot.RiskPolicy]: a change's risk from the
//     history, with its inputs, and a policy that asks more GOs when it
//     is high;
//   - [Snapshot.Rhythm]: whether a project's pace of deployments rises,
//     and whether its meetings may be spaced out (the method's
//     industrialization phase); [Rhythm.Cadence] turns the suggestion
//     into a cadence, which a team that takes it records, with who,
//     through mep.Tracker.SetCadence.
//
// [Schedule.Watch] keeps the schedule current and hands out each
// snapshot that changed: on files, it rescans at an interval; on
// PostgreSQL, it follows the notification of each append
// (pgstore.DB.Listen) and reads only the records it names, within a
// moment of the commit, with at most one rescan per [WatchGap] however
// many notifications arrive, and rescans the whole store at the
// interval and after each reconnect, for notifications lost.
//
// # Turning the conflicts on
//
// A policy file asks for the check with "kind: conflicts"
// (policy.Conflicts): package policyfile knows no store, so the entry
// denies every change until the program that reads the store gives it
// the schedule's check. A program that reads the store adds the check in
// code, to the rollout's own policies:
//
//	sched, err := fleet.OpenDir(ctx, dir, nil)
//	...
//	p := sched.Snapshot().Policy("payments", "v7", fleet.Rules{Exclusive: []string{"prod"}}, policy.Deny)
//	err = rollout.GoNoGo().SetPolicies(policy.Set{p}, file, "Max", "conflicts across teams")
//
// or as RolloutOptions.Policies when it creates the rollout. Policies
// given in code are attached again when the record is reopened:
// NewRollout with the same options, one named [PolicyName] among them
// (until then every decision is a No-Go). The rollout's go/no-go
// (mep.GoNoGo.Decide) then records the policy's decision, whose reason
// names every rollout it conflicts with, and mep.Rollout.Propose skips
// the conflicting slots. A policy sees the snapshot it was made from:
// make a new one after [Schedule.Rescan] or from [Schedule.Watch].
// Given as &policy.Conflicts{Against: p}, it answers a rollout's policy
// file that asks for the check: mep puts it in the file's entry, whose
// warn setting then stands. The command examples/gate does all this for a
// CI job with -store DIR (or a PostgreSQL URL) -project NAME -rollout
// NAME, filling a policy file's conflicts entries itself.
//
// Spans are compared as instants: time zones, DST changes and midnight
// play no part in what overlaps; they only change how times are shown.
//
// Labels with a meaning here: [TeamLabel] ("team") names the team that
// runs a rollout, [FixesLabel] ("fixes") links a hotfix to the rollout
// it fixes.
package fleet
