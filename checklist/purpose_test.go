package checklist_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/checklist"
)

var purposes = map[checklist.Purpose]string{
	checklist.InstallProcedure: "install-procedure",
	checklist.HardwareVerified: "hardware-verified",
	checklist.ConfigBackup:     "config-backup",
	checklist.Probes:           "probes",
	checklist.BackupProcess:    "backup-process",
	checklist.KnownFailures:    "known-failures",
}

func TestPurposeText(t *testing.T) {
	for p, text := range purposes {
		assert.Equal(t, text, p.String())
		b, err := p.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, text, string(b))
		got, err := checklist.ParsePurpose(text)
		require.NoError(t, err)
		assert.Equal(t, p, got)
		var back checklist.Purpose
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, p, back)
	}
	assert.Len(t, purposes, int(checklist.KnownFailures), "a purpose without its text")

	// The zero value: "general" for people, "" in files.
	assert.Equal(t, "general", checklist.General.String())
	b, err := checklist.General.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	for _, text := range []string{"", "general", "GENERAL"} {
		got, err := checklist.ParsePurpose(text)
		require.NoError(t, err, text)
		assert.Equal(t, checklist.General, got)
	}
	got, err := checklist.ParsePurpose("Config-Backup")
	require.NoError(t, err)
	assert.Equal(t, checklist.ConfigBackup, got, "any case")
}

func TestPurposeUnknownFailsClosed(t *testing.T) {
	for _, text := range []string{"backup", "config_backup", "install procedure", " probes"} {
		_, err := checklist.ParsePurpose(text)
		require.ErrorIs(t, err, checklist.ErrInvalid, text)
		assert.Contains(t, err.Error(), `"`+text+`"`, "the error names the value")
		assert.Contains(t, err.Error(), "config-backup", "and says what is wanted")

		var p checklist.Purpose = checklist.Probes
		require.Error(t, p.UnmarshalText([]byte(text)))
		assert.Equal(t, checklist.Probes, p, "unchanged on error")
	}

	bad := checklist.Purpose(99)
	assert.Equal(t, "Purpose(99)", bad.String())
	_, err := bad.MarshalText()
	assert.ErrorIs(t, err, checklist.ErrInvalid)

	l := checklist.List{Name: "p", Items: []checklist.Item{{ID: "a", Title: "A", Purpose: bad}}}
	err = l.Validate()
	require.ErrorIs(t, err, checklist.ErrInvalid)
	var e *checklist.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "a", e.Item)
	assert.Equal(t, "purpose", e.Field)

	_, err = checklist.NewRun(l, t0)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	_, err = l.MarshalJSON()
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, "purpose", e.Field)
	_, err = yaml.Marshal(l)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	_, err = l.Items[0].MarshalJSON()
	assert.ErrorIs(t, err, checklist.ErrInvalid)
}

func TestParsePurpose(t *testing.T) {
	src := "name: p\nitems:\n  - id: a\n    title: A\n    purpose: config-backup\n  - {id: b, title: B}\n"
	l, err := checklist.Parse([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, checklist.ConfigBackup, l.Items[0].Purpose)
	assert.Equal(t, checklist.General, l.Items[1].Purpose)

	j, err := l.MarshalJSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"p","mode":"read-do","items":[{"id":"a","title":"A","purpose":"config-backup"},{"id":"b","title":"B"}]}`, string(j))
	y, err := yaml.Marshal(l)
	require.NoError(t, err)
	assert.Contains(t, string(y), "purpose: config-backup\n")
	assert.Equal(t, 1, strings.Count(string(y), "purpose"), "omitted for a general item:\n%s", y)
	for _, data := range [][]byte{j, y} {
		back, err := checklist.Parse(data)
		require.NoError(t, err)
		assert.Equal(t, l, back)
	}

	var it checklist.Item
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","title":"X","purpose":"probes"}`), &it))
	assert.Equal(t, checklist.Probes, it.Purpose)
	err = json.Unmarshal([]byte(`{"id":"x","title":"X","purpose":"probe"}`), &it)
	var e *checklist.Error
	require.True(t, errors.As(err, &e), "got %v", err)
	assert.Equal(t, "x", e.Item)
	assert.Equal(t, "purpose", e.Field)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
}

