package main

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golive.golden")

func TestGoliveOutput(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf))
	if *update {
		require.NoError(t, os.WriteFile("testdata/golive.golden", buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile("testdata/golive.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), buf.String(), "the demonstration is deterministic")

	out := buf.String()
	assert.Contains(t, out, "| **Outage** | 33m00s | 40m00s | +7m00s (+21%) |")
	assert.Contains(t, out, "```mermaid\ngantt\n")
}
