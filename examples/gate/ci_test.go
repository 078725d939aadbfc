package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeJob returns the gate commands of the YAML block of the README
// whose first line is the comment "# "+file: each line that runs
// ./examples/gate, as the runner's shell would run it.
func readmeJob(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var cmds []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "# "+file:
			in = true
		case in && line == "```":
			in = false
		case in && strings.Contains(line, "go run ./examples/gate"):
			line = strings.TrimSpace(line)
			line = strings.TrimPrefix(line, "run: ")
			line = strings.TrimPrefix(line, "- ")
			cmds = append(cmds, line)
		}
	}
	require.NotEmpty(t, cmds, "no job %s in the README", file)
	return cmds
}

// shellWords splits a command line as sh does for the simple lines of the
// jobs: words split on blanks, double quotes kept together, $NAME
// expanded from env, and a redirection "> FILE" returned apart.
func shellWords(t *testing.T, line string, env map[string]string) (args []string, redirect string) {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			quoted, inWord = !quoted, true
		case c == '$':
			j := i + 1
			for j < len(line) && (line[j] == '_' || line[j] >= 'A' && line[j] <= 'Z' || line[j] >= '0' && line[j] <= '9') {
				j++
			}
			w.WriteString(env[line[i+1:j]])
			i, inWord = j-1, true
		case (c == ' ' || c == '\t') && !quoted:
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	require.False(t, quoted, "unbalanced quotes in %q", line)
	if inWord {
		words = append(words, w.String())
	}
	for i, x := range words {
		if x == ">" && i+1 < len(words) {
			redirect = words[i+1]
			words = words[:i]
			break
		}
	}
	require.Equal(t, []string{"go", "run", "./examples/gate"}, words[:3])
	return words[3:], redirect
}

// runJob runs a job's command from the repository's root, as the runner
// does, on a fake clock.
func runJob(t *testing.T, f *fakeSys, line string) (result, string) {
	t.Helper()
	args, redirect := shellWords(t, line, f.env)
	t.Chdir("../..")
	r := f.run(args...)
	return r, redirect
}

