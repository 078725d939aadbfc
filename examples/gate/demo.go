package main

import (
	_ "embed"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy/policyfile"
)

// The demo: the embedded policy file, two changes at fixed instants.

//go:embed deploy-policy.yaml
var demoPolicy []byte

const demoFile = "deploy-policy.yaml"

// demoRuns are the demo's changes and the exit status each must give.
var demoRuns = []struct {
	what string
	args []string
	want int
}{
	{
		"a release planned on Tuesday evening, ready in time, with the operations team's GO",
		[]string{"-policy", demoFile, "-name", "billing 4.2", "-env", "production",
			"-start", "2026-11-24 20:30", "-duration", "90m", "-outage", "20m",
			"-now", "2026-11-24T17:00:00+01:00", "-ready-at", "2026-11-24T18:45:00+01:00",
			"-approve", "operations:alice"},
		exitAllowed,
	},
	{
		"the same release planned on Friday evening",
		[]string{"-policy", demoFile, "-name", "billing 4.2", "-env", "production",
			"-start", "2026-11-27 20:30", "-duration", "90m", "-outage", "20m",
			"-now", "2026-11-27T17:00:00+01:00", "-ready-at", "2026-11-27T18:45:00+01:00",
			"-approve", "operations:alice"},
		exitDenied,
	},
}

// demoClock is the demo's clock; its changes give -now, so it is not read.
func demoClock() time.Time { return time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC) }

func demo(stdout, stderr io.Writer) int {
	load := func(name string) (policyfile.File, error) {
		if name == demoFile {
			return policyfile.ParseWith(demoPolicy, nil)
		}
		return policyfile.File{}, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	fmt.Fprintf(stdout, "demo: gate checks two changes against its built-in %s\n", demoFile)
	fmt.Fprintln(stdout, "demo: (Friday and weekend freezes, French holidays and their eves, evening windows Mon-Thu 20:00-23:30, ...)")
	for _, r := range demoRuns {
		fmt.Fprintf(stdout, "\ndemo: %s:\ndemo: $ gate %s\n", r.what, shellQuote(r.args))
		code := gate(r.args, stdout, stderr, &system{now: demoClock, after: time.After, load: load})
		fmt.Fprintf(stdout, "demo: exit status %d\n", code)
		if code != r.want {
			fmt.Fprintf(stderr, "gate: demo: exit status %d, want %d\n", code, r.want)
			return exitDenied
		}
	}
	fmt.Fprintln(stdout, "\ndemo: in a CI job, before the deployment step:")
	fmt.Fprintln(stdout, `demo: $ go run ./examples/gate -policy deploy-policy.yaml -start now -strict -duration 90m -env production -ready-at "$READY_AT" -approve "operations:$GO_BY" -outage "$OUTAGE" || exit 1`)
	fmt.Fprintln(stdout, `demo: (an empty GO_BY, before anyone gave the GO, counts as no approval; "gate -help" lists every flag)`)
	return exitAllowed
}

// shellQuote joins args as a shell would need them typed.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		switch {
		case strings.ContainsAny(a, "\"$`\\!"):
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		case a == "" || strings.ContainsAny(a, " \t'#;&|<>*?()[]{}~"):
			a = `"` + a + `"`
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}
