package timeline_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// partStarts returns the numbers of the lines that start the parts of a
// long file, as decodeLines cuts it for so many workers after its first
// 4096 lines.
func partStarts(lines [][]byte, workers int) []int {
	var starts []int
	rest := bytes.Join(lines[4096:], nil)
	first := 4096
	for k := workers; k > 0 && len(rest) > 0; k-- {
		starts = append(starts, first+1)
		cut := len(rest)
		if k > 1 {
			cut = len(rest) / k
			cut += bytes.IndexByte(rest[cut:], '\n') + 1
		}
		first += bytes.Count(rest[:cut], []byte{'\n'})
		rest = rest[cut:]
	}
	return starts
}

// Around the number of lines from which Load decodes in parallel, and at
// the first and last lines of every part, a bad line (not JSON, CRLF,
// empty) is the error that Read gives, with its line number; a torn last
// line is recovered as before.
func TestFileStoreLoadBoundaries(t *testing.T) {
	all := longJournal(t, 8193)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{2, 3} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{8191, 8192, 8193} {
			lines := all[:n]
			got, rec, err := loadFile(t, lines)
			require.NoError(t, err)
			assert.Zero(t, rec)
			want, err := timeline.Read(bytes.NewReader(bytes.Join(lines, nil)))
			require.NoError(t, err)
			require.Equal(t, want, got)

			torn := append(append([][]byte(nil), lines...), lines[n-1][:40])
			got, rec, err = loadFile(t, torn)
			require.NoError(t, err)
			assert.Equal(t, timeline.Recovery{TornBytes: 40, TornLine: n + 1}, rec)
			require.Equal(t, want, got)

			if n < 8192 {
				continue // decoded in order: the bad lines are those of Read
			}
			bad := []int{1, 4096, 4097, n - 1, n}
			for _, s := range partStarts(lines, procs) {
				bad = append(bad, s-1, s, s+1)
			}
			for _, k := range bad {
				if k < 1 || k > n {
					continue
				}
				for _, line := range [][]byte{
					[]byte("not json\n"),
					append(bytes.TrimSuffix(lines[k-1], []byte{'\n'}), '\r', '\n'),
					[]byte("\n"),
				} {
					corrupt := append([][]byte(nil), lines...)
					corrupt[k-1] = line
					_, _, err := loadFile(t, corrupt)
					var le *timeline.LineError
					require.ErrorAs(t, err, &le, "procs %d, %d lines, bad line %d %q", procs, n, k, line)
					assert.Equal(t, k, le.Line)
					_, rerr := timeline.Read(bytes.NewReader(bytes.Join(corrupt, nil)))
					require.Error(t, rerr)
					assert.Equal(t, rerr.Error(), err.Error(), "procs %d, %d lines, bad line %d", procs, n, k)
				}
			}
		}
	}
}
