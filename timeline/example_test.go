package timeline_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// clockFrom returns a clock that reads t0, then t0 plus each step in turn.
func clockFrom(t0 time.Time, steps ...time.Duration) func() time.Time {
	now := t0
	return func() time.Time {
		t := now
		if len(steps) > 0 {
			now, steps = now.Add(steps[0]), steps[1:]
		}
		return t
	}
}

func Example() {
	paris, _ := time.LoadLocation("Europe/Paris")
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, paris)
	j := timeline.New(&timeline.Options{Now: clockFrom(t0, 10*time.Minute, 0, 15*time.Minute, 0, 5*time.Minute)})

	j.Start("backup-config", "alice", timeline.NoImpact)
	j.End("backup-config", "alice", timeline.Done)
	j.Start("switch-dns", "bob", timeline.Outage)
	j.End("switch-dns", "bob", timeline.Done)
	j.Note("alice", "functional tests green")

	s := timeline.Summarize(j.Entries())
	fmt.Println("duration:", s.Duration)
	fmt.Println("outage:", s.Outage)
	for _, sp := range s.Steps {
		fmt.Printf("%s %s %s %s\n", sp.Step, sp.Start.Format("15:04"), sp.Duration, sp.Outcome)
	}
	// Output:
	// duration: 25m0s
	// outage: 15m0s
	// backup-config 20:00 10m0s done
	// switch-dns 20:10 15m0s done
}

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cutover.jsonl")
	t0 := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)

	j, err := timeline.Open(path, &timeline.Options{Now: clockFrom(t0, time.Minute)})
	if err != nil {
		fmt.Println(err)
		return
	}
	j.Start("stop-app", "ops", timeline.Outage)
	j.Close()

	// Later, or after a crash: the journal reopens where it stopped.
	j, err = timeline.Open(path, &timeline.Options{Now: clockFrom(t0.Add(5 * time.Minute))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer j.Close()
	fmt.Println("running:", j.Running())
	e, _ := j.End("stop-app", "ops", timeline.Done)
	fmt.Println("seq:", e.Seq, "torn bytes:", j.Recovery().TornBytes)
	entries, _ := timeline.ReadFile(path)
	fmt.Println("verified:", timeline.Verify(entries, nil) == nil)
	// Output:
	// running: [stop-app]
	// seq: 2 torn bytes: 0
	// verified: true
}

func ExampleVerify() {
	j := timeline.New(nil)
	j.Note("alice", "GO given by operations")
	j.Note("bob", "DNS switched")
	entries := j.Entries()

	entries[0].Text = "NO GO given by operations"
	fmt.Println(timeline.Verify(entries, nil))
	// Output:
	// timeline: journal tampered with at seq 1 (entry #1): hash does not match the entry and its predecessor
}

func ExampleCompare() {
	utc := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, time.UTC) }
	rehearsal := timeline.New(&timeline.Options{Now: clockFrom(utc(20, 0), 20*time.Minute)})
	rehearsal.Start("migrate", "bob", timeline.Outage)
	rehearsal.End("migrate", "bob", timeline.Done)
	actual := timeline.New(&timeline.Options{Now: clockFrom(utc(21, 0), 26*time.Minute)})
	actual.Start("migrate", "bob", timeline.Outage)
	actual.End("migrate", "bob", timeline.Done)

	c := timeline.Compare(timeline.Summarize(rehearsal.Entries()), timeline.Summarize(actual.Entries()))
	pct, _ := c.Outage.Percent()
	fmt.Printf("outage %s, %+.0f%% against the rehearsal\n", c.Outage.Diff(), pct)
	// Output:
	// outage 6m0s, +30% against the rehearsal
}

func ExampleEstimate() {
	run := func(minutes int) timeline.Summary {
		t0 := time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC)
		j := timeline.New(&timeline.Options{Now: clockFrom(t0, time.Duration(minutes)*time.Minute)})
		j.Start("migrate", "bob", timeline.Outage)
		j.End("migrate", "bob", timeline.Done)
		return timeline.Summarize(j.Entries())
	}
	f := timeline.Estimate(run(18), run(25), run(20))
	fmt.Printf("outage: min %s, median %s, max %s\n", f.Outage.Min, f.Outage.Median, f.Outage.Max)
	// Output:
	// outage: min 18m0s, median 20m0s, max 25m0s
}

func ExampleWriteMarkdown() {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	j := timeline.New(&timeline.Options{Now: clockFrom(t0, 12*time.Minute)})
	j.Start("switch-dns", "bob", timeline.Outage)
	j.End("switch-dns", "bob", timeline.Done)
	timeline.WriteMarkdown(os.Stdout, timeline.Summarize(j.Entries()))
	// Output:
	// | # | Step | Attempt | Start | End | Duration | Impact | Outcome |
	// |--:|------|--------:|-------|-----|---------:|--------|---------|
	// | 1 | switch-dns | 1 | 2026-11-24 20:00:00 UTC | 2026-11-24 20:12:00 UTC | 12m | outage | done |
	//
	// - Start: 2026-11-24 20:00:00 UTC
	// - End: 2026-11-24 20:12:00 UTC
	// - Duration: 12m
	// - Outage (users cut off): 12m
	// - Disruption (users degraded): 0s
	// - Entries: 2
}

func ExampleWriteMermaid() {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	j := timeline.New(&timeline.Options{Now: clockFrom(t0, 12*time.Minute)})
	j.Start("switch-dns", "bob", timeline.Outage)
	j.End("switch-dns", "bob", timeline.Done)
	timeline.WriteMermaid(os.Stdout, "Cutover", timeline.Summarize(j.Entries()), nil)
	// Output:
	// gantt
	//     title Cutover
	//     dateFormat YYYY-MM-DD HH:mm:ss
	//     axisFormat %H:%M
	//     section Outage
	//     switch-dns :2026-11-24 20:00:00, 2026-11-24 20:12:00
}

func ExampleEntries() {
	j := timeline.New(&timeline.Options{Now: clockFrom(time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC), time.Minute)})
	j.Start("switch-dns", "bob", timeline.Outage)
	j.End("switch-dns", "bob", timeline.Done)
	var file bytes.Buffer
	timeline.WriteJSONL(&file, j.Entries())

	// Read and verify as you go, in memory bounded by one line, however
	// long the journal (a file from os.Open reads the same way).
	var v timeline.Verifier
	for e, err := range timeline.Entries(&file) {
		if err == nil {
			err = v.Add(e)
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(e.Seq, e.Kind, e.Step)
	}
	seq, _ := v.Head()
	fmt.Println("verified up to seq", seq)
	// Output:
	// 1 start switch-dns
	// 2 end switch-dns
	// verified up to seq 2
}
