package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

// FuzzWindows checks that any spec either parses into a calendar that keeps
// the Calendar contract or fails with a *SpecError whose position lies in
// the spec.
func FuzzWindows(f *testing.F) {
	for _, s := range []string{
		"Mon-Thu 20:00-23:30",
		"Fri 22:00-02:00, Sat 08:00-12:00",
		"Fri-Mon 00:00-24:00",
		"06:00-07:00",
		"Mun 20:00-23:00",
		"Mon 24:00-02:00",
		",",
	} {
		f.Add(s)
	}
	from := time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		if len(spec) > 256 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on long inputs it stands still.
			// Long specs have benchmarks of their own.
			t.Skip("long input")
		}
		w, err := policy.Windows("w", spec, paris)
		if err != nil {
			var se *policy.SpecError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SpecError", err)
			}
			if se.Column < 1 || se.Column > len(spec)+1 || se.Range < 1 {
				t.Fatalf("position range %d column %d outside %q", se.Range, se.Column, spec)
			}
			return
		}
		if err := policytest.CheckCalendar(w, from, from.Add(5*24*time.Hour), 7*time.Hour+13*time.Minute); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzJSON checks the JSON decoders of the types a tool logs: whatever they
// accept marshals again, and reads back to the same text.
func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"name":"a","start":"2026-11-24T20:30:00+01:00","duration":5400.5,"location":"Europe/Paris","outage":0,"outage_known":true,"approvals":[{"role":"ops","by":"ann","go":true}],"risk":{"rehearsals":2,"production_like":1}}`))
	f.Add([]byte(`{"allowed":true,"verdict":"warn","decisions":[{"policy":"p","index":2,"verdict":"deny","rule":"R11","reason":"r","next":"2026-11-28T00:00:00+01:00","overridden":true}],"override":{"by":"a","reason":"b"}}`))
	f.Add([]byte(`{"duration":-0.000000001,"outage":1e3}`))
	f.Add([]byte(`{"duration":9223372036.854775807}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c policy.Change
		if json.Unmarshal(data, &c) == nil {
			again(t, c)
		}
		var r policy.Result
		if json.Unmarshal(data, &r) == nil {
			again(t, r)
		}
	})
}

