package fleet_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline"
)

// A line of a record file that is out of the chain, a seq 0 before the
// first entry or an old entry appended again, is refused by the schedule
// as it is by the project that opens the file: the schedule reads the
// same file, never a record with the line left out.
func TestScheduleRefusesALineOutOfTheChain(t *testing.T) {
	for _, tt := range []struct {
		name  string
		forge func(data []byte) []byte
	}{
		{"seq 0 first", func(data []byte) []byte {
			return append([]byte(`{"seq":0,"at":"2026-03-02T08:00:00Z","kind":"note","hash":"x"}`+"\n"), data...)
		}},
		{"first entry again", func(data []byte) []byte {
			return append(data, data[:bytes.IndexByte(data, '\n')+1]...)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir, c := billingStore(t, "Ops")
			path := filepath.Join(dir, "billing", mep.RecordFile)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, tt.forge(data), 0o600))
			_, err = mep.OpenFile(filepath.Join(dir, "billing"), &mep.Options{Now: c.now})
			require.Error(t, err, "the project refuses the file")

			s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
			require.NoError(t, err)
			defer s.Close()
			errs := s.Snapshot().Errors
			require.Len(t, errs, 1, "the schedule refuses it too")
			var te *timeline.TamperError
			assert.ErrorAs(t, errs[0], &te)
		})
	}
}

// A line out of the chain appended while the schedule watches the
// record is refused at the next scan, as it would be read whole.
func TestScheduleRefusesALineOutOfTheChainAppended(t *testing.T) {
	dir, c := billingStore(t, "Ops")
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	require.Empty(t, s.Snapshot().Errors)

	path := filepath.Join(dir, "billing", mep.RecordFile)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.Write(data[:bytes.IndexByte(data, '\n')+1])
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = s.Rescan(bg)
	require.NoError(t, err)
	errs := s.Snapshot().Errors
	require.Len(t, errs, 1, "the first entry appended again is out of the chain")
	var te *timeline.TamperError
	assert.ErrorAs(t, errs[0], &te)
}
