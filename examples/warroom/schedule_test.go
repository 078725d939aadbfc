package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// plannedRollout is a rollout a test writes into a store of projects.
type plannedRollout struct {
	project, rollout, team string
	t0                     time.Time
	steps                  []time.Duration
	resources              []string // "kind:name"
	people                 []string
}

// writeProject writes p as a project record dir/NAME.jsonl, recorded
// at clock.
func writeProject(t *testing.T, dir string, clock time.Time, p plannedRollout) {
	t.Helper()
	st, err := timeline.OpenFileStore(filepath.Join(dir, p.project+".jsonl"), &timeline.FileStoreOptions{NoSync: true})
	require.NoError(t, err)
	writeProjectTo(t, st, clock, p)
}

// writeProjectTo writes p as a project record into st, recorded at
// clock, and closes st.
func writeProjectTo(t *testing.T, st timeline.Store, clock time.Time, p plannedRollout) {
	t.Helper()
	now := func() time.Time { return clock }
	pr, err := mep.Create(st, p.project, &mep.Options{Now: now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	if err != nil {
		st.Close()
	}
	require.NoError(t, err)
	defer pr.Close()
	for _, n := range p.people {
		require.NoError(t, pr.Team().Add(mep.Member{Name: n, Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}}))
	}
	require.NoError(t, pr.Team().Choose(p.people[0], p.people...))
	var runbook []mep.Step
	for i, d := range p.steps {
		runbook = append(runbook, mep.Step{ID: "step-" + string(rune('a'+i)), Owner: p.people[0], Impact: timeline.Outage, Expected: d})
	}
	r, err := pr.NewRollout(mep.RolloutOptions{Name: p.rollout, T0: p.t0, Runbook: runbook, Environment: "prod", Labels: map[string]string{fleet.TeamLabel: p.team}})
	require.NoError(t, err)
	for _, key := range p.resources {
		res, err := mep.ParseResource(key)
		require.NoError(t, err)
		require.NoError(t, r.Resources().Declare(res.Kind, res.Name, p.people[0], "touched"))
	}
}

// billingAndPayments are two teams' rollouts on the evening of 24
// November 2026 (Paris) that share database:db-billing from 21:40.
var billingAndPayments = []plannedRollout{
	{"billing", "db-upgrade", "Billing", at(21, 0, 0), []time.Duration{20 * time.Minute, 45 * time.Minute}, []string{"database:db-billing", "service:billing-api"}, []string{"olga"}},
	{"payments", "v7", "Payments", at(21, 40, 0), []time.Duration{30 * time.Minute, 25 * time.Minute}, []string{"database:db-billing"}, []string{"pia"}},
}

// scheduleServer serves the schedule of a directory holding rollouts,
// with the clock at now and times in Paris.
func scheduleServer(t *testing.T, now time.Time, rollouts ...plannedRollout) (*httptest.Server, *server, string) {
	t.Helper()
	dir := t.TempDir()
	for _, r := range rollouts {
		writeProject(t, dir, at(12, 0, 0), r)
	}
	clock := func() time.Time { return now }
	sched, err := openStoreDir(t.Context(), dir, &fleet.Options{Now: clock})
	require.NoError(t, err)
	t.Cleanup(func() { sched.Close() })
	s := &server{room: newRoom(nil, clock), now: clock, loc: paris, title: "t", source: "test"}
	s.sched = newSchedule(sched, "directory "+dir, paris)
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	return ts, s, dir
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(body)
}

const billingPaymentsConflict = "billing/db-upgrade (team Billing) and payments/v7 (team Payments): shared resource database:db-billing, Tue 24 Nov 21:40-"

func TestScheduleShowsTheNightAndItsConflict(t *testing.T) {
	ts, _, _ := scheduleServer(t, at(18, 0, 0), billingAndPayments...)
	for _, url := range []string{"/schedule?day=2026-11-24", "/schedule"} { // the default: the day of the next cutover
		code, page := fetch(t, ts.URL+url)
		require.Equal(t, http.StatusOK, code, url)
		assert.Contains(t, page, "<h1>Schedule · Tue 24 Nov 2026</h1>", url)
		assert.Contains(t, page, `<span class="label">billing/db-upgrade</span><span class="team">team Billing · prod · planned</span>`)
		assert.Contains(t, page, `<span class="label">payments/v7</span><span class="team">team Payments · prod · planned</span>`)
		assert.Contains(t, page, "database:db-billing, service:billing-api")
		assert.Contains(t, page, "<h2>Conflicts (1)</h2>")
		assert.Contains(t, page, billingPaymentsConflict)
		assert.Equal(t, 2, strings.Count(page, `class="row conflict"`), "both rollouts of the conflict are marked")
		assert.Contains(t, page, "⚠ shared resource database:db-billing with payments/v7, 21:40–")
		assert.Contains(t, page, "⚠ shared resource database:db-billing with billing/db-upgrade, 21:40–")
		assert.Equal(t, 2, strings.Count(page, `<rect class="overlap"`), "the overlap is drawn on both bars")
		assert.Contains(t, page, "times in Europe/Paris")
		// The axis: whole hours around the rollouts, in Paris.
		assert.Contains(t, page, `<span class="tick">21:00</span>`)
		assert.Contains(t, page, `<span class="tick">22:00</span>`)
		assert.Contains(t, page, `href="?day=2026-11-23"`)
		assert.Contains(t, page, `href="?day=2026-11-25"`)
		assert.Contains(t, page, `href="./"`, "back to the war room")
	}

	code, page := fetch(t, ts.URL+"/schedule?day=2026-11-26")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "No cutover starts this day.")
	assert.Contains(t, page, `<a href="?day=2026-11-24">Earlier: 2026-11-24</a>`)
	assert.NotContains(t, page, "payments/v7")
	assert.Contains(t, page, "<h2>Conflicts (0)</h2>")

	// The main page links to it.
	_, page = fetch(t, ts.URL+"/")
	assert.Contains(t, page, `<a href="schedule">`)
}