// TestParsePurposeErrors checks that a bad purpose is reported with its
// line and item, among the other problems of the file.
func TestParsePurposeErrors(t *testing.T) {
	src := "name: p\n" + // 1
		"items:\n" + // 2
		"  - id: a\n" + // 3
		"    title: A\n" + // 4
		"    purpose: config-bakup\n" + // 5
		"  - id: b\n" + // 6
		"    titel: B\n" + // 7
		"  - {id: c, title: C, purpose: [probes]}\n" + // 8
		"  - {id: d, title: D, purpose: 7}\n" + // 9
		"  - {id: e, title: E, purpose: probes, purpose: probes}\n" // 10
	_, err := checklist.Parse([]byte(src))
	var le *checklist.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	type problem struct {
		line        int
		item, field string
	}
	var got []problem
	for _, p := range le.Problems {
		got = append(got, problem{p.Line, p.Item, p.Field})
	}
	assert.Equal(t, []problem{
		{5, "a", "purpose"},
		{6, "b", "title"},
		{7, "b", "titel"},
		{8, "c", "purpose"},
		{9, "d", "purpose"},
		{10, "e", "purpose"},
	}, got)
	assert.Contains(t, le.Problems[0].Error(), `invalid purpose: "config-bakup"`)
	assert.Contains(t, le.Problems[4].Error(), "quote it")
	assert.Contains(t, le.Problems[5].Error(), "field given twice")

	_, err = checklist.Parse([]byte(`{"items": [{"id": "a", "title": "A", "purpose": "r8"}]}`))
	require.ErrorIs(t, err, checklist.ErrInvalid)
	assert.Contains(t, err.Error(), `line 1: item "a": purpose: invalid purpose: "r8"`)
}

func TestTemplatesHaveTheirRulesPurposes(t *testing.T) {
	tests := []struct {
		list func() checklist.List
		want []checklist.Purpose
	}{
		{checklist.Validation, []checklist.Purpose{checklist.InstallProcedure}},
		{checklist.Preparation, []checklist.Purpose{checklist.HardwareVerified, checklist.ConfigBackup}},
		{checklist.Operations, []checklist.Purpose{checklist.Probes, checklist.BackupProcess, checklist.KnownFailures}},
	}
	for _, tt := range tests {
		l := tt.list()
		t.Run(l.Name, func(t *testing.T) {
			assert.Nil(t, l.Missing(tt.want...))
			for _, it := range l.Items {
				if it.Purpose != checklist.General {
					assert.Contains(t, tt.want, it.Purpose, "item %q", it.ID)
					assert.False(t, it.Optional, "item %q: a purpose is for items the go-live needs", it.ID)
				}
			}
		})
	}
	byID := func(l checklist.List, id string) checklist.Purpose {
		it, ok := l.Item(id)
		require.True(t, ok, id)
		return it.Purpose
	}
	prep := checklist.Preparation()
	assert.Equal(t, checklist.HardwareVerified, byID(prep, "old-hardware-verified"))
	assert.Equal(t, checklist.HardwareVerified, byID(prep, "new-hardware-verified"))
	assert.Equal(t, checklist.ConfigBackup, byID(prep, "config-backup"))
	assert.Equal(t, checklist.General, byID(prep, "other-env-backup"), "optional: waiving it leaves R8 met")
	assert.Equal(t, checklist.InstallProcedure, byID(checklist.Validation(), "install-procedure"))
	ops := checklist.Operations()
	assert.Equal(t, checklist.Probes, byID(ops, "technical-probes"))
	assert.Equal(t, checklist.BackupProcess, byID(ops, "backup-process"))
	assert.Equal(t, checklist.KnownFailures, byID(ops, "recurring-failures"))
}

func TestListMissing(t *testing.T) {
	l := checklist.List{Name: "p", Items: []checklist.Item{
		{ID: "uninstall-old-icons", Title: "Uninstall the old icons"}, // words do not count
		{ID: "backup", Title: "Configs backed up", Optional: true, Purpose: checklist.ConfigBackup},
	}}
	assert.Equal(t, []checklist.Purpose{checklist.InstallProcedure, checklist.Probes},
		l.Missing(checklist.InstallProcedure, checklist.ConfigBackup, checklist.Probes))
	assert.Nil(t, l.Missing(checklist.ConfigBackup), "an optional item counts as present")
	assert.Nil(t, l.Missing())
	assert.Equal(t, []checklist.Purpose{checklist.Purpose(99)}, l.Missing(checklist.Purpose(99)))
	assert.Equal(t, []checklist.Purpose{checklist.HardwareVerified}, checklist.List{}.Missing(checklist.HardwareVerified))
}

