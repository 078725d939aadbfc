package policyfile_test

import (
	"context"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := policyfile.Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		// A parsed set works: Evaluate and NextSlot neither panic nor hang.
		c := policy.Change{Start: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), Duration: time.Hour}
		set.Evaluate(context.Background(), c)
		set.NextSlot(context.Background(), c, 30*24*time.Hour)
	})
}
