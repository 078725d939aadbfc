//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A -policy or a -facts file that is a named pipe, a device or a
// directory is refused at once as bad input, naming the flag, the path
// and what it is. A -policy on a named pipe used to block gate on its
// open until a writer came, and a directory failed with a read error
// that did not say which input was wrong.
func TestNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "policy.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	type input struct {
		path, what string
	}
	inputs := []input{{fifo, "a named pipe"}, {dir, "a directory"}}
	if fi, err := os.Stat("/dev/null"); err == nil && fi.Mode()&os.ModeDevice != 0 {
		inputs = append(inputs, input{"/dev/null", "a device"})
	}
	for _, in := range inputs {
		for _, args := range [][]string{
			{"-policy", in.path, "-start", "2026-11-24 20:30", "-duration", "90m"},
			{"upcoming", "-policy", in.path},
			append(change("2026-11-24 20:30"), "-facts", in.path),
		} {
			done := make(chan result, 1)
			go func() { done <- gateRun(t, args...) }()
			select {
			case r := <-done:
				flag := "-policy"
				if args[len(args)-2] == "-facts" {
					flag = "-facts"
				}
				assert.Equal(t, exitUsage, r.code, "%q: bad input", args)
				assert.Empty(t, r.stdout, "%q", args)
				assert.Contains(t, r.stderr, flag+" "+in.path+": not a regular file: "+in.what, "%q", args)
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%q: one line: %q", args, r.stderr)
			case <-time.After(5 * time.Second):
				t.Fatalf("gate %q: still blocked after 5s", args)
			}
		}
	}
}
