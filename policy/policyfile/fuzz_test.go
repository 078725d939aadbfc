package policyfile_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

func FuzzParse(f *testing.F) {
	// Seeds are short, for the reason given below; the standard files,
	// in parts, cover every kind.
	f.Add([]byte("zone: Europe/Paris\npolicies:\n  - kind: friday-freeze\n  - kind: weekend-freeze\n  - kind: holidays\n    country: FR\n    eve: true\n    extra:\n      - {name: Vendredi saint, easter: -2}\n      - {name: Pont, date: 2027-05-07}\n"))
	f.Add([]byte("zone: Europe/Paris\npolicies:\n  - kind: freeze\n    name: year-end\n    from: 2026-12-18\n    to: 2027-01-04\n  - kind: windows\n    name: maintenance\n    spec: Mon-Thu 20:00-23:30\n"))
	f.Add([]byte("zone: Europe/Paris\npolicies:\n  - {kind: cron, name: month-end, cron: 30 17 L * *, duration: 30h, zone: Europe/Paris}\n  - {kind: readiness, lead: 1h}\n  - {kind: require-go, role: operations, mandatory: true}\n  - {kind: max-outage, limit: 30m}\n"))
	f.Add([]byte(`{"zone": "Europe/Paris", "policies": [{"kind": "holidays", "country": "FR", "extra": [{"name": "x", "date": "12-26"}]}, {"kind": "max-outage", "limit": "30m"}]}`))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 0 30 2 *\n    duration: 1h\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: windows\n    spec: Fri 22:00-02:00, 24:00-01:00\n"))
	f.Add([]byte(`{"zone": "Europe\/Paris", "policies": [{"kind": "require-go", "role": "\ud83d\ude00"}]}`))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: cron\n    cron: \"* * * * *\"\n    duration: 1m\n---\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - {kind: require-go, role: ops, quorum: 2, scope: {environments: [prod], labels: {a: b}}}\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: readiness\n    lead: 30m\n  - kind: x\n  - kind: windows\n"))
	f.Add([]byte("zone: UTC\nenvironments: [prod]\npolicies:\n  - {kind: conflicts, exclusive: [prod], warn: true}\n  - {kind: conflicts, exclusive: [staging, \"\"], warn: maybe}\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: friday\x00-freeze\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - {kind: fit, quantile: p95}\n  - {kind: windows, spec: 20:00-23:00}\n  - {kind: announce, lead: 2h}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on a kilobyte it stands still
			// for a minute. The standard files are tested whole.
			t.Skip("long input")
		}
		set, err := policyfile.Parse(data)
		if err != nil {
			// Every problem of a file is a ListError of located Errors.
			var list *policyfile.ListError
			if !errors.As(err, &list) {
				t.Fatalf("%T is not an *ListError: %v", err, err)
			}
			if len(list.Problems) == 0 || len(list.Problems) > policyfile.DefaultMaxProblems || list.More < 0 {
				t.Fatalf("%d errors and %d more", len(list.Problems), list.More)
			}
			// Lines end as YAML ends them.
			lines := 1 + bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) +
				bytes.Count(data, []byte("\u0085")) + bytes.Count(data, []byte("\u2028")) + bytes.Count(data, []byte("\u2029"))
			for _, e := range list.Problems {
				if e.Line < 0 || e.Line > lines || e.Column < 0 || e.Err == nil {
					t.Fatalf("error at line %d column %d of a %d-line file: %v", e.Line, e.Column, lines, e)
				}
			}
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(set) == 0 {
			t.Fatal("a file without policies parsed")
		}
		// A parsed set works: Evaluate and NextSlot neither panic nor hang.
		c := policy.Change{Start: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), Duration: time.Hour}
		set.Evaluate(context.Background(), c)
		set.NextSlot(context.Background(), c, 30*24*time.Hour)
	})
}

// FuzzParseTime checks that ParseTime never panics, that what it accepts
// time.Parse reads as the same instant, in years 0000 to 9999 with an
// offset under a day, and that it reads back its RFC 3339 form; its
// errors quote the input.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2026-11-27T20:30:00+01:00", "2026-11-27T20:30:00Z", "0000-01-01T00:00:00-23:59", "9999-12-31T23:59:59.999999999+23:59",
		"2026-11-27T20:30:00+24:00", "2026-02-29T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T20:30:60Z",
		"2026-11-27T20:30:00.Z", "2026-11-27T20:30:00.1234567890Z", "+2026-11-27T20:30:00Z", "12026-11-27T20:30:00Z",
		"2026-11-27 20:30:00Z", "2026-11-27t20:30:00z", "2026-11-27T20:30:00+0100", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := policyfile.ParseTime(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "policyfile: time "+strconv.Quote(s)+": ") {
				t.Fatalf("error %q does not quote the input", err)
			}
			return
		}
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || !got.Equal(want) {
			t.Fatalf("ParseTime(%q) = %v, time.Parse gives %v, %v", s, got, want, err)
		}
		if _, off := got.Zone(); got.Year() < 0 || got.Year() > 9999 || off <= -24*3600 || off >= 24*3600 {
			t.Fatalf("ParseTime(%q) = %v: out of range", s, got)
		}
		back, err := policyfile.ParseTime(got.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(got) {
			t.Fatalf("%v does not read back: %v, %v", got, back, err)
		}
	})
}
