package timeline_test

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/timelinetest"
)

func TestFileStoreConformance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	timelinetest.TestStore(t, func() timeline.Store {
		s, err := timeline.OpenFileStore(path, nil)
		require.NoError(t, err)
		return s
	})
}

// memStore is a Store kept in memory, to check that the conformance helper
// accepts a correct store that is not a file. It follows the rules for
// several writers, and is a Tailer.
type memStore struct{ data *[]timeline.Entry }

func (m memStore) Load() ([]timeline.Entry, error) {
	return append([]timeline.Entry(nil), *m.data...), nil
}

func (m memStore) Append(b []timeline.Entry) error {
	last := uint64(len(*m.data))
	if b[0].Seq > last+1 {
		return fmt.Errorf("memstore: seq %d after %d", b[0].Seq, last)
	}
	for len(b) > 0 && b[0].Seq <= last {
		if (*m.data)[b[0].Seq-1].Hash != b[0].Hash {
			return fmt.Errorf("memstore: seq %d: %w", b[0].Seq, timeline.ErrConflict)
		}
		b = b[1:]
	}
	*m.data = append(*m.data, b...)
	return nil
}

func (m memStore) Since(seq uint64) ([]timeline.Entry, error) {
	return append([]timeline.Entry(nil), (*m.data)[min(seq, uint64(len(*m.data))):]...), nil
}

func (m memStore) Close() error { return nil }

func TestMemStoreConformance(t *testing.T) {
	var data []timeline.Entry
	timelinetest.TestStore(t, func() timeline.Store { return memStore{&data} })
}

func TestOpenCreatesPrivateFileAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	clock := fakeClock(at(2026, 11, 24, 20, 0), time.Minute)
	j, err := timeline.Open(path, &timeline.Options{Now: clock})
	require.NoError(t, err)
	_, err = j.Start("dns", "alice", timeline.Outage)
	require.NoError(t, err)
	require.NoError(t, j.Close())

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	j, err = timeline.Open(path, &timeline.Options{Now: clock})
	require.NoError(t, err)
	assert.Equal(t, []string{"dns"}, j.Running(), "the running step survives a reopen")
	e, err := j.End("dns", "alice", timeline.Done)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), e.Seq)
	require.NoError(t, j.Close())

	got, err := timeline.ReadFile(path)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.NoError(t, timeline.Verify(got, nil))
	s := timeline.Summarize(got)
	assert.Equal(t, time.Minute, s.Outage)
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	defer j.Close()
	_, err = timeline.Open(path, nil)
	assert.ErrorIs(t, err, timeline.ErrLocked)
}

func writeJournal(t *testing.T, path string, n int) []timeline.Entry {
	t.Helper()
	j, err := timeline.Open(path, &timeline.Options{NoSync: true, Now: fakeClock(at(2026, 11, 24, 20, 0), time.Second)})
	require.NoError(t, err)
	for i := range n {
		_, err := j.Note("a", "note "+strconv.Itoa(i))
		require.NoError(t, err)
	}
	es := j.Entries()
	require.NoError(t, j.Close())
	return es
}

func TestOpenTruncatesTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	want := writeJournal(t, path, 3)
	good, err := os.ReadFile(path)
	require.NoError(t, err)
	torn := `{"seq":4,"at":"2026-11-24T2`
	require.NoError(t, os.WriteFile(path, append(good, torn...), 0o600))

	var logs strings.Builder
	j, err := timeline.Open(path, &timeline.Options{Logger: newTextLogger(&logs)})
	require.NoError(t, err)
	assert.Equal(t, timeline.Recovery{TornBytes: int64(len(torn)), TornLine: 4}, j.Recovery())
	assert.Contains(t, logs.String(), "torn")
	assert.Len(t, j.Entries(), len(want), "no complete line is dropped")
	e, err := j.Note("a", "after recovery")
	require.NoError(t, err)
	assert.Equal(t, uint64(4), e.Seq)
	require.NoError(t, j.Close())

	got, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, got, 4)
	assert.NoError(t, timeline.Verify(got, nil))
}

func TestOpenRefusesBadLineInTheMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeJournal(t, path, 3)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lines[1] = "{garbage}\n"
	bad := strings.Join(lines, "")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))

	_, err = timeline.Open(path, nil)
	var le *timeline.LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 2, le.Line)
	after, _ := os.ReadFile(path)
	assert.Equal(t, bad, string(after), "the file is left as it was")
}

func TestOpenRefusesTamperedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeJournal(t, path, 3)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), "note 1", "note X", 1)), 0o600))
	_, err = timeline.Open(path, nil)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(2), te.Seq)
}

func TestOpenWithWrongKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeJournal(t, path, 2)
	_, err := timeline.Open(path, &timeline.Options{Key: []byte("k")})
	assert.ErrorIs(t, err, timeline.ErrWrongKey)
	assert.NotErrorIs(t, err, timeline.ErrTampered, "a wrong key is not a forgery")
	assert.ErrorContains(t, err, "timeline: opening "+path+": wrong key: the journal was chained without a key, and the key given has id "+timeline.KeyID([]byte("k")))
}

func TestGroupCommitDurability(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := timeline.Open(path, nil)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				_, err := j.Note(strconv.Itoa(w), strconv.Itoa(i))
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, j.Close())
	got, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, got, 200)
	assert.NoError(t, timeline.Verify(got, nil))
}

func TestCloseFileJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	require.NoError(t, j.Close())
	_, err = j.Note("a", "late")
	assert.ErrorIs(t, err, timeline.ErrClosed)
	j2, err := timeline.Open(path, nil)
	require.NoError(t, err, "closing releases the lock")
	require.NoError(t, j2.Close())
}

// failingStore fails every Append after the first n.
type failingStore struct {
	memStore
	n int
}

func (f *failingStore) Append(b []timeline.Entry) error {
	if f.n == 0 {
		return errors.New("disk full")
	}
	f.n--
	return f.memStore.Append(b)
}

func TestStorageErrorIsSticky(t *testing.T) {
	var data []timeline.Entry
	j, err := timeline.OpenStore(&failingStore{memStore{&data}, 1}, nil)
	require.NoError(t, err)
	_, err = j.Note("a", "stored")
	require.NoError(t, err)
	_, err = j.Note("a", "lost")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	_, err = j.Note("a", "after")
	assert.ErrorContains(t, err, "disk full", "later records fail too")
	assert.Len(t, j.Entries(), 1, "Entries holds only what was stored")
	assert.Len(t, data, 1)
}

// The crash test: a child process (this test binary) records durably and
// reports each returned Seq on its stdout; the parent kills it with SIGKILL
// after a random number of acknowledgements, while it keeps writing,
// reopens the journal and checks that every acknowledged entry is there and
// the chain verifies. Killing on acknowledgements, not on a timer, makes
// every round kill a child in the middle of its writing however loaded the
// machine is.

const crashEnv = "MEPKIT_TIMELINE_CRASH_CHILD"

func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestCrashRecovery")
	}
	j, err := timeline.Open(path, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		e, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "child", Text: strings.Repeat("<payload> ", i%40)})
		if err != nil {
			fmt.Println("record:", err)
			os.Exit(4)
		}
		fmt.Fprintln(w, e.Seq)
		w.Flush()
	}
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "crash.jsonl")
	rng := rand.New(rand.NewPCG(1, 2))
	const rounds = 20
	var last uint64
	torn := 0
	for round := range rounds {
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())

		// Kill after k acknowledgements; keep reading what the child
		// acknowledged until its pipe closes.
		k := 1 + rng.IntN(8)
		var maxAcked uint64
		var acks int
		var other []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			n, err := strconv.ParseUint(sc.Text(), 10, 64)
			if err != nil {
				other = append(other, sc.Text())
				continue
			}
			maxAcked = n
			if acks++; acks == k {
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			}
		}
		_ = cmd.Process.Kill() // if the child died before its k-th ack
		_ = cmd.Wait()
		require.GreaterOrEqual(t, acks, k, "round %d: the child stopped before it was killed: %q", round, other)

		j, err := timeline.Open(path, &timeline.Options{NoSync: true})
		require.NoError(t, err, "round %d", round)
		es := j.Entries()
		if j.Recovery().TornBytes > 0 {
			torn++
		}
		require.NoError(t, j.Close())
		require.NoError(t, timeline.Verify(es, nil), "round %d", round)
		require.GreaterOrEqual(t, uint64(len(es)), maxAcked, "round %d: every acknowledged entry is there", round)
		require.Greater(t, uint64(len(es)), last, "round %d: nothing from earlier rounds is lost, and the child recorded", round)
		last = uint64(len(es))
	}
	t.Logf("%d entries after %d crashes, %d of them leaving a torn line", last, rounds, torn)
}

func TestOpenRefusedLeavesATornFileAsItWas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	writeJournal(t, path, 3)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	bad := strings.Replace(string(data), "note 1", "note X", 1) + `{"seq":4,"at":"20`
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	_, err = timeline.Open(path, nil)
	require.ErrorIs(t, err, timeline.ErrTampered)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, bad, string(after), "a refused file keeps even its torn tail, for the investigation")
}

func TestCloseReportsTheStorageError(t *testing.T) {
	var data []timeline.Entry
	j, err := timeline.OpenStore(&failingStore{memStore{&data}, 0}, nil)
	require.NoError(t, err)
	_, err = j.Note("a", "lost")
	require.Error(t, err)
	assert.ErrorContains(t, j.Close(), "disk full")
}