func TestScheduleWithoutConflict(t *testing.T) {
	ts, _, _ := scheduleServer(t, at(18, 0, 0), billingAndPayments[0])
	code, page := fetch(t, ts.URL+"/schedule")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "billing/db-upgrade")
	assert.Contains(t, page, "<h2>Conflicts (0)</h2>")
	assert.Contains(t, page, "No conflict.")
	assert.NotContains(t, page, `class="row conflict"`)
}

// With -exclusive prod, two prod rollouts that overlap conflict though
// they share nothing else.
func TestScheduleExclusiveEnvironment(t *testing.T) {
	apart := []plannedRollout{
		{"billing", "db-upgrade", "Billing", at(21, 0, 0), []time.Duration{20 * time.Minute, 45 * time.Minute}, []string{"database:db-billing"}, []string{"olga"}},
		{"crm", "r2", "CRM", at(21, 30, 0), []time.Duration{30 * time.Minute}, []string{"service:crm"}, []string{"pia"}},
	}
	ts, s, _ := scheduleServer(t, at(18, 0, 0), apart...)
	s.sched.rules = fleet.Rules{Exclusive: []string{"prod"}}
	code, page := fetch(t, ts.URL+"/schedule?day=2026-11-24")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "<h2>Conflicts (1)</h2>")
	assert.Contains(t, page, "exclusive environment prod")

	ts, _, _ = scheduleServer(t, at(18, 0, 0), apart...)
	_, page = fetch(t, ts.URL+"/schedule?day=2026-11-24")
	assert.Contains(t, page, "<h2>Conflicts (0)</h2>", "without -exclusive they share nothing")
}

func TestScheduleBadDay(t *testing.T) {
	ts, _, _ := scheduleServer(t, at(18, 0, 0), billingAndPayments...)
	for _, q := range []string{"day=tomorrow", "day=2026-02-30", "day=24/11/2026", "day=", "day=2026-11-24&day=2026-11-25", "day=%3Cscript%3E"} {
		res, err := http.Get(ts.URL + "/schedule?" + q)
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, q)
		assert.Contains(t, string(body), "?day=YYYY-MM-DD", q)
		// What the query said comes back as plain text, never as HTML.
		assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"), q)
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"), q)
	}
	code, body := fetch(t, ts.URL+"/schedule?day=nope")
	require.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "bad day \"nope\": want ?day=YYYY-MM-DD, a date such as 2026-12-07\n", body)
}

func TestScheduleWithoutStore(t *testing.T) {
	ts := testServer(t, newRoom(nil, time.Now), nil)
	code, body := fetch(t, ts.URL+"/schedule")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, body, "start the war room with -store DIR")
	_, page := fetch(t, ts.URL+"/")
	assert.NotContains(t, page, `href="schedule"`, "no link to a page that is not there")
}

