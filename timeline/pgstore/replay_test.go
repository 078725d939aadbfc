package pgstore_test

import (
	"strconv"
	"testing"

	"github.com/mepkit/mepkit/mep/meptest"
	"github.com/mepkit/mepkit/timeline"
)

// A project's record kept on PostgreSQL replays to the state that wrote
// it: the property test of package mep (random operations, replay,
// compare), on a record of this store. Only this test reaches up to mep;
// the package itself does not.
func TestProjectRecordReplays(t *testing.T) {
	db, _, _ := testDB(t)
	meptest.TestReplay(t, 8, func(round int) (timeline.Store, error) {
		return db.Store("replay-" + strconv.Itoa(round))
	})
}