func TestGitHubActionsJob(t *testing.T) {
	cmds := readmeJob(t, ".github/workflows/deploy.yml")
	require.Len(t, cmds, 1)
	summary := filepath.Join(t.TempDir(), "step_summary.md")
	env := func(goBy string) map[string]string {
		return map[string]string{
			"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
			"READY_AT": "2026-11-26T12:00:00+01:00", "GO_BY": goBy,
		}
	}

	t.Run("held by the Friday freeze past -max", func(t *testing.T) {
		require.NoError(t, os.WriteFile(summary, nil, 0o644))
		f := &fakeSys{now: time.Date(2026, 11, 27, 16, 0, 0, 0, paris), env: env("alice")}
		r, _ := runJob(t, f, cmds[0])
		assert.Equal(t, exitWaited, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
		assert.Len(t, f.wakes, 1, "it sleeps to -max at once: the freeze lasts longer")
		assert.Contains(t, r.stdout, "::error title=go-live denied by friday-freeze::Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET\n")
		assert.Contains(t, r.stdout, "::error title=go-live gate::waited 5h30m, past -max: still denied\n")
		got, err := os.ReadFile(summary)
		require.NoError(t, err)
		md := string(got)
		assert.True(t, strings.HasPrefix(md, "### :hourglass: Go-live gate: still denied after waiting 5h30m\n\n"), md)
		assert.Contains(t, md, "| Verdict | Policy | Rule | Reason |\n| --- | --- | --- | --- |\n")
		assert.Contains(t, md, "| deny | friday-freeze | R11 | Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET |\n")
		assert.Contains(t, md, "\nNext allowed slot: **Mon 2026-11-30 20:00 CET** (`-start 2026-11-30T20:00:00+01:00`)\n")
	})

	t.Run("Thursday: waits for the window, then warns of the freeze", func(t *testing.T) {
		require.NoError(t, os.WriteFile(summary, []byte("earlier step\n"), 0o644))
		f := &fakeSys{now: time.Date(2026, 11, 26, 18, 15, 0, 0, paris), env: env("alice")}
		r, _ := runJob(t, f, cmds[0])
		require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
		assert.Len(t, f.wakes, 1)
		assert.NotContains(t, r.stdout, "::error")
		got, err := os.ReadFile(summary)
		require.NoError(t, err)
		md := string(got)
		assert.True(t, strings.HasPrefix(md, "earlier step\n### :warning: Go-live gate: allowed, with warnings\n\n"), "appended: %s", md)
		assert.Contains(t, md, "to **production**, Thu 2026-11-26 20:00 CET to Thu 2026-11-26 21:30 CET (1h30m), decided Thu 2026-11-26 20:00 CET after waiting 1h45m.\n")
		assert.Contains(t, md, "| warn | announce |  | evening-window blocks go-lives from Thu 2026-11-26 23:30 CET, in 3h30m, 2h after the planned end of the operation")
	})

	t.Run("no GO yet: the gate polls until -max", func(t *testing.T) {
		require.NoError(t, os.WriteFile(summary, nil, 0o644))
		f := &fakeSys{now: time.Date(2026, 11, 24, 20, 0, 0, 0, paris), env: env("")}
		r, _ := runJob(t, f, cmds[0])
		assert.Equal(t, exitWaited, r.code, r.stdout)
		assert.Len(t, f.wakes, 330, "one poll a minute for 5h30m")
		assert.Contains(t, r.stdout, "::error title=go-live denied by require-go%3Aoperations::")
		got, err := os.ReadFile(summary)
		require.NoError(t, err)
		assert.Contains(t, string(got), "| deny | require-go:operations | R9 |")
	})

	t.Run("-json keeps stdout one object", func(t *testing.T) {
		f := &fakeSys{now: time.Date(2026, 11, 27, 16, 0, 0, 0, paris), env: env("alice")}
		args, _ := shellWords(t, cmds[0], f.env)
		t.Chdir("../..")
		r := f.run(append(args, "-json")...)
		assert.Equal(t, exitWaited, r.code)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
		assert.Contains(t, r.stderr, "::error title=go-live denied by friday-freeze::")
	})
}

func TestGitLabCIJobs(t *testing.T) {
	cmds := readmeJob(t, ".gitlab-ci.yml")
	require.Len(t, cmds, 2)
	env := map[string]string{"CI": "true", "GITLAB_CI": "true",
		"READY_AT": "2026-11-26T12:00:00+01:00", "GO_BY": "alice"}

	t.Run("deploy", func(t *testing.T) {
		f := &fakeSys{now: time.Date(2026, 11, 27, 23, 0, 0, 0, paris), env: env}
		r, _ := runJob(t, f, cmds[0])
		require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
		assert.Len(t, f.wakes, 1)
		assert.True(t, f.now.Equal(time.Date(2026, 11, 30, 20, 0, 0, 0, paris)), "%v", f.now)
		assert.NotContains(t, r.stdout, "::error", "no GitHub annotations elsewhere")
	})

	t.Run("freezes", func(t *testing.T) {
		f := &fakeSys{now: time.Date(2026, 12, 14, 9, 0, 0, 0, paris), env: env}
		r, redirect := runJob(t, f, cmds[1])
		require.Equal(t, exitAllowed, r.code, r.stderr)
		assert.Equal(t, "freezes.md", redirect)
		assert.True(t, strings.HasPrefix(r.stdout, "### Go-live calendar, Mon 2026-12-14 09:00 CET to Mon 2026-12-28 09:00 CET (Europe/Paris)\n"), r.stdout)
		assert.Contains(t, r.stdout, "| Fri 2026-12-18 00:00 CET | closes | year-end |  | Mon 2027-01-04 00:00 CET | blocked |")
		assert.Contains(t, r.stdout, "| Thu 2026-12-24 00:00 CET | closes | holidays-FR | R11 | Sat 2026-12-26 00:00 CET | blocked | Thu 2026-12-24 is the eve of Noël (FR) in Europe/Paris")
	})
}
