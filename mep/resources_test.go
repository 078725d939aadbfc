package mep_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestResourcesDeclareRemoveReplay(t *testing.T) {
	c := newClock(at(paris, 2026, 3, 2, 9, 0))
	path := filepath.Join(t.TempDir(), "p")
	p, err := mep.CreateFile(path, "billing", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production", Location: paris})
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "v3", T0: at(paris, 2026, 3, 10, 21, 0), Runbook: goliveRunbook()})
	require.NoError(t, err)
	rs := r.Resources()
	require.NoError(t, rs.Declare(mep.Database, "billing", "Otto", "schema migration"))
	c.add(time.Minute)
	require.NoError(t, rs.Declare(mep.Service, "payments", "Bea", "restarted"))
	require.NoError(t, rs.Declare(mep.Database, "billing", "Otto", "again"), "a second declaration is a no-op")
	require.NoError(t, rs.Declare(mep.Network, "dmz", "Otto", "firewall rule"))
	require.NoError(t, rs.Remove(mep.Network, "dmz", "Otto", "rule already in place"))

	got := rs.List()
	require.Len(t, got, 2)
	assert.Equal(t, "database:billing", got[0].Key())
	assert.Equal(t, "schema migration", got[0].Reason)
	assert.Equal(t, "Otto", got[0].By)
	assert.True(t, got[0].At.Equal(at(paris, 2026, 3, 2, 9, 0)))
	assert.Equal(t, "service:payments", got[1].String())
	require.NoError(t, p.Close())

	p, err = mep.OpenFile(path, &mep.Options{Location: paris})
	require.NoError(t, err)
	defer p.Close()
	r, ok := p.Rollout("v3")
	require.True(t, ok)
	assert.Equal(t, got, r.Resources().List(), "the record replays to the same list")
}

func TestResourcesRefuseBadInput(t *testing.T) {
	c := newClock(utc(2026, 3, 2, 9, 0))
	p, err := mep.New("billing", &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "v3", T0: utc(2026, 3, 10, 21, 0), Runbook: goliveRunbook()})
	require.NoError(t, err)
	rs := r.Resources()
	for _, tc := range []struct {
		name            string
		kind            mep.ResourceKind
		res, by, reason string
		field           string
	}{
		{"kind", "disk", "x", "Otto", "why", "resource.kind"},
		{"zero kind", "", "x", "Otto", "why", "resource.kind"},
		{"empty name", mep.Site, " ", "Otto", "why", "resource.name"},
		{"padded name", mep.Site, " lyon", "Otto", "why", "resource.name"},
		{"control", mep.Site, "ly\non", "Otto", "why", "resource.name"},
		{"no reason", mep.Site, "lyon", "Otto", "", "resource.reason"},
		{"no by", mep.Site, "lyon", "", "why", "resource.by"},
		{"stranger", mep.Site, "lyon", "Eve", "why", "resource.by"},
	} {
		err := rs.Declare(tc.kind, tc.res, tc.by, tc.reason)
		var fe *mep.FieldError
		require.ErrorAs(t, err, &fe, tc.name)
		assert.Equal(t, tc.field, fe.Field, tc.name)
		assert.ErrorIs(t, err, mep.ErrInvalid, tc.name)
	}
	err = rs.Remove(mep.Site, "lyon", "Otto", "never declared")
	assert.True(t, errors.Is(err, mep.ErrNotFound), "got %v", err)
	assert.Empty(t, rs.List())
}

func TestParseResource(t *testing.T) {
	r, err := mep.ParseResource("database:billing:eu")
	require.NoError(t, err)
	assert.Equal(t, mep.Resource{Kind: mep.Database, Name: "billing:eu"}, r)
	for _, s := range []string{"billing", "disk:x", "site:", "site: x"} {
		_, err := mep.ParseResource(s)
		assert.ErrorIs(t, err, mep.ErrInvalid, s)
	}
}

func ExampleResources() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p, _ := mep.New("billing", &mep.Options{Now: func() time.Time { return now }, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	_ = p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}})
	r, _ := p.NewRollout(mep.RolloutOptions{Name: "v3", T0: now.Add(8 * 24 * time.Hour), Runbook: []mep.Step{{ID: "migrate"}}})

	_ = r.Resources().Declare(mep.Database, "billing", "Olga", "schema migration")
	_ = r.Resources().Declare(mep.Service, "payments", "Olga", "restarted during the cutover")
	for _, res := range r.Resources().List() {
		fmt.Printf("%s (%s: %s)\n", res, res.By, res.Reason)
	}
	// Output:
	// database:billing (Olga: schema migration)
	// service:payments (Olga: restarted during the cutover)
}
