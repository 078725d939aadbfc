package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/timeline"
)

// facts are what may arrive while the gate waits, read from -facts at
// each wake-up: when readiness was complete, and the GOs and No-Gos.
type facts struct {
	ReadyAt   string            `json:"ready_at"` // RFC 3339, read as the flags read it`
	Approvals []policy.Approval `json:"approvals"`
}

// maxFacts bounds the size of a -facts file.
const maxFacts = 1 << 20

// refresh returns the change with the facts of the -facts file, re-read;
// a file that does not exist yet adds none.
func (p *plan) refresh(context.Context) (policy.Change, error) {
	c := p.c
	if p.facts == "" {
		return c, nil
	}
	if err := regular("-facts", p.facts); err != nil {
		return c, err
	}
	f, err := os.Open(p.facts)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, badf("-facts: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFacts+1))
	if err != nil {
		return c, badf("-facts: %w", err)
	}
	if len(data) > maxFacts {
		return c, badf("-facts %s: larger than %d bytes", p.facts, maxFacts)
	}
	var x facts
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&x); err != nil {
		return c, badf("-facts %s: %w", p.facts, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return c, badf("-facts %s: want one JSON object, and nothing after it", p.facts)
	}
	if x.ReadyAt != "" {
		// As -ready-at reads it: an offset of +24:00, which time.Parse
		// takes for a whole day, is bad input here too.
		t, err := policyfile.ParseTime(x.ReadyAt)
		if err != nil {
			return c, badf("-facts %s: ready_at: %s", p.facts, strings.TrimPrefix(err.Error(), "policyfile: "))
		}
		c.ReadyAt = t
	}
	c.Approvals = append(c.Approvals[:len(c.Approvals):len(c.Approvals)], x.Approvals...)
	return c, nil
}

// waitFor waits, with -wait, until the change is allowed or -max passes,
// printing when it will wake and each change of the reasons (to stderr
// with -json, which keeps stdout one JSON object).
func waitFor(o *options, sys *system, stdout, stderr io.Writer) (*decision, error) {
	p, err := prepare(o, sys.now, sys.load)
	if err != nil {
		return nil, err
	}
	log := stdout
	if o.json {
		log = stderr
	}
	began := p.c.Now
	limit := began.Add(o.max)
	fmt.Fprintf(log, "waiting for the change to be allowed, at most %s (until %s)\n", timeline.FormatDuration(o.max), limit.In(p.loc).Format(displayLayout))
	var last policy.Change
	refresh := func(ctx context.Context) (policy.Change, error) {
		c, err := p.refresh(ctx)
		last = c
		return c, err
	}
	opts := &policy.WaitOptions{
		Now: sys.now, After: sys.after, Poll: o.poll, Until: limit,
		OnChange: func(r policy.Result, until time.Time) {
			if until.IsZero() {
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s: denied by", sys.now().In(p.loc).Format(displayLayout))
			for i, d := range r.Denials() {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(" " + d.Policy)
			}
			fmt.Fprintf(&b, "; waiting until %s\n", until.In(p.loc).Format(displayLayout))
			for _, d := range r.Denials() {
				b.WriteString("  " + d.String() + "\n")
			}
			io.WriteString(log, b.String())
		},
	}
	ctx := context.Background()
	set := p.set
	if o.strict {
		set = strictSet(set)
	}
	res, err := set.Wait(ctx, refresh, opts)
	past := errors.Is(err, context.DeadlineExceeded)
	if err != nil && !past {
		var bad *badInput
		if errors.As(err, &bad) {
			return nil, bad
		}
		return nil, err
	}
	now := sys.now().Round(0)
	last.Start, last.Now = now, now
	d := p.judge(ctx, o, last, res)
	d.Waited = timeline.FormatDuration(now.Sub(began))
	if past {
		d.Allowed, d.WaitedPast = false, true
		d.Note = strings.TrimSpace(d.Note + "\nwaited " + d.Waited + ", past -max " + timeline.FormatDuration(o.max) + ": still denied")
	}
	return d, nil
}

// strictSet returns s with every policy that is not a calendar turning
// its warnings into denials, for -strict -wait: the wait goes on while a
// warning remains. Calendars never warn, and stay calendars, so that the
// wait still sleeps to their boundaries.
func strictSet(s policy.Set) policy.Set {
	out := make(policy.Set, len(s))
	for i, p := range s {
		if _, ok := p.(policy.Calendar); ok || p == nil {
			out[i] = p
			continue
		}
		out[i] = policy.Func(p.Name(), func(ctx context.Context, c policy.Change) policy.Decision {
			d := p.Evaluate(ctx, c)
			if d.Verdict == policy.Warn {
				d.Verdict = policy.Deny
				d.Reason = "a warning, denied by -strict: " + d.Reason
			}
			return d
		})
	}
	return out
}
