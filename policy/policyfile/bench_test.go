package policyfile_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mepkit/mepkit/policy/policyfile"
)

// BenchmarkParseStandard parses the standard file of the benchmarks.
func BenchmarkParseStandard(b *testing.B) {
	data, err := os.ReadFile("testdata/standard.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer measureCPU(b)()
	for b.Loop() {
		if _, err := policyfile.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// measureCPU reports the CPU time of the process per operation as
// cpu-ns/op, when the system tells it: call it before b.Loop and defer
// what it returns.
func measureCPU(b *testing.B) func() {
	c0 := processCPU()
	return func() {
		if c1 := processCPU(); c0 >= 0 && c1 >= 0 && b.N > 0 {
			b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
		}
	}
}

// repeated returns a file of about size bytes: the standard policies,
// repeated with distinct parameters.
func repeated(size int) []byte {
	var s strings.Builder
	s.WriteString("zone: Europe/Paris\npolicies:\n")
	for i := 0; s.Len() < size; i++ {
		fmt.Fprintf(&s, "  - {kind: windows, name: w%d, spec: \"Mon-Thu 20:%02d-23:30\"}\n", i, i%60)
		fmt.Fprintf(&s, "  - {kind: cron, name: c%d, cron: \"%d 17 L * *\", duration: 30h}\n", i, i%60)
		fmt.Fprintf(&s, "  - {kind: freeze, name: f%d, from: 2026-12-%02d, to: 2027-01-04}\n", i, 1+i%28)
		fmt.Fprintf(&s, "  - {kind: require-go, role: team%d, quorum: %d, scope: {environments: [prod], labels: {tier: t%d}}}\n", i, 1+i%3, i)
		fmt.Fprintf(&s, "  - {kind: holidays, name: h%d, country: FR, eve: true}\n", i)
	}
	return []byte(s.String())
}

// BenchmarkParseSize parses files of growing size up to the default
// limit: the time per byte stays flat.
func BenchmarkParseSize(b *testing.B) {
	for _, size := range []int{16 << 10, 128 << 10, policyfile.DefaultMaxBytes - 1024} {
		data := repeated(size)
		b.Run(fmt.Sprintf("%dKiB", len(data)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer measureCPU(b)()
			for b.Loop() {
				if _, err := policyfile.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseTooLarge refuses a 64 MiB input: at once, whatever its
// size.
func BenchmarkParseTooLarge(b *testing.B) {
	data := make([]byte, 64<<20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policyfile.Parse(data); err == nil {
			b.Fatal("no error")
		}
	}
}

// BenchmarkParseCron parses a file of cron freezes up to the default
// limit, each rule distinct (its minute, hour and day fields vary): the
// checks of a rule cost what the rule says, not a year of its ticks.
func BenchmarkParseCron(b *testing.B) {
	var s strings.Builder
	s.WriteString("zone: Europe/Paris\npolicies:\n")
	days := []string{"L", "1", "15", "*", "1-7", "*/2"}
	for i := 0; s.Len() < policyfile.DefaultMaxBytes-1024; i++ {
		fmt.Fprintf(&s, "  - {kind: cron, name: c%d, cron: \"%d %d %s * *\", duration: %dh}\n", i, i%60, i/60%24, days[i/1440%len(days)], 1+i%20)
	}
	data := []byte(s.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer measureCPU(b)()
	for b.Loop() {
		if _, err := policyfile.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCronNever parses a file of cron freezes that never fire,
// each an error: decided from the fields, not by looking for a day.
func BenchmarkParseCronNever(b *testing.B) {
	var s strings.Builder
	s.WriteString("zone: Europe/Paris\npolicies:\n")
	for i := 0; s.Len() < policyfile.DefaultMaxBytes-1024; i++ {
		fmt.Fprintf(&s, "  - {kind: cron, name: c%d, cron: \"%d %d 30 2 *\", duration: 1h}\n", i, i%60, i/60%24)
	}
	data := []byte(s.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer measureCPU(b)()
	for b.Loop() {
		if _, err := policyfile.Parse(data); err == nil {
			b.Fatal("no error")
		}
	}
}