// FuzzDecisionJSON checks the decoders of decisions, results and
// overrides: what they accept is a known verdict and rule, writes back,
// and reads back to the same text; a decoded result is allowed exactly
// when no decision denies it without an override. Decisions write by hand
// exactly what the reflective encoding wrote.
func FuzzDecisionJSON(f *testing.F) {
	f.Add([]byte(`{"policy":"friday-freeze","index":0,"verdict":"deny","rule":"R11","reason":"Fri","next":"2026-11-28T00:00:00+01:00"}`))
	f.Add([]byte(`{"policy":"override","index":-1,"verdict":"warn","reason":"ignored"}`))
	f.Add([]byte(`{"policy":"p","verdict":"deny","next":"9999-12-31T23:59:59.999999999-23:59","overridden":true}`))
	f.Add([]byte(`{"decisions":[{"policy":"p","verdict":"allow","rule":"R7"},{"policy":"q","verdict":"deny","overridden":true}],"override":{"by":"a","reason":"b","at":"2026-11-27T09:00:00+05:45"}}`))
	f.Add([]byte(`{"by":"alice","reason":"CVE","at":"0000-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d policy.Decision
		if json.Unmarshal(data, &d) == nil {
			if d.Verdict > policy.Deny || d.Rule > policy.R13 || d.Index < -1 {
				t.Fatalf("%s decodes to %+v", data, d)
			}
			exactly(t, d)
			asReflection(t, []policy.Decision{d})
		}
		var r policy.Result
		if json.Unmarshal(data, &r) == nil {
			denied := false
			for _, d := range r.Decisions {
				denied = denied || (d.Verdict == policy.Deny && !d.Overridden)
				if d.Verdict > policy.Deny || d.Rule > policy.R13 {
					t.Fatalf("%s decodes to a decision %+v", data, d)
				}
			}
			if r.Allowed() == denied || (r.Verdict() == policy.Deny) != denied {
				t.Fatalf("%s: allowed %t, verdict %v, but denied %t", data, r.Allowed(), r.Verdict(), denied)
			}
			exactly(t, r)
			asReflection(t, r.Decisions)
		}
		var o policy.Override
		if json.Unmarshal(data, &o) == nil {
			exactly(t, o)
		}
	})
}

// FuzzDecisionMarshal checks that the hand encoding of a decision of any
// fields, through MarshalJSON, json.Marshal and AppendDecisions, writes
// exactly what the reflective encoding wrote, or fails with its error, and
// that what it writes reads back.
func FuzzDecisionMarshal(f *testing.F) {
	f.Add("friday-freeze", "Fri <b>&</b> \"x\"\n", 3, uint8(2), uint8(11), true, int64(1795820400), int32(1), int32(3600))
	f.Add("", "", 0, uint8(0), uint8(0), false, int64(0), int32(0), int32(0))
	f.Add("\xff\u2028", "\x00\x1f\u2029\xc3", -1, uint8(1), uint8(7), false, int64(253402300799), int32(999999999), int32(-86340))
	f.Add("far", "x", -2, uint8(3), uint8(14), true, int64(-62167219201), int32(5), int32(34))
	f.Fuzz(func(t *testing.T, name, reason string, index int, v, rule uint8, overridden bool, sec int64, nsec, off int32) {
		d := policy.Decision{Policy: name, Index: index, Verdict: policy.Verdict(v), Rule: policy.Rule(rule),
			Reason: reason, Overridden: overridden}
		if sec != 0 || nsec != 0 {
			d.Next = time.Unix(sec, int64(nsec)).In(time.FixedZone("z", int(off)))
		}
		asReflection(t, []policy.Decision{d})
		// What AppendDecisions writes, UnmarshalJSON reads back: mep
		// relies on it not to parse a decision's answers again before it
		// appends them.
		if b, err := policy.AppendDecisions(nil, []policy.Decision{d}); err == nil {
			var back []policy.Decision
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("%s, written by AppendDecisions, does not read back: %v", b, err)
			}
			again(t, back)
		}
	})
}

// asReflection checks that ds, each decision and the slice, marshal by
// hand to what the reflective encoding wrote, or fail with its error.
func asReflection(t *testing.T, ds []policy.Decision) {
	t.Helper()
	for _, d := range ds {
		want, wantErr := policy.MarshalDecisionReflect(d)
		got, err := d.MarshalJSON()
		if wantErr != nil {
			if err == nil || !strings.HasSuffix(wantErr.Error(), ": "+err.Error()) {
				t.Fatalf("%+v: reflection fails with %v, by hand with %v", d, wantErr, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(want, got) {
			t.Fatalf("%+v: reflection writes %s, by hand %s (%v)", d, want, got, err)
		}
	}
	want, wantErr := policy.MarshalDecisionsReflect(ds)
	got, err := policy.AppendDecisions([]byte("x"), ds)
	viaJSON, jerr := json.Marshal(ds)
	switch {
	case (wantErr == nil) != (err == nil) || (wantErr == nil) != (jerr == nil):
		t.Fatalf("%+v: reflection fails with %v, by hand with %v and %v", ds, wantErr, err, jerr)
	case wantErr != nil && string(got) != "x":
		t.Fatalf("%+v: %v, but the buffer is now %q", ds, err, got)
	case wantErr == nil && (string(got) != "x"+string(want) || !bytes.Equal(viaJSON, want)):
		t.Fatalf("%+v: reflection writes %s, by hand %s and %s", ds, want, got, viaJSON)
	}
}

// exactly marshals v, which was decoded, and checks it reads back to the
// same text: what a decoder accepts, the encoder writes.
func exactly[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%+v decodes but does not marshal: %v", v, err)
	}
	var back T
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s does not read back: %v", b, err)
	}
	b2, err := json.Marshal(back)
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("unstable: %s then %s (%v)", b, b2, err)
	}
}

// again marshals v, reads it back and checks the text is stable.
func again[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		return // e.g. a verdict out of range, refused on the way out
	}
	var back T
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s does not read back: %v", b, err)
	}
	b2, err := json.Marshal(back)
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("unstable: %s then %s (%v)", b, b2, err)
	}
}

// FuzzCron checks that any expression and duration either give a calendar
// that keeps the Calendar contract or fail with a *CronError naming the
// expression.
func FuzzCron(f *testing.F) {
	for _, s := range []string{
		"0 22 * * 5", "30 2 * * *", "0 0 29 2 *", "0 0 30 2 *", "@daily", "@everysecond",
		"*/15 9-17 * * 1-5", "0 18 L * *", "0 8 * * 1#2", "0 0 15W * *", "60 0 * * *", "0 0 * *",
	} {
		f.Add(s, uint16(8*60))
	}
	f.Add("0 0 * * *", uint16(0))
	f.Add("0 0 1 1 *", uint16(65535))
	from := time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string, minutes uint16) {
		if len(expr) > 100 {
			t.Skip("long expression: a cron line has five short fields")
		}
		c, err := policy.Cron("c", expr, time.Duration(minutes)*time.Minute, paris)
		if err != nil {
			var ce *policy.CronError
			if !errors.As(err, &ce) || ce.Expr != expr || ce.Msg == "" {
				t.Fatalf("error %#v is not a *CronError for %q", err, expr)
			}
			return
		}
		if err := policytest.CheckCalendar(c, from, from.Add(5*24*time.Hour), 7*time.Hour+13*time.Minute); err != nil {
			t.Fatal(err)
		}
	})
}