func TestRunCoverage(t *testing.T) {
	l := checklist.List{Name: "readiness", Mode: checklist.DoConfirm, WaiveRequired: true, Items: []checklist.Item{
		{ID: "cfg-app", Title: "App configuration backed up", Purpose: checklist.ConfigBackup},
		{ID: "cfg-db", Title: "Database configuration backed up", Optional: true, Purpose: checklist.ConfigBackup},
		{ID: "probes", Title: "Probes in place", Purpose: checklist.Probes},
		{ID: "coffee", Title: "Coffee"},
	}}
	r := newRun(t, l)
	when := at(2026, 6, 9, 18, 0)
	ids := func(rs []checklist.Result) []string {
		var out []string
		for _, res := range rs {
			out = append(out, res.Item.ID+"="+res.Status.String())
		}
		return out
	}

	cov := r.Coverage(checklist.ConfigBackup, checklist.KnownFailures, checklist.Probes)
	require.Len(t, cov, 3)
	assert.Equal(t, checklist.ConfigBackup, cov[0].Purpose)
	assert.Equal(t, []string{"cfg-app", "cfg-db"}, cov[0].Items)
	assert.Equal(t, []string{"cfg-app=pending", "cfg-db=pending"}, ids(cov[0].NotDone))
	assert.False(t, cov[0].Met())
	assert.Equal(t, `config-backup not done: "cfg-app" pending, "cfg-db" pending`, cov[0].String())
	assert.Equal(t, checklist.KnownFailures, cov[1].Purpose)
	assert.Empty(t, cov[1].Items)
	assert.False(t, cov[1].Met())
	assert.Equal(t, "no known-failures item", cov[1].String())
	assert.Equal(t, []string{"coffee"}, r.Coverage(checklist.General)[0].Items, "the items of no purpose")
	assert.Empty(t, r.Coverage(checklist.Purpose(200))[0].Items, "no item has an unknown purpose")

	// A waiver does not meet a purpose, even on an optional item; a failure
	// neither.
	require.NoError(t, r.Check("cfg-app", "olga", when, ""))
	require.NoError(t, r.Waive("cfg-db", "lead", when, "no database change"))
	require.NoError(t, r.Fail("probes", "mco", when, "disk probe red"))
	cov = r.Coverage(checklist.ConfigBackup, checklist.Probes)
	assert.Equal(t, []string{"cfg-db=waived"}, ids(cov[0].NotDone))
	assert.Equal(t, "no database change", cov[0].NotDone[0].Note)
	assert.False(t, cov[0].Met())
	assert.Equal(t, `config-backup not done: "cfg-db" waived (a waiver does not count)`, cov[0].String())
	assert.Equal(t, `probes not done: "probes" failed`, cov[1].String())
	assert.False(t, cov[1].Met())

	require.NoError(t, r.Check("cfg-db", "olga", when, "backed up after all"))
	require.NoError(t, r.Check("probes", "mco", when, ""))
	cov = r.Coverage(checklist.ConfigBackup, checklist.Probes)
	for _, c := range cov {
		assert.True(t, c.Met(), c.String())
		assert.Empty(t, c.NotDone)
	}
	assert.Equal(t, "config-backup done", cov[0].String())
	assert.False(t, r.Ready(), "coffee is still pending: Coverage is not Ready")

	assert.Nil(t, r.Coverage())
	bad := r.Coverage(checklist.Purpose(99))
	require.Len(t, bad, 1)
	assert.False(t, bad[0].Met(), "an unknown purpose is never met")
	var zero checklist.Coverage
	assert.False(t, zero.Met())
	var empty checklist.Run
	assert.False(t, empty.Coverage(checklist.Probes)[0].Met())
}

// TestDigestCoversPurpose checks that a vote citing a digest sees a change
// of purpose: two runs whose lists differ only by a purpose have different
// digests, and a snapshot of one is not one of the other.
func TestDigestCoversPurpose(t *testing.T) {
	a := exampleList()
	b := exampleList()
	b.Items[2].Purpose = checklist.General
	ra, rb := busyRunOf(t, a), busyRunOf(t, b)
	assert.NotEqual(t, ra.Digest(), rb.Digest())

	snap, err := ra.Snapshot()
	require.NoError(t, err)
	_, err = checklist.Restore(b, snap)
	se := snapErr(t, err, checklist.ErrMismatch)
	assert.Equal(t, "config-backup", se.Item)
	back, err := checklist.Restore(a, snap)
	require.NoError(t, err)
	assert.Equal(t, ra.Digest(), back.Digest())
}