// TestScheduleRescansAtMostOncePerInterval: a project added to the store
// shows once the interval has passed since the last rescan, not before.
func TestScheduleRescansAtMostOncePerInterval(t *testing.T) {
	ts, s, dir := scheduleServer(t, at(18, 0, 0), billingAndPayments[0])
	s.sched.every = time.Hour
	writeProject(t, dir, at(12, 0, 0), billingAndPayments[1])
	_, page := fetch(t, ts.URL+"/schedule?day=2026-11-24")
	assert.NotContains(t, page, "payments/v7", "rescanned within the interval")

	s.sched.mu.Lock()
	s.sched.last = time.Now().Add(-time.Hour)
	s.sched.mu.Unlock()
	_, page = fetch(t, ts.URL+"/schedule?day=2026-11-24")
	assert.Contains(t, page, "payments/v7")
	assert.Contains(t, page, billingPaymentsConflict)

	// A record that does not read is named on the page; the others stay.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.jsonl"), []byte("{not json}\n"), 0o600))
	s.sched.mu.Lock()
	s.sched.last = time.Time{}
	s.sched.mu.Unlock()
	_, page = fetch(t, ts.URL+"/schedule?day=2026-11-24")
	assert.Contains(t, page, "Record broken left out: ")
	assert.Contains(t, page, "payments/v7")
}

func TestScheduleStoreErrorsAtStart(t *testing.T) {
	env := func(string) string { return "" }
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	missing := filepath.Join(dir, "nope")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-store", missing}, 1, "warroom: -store " + missing + ": no such directory\n"},
		{[]string{"-store", file}, 1, "warroom: -store " + file + ": not a directory (want a directory of project records)\n"},
		{[]string{"-store", dir, "-store-schema", "x", "-postgres", "postgres://x"}, 2, "warroom: -store and -store-schema: the schedule reads a directory or a PostgreSQL schema, not both\n"},
		{[]string{"-store-schema", "x"}, 2, "warroom: -store-schema needs a PostgreSQL DSN: -postgres DSN or $MEPKIT_POSTGRES\n"},
		{[]string{"-exclusive", "prod"}, 2, "warroom: -exclusive needs -store DIR or -store-schema SCHEMA: the schedule it applies to\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"-addr", "127.0.0.1:0", "-for", "1s"}, tc.args...), &stdout, &stderr, env)
		assert.Equal(t, tc.code, code, "%q", tc.args)
		assert.Equal(t, tc.want, stderr.String(), "%q", tc.args)
		assert.Empty(t, stdout.String(), "%q: nothing served", tc.args)
	}
}

// TestDemoScheduleShowsTwoTeamsInConflict runs the demonstration and
// reads its schedule page: the two teams' rollouts of the evening share
// db-billing and overlap.
func TestDemoScheduleShowsTwoTeamsInConflict(t *testing.T) {
	page := demoSchedulePage(t, "/schedule")
	assert.Contains(t, page, "billing v2/go-live")
	assert.Contains(t, page, `<span class="label">billing v2/db-upgrade</span><span class="team">team Billing`)
	assert.Contains(t, page, `<span class="label">payments/v7</span><span class="team">team Payments`)
	assert.Contains(t, page, "billing v2/db-upgrade (team Billing) and payments/v7 (team Payments): shared resource database:db-billing, ")
	assert.Equal(t, 2, strings.Count(page, `class="row conflict"`))
}

// demoSchedulePage runs the demonstration, with extra flags, and returns
// its page at path ("/schedule?day=…").
func demoSchedulePage(t *testing.T, path string, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"-addr", addr, "-speed", "20"}, args...), &stdout, &stderr, func(string) string { return "" })
	}()
	defer func() {
		cancel()
		assert.Equal(t, 0, <-done, "warroom: %s", stderr.String())
	}()
	var page string
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			return false
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		page = string(b)
		return res.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond)
	return page
}

