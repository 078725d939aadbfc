package policyfile_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/standard.yaml", "testdata/standard.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 0 30 2 *\n    duration: 1h\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: windows\n    spec: Fri 22:00-02:00, 24:00-01:00\n"))
	f.Add([]byte(`{"zone": "Europe\/Paris", "policies": [{"kind": "require-go", "role": "\ud83d\ude00"}]}`))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: cron\n    cron: \"* * * * *\"\n    duration: 1m\n---\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - {kind: require-go, role: ops, quorum: 2, scope: {environments: [prod], labels: {a: b}}}\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: readiness\n    lead: 30m\n  - kind: x\n  - kind: windows\n"))
	f.Add([]byte("zone: UTC\npolicies:\n  - kind: friday\x00-freeze\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
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