// TestScheduleViewLayout lays out snapshots made by hand: the axis in
// whole hours with at most eight ticks, midnight named by its day, an
// ended cutover greyed and never in conflict, and a rollout of the day
// before that runs into the axis shown with its conflict.
func TestScheduleViewLayout(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, paris)
	db := []mep.Resource{{Kind: mep.Database, Name: "db-billing"}}
	entry := func(project string, status report.Outcome, t0 time.Time, d time.Duration) fleet.Entry {
		e := fleet.Entry{Project: project, Rollout: "r", Team: project, Status: status, T0: t0, P90: t0.Add(d), Resources: db}
		if status == report.Done {
			e.Started, e.Ended, e.P90 = t0, t0.Add(d), time.Time{}
		}
		return e
	}
	snap := &fleet.Snapshot{At: at(18, 0, 0), Entries: []fleet.Entry{
		entry("late", report.Planned, at(23, 30, 0).Add(-24*time.Hour), 22*time.Hour),        // the day before, until 21:30
		entry("early", report.Done, at(1, 15, 0), time.Hour),                                 // ended: greyed, no conflict
		entry("night", report.Planned, at(21, 0, 0), 4*time.Hour+30*time.Minute),             // past midnight
		entry("next", report.Planned, time.Date(2026, 11, 26, 9, 0, 0, 0, paris), time.Hour), // another day
	}}
	v := newScheduleView(snap, snap.Conflicts(fleet.Rules{}), day, at(18, 0, 0), paris)
	var ids, classes []string
	for _, r := range v.Rows {
		ids, classes = append(ids, r.ID), append(classes, r.Class)
	}
	assert.Equal(t, []string{"late/r", "early/r", "night/r"}, ids)
	assert.Equal(t, []string{"row conflict", "row ended", "row conflict"}, classes)
	assert.Equal(t, "ran 01:15–02:15", v.Rows[1].When)
	assert.Equal(t, "done", v.Rows[1].Status)
	assert.Equal(t, "bar done", v.Rows[1].Bars[0].Class)
	assert.Equal(t, []string{"late/r (team late) and night/r (team night): shared resource database:db-billing, Tue 24 Nov 21:00-21:30 CET"}, v.Conflicts)
	assert.Equal(t, []string{"shared resource database:db-billing with night/r, 21:00–21:30"}, v.Rows[0].Marks)
	// From 01:00 to 01:30 the next day: 25 hours, by 4 hours, 7 ticks.
	var ticks []string
	for _, tk := range v.Ticks {
		ticks = append(ticks, tk.Text)
	}
	assert.Equal(t, []string{"01:00", "05:00", "09:00", "13:00", "17:00", "21:00", "01:00"}, ticks)
	assert.Nil(t, v.End, "no room for the end's label among seven ticks")
	assert.Equal(t, "2026-11-23", v.Earlier)
	assert.Equal(t, "2026-11-26", v.Later)
	assert.True(t, v.NowShown)

	// Midnight is named by its day.
	v = newScheduleView(snap, nil, time.Date(2026, 11, 26, 0, 0, 0, 0, paris), at(18, 0, 0), paris)
	require.Len(t, v.Rows, 1)
	assert.Equal(t, []scheduleTick{{Text: "09:00"}}, v.Ticks)
	assert.Equal(t, &scheduleTick{Text: "10:00"}, v.End)
	assert.False(t, v.NowShown)
	v = newScheduleView(&fleet.Snapshot{Entries: []fleet.Entry{entry("n", report.Planned, at(22, 0, 0), 3*time.Hour)}}, nil, day, at(18, 0, 0), paris)
	assert.Equal(t, []scheduleTick{{Text: "22:00"}, {Text: "23:00"}, {Text: "Wed 25", Day: true}}, v.Ticks)
	assert.Equal(t, &scheduleTick{Text: "01:00"}, v.End)
}

// Two records holding a rollout of the same project and name are two
// rows: the conflict of one is not marked on the other.
func TestScheduleViewSameNamesInTwoRecords(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, paris)
	db := []mep.Resource{{Kind: mep.Database, Name: "db-billing"}}
	snap := &fleet.Snapshot{At: at(18, 0, 0), Entries: []fleet.Entry{
		{Record: "payments", Project: "payments", Rollout: "v7", Team: "Pay", T0: at(20, 0, 0), P90: at(21, 0, 0), Resources: db},
		{Record: "billing", Project: "billing", Rollout: "v3", Team: "Billing", T0: at(20, 30, 0), P90: at(21, 30, 0), Resources: db},
		{Record: "copy", Project: "payments", Rollout: "v7", Team: "Pay", T0: at(22, 0, 0), P90: at(23, 0, 0)},
	}}
	v := newScheduleView(snap, snap.Conflicts(fleet.Rules{}), day, at(18, 0, 0), paris)
	var classes []string
	for _, r := range v.Rows {
		classes = append(classes, r.ID+" "+r.Class)
	}
	assert.Equal(t, []string{"payments/v7 row conflict", "billing/v3 row conflict", "payments/v7 row"}, classes)
	assert.Empty(t, v.Rows[2].Marks)
}

// In a zone that is not a whole number of hours from UTC (Asia/Kolkata,
// Asia/Kathmandu), the axis still starts on a whole local hour and
// names midnight by its day.
func TestScheduleViewAxisInHalfHourZones(t *testing.T) {
	for _, name := range []string{"Asia/Kolkata", "Asia/Kathmandu"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		t0 := time.Date(2026, 11, 24, 21, 0, 0, 0, loc)
		snap := &fleet.Snapshot{Entries: []fleet.Entry{{Project: "a", Rollout: "r", Team: "a", Status: report.Planned, T0: t0, P90: t0.Add(4 * time.Hour)}}}
		v := newScheduleView(snap, nil, time.Date(2026, 11, 24, 0, 0, 0, 0, loc), t0, loc)
		assert.Equal(t, []scheduleTick{{Text: "21:00"}, {Text: "22:00"}, {Text: "23:00"}, {Text: "Wed 25", Day: true}}, v.Ticks, name)
		assert.Equal(t, &scheduleTick{Text: "01:00"}, v.End, name)
	}
}
